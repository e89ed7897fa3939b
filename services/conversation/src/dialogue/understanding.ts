// Reads one customer message against the dialogue state: which details it gives (they fill the
// state's slots; dates and amounts are kept for the hand-off), which task it asks for, and how the customer feels. A message that answers the
// bot's question ("it's #W2378156") continues the task in hand instead of being classified afresh.
import { Inject, Injectable } from '@nestjs/common';
import { editDistance, extractEntities, sentimentOf, type Entity, type IntentPrediction } from '@switchboard/nlu';
import { CONFIG } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { IntentModels } from '../intents/intent-models';
import type { Language } from '../turns/replies';
import { actionFor, givesNewAddress, isNo, isYes, requestsAction } from './order-action.task';
import { focusOrder, noteMentioned, type ActionIntent, type DialogueState, type SlotName } from './dialogue-state';
import { orderReferredTo, type OrderItemNames } from './order-reference';
import { ACTION_INTENTS, ORDER_STATUS_INTENT } from './order-flows';

export interface Understanding {
  /** The task this message is about: a confident prediction, or the task it continues. */
  intent?: string;
  confidence: number;
  /** True when the classifier was not confident and the message continued nothing. */
  unsure: boolean;
  /** The likeliest intents, best first, for a clarifying question. */
  likely: string[];
  frustration: number;
  /** Slots this message filled. */
  filled: SlotName[];
  /**
   * The message as the classifier read it, typos spelt as its examples spell them ("can u chnage
   * the adress on my acount"): the request gate reads it beside the message itself. Absent when
   * nothing was classified.
   */
  spelled?: string;
}

const SLOT_OF: Partial<Record<Entity['type'], SlotName>> = { order_id: 'order_id', email: 'email', name: 'name', zip: 'zip' };

@Injectable()
export class Understander {
  constructor(
    private readonly models: IntentModels,
    @Inject(CONFIG) private readonly config: ConversationConfig,
  ) {}

  /**
   * `raw` is the customer's own text (details such as an email are read from it and kept only in
   * the dialogue state); `redacted` is what moderation let through, the only text classified.
   * `itemNamesOf` reads an order's products, for "the one with the luggage set".
   */
  async understand(
    tenantId: string,
    raw: string,
    redacted: string,
    language: Language,
    state: DialogueState,
    itemNamesOf: OrderItemNames,
  ): Promise<Understanding> {
    const awaiting = state.awaiting;
    // A name asked for is read most freely (a bare "yusuf moore"); any identity detail asked for
    // lets "Mei Martin, 32124" be read as name and zip.
    const asked =
      awaiting?.kind === 'slots' ? (['name', 'email', 'zip'] as const).find((slot) => awaiting.slots.includes(slot)) : undefined;
    const entities = extractEntities(raw, { expecting: asked });
    const filled = fillSlots(state, entities);
    noteMentioned(state, entities);
    let continues = answersTheBot(state, filled, redacted);
    // An order named by its number wins; otherwise "the first order", "the other one"… moves the focus.
    const reference = filled.includes('order_id') ? undefined : await orderReferredTo(redacted, state, itemNamesOf);
    if (reference) focusOrder(state, reference.orderId);
    if (reference?.by === 'other') continues = true;
    const { frustration } = sentimentOf(redacted);
    // An answer to the bot's question ("it's #W2378156", "yes") keeps the task in hand, whatever
    // the classifier would make of a bare detail, so it is not classified at all.
    if (continues && state.intent) return { intent: state.intent, confidence: 1, unsure: false, likely: [], frustration, filled };
    const prediction = await this.models.classify(tenantId, redacted, language);
    const likely = [prediction.label, ...prediction.alternatives.map((a) => a.label)];
    const intent = intentOf(prediction, redacted, this.config.INTENT_CONFIDENCE_MIN, raw);
    // "And the first order?": nothing new asked, so the task in hand carries on for that order.
    if (!intent && reference && state.intent)
      return { intent: state.intent, confidence: prediction.confidence, unsure: false, likely: [], frustration, filled };
    return {
      intent,
      confidence: prediction.confidence,
      unsure: intent === undefined,
      likely,
      frustration,
      filled,
      spelled: prediction.spelled,
    };
  }
}

/**
 * The intent acted on. Words that name one order action outright also win over a confident pick of
 * another order task: "cancle the order, I got the wrong boots" is no exchange, "还没发货吧？麻烦改寄到…"
 * no status question. Words that name it only loosely (改成) do not, nor over any other confident
 * intent (a product question), nor over a refund's status when the message asks after money
 * ("where is my refund?"): naming where the refund goes ("return it, refund to my gift card",
 * 退掉，钱退回原卡) asks for the return. `raw`: the customer's own text, where an address that
 * moderation masks is still read. Exported for eval/experiments/faq-into-flows.mjs.
 */
export function intentOf(
  prediction: Pick<IntentPrediction, 'label' | 'confidence' | 'alternatives'> & { spelled?: string },
  text: string,
  minConfidence: number,
  raw = text,
): string | undefined {
  const likely = [prediction.label, ...prediction.alternatives.map((a) => a.label)];
  const spelled = prediction.spelled ?? text;
  if (prediction.confidence < minConfidence) return actionNamed(spelled, likely) ?? itemChange(prediction, minConfidence);
  const confident = prediction.label;
  const overrulable =
    ACTION_INTENTS.has(confident) || confident === ORDER_STATUS_INTENT || (confident === REFUND_STATUS_INTENT && !asksAfterMoney(spelled));
  if (ACTION_INTENTS.has(confident) && ASKS_IF_DONE.test(spelled)) return ORDER_STATUS_INTENT;
  // A price difference is paid for an item changed ("想换成A4硬皮的，差价用Visa付"): the change, even
  // named loosely, not a change of how the order is paid.
  if (confident === 'change_payment' && PRICE_DIFFERENCE.test(spelled)) return actionNamed(spelled, likely) ?? confident;
  if (overrulable) return actionNamed(spelled, likely, true) ?? addressGiven(spelled, raw, likely) ?? confident;
  // Options talk reads like a product question; about an item of the customer's own order, and
  // asking for it to be changed even loosely ("I'd like tactile switches instead", 想改成4K的), it is
  // the change.
  if (confident === PRODUCT_INFO_INTENT && OWN_ORDER.test(spelled)) return actionNamed(spelled, likely) ?? confident;
  return confident;
}

/** Changing an order's items: modified while pending, exchanged once delivered (the flow follows the order's status). */
const ITEM_CHANGE = new Set(['exchange_item', 'modify_order']);

/**
 * Unsure only between modifying and exchanging ("Two changes please: the keyboard with RGB instead
 * of none, and the skateboard in 31 inch", 0.41 / 0.36): the customer wants items changed either
 * way, and which of the two the order's status decides. Sure of that together, it is the change.
 */
function itemChange(
  prediction: Pick<IntentPrediction, 'label' | 'confidence' | 'alternatives'>,
  minConfidence: number,
): string | undefined {
  const [next] = prediction.alternatives;
  const together = prediction.confidence + (next?.confidence ?? 0);
  return ITEM_CHANGE.has(prediction.label) && ITEM_CHANGE.has(next?.label) && together >= minConfidence ? prediction.label : undefined;
}

/**
 * "Is the toothbrush order cancelled too?", "has my return gone through?", 订单取消了吗？: asks after
 * an action as done, a status question (what the order is now), not a request or its policy.
 */
const ASKS_IF_DONE =
  /^(?:(?:thanks|thank you|ok(?:ay)?|great)\b[.!,]*\s*)?(?:is|are|has|have|was|were)\b[^.?!]{0,60}?\b(?:(?:been|already|now)\s+)?(?:cancell?ed|returned|exchanged|modified|changed|updated|gone through)\b(?:\s+(?:too|as well|yet|already|now))?\s*\?|(?:取消|退货|换货|修改|更改|改)(?:好)?了(?:吗|没有?)[？?]?$/i;
const PRODUCT_INFO_INTENT = 'product_info';
const PRICE_DIFFERENCE = /\b(?:the|price) difference\b|差价|补差/i;
/** The customer's own order: its number, "my order", "pending", 还没发货, 我有一单, what they received (我收到的). */
const OWN_ORDER =
  /#?W\d{7}\b|\bmy (?:pending |recent |last )?order\b|\bpending\b|\bhasn'?t shipped\b|还没发货|未发货|我(?:有|的)一?(?:单|个订单)|我的订单|我(?:收到|买|购买|订)的/i;

/**
 * "麻烦把收货地址改成 3305 Juniper Court…" read as a status question (the order was described first):
 * a request that names the address and gives the new one asks for the change, whether or not the
 * classifier had it among its likeliest.
 */
function addressGiven(spelled: string, raw: string, likely: readonly string[]): string | undefined {
  const named = actionsNamedIn(spelled);
  const address = named.length === 1 && named[0].intents.includes('change_address');
  return address && likely[0] === ORDER_STATUS_INTENT && requestsAction(spelled) && givesNewAddress('change_address', raw)
    ? 'change_address'
    : undefined;
}

export const HUMAN_INTENT = 'talk_to_human';
const REFUND_STATUS_INTENT = 'refund_status';
/** Asking after money owed: where it is, when it comes, that it has not. */
const ASKS_AFTER_MONEY =
  /\b(?:where|when|status|yet|still|how long|haven'?t|hasn'?t|didn'?t|not (?:received|got|seen))\b|什么时候|啥时候|多久|到账|进度|还没|没收到|没看到|到哪|了吗|了没/i;
const asksAfterMoney = (text: string) => ASKS_AFTER_MONEY.test(text);

/**
 * The words that name each order action outright: verbs of six letters or more also with one slip
 * ("retrun", "cancle", "exchnage", "adress"; the examples teach the classifier some typos, so the
 * speller keeps them), the others as written. Changing an order's items is one action whatever its
 * status (modified while pending, exchanged once delivered, see SIBLING_FLOWS), so its words name
 * whichever of the two the classifier found likelier. `loosely`: words that name it only when no
 * action is named outright ("想改成64GB的" changes an item; "地址改成…" is the address).
 */
const ACTION_WORDS: ReadonlyArray<{ intents: string[]; verbs: string[]; words: RegExp; loosely?: RegExp }> = [
  { intents: ['cancel_order'], verbs: ['cancel'], words: /取消/ },
  // 差价退回PayPal sends money back, not the item; 把台灯退掉 / 帮我退一下台灯 send the item back.
  { intents: ['return_item'], verbs: ['return'], words: /\bsend (?:it |them )?back\b|退货|(?<![钱款价额费])退回|退掉|退一下/i },
  // "I'd like tactile switches instead" asks for another variant, loosely ("can it go to my office
  // instead?" does not).
  {
    intents: ['exchange_item', 'modify_order'],
    verbs: ['exchange', 'modify'],
    // "switch the camera to the 4K one", "switch the kettle to black" (not "switch the payment to
    // the gift card", nor "…PayPal. Would you be able to switch that for me?").
    words:
      /\bswap\w*|\bswitch\w*\s+(?:the|my|this|that|it|them)\b(?![^.?!]{0,60}?\b(?:card|paypal|payment|pay|address|visa|mastercard|amex)\b)[^.?!]{0,60}?\b(?:to|for|into)\s+(?!(?:me|us|you|him|her|them)\b)\w|换货|调换/i,
    // 想换一个黑色的 (another one, described): not 换一个地址, which names no item of its own.
    loosely:
      /换成|改成|换(?:一个|个|一款|款)[^，。！？,.!?]{0,12}?的|\bi(?:'d| would) (?:like|prefer|rather|love)\b[^.?!]{0,60}?\binstead\b(?! of)/i,
  },
  // "ships to 12 Elm St", 改寄到 / 寄到新的地方 (sent elsewhere), where 什么时候寄到 asks when it arrives.
  {
    intents: ['change_address'],
    verbs: ['address'],
    words: /\b(?:ship|send|sent|deliver)\w*\s+(?:it\s+|them\s+)?(?:there\b|to\s+\d)|地址|改寄|寄到(?:新|另|别)/i,
  },
  // The method a refund goes back to ("refund to my original payment method", 退回原支付方式) is
  // no change of how an order is paid.
  {
    intents: ['change_payment'],
    verbs: [],
    words:
      /(?<!\b(?:original|same|old)\s{1,3})\bpayment method\b|\bpay(?:ing)? (?:with|by)\b|(?<!原|原来的|原先的|之前的)(?:付款|支付)方式/i,
  },
];
const SUFFIX = /(?:l?ing|l?ed|es|s)$/;

/**
 * The actions the text names outright, not the one it gives up ("instead of cancelling"); each
 * distinct word is compared once (a message may repeat one 500 times).
 */
function actionsNamedIn(written: string): Array<(typeof ACTION_WORDS)[number]> {
  const text = written.replace(GIVEN_UP, ' ');
  const words = [...new Set(text.toLowerCase().match(/[a-z]{5,}/g) ?? [])];
  return ACTION_WORDS.filter(
    (action) =>
      action.words.test(text) ||
      words.some((word) =>
        action.verbs.some((verb) => editDistance(word, verb, 1) <= 1 || editDistance(word.replace(SUFFIX, ''), verb, 1) <= 1),
      ),
  );
}

/**
 * Unsure between intents, a request that names one order action outright and no other ("i need to
 * retrun the speakr", spelt "return") is that action, when the classifier had it among its three
 * likeliest order tasks: asking "return, exchange or payment?" of it would ask what was said (and
 * "…cancle my ordr…, i dont need any of it now" read first as a goodbye still counts). Overruling a
 * confident pick of another order action (`outrightOnly`), the words are enough, however unlikely
 * the classifier found them: "cancle #W… pls, got the wrong helmet size by accident" read as an
 * exchange, the cancellation not among its four likeliest. Words that name one of two actions
 * ("swap": exchange or modify) take the likelier of the two. Over a status question the action
 * must be among the likeliest: "where is my order? I changed my address last week" asks where.
 */
export function actionNamed(text: string, likely: readonly string[], outrightOnly = false): string | undefined {
  const outright = actionsNamedIn(text);
  const named = outright.length > 0 || outrightOnly ? outright : ACTION_WORDS.filter((action) => action.loosely?.test(text));
  if (named.length !== 1 || !requestsAction(text)) return undefined;
  const { intents } = named[0];
  if (!outrightOnly)
    return likely
      .filter(isOrderTask)
      .slice(0, 3)
      .find((intent) => intents.includes(intent));
  const unlikely = ACTION_INTENTS.has(likely[0]) && intents.length === 1 ? intents[0] : undefined;
  return likely.find((intent) => intents.includes(intent)) ?? unlikely;
}

const isOrderTask = (intent: string) => ACTION_INTENTS.has(intent) || intent === ORDER_STATUS_INTENT || intent === REFUND_STATUS_INTENT;

/** Words that take back what was asked: "actually", "rather than", "instead", 算了, 还是. */
const CHANGE_OF_MIND =
  /\b(?:actually|instead|rather than|on second thought|changed? my mind|scratch that)\b|算了|还是|不(?:取消|退|换|改)了/i;
/** The action given up ("rather than cancelling", "don't cancel it", 不取消了): not the one now asked for. */
const GIVEN_UP =
  /\b(?:instead of|rather than)\s+\w+ing\b|\b(?:don'?t|do not|no need to)\s+(?:cancel|return|exchange)\w*|不(?:取消|退货?|换货?|改)了/gi;

/**
 * While the bot waits for a detail of one action (the reason to cancel), a change of mind that asks
 * outright for another: "actually, rather than cancelling, could you ship it to my new address?".
 * The action now asked for, as the flow to run; undefined when the message answers the question.
 */
export function changedAction(text: string, current: string): ActionIntent | undefined {
  if (!CHANGE_OF_MIND.test(text) || !requestsAction(text)) return undefined;
  const named = actionsNamedIn(text);
  if (named.length !== 1 || named[0].intents.includes(current)) return undefined;
  const action = actionFor(named[0].intents[0], text);
  return action === current ? undefined : action;
}

/** The order actions a text names outright, each as the intents its words may mean ("swap": exchange or modify). */
export function actionsNamedOutright(text: string): ReadonlyArray<readonly string[]> {
  return actionsNamedIn(text).map((action) => action.intents);
}

/**
 * Whether the message answers what the bot just asked: a detail it asked for, the reason or items
 * of an action, or a yes/no to a confirmation. Such an answer continues the task in hand.
 */
function answersTheBot(state: DialogueState, filled: SlotName[], text: string): boolean {
  const awaiting = state.awaiting;
  // Asked for the email, "Harper Thomas, zip 90891" answers too: the other way to be recognised.
  const identity = (slot: SlotName) => IDENTITY_SLOTS.includes(slot);
  if (awaiting?.kind === 'slots')
    return filled.some((slot) => awaiting.slots.includes(slot) || (identity(slot) && awaiting.slots.some(identity)));
  if (awaiting?.kind === 'detail') return state.action !== undefined;
  if (awaiting?.kind === 'confirm') return state.action !== undefined && (isYes(text) || isNo(text));
  return false;
}

const IDENTITY_SLOTS: readonly SlotName[] = ['email', 'name', 'zip'];

function fillSlots(state: DialogueState, entities: Entity[]): SlotName[] {
  const filled: SlotName[] = [];
  for (const entity of entities) {
    const slot = SLOT_OF[entity.type];
    if (!slot || filled.includes(slot)) continue;
    // New identity details mean the account is looked up again: whoever they were recognised as
    // before (in this or an earlier conversation) no longer counts.
    if (IDENTITY_SLOTS.includes(slot) && state.verifiedUserId) forgetIdentity(state);
    if (slot === 'order_id') focusOrder(state, entity.value);
    else state.slots[slot] = entity.value;
    filled.push(slot);
  }
  return filled;
}

function forgetIdentity(state: DialogueState): void {
  state.verifiedUserId = undefined;
  state.firstName = undefined;
  state.tier = undefined;
  state.knownOrderIds = [];
  state.lastOrderId = undefined;
  for (const slot of IDENTITY_SLOTS) delete state.slots[slot];
}
