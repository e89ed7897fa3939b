// Who else has a ticket open in the console ("agent collision"): an open conversation view says so
// every few seconds (PUT), and hears who else did; a viewer not heard from for VIEWER_TTL_MS is
// gone (a closed tab needs no goodbye, though the console sends one). Kept in Redis — one hash per
// ticket, field = user name — so every gateway replica answers the same. Only users who can open
// the ticket may say they view it or learn who does.
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { isUuid } from '@switchboard/contracts';
import { AgentsService, type Agent } from '../agents/agents.service';
import { GatewayError } from '../gateway.errors';

export const VIEWER_TTL_MS = 30_000;

export interface TicketViewer {
  username: string;
  role: string;
  /** When this viewer opened the ticket (RFC 3339). */
  since: string;
}

interface Stored {
  role: string;
  since: number;
  until: number;
}

const viewersKey = (tenantId: string, ticketId: string) => `t:${tenantId}:ticket:${ticketId}:viewers`;

@Injectable()
export class TicketViewersService {
  constructor(
    private readonly redis: Redis,
    private readonly agents: AgentsService,
  ) {}

  /** Records that `agent` views the ticket now and answers who else does, longest first. */
  async viewing(agent: Agent, ticketId: string, now = Date.now()): Promise<{ viewers: TicketViewer[] }> {
    await this.inScope(agent, ticketId);
    const key = viewersKey(agent.tenantId, ticketId);
    const mine = parse(await this.redis.hget(key, agent.actor.id));
    const since = mine && mine.until > now ? mine.since : now;
    const stored: Stored = { role: agent.role, since, until: now + VIEWER_TTL_MS };
    await this.redis
      .multi()
      .hset(key, agent.actor.id, JSON.stringify(stored))
      .pexpire(key, VIEWER_TTL_MS * 2)
      .exec();
    return { viewers: await this.others(agent, key, now) };
  }

  /** `agent` closed the ticket. */
  async left(agent: Agent, ticketId: string): Promise<void> {
    await this.inScope(agent, ticketId);
    await this.redis.hdel(viewersKey(agent.tenantId, ticketId), agent.actor.id);
  }

  private async others(agent: Agent, key: string, now: number): Promise<TicketViewer[]> {
    const all = Object.entries(await this.redis.hgetall(key)).map(([username, value]) => ({ username, stored: parse(value) }));
    const gone = all.filter((v) => !v.stored || v.stored.until <= now).map((v) => v.username);
    if (gone.length > 0) await this.redis.hdel(key, ...gone);
    return all
      .filter(
        (v): v is { username: string; stored: Stored } => v.stored !== undefined && v.stored.until > now && v.username !== agent.actor.id,
      )
      .sort((a, b) => a.stored.since - b.stored.since || a.username.localeCompare(b.username))
      .map((v) => ({ username: v.username, role: v.stored.role, since: new Date(v.stored.since).toISOString() }));
  }

  private async inScope(agent: Agent, ticketId: string): Promise<void> {
    if (!isUuid(ticketId)) throw new GatewayError('NOT_FOUND', `ticket ${ticketId} not found`);
    await this.agents.ticketInScope(agent, ticketId);
  }
}

function parse(value: string | null | undefined): Stored | undefined {
  if (!value) return undefined;
  try {
    const stored = JSON.parse(value) as Partial<Stored>;
    return typeof stored.until === 'number' && typeof stored.since === 'number' && typeof stored.role === 'string'
      ? (stored as Stored)
      : undefined;
  } catch {
    return undefined;
  }
}
