import type { OrderItem } from './order-tools';
// The order actions' dialogue against the tau-retail reference data, read the way the order system
// serves it (lookups open, account data only for the verified owner). The end-to-end test runs the
// same conversations against the real integration service.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NO_CHANNEL_IDENTITY, verificationMethod } from './customer-identity';
import { OrderTasks } from './order-tasks';
import { emptyState } from './dialogue-state';
import { actionFor, givesNewAddress, isNo, isYes, itemsIn, OrderActionTask, reasonIn, requestsAction } from './order-action.task';
import type { OrderTools, ToolOutcome } from './order-tools';

const data = path.join(
  process.env.SWITCHBOARD_DATA_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data'),
  'tau-retail',
);
const users = JSON.parse(readFileSync(path.join(data, 'users.json'), 'utf8')) as Record<
  string,
  { email: string; orders: string[]; name: { first_name: string }; payment_methods: Record<string, unknown> }
>;
const orders = JSON.parse(readFileSync(path.join(data, 'orders.json'), 'utf8')) as Record<string, { user_id: string }>;
const products = JSON.parse(readFileSync(path.join(data, 'products.json'), 'utf8')) as Record<string, unknown>;
const itemOf = (orderId: string, name: string) =>
  (orders[orderId] as unknown as { items: Array<{ name: string; item_id: string }> }).items.find((i) => i.name === name)!.item_id;

function referenceTools(executed: Array<{ operation: string; args: Record<string, unknown>; confirmed?: boolean }>): OrderTools {
  return {
    async call(operation, args, verifiedUserId, confirmed): Promise<ToolOutcome> {
      if (operation === 'find_user_id_by_email') {
        const found = Object.entries(users).find(([, u]) => u.email === args.email);
        return found ? { ok: true, result: found[0] } : { ok: false, error: 'Error: user not found' };
      }
      if (operation === 'get_order_details') {
        const order = orders[String(args.order_id)];
        return order && order.user_id === verifiedUserId ? { ok: true, result: order } : { ok: false, error: 'Error: order not found' };
      }
      if (operation === 'get_product_details') return { ok: true, result: products[String(args.product_id)] };
      if (operation === 'get_user_details')
        return args.user_id === verifiedUserId
          ? { ok: true, result: users[String(args.user_id)] }
          : { ok: false, error: 'Error: user not found' };
      if (operation === 'get_customer_profile') {
        const user = users[String(args.user_id)];
        return { ok: true, result: { user_id: args.user_id, first_name: user.name.first_name, tier: 'regular', orders: user.orders } };
      }
      executed.push({ operation, args, confirmed });
      return { ok: true, result: { ...orders[String(args.order_id)], status: 'cancelled' } };
    },
  };
}

/** A conversation whose customer gave this email (and named this order). */
function identifiedBy(email: string, orderId?: string) {
  const state = emptyState();
  state.slots.email = email;
  if (orderId) state.slots.order_id = orderId;
  return state;
}

const REQUESTS: Array<[string, boolean]> = [
  // Asked for, or asked about the policy.
  ['I want to cancel my order', true],
  ['please exchange the watch for the silver one', true],
  ['Can I cancel a pending order?', false],
  ['How do I return my order?', false],
  ['Will I get my money back for a returned item?', false],
  // Requests without "I want to" / "please": a definite thing, an order number, 想把 / 麻烦 / 请.
  ['The shoes have not shipped yet, can I switch them to the yellow pair?', true],
  ['Can I change the running shoes in #W7534214 to the yellow ones?', true],
  ['Can I still change the shipping address of that order?', false],
  ['退货申请多久处理完', false],
  ["I'd like the 20000mAh one instead", true],
  ["I paid with my Mastercard but I'd prefer to use my Visa ending in 6367. Would that be possible?", true],
  ["I'd rather not cancel anything yet, how long do refunds take?", false],
  ['那个台灯退掉吧，颜色不喜欢', true],
  ['这个台灯可以退掉吧？', false],
  ['I need order #W2033238 sent to a different address', true],
  ['麻烦把账户的默认地址换成新地址', true],
  ['想把订单的收货地址改一下', true],
  ['Can I return items after 30 days?', false],
  ['请问怎么退货？', false],
  // The customer's own thing changed, asked politely; the rule asked about any order stays a question.
  ['Could the desk lamp in my last order be switched to the battery one?', true],
  ['Would you kindly put the payment for that order on my Visa instead?', true],
  ['Can an order be changed after it ships?', false],
  ['Would you tell me how long a refund takes?', false],
  // 我打算 / 我准备 (I'm planning to) ask as 我想 does; asking how still asks the policy.
  ['我准备把上周买的耳机退了', true],
  ['我打算退货，具体怎么操作？', false],
  // A request asked as a question about the customer's own purchase, in one sentence of several.
  ['I bought a blender on Monday. Am I too late to return it?', true],
  ['Is it too late to return an item after 30 days?', false],
  ['I ordered two lamps by mistake, is it too late to cancel them?', true],
  ['Could I exchange the art puzzle for the 1500-piece animals puzzle, beginner difficulty?', true],
  ["I was wondering whether it's still possible to cancel one of my orders, the one with the toothbrush.", true],
  ['Is it still possible to cancel one of the orders after it ships?', false],
  ['I need to send back the hiking boots. What do I do?', true],
  ['I bought running shoes last week. How long do I have to return them?', false],
  ['I got the wrong size of the jacket', true],
  ['我买的耳机还没发货，可以换个颜色吗？', true],
  // Terse and informal: an imperative naming its object, "pls", "wanna" with a typo.
  ['cancel the coffee maker order plz', true],
  ['wanna excahnge my hoodie for a bigger one', true],
  ['i wanna know the return policy', false],
  ['Return policy for sale items?', false],
  // What no order flow changes stays with the knowledge base, however it is asked.
  ['cancel my subscription', false],
  ['pls update my login email', false],
  ['link my paypal to my account', false],
  ['whats left on my gift card', false],
  ['GIFT CARD BALANCE PLS', false],
  ['i want to get rid of my account for good', false],
  ['Can you move the lamp order over to my PayPal?', true],
  ["What's the address on my account?", false],
  ['Could I move the jacket order to my gift card?', true],
  ['I bought a desk last week and no longer need it. Is it still possible to return it?', true],
  ['Could it still be exchanged at this point?', true],
  ['Is there any way to get the blender order delivered to my office?', true],
  ['Can the lamp order be charged to my Amex card?', true],
  ['I want the jacket in green instead of black', true],
  ['耳机的颜色能不能换成白色？', true],
  ['能不能退货？', false],
  // An account's address is an order flow's business; a balance named beside a payment change does not stop it.
  ['change my account address please', true],
  ['my gift card balance is too low, put the rest on my visa', true],
  ['I want to keep my gift card balance. Could the lamp order go on my Mastercard?', true],
  ['what is my gift card balance? I want to know before I order', false],
  ['礼品卡余额还有多少', false],
  // Texting style: "can u", the subject left out (typos are spelt by the classifier before the gate reads it).
  ['hi can u change the address on my account', true],
  ['need to change the address on file, we moved', true],
  ['want to cancel the lamp order', true],
  ['need to know the return policy', false],
  // An exchange that names what it is for; a parcel sent to the new address.
  ['Is it possible to exchange them for the waterproof version? Same size.', true],
  ['Can I exchange an item for a different size?', false],
  ['Could it go to my new address as well?', true],
  // One order named by its number is that order, not the rule; "could I get the … returned".
  ['Is it possible to cancel order #W1234567? I ordered it by mistake.', true],
  ['Is it possible to cancel an order after it ships?', false],
  ['Could I get the desk lamp returned?', true],
  ['Could I get a refund after 30 days?', false],
  ['I would love to exchange the hiking boots for size 10', true],
  ['Thanks! Could my pending order be shipped there as well?', true],
  ['Is it possible to exchange the electric kettle I received for the glass version?', true],
  ['Can it be delivered to a PO box?', false],
  // Courtesy around a request is not a question about the policy.
  ['We have no use for the desk any more, so I would like to cancel it, if that is still possible.', true],
  ['Would it at all be possible to send back the blender I got last week?', true],
  ['I was hoping you could change the shipping address of my pending order.', true],
  ['I need to return the speaker, if possible.', true],
  ['Is it possible to return an item after 30 days?', false],
  ['Would a return be possible after 30 days?', false],
];

describe('OrderActionTask', () => {
  it('tells an action request from a policy question, and yes from no', () => {
    for (const [text, asks] of REQUESTS) expect([text, requestsAction(text)]).toEqual([text, asks]);
    expect(givesNewAddress('change_user_address', 'updated address for my profile: 12 Elm Street, Austin, TX 78701')).toBe(true);
    expect(givesNewAddress('change_user_address', 'moving house. account address = 9 Birch Road, Dayton, OH 45402')).toBe(true);
    expect(givesNewAddress('change_address', 'pls updte my acount adress, its 4 Cedar Court, Mesa, AZ 85201 now')).toBe(true);
    expect(
      givesNewAddress(
        'change_user_address',
        'I would like the default address changed. The new one is 66 Aspen Lane, Apt 9C, Boulder, CO 80302.',
      ),
    ).toBe(true);
    expect(givesNewAddress('change_user_address', 'which address do you have for me?')).toBe(false);
    expect(givesNewAddress('cancel_order', 'address 9 Birch Road')).toBe(false);
    expect(isYes('yes please')).toBe(true);
    expect(isYes('yup')).toBe(true);
    expect(isYes('好的')).toBe(true);
    expect(isYes('you said')).toBe(false);
    expect(isNo('no, wait')).toBe(true);
    expect(isNo('nothing else')).toBe(false);
  });

  it('below the tenant\'s autonomy bar, a "yes" prepares the exact call and the confirmed text for a person, and calls nothing', async () => {
    const executed: Array<{ operation: string; args: Record<string, unknown>; confirmed?: boolean }> = [];
    const task = new OrderActionTask(referenceTools(executed), 'en');
    const state = identifiedBy('emma.brown5032@example.com');
    const confirm = await task.run(state, 'cancel_order', 'cancel my order, it was ordered by mistake');
    expect(confirm.kind).toBe('confirm');
    const asked: string[] = [];
    const outcome = await task.execute(state, (intent) => {
      asked.push(intent);
      return Promise.resolve({ act: false, why: 'cancel_order needs pass^k 0.90; it has not been measured' });
    });
    expect(asked).toEqual(['cancel_order']);
    expect(outcome).toEqual({
      kind: 'approval',
      text: expect.stringMatching(/checks this kind of change before it is made/),
      request: {
        intent: 'cancel_order',
        operation: 'cancel_pending_order',
        args: { order_id: '#W6460787', reason: 'ordered by mistake' },
        confirmation: (confirm as { text: string }).text,
        verifiedUserId: state.verifiedUserId,
        orderId: '#W6460787',
        why: 'cancel_order needs pass^k 0.90; it has not been measured',
      },
    });
    expect(executed).toEqual([]);
    // The confirmation is used up: a second "yes" neither acts nor asks again.
    expect(await task.execute(state)).toMatchObject({ kind: 'refused' });
    expect(executed).toEqual([]);
  });

  it.each([
    ['我点错了', 'ordered by mistake'],
    ['手滑拍错了', 'ordered by mistake'],
    ['I clicked the wrong thing', 'ordered by mistake'],
    ['家里用不上了', 'no longer needed'],
    ['we have no use for it now', 'no longer needed'],
    ['because it is late', undefined],
  ])("reads a cancellation's reason in everyday words: %s", (text, reason) => {
    expect(reasonIn(text)).toBe(reason);
  });

  it("picks the customer's only pending order, asks the reason, and waits for a yes before cancelling", async () => {
    const executed: Array<{ operation: string; args: Record<string, unknown>; confirmed?: boolean }> = [];
    const task = new OrderActionTask(referenceTools(executed), 'en');
    const state = identifiedBy('emma.brown5032@example.com');
    expect(await task.run(state, 'cancel_order', 'cancel my order')).toMatchObject({
      kind: 'ask',
      text: expect.stringMatching(/no longer need/),
    });
    const confirm = await task.run(state, 'cancel_order', 'it was ordered by mistake');
    expect(confirm).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('cancel order #W6460787 (Skateboard) because it is ordered by mistake. $202.13'),
    });
    expect(executed).toEqual([]);
    expect(await task.execute(state)).toMatchObject({ kind: 'done', orderId: '#W6460787' });
    expect(executed).toEqual([
      { operation: 'cancel_pending_order', args: { order_id: '#W6460787', reason: 'ordered by mistake' }, confirmed: true },
    ]);
  });

  it('remembers what the customer said before they were verified', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = emptyState();
    expect(await task.run(state, 'cancel_order', 'cancel my order, I ordered it by mistake')).toMatchObject({
      kind: 'ask',
      slots: ['email'],
    });
    state.slots.email = 'emma.brown5032@example.com';
    expect(await task.run(state, 'cancel_order', "it's [EMAIL]")).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('because it is ordered by mistake'),
    });
  });

  it('finds the variant the customer names, keeping every other option, and prices the difference', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yara.li6570@example.com', '#W2497857');
    const ask = await task.run(state, 'exchange_item', 'I want to exchange an item');
    expect(ask).toMatchObject({ kind: 'ask', text: 'Which items do you mean: Luggage Set or Smart Watch?' });
    const which = await task.run(state, 'exchange_item', 'the smart watch');
    expect(which).toMatchObject({
      kind: 'ask',
      text: expect.stringMatching(/What would you like instead of the Smart Watch \(gold, leather, LCD\)\? Available: /),
    });
    const confirm = await task.run(state, 'exchange_item', 'the silver one please');
    expect(confirm).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining(
        'To confirm: exchange the Smart Watch (gold, leather, LCD) from order #W2497857 for the Smart Watch (silver, leather, LCD) ($10.88 back to you, to your PayPal).',
      ),
    });
    expect(state.action?.args).toEqual({
      order_id: '#W2497857',
      item_ids: ['9408160950'],
      new_item_ids: ['9811090008'],
      payment_method_id: 'paypal_4970705',
    });
  });

  it("asks each item's replacement once and confirms two items together", async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yusuf.rossi7301@example.com');
    expect(
      await task.run(state, 'exchange_item', 'exchange the mechanical keyboard and the smart thermostat from order #W2378156'),
    ).toMatchObject({ text: expect.stringMatching(/instead of the Mechanical Keyboard/) });
    expect(await task.run(state, 'exchange_item', 'tactile switches, white backlight, full size')).toMatchObject({
      text: expect.stringMatching(/instead of the Smart Thermostat/),
    });
    expect(await task.run(state, 'exchange_item', 'Google Assistant please')).toMatchObject({ kind: 'confirm' });
    expect(state.action?.args).toMatchObject({
      item_ids: ['1151293680', '4983901480'],
      new_item_ids: ['3616838507', '7747408585'],
      payment_method_id: 'credit_card_9513926',
    });
  });

  it("reads each item's replacement from its own clause when one message exchanges two", async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yusuf.rossi7301@example.com');
    expect(
      await task.run(
        state,
        'exchange_item',
        'From #W2378156: the mechanical keyboard should have tactile switches, white backlight, full size, and the smart thermostat I want with Google Assistant',
      ),
    ).toMatchObject({ kind: 'confirm' });
    expect(state.action?.args).toMatchObject({ item_ids: ['1151293680', '4983901480'], new_item_ids: ['3616838507', '7747408585'] });
  });

  it.each([
    // One colour for two items, read by their own descriptions, not each other's.
    'exchange the silver kettle and the black bookshelf from #W4817420, both in white, nothing else different',
    // "Both in white" said beside one item is every item's.
    'could I have the silver kettle and the black bookshelf both in white, everything else the same',
    // An item's choice is read where it is asked, not where the item is first named.
    'I got a kettle and a bookshelf in that delivery. Two changes: the bookshelf in white instead of black, still 5 ft and glass, and the kettle in white instead of silver.',
  ])("reads each of two items' replacement from what is said of it: %s", async (text) => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('ava.moore6020@example.com', '#W4817420');
    await task.run(state, 'exchange_item', text);
    expect(state.action).toMatchObject({ itemIds: ['4900661478', '9624127908'], replacements: { 0: '8895454203', 1: '2698416822' } });
  });

  it("never reads one item's own choice as another's", async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('ava.moore6020@example.com', '#W4817420');
    expect(await task.run(state, 'exchange_item', 'exchange the kettle from silver to white, and the bookshelf as well')).toMatchObject({
      text: expect.stringMatching(/instead of the Bookshelf/),
    });
  });

  it('asks where a refund goes when a gift card could take it, and adds an item named at the confirmation', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('raj.sanchez2046@example.com');
    expect(await task.run(state, 'return_item', 'return the notebook from order #W7736708')).toMatchObject({
      text: expect.stringMatching(/Where should the refund go/),
    });
    expect(await task.run(state, 'return_item', 'to my gift card please')).toMatchObject({ kind: 'confirm' });
    expect(await task.run(state, 'return_item', 'also the jigsaw puzzle', 'also the jigsaw puzzle', true)).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('return Notebook and Jigsaw Puzzle'),
    });
    expect(state.action?.args).toEqual({
      order_id: '#W7736708',
      item_ids: ['6574183535', '1096508426'],
      payment_method_id: 'gift_card_2259499',
    });
  });

  it.each([
    ['return the notebook from order #W7736708, I am keeping the headphones though', ['6574183535']],
    // A list after the keeping clause is kept too; a clause of its own after "and" is not.
    ['Any way to return the jigsaw puzzle from #W7736708? I would keep the headphones and the notebook.', ['1096508426']],
    ['#W7736708: I keep the headphones, and I want to return the notebook', ['6574183535']],
    ['Please start a return for my notebook from #W7736708. Not the headphones, those are fine, just the notebook.', ['6574183535']],
    ['Return the notebook and the luggage set from #W7736708. The puzzle stays with me.', ['9692325258', '6574183535']],
    ['from #W7736708 I want to send back the headphones, not the notebook, that one is fine', ['3104857380']],
    ["#W7736708: I can't keep the jigsaw puzzle, it's missing pieces", ['1096508426']],
    ['return everything from #W7736708 except the luggage set', ['3104857380', '6574183535', '1096508426']],
    ['#W7736708: return the headphones as they keep disconnecting', ['3104857380']],
    ['return the notebook from #W7736708, and the jigsaw puzzle too if that is ok', ['6574183535', '1096508426']],
    // Items named to say which one is meant are not meant themselves.
    ['I want to return the notebook that came with my headphones and the jigsaw puzzle (#W7736708)', ['6574183535']],
    ['return the jigsaw puzzle I ordered together with the notebook, #W7736708', ['1096508426']],
    ['from the order with the luggage set, #W7736708, I want to return the headphones', ['3104857380']],
    ['return the jigsaw puzzle from #W7736708, the one with the headphones and the notebook', ['1096508426']],
    ['return the notebook along with the headphones, #W7736708', ['3104857380', '6574183535']],
    ['#W7736708 里和耳机一起买的那个拼图我要退', ['1096508426']],
    // A list of the order's items to say which order, then the one meant.
    [
      'The order with the headphones, the notebook, and the jigsaw puzzle came last week. I would like to return the jigsaw puzzle.',
      ['1096508426'],
    ],
    ['my order with the headphones, luggage set and jigsaw puzzle, i want to send back the notebook', ['6574183535']],
    // A list named before the keeping verb is kept as a whole; not across a comma.
    ['#W7736708: I want to send back the notebook. The headphones and the luggage set I am keeping.', ['6574183535']],
    ['#W7736708: return the notebook and the headphones, the luggage set I am keeping', ['3104857380', '6574183535']],
    // The one it is "just": the others are named only to be praised.
    [
      '#W7736708: the headphones are great, but the notebook has a torn cover, so I would like to return just the notebook.',
      ['6574183535'],
    ],
    // Items said to be fine are kept; items that say which order are not meant.
    ['#W7736708: I would like to send back the notebook. The headphones and the luggage set are fine.', ['6574183535']],
    ['#W7736708: I would like to send back the notebook. The headphones, the puzzle and the luggage set are all fine.', ['6574183535']],
    ['#W7736708: could the notebook go back? The headphones and puzzle stay as they are.', ['6574183535']],
    ['Please return the notebook from the order that also had the headphones and a luggage set.', ['6574183535']],
    ['My order that is not shipped yet has headphones, a notebook and a puzzle in it. Please return the notebook.', ['6574183535']],
    // A Chinese list of what the order holds, then the one meant.
    ['#W7736708 这一单里面有耳机、笔记本和拼图，拼图缺了几片，想退掉', ['1096508426']],
  ])('returns only the items meant, not one the customer keeps: %s', async (text, itemIds) => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('raj.sanchez2046@example.com');
    state.slots.order_id = '#W7736708'; // as the understanding step reads it from the message
    await task.run(state, 'return_item', text);
    expect(state.action?.itemIds).toEqual(itemIds);
  });

  it('reads the longer Chinese name as one item, not also the item a part of it names', () => {
    const items = [
      { item_id: 'k', name: 'Electric Kettle', product_id: 'p1', price: 1, options: {} },
      { item_id: 'b', name: 'Water Bottle', product_id: 'p2', price: 1, options: {} },
    ];
    expect(itemsIn('收到的电热水壶有股塑料味，我想退了', items)).toEqual(['k']);
    expect(itemsIn('那个水壶漏水，要退货', items)).toEqual(['b']);
  });

  it('tells two items of one product apart by the options the message gives them, before any replacement', () => {
    const items: OrderItem[] = [
      { item_id: 'red', name: 'Desk Lamp', product_id: 'p', price: 1, options: { color: 'red', brightness: 'high', power: 'USB' } },
      { item_id: 'green', name: 'Desk Lamp', product_id: 'p', price: 1, options: { color: 'green', brightness: 'high', power: 'battery' } },
      { item_id: 'mug', name: 'Coffee Mug', product_id: 'q', price: 1, options: { color: 'green' } },
    ];
    expect(itemsIn('please exchange the green desk lamp for a red one', items)).toEqual(['green']);
    expect(itemsIn("I'd like to swap the battery desk lamp I got for the USB version", items)).toEqual(['green']);
    expect(itemsIn('return the red desk lamp and the coffee mug', items)).toEqual(['red', 'mug']);
    // Nothing that tells them apart (high is both), or both described: both stay, for the confirmation to show.
    expect(itemsIn('exchange the high brightness desk lamp for a dimmer one', items)).toEqual(['red', 'green']);
    expect(itemsIn('return the desk lamps', items)).toEqual(['red', 'green']);
    expect(itemsIn('把绿色的台灯换成红色的', items)).toEqual(['green']);
    // Both described, then the request says which; or one kept, or left alone.
    expect(itemsIn('Two desk lamps came, a red one and a green one. Please send back the green one.', items)).toEqual(['green']);
    expect(itemsIn("I want to return a desk lamp, I'm keeping the red one", items)).toEqual(['green']);
    expect(itemsIn('leave the red desk lamp alone, the other desk lamp should be the USB kind', items)).toEqual(['green']);
    expect(itemsIn('a red and a green desk lamp came together - could you send the green one back', items)).toEqual(['green']);
    // The request's own words win over a description that names both as often ("high" is both lamps').
    expect(
      itemsIn(
        'Two desk lamps came, a red USB one and a green one with a battery. Could I exchange the green lamp for the USB kind?',
        items,
      ),
    ).toEqual(['green']);
    // Keeping options is not keeping the other lamp.
    expect(itemsIn('two lamps came, exchange the green desk lamp for a red one pls, keep high brightness battery', items)).toEqual([
      'green',
    ]);
    expect(itemsIn('The red desk lamp is fine, keep it. The green desk lamp should be the USB one instead.', items)).toEqual(['green']);
    expect(itemsIn('The red desk lamp stays as it is, but could the green desk lamp be the USB one?', items)).toEqual(['green']);
  });

  it("reads the replacement from the request, not from a sentence describing the item's namesake", async () => {
    // #W8864622 (delivered): a landscape/intermediate and an art/beginner jigsaw puzzle, both 2000 pieces.
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('mohamed.li8414@example.com', '#W8864622');
    const text =
      'My delivery came with two jigsaw puzzles, a landscape one at intermediate level and an art one for beginners. Could I exchange the art puzzle for the 1500-piece animals puzzle, beginner difficulty?';
    expect(await task.run(state, 'exchange_item', text)).toMatchObject({ kind: 'confirm' });
    expect(state.action?.args).toMatchObject({ item_ids: ['9030221155'], new_item_ids: ['9665100170'] });
  });

  it('spells out namesakes by their options, and reads "yes, just the black one" as a yes to that one alone', async () => {
    // #W3964602 (delivered): a blue L and a black S cycling helmet.
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yara.silva2443@example.com', '#W3964602');
    expect(await task.run(state, 'return_item', 'please return both cycling helmets from #W3964602')).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('return Cycling Helmet (L, blue, low) and Cycling Helmet (S, black, medium) from order #W3964602'),
    });
    expect(await task.narrow(state, 'yes, just do it')).toBeUndefined();
    expect(await task.narrow(state, 'yes, only the black one please')).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('return Cycling Helmet (S, black, medium) from order #W3964602'),
    });
    expect(state.action?.args).toMatchObject({ item_ids: ['5537798301'] });
  });

  it("reads a replacement without what the message says of the item's namesake left as it is", async () => {
    // #W8367567 (pending): a brown 4 ft and a white 5 ft glass bookshelf.
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('liam.silva6470@example.com', '#W8367567');
    const outcome = await task.run(
      state,
      'modify_order',
      'The white bookshelf is fine and stays as it is. The other bookshelf in #W8367567 should be 5 ft tall, same glass and colour.',
    );
    expect(outcome).toMatchObject({ kind: 'confirm' });
    // Not the white 5 ft one the first sentence describes.
    expect(state.action?.args).toMatchObject({ item_ids: ['8649999816'], new_item_ids: ['4894369688'] });
    // The wanted length is the white one's: the sentence that asks for it is about the brown one.
    const again = identifiedBy('liam.silva6470@example.com', '#W8367567');
    const text =
      "My order that hasn't shipped has two bookshelves. The white bookshelf is fine, leave it. The brown bookshelf should be the 5 ft one instead, same glass, same colour.";
    expect(await task.run(again, 'modify_order', text)).toMatchObject({ kind: 'confirm' });
    expect(again.action?.args).toMatchObject({ item_ids: ['8649999816'], new_item_ids: ['4894369688'] });
  });

  it('reads an item name with one slip, never a word of another product', () => {
    const items = [
      { item_id: 'k', name: 'Mechanical Keyboard', product_id: 'p1', price: 1, options: {} },
      { item_id: 's', name: 'Sneakers', product_id: 'p2', price: 1, options: {} },
      { item_id: 'b', name: 'Bluetooth Speaker', product_id: 'p3', price: 1, options: {} },
    ];
    expect(itemsIn('i need to send back the keybord', items)).toEqual(['k']);
    expect(itemsIn('return the speakr, it crackles', items)).toEqual(['b']);
    expect(itemsIn('return the sneakers, too tight', items)).toEqual(['s']);
  });

  it('takes an item\'s first word ("the mechanical one") as naming it only in answer to "which items"', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('isabella.johansson9391@example.com', '#W5565470');
    expect(await task.run(state, 'return_item', 'I need to return the mechanical one from #W5565470')).toMatchObject({
      text: expect.stringMatching(/Which items do you mean/),
    });
    await task.run(state, 'return_item', 'the mechanical one');
    expect(state.action?.itemIds).toEqual(['9570044148']);
  });

  it('knows what customers call some products by a word not last in the name ("the vacuum", "the jigsaw")', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yusuf.rossi7301@example.com', '#W2378156');
    await task.run(state, 'return_item', 'I want to return the cordless vacuum and the smart watch from #W2378156');
    expect(state.action?.itemIds).toEqual(['4602305039', '9408160950']);
    const raj = identifiedBy('raj.sanchez2046@example.com', '#W7736708');
    await task.run(raj, 'return_item', 'I need to return the jigsaw from #W7736708');
    expect(raj.action?.itemIds).toEqual(['1096508426']);
  });

  it('does nothing on "yes, both of them" to a change spelt out for one item, and asks which items again', async () => {
    const executed: Parameters<typeof referenceTools>[0] = [];
    const tasks = new OrderTasks(referenceTools(executed), 'en', NO_CHANNEL_IDENTITY);
    const state = identifiedBy('yusuf.rossi7301@example.com', '#W2378156');
    // "The gizmo" names nothing in the order: the confirmation names the watch alone.
    expect((await tasks.act(state, 'return_item', 'return the gizmo and the smart watch from #W2378156')).text).toContain(
      'return Smart Watch from order #W2378156',
    );
    const reply = await tasks.execute(state, undefined, 'Yes, both of them.');
    expect(reply.text).toMatch(/^I have only the Smart Watch down, so I haven't done anything yet\. Which items do you mean: /);
    expect(state.awaiting).toEqual({ kind: 'detail', detail: 'items' });
    expect(executed).toEqual([]);
    expect((await tasks.act(state, 'return_item', 'the vacuum and the smart watch')).text).toContain(
      'return Vacuum Cleaner and Smart Watch from order #W2378156',
    );
    // An order of one item: "both of them" is of that item (a pair of wheels, of shoes), a plain yes.
    const one = identifiedBy('isabella.johansson9391@example.com', '#W3792453');
    await tasks.act(one, 'return_item', 'return the skateboard from #W3792453');
    expect(one.awaiting?.kind).toBe('confirm');
    expect((await tasks.execute(one, undefined, 'yes, both of them')).text).toMatch(/^Done\./);
    expect(executed.map((call) => call.operation)).toEqual(['return_delivered_order_items']);
  });

  it('does not take a last word two items share ("camera") as naming both', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('mei.santos5479@example.com');
    await task.run(state, 'return_item', 'I want to return the action camera from #W7368828, it arrived scratched');
    expect(state.action?.itemIds).toEqual([itemOf('#W7368828', 'Action Camera')]);
    // "The camera" alone could be either: the bot asks which.
    const other = identifiedBy('mei.santos5479@example.com');
    expect(await task.run(other, 'return_item', 'return the camera from #W7368828')).toMatchObject({ kind: 'ask' });
  });

  it('takes a later action to the order that holds the item, not the one just changed', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('omar.lopez1868@example.com');
    await task.run(state, 'return_item', 'return the pet bed from order #W7273336');
    await task.execute(state);
    // Both orders are still delivered in this fake: the one holding the named item wins over the one in focus.
    expect(await task.run(state, 'return_item', 'I want to return the tea kettle too')).toMatchObject({
      kind: 'confirm',
      text: expect.stringContaining('return Tea Kettle from order #W1764038'),
    });
  });

  it('finds the order by an item named as context, and then asks which items', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('omar.lopez1868@example.com');
    expect(await task.run(state, 'return_item', 'I want to return something from the order with the tea kettle')).toMatchObject({
      text: expect.stringMatching(/Which items do you mean: Digital Camera, Wristwatch or Tea Kettle/),
    });
  });

  it('never offers another order when the items named are only in one the action cannot apply to', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = emptyState();
    // Delivered: #W7259850 (Patio Umbrella, Garden Hose); pending: #W3206099 (Dumbbell Set, Gaming Mouse).
    state.slots.email = 'lucas.muller7899@example.com';
    expect(await task.run(state, 'cancel_order', 'please cancel my order with the patio umbrella and the garden hose')).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining("#W7259850 is delivered, so it can't be cancelled"),
    });
    // "All of it" is every item of the order named, not every order.
    const again = identifiedBy('lucas.muller7899@example.com');
    expect(await task.run(again, 'cancel_order', 'cancel the umbrella order, we decided against all of it')).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('#W7259850'),
    });
  });

  it('explains instead of acting when the order is not in a state the policy allows', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('yara.li6570@example.com', '#W2497857');
    expect(await task.run(state, 'cancel_order', 'cancel it, I no longer need it')).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining("is delivered, so it can't be cancelled"),
    });
    expect(state.action).toBeUndefined();
  });

  it('with the tenant requiring channel identity, changes no order on an email alone, only for the user the adapter authenticated', async () => {
    const executed: Array<{ operation: string; args: Record<string, unknown>; confirmed?: boolean }> = [];
    // Knowing Emma's email is enough for the tau-bench rules, not for this tenant.
    const stranger = new OrderActionTask(referenceTools(executed), 'en', {
      customerId: 'web-visitor-1',
      authenticated: true,
      required: true,
    });
    const guessed = identifiedBy('emma.brown5032@example.com');
    expect(await stranger.run(guessed, 'cancel_order', 'cancel my order, I ordered it by mistake')).toMatchObject({
      kind: 'refused',
      text: expect.stringContaining('signed in'),
    });
    expect(verificationMethod(guessed, { customerId: 'web-visitor-1', authenticated: true, required: true })).toBe('knowledge');
    expect(guessed.action).toBeUndefined();

    // Emma signed in to the shop: the adapter vouches for her user id.
    const emma = { customerId: 'emma_brown_8847', authenticated: true, required: true };
    const signedIn = new OrderActionTask(referenceTools(executed), 'en', emma);
    const state = identifiedBy('emma.brown5032@example.com');
    expect(await signedIn.run(state, 'cancel_order', 'cancel my order, I ordered it by mistake')).toMatchObject({ kind: 'confirm' });
    expect(verificationMethod(state, emma)).toBe('channel');
    // The "yes" arrives from a session the adapter did not authenticate: still nothing is changed.
    expect(
      await new OrderActionTask(referenceTools(executed), 'en', { ...emma, authenticated: false }).execute({
        ...state,
        action: { ...state.action! },
      }),
    ).toMatchObject({ kind: 'refused' });
    expect(executed).toEqual([]);
    expect(await signedIn.execute(state)).toMatchObject({ kind: 'done', orderId: '#W6460787' });
    expect(executed).toHaveLength(1);
  });
  it('reads "everything else the same" as keeping the rest, not as every item', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('isabella.johansson9391@example.com', '#W7181492');
    expect(
      await task.run(
        state,
        'exchange_item',
        "I'd like to exchange the hiking boots from order #W7181492 for size 11, everything else the same",
      ),
    ).toMatchObject({
      kind: 'confirm',
      text: expect.stringMatching(/exchange the Hiking Boots \(12, leather, no\) .* for the Hiking Boots \(11, leather, no\)/),
    });
    expect(state.action?.args).toMatchObject({ item_ids: ['8118291112'], new_item_ids: ['5676696062'] });
  });

  it('finds the item a Chinese message names in Chinese', async () => {
    const task = new OrderActionTask(referenceTools([]), 'zh');
    const state = identifiedBy('aarav.sanchez1292@example.com', '#W5455653');
    expect(await task.run(state, 'return_item', '订单 #W5455653 里的咖啡机我要退货')).toMatchObject({ kind: 'confirm' });
    expect(state.action?.args).toMatchObject({ item_ids: ['1323134954'], payment_method_id: 'credit_card_2690859' });
  });

  it('takes the items named over an "everything" about something else', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('aarav.sanchez1292@example.com', '#W5455653');
    await task.run(state, 'return_item', 'I want to return the coffee maker from #W5455653, everything it brews tastes burnt');
    expect(state.action?.itemIds).toEqual(['1323134954']);
  });

  it('reads 都 as every item, but not where it keeps options as they are', async () => {
    const task = new OrderActionTask(referenceTools([]), 'zh');
    const state = identifiedBy('aarav.sanchez1292@example.com', '#W5455653');
    await task.run(state, 'return_item', '订单 #W5455653 里的咖啡机要退货，颜色和容量都没变过，就是用不上');
    expect(state.action?.itemIds).toEqual(['1323134954']);
    const all = identifiedBy('aarav.sanchez1292@example.com', '#W5455653');
    await task.run(all, 'return_item', '订单 #W5455653 里的东西我都要退货');
    expect(all.action?.itemIds).toHaveLength(5);
  });

  it("changes a delivered order's items as an exchange and a pending order's as a modification, whichever was asked", async () => {
    const task = new OrderActionTask(referenceTools([]), 'zh');
    const state = identifiedBy('mohamed.santos7676@example.com', '#W4840405');
    expect(await task.run(state, 'modify_order', '我想把订单 #W4840405 里的蓝牙音箱换成蓝色的')).toMatchObject({ kind: 'confirm' });
    expect(state.action).toMatchObject({
      intent: 'exchange_item',
      operation: 'exchange_delivered_order_items',
      args: { item_ids: ['7597543861'], new_item_ids: ['6704763132'], payment_method_id: 'gift_card_4710915' },
    });
    const pending = identifiedBy('liam.ahmed8540@example.com', '#W7534214');
    const en = new OrderActionTask(referenceTools([]), 'en');
    expect(await en.run(pending, 'exchange_item', 'exchange the running shoes in #W7534214 for the yellow pair')).toMatchObject({
      kind: 'confirm',
    });
    expect(pending.action).toMatchObject({ intent: 'modify_order', operation: 'modify_pending_order_items' });
  });
  it('offers no gift card that cannot cover the amount, and tells the customer who names one why', async () => {
    const task = new OrderActionTask(referenceTools([]), 'en');
    const state = identifiedBy('olivia.ito5204@example.com', '#W5442520');
    expect(await task.run(state, 'change_payment', 'I would like to pay for order #W5442520 with my gift card')).toMatchObject({
      kind: 'ask',
      text: "Your gift card's balance ($56.00) doesn't cover $663.85. Which payment method would you like to use instead: PayPal?",
    });
    expect(await task.run(state, 'change_payment', 'PayPal then')).toMatchObject({ kind: 'confirm' });
    expect(state.action?.args).toEqual({ order_id: '#W5442520', payment_method_id: 'paypal_8049766' });
  });

  it('says in Chinese why it cannot move a payment to another method when the account has no other', async () => {
    const task = new OrderActionTask(referenceTools([]), 'zh');
    const state = identifiedBy('yusuf.rossi7301@example.com', '#W6247578');
    expect(await task.run(state, 'change_payment', '订单#W6247578想换一种方式付款')).toEqual({
      kind: 'refused',
      text: '抱歉，无法办理：您的账户上没有其他支付方式。如需要，我可以为您转接人工客服。',
    });
  });
});

describe('actionFor', () => {
  it.each([
    ['hey need 2 update my acct adress, new one is 2291 Oak Dr, Napa, CA 94558', 'change_user_address'],
    ['change the address on my acount please', 'change_user_address'],
    ['pls chnage my profle adres, im at a new place now', 'change_user_address'],
    ['update the default address', 'change_user_address'],
    ["I'd like my saved home address updated: 9 Elm St, Napa, CA 94558", 'change_user_address'],
    ['ship order #W1234567 to 12 Elm St instead', 'change_address'],
    ['please act quickly and change the address of my order', 'change_address'],
  ])('reads whose address %j asks to change', (text, action) => {
    expect(actionFor('change_address', text)).toBe(action);
  });
});
