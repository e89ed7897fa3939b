// Whether agents use the suggested replies: for each customer message an agent answered while a
// suggestion was shown, whether they sent it as drafted (accepted), changed it (edited) or wrote
// their own (ignored). The learning loop reads these with the transcript; the first record for a
// message and agent stands (a second send to the same message is not a second verdict).
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Agent } from '../agents/agents.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

export const OUTCOMES = ['accepted', 'edited', 'ignored'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SuggestionUse {
  conversationId: string;
  turnId: string;
  agent: string;
  outcome: Outcome;
  createdAt: string;
}

/** The body of POST …/suggestion-use, or a 400 naming each wrong or unknown field. */
export function parseSuggestionUse(body: Record<string, unknown>): { turnId: string; outcome: Outcome } {
  const violations = Object.keys(body)
    .filter((k) => k !== 'turnId' && k !== 'outcome')
    .map((field) => ({ field, problem: 'is not a field (only turnId and outcome)' }));
  if (typeof body.turnId !== 'string' || !body.turnId || body.turnId.length > 128)
    violations.push({ field: 'turnId', problem: "is required: the customer message's turn id the suggestion was for (forMessage)" });
  if (!(OUTCOMES as readonly unknown[]).includes(body.outcome))
    violations.push({ field: 'outcome', problem: `is required: one of ${OUTCOMES.join(', ')}` });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return { turnId: body.turnId as string, outcome: body.outcome as Outcome };
}

@Injectable()
export class SuggestionUsesService {
  constructor(private readonly db: DataSource) {}

  /** Records the agent's verdict; answers the one that stands (an earlier one for the same message wins). */
  async record(agent: Agent, conversationId: string, body: Record<string, unknown>): Promise<SuggestionUse> {
    const { turnId, outcome } = parseSuggestionUse(body);
    await this.db.query(
      `insert into gateway.suggestion_uses (id, tenant_id, conversation_id, turn_id, agent, outcome) values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, conversation_id, turn_id, agent) do nothing`,
      [randomUUID(), agent.tenantId, conversationId, turnId, agent.actor.id, outcome],
    );
    const rows = await this.rows(agent.tenantId, 'and conversation_id = $2 and turn_id = $3 and agent = $4', [
      conversationId,
      turnId,
      agent.actor.id,
    ]);
    return rows[0];
  }

  /** The tenant's records, newest first, with the count of each outcome (for the learning loop and leads). */
  async list(caller: Principal, query: { limit?: string }): Promise<{ totals: Record<Outcome, number>; uses: SuggestionUse[] }> {
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw GatewayError.invalid([{ field: 'limit', problem: 'must be a whole number between 1 and 1000' }]);
    const counts: Array<{ outcome: Outcome; n: number }> = await this.db.query(
      'select outcome, count(*)::int as n from gateway.suggestion_uses where tenant_id = $1 group by outcome',
      [caller.tenantId],
    );
    const totals = Object.fromEntries(OUTCOMES.map((o) => [o, counts.find((c) => c.outcome === o)?.n ?? 0])) as Record<Outcome, number>;
    return { totals, uses: await this.rows(caller.tenantId, `order by created_at desc limit ${limit}`, []) };
  }

  private async rows(tenantId: string, rest: string, params: unknown[]): Promise<SuggestionUse[]> {
    const rows: Array<{ conversation_id: string; turn_id: string; agent: string; outcome: Outcome; created_at: Date }> =
      await this.db.query(
        `select conversation_id, turn_id, agent, outcome, created_at from gateway.suggestion_uses where tenant_id = $1 ${rest}`,
        [tenantId, ...params],
      );
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      turnId: r.turn_id,
      agent: r.agent,
      outcome: r.outcome,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
