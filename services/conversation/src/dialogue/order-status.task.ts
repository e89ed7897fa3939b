// The order-status task: establish who the customer is, which order they mean, then read it from
// the order system. Each turn it asks only for what is still missing: never for something the
// customer already said in this conversation or the CRM already knows.
import { phrasebook, type Language } from '../turns/replies';
import { chooseOrder, identify, type Question } from './customer-identity';
import { focusOrder, noteTried, type DialogueState } from './dialogue-state';
import type { OrderDetails, OrderTools } from './order-tools';

export type { OrderTools, ToolOutcome } from './order-tools';

export type TaskOutcome = Question | { kind: 'answer'; text: string; orderId: string; status: string };

const STATUS_ZH: Record<string, string> = {
  pending: '待处理',
  processed: '已处理',
  delivered: '已送达',
  cancelled: '已取消',
  'return requested': '已申请退货',
  'exchange requested': '已申请换货',
  'pending (item modified)': '待处理（已修改商品）',
};

export function statusText(status: string, language: Language): string {
  return language === 'zh' ? (STATUS_ZH[status] ?? status) : status;
}

export class OrderStatusTask {
  constructor(
    private readonly tools: OrderTools,
    private readonly language: Language,
  ) {}

  async run(state: DialogueState): Promise<TaskOutcome> {
    const question = await identify(state, this.tools, this.language);
    if (question) return question;
    const orderId = chooseOrder(state, this.language);
    if (typeof orderId !== 'string') return orderId;

    const details = await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId);
    if (!details.ok) {
      delete state.slots.order_id;
      state.awaiting = { kind: 'slots', slots: ['order_id'] };
      return { kind: 'retry', text: phrasebook(this.language).notYourOrder(orderId) };
    }
    const order = details.result as OrderDetails;
    focusOrder(state, orderId);
    state.awaiting = undefined;
    noteTried(state, `looked up order ${orderId} (${order.status})`);
    const items = [...new Set((order.items ?? []).map((i) => i.name))];
    const tracking = (order.fulfillments ?? []).flatMap((f) => f.tracking_id ?? []);
    return {
      kind: 'answer',
      text: phrasebook(this.language).orderStatus(orderId, statusText(order.status, this.language), items, tracking),
      orderId,
      status: order.status,
    };
  }
}
