// Desk users' presence (online, busy, away; offline when silent): each user sets their own, the
// console's heartbeat keeps it alive, and routing gives new tickets only to those online
// (services/ticketing/src/routing/auto-assigner.ts). Kept in Redis with an expiry
// (libs/contracts/src/agent-presence.ts), so every gateway replica answers the same and a closed
// tab or a sleeping laptop turns offline by itself. Supervisors see their departments' team,
// admins the tenant's.
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import {
  endPresence,
  isPresenceStatus,
  livePresence,
  presenceIndexKey,
  presenceKey,
  presenceOf,
  PRESENCE_STATUSES,
  PRESENCE_TTL_MS,
  recordPresence,
  type PresenceRecord,
  type PresenceStatus,
} from '@switchboard/contracts';
import type { Agent } from '../agents/agents.service';
import { scopeOf } from '../agents/desk-scope';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import { DESK_ROLES } from '../auth/roles';
import { UserRepository } from '../auth/user.repository';
import { GatewayError } from '../gateway.errors';

export interface MyPresence {
  status: PresenceStatus | 'offline';
  /** When the status was chosen (RFC 3339); null while offline. */
  since: string | null;
}

export interface TeamMemberPresence extends MyPresence {
  username: string;
  displayName: string;
  role: string;
  departments: string[];
}

const FIELDS = new Set(['status']);

/** The body of PUT /v1/agent/presence, or a 400 naming each wrong, missing or unknown field. */
export function parsePresenceBody(body: Record<string, unknown>): PresenceStatus {
  const violations = Object.keys(body)
    .filter((k) => !FIELDS.has(k))
    .map((field) => ({ field, problem: 'is not a field of presence (only status)' }));
  if (!isPresenceStatus(body.status)) violations.push({ field: 'status', problem: `is required: one of ${PRESENCE_STATUSES.join(', ')}` });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return body.status as PresenceStatus;
}

/** Whether a desk user works one of `departments`: theirs, or none (all) unless a supervisor. */
const reachesDepartments =
  (departments: string[]) =>
  (u: { role: string; departments: string[] }): boolean =>
    u.departments.some((d) => departments.includes(d)) || (u.departments.length === 0 && u.role !== 'supervisor');

const answer = (r: Pick<PresenceRecord, 'status' | 'since'> | undefined): MyPresence =>
  r ? { status: r.status, since: new Date(r.since).toISOString() } : { status: 'offline', since: null };

@Injectable()
export class PresenceService {
  constructor(
    private readonly redis: Redis,
    private readonly users: UserRepository,
    readonly audit?: AuditTrail,
  ) {}

  /** Sets the caller's own status; choosing the one they have keeps its "since". */
  @Audited('presence.set', 'presence', (args) => (args[0] as Agent).actor.id)
  async set(agent: Agent, body: Record<string, unknown>, now = Date.now()): Promise<MyPresence> {
    const status = parsePresenceBody(body);
    const mine = await this.mine(agent, now);
    const since = mine?.status === status ? mine.since : now;
    await this.record(agent, status, since, now);
    return answer({ status, since });
  }

  /**
   * "Still here": keeps the caller's status alive and answers it, so a second tab learns of a
   * change made in the first. After a silence past the TTL the caller is offline and stays so
   * (answered as such) until they set a status again: nothing is assumed for them.
   */
  async heartbeat(agent: Agent, now = Date.now()): Promise<MyPresence> {
    const mine = await this.mine(agent, now);
    if (mine) await this.touch(agent, now);
    return answer(mine);
  }

  /**
   * A supervisor's team: every active desk user who reaches one of the supervisor's departments
   * (their own, or none, which reaches all), with their presence; offline when not heard from. An
   * admin's is every active desk user of the tenant: routing's settings, theirs to set, apply to all.
   */
  @Audited('presence.list', 'presence')
  async team(agent: Agent, now = Date.now()): Promise<{ presence: TeamMemberPresence[] }> {
    if (agent.role !== 'supervisor' && agent.role !== 'admin')
      throw new GatewayError('PERMISSION_DENIED', `the team's presence is for supervisors and admins; you are signed in as ${agent.role}`);
    const reaches = agent.role === 'admin' ? () => true : reachesDepartments(scopeOf(agent) ?? []);
    const live = new Map((await livePresence(this.redis, agent.tenantId, now)).map((p) => [p.username, p]));
    const members = (await this.users.list(agent.tenantId)).filter((u) => !u.disabledAt && DESK_ROLES.includes(u.role) && reaches(u));
    return {
      presence: members.map((u) => ({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        departments: u.departments,
        ...answer(live.get(u.username)),
      })),
    };
  }

  /**
   * Ends the user's presence at once when their sessions end (disabled, new role or departments):
   * routing must not give a ticket to someone who can no longer open it, even for the TTL.
   */
  async end(tenantId: string, username: string): Promise<void> {
    await endPresence(this.redis, tenantId, username);
  }

  private mine(agent: Agent, now: number): Promise<PresenceRecord | undefined> {
    return presenceOf(this.redis, agent.tenantId, agent.actor.id, now);
  }

  /**
   * Keeps the caller's presence alive without writing it again: a heartbeat that read the old
   * status while a change was being made would otherwise put the old status back. `XX`: a
   * presence ended meanwhile (sessions ended) stays ended.
   */
  private async touch(agent: Agent, now: number): Promise<void> {
    const index = presenceIndexKey(agent.tenantId);
    await this.redis
      .multi()
      .pexpire(presenceKey(agent.tenantId, agent.actor.id), PRESENCE_TTL_MS)
      .zadd(index, 'XX', now + PRESENCE_TTL_MS, agent.actor.id)
      .pexpire(index, PRESENCE_TTL_MS)
      .exec();
  }

  private async record(agent: Agent, status: PresenceStatus, since: number, now: number): Promise<void> {
    // Routing reads the departments from here: the desk's own scope rule decides them (a
    // supervisor without departments works none and is refused here, as on the desk).
    const departments = scopeOf(agent) ?? [];
    await recordPresence(this.redis, agent.tenantId, { username: agent.actor.id, status, role: agent.role, departments, since }, now);
  }
}
