// The order tasks as replies: what the customer sees for each outcome of checking, cancelling,
// returning or exchanging an order.
import type { BotReply } from '../conversations/conversation.repository';
import { phrasebook, type Language } from '../turns/replies';
import { noteTried, type ActionIntent, type DialogueState } from './dialogue-state';
import {
  meansSeveral,
  narrowsAction,
  OrderActionTask,
  type ActionOutcome,
  type AutonomyCheck,
  type PreparedAction,
} from './order-action.task';
import { collectsItems } from './order-flows';
import { OrderStatusTask, type TaskOutcome } from './order-status.task';
import type { OrderTools } from './order-tools';
import type { ChannelIdentity } from './customer-identity';

const template = (text: string): BotReply => ({ text, mode: 'template', grounded: false, sources: [] });

/** A reply that also asks a person to approve the action the customer confirmed. */
export type ReplyWithApproval = BotReply & { approval?: PreparedAction };

function fromOrder(text: string, orderId: string, status: string): BotReply {
  // The order system is the source: the reply cites the order it read.
  return {
    text,
    mode: 'tool',
    grounded: true,
    sources: [{ passageId: `order:${orderId}`, title: `Order ${orderId}`, documentId: '', snippet: `status: ${status}`, score: 1 }],
  };
}

export class OrderTasks {
  constructor(
    private readonly tools: OrderTools,
    private readonly language: Language,
    private readonly channel: ChannelIdentity,
  ) {}

  async status(state: DialogueState): Promise<BotReply> {
    const outcome: TaskOutcome = await new OrderStatusTask(this.tools, this.language).run(state);
    return outcome.kind === 'answer' ? fromOrder(outcome.text, outcome.orderId, outcome.status) : template(outcome.text);
  }

  async act(state: DialogueState, intent: ActionIntent, text: string, raw = text, adding = false): Promise<BotReply> {
    return this.reply(await new OrderActionTask(this.tools, this.language, this.channel).run(state, intent, text, raw, adding));
  }

  /** The customer said yes: act, unless the yes is to part of it ("yes, just the blue pair"), which is spelt out again. */
  async execute(state: DialogueState, autonomy?: AutonomyCheck, text = '', raw = text): Promise<ReplyWithApproval> {
    const task = new OrderActionTask(this.tools, this.language, this.channel);
    // "Yes, both of them" to one item spelt out: an item was missed; nothing is done on part of it.
    if (state.action && collectsItems(state.action.intent) && state.action.itemIds?.length === 1 && meansSeveral(text)) {
      const reasked = await task.reaskItems(state);
      if (reasked) return this.reply(reasked);
    }
    if (state.action && collectsItems(state.action.intent) && narrowsAction(text)) {
      const narrowed = await task.narrow(state, text, raw);
      if (narrowed) return this.reply(narrowed);
    }
    const outcome = await task.execute(state, autonomy);
    return outcome.kind === 'approval' ? { ...template(outcome.text), approval: outcome.request } : this.reply(outcome);
  }

  decline(state: DialogueState): BotReply {
    if (state.action?.operation) noteTried(state, `offered ${state.action.operation} on ${state.action.orderId}; the customer declined`);
    state.action = undefined;
    state.awaiting = undefined;
    // Another request of the customer's follows at once: no "anything else?" before it.
    const say = phrasebook(this.language);
    return template(state.requests?.length ? say.declinedThat : say.declined);
  }

  private reply(outcome: ActionOutcome): BotReply {
    return outcome.kind === 'done' && outcome.orderId ? fromOrder(outcome.text, outcome.orderId, outcome.status) : template(outcome.text);
  }
}
