// The order-status task's questions and answers, against order data shaped like the reference CRM.
import { emptyState, remember, RECENT_TURNS, handoffSummary } from './dialogue-state';
import { otherOrder } from './order-reference';
import { OrderStatusTask, type OrderTools, type ToolOutcome } from './order-status.task';

const users: Record<string, { email: string; name: { first_name: string }; orders: string[] }> = {
  ann_1: { email: 'ann@example.com', name: { first_name: 'Ann' }, orders: ['#W1000001'] },
  bob_2: { email: 'bob@example.com', name: { first_name: 'Bob' }, orders: ['#W2000001', '#W2000002'] },
};
const orders: Record<
  string,
  { order_id: string; user_id: string; status: string; items: Array<{ name: string }>; fulfillments: Array<{ tracking_id: string[] }> }
> = {
  '#W1000001': {
    order_id: '#W1000001',
    user_id: 'ann_1',
    status: 'delivered',
    items: [{ name: 'Desk Lamp' }],
    fulfillments: [{ tracking_id: ['TRK1'] }],
  },
  '#W2000001': { order_id: '#W2000001', user_id: 'bob_2', status: 'pending', items: [{ name: 'Kettle' }], fulfillments: [] },
  '#W2000002': { order_id: '#W2000002', user_id: 'bob_2', status: 'processed', items: [{ name: 'Tent' }], fulfillments: [] },
};

/** Answers like the integration service: lookups open, details only for the verified owner. */
function tools(calls: string[]): OrderTools {
  return {
    async call(operation, args, verifiedUserId): Promise<ToolOutcome> {
      calls.push(operation);
      if (operation === 'find_user_id_by_email') {
        const found = Object.entries(users).find(([, u]) => u.email === args.email);
        return found ? { ok: true, result: found[0] } : { ok: false, error: 'Error: user not found' };
      }
      if (operation === 'get_customer_profile') {
        const user = users[String(args.user_id)];
        return verifiedUserId === args.user_id
          ? { ok: true, result: { first_name: user.name.first_name, tier: 'regular', orders: user.orders } }
          : { ok: false, error: 'identity not verified' };
      }
      if (operation === 'get_order_details') {
        const order = orders[String(args.order_id)];
        return order && order.user_id === verifiedUserId ? { ok: true, result: order } : { ok: false, error: 'Error: order not found' };
      }
      return { ok: false, error: `unknown operation ${operation}` };
    },
  };
}

describe('OrderStatusTask', () => {
  it('asks for the email first, then answers for a customer with one order without asking which', async () => {
    const calls: string[] = [];
    const state = emptyState();
    const task = new OrderStatusTask(tools(calls), 'en');
    const first = await task.run(state);
    expect(first).toMatchObject({ kind: 'ask', slots: ['email'] });
    expect(calls).toEqual([]);

    state.slots.email = 'ann@example.com';
    const second = await task.run(state);
    expect(second).toMatchObject({ kind: 'answer', orderId: '#W1000001', status: 'delivered' });
    expect((second as { text: string }).text).toBe('Order #W1000001 is delivered. It contains Desk Lamp. Tracking number: TRK1.');
    expect(state.verifiedUserId).toBe('ann_1');
    expect(state.asked).toEqual(['email']);
  });

  it('offers the customer their orders when there are several; "the other one" is then the one not in focus', async () => {
    const state = emptyState();
    state.slots.email = 'bob@example.com';
    const task = new OrderStatusTask(tools([]), 'en');
    expect(await task.run(state)).toMatchObject({
      kind: 'ask',
      slots: ['order_id'],
      text: 'Which order do you mean: #W2000001 or #W2000002?',
    });
    state.slots.order_id = '#W2000001';
    expect(await task.run(state)).toMatchObject({ kind: 'answer', orderId: '#W2000001' });
    expect(otherOrder(state)).toBe('#W2000002');
  });

  it("never reads another customer's order, and says so without revealing it", async () => {
    const state = emptyState();
    state.slots.email = 'ann@example.com';
    state.slots.order_id = '#W2000001';
    const outcome = await new OrderStatusTask(tools([]), 'en').run(state);
    expect(outcome).toMatchObject({ kind: 'retry' });
    expect((outcome as { text: string }).text).not.toMatch(/pending|Kettle/);
    expect(state.slots.order_id).toBeUndefined();
  });

  it('asks again for an email the CRM does not know, in Chinese when the customer writes Chinese', async () => {
    const state = emptyState();
    state.slots.email = 'nobody@example.com';
    const outcome = await new OrderStatusTask(tools([]), 'zh').run(state);
    expect(outcome).toMatchObject({ kind: 'retry' });
    expect((outcome as { text: string }).text).toMatch(/没有找到/);
    expect(state.awaiting).toEqual({ kind: 'slots', slots: ['email'] });
  });
});

describe('dialogue memory', () => {
  it('folds old turns into summary lines and writes a hand-off summary from redacted text', () => {
    const state = emptyState();
    for (let i = 0; i < RECENT_TURNS + 3; i += 1) remember(state, { role: i % 2 === 0 ? 'customer' : 'bot', text: `message ${i} [EMAIL]` });
    expect(state.recent).toHaveLength(RECENT_TURNS);
    expect(state.summary).toHaveLength(3);
    state.intent = 'order_status';
    state.lastOrderId = '#W1000001';
    const summary = handoffSummary(state, 'low_confidence');
    expect(summary).toContain('Customer: identity not verified.');
    expect(summary).toContain('Wants: order status.');
    expect(summary).toContain('Order: #W1000001.');
    expect(summary).toContain('Hand-off reason: low confidence.');
    expect(summary).toContain('[EMAIL]');
  });
});
