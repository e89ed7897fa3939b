// Folds one event into the facts, inside one transaction with its processed_events row, so a
// replayed event (same tenant and event id) changes nothing. Events of one conversation arrive in
// order, but a ticket's events and its conversation's events travel on different topics: merges
// below do not depend on which came first. The conversation's rollups (conversation-rollups.ts)
// are refreshed in the same transaction when what they depend on changes.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ConversationLifecycleEvent, TicketEvent } from '@switchboard/contracts';
import { refreshTicketRollup, relinkSameIntent, type Sql } from './conversation-rollups';

/** The language part of a BCP 47 tag ("zh-CN" → "zh"): the dimension people ask about. */
export function languageOf(locale: string): string {
  return locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
}

@Injectable()
export class FactRecorder {
  constructor(private readonly db: DataSource) {}

  async onConversationEvent(event: ConversationLifecycleEvent): Promise<boolean> {
    return this.once(event.tenantId, event.eventId, (m) => this.foldConversationEvent(m, event));
  }

  async onTicketEvent(event: TicketEvent): Promise<boolean> {
    return this.once(event.tenantId, event.eventId, (m) => this.foldTicketEvent(m, event));
  }

  /** Runs `fold` unless this event was folded before; says whether it ran. */
  private async once(tenantId: string, eventId: string, fold: (m: EntityManager) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (m) => {
      // One tenant's events fold one at a time. The rollups read other rows of the tenant (the
      // customer's other conversations, the conversation's tickets), and two transactions folding
      // at once would each miss the other's uncommitted row: the later one must see the earlier.
      // Taken first and alone, this lock cannot deadlock.
      await m.query('select pg_advisory_xact_lock(hashtext($1))', [`analytics.facts:${tenantId}`]);
      const fresh: unknown[] = await m.query(
        'insert into analytics.processed_events (tenant_id, event_id) values ($1, $2) on conflict do nothing returning 1',
        [tenantId, eventId],
      );
      if (fresh.length === 0) return false;
      await fold(m);
      return true;
    });
  }

  private async foldConversationEvent(m: EntityManager, event: ConversationLifecycleEvent): Promise<void> {
    const { tenantId, conversationId } = event;
    const at = new Date(event.occurredAt);
    switch (event.kind.case) {
      case 'turnCompleted': {
        const turn = event.kind.value;
        const received = turn.receivedAt ? new Date(turn.receivedAt) : new Date(at.getTime() - Number(turn.durationMs));
        await m.query(
          `insert into analytics.turns (tenant_id, turn_id, conversation_id, received_at, replied_at, intent, answer_mode, grounded, duration_ms)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (tenant_id, turn_id) do nothing`,
          [tenantId, turn.turnId, conversationId, received, at, turn.intent, turn.answerMode, turn.grounded, Number(turn.durationMs)],
        );
        // An agent's reply also completes a turn (mode "agent"); only the bot's count as bot replies.
        const botReply = turn.answerMode !== 'agent' ? at : null;
        await this.upsertConversation(m, tenantId, conversationId, {
          customerId: turn.customerId,
          channel: turn.channel,
          language: languageOf(turn.locale),
          intent: turn.intent,
          tier: turn.tier,
          startedAt: received,
          firstReplyAt: at,
          lastReplyAt: botReply,
        });
        return;
      }
      case 'handoffRequested': {
        const handoff = event.kind.value;
        await m.query(
          `insert into analytics.handoffs (tenant_id, conversation_id, turn_id, occurred_at, reason) values ($1, $2, $3, $4, $5) on conflict do nothing`,
          [tenantId, conversationId, handoff.turnId, at, handoff.reason],
        );
        await this.upsertConversation(m, tenantId, conversationId, {
          customerId: handoff.customerId,
          channel: handoff.channel,
          language: languageOf(handoff.locale),
          intent: handoff.intent,
          tier: handoff.tier,
          handoffAt: at,
        });
        return;
      }
      case 'agentReplied': {
        const reply = event.kind.value;
        await this.upsertConversation(m, tenantId, conversationId, {
          customerId: reply.customerId,
          channel: reply.channel,
          agent: reply.agentId,
          humanFirstReplyAt: at,
        });
        return;
      }
      case 'rated': {
        const rated = event.kind.value;
        await m.query(
          `insert into analytics.ratings (tenant_id, conversation_id, rating, has_comment, rated_at) values ($1, $2, $3, $4, $5) on conflict (tenant_id, conversation_id) do nothing`,
          [tenantId, conversationId, rated.rating, rated.hasComment, at],
        );
        await this.upsertConversation(m, tenantId, conversationId, {
          customerId: rated.customerId,
          channel: rated.channel,
          rating: rated.rating,
        });
        return;
      }
      default:
        return; // moderation records carry nothing the KPIs use
    }
  }

  private async foldTicketEvent(m: EntityManager, event: TicketEvent): Promise<void> {
    const { tenantId, ticketId } = event;
    const at = new Date(event.occurredAt);
    switch (event.kind.case) {
      case 'created': {
        const t = event.kind.value;
        await m.query(
          `insert into analytics.tickets (tenant_id, ticket_id, conversation_id, customer_id, department, priority, channel, language, intent, tier, created_at, due_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           on conflict (tenant_id, ticket_id) do update set conversation_id = excluded.conversation_id, customer_id = excluded.customer_id, department = excluded.department,
             priority = excluded.priority, channel = excluded.channel, language = excluded.language, intent = excluded.intent, tier = excluded.tier,
             created_at = excluded.created_at, due_at = excluded.due_at`,
          [
            tenantId,
            ticketId,
            t.conversationId || null,
            t.customerId,
            t.department,
            t.priority,
            t.channel,
            languageOf(t.locale),
            t.intent,
            t.tier,
            at,
            t.dueAt ? new Date(t.dueAt) : null,
          ],
        );
        if (t.conversationId) {
          await this.upsertConversation(m, tenantId, t.conversationId, {
            customerId: t.customerId,
            department: t.department,
            tier: t.tier,
            intent: t.intent,
          });
          await refreshTicketRollup(sqlOf(m), tenantId, t.conversationId);
        }
        return;
      }
      case 'assigned': {
        const agent = event.kind.value.agentId;
        await this.upsertTicket(m, tenantId, ticketId, 'agent = $3', [agent]);
        if (agent)
          await m.query(
            `update analytics.conversations c set agent = $3 from analytics.tickets t where t.tenant_id = $1 and t.ticket_id = $2 and c.tenant_id = t.tenant_id and c.conversation_id = t.conversation_id and c.agent = ''`,
            [tenantId, ticketId, agent],
          );
        return;
      }
      case 'statusChanged': {
        const { from, to } = event.kind.value;
        // resolved → open is a reopen: the ticket is unresolved again until the next resolution.
        if (from === 'resolved' && to === 'open')
          await this.upsertTicket(
            m,
            tenantId,
            ticketId,
            `status = 'open', reopens = analytics.tickets.reopens + 1, resolved_at = null`,
            [],
          );
        else await this.upsertTicket(m, tenantId, ticketId, 'status = $3', [to]);
        await this.refreshTicketsOf(m, tenantId, ticketId);
        return;
      }
      case 'resolved':
        await this.upsertTicket(
          m,
          tenantId,
          ticketId,
          `status = 'resolved', resolved_at = $3, first_resolved_at = least(analytics.tickets.first_resolved_at, $3)`,
          [at],
        );
        if (event.kind.value.agentId)
          await this.upsertTicket(
            m,
            tenantId,
            ticketId,
            `agent = case when analytics.tickets.agent = '' then $3 else analytics.tickets.agent end`,
            [event.kind.value.agentId],
          );
        await this.refreshTicketsOf(m, tenantId, ticketId);
        return;
      default:
        return; // notes carry text, which never comes here
    }
  }

  /** Applies `set` to the ticket, creating a placeholder row when its `created` event is still on the way. */
  private async upsertTicket(m: EntityManager, tenantId: string, ticketId: string, set: string, values: unknown[]): Promise<void> {
    await m.query(`insert into analytics.tickets (tenant_id, ticket_id) values ($1, $2) on conflict do nothing`, [tenantId, ticketId]);
    await m.query(`update analytics.tickets set ${set} where tenant_id = $1 and ticket_id = $2`, [tenantId, ticketId, ...values]);
  }

  /** Refreshes the rollup of the ticket's conversation, once the ticket names one. */
  private async refreshTicketsOf(m: EntityManager, tenantId: string, ticketId: string): Promise<void> {
    const [ticket]: Array<{ conversation_id: string | null }> = await m.query(
      'select conversation_id from analytics.tickets where tenant_id = $1 and ticket_id = $2',
      [tenantId, ticketId],
    );
    if (ticket?.conversation_id) await refreshTicketRollup(sqlOf(m), tenantId, ticket.conversation_id);
  }

  private async upsertConversation(m: EntityManager, tenantId: string, conversationId: string, f: ConversationFields): Promise<void> {
    // Dimensions: the first non-empty value wins (a later turn's intent does not relabel the conversation).
    // `before` is the row as the statement found it (a CTE sees the state before the upsert), so
    // what changed is known without a second round trip.
    const [after]: Array<{ customer_id: string; intent: string; started_at: Date | null; before: Stored | null }> = await m.query(
      `with before as (select customer_id, intent, started_at from analytics.conversations where tenant_id = $1 and conversation_id = $2)
       insert into analytics.conversations as c (tenant_id, conversation_id, customer_id, channel, language, intent, tier, department, agent,
         started_at, first_reply_at, last_reply_at, handoff_at, human_first_reply_at, rating)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       on conflict (tenant_id, conversation_id) do update set
         customer_id = coalesce(nullif(c.customer_id, ''), excluded.customer_id),
         channel = coalesce(nullif(c.channel, ''), excluded.channel),
         language = coalesce(nullif(c.language, ''), excluded.language),
         intent = coalesce(nullif(c.intent, ''), excluded.intent),
         tier = coalesce(nullif(c.tier, ''), excluded.tier),
         department = coalesce(nullif(c.department, ''), excluded.department),
         agent = coalesce(nullif(c.agent, ''), excluded.agent),
         started_at = least(c.started_at, excluded.started_at),
         first_reply_at = least(c.first_reply_at, excluded.first_reply_at),
         last_reply_at = greatest(c.last_reply_at, excluded.last_reply_at),
         handoff_at = least(c.handoff_at, excluded.handoff_at),
         human_first_reply_at = least(c.human_first_reply_at, excluded.human_first_reply_at),
         rating = coalesce(c.rating, excluded.rating)
       returning customer_id, intent, started_at, (select row_to_json(before) from before) as before`,
      [
        tenantId,
        conversationId,
        f.customerId ?? '',
        f.channel ?? '',
        f.language ?? '',
        f.intent ?? '',
        f.tier ?? '',
        f.department ?? '',
        f.agent ?? '',
        f.startedAt ?? null,
        f.firstReplyAt ?? null,
        f.lastReplyAt ?? null,
        f.handoffAt ?? null,
        f.humanFirstReplyAt ?? null,
        f.rating ?? null,
      ],
    );
    // A new row may have tickets already (their events came first); a row whose customer, intent or
    // start is new changes who came back after whom in its (customer, intent) group.
    const before = after.before;
    if (!before) await refreshTicketRollup(sqlOf(m), tenantId, conversationId);
    if (
      !before ||
      before.customer_id !== after.customer_id ||
      before.intent !== after.intent ||
      (before.started_at === null ? null : Date.parse(before.started_at)) !== (after.started_at?.getTime() ?? null)
    )
      await relinkSameIntent(sqlOf(m), tenantId, after.customer_id, after.intent);
  }
}

/** The row's fields the rollups depend on, as JSON (row_to_json: times are ISO strings). */
interface Stored {
  customer_id: string;
  intent: string;
  started_at: string | null;
}

const sqlOf =
  (m: EntityManager): Sql =>
  (sql, params) =>
    m.query(sql, params);

interface ConversationFields {
  customerId?: string;
  channel?: string;
  language?: string;
  intent?: string;
  tier?: string;
  department?: string;
  agent?: string;
  startedAt?: Date;
  firstReplyAt?: Date;
  lastReplyAt?: Date | null;
  handoffAt?: Date;
  humanFirstReplyAt?: Date;
  /** The first rating stays, as analytics.ratings keeps the first. */
  rating?: number;
}
