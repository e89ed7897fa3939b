// The order-status task: establish who the customer is (email, or name and zip), which order they
// mean, then read it from the order system. Each turn it asks only for what is still missing:
// never for something the customer already said in this conversation or the CRM already knows.
import type { DialogueState, SlotName } from './dialogue-state';
import { focusOrder } from './dialogue-state';
import { phrasebook, slotWords, type Language } from '../turns/replies';

export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** The order system's operations (integration.tool.v1); transport failures throw. */
export interface OrderTools {
  call(operation: string, args: Record<string, unknown>, verifiedUserId?: string): Promise<ToolOutcome>;
}

export type TaskOutcome =
  | { kind: 'ask'; slots: SlotName[]; text: string }
  | { kind: 'answer'; text: string; orderId: string; status: string }
  | { kind: 'retry'; text: string };

interface UserDetails {
  name?: { first_name?: string };
  orders?: string[];
}

interface OrderDetails {
  order_id: string;
  status: string;
  items?: Array<{ name: string }>;
  fulfillments?: Array<{ tracking_id?: string[] }>;
}

const STATUS_ZH: Record<string, string> = {
  pending: '待处理', processed: '已处理', delivered: '已送达', cancelled: '已取消',
  'return requested': '已申请退货', 'exchange requested': '已申请换货', 'pending (item modified)': '待处理（已修改商品）',
};

export class OrderStatusTask {
  constructor(private readonly tools: OrderTools, private readonly language: Language) {}

  async run(state: DialogueState): Promise<TaskOutcome> {
    const say = phrasebook(this.language);
    if (!state.verifiedUserId) {
      const verified = await this.verify(state);
      if (verified === 'unknown') {
        state.awaiting = { kind: 'slots', slots: [this.missingIdentity(state)] };
        return { kind: 'retry', text: say.unknownAccount };
      }
    }
    if (!state.slots.order_id && state.verifiedUserId && state.knownOrderIds.length === 1) focusOrder(state, state.knownOrderIds[0]);

    // One question at a time, identity first (the policy's order): a customer who answers it is
    // never asked it again, and the CRM may answer the next one (a customer with one order).
    const next: SlotName | undefined = !state.verifiedUserId ? this.missingIdentity(state) : state.slots.order_id ? undefined : 'order_id';
    if (next) {
      state.awaiting = { kind: 'slots', slots: [next] };
      if (!state.asked.includes(next)) state.asked.push(next);
      const oneOf = next === 'order_id' && state.knownOrderIds.length > 1;
      return { kind: 'ask', slots: [next], text: oneOf ? say.askOneOf(state.knownOrderIds) : say.ask(slotWords(this.language, [next])) };
    }

    const orderId = state.slots.order_id!;
    const details = state.knownOrderIds.includes(orderId) ? await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId) : undefined;
    if (!details?.ok) {
      delete state.slots.order_id;
      state.awaiting = { kind: 'slots', slots: ['order_id'] };
      return { kind: 'retry', text: say.notYourOrder(orderId) };
    }
    const order = details.result as OrderDetails;
    focusOrder(state, orderId);
    state.awaiting = undefined;
    const status = this.language === 'zh' ? (STATUS_ZH[order.status] ?? order.status) : order.status;
    const items = [...new Set((order.items ?? []).map((i) => i.name))];
    const tracking = (order.fulfillments ?? []).flatMap((f) => f.tracking_id ?? []);
    return { kind: 'answer', text: say.orderStatus(orderId, status, items, tracking), orderId, status: order.status };
  }

  /** What identity detail to ask for: someone who began with name and zip finishes with them. */
  private missingIdentity(state: DialogueState): SlotName {
    if (state.slots.name && !state.slots.zip) return 'zip';
    if (state.slots.zip && !state.slots.name) return 'name';
    return 'email';
  }

  /** Finds the customer's account from what they gave; remembers it and their orders. */
  private async verify(state: DialogueState): Promise<'verified' | 'unknown' | 'incomplete'> {
    let found: ToolOutcome | undefined;
    if (state.slots.email) {
      found = await this.tools.call('find_user_id_by_email', { email: state.slots.email });
      if (!found.ok) delete state.slots.email;
    } else if (state.slots.name && state.slots.zip) {
      const [firstName, ...rest] = state.slots.name.split(/\s+/);
      found = await this.tools.call('find_user_id_by_name_zip', { first_name: firstName, last_name: rest.join(' '), zip: state.slots.zip });
      if (!found.ok) {
        delete state.slots.name;
        delete state.slots.zip;
      }
    }
    if (!found) return 'incomplete';
    if (!found.ok) return 'unknown';
    const userId = typeof found.result === 'string' ? found.result : String((found.result as { user_id?: string }).user_id ?? '');
    const details = await this.tools.call('get_user_details', { user_id: userId }, userId);
    if (!details.ok) return 'unknown';
    const user = details.result as UserDetails;
    state.verifiedUserId = userId;
    state.firstName = user.name?.first_name;
    state.knownOrderIds = user.orders ?? [];
    return 'verified';
  }
}
