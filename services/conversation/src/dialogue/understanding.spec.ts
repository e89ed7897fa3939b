import type { ConversationConfig } from '../config';
import type { IntentModels } from '../intents/intent-models';
import { emptyState, handoffSummary, summaryInput } from './dialogue-state';
import { changedAction, intentOf, Understander } from './understanding';

// The classifier is not what these tests are about: one that always answers "payment_issue".
const models = {
  classify: async (_tenant: string, text: string) => ({ label: 'payment_issue', confidence: 0.9, alternatives: [], spelled: text }),
} as unknown as IntentModels;
const understander = new Understander(models, { INTENT_CONFIDENCE_MIN: 0.5 } as ConversationConfig);
const noItems = async () => undefined;

/** What the Understander makes of `text` when the classifier reads it as `label` with `confidence`, then `others`. */
async function classifiedAs(text: string, label: string, confidence: number, others: string[]) {
  const classifier = {
    classify: async () => ({ label, confidence, alternatives: others.map((l) => ({ label: l })), spelled: text }),
  } as unknown as IntentModels;
  return new Understander(classifier, { INTENT_CONFIDENCE_MIN: 0.5 } as ConversationConfig).understand(
    'acme',
    text,
    text,
    'en',
    emptyState(),
    noItems,
  );
}

describe('Understander', () => {
  it('keeps the dates and amounts a customer names for the hand-off, and no phone number', async () => {
    const state = emptyState();
    const text = 'I was charged $45 twice on 2026-03-02, call me on +1 555 123 4567';
    await understander.understand('acme', text, text, 'en', state, noItems);
    await understander.understand(
      'acme',
      'and again 45 dollars on March 3 2026',
      'and again 45 dollars on March 3 2026',
      'en',
      state,
      noItems,
    );
    expect(state.mentioned).toEqual({ dates: ['2026-03-02', '2026-03-03'], amounts: ['45.00 USD'] });
    expect(state.slots).toEqual({});

    const summary = handoffSummary(state, 'customer_asked');
    expect(summary).toContain('Dates mentioned: 2026-03-02, 2026-03-03.');
    expect(summary).toContain('Amounts mentioned: 45.00 USD.');
    expect(summary).not.toMatch(/555/);
    const { facts } = summaryInput(state, 'customer_asked');
    expect(facts).toEqual(
      expect.arrayContaining([
        { name: 'date the customer mentioned', value: '2026-03-03' },
        { name: 'amount the customer mentioned', value: '45.00 USD' },
      ]),
    );
  });

  it('keeps the latest five of each, each once', async () => {
    const state = emptyState();
    for (let day = 1; day <= 7; day += 1) {
      const text = `it was $${day} on 2026-01-0${day}`;
      await understander.understand('acme', text, text, 'en', state, noItems);
    }
    expect(state.mentioned?.dates).toEqual(['2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']);
    expect(state.mentioned?.amounts).toEqual(['3.00 USD', '4.00 USD', '5.00 USD', '6.00 USD', '7.00 USD']);
  });

  // The classifier's likeliest four, best first, none confident.
  const RETURN_FIRST = ['exchange_item', 'return_item', 'cancel_order', 'change_payment'];
  const ADDRESS_TOO = ['order_status', 'change_address', 'modify_order', 'cancel_order'];
  const MODIFY_SECOND = ['product_info', 'modify_order', 'change_payment', 'exchange_item'];
  it.each([
    // Unsure among three, the words name one action: that action.
    ['hey i need to return the bluetooth speakr i got, it wont hold a charge', RETURN_FIRST, 'return_item'],
    ['pls cancel the order i placed yesterday', RETURN_FIRST, 'cancel_order'],
    ['hey i need to retrun the electirc toothbrush i got, stoped working', RETURN_FIRST, 'return_item'],
    ['can u cancle the lamp order', RETURN_FIRST, 'cancel_order'],
    ['Thanks! Could my pending order be shipped there as well?', ADDRESS_TOO, 'change_address'],
    // An item changed, in Chinese: a modification or an exchange, whichever is likelier.
    ['那单还没发货，颜色我选错了，想改成黑色的', MODIFY_SECOND, 'modify_order'],
    ['台灯下单时选成了白色，想改成黑色，差价退回原来的卡', MODIFY_SECOND, 'modify_order'],
    ['麻烦把地址改成我公司的', ADDRESS_TOO, 'change_address'],
    ['Thanks! Please make sure the blender order ships to 41 Birch Road, Salem, OR 97301 too', ADDRESS_TOO, 'change_address'],
    // The refund's destination named beside the item sent back is no payment change.
    ['你好，我打算把订单里的台灯退掉，款项退回原来的支付方式就行', RETURN_FIRST, 'return_item'],
    ['帮我退一下那个台灯吧，钱按原付款方式退', RETURN_FIRST, 'return_item'],
    ['please return the desk lamp, refund to the original payment method', RETURN_FIRST, 'return_item'],
    // Among the three likeliest order tasks, whatever else the classifier put before them.
    ['pls cancle my ordr with the lamp, i dont need any of it now', ['goodbye', ...RETURN_FIRST], 'cancel_order'],
    // The words name two actions, the one named is not among the three likeliest, or nothing is asked for: still unsure.
    ['i need to return or exchange the speaker', RETURN_FIRST, undefined],
    ['i want to change my payment method', RETURN_FIRST, undefined],
    ['how do returns work for speakers?', RETURN_FIRST, undefined],
  ])('settles an unsure reading on the one action a request names: %s', async (text, [label, ...others], intent) => {
    expect(await classifiedAs(text, label, 0.3, others)).toMatchObject({ intent, unsure: intent === undefined });
  });

  it.each([
    // Sure of another order task, the words name one action outright: that action.
    ['pls cancle my order, got the wrong size of boots', 'exchange_item', ['cancel_order', 'return_item'], 'cancel_order'],
    // However unlikely the classifier found it, even not among its likeliest.
    ['cancle #W4400123 please, the size of the hat was wrong', 'exchange_item', ['modify_order', 'return_item'], 'cancel_order'],
    [
      'need to cancle #W4400123, i chose the wrong lamp colour by accident',
      'modify_order',
      ['return_item', 'exchange_item', 'cancel_order'],
      'cancel_order',
    ],
    ['那个订单应该还没发吧？我搬家了，麻烦改寄到新家 12 Elm St', 'order_status', ['change_address', 'cancel_order'], 'change_address'],
    // Sure of a refund's status, a request that names the action and where its money goes: the action.
    ['帮我把那台咖啡机退掉吧，钱打回原来那张卡', 'refund_status', ['return_item', 'change_payment'], 'return_item'],
    [
      'Please return the espresso machine from my last order, refund to my gift card',
      'refund_status',
      ['return_item', 'change_payment'],
      'return_item',
    ],
    // Another kind of intent stands, and so does a question that names the action, or asks after the money.
    ['i cancelled my order, where is my refund?', 'refund_status', ['cancel_order', 'order_status'], 'refund_status'],
    ['咖啡机已经退掉了，钱还没退回原来的卡', 'refund_status', ['return_item', 'change_payment'], 'refund_status'],
    ['I returned the espresso machine, when will the refund reach my gift card?', 'refund_status', ['return_item'], 'refund_status'],
    ['我的订单什么时候能寄到？', 'order_status', ['change_address', 'cancel_order'], 'order_status'],
    ['how do I cancel an order?', 'order_status', ['cancel_order', 'return_item'], 'order_status'],
    // 改成 names an item change only loosely: the payment change the classifier is sure of stands.
    ['这个订单不想用礼品卡付了，改成信用卡吧', 'change_payment', ['modify_order', 'exchange_item'], 'change_payment'],
  ])('lets the one action a request names overrule a confident other order task: %s', async (text, label, others, intent) => {
    expect(await classifiedAs(text, label, 0.9, others)).toMatchObject({ intent, unsure: false });
  });
});

describe('a confident reading overruled by what the message asks for', () => {
  it.each([
    [
      "In my pending order #W4536116 there's a keyboard with linear switches. I'd like tactile switches instead, keeping the RGB backlight.",
      'product_info',
      ['exchange_item', 'modify_order'],
      'exchange_item',
    ],
    ['我有一单还没发货，运动相机选的是1080p的，想改成4K、防水的', 'product_info', ['modify_order', 'exchange_item'], 'modify_order'],
    ['我收到的台灯是白色的，放在书房里不好看，想换一个黑色的', 'product_info', ['exchange_item', 'modify_order'], 'exchange_item'],
    ['这款台灯有黑色的吗？想换一个黑色的', 'product_info', ['exchange_item'], 'product_info'],
    // Options asked after, with no order of the customer's: a product question.
    ['does the keyboard come with tactile switches instead?', 'product_info', ['exchange_item'], 'product_info'],
    ['这款相机能改成4K吗？', 'product_info', ['modify_order'], 'product_info'],
    // An address given outright wins over a status reading of the order described first.
    [
      '我有一个订单还没发货，里面有耳机和音箱。麻烦把收货地址改成 3305 Juniper Court, Bloomington, IN 47401。',
      'order_status',
      ['product_info', 'modify_order'],
      'change_address',
    ],
    ['where is my order? I changed my address last week', 'order_status', ['product_info', 'modify_order'], 'order_status'],
    // A price difference is paid for an item change, named loosely: not a payment change.
    ['我收到的A5软皮笔记本想换成A4硬皮的，差价用我的Visa卡付', 'change_payment', ['exchange_item', 'product_info'], 'exchange_item'],
    ["I'd like the blue one instead, and charge the difference to my Visa", 'change_payment', ['exchange_item'], 'exchange_item'],
    [
      "I paid for my order with the laptop using my Visa, but I'd much prefer PayPal. Would you be able to switch that for me?",
      'change_payment',
      ['exchange_item'],
      'change_payment',
    ],
    ['please charge order #W1234567 to my Visa instead of PayPal', 'change_payment', ['exchange_item'], 'change_payment'],
  ])('%s', async (text, label, others, intent) => {
    expect(await classifiedAs(text, label, 0.7, others)).toMatchObject({ intent, unsure: false });
  });
});

describe('a question whether an action is done', () => {
  it.each([
    ['Thanks. Is the toothbrush order cancelled too?', 'cancel_order', 'order_status'],
    ['has my return been processed?', 'return_item', 'return_item'],
    ['is my order #W1234567 cancelled yet?', 'cancel_order', 'order_status'],
    ['订单取消了吗？', 'cancel_order', 'order_status'],
    // Asking whether something may be done is a question about the policy or a request.
    ['is it possible to cancel my order?', 'cancel_order', 'cancel_order'],
    ['can the order be cancelled?', 'cancel_order', 'cancel_order'],
  ])('%s', async (text, label, intent) => {
    expect(await classifiedAs(text, label, 0.9, [])).toMatchObject({ intent });
  });
});

describe('changedAction', () => {
  it.each([
    [
      'Actually, wait. Rather than cancelling, could you just ship it to my new address? 45 Elm St, Boston, MA 02101',
      'cancel_order',
      'change_address',
    ],
    ['actually I would rather return it, please', 'cancel_order', 'return_item'],
    ['算了，不取消了，麻烦把地址改成 12 Main St, Austin, TX 78701', 'cancel_order', 'change_address'],
    ['on second thought, please update the default address on my account instead', 'cancel_order', 'change_user_address'],
    [
      'Actually, instead of cancelling, could you just switch the action camera to the 4K waterproof one in the same silver?',
      'cancel_order',
      'exchange_item',
    ],
    [
      'Well, it is mostly the kettle. Actually, rather than cancelling, can you switch the kettle to black?',
      'cancel_order',
      'exchange_item',
    ],
    [
      "Hmm, on second thought, don't cancel it. Can you ship it to my new address instead? It's 1420 Birch Hollow Road, Raleigh, NC 27601.",
      'cancel_order',
      'change_address',
    ],
  ])('a change of mind asks for the other action: %s', (text, current, action) => {
    expect(changedAction(text, current)).toBe(action);
  });

  it.each([
    // Answers to the question, a reason that mentions an address among them.
    ["I'm moving and won't be at my address when it arrives", 'cancel_order'],
    ['no longer needed', 'cancel_order'],
    ['actually, the blue one please', 'exchange_item'],
    ['rather than cancelling the whole order, just cancel it', 'cancel_order'],
    ['还是取消吧，不需要了', 'cancel_order'],
    ['actually, can you switch the refund to my gift card?', 'return_item'],
  ])('an answer stays with the action in hand: %s', (text, current) => {
    expect(changedAction(text, current)).toBeUndefined();
  });
});

describe('unsure only between modifying and exchanging', () => {
  const reading = (label: string, confidence: number, next: string, nextConfidence: number) => ({
    label,
    confidence,
    alternatives: [{ label: next, confidence: nextConfidence }],
  });
  const text = 'Two changes please: the lamp in black instead of white, and the kettle in 1.5L instead of 1L.';
  it('is the change of items when the two together are sure enough, and unsure otherwise', () => {
    expect(intentOf(reading('modify_order', 0.41, 'exchange_item', 0.36), text, 0.5)).toBe('modify_order');
    expect(intentOf(reading('exchange_item', 0.3, 'modify_order', 0.1), text, 0.5)).toBeUndefined();
    expect(intentOf(reading('modify_order', 0.41, 'product_info', 0.36), text, 0.5)).toBeUndefined();
  });
});
