// Acting on orders through the public gRPC API, as the retail policy prescribes: the customer is
// verified, the action is spelt out, and nothing changes without an explicit "yes". The reference
// order system's database then holds exactly what the policy says.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run: Redis (shared by every run) remembers verified customers by id.
const RUN = randomUUID().slice(0, 8);

// Real customers in the tau-retail reference data.
const EMMA = { email: 'emma.brown5032@example.com', pending: '#W6460787', pendingPaid: 202.13 };
const YARA = { email: 'yara.li6570@example.com', delivered: '#W2497857', luggage: '9692325258', blueLuggage: '6301799585' };

describe('acting on orders in a conversation', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  const say = (conversationId: string | undefined, text: string) => t.say(`cust-orders-${RUN}`, conversationId, text);

  // The order system's records are encrypted at rest; read them the way the integration service does.
  const order = async (orderId: string) => {
    const { rows } = await t.db.query('select document from integration.orders where tenant_id = $1 and order_id = $2', [DEMO_TENANT, orderId]);
    return JSON.parse(t.plain(DEMO_TENANT, 'integration.orders.document', rows[0].document, orderId));
  };

  it('cancels a pending order only after the customer confirms, refunding what was paid', async () => {
    const first = await say(undefined, 'I want to cancel my order');
    const c = first.conversationId;
    expect(first.reply.text).toMatch(/email/i);

    // Her only pending order is chosen without asking; the reason is still needed.
    const second = await say(c, `it's ${EMMA.email}`);
    expect(second.reply.text).toMatch(/no longer need it, or it was ordered by mistake/);

    const third = await say(c, "I don't need it anymore");
    expect(third.reply.text).toContain(`cancel order ${EMMA.pending}`);
    expect(third.reply.text).toContain(`$${EMMA.pendingPaid.toFixed(2)}`);
    expect(third.reply.text).toMatch(/yes or no/);
    expect((await order(EMMA.pending)).status).toBe('pending');

    const done = await say(c, 'yes please');
    expect(done.reply.text).toContain(`Order ${EMMA.pending} is now cancelled`);
    expect(done.reply.mode).toBe('tool');
    const cancelled = await order(EMMA.pending);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancel_reason).toBe('no longer needed');
    const refunds = cancelled.payment_history.filter((p: { transaction_type: string }) => p.transaction_type === 'refund');
    expect(refunds).toEqual([expect.objectContaining({ amount: EMMA.pendingPaid, payment_method_id: 'paypal_9039769' })]);
  });

  it('exchanges a delivered item for the variant the customer names, and changes nothing on "no"', async () => {
    const first = await say(undefined, `My email is ${YARA.email}. I'd like to exchange the luggage set from my order ${YARA.delivered} for the blue one`);
    const c = first.conversationId;
    expect(first.reply.text).toMatch(/exchange the Luggage Set \(3-piece, black, softshell\).*for the Luggage Set \(3-piece, blue, softshell\)/);
    expect(first.reply.text).toMatch(/\$32\.76 back to you/);

    const declined = await say(c, 'no, wait');
    expect(declined.reply.text).toMatch(/haven't changed anything/);
    expect((await order(YARA.delivered)).status).toBe('delivered');

    const again = await say(c, 'Actually yes, I want to exchange the luggage set for the blue one');
    expect(again.reply.text).toMatch(/yes or no/);
    const done = await say(c, 'yes');
    expect(done.reply.text).toContain(`Order ${YARA.delivered} is now exchange requested`);
    const exchanged = await order(YARA.delivered);
    expect(exchanged.status).toBe('exchange requested');
    expect(exchanged.exchange_items).toEqual([YARA.luggage]);
    expect(exchanged.exchange_new_items).toEqual([YARA.blueLuggage]);
  });

  it("refuses to act on someone else's order and answers policy questions from the knowledge base", async () => {
    const before = await order(EMMA.pending);
    const first = await say(undefined, `I want to cancel my order ${EMMA.pending}, my email is ${YARA.email}`);
    expect(first.reply.text).toContain(`couldn't find order ${EMMA.pending} on your account`);
    expect(await order(EMMA.pending)).toEqual(before);
    const policy = await say(undefined, 'Can I cancel a pending order?');
    expect(policy.reply.text).not.toMatch(/email/i);
  });

  it('greets a recognised customer by name and queues a VIP hand-off first, with a summary an agent can act on', async () => {
    const first = await say(undefined, 'Where is my order? My email is olivia.jackson2465@example.com');
    expect(first.reply.text).toMatch(/^Thanks, Olivia\. Which order do you mean/);
    const status = await say(first.conversationId, '#W3895186');
    expect(status.reply.text).toContain('Order #W3895186 is delivered');
    const handoff = await say(first.conversationId, 'I want to talk to a human agent');
    expect(handoff.reply.text).toMatch(/support team/);
    const ticket = await waitFor(async () => (await t.db.query('select department, priority, summary from ticketing.tickets where conversation_id = $1', [first.conversationId])).rows[0], 'the ticket');
    ticket.summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary);
    expect(ticket.department).toBe('orders');
    expect(ticket.priority).toMatch(/high|urgent/);
    expect(ticket.summary).toContain('Customer: Olivia (user olivia_jackson_1219, vip), identity verified through the CRM.');
    expect(ticket.summary).toContain('Order: #W3895186.');
    expect(ticket.summary).toContain('Tried: looked up order #W3895186 (delivered).');
    expect(ticket.summary).not.toContain('olivia.jackson2465@example.com');
  });

  it('hands a VIP to a person on the first turn it cannot understand, where others get a clarifying question', async () => {
    // Same customer id as the test before: Olivia (vip) is recognised in this new conversation.
    const turn = await say(undefined, 'Tell me a joke about penguins and submarines');
    const ticket = await waitFor(async () => (await t.db.query('select reason, priority from ticketing.tickets where conversation_id = $1', [turn.conversationId])).rows[0], 'the VIP ticket');
    expect(ticket).toEqual({ reason: 'low_confidence', priority: expect.stringMatching(/high|urgent/) });
  });
});
