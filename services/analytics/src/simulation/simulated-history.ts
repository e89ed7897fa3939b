// A realistic event history for a tenant, for dashboards, demos and benchmarks: daily and weekly
// seasonality, an intent and channel mix, hand-offs that become tickets worked by agents (some
// late, some reopened), customers who come back about the same thing, and ratings. It yields the
// same lifecycle and ticket events the services publish, built with the real contracts; a seed
// makes the numbers reproducible (event ids stay random UUIDs, so a second run adds a history).
import { randomUUID } from 'node:crypto';
import {
  ConversationLifecycleEventSchema,
  create,
  TicketEventSchema,
  type ConversationLifecycleEvent,
  type MessageInitShape,
  type TicketEvent,
} from '@switchboard/contracts';

export type SimulatedEvent = { topic: 'conversation'; event: ConversationLifecycleEvent } | { topic: 'ticket'; event: TicketEvent };

export interface SimulationOptions {
  tenantId: string;
  days: number;
  /** The history ends at this time. */
  now: Date;
  seed?: number;
  /** Conversations on an average weekday. */
  perDay?: number;
}

type LifecycleKind = MessageInitShape<typeof ConversationLifecycleEventSchema>['kind'];
type TicketKind = MessageInitShape<typeof TicketEventSchema>['kind'];

const INTENTS: Array<[string, number]> = [
  ['order_status', 30],
  ['refund_status', 12],
  ['return_item', 10],
  ['cancel_order', 8],
  ['product_info', 14],
  ['change_address', 6],
  ['modify_order', 6],
  ['exchange_item', 5],
  ['change_payment', 4],
  ['talk_to_human', 5],
];
const CHANNELS: Array<[string, number]> = [
  ['web', 45],
  ['app', 30],
  ['wechat', 10],
  ['email', 8],
  ['phone', 7],
];
const AGENTS = ['agent-ana', 'agent-bo', 'agent-chen', 'agent-dee', 'agent-eli'];
// Share of the day's conversations by hour (UTC): quiet at night, busiest late morning and afternoon.
const HOURS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1];
// Monday to Sunday.
const WEEKDAY = [1.1, 1.05, 1, 1, 0.95, 0.6, 0.5];
const ORDER_INTENTS = ['order_status', 'return_item', 'exchange_item', 'cancel_order', 'modify_order'];
const HOUR_MS = 3_600_000;

/** mulberry32: small, fast, good enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  return weighted[weighted.length - 1][0];
}

export function* simulateHistory(options: SimulationOptions): Generator<SimulatedEvent> {
  const rand = random(options.seed ?? 1);
  const perDay = options.perDay ?? 200;
  const { tenantId } = options;
  const end = options.now.getTime();
  const firstDay =
    Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate()) - (options.days - 1) * 86_400_000;
  // Few enough customers that some come back about the same intent.
  const customers = Math.max(20, Math.round(perDay * options.days * 0.6));
  const iso = (ms: number) => new Date(ms).toISOString();
  const lifecycle = (conversationId: string, at: number, kind: LifecycleKind): SimulatedEvent => ({
    topic: 'conversation',
    event: create(ConversationLifecycleEventSchema, { tenantId, conversationId, eventId: randomUUID(), occurredAt: iso(at), kind }),
  });
  const ticket = (ticketId: string, at: number, kind: TicketKind): SimulatedEvent => ({
    topic: 'ticket',
    event: create(TicketEventSchema, { tenantId, ticketId, eventId: randomUUID(), occurredAt: iso(at), kind }),
  });

  for (let d = 0; d < options.days; d += 1) {
    const dayStart = firstDay + d * 86_400_000;
    const weekday = (new Date(dayStart).getUTCDay() + 6) % 7;
    const count = Math.round(perDay * WEEKDAY[weekday] * (0.9 + rand() * 0.2));
    for (let i = 0; i < count; i += 1) {
      const hour = pick(
        rand,
        HOURS.map((w, h) => [h, w] as [number, number]),
      );
      const started = dayStart + hour * HOUR_MS + Math.floor(rand() * HOUR_MS);
      if (started > end) continue;
      const conversationId = randomUUID();
      const customerId = `sim-cust-${Math.floor(rand() * customers)}`;
      const channel = pick(rand, CHANNELS);
      const intent = pick(rand, INTENTS);
      const locale = channel === 'wechat' || rand() < 0.15 ? 'zh-CN' : 'en-US';
      const tier = rand() < 0.08 ? 'vip' : '';
      const handedOff = intent === 'talk_to_human' || rand() < (tier === 'vip' ? 0.3 : 0.18);
      // 1-4 customer messages, each answered by the bot in 1-8 s; a hand-off follows the first.
      let at = started;
      const turns = handedOff ? 1 : 1 + Math.floor(rand() * 4);
      for (let t = 0; t < turns; t += 1) {
        const replied = at + 1000 + Math.floor(rand() * 7000);
        yield lifecycle(conversationId, replied, {
          case: 'turnCompleted',
          value: {
            turnId: randomUUID(),
            customerId,
            channel,
            intent,
            answerMode: rand() < 0.7 ? 'extractive' : 'template',
            grounded: true,
            durationMs: BigInt(replied - at),
            locale,
            tier,
            receivedAt: iso(at),
          },
        });
        at = replied + 20_000 + Math.floor(rand() * 120_000);
      }
      if (handedOff) yield* workTicket(at);
      if (rand() < 0.3 && at < end) {
        yield lifecycle(conversationId, at + 30_000, {
          case: 'rated',
          value: {
            customerId,
            channel,
            rating: pick(rand, [
              [5, 45],
              [4, 25],
              [3, 12],
              [2, 8],
              [1, 10],
            ]),
            hasComment: rand() < 0.2,
          },
        });
      }

      function* workTicket(handoffAt: number): Generator<SimulatedEvent> {
        yield lifecycle(conversationId, handoffAt, {
          case: 'handoffRequested',
          value: {
            turnId: randomUUID(),
            customerId,
            channel,
            reason: intent === 'talk_to_human' ? 'customer_asked' : 'no_answer',
            summary: '',
            locale,
            intent,
            tier,
          },
        });
        const ticketId = randomUUID();
        const priority = tier === 'vip' ? 'high' : 'normal';
        const created = handoffAt + 500;
        const due = created + (priority === 'high' ? 1 : 4) * HOUR_MS;
        const department = locale.startsWith('zh') ? 'support-zh' : ORDER_INTENTS.includes(intent) ? 'orders' : 'customer-support';
        yield ticket(ticketId, created, {
          case: 'created',
          value: { conversationId, customerId, department, priority, reason: 'no_answer', dueAt: iso(due), intent, locale, channel, tier },
        });
        const agent = AGENTS[Math.floor(rand() * AGENTS.length)];
        const claimed = created + 30_000 + Math.floor(rand() * 20 * 60_000);
        if (claimed >= end) return;
        yield ticket(ticketId, claimed, { case: 'assigned', value: { agentId: agent } });
        yield lifecycle(conversationId, claimed + 60_000, { case: 'agentReplied', value: { agentId: agent, customerId, channel } });
        // Most are resolved within the SLA; some late; a few not yet.
        const resolved = rand() < 0.85 ? claimed + Math.floor(rand() * Math.max(0, due - claimed)) : due + Math.floor(rand() * 6 * HOUR_MS);
        if (resolved >= end || rand() < 0.05) return;
        yield ticket(ticketId, resolved, { case: 'resolved', value: { agentId: agent } });
        if (rand() < 0.06 && resolved + 2 * HOUR_MS < end) {
          yield ticket(ticketId, resolved + HOUR_MS, { case: 'statusChanged', value: { from: 'resolved', to: 'open', agentId: agent } });
          yield ticket(ticketId, resolved + 2 * HOUR_MS, { case: 'resolved', value: { agentId: agent } });
        }
      }
    }
  }
}
