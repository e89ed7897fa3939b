// Acting on orders through the public gRPC API, as the retail policy prescribes: the customer is
// verified, the action is spelt out, and nothing changes without an explicit "yes". The reference
// order system's database then holds exactly what the policy says.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

// Real customers in the tau-retail reference data.
const EMMA = { email: 'emma.brown5032@example.com', pending: '#W6460787', pendingPaid: 202.13 };
const YARA = { email: 'yara.li6570@example.com', delivered: '#W2497857', luggage: '9692325258', blueLuggage: '6301799585' };
// Desk Lamp (white, medium, USB) in a delivered order; PayPal or a Visa card for a difference.
const HARPER = {
  email: 'harper.brown3965@example.com',
  delivered: '#W1840144',
  lamp: '8384507844',
  silverLowBattery: '7453605304',
  pending: '#W2273069',
};
// Mechanical Keyboard and Smart Thermostat in one delivered order.
const YUSUF = {
  email: 'yusuf.rossi7301@example.com',
  delivered: '#W2378156',
  keyboard: '1151293680',
  thermostat: '4983901480',
  tactileWhiteFull: '3616838507',
  googleBlack: '7747408585',
};
// A Mastercard and a gift card: a refund may go to either.
const RAJ = {
  email: 'raj.sanchez2046@example.com',
  delivered: '#W7736708',
  notebook: '6574183535',
  puzzle: '1096508426',
  giftCard: 'gift_card_2259499',
};
// Two delivered orders, PayPal only.
const OMAR = {
  email: 'omar.lopez1868@example.com',
  first: '#W7273336',
  petBed: '6857426243',
  second: '#W1764038',
  teaKettle: '4238115171',
};
// One pending order each, PayPal and a Visa card.
const EVELYN = {
  email: 'evelyn.ito2168@example.com',
  pending: '#W6207110',
  speaker: '5650803029',
  redSpeaker: '1052700637',
  paypal: 'paypal_5377635',
};
// A pending and a delivered order each, one card; both asked for in one message.
const LIAM = { email: 'liam.li2557@example.com', pending: '#W9653558', delivered: '#W8512927', skateboard: '5120532699' };
const AVA = { email: 'ava.kovacs4827@example.com', pending: '#W4184032' };
// Two fleece jackets (navy XL, black L) in one delivered order.
const SOFIA = { email: 'sofia.li5953@example.com', delivered: '#W6874763', blackJacket: '9385662952' };
// One pending order, paid by gift card.
const MEI = { email: 'mei.wilson5728@example.com', pending: '#W4498118' };
const EMMA_ITO = { email: 'emma.ito3790@example.com', pending: '#W8664580', visa: 'credit_card_8058445', paypal: 'paypal_9995021' };

describe('acting on orders in a conversation', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  const say = (conversationId: string | undefined, text: string) => t.say(`cust-orders-${RUN}`, conversationId, text);
  // A customer id of its own per test below: the gateway allows one customer 30 messages a minute.
  const customer = (who: string) => (conversationId: string | undefined, text: string) => t.say(`cust-${who}-${RUN}`, conversationId, text);

  // The order system's records are encrypted at rest; read them the way the integration service does.
  const order = async (orderId: string) => {
    const { rows } = await t.db.query('select document from integration.orders where tenant_id = $1 and order_id = $2', [
      DEMO_TENANT,
      orderId,
    ]);
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
    const first = await say(
      undefined,
      `My email is ${YARA.email}. I'd like to exchange the luggage set from my order ${YARA.delivered} for the blue one`,
    );
    const c = first.conversationId;
    expect(first.reply.text).toMatch(
      /exchange the Luggage Set \(3-piece, black, softshell\).*for the Luggage Set \(3-piece, blue, softshell\)/,
    );
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

  const user = async (userId: string) => {
    const { rows } = await t.db.query('select document from integration.users where tenant_id = $1 and user_id = $2', [
      DEMO_TENANT,
      userId,
    ]);
    return JSON.parse(t.plain(DEMO_TENANT, 'integration.users.document', rows[0].document, userId));
  };

  it('matches every option the customer names, says so when nothing matches exactly, and lists every variant when asked', async () => {
    const say = customer('lamp');
    const first = await say(
      undefined,
      `My email is ${HARPER.email}. I'd like to exchange the desk lamp from order ${HARPER.delivered} for a black, low, battery one`,
    );
    const c = first.conversationId;
    // No available lamp is black, low and battery: no substitute is confirmed, the closest are offered.
    expect(first.reply.text).toMatch(/There is no Desk Lamp in black, low, battery/);
    expect(first.reply.text).not.toMatch(/To confirm/);
    expect(first.reply.text).toContain('black, low, USB');

    const all = await say(c, 'which ones are available?');
    for (const variant of [
      'white, high, USB',
      'black, high, AC adapter',
      'black, medium, AC adapter',
      'silver, medium, USB',
      'black, medium, USB',
      'silver, low, AC adapter',
      'silver, low, battery',
      'black, low, USB',
    ]) {
      expect(all.reply.text).toContain(variant);
    }

    const exact = await say(c, 'silver, low, battery please');
    expect(exact.reply.text).toMatch(/PayPal or Visa credit card ending 3356/);
    const confirm = await say(c, 'PayPal');
    expect(confirm.reply.text).toContain('for the Desk Lamp (silver, low, battery) (you pay $12.07 more, charged to your PayPal)');
    await say(c, 'yes');
    const exchanged = await order(HARPER.delivered);
    expect(exchanged.exchange_new_items).toEqual([HARPER.silverLowBattery]);
    expect(exchanged.exchange_payment_method_id).toBe('paypal_2306935');
  });

  it('collects the replacement of each of two items once and confirms both together', async () => {
    const say = customer('two-items');
    const first = await say(
      undefined,
      `My email is ${YUSUF.email}. I want to exchange the mechanical keyboard and the smart thermostat from order ${YUSUF.delivered}`,
    );
    const c = first.conversationId;
    expect(first.reply.text).toMatch(/instead of the Mechanical Keyboard/);
    const second = await say(c, 'tactile switches, white backlight, full size');
    expect(second.reply.text).toMatch(/instead of the Smart Thermostat/);
    const confirm = await say(c, 'Google Assistant please');
    expect(confirm.reply.text).toContain(
      'exchange the Mechanical Keyboard (linear, RGB, full size), Smart Thermostat (Apple HomeKit, black)',
    );
    expect(confirm.reply.text).toContain(
      'for the Mechanical Keyboard (tactile, white, full size), Smart Thermostat (Google Assistant, black)',
    );
    await say(c, 'yes');
    const exchanged = await order(YUSUF.delivered);
    expect(exchanged.status).toBe('exchange requested');
    expect(exchanged.exchange_items).toEqual([YUSUF.keyboard, YUSUF.thermostat].sort());
    expect(exchanged.exchange_new_items).toEqual([YUSUF.tactileWhiteFull, YUSUF.googleBlack].sort());
  });

  it('asks where a refund goes when the customer holds a gift card, spells it out, and takes one more item before the yes', async () => {
    const say = customer('refund');
    const first = await say(undefined, `I want to return the notebook from order ${RAJ.delivered}, my email is ${RAJ.email}`);
    const c = first.conversationId;
    expect(first.reply.text).toMatch(
      /Where should the refund go: the original payment method \(Mastercard credit card ending 2130\) or gift card \(balance \$30\.00\)\?/,
    );
    const confirm = await say(c, 'to my gift card please');
    expect(confirm.reply.text).toMatch(/return Notebook from order #W7736708\. \$28\.14 will be refunded to your gift card/);
    const both = await say(c, 'also the jigsaw puzzle');
    expect(both.reply.text).toMatch(/return Notebook and Jigsaw Puzzle from order #W7736708\. \$74\.27 will be refunded to your gift card/);
    await say(c, 'yes');
    const returned = await order(RAJ.delivered);
    expect(returned.status).toBe('return requested');
    expect(returned.return_items).toEqual([RAJ.notebook, RAJ.puzzle].sort());
    expect(returned.return_payment_method_id).toBe(RAJ.giftCard);
  });

  it('takes a second return in the same conversation to the order that holds the item', async () => {
    const say = customer('second-return');
    const first = await say(undefined, `My email is ${OMAR.email}. I want to return the pet bed from order ${OMAR.first}`);
    const c = first.conversationId;
    expect(first.reply.text).toMatch(/return Pet Bed from order #W7273336/);
    await say(c, 'yes');
    const second = await say(c, 'I want to return the tea kettle too');
    expect(second.reply.text).toMatch(/return Tea Kettle from order #W1764038/);
    await say(c, 'yes');
    expect((await order(OMAR.first)).return_items).toEqual([OMAR.petBed]);
    expect(await order(OMAR.second)).toMatchObject({
      status: 'return requested',
      return_items: [OMAR.teaKettle],
      return_payment_method_id: 'paypal_1530316',
    });
  });

  it("changes a pending order's items, its address and its payment method, and the default address, each after a yes", async () => {
    const say = customer('new-operations');
    const items = await say(
      undefined,
      `My email is ${EVELYN.email}. I want to change the bluetooth speaker in my pending order to the red one`,
    );
    expect(items.reply.text).toMatch(/PayPal or Visa credit card ending 5896/);
    const itemsConfirm = await say(items.conversationId, 'back to my paypal');
    expect(itemsConfirm.reply.text).toContain(
      `in pending order ${EVELYN.pending}, change the Bluetooth Speaker (black, 20 hours, no) to the Bluetooth Speaker (red, 20 hours, no) ($38.82 back to you, to your PayPal)`,
    );
    expect(itemsConfirm.reply.text).toMatch(/only once/);
    await say(items.conversationId, 'yes');
    const modified = await order(EVELYN.pending);
    expect(modified.status).toBe('pending (item modified)');
    expect(modified.items.map((i: { item_id: string }) => i.item_id)).toContain(EVELYN.redSpeaker);
    expect(modified.payment_history.at(-1)).toEqual({ transaction_type: 'refund', amount: 38.82, payment_method_id: EVELYN.paypal });

    const address = await say(undefined, `My email is ${HARPER.email}. Please change the shipping address of my order ${HARPER.pending}`);
    expect(address.reply.text).toMatch(/new address/);
    const addressConfirm = await say(address.conversationId, 'It should go to 12 Oak Road, Apt 3, Springfield, IL 62701');
    expect(addressConfirm.reply.text).toContain(`ship order ${HARPER.pending} to 12 Oak Road, Apt 3, Springfield, IL 62701, USA`);
    await say(address.conversationId, 'yes');
    expect((await order(HARPER.pending)).address).toEqual({
      address1: '12 Oak Road',
      address2: 'Apt 3',
      city: 'Springfield',
      state: 'IL',
      country: 'USA',
      zip: '62701',
    });

    const payment = await say(undefined, `My email is ${EMMA_ITO.email}. I'd like to change the payment method of my order`);
    expect(payment.reply.text).toContain(
      `pay order ${EMMA_ITO.pending} ($54.04) with your Visa credit card ending 3660 instead of your PayPal`,
    );
    await say(payment.conversationId, 'yes');
    expect((await order(EMMA_ITO.pending)).payment_history).toEqual([
      { transaction_type: 'payment', amount: 54.04, payment_method_id: EMMA_ITO.paypal },
      { transaction_type: 'payment', amount: 54.04, payment_method_id: EMMA_ITO.visa },
      { transaction_type: 'refund', amount: 54.04, payment_method_id: EMMA_ITO.paypal },
    ]);

    const home = await say(undefined, `My email is ${OMAR.email}. Please update the default address on my account`);
    const homeConfirm = await say(home.conversationId, '500 Pine Street, Suite 20, Portland, OR 97201, USA');
    expect(homeConfirm.reply.text).toContain(
      'change the default address on your account to 500 Pine Street, Suite 20, Portland, OR 97201, USA',
    );
    await say(home.conversationId, 'yes');
    expect((await user('omar_lopez_3107')).address).toEqual({
      address1: '500 Pine Street',
      address2: 'Suite 20',
      city: 'Portland',
      state: 'OR',
      country: 'USA',
      zip: '97201',
    });
  });

  it('does the same in Chinese: the default address, with the change spelt out before the yes', async () => {
    const say = customer('zh');
    const first = await say(undefined, `我想修改账户的默认地址，我的邮箱是 ${YUSUF.email}`);
    expect(first.reply.text).toMatch(/新地址/);
    const confirm = await say(first.conversationId, '新地址是 88 Lake Ave, Madison, WI 53703');
    expect(confirm.reply.text).toContain('请确认：将您账户的默认地址改为 88 Lake Ave, Madison, WI 53703, USA');
    const done = await say(first.conversationId, '是的');
    expect(done.reply.text).toMatch(/已办理/);
    expect((await user('yusuf_rossi_9620')).address).toEqual({
      address1: '88 Lake Ave',
      address2: '',
      city: 'Madison',
      state: 'WI',
      country: 'USA',
      zip: '53703',
    });
  });

  it('carries out two requests of one message one after the other, each after its own yes, without being asked twice', async () => {
    const say = customer('two-requests');
    const first = await say(
      undefined,
      `My email is ${LIAM.email}. Please cancel order ${LIAM.pending}, I ordered it by mistake, and return the skateboard from order ${LIAM.delivered}.`,
    );
    const c = first.conversationId;
    expect(first.reply.text).toMatch(new RegExp(`To confirm: cancel order ${LIAM.pending}.*ordered by mistake`));
    expect(first.reply.text).not.toMatch(/return/i);
    const next = await say(c, 'yes');
    expect(next.reply.text).toMatch(new RegExp(`^Done\\. Order ${LIAM.pending} is now cancelled`));
    expect(next.reply.text).toMatch(
      new RegExp(`You also asked me to return items\\. To confirm: return Skateboard from order ${LIAM.delivered}`),
    );
    await say(c, 'yes');
    expect((await order(LIAM.pending)).status).toBe('cancelled');
    expect(await order(LIAM.delivered)).toMatchObject({ status: 'return requested', return_items: [LIAM.skateboard] });

    // In Chinese, and a "no" to the first: the second is still carried out.
    const zh = customer('two-requests-zh');
    const asked = await zh(
      undefined,
      `我的邮箱是 ${AVA.email}。帮我取消订单 ${AVA.pending}，不需要了。另外把账户的默认地址改成 88 Lake Ave, Madison, WI 53703`,
    );
    expect(asked.reply.text).toMatch(new RegExp(`请确认：取消订单 ${AVA.pending}`));
    const declined = await zh(asked.conversationId, '不');
    expect(declined.reply.text).toMatch(
      /^好的，这一项我没有更改。\s+您还需要修改账户的默认地址。请确认：将您账户的默认地址改为 88 Lake Ave, Madison, WI 53703, USA/,
    );
    expect((await zh(asked.conversationId, '是的')).reply.text).toMatch(/已办理/);
    expect((await order(AVA.pending)).status).toBe('pending');
    expect((await user('ava_kovacs_3448')).address).toMatchObject({ address1: '88 Lake Ave', city: 'Madison', zip: '53703' });
  });

  it('tells two items of one product apart in the confirmation, and takes "yes, only the black one" as a yes to that one', async () => {
    const say = customer('narrowed-yes');
    const first = await say(undefined, `My email is ${SOFIA.email}. Please return the fleece jackets from order ${SOFIA.delivered}`);
    expect(first.reply.text).toContain('return Fleece Jacket (XL, navy, full) and Fleece Jacket (L, black, full)');
    const narrowed = await say(first.conversationId, 'yes, only the black one');
    expect(narrowed.reply.text).toMatch(/To confirm: return Fleece Jacket \(L, black, full\) from order #W6874763\./);
    await say(first.conversationId, 'yes');
    expect(await order(SOFIA.delivered)).toMatchObject({ status: 'return requested', return_items: [SOFIA.blackJacket] });
  });

  it('hands the customer to a person rather than ask the same question a third time', async () => {
    const say = customer('repeats');
    const before = await order(HARPER.pending);
    const first = await say(undefined, `I want to cancel my order ${HARPER.pending}, my email is ${HARPER.email}`);
    expect(first.reply.text).toContain('why you want to cancel');
    const again = await say(first.conversationId, 'hmm, the thing');
    expect(again.reply.text).toBe('Could you tell me why you want to cancel: you no longer need it, or it was ordered by mistake?');
    expect(again.handoff).toBeUndefined();
    const third = await say(first.conversationId, 'the thing I said');
    expect(third.handoff).toBeDefined();
    expect(third.reply.text).not.toContain('why you want to cancel');
    const ticket = await waitFor(
      async () =>
        (await t.db.query('select reason from ticketing.tickets where conversation_id = $1', [first.conversationId])).rows[0] as
          { reason: string } | undefined,
      'the hand-off ticket',
    );
    expect(ticket.reason).toBe('low_confidence');
    expect(await order(HARPER.pending)).toEqual(before);
  });

  it("refuses to act on someone else's order and answers policy questions from the knowledge base", async () => {
    const before = await order(EMMA.pending);
    const first = await say(undefined, `I want to cancel my order ${EMMA.pending}, my email is ${YARA.email}`);
    expect(first.reply.text).toContain(`couldn't find order ${EMMA.pending} on your account`);
    expect(await order(EMMA.pending)).toEqual(before);
    const policy = await say(undefined, 'Can I cancel a pending order?');
    expect(policy.reply.text).not.toMatch(/email/i);
  });

  it('offers the action a question is about, which a yes takes up from the question and anything else lets go', async () => {
    const ask = customer('mei');
    const offer = /I can cancel an order for you here: just say "yes"/;
    // This stack's knowledge base is empty: the offer stands in for an answer (with one, it follows it).
    const question = await ask(undefined, `How do I cancel order ${MEI.pending}?`);
    const c = question.conversationId;
    expect(question.reply.text).toMatch(offer);
    // Another question lets the offer go: a yes after it starts nothing.
    expect((await ask(c, 'Do you have a store in Boston?')).reply.text).not.toMatch(offer);
    expect((await ask(c, 'yes')).reply.text).not.toMatch(/email/i);

    // The same offer made twice and not taken: a person takes over rather than a third time.
    const again = (await ask(undefined, `How do I cancel order ${MEI.pending}?`)).conversationId;
    expect((await ask(again, `how do i cancel order ${MEI.pending}??`)).reply.text).toMatch(offer);
    const third = await ask(again, `How do I cancel order ${MEI.pending}?`);
    expect(third.reply.text).not.toMatch(offer);
    expect(third.handoff).toBeDefined();

    expect((await ask(c, `How do I cancel order ${MEI.pending}?`)).reply.text).toMatch(offer);
    // The order number comes from the question; the customer is still verified and asked why.
    expect((await ask(c, 'yes please')).reply.text).toMatch(/email/i);
    expect((await ask(c, MEI.email)).reply.text).toMatch(/no longer need it, or it was ordered by mistake/);
    const confirm = await ask(c, 'ordered it by mistake');
    expect(confirm.reply.text).toContain(`cancel order ${MEI.pending}`);
    expect((await order(MEI.pending)).status).toBe('pending');
    await ask(c, 'yes');
    expect((await order(MEI.pending)).status).toBe('cancelled');
    // Thanks alone is thanked back and a goodbye answered as one (no survey is offered on this
    // channel): neither is searched for.
    expect((await ask(c, 'Thank you!')).reply.text).toBe("You're welcome! Is there anything else I can help you with?");
    expect((await ask(c, "Thank you, that's all I needed.")).reply.text).toBe(
      "You're welcome, glad I could help. If anything else comes up, just write here.",
    );
  });

  it('greets a recognised customer by name and queues a VIP hand-off first, with a summary an agent can act on', async () => {
    const first = await say(undefined, 'Where is my order? My email is olivia.jackson2465@example.com');
    expect(first.reply.text).toMatch(/^Thanks, Olivia\. Which order do you mean/);
    const status = await say(first.conversationId, '#W3895186');
    expect(status.reply.text).toContain('Order #W3895186 is delivered');
    const handoff = await say(first.conversationId, 'I want to talk to a human agent');
    expect(handoff.reply.text).toMatch(/support team/);
    const ticket = await waitFor(
      async () =>
        (
          await t.db.query('select id, department, priority, summary from ticketing.tickets where conversation_id = $1', [
            first.conversationId,
          ])
        ).rows[0],
      'the ticket',
    );
    ticket.summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id);
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
    const ticket = await waitFor(
      async () =>
        (await t.db.query('select reason, priority from ticketing.tickets where conversation_id = $1', [turn.conversationId])).rows[0],
      'the VIP ticket',
    );
    expect(ticket).toEqual({ reason: 'low_confidence', priority: expect.stringMatching(/high|urgent/) });
  });
});
