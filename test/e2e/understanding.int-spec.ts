// Understanding across turns, through the public gRPC API and every service: intents, slots filled
// over several turns without asking twice, references to "the other one" and "the first order", clarifying questions,
// hand-off on repeated confusion or frustration, and a tenant's own intent examples hot-reloaded.
import { randomUUID } from 'node:crypto';
import { Topics, type ConversationLifecycleEvent } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

// A real customer in the tau-retail reference data, with exactly two orders.
const YARA = { email: 'yara.li6570@example.com', orders: ['#W2497857', '#W3400144'] };

describe('understanding a customer across turns', () => {
  let t: TestStack;
  let observer: { close: () => Promise<void> };
  const lifecycle: ConversationLifecycleEvent[] = [];

  beforeAll(async () => {
    t = await startTestStack();
    await t.ingestRetailPolicy();
    const events = await connectTestBus('e2e-observer', t.namespace);
    await events.bus.subscribe(Topics.conversationEvents, async ({ message }) => {
      lifecycle.push(message);
    });
    observer = events;
  }, 180_000);

  afterAll(async () => {
    await observer?.close();
    await t?.close();
  });

  const say = (conversationId: string | undefined, text: string) => t.say(`cust-nlu-${RUN}`, conversationId, text);

  it('fills an order-status request over five turns without asking for anything twice', async () => {
    const asksForEmail = (text: string) => /email/i.test(text) && /\?|need/i.test(text);
    const asksForOrder = (text: string) => /which order|order number/i.test(text);

    const first = await say(undefined, 'Hi, where is my order?');
    const c = first.conversationId;
    expect(asksForEmail(first.reply.text)).toBe(true);

    // Identity first; the CRM then knows her two orders, so the bot offers them.
    const second = await say(c, `my email is ${YARA.email}`);
    expect(asksForOrder(second.reply.text)).toBe(true);
    for (const order of YARA.orders) expect(second.reply.text).toContain(order);

    const third = await say(c, `It's ${YARA.orders[0]}`);
    expect(third.reply.text).toContain(`Order ${YARA.orders[0]} is delivered`);
    expect(third.reply.mode).toBe('tool');
    expect(third.reply.sources[0].title).toBe(`Order ${YARA.orders[0]}`);

    const fourth = await say(c, 'what about the other one?');
    expect(fourth.reply.text).toContain(`Order ${YARA.orders[1]} is processed`);

    // Misspelt, and about the order in focus: answered straight away.
    const fifth = await say(c, 'wher is my ordr now??');
    expect(fifth.reply.text).toContain(`Order ${YARA.orders[1]} is processed`);

    const replies = [first, second, third, fourth, fifth].map((turn) => turn.reply.text);
    expect(replies.filter(asksForEmail)).toHaveLength(1);
    expect(replies.filter(asksForOrder)).toHaveLength(1);
    // The email reached the order system but never a log.
    expect(t.logs()).not.toContain(YARA.email);

    // Her next conversation starts from what the CRM established: she is not asked who she is again.
    const later = await say(undefined, 'Hi, where is my order?');
    expect(later.conversationId).not.toBe(c);
    expect(later.reply.text).toBe(`Which order do you mean: ${YARA.orders.join(' or ')}?`);
  });

  // The demo's story: after "the other one" the focus is the second order, and "the first order"
  // must bring it back, so the person taking over reads about the order the customer means.
  it.each([
    [
      'en',
      [
        'Hi! Where is my order?',
        `It's ${YARA.email}`,
        YARA.orders[0],
        'And what about the other one?',
        'The luggage set from the first order is too small. How do returns work?',
        'Can I talk to a human agent please?',
      ],
    ],
    [
      'zh',
      [
        '你好，我的订单到哪了？',
        `我的邮箱是 ${YARA.email}`,
        YARA.orders[0],
        '另一个呢？',
        '第一个订单里的行李箱太小了，怎么退货？',
        '我要转人工',
      ],
    ],
  ])('hands off naming the order "the first order" refers to (%s)', async (language, script) => {
    const customer = `cust-ref-${language}-${RUN}`;
    let c: string | undefined;
    for (const text of script) c = (await t.say(customer, c, text)).conversationId;
    const ticket = await waitFor(
      async () => (await t.db.query('select id, summary from ticketing.tickets where conversation_id = $1', [c])).rows[0],
      'a ticket for the hand-off',
    );
    expect(t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id)).toContain(`Order: ${YARA.orders[0]}.`);
  });

  it('asks a clarifying question when unsure, and hands off when it stays unsure', async () => {
    const first = await say(undefined, "What's the weather like in Paris tomorrow?");
    expect(first.reply.grounded).toBe(false);
    expect(first.reply.text).toMatch(/couldn't find an answer.*Are you asking about/);
    expect(first.handoff).toBeUndefined();

    const second = await say(first.conversationId, 'Tell me a joke about penguins and submarines');
    expect(second.handoff?.reason).toBe('low_confidence');
    const ticket = await waitFor(
      async () =>
        (await t.db.query('select id, reason, summary from ticketing.tickets where conversation_id = $1', [first.conversationId])).rows[0],
      'a ticket for the hand-off',
    );
    ticket.summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id);
    expect(ticket.summary).toMatch(/low confidence/);
  });

  it('hands an angry customer to a person early, saying so in the ticket', async () => {
    const turn = await say(
      undefined,
      'This is RIDICULOUS!!! Third time I am asking and your service is the worst, absolutely unacceptable!',
    );
    expect(turn.handoff?.reason).toBe('frustration');
    const ticket = await waitFor(
      async () => (await t.db.query('select id, summary from ticketing.tickets where conversation_id = $1', [turn.conversationId])).rows[0],
      'a ticket for the hand-off',
    );
    ticket.summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id);
    expect(ticket.summary).toMatch(/Frustration 0\.\d\d/);
  });

  it("uses a tenant's own intent examples as soon as they are uploaded, and rejects a bad file naming the row", async () => {
    const intentOf = async (text: string) => {
      const turn = await say(undefined, text);
      const done = await waitFor(
        () => lifecycle.find((e) => e.conversationId === turn.conversationId && e.kind.case === 'turnCompleted'),
        'the turn outcome',
      );
      return (done.kind.value as { intent: string }).intent;
    };
    const question = 'Are you open on Sunday mornings?';
    expect(await intentOf(question)).not.toBe('store_hours');

    const bad = await t.rest('PUT', '/v1/intents', {
      key: t.apiKey,
      json: { csv: 'text,label\nwhere is my parcel,order_status\n,cancel_order\n' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/row 3/i);

    const rows = [
      ...[
        'where is my parcel',
        'track my order',
        'has my order shipped',
        'when will my package arrive',
        'order status please',
        'where is my stuff',
      ].map((text) => `${text},order_status`),
      ...[
        'let me talk to the boss',
        'I want the manager',
        'get me your supervisor',
        'I demand a real person',
        'put a human on',
        'I need to see someone in charge',
      ].map((text) => `${text},talk_to_human`),
      ...[
        'what are your opening hours',
        'when do you open',
        'are you open on saturday',
        'what time do you close',
        'store hours',
        'opening times on weekends',
      ].map((text) => `${text},store_hours`),
    ];
    const put = await t.rest('PUT', '/v1/intents', { key: t.apiKey, json: { csv: `text,label\n${rows.join('\n')}\n` } });
    expect(put.status).toBe(200);
    expect(put.body.labels).toEqual(['order_status', 'store_hours', 'talk_to_human']);
    const listed = await t.rest('GET', '/v1/intents', { key: t.apiKey });
    expect(listed.body.builtIn).toBe(false);
    expect(listed.body.examples).toBe(rows.length);

    await waitFor(async () => (await intentOf(question)) === 'store_hours', 'the uploaded examples to be used', 30_000, 500);
  });
});
