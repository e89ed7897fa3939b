// Cancelling a pending order, returning or exchanging delivered items, as the retail policy
// prescribes: verify the customer, pick an order the action applies to, gather the details (the
// reason; which items; what to exchange them for), then spell the action out and act only on an
// explicit "yes". The order system enforces the same rules again (identity, confirmation, status).
import { phrasebook, type Language } from '../turns/replies';
import { chooseOrder, identify, NO_CHANNEL_IDENTITY, verificationMethod, type ChannelIdentity, type Question } from './customer-identity';
import { focusOrder, noteTried, type ActionIntent, type DialogueState, type PendingAction } from './dialogue-state';
import type { OrderDetails, OrderItem, OrderTools, ProductDetails } from './order-tools';
import { statusText } from './order-status.task';

export type ActionOutcome = Question | { kind: 'confirm'; text: string } | { kind: 'done'; text: string; orderId: string; status: string } | { kind: 'refused'; text: string };

/** Which orders each action applies to (the policy's status rules). */
const ELIGIBLE_STATUS: Record<ActionIntent, string> = { cancel_order: 'pending', return_item: 'delivered', exchange_item: 'delivered' };
const ACTION_WORDS: Record<Language, Record<ActionIntent, string>> = {
  en: { cancel_order: 'cancelled', return_item: 'returned', exchange_item: 'exchanged' },
  zh: { cancel_order: '取消', return_item: '退货', exchange_item: '换货' },
};

const REQUEST = /\b(?:i want to|i'd like to|i would like to|i need to|please|can you|could you|help me|go ahead and)\b|\bmy\s+(?:order|orders|item|items|purchase|package|parcel)\b|帮我|我要|我想/i;
const HOW_TO = /\b(?:how (?:do|does|can|long|much)|what(?:'s| is| are)|policy|allowed|possible|is it|will i|do i)\b|怎么|如何|政策|能不能/i;

/** "Cancel my order" asks for the action; "Can I cancel a pending order?" asks about the policy. */
export function requestsAction(text: string): boolean {
  return REQUEST.test(text) && !HOW_TO.test(text);
}

export function isYes(text: string): boolean {
  return /^\s*(?:y|yes|yeah|yep|sure|ok(?:ay)?|go ahead|please do|confirm(?:ed)?|do it|correct)\b|^\s*(?:是|是的|好|好的|确认|可以|对)/i.test(text);
}

export function isNo(text: string): boolean {
  return /^\s*(?:n|no|nope|don'?t|do not|stop|never ?mind)\b|^\s*(?:不|否|不要|算了)/i.test(text);
}

const money = (amount: number) => `$${amount.toFixed(2)}`;

export class OrderActionTask {
  private readonly say;

  constructor(private readonly tools: OrderTools, private readonly language: Language, private readonly channel: ChannelIdentity = NO_CHANNEL_IDENTITY) {
    this.say = phrasebook(language);
  }

  /** The tenant's rule: no order change on knowledge-based proof alone. Checked again at "yes". */
  private lacksChannelIdentity(state: DialogueState): ActionOutcome | undefined {
    if (!this.channel.required || verificationMethod(state, this.channel) === 'channel') return undefined;
    noteTried(state, `${state.action?.intent?.replace(/_/g, ' ') ?? 'order change'} refused: the tenant requires a signed-in customer`);
    state.action = undefined;
    state.awaiting = undefined;
    return { kind: 'refused', text: this.say.needsChannelIdentity };
  }

  /** Moves the action forward with what this message said; asks for the next thing it needs. */
  async run(state: DialogueState, intent: ActionIntent, text: string): Promise<ActionOutcome> {
    if (state.action?.intent !== intent) state.action = { intent };
    const action = state.action;
    const question = await identify(state, this.tools, this.language);
    if (question) return question;
    const unproven = this.lacksChannelIdentity(state);
    if (unproven) return unproven;

    const order = await this.order(state, action);
    if ('kind' in order) return order;

    if (intent === 'cancel_order') {
      action.reason ??= reasonIn(text);
      if (!action.reason) return this.askDetail(state, 'reason', this.say.askReason);
      const items = (order.items ?? []).map((i) => i.name);
      const paid = (order.payment_history ?? []).filter((p) => p.transaction_type === 'payment').reduce((sum, p) => sum + p.amount, 0);
      return this.confirm(state, action, 'cancel_pending_order', { order_id: order.order_id, reason: action.reason }, this.say.confirmCancel(order.order_id, items, action.reason, money(paid)));
    }

    const items = order.items ?? [];
    action.itemIds ??= itemsIn(text, items);
    if (!action.itemIds?.length) return this.askDetail(state, 'items', this.say.askItems([...new Set(items.map((i) => i.name))]));
    const chosen = items.filter((i) => action.itemIds!.includes(i.item_id));
    action.paymentMethodId ??= order.payment_history?.find((p) => p.transaction_type === 'payment')?.payment_method_id;
    if (!action.paymentMethodId) return { kind: 'refused', text: this.say.refused('the order has no payment to refund to') };

    if (intent === 'return_item') {
      const amount = chosen.reduce((sum, i) => sum + i.price, 0);
      return this.confirm(state, action, 'return_delivered_order_items', { order_id: order.order_id, item_ids: action.itemIds, payment_method_id: action.paymentMethodId },
        this.say.confirmReturn(order.order_id, chosen.map((i) => i.name), money(amount)));
    }

    // Exchange: one new variant per item, same product, differing only in what the customer named.
    const newItems: Array<{ from: OrderItem; to: { item_id: string; options: Record<string, string>; price: number } }> = [];
    for (const item of chosen) {
      const product = await this.tools.call('get_product_details', { product_id: item.product_id }, state.verifiedUserId);
      if (!product.ok) return { kind: 'refused', text: this.say.refused(product.error) };
      const variants = Object.values((product.result as ProductDetails).variants).filter((v) => v.available && v.item_id !== item.item_id);
      const match = variantNamedIn(text, item, variants);
      if (!match) {
        const choices = variants.slice(0, 4).map((v) => Object.values(v.options).join(', '));
        return this.askDetail(state, 'new_items', this.say.askNewItem(item.name, choices));
      }
      newItems.push({ from: item, to: match });
    }
    action.newItemIds = newItems.map((n) => n.to.item_id);
    const difference = newItems.reduce((sum, n) => sum + n.to.price - n.from.price, 0);
    const differenceText = Math.abs(difference) < 0.005 ? '' : difference > 0 ? ` (you pay ${money(difference)} more)` : ` (${money(-difference)} back to you)`;
    const describe = (n: { options: Record<string, string> }, name: string) => `${name} (${Object.values(n.options).join(', ')})`;
    return this.confirm(state, action, 'exchange_delivered_order_items',
      { order_id: order.order_id, item_ids: action.itemIds, new_item_ids: action.newItemIds, payment_method_id: action.paymentMethodId },
      this.say.confirmExchange(order.order_id, newItems.map((n) => describe(n.from, n.from.name)).join(', '), newItems.map((n) => describe(n.to, n.from.name)).join(', '), differenceText));
  }

  /** The customer said yes: carry out the confirmed action. */
  async execute(state: DialogueState): Promise<ActionOutcome> {
    const unproven = this.lacksChannelIdentity(state);
    if (unproven) return unproven;
    const action = state.action;
    state.awaiting = undefined;
    state.action = undefined;
    if (!action?.operation || !action.args) return { kind: 'refused', text: this.say.declined };
    const result = await this.tools.call(action.operation, action.args, state.verifiedUserId, true);
    if (!result.ok) {
      noteTried(state, `${action.operation} on ${action.orderId} refused by the order system: ${result.error}`);
      return { kind: 'refused', text: this.say.refused(result.error) };
    }
    const order = result.result as OrderDetails;
    noteTried(state, `${action.operation} on ${order.order_id} done, now ${order.status}`);
    return { kind: 'done', text: this.say.done(order.order_id, statusText(order.status, this.language)), orderId: order.order_id, status: order.status };
  }

  private async order(state: DialogueState, action: PendingAction): Promise<OrderDetails | ActionOutcome> {
    const orderId = action.orderId ?? chooseOrder(state, this.language, state.slots.order_id ? undefined : await this.eligibleOrders(state, action.intent));
    if (typeof orderId !== 'string') return orderId;
    const details = await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId);
    if (!details.ok) return { kind: 'refused', text: this.say.refused(details.error) };
    const order = details.result as OrderDetails;
    focusOrder(state, orderId);
    if (order.status !== ELIGIBLE_STATUS[action.intent]) {
      noteTried(state, `${action.intent.replace(/_/g, ' ')} asked for order ${orderId}, which is ${order.status}: not allowed`);
      state.action = undefined;
      state.awaiting = undefined;
      return { kind: 'refused', text: this.say.notEligible(orderId, statusText(order.status, this.language), ACTION_WORDS[this.language][action.intent]) };
    }
    action.orderId = orderId;
    return order;
  }

  /** The customer's orders this action applies to; customers have few, so each is looked up. */
  private async eligibleOrders(state: DialogueState, intent: ActionIntent): Promise<string[]> {
    const eligible: string[] = [];
    for (const orderId of state.knownOrderIds) {
      const details = await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId);
      if (details.ok && (details.result as OrderDetails).status === ELIGIBLE_STATUS[intent]) eligible.push(orderId);
    }
    // None eligible: offer them all, and the chosen one is explained as not eligible.
    return eligible.length > 0 ? eligible : state.knownOrderIds;
  }

  private askDetail(state: DialogueState, detail: 'reason' | 'items' | 'new_items', text: string): ActionOutcome {
    state.awaiting = { kind: 'detail', detail };
    return { kind: 'ask', slots: [], text };
  }

  private confirm(state: DialogueState, action: PendingAction, operation: string, args: Record<string, unknown>, text: string): ActionOutcome {
    action.operation = operation;
    action.args = args;
    state.awaiting = { kind: 'confirm' };
    return { kind: 'confirm', text };
  }
}

function reasonIn(text: string): string | undefined {
  if (/no longer need|don'?t need|do not need|not needed|changed my mind|不需要|不想要了|不要了/i.test(text)) return 'no longer needed';
  if (/by mistake|mistakenly|by accident|accidentally|wrong (?:item|order)|误下单|下错/i.test(text)) return 'ordered by mistake';
  return undefined;
}

/** The order's items the message names ("the watch", "the luggage set"), or all of them for "both"/"everything". */
function itemsIn(text: string, items: OrderItem[]): string[] | undefined {
  const lower = text.toLowerCase();
  if (items.length === 1) return [items[0].item_id];
  if (/\b(?:all|both|everything|whole order)\b|全部|都/.test(lower)) return items.map((i) => i.item_id);
  const named = items.filter((i) => {
    const words = i.name.toLowerCase().split(/[\s-]+/);
    return lower.includes(i.name.toLowerCase()) || lower.includes(words[words.length - 1]);
  });
  return named.length > 0 ? named.map((i) => i.item_id) : undefined;
}

/**
 * The variant the customer asked for: every option where it differs from what they have is named
 * in their message ("the blue one", "in silver with a silicone band"); fewest changes wins.
 */
function variantNamedIn<V extends { options: Record<string, string> }>(text: string, item: OrderItem, variants: V[]): V | undefined {
  const lower = text.toLowerCase();
  const mentioned = (value: string) => new RegExp(`(?:^|[^a-z0-9])${value.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^a-z0-9])`).test(lower);
  let best: { variant: V; changes: number } | undefined;
  for (const variant of variants) {
    const changed = Object.entries(variant.options).filter(([key, value]) => item.options[key] !== value);
    if (changed.length === 0 || !changed.every(([, value]) => mentioned(value))) continue;
    if (!best || changed.length < best.changes) best = { variant, changes: changed.length };
  }
  return best?.variant;
}
