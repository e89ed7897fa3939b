// Who a new ticket goes to: an agent of its department who is online (presence the gateway keeps
// in Redis: not busy, away or silent past the TTL), the one with the fewest open tickets, among
// equals the one who has waited longest since their last assignment, and only while they hold
// fewer than the tenant's cap. Nobody fits: the ticket waits unassigned in the queue. Presence is
// the gateway's fact and tickets are ours, so each is read where it is kept, never copied.
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import type { EntityManager } from 'typeorm';
import { livePresence } from '@switchboard/contracts';
import { RoutingSettingsRepository } from './routing-settings.repository';

@Injectable()
export class AutoAssigner {
  constructor(
    private readonly redis: Redis,
    private readonly settings: RoutingSettingsRepository,
  ) {}

  /**
   * The agent to give a new ticket of `department`, or undefined. Call it in the transaction that
   * assigns the ticket: it holds a per-tenant lock to the end of that transaction, so tickets
   * created at the same moment count each other and cannot push an agent past the cap.
   */
  async pick(m: EntityManager, tenantId: string, department: string, now = Date.now()): Promise<string | undefined> {
    const settings = await this.settings.of(tenantId, m);
    if (!settings.autoAssign) return undefined;
    // An empty department list is the gateway's "reaches every department" (docs/agents.md, roles).
    const online = (await livePresence(this.redis, tenantId, now))
      .filter((p) => p.status === 'online' && (p.departments.length === 0 || p.departments.includes(department)))
      .map((p) => p.username);
    if (online.length === 0) return undefined;
    await m.query(`select pg_advisory_xact_lock(hashtext('ticketing.auto_assign'), hashtext($1))`, [tenantId]);
    const rows: Array<{ agent: string }> = await m.query(
      `select a.agent
       from unnest($2::text[]) as a(agent)
       left join ticketing.agent_assignments l on l.tenant_id = $1 and l.agent_id = a.agent
       left join ticketing.tickets t on t.tenant_id = $1 and t.assignee_id = a.agent and t.status in ('assigned', 'waiting_on_customer')
       group by a.agent, l.last_assigned_at
       having count(t.id) < $3
       order by count(t.id), l.last_assigned_at nulls first, a.agent
       limit 1`,
      [tenantId, online, settings.maxOpenPerAgent],
    );
    return rows[0]?.agent;
  }

  /** Every assignment, automatic or claimed, restarts the agent's wait. */
  async recordAssignment(m: EntityManager, tenantId: string, agentId: string): Promise<void> {
    await m.query(
      `insert into ticketing.agent_assignments (tenant_id, agent_id, last_assigned_at) values ($1, $2, now())
       on conflict (tenant_id, agent_id) do update set last_assigned_at = excluded.last_assigned_at`,
      [tenantId, agentId],
    );
  }
}
