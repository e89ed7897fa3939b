// Acting on orders and the account as the retail policy prescribes, one flow per task
// (order-flows.ts): verify the customer, pick the order the action applies to, gather the details
// (the reason; which items; what to change them to; where the money goes; the new address), then
// spell the change out and act only on an explicit "yes". The order system enforces the same rules
// again (identity, confirmation, status).
import { editDistance } from '@switchboard/nlu';
import { phrasebook, type Language } from '../turns/replies';
import { addressIn, addressText, correctedAddress } from './address-parser';
import { chooseOrder, identify, NO_CHANNEL_IDENTITY, verificationMethod, type ChannelIdentity, type Question } from './customer-identity';
import { focusOrder, noteTried, type ActionDetail, type ActionIntent, type DialogueState, type PendingAction } from './dialogue-state';
import { RETAIL_FLOWS, type OrderFlow } from './order-flows';
import type { OrderDetails, OrderItem, OrderTools, ProductDetails } from './order-tools';
import { statusText } from './order-status.task';
import { describeMethod, methodNamedIn, type PaymentMethod } from './payment-methods';
import { productsNamedInEnglish } from './product-names-en';
import { CATALOGUE_WORDS, productsNamedInChinese } from './product-names-zh';
import { chooseVariant, escapePattern, namesValue, optionWordsOf, optionsText, type Variant, type VariantChoice } from './variant-choice';

export type ActionOutcome =
  | Question
  | { kind: 'confirm'; text: string }
  | { kind: 'done'; text: string; orderId?: string; status: string }
  | { kind: 'refused'; text: string }
  | { kind: 'approval'; text: string; request: PreparedAction };

/** A confirmed action the bot does not carry out alone: the exact call, for a person to approve. */
export interface PreparedAction {
  intent: ActionIntent;
  operation: string;
  args: Record<string, unknown>;
  confirmation: string;
  verifiedUserId: string;
  orderId: string;
  /** Why a person must approve it (the tenant's bar and the intent's figures). */
  why: string;
}

/** Whether the bot may act alone on a confirmed intent (autonomy/autonomy-decision.ts); the default acts. */
export type AutonomyCheck = (intent: ActionIntent) => Promise<{ act: true } | { act: false; why: string }>;

const ACT_ALONE: AutonomyCheck = () => Promise.resolve({ act: true });

const ACTION_WORDS: Record<Language, Record<ActionIntent, string>> = {
  en: {
    cancel_order: 'cancelled',
    return_item: 'returned',
    exchange_item: 'exchanged',
    modify_order: 'modified',
    change_address: 'changed',
    change_user_address: 'changed',
    change_payment: 'changed',
  },
  zh: {
    cancel_order: '取消',
    return_item: '退货',
    exchange_item: '换货',
    modify_order: '修改',
    change_address: '修改地址',
    change_user_address: '修改地址',
    change_payment: '更改支付方式',
  },
};

const REQUEST =
  /\b(?:i (?:also )?want to|i'd (?:also )?like to|i would (?:also )?like to|i (?:also )?need to|please|pls|plz|can (?:you|u)|could (?:you|u)|would (?:you|u)|help me|go ahead and|i (?:was|am|'m) hoping (?:you|u) (?:could|can|might|would|will)|i(?:'d| would) (?:really )?love to)\b|^\s*(?:(?:hi|hey|hello)\b[,!]?\s*)?(?:need|want|gotta) to\b|\bmy\s+(?:order|orders|item|items|purchase|package|parcel|address|default address|payment)\b|帮我|我要|我想|我(?:打算|准备)/i;
/**
 * Requests without the words above: "I'd like the 20000mAh one", "I'd prefer to use my Visa" (not "I'd
 * rather not"), "I need it sent elsewhere", an
 * order named by its number, "can I switch it / return my…" (the customer's own thing, where "can
 * I cancel a pending order?" and "can I still change the address of that order?" ask what is
 * allowed), "could I get the lamp returned?", and Chinese 想把/想改…, 退掉吧 (not 可以退掉吧？), 麻烦, 请 (not 请问 or 申请),
 * 我的订单.
 */
const REQUEST_MORE =
  /\bi(?:'d| would) (?:also )?like (?:the|a|an|it|my|this|that|them)\b|\bi(?:'d| would) (?:now |much |really )?(?:prefer|rather)\b(?! not\b)|\bi (?:also )?(?:want|need) (?:the|it|my|this|that|them|order)\b|#?W\d{7}\b|\b(?:can|could|may) i (?:please )?\w+ (?:it|them|my)\b|\b(?:can|could|may) i (?:please )?(?:get|have) (?:the|this|that|these|those)\b[^.?!]{0,40}?\b(?:cancell?ed|returned|exchanged|swapped|changed|replaced|refunded|updated|modified|sent back)\b|想(?:要|把|将|改|换|退|取消|修改|更改|更新)|(?:退掉|退了|退货|换货|取消|改一下|换一下|退一下)吧(?![？?])|麻烦|(?<!申)请(?!问)|我的订单/i;
const HOW_TO =
  /\b(?:how (?:do|does|can|long|much|many|often|to)|what(?:'s|s| is| are| info| do| does| can)|why|policy|allowed|possible|is it|will i|do i)\b|怎么|如何|政策|能不能/i;
/**
 * Wording that asks for the action even as a question, where HOW_TO would read a policy question:
 * "is it too late to cancel it?", "is it still possible to return them / cancel one of my orders?", "could it still be
 * cancelled", "wanna retrun my…" (any verb but knowing), "is there any way to…", "would it be possible
 * to return them?" (would: this case, where "is it possible to…" asks the rule), "X instead of Y",
 * an imperative that names its object ("cancel my…", "return the…"; "return policy?" names none),
 * and in Chinese a change with its target (改成/换成/改为 蓝色, where 能不能退货 asks the policy);
 * an exchange that names what it is for ("is it possible to exchange them for the waterproof
 * version?", "…the art puzzle for the 1500-piece one", where "can I exchange an item for a different size?" asks the policy), "can it go
 * to my new address?" / "could my pending order be shipped there?", and "could the bookshelf be
 * changed to the 6 ft one?" (the customer's own thing, where "can an order be changed?" asks),
 * and "is it possible to cancel order #W…?" (one order named by its number: that order, not the rule).
 */
const URGES =
  /\b(?:exchange|swap|switch|trade)\w*\s+(?:it|them|this|that|(?:my|the)\s+[^.?!]{1,40}?)\s+(?:for|to|into)\s+(?:(?:the|a|an)\s+[^.?!]{0,40}?\b(?:one|ones|version|size|colou?r|model|variant|kind|pair)\b|the\s+[^.?!\d]{0,20}\d)|\b(?:can|could)\s+(?:it|they|that|this|(?:the|my)\s+(?:\w+\s+)?order)\s+(?:also\s+)?(?:go|be sent|be shipped|be delivered|ship)\s+(?:there|to\s+(?:my|the|our|that)\s+(?:new\s+)?(?:address|place|home|house|flat|apartment|office)\b)|\b(?:too late|still)\b[^.?!]*?\b(?:cancel|return|exchange|change|modify|switch|swap)\w* (?:it|them|my|this|that|one of my)\b|\b(?:it|they) still be \w+|\b(?:can|could)\s+(?:it|they|that|this|(?:the|my)\s+[^.?!]{1,30}?)\s+(?:please\s+)?be\s+(?:changed|switched|swapped|exchanged|updated|modified|moved|cancell?ed|returned|replaced)\b|\bwann?a (?!know\b|ask\b|check\b|see\b|understand\b|learn\b)\w+|\bis there (?:any |a )?way to\b|\bis it (?:still |at all )?possible to (?:cancel|return|exchange|swap|change|modify|update)\w*\b[^.?!]{0,40}?#?W\d{7}\b|\bwould it (?:at all )?be possible (?:for (?:you|u|me) )?to \w+(?: \w+)? (?:it|them|my|the|this|that|these|those)\b|\b(?:instead of|rather than)\b|\b(?:mov|switch|put|charg|chang|pay)\w*\b[^.?!]{0,40}?\b(?:to|on|onto|with)\s+(?:my|the)\s+(?:\w+\s+)?(?:card|paypal|gift card|visa|mastercard|amex)\b|^\s*(?:(?:hi|hello|hey)\b[,!]?\s*)?(?:please\s+|pls\s+|plz\s+)?(?:cancel|return|exchange|swap|refund|send back|change|update|modify)\s+(?:my|the|it|this|that|them|order|#?W\d)|(?:改|换)(?:成|为)/i;
/**
 * Things no order flow changes, named as what is to be cancelled, removed or updated ("cancel my
 * subscription", "update my login email", "remove my account"; not the account's address), and a
 * balance asked after with no payment change anywhere in the message (BALANCE): the knowledge base answers them.
 */
const NOT_AN_ORDER =
  /\b(?:cancel|remove|delete|close|update|change|add|link|apply)\s+(?:my\s+|the\s+|a\s+)?(?:new\s+)?(?:subscri\w*|login|password|e-?mail|account(?!\s+address)|voucher|promo\w*|coupon|membership|newsletter)\b|\b(?:get rid of|delete|close)\s+(?:my\s+|the\s+)?account\b|\b(?:subscri\w*|login|password)\b/i;
/** A balance named with no payment change anywhere in the message asks after the balance. */
const BALANCE = /\bbalance\b|余额/i;
const PAYMENT_CHANGE =
  /\b(?:pay|put|use|charg|switch|instead|move)\w*|\b(?:visa|mastercard|amex|paypal|credit card|debit card)\b|付款|支付|换成|改成|改用/i;
/** Statements about the customer's own purchase: a request when the message asks nothing of the policy. */
const OWNS = /\bi (?:just |recently )?(?:ordered|bought|got|received|purchased)\b|我(?:订|买|购买)的|下单的|订的/i;
/** A new address given outright ("profile address update: 12 Elm St, …"): the change is asked for. */
// Bounded: a message of 2,000 地址 was quadratic (68 ms) with an open-ended run.
// "adress" and "addres" too: the customer who misspells the word still gives the address.
const NEW_ADDRESS = /\bad{1,2}res{1,2}\b[^.?!]{0,80}?\d+\s+\p{L}+|地址[^。？！]{0,40}\d/iu;
/**
 * Courtesies that hedge a request ("…, if it's still possible", "if you can"): they ask nothing of
 * the policy, so they are read past before HOW_TO looks for a question. Spaces are taken only
 * after a comma: a leading \s* tried at every space of a long run was quadratic (11 ms on 4,000
 * characters after "please", three times over per message).
 */
const HEDGE =
  /(?:,\s*)?\b(?:if (?:it'?s|it is|that'?s|that is|this is) (?:still )?(?:possible|ok(?:ay)?|alright|all right)|if (?:at all )?possible|if (?:you|u) can|if (?:that|this|it) can be (?:arranged|done)|if (?:you|u)(?:'re| are) able to)\b/gi;
/** Sentences: a request in one ("I want to return the lamp.") is not undone by a question in the next ("How do I do that?"). */
const SENTENCE = /[^.!?。！？;；]+[.!?。！？;；]*/g;
/** What a request sentence is: asked for in so many words and not a question about the policy, or urged. */
const requestSentence = (sentence: string) =>
  URGES.test(sentence) || ((REQUEST.test(sentence) || REQUEST_MORE.test(sentence)) && !HOW_TO.test(sentence.replace(HEDGE, '')));
/** "Which ones are there?" while choosing a variant: the full list, not a guess. */
const LIST_ALL =
  /\b(?:all|every|full list|list|which (?:ones|options)|what (?:other )?(?:options|ones|variants)|available)\b|全部|所有|有哪些|都有什么|哪些可选/i;
/** "Also the notebook" at the confirmation adds to the action instead of abandoning it. */
const ADDING = /\b(?:also|too|as well|add|another|plus)\b|还有|也要|再加|另外/i;
/** The account's address rather than an order's ("acct", "acount", "profle", "defualt" as texted, "my saved home address"). */
const ACCOUNT_ADDRESS =
  /\b(?:acc(?:ou?)?n?t|acount|prof(?:ile|le|il|lie)|default|defualt|on file|saved (?:home )?address)\b|账户|账号|个人资料|默认/i;

/** Options listed before "say 'all' for the rest". */
const LISTED_VARIANTS = 6;

/**
 * "Cancel my order" asks for the action; "Can I cancel a pending order?" asks about the policy.
 * One sentence that asks is enough; a statement about the customer's own purchase counts only when
 * nothing in the message asks about the policy ("I bought shoes. How long do I have to return them?").
 */
export function requestsAction(text: string): boolean {
  if (NOT_AN_ORDER.test(text) || (BALANCE.test(text) && !PAYMENT_CHANGE.test(text))) return false;
  const sentences = text.match(SENTENCE) ?? [text];
  return sentences.some(requestSentence) || (OWNS.test(text) && !HOW_TO.test(text));
}

/**
 * An address change that states the new address outright asks for it, however the sentences around
 * it are worded ("…would like the default address changed. The new one is 66 Aspen Grove Lane, …").
 * Read from the customer's own text: moderation may mask it.
 */
export function givesNewAddress(intent: string, raw: string): boolean {
  return (intent === 'change_address' || intent === 'change_user_address') && (NEW_ADDRESS.test(raw) || addressIn(raw) !== undefined);
}

export function addsToAction(text: string): boolean {
  return ADDING.test(text);
}

/** "Yes, both of them", 两个都要: a yes that speaks of more than one item. */
const SEVERAL = /\b(?:both|all (?:of )?(?:them|these|those|three|the items)|each of them|two of them)\b|两个都|两件都|都要|全部|都退|都换/i;

export function meansSeveral(text: string): boolean {
  return SEVERAL.test(text);
}

/** "Yes, just the blue pair", "yes but only the lamp", 是的，只退蓝色的: a yes to part of what was spelt out. */
const NARROWING = /\b(?:just|only)\b|只/i;

export function narrowsAction(text: string): boolean {
  return NARROWING.test(text);
}

/** An order not yet shipped: changing its items is a modification, not an exchange. */
const PENDING = /\bpending\b|\bnot (?:yet )?shipped\b|hasn'?t shipped|待处理|未发货|还没发货/i;

/**
 * The flow an intent asks for in this message: the classifier's change_address covers both the
 * account's default address and an order's; "exchange" and "modify" are told apart by whether the
 * customer speaks of a pending order.
 */
export function actionFor(intent: string, text: string): ActionIntent {
  if (intent === 'change_address') return ACCOUNT_ADDRESS.test(text) ? 'change_user_address' : 'change_address';
  if (intent === 'exchange_item' && PENDING.test(text)) return 'modify_order';
  return intent as ActionIntent;
}

export function isYes(text: string): boolean {
  return /^\s*(?:y|yes|yeah|yea|yep|yup|ya|sure|ok(?:ay)?|go ahead|please do|confirm(?:ed)?|do it|correct|absolutely|of course|sounds good)\b|^\s*(?:是|是的|好|好的|确认|可以|对)/i.test(
    text,
  );
}

export function isNo(text: string): boolean {
  return /^\s*(?:n|no|nope|don'?t|do not|stop|never ?mind)\b|^\s*(?:不|否|不要|算了)/i.test(text);
}

/** Changing an order's items: modified while it is pending, exchanged once delivered. */
const SIBLING_FLOWS: Partial<Record<ActionIntent, ActionIntent>> = { exchange_item: 'modify_order', modify_order: 'exchange_item' };

const money = (amount: number) => `$${amount.toFixed(2)}`;

interface Replacement {
  from: OrderItem;
  to: Variant;
}

export class OrderActionTask {
  private readonly say;

  constructor(
    private readonly tools: OrderTools,
    private readonly language: Language,
    private readonly channel: ChannelIdentity = NO_CHANNEL_IDENTITY,
  ) {
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

  /**
   * Moves the action forward with what this message said; asks for the next thing it needs.
   * `raw` is the customer's own text, read only for an address (moderation may mask parts of it).
   */
  async run(state: DialogueState, intent: ActionIntent, text: string, raw = text, adding = false): Promise<ActionOutcome> {
    if (state.action?.intent !== intent) state.action = { intent };
    const action = state.action;
    // Anything the customer changes makes the earlier confirmation void.
    action.operation = undefined;
    action.args = undefined;
    action.confirmation = undefined;
    const flow = RETAIL_FLOWS[intent];
    if (flow.details.includes('address')) {
      action.address ??= addressIn(raw);
      // "…Apt 3B… Sorry, the apartment is 3D, not 3B": in the same message or a later one.
      if (action.address) action.address = correctedAddress(action.address, raw);
    }
    // "Cancel my order, I ordered it by mistake" before the email: the reason is not asked again.
    text = [...(action.held ?? []), text].join('\n');
    const question = await identify(state, this.tools, this.language);
    if (question) return this.holding(action, text, question);
    const unproven = this.lacksChannelIdentity(state);
    if (unproven) return unproven;

    let order: OrderDetails | undefined;
    if (flow.orderStatus) {
      const found = await this.order(state, action, flow, text);
      if ('kind' in found) return this.holding(action, text, found);
      order = found;
    }
    // The order's status may have turned an exchange into a modification (or back).
    const actionFlow = RETAIL_FLOWS[action.intent];
    action.held = undefined;
    const items = order?.items ?? [];
    let replacements: Replacement[] = [];
    let methods: PaymentMethod[] = [];

    for (const detail of actionFlow.details) {
      if (detail === 'reason') {
        action.reason ??= reasonIn(text);
        if (!action.reason) return this.askDetail(state, 'reason', this.say.askReason);
      } else if (detail === 'items') {
        if (adding && action.itemIds) {
          const more = (itemsIn(text, items, false) ?? []).filter((id) => !action.itemIds!.includes(id));
          action.itemIds.push(...more);
        }
        action.itemIds ??= itemsIn(text, items, true, state.awaiting?.kind === 'detail' && state.awaiting.detail === 'items');
        if (!action.itemIds?.length) return this.askDetail(state, 'items', this.say.askItems([...new Set(items.map((i) => i.name))]));
      } else if (detail === 'new_items') {
        const outcome = await this.replacements(state, action, items, text);
        if (!Array.isArray(outcome)) return outcome;
        replacements = outcome;
      } else if (detail === 'payment') {
        methods = await this.paymentMethods(state);
        // What the chosen method must cover (a gift card needs the balance): the order's total for a
        // change of payment, a positive price difference for new items; nothing for a refund.
        const paid = order!.payment_history?.find((p) => p.transaction_type === 'payment')?.amount ?? 0;
        const difference = replacements.reduce((sum, r) => sum + r.to.price - r.from.price, 0);
        const needed = actionFlow.payment === 'other' ? paid : actionFlow.payment === 'any' ? Math.max(0, difference) : 0;
        const outcome = this.payment(state, action, actionFlow, order!, methods, text, needed);
        if (outcome) return outcome;
      } else if (detail === 'address') {
        if (!action.address) return this.askDetail(state, 'address', this.say.askAddress);
      }
    }
    return this.confirmation(state, action, actionFlow, order, replacements, methods);
  }

  /**
   * "Yes, just the blue pair" at the confirmation: only the items it names (by name, or by the
   * options that tell namesakes apart) stay, with the replacements already chosen for them, and
   * the change is spelt out again. Undefined when it names none or all of them ("yes, just do it"):
   * a plain yes.
   */
  async narrow(state: DialogueState, text: string, raw = text): Promise<ActionOutcome | undefined> {
    const action = state.action!;
    const details = await this.tools.call('get_order_details', { order_id: action.orderId }, state.verifiedUserId);
    if (!details.ok) return { kind: 'refused', text: this.say.refused(details.error) };
    const items = (details.result as OrderDetails).items ?? [];
    const chosen = pick(items, action.itemIds ?? []);
    const words = optionWordsOf(text);
    const meant = chosen.filter((item) => {
      const same = chosen.filter((other) => other.name === item.name);
      return same.length > 1 ? tellingOptions(item, same).some((v) => namesValue(words, v)) : namesItem(text, item, chosen);
    });
    if (meant.length === 0 || meant.length === chosen.length) return undefined;
    const replacements = action.replacements ?? {};
    action.replacements = {};
    action.askedFor = undefined;
    action.itemIds = meant.map((item) => item.item_id);
    // Each replacement stays with its item: they are kept by the item's position.
    meant.forEach((item, position) => {
      const before = chosen.indexOf(item);
      if (replacements[String(before)]) action.replacements![String(position)] = replacements[String(before)];
    });
    return this.run(state, action.intent, text, raw);
  }

  /**
   * "Yes, both of them" to a change spelt out for one item: an item the customer named was not
   * recognised ("the cordless vacuum"), so nothing is done and which items is asked again, from the
   * order's list, rather than act on part of what was asked. Undefined when the order holds nothing
   * else ("yes, both of them" of a pair of shoes): a plain yes.
   */
  async reaskItems(state: DialogueState): Promise<ActionOutcome | undefined> {
    const action = state.action!;
    const details = await this.tools.call('get_order_details', { order_id: action.orderId }, state.verifiedUserId);
    if (!details.ok) return { kind: 'refused', text: this.say.refused(details.error) };
    const items = (details.result as OrderDetails).items ?? [];
    const [only] = pick(items, action.itemIds ?? []);
    if (items.every((item) => action.itemIds?.includes(item.item_id))) return undefined;
    action.itemIds = undefined;
    action.replacements = undefined;
    action.askedFor = undefined;
    action.operation = undefined;
    action.args = undefined;
    action.confirmation = undefined;
    const names = [...new Set(items.map((i) => i.name))];
    return this.askDetail(state, 'items', `${only ? `${this.say.onlyOneItem(only.name)} ` : ''}${this.say.askItems(names)}`);
  }

  /** Keeps what was said for when the bot can act on it (the action survives only a question). */
  private holding(action: PendingAction, text: string, outcome: ActionOutcome): ActionOutcome {
    if (outcome.kind === 'ask' || outcome.kind === 'retry') action.held = [text];
    return outcome;
  }

  /**
   * The customer said yes: carry out the confirmed action, or, when the tenant's bar for the intent
   * is not met, prepare exactly that call for a person to approve and call nothing.
   */
  async execute(state: DialogueState, autonomy: AutonomyCheck = ACT_ALONE): Promise<ActionOutcome> {
    const unproven = this.lacksChannelIdentity(state);
    if (unproven) return unproven;
    const action = state.action;
    state.awaiting = undefined;
    state.action = undefined;
    if (!action?.operation || !action.args) return { kind: 'refused', text: this.say.declined };
    const decision = await autonomy(action.intent);
    if (!decision.act) {
      noteTried(
        state,
        `${action.operation} on ${action.orderId ?? 'the account'} confirmed by the customer; waiting for a person's approval`,
      );
      // The order the request names stays in focus: the customer may ask about it while it waits.
      return {
        kind: 'approval',
        text: this.say.awaitingApproval,
        request: {
          intent: action.intent,
          operation: action.operation,
          args: action.args,
          confirmation: action.confirmation ?? '',
          verifiedUserId: state.verifiedUserId ?? '',
          orderId: action.orderId ?? '',
          why: decision.why,
        },
      };
    }
    const result = await this.tools.call(action.operation, action.args, state.verifiedUserId, true);
    const target = action.orderId ?? 'the account';
    if (!result.ok) {
      noteTried(state, `${action.operation} on ${target} refused by the order system: ${result.error}`);
      return { kind: 'refused', text: this.say.refused(result.error) };
    }
    // The next request names its own order (or is asked which): this one's status has changed.
    delete state.slots.order_id;
    if (!action.orderId) {
      noteTried(state, `${action.operation} done`);
      return { kind: 'done', text: this.say.doneAccount, status: 'updated' };
    }
    const order = result.result as OrderDetails;
    noteTried(state, `${action.operation} on ${order.order_id} done, now ${order.status}`);
    return {
      kind: 'done',
      text: this.say.done(order.order_id, statusText(order.status, this.language)),
      orderId: order.order_id,
      status: order.status,
    };
  }

  private async order(state: DialogueState, action: PendingAction, asked: OrderFlow, text: string): Promise<OrderDetails | ActionOutcome> {
    let flow = asked;
    const orderId =
      action.orderId ?? chooseOrder(state, this.language, state.slots.order_id ? undefined : await this.eligibleOrders(state, flow, text));
    if (typeof orderId !== 'string') return orderId;
    const details = await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId);
    if (!details.ok) return { kind: 'refused', text: this.say.refused(details.error) };
    const order = details.result as OrderDetails;
    focusOrder(state, orderId);
    // Customers say "change" or "exchange" whatever the order's status: a pending order's items are
    // modified and a delivered one's exchanged, whichever of the two the classifier heard.
    const sibling = SIBLING_FLOWS[action.intent];
    if (order.status !== flow.orderStatus && sibling && RETAIL_FLOWS[sibling].orderStatus === order.status) {
      action.intent = sibling;
      flow = RETAIL_FLOWS[sibling];
    }
    if (order.status !== flow.orderStatus) {
      noteTried(state, `${action.intent.replace(/_/g, ' ')} asked for order ${orderId}, which is ${order.status}: not allowed`);
      state.action = undefined;
      state.awaiting = undefined;
      return {
        kind: 'refused',
        text: this.say.notEligible(orderId, statusText(order.status, this.language), ACTION_WORDS[this.language][action.intent]),
      };
    }
    action.orderId = orderId;
    return order;
  }

  /**
   * The customer's orders this action applies to (customers have few, so each is looked up); when
   * the message names items that only one of them holds, that one. When the items it names are only
   * in orders the action cannot apply to ("cancel the order with the umbrella", delivered), those
   * orders: the customer hears why not, and is never offered another order's change instead.
   */
  private async eligibleOrders(state: DialogueState, flow: OrderFlow, text: string): Promise<string[]> {
    const orders: OrderDetails[] = [];
    for (const orderId of state.knownOrderIds) {
      const details = await this.tools.call('get_order_details', { order_id: orderId }, state.verifiedUserId);
      if (details.ok) orders.push(details.result as OrderDetails);
    }
    const eligible = orders.filter((o) => o.status === flow.orderStatus);
    // An item named, as meant or as context ("the order with the tea kettle"), says which order;
    // "all of it" does not (it is every item of the order meant).
    const named = orders.filter((o) => (o.items ?? []).some((item) => namesItem(text, item, o.items ?? [])));
    const namedEligible = named.filter((o) => eligible.includes(o));
    if (namedEligible.length === 1) return [namedEligible[0].order_id];
    if (namedEligible.length === 0 && named.length > 0) return named.map((o) => o.order_id);
    // None eligible: offer them all, and the chosen one is explained as not eligible.
    return eligible.length > 0 ? eligible.map((o) => o.order_id) : state.knownOrderIds;
  }

  /**
   * One replacement per chosen item, each resolved once and kept: a message answers the item the
   * bot asked about (or any item it names), so two items never send the bot round in a loop.
   */
  private async replacements(
    state: DialogueState,
    action: PendingAction,
    items: OrderItem[],
    text: string,
  ): Promise<Replacement[] | ActionOutcome> {
    const chosen = pick(items, action.itemIds!);
    const chosenReplacements = (action.replacements ??= {});
    const done: Replacement[] = [];
    for (const [index, item] of chosen.entries()) {
      const product = await this.tools.call('get_product_details', { product_id: item.product_id }, state.verifiedUserId);
      if (!product.ok) return { kind: 'refused', text: this.say.refused(product.error) };
      const variants = Object.values((product.result as ProductDetails).variants);
      const known = chosenReplacements[String(index)];
      if (known) {
        const variant = variants.find((v) => v.item_id === known);
        if (variant) {
          done.push({ from: item, to: variant });
          continue;
        }
      }
      const answersThis = action.askedFor === undefined || action.askedFor === index || namesItem(text, item, chosen);
      const available = variants.filter((v) => v.available && v.item_id !== item.item_id);
      if (!answersThis) return this.askVariant(state, action, index, item, available, false);
      if (action.askedFor === index && LIST_ALL.test(text) && !chooseVariantNamed(text, item, variants))
        return this.askVariant(state, action, index, item, available, true);
      // Each item's own clauses first ("…, and the lamp in silver"); what the message says of every
      // item when they name nothing ("the lamp and the luggage set, both in silver"). A clause that
      // only describes the item as it is ("the red speaker and …, both in blue") names nothing.
      const about = withoutNamesakesLeft(text, item, items);
      const parts = partsAbout(about, item, chosen);
      let choice: VariantChoice = parts.map((part) => chooseVariant(part, item, variants)).find((c) => c.kind !== 'none_named') ?? {
        kind: 'none_named',
      };
      if (choice.kind === 'none_named' && parts[0] !== about) choice = chooseVariant(sharedPart(about, item, chosen), item, variants);
      if (choice.kind === 'match') {
        chosenReplacements[String(index)] = choice.variant.item_id;
        done.push({ from: item, to: choice.variant });
        continue;
      }
      if (choice.kind === 'none_named') return this.askVariant(state, action, index, item, available, false);
      action.askedFor = index;
      state.awaiting = { kind: 'detail', detail: 'new_items' };
      if (choice.kind === 'ambiguous')
        return {
          kind: 'ask',
          slots: [],
          text: this.say.whichVariant(
            item.name,
            choice.candidates.map((v) => optionsText(v.options)),
          ),
        };
      noteTried(state, `no available ${item.name} is ${choice.named.join(', ')}; offered the closest`);
      return {
        kind: 'ask',
        slots: [],
        text: this.say.noExactVariant(
          item.name,
          choice.named.join(', '),
          choice.unavailable,
          choice.closest.map((v) => optionsText(v.options)),
        ),
      };
    }
    return done;
  }

  private askVariant(
    state: DialogueState,
    action: PendingAction,
    index: number,
    item: OrderItem,
    available: Variant[],
    all: boolean,
  ): ActionOutcome {
    action.askedFor = index;
    if (available.length === 0) return { kind: 'refused', text: this.say.refused(this.say.noOtherVariant(item.name)) };
    const shown = all ? available : available.slice(0, LISTED_VARIANTS);
    return this.askDetail(
      state,
      'new_items',
      this.say.askNewItem(
        `${item.name} (${optionsText(item.options)})`,
        shown.map((v) => optionsText(v.options)),
        available.length - shown.length,
      ),
    );
  }

  /** The user's payment methods, as the order system lists them. */
  private async paymentMethods(state: DialogueState): Promise<PaymentMethod[]> {
    const user = await this.tools.call('get_user_details', { user_id: state.verifiedUserId }, state.verifiedUserId);
    if (!user.ok) return [];
    return Object.values((user.result as { payment_methods?: Record<string, PaymentMethod> }).payment_methods ?? {});
  }

  /** Where the money goes (or comes from): named by the customer, the only choice, or asked. */
  private payment(
    state: DialogueState,
    action: PendingAction,
    flow: OrderFlow,
    order: OrderDetails,
    methods: PaymentMethod[],
    text: string,
    needed = 0,
  ): ActionOutcome | undefined {
    const original = order.payment_history?.find((p) => p.transaction_type === 'payment')?.payment_method_id;
    const allowed =
      flow.payment === 'refund'
        ? methods.filter((m) => m.id === original || m.source === 'gift_card')
        : flow.payment === 'other'
          ? methods.filter((m) => m.id !== original)
          : methods;
    // The policy: a gift card pays only what its balance covers. One that falls short is not offered,
    // and the customer who names it is told why.
    const short = (m: PaymentMethod) => m.source === 'gift_card' && needed > 0.005 && (m.balance ?? 0) < needed;
    const choices = allowed.filter((m) => !short(m));
    if (action.paymentMethodId && !choices.some((m) => m.id === action.paymentMethodId)) action.paymentMethodId = undefined;
    const asked = state.awaiting?.kind === 'detail' && state.awaiting.detail === 'payment';
    const named = methodNamedIn(text, allowed, original, asked);
    const shortNamed = named && short(named) ? named : undefined;
    if (!shortNamed) action.paymentMethodId ??= named?.id ?? (choices.length === 1 && !allowed.some(short) ? choices[0].id : undefined);
    if (action.paymentMethodId) return undefined;
    const shortNote = shortNamed ? `${this.say.giftCardShort(money(shortNamed.balance ?? 0), money(needed))} ` : '';
    if (choices.length === 0) {
      state.action = undefined;
      state.awaiting = undefined;
      return {
        kind: 'refused',
        text: shortNote
          ? `${shortNote}${this.say.refused(flow.payment === 'other' ? this.say.noOtherMethod : this.say.noMethodCovers)}`
          : this.say.refused(flow.payment === 'other' ? this.say.noOtherMethod : this.say.noPaymentToRefund),
      };
    }
    const described = choices.map((m) =>
      m.id === original && flow.payment === 'refund'
        ? this.say.originalMethod(describeMethod(m, this.language))
        : describeMethod(m, this.language),
    );
    return this.askDetail(
      state,
      'payment',
      shortNote +
        (flow.payment === 'refund'
          ? this.say.askRefundMethod(described)
          : flow.payment === 'other'
            ? this.say.askNewMethod(described)
            : this.say.askDifferenceMethod(described)),
    );
  }

  /** The confirmation: exactly what will change, then a yes or no. */
  private confirmation(
    state: DialogueState,
    action: PendingAction,
    flow: OrderFlow,
    order: OrderDetails | undefined,
    replacements: Replacement[],
    methods: PaymentMethod[],
  ): ActionOutcome {
    const method = methods.find((m) => m.id === action.paymentMethodId);
    const methodText = method ? describeMethod(method, this.language) : '';
    const orderId = order?.order_id ?? '';
    const describe = (name: string, options: Record<string, string>) => `${name} (${optionsText(options)})`;
    switch (action.intent) {
      case 'cancel_order': {
        const paid = (order!.payment_history ?? []).filter((p) => p.transaction_type === 'payment').reduce((sum, p) => sum + p.amount, 0);
        return this.confirm(
          state,
          action,
          flow,
          { order_id: orderId, reason: action.reason },
          this.say.confirmCancel(
            orderId,
            (order!.items ?? []).map((i) => i.name),
            action.reason!,
            money(paid),
          ),
        );
      }
      case 'return_item': {
        const chosen = pick(order!.items ?? [], action.itemIds!);
        const amount = chosen.reduce((sum, i) => sum + i.price, 0);
        return this.confirm(
          state,
          action,
          flow,
          { order_id: orderId, item_ids: action.itemIds, payment_method_id: action.paymentMethodId },
          this.say.confirmReturn(
            orderId,
            // Two items of one product are told apart by their options, so "yes" is to the right one.
            chosen.map((i) => ((order!.items ?? []).filter((o) => o.name === i.name).length > 1 ? describe(i.name, i.options) : i.name)),
            money(amount),
            methodText,
          ),
        );
      }
      case 'exchange_item':
      case 'modify_order': {
        const difference = Math.round(replacements.reduce((sum, r) => sum + r.to.price - r.from.price, 0) * 100) / 100;
        const differenceText =
          Math.abs(difference) < 0.005
            ? this.say.noDifference
            : difference > 0
              ? this.say.youPay(money(difference), methodText)
              : this.say.youGetBack(money(-difference), methodText);
        const from = replacements.map((r) => describe(r.from.name, r.from.options));
        const to = replacements.map((r) => describe(r.from.name, r.to.options));
        const args = {
          order_id: orderId,
          item_ids: action.itemIds,
          new_item_ids: replacements.map((r) => r.to.item_id),
          payment_method_id: action.paymentMethodId,
        };
        const text =
          action.intent === 'exchange_item'
            ? this.say.confirmExchange(orderId, from.join(', '), to.join(', '), differenceText)
            : this.say.confirmModifyItems(orderId, from.join(', '), to.join(', '), differenceText);
        return this.confirm(state, action, flow, args, text);
      }
      case 'change_address':
        return this.confirm(
          state,
          action,
          flow,
          { order_id: orderId, ...action.address },
          this.say.confirmOrderAddress(orderId, addressText(action.address!)),
        );
      case 'change_user_address':
        return this.confirm(
          state,
          action,
          flow,
          { user_id: state.verifiedUserId, ...action.address },
          this.say.confirmUserAddress(addressText(action.address!)),
        );
      case 'change_payment': {
        const current = order!.payment_history?.find((p) => p.transaction_type === 'payment');
        const was = methods.find((m) => m.id === current?.payment_method_id);
        return this.confirm(
          state,
          action,
          flow,
          { order_id: orderId, payment_method_id: action.paymentMethodId },
          this.say.confirmPayment(
            orderId,
            money(current?.amount ?? 0),
            was ? describeMethod(was, this.language) : (current?.payment_method_id ?? ''),
            methodText,
          ),
        );
      }
    }
  }

  private askDetail(state: DialogueState, detail: ActionDetail, text: string): ActionOutcome {
    state.awaiting = { kind: 'detail', detail };
    return { kind: 'ask', slots: [], text };
  }

  private confirm(
    state: DialogueState,
    action: PendingAction,
    flow: OrderFlow,
    args: Record<string, unknown>,
    text: string,
  ): ActionOutcome {
    action.operation = flow.operation;
    action.args = args;
    action.confirmation = text;
    state.awaiting = { kind: 'confirm' };
    return { kind: 'confirm', text };
  }
}

/** The order's items with these ids, each taken once (an order may hold two of one item). */
function pick(items: OrderItem[], itemIds: string[]): OrderItem[] {
  const remaining = [...items];
  return itemIds
    .map(
      (id) =>
        remaining.splice(
          remaining.findIndex((i) => i.item_id === id),
          1,
        )[0],
    )
    .filter((i) => i !== undefined);
}

function chooseVariantNamed(text: string, item: OrderItem, variants: Variant[]): boolean {
  return chooseVariant(text, item, variants).kind !== 'none_named';
}

/** A cancellation's reason, as the policy names it, in the customer's everyday words. */
export function reasonIn(text: string): string | undefined {
  if (
    /no longer need|don'?t need|do not need|not needed|no (?:longer any )?use for|changed my mind|不需要|不想要了|不要了|用不(?:上|到|着)|不用了|没用了|不想买了/i.test(
      text,
    )
  )
    return 'no longer needed';
  if (
    /by mistake|mistakenly|by accident|accidentally|wrong (?:item|order)|(?:ordered|bought|picked|clicked) the wrong|mis-?click|误下单|下错|(?:买|点|拍|订|选|下)错|手滑|误点/i.test(
      text,
    )
  )
    return 'ordered by mistake';
  return undefined;
}

const nameWords = (name: string) => name.toLowerCase().split(/[\s-]+/);
const lastWord = (name: string) => nameWords(name).at(-1) ?? '';

/**
 * Whether the message names the item: its whole name, or its last word as a word of its own ("the
 * camera", "the cameras"; not "mat" in "material") when no other item in `among` ends with that
 * word (a Luggage Set and a Dumbbell Set: "set" names neither).
 */
function namesItem(text: string, item: OrderItem, among: OrderItem[]): boolean {
  const lower = text.toLowerCase();
  const last = lastWord(item.name);
  const shared = among.some((other) => other.name !== item.name && lastWord(other.name) === last);
  return (
    lower.includes(item.name.toLowerCase()) ||
    (!shared && (new RegExp(`(?<![\\p{L}])${escapePattern(last)}s?(?![\\p{L}])`, 'u').test(lower) || misspells(lower, last))) ||
    // Read against the order's other items too, so the longer name wins: 电热水壶 is the Electric
    // Kettle, not also the Water Bottle (水壶).
    productsNamedInChinese(
      text,
      among.map((i) => i.name),
    ).includes(item.name) ||
    productsNamedInEnglish(lower, [item.name]).length > 0
  );
}

/**
 * "keybord", "skatebord", "hedphones": a word one slip from an item's last word of seven letters or
 * more, when it is no word of any product's name ("sneakers" is the Sneakers, not a slip of "speaker").
 */
function misspells(lower: string, last: string): boolean {
  if (last.length < 7) return false;
  return (lower.match(/\p{L}{6,}/gu) ?? []).some((word) => {
    const singular = word.replace(/e?s$/, '');
    if (CATALOGUE_WORDS.has(word) || CATALOGUE_WORDS.has(singular) || CATALOGUE_WORDS.has(`${singular}s`)) return false;
    return editDistance(word, last, 1) <= 1 || editDistance(singular, last, 1) <= 1;
  });
}

/**
 * Answering "which items do you mean", "the vacuum" names the Vacuum Cleaner: an item's first word
 * of four letters or more, when no other item's name has that word ("the smart one" with a Smart
 * Watch and a Smart Thermostat names neither). Not in a request itself, where "send it to my
 * office" would name an Office Chair.
 */
function namesByFirstWord(lower: string, item: OrderItem, among: OrderItem[]): boolean {
  const [first, ...rest] = nameWords(item.name);
  if (rest.length === 0 || first.length < 4) return false;
  if (among.some((other) => other.name !== item.name && nameWords(other.name).includes(first))) return false;
  return new RegExp(`(?<![\\p{L}])${escapePattern(first)}(?![\\p{L}])`, 'u').test(lower);
}

/**
 * The parts of a message about one of several items: each from a clause that names it alone to the
 * next clause that names another ("the luggage set should be the 4-piece, and the lamp in silver":
 * the silver is the lamp's). An item may be named twice ("my order with a charger and a keyboard
 * … the keyboard in 80%"): its parts in order. The whole message when no clause names it alone.
 */
function partsAbout(text: string, item: OrderItem, among: OrderItem[]): string[] {
  const others = among.filter((other) => other.item_id !== item.item_id);
  if (others.length === 0) return [text];
  const parts = text.split(CLAUSE_BREAK); // clause, break, clause, …
  const found: string[] = [];
  let start = -1;
  for (let i = 0; i < parts.length; i += 2) {
    const namesThis = namesItem(parts[i], item, among);
    const namesOther = others.some((other) => namesItem(parts[i], other, among));
    if (start < 0 && namesThis && !namesOther) start = i;
    else if (start >= 0 && namesOther && !namesThis) {
      found.push(parts.slice(start, i).join(''));
      start = -1;
    }
  }
  if (start >= 0) found.push(parts.slice(start).join(''));
  return found.length > 0 ? found : [text];
}

/** "…the luggage set, both in red": a clause that speaks of every item whichever it names. */
const BOTH = /\b(?:both|each|all of them|the two of them)\b|都|两个|两件/i;

/**
 * The message as it speaks of every item: without the clauses about another item alone ("change the
 * helmet from blue to white" is no choice for the hose), nor the other items' descriptions of what
 * they are now (in "the blue bottle and the black luggage set, both in red", black is the set's).
 */
function sharedPart(text: string, item: OrderItem, among: OrderItem[]): string {
  const others = among.filter((other) => other.item_id !== item.item_id);
  const aboutAnother = (clause: string) =>
    !BOTH.test(clause) && others.some((other) => namesItem(clause, other, among)) && !namesItem(clause, item, among);
  let rest = text
    .split(CLAUSE_BREAK) // clause, break, clause, …
    .map((part, i) => (i % 2 === 0 && aboutAnother(part) ? ' ' : part))
    .join('');
  for (const other of others) {
    const name = `(?:${escapePattern(other.name)}|${escapePattern(lastWord(other.name))})`;
    for (const value of Object.values(other.options))
      rest = rest.replace(new RegExp(`(?<![\\p{L}\\d])${escapePattern(value)}[\\s-]+(?:\\p{L}+\\s+){0,2}?${name}`, 'giu'), ' ');
  }
  return rest;
}

/**
 * "Both", "all of them", "everything", 全部, 都 (这些都不要了): every item. Not "everything else the
 * same", "all else", 其他都不变, 续航和防水都不用变, which keep the rest of an item as it is.
 */
const ALL_ITEMS =
  /\b(?:all|both|everything)\b(?!\s+(?:else|other|the same))|\bwhole order\b|全部|(?<!其他|其它|其余|别的)都(?!(?:不用|不|没)(?:变|动|改|换)|一样|照旧|保持|维持|相同)/i;

// A clause that keeps an item ("the dumbbells I'll keep", "the puzzle stays with me", "the backpack
// and the clock are fine", "…, not the lamp", "everything except the mat", 耳机留着, 除了耳机) names it as not meant; one that cannot keep it
// ("I can't keep the lamp") or keeps something else ("keep everything else the same", "they keep
// disconnecting") does not.
const CLAUSE_BREAK = /([.!?;,\n。！？；，]|\b(?:but|and)\b|但是?|不过|\b(?:except(?: for)?|apart from|other than)\b|除了)/i;
const EXCEPT = /^(?:except(?: for)?|apart from|other than|除了)$/i;
const KEEPS =
  /\bkeep(?:ing)?\b(?!\s+(?:\w{1,30}ing\b|everything|all|the rest|it the same|them the same))|\bhold(?:ing)? on to\b|\bstays? with me\b|^\s*not (?:the|my)\b|保留|留着|不退|不换|不用(?:退|换)/i;
const CANNOT_KEEP = /\b(?:can'?t|cannot|don'?t want to|won'?t|not going to)\s+keep\b/i;
/**
 * "The backpack and the wall clock are fine", "the lamp and chair stay as they are": kept, when the
 * clause ends there (not "…if that is ok", nor "the lamp is fine but…"). Only an item with no
 * namesake in the order: "the white bookshelf stays as it is" does not tell which of two bookshelves
 * is kept by the item's name alone (the options then tell them apart, `itemsIn`).
 */
const FINE =
  /(?<!\b(?:that|this|it|which|if|everything|all|else|rest)\s{1,3})\b(?:(?:is|are)\s{1,3}(?:all\s{1,3})?(?:fine|ok(?:ay)?|good)|(?:stay|stays|remain|remains)\s{1,3}(?:as\s{1,3}(?:it|they)\s{1,3}(?:is|are)|unchanged))\s*$/i;

/** A clause with a verb or a subject of its own is no item added to the list before it ("…, and I want to return the lamp"). */
const OWN_CLAUSE =
  /\b(?:i|i'?[dm]|we|you|u|it|they|those|these|that|please|pls|return|send|exchange|swap|cancel|change|want|need|would|could|can|refund|get|just|only)\b|退|换|取消|要|想|请|只/i;
const LIST_JOIN = /^(?:,|，|and)$/i;

function keptItems(text: string, items: OrderItem[]): Set<string> {
  const parts = text.split(CLAUSE_BREAK); // clause, break, clause, …
  const kept = new Set<string>();
  let keeping = false;
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i];
    const excepted = i > 0 && EXCEPT.test(parts[i - 1].trim());
    // "I'd keep the laptop and the e-reader": the list after a keeping clause is kept too.
    const listed: boolean =
      keeping &&
      i > 0 &&
      LIST_JOIN.test(parts[i - 1].trim()) &&
      !OWN_CLAUSE.test(clause) &&
      items.some((item) => namesItem(clause, item, items));
    const keeps = KEEPS.test(clause) && !CANNOT_KEEP.test(clause);
    const fine: boolean = !excepted && !listed && !keeps && FINE.test(clause);
    keeping = excepted || listed || keeps || fine;
    if (!keeping) continue;
    const keepable = fine ? items.filter((item) => !items.some((other) => other !== item && other.product_id === item.product_id)) : items;
    for (const item of keepable) if (namesItem(clause, item, items)) kept.add(item.item_id);
    // "The dumbbells and the makeup kit I'm keeping": named before the verb, the items joined to it
    // by "and" are kept too (not across a comma: "return the watch, the mat and the kit I keep");
    // "the boots, the e-reader and the helmet are fine" is one subject, commas and all.
    const verb = clause.search(fine ? FINE : KEEPS);
    const joined = fine ? LIST_JOIN : /^and$/i;
    if (!listed && !excepted && verb > 0 && keepable.some((item) => namesItem(clause.slice(0, verb), item, items)))
      for (let j = i - 2; j >= 0 && joined.test(parts[j + 1].trim()) && !OWN_CLAUSE.test(parts[j]); j -= 2)
        for (const item of keepable) if (namesItem(parts[j], item, items)) kept.add(item.item_id);
  }
  return kept;
}

/**
 * Items named to say which one is meant, not as meant themselves: "the yoga mat that came with my
 * grill and laptop", "the lamp I ordered together with the desk", "the order with the kettle",
 * "the one with the helmet and the hose", "the one that also had a bookshelf", "an order that hasn't
 * shipped yet with a keyboard, a hose and boots", "my order that is not shipped yet has a helmet, a
 * hose and a puzzle in it" (which order), 和烤架一起买的瑜伽垫. Runs to the end of the clause, and over a list's commas ("my order with the
 * camera, the purifier and the sneakers hasn't shipped"), not into a clause of its own (", I want…").
 */
const CONTEXT =
  /\b(?:(?:that|which|i|we|it|they)\s+(?:came|arrived|got|bought|ordered|purchased|received|was delivered)\b[^.!?;,\n]{0,30}?\b(?:with|alongside|beside|together with|in the same (?:order|box|package|parcel|delivery) as)|(?:order|box|package|parcel|delivery|one)\s+(?:(?:that|which)\s+(?:has(?:n'?t| not)|is(?:n'?t| not))\s+(?:been\s+)?(?:shipped|arrived|delivered|come)\s+(?:yet\s+)?)?(?:with|containing|(?:that|which)\s+(?:also\s+)?(?:had|has|included|includes|contained|contains))|order\s+(?:(?:that|which)\s+(?:has(?:n'?t| not)|is(?:n'?t| not))\s+(?:been\s+)?(?:shipped|arrived|delivered|come)\s+(?:yet\s+)?)?(?:has|had|contains|contained|includes|included))\b(?:[^.!?;,\n]|,(?!\s*(?:(?:and|but|so)\s+)?(?:i|we|you|u|can|could|please|pls|plz|would|will|it|they|that|this|but|so|then|not|only|just)\b))*|(?:和|跟|与|同)[^，。！？；,.!?;\n]{1,20}?一起(?:买|下单|订|寄|到|送|发)|里面?(?:有|是|包括)[^，。！？；,.!?;\n]{0,40}?(?:、|和|以及)[^，。！？；,.!?;\n]{0,40}/giu;

/** Where a replacement starts ("… for a black one", "… to the 6 ft one", 换成…): what follows is not the item as it is. */
const REPLACEMENT_START =
  /\b(?:for|to|into|with)\s+(?:a|an|the|one|that|this)\b|\binstead\b|\b(?:should|must|needs? to|to)\s+become\b|\b(?:should|must|needs? to|to)\s+be\b(?!\s+(?:returned|exchanged|sent back|changed|modified|swapped|replaced)\b)|换成|改成|换为|改为|换个|换一个/i;
/** The action itself: what follows it names the item meant ("…, can you return the black one"). */
const ACTION_VERB = /\b(?:return|send|exchang|swap|switch|chang|modif|replac)\w*|退|换|改/i;

/**
 * Two items of one product in the order ("the red cycling helmet" beside a blue one): the one whose
 * own options the message names before any replacement is described. The options that tell them
 * apart are compared, as whole words, two letters or more (sizes "M" or "L" read as words too
 * often); none or all named, both stay, and the confirmation spells out which.
 */
function theDescribedOnes(text: string, picked: OrderItem[]): OrderItem[] {
  const byName = new Map<string, OrderItem[]>();
  for (const item of picked) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
  if ([...byName.values()].every((same) => same.length < 2)) return picked;
  const cut = text.search(REPLACEMENT_START);
  const before = cut > 0 ? text.slice(0, cut) : text;
  const verb = before.search(ACTION_VERB);
  // What describes an item, most to least: the request's own sentences ("…, a landscape one and an
  // art one. Could I exchange the art puzzle…", where the whole message names both as often); the
  // words after the action verb ("… - can you return the black one"); the message before any
  // replacement.
  const wordings = [
    () => optionWordsOf((before.match(SENTENCE) ?? []).filter(requestSentence).join(' ')),
    () => optionWordsOf(verb >= 0 ? before.slice(verb) : ''),
    () => optionWordsOf(before),
  ];
  return [...byName.values()].flatMap((same) => {
    if (same.length < 2) return same;
    const left = optionWordsOf(leavingClauses(text, same).join(' '));
    const telling = (item: OrderItem) => tellingOptions(item, same);
    // "I'm keeping the black ones", "the tactile one stays as it is": not the one meant.
    const notLeft = same.filter((item) => !telling(item).some((v) => namesValue(left, v)));
    if (notLeft.length > 0 && notLeft.length < same.length) return notLeft;
    for (const wording of wordings) {
      const words = wording();
      const named = same.map((item) => telling(item).filter((v) => namesValue(words, v)).length);
      const most = Math.max(...named);
      if (most > 0 && !named.every((n) => n === most)) return same.filter((_, i) => named[i] === most);
    }
    return same;
  });
}

/** An item's option values that its namesakes do not share (two letters or more: "M" or "L" read as words too often). */
function tellingOptions(item: OrderItem, same: OrderItem[]): string[] {
  const shared = (value: string) =>
    same.every((other) => Object.values(other.options).some((v) => v.toLowerCase() === value.toLowerCase()));
  return Object.values(item.options).filter((v) => v.length >= 2 && !shared(v));
}

/** Leaving something as it is: "leave the tactile keyboard alone", "the other one stays", 那个不动. */
const LEAVES = /\b(?:stays?|remains?|leave|alone|as it is|don'?t (?:touch|change))\b|不动|不用动|不变|别动/i;

/** Clauses for what is left as it is: "and" joins the item to its verb ("the red one is fine and stays"). */
const LEAVING_BREAK = /[.!?;,\n。！？；，]|\bbut\b|但是?|不过/i;

/** "…, leave it", "keep that one": the item is named earlier in the sentence. */
const LEAVING_IT =
  /^\s*(?:and\s+|so\s+|just\s+|please\s+)*(?:leave|keep(?:ing)?)\s+(?:it|them|that|this)\b|\b(?:it|that one|this one)\s+(?:stays|remains)\b/i;

/** An item spoken of without its name: "the black ones", "the other pair", 那个. */
const AN_ITEM = /\b(?:one|ones|pair|pairs)\b|那个|那件|那双|那台/i;

/**
 * The clauses that keep one of `same` or leave it as it is: what they describe is not the item
 * meant. Only clauses about an item: "keep 1L glass" keeps options, not the other kettle.
 */
function leavingClauses(text: string, same: OrderItem[]): string[] {
  const aboutAnItem = (clause: string) => AN_ITEM.test(clause) || same.some((item) => namesItem(clause, item, same));
  return (text.match(SENTENCE) ?? [text]).flatMap((sentence) => {
    const clauses = sentence
      .split(LEAVING_BREAK)
      .filter((clause) => LEAVES.test(clause) || (KEEPS.test(clause) && !CANNOT_KEEP.test(clause)));
    if (clauses.some((clause) => LEAVING_IT.test(clause)) && aboutAnItem(sentence)) return [sentence];
    return clauses.filter(aboutAnItem);
  });
}

/**
 * The message without what describes an item's namesake: the clauses that leave it as it is ("the
 * tactile one stays as it is" says nothing of the linear keyboard's replacement), and the clauses
 * that describe it alone where nothing is asked ("Two puzzles came, a landscape one at intermediate
 * level and an art one. Could I exchange the art puzzle for…": "intermediate" is not wanted).
 */
function withoutNamesakesLeft(text: string, item: OrderItem, items: OrderItem[]): string {
  const namesakes = items.filter((other) => other.name === item.name && other.item_id !== item.item_id);
  if (namesakes.length === 0) return text;
  const same = [item, ...namesakes];
  const theirs = namesakes.flatMap((other) => tellingOptions(other, same));
  const mine = tellingOptions(item, same);
  const describesThem = (part: string) => theirs.some((v) => namesValue(optionWordsOf(part), v));
  const describesIt = (part: string) => mine.some((v) => namesValue(optionWordsOf(part), v));
  // Clauses of sentences that ask for nothing, about the namesake alone: "the brown bookshelf
  // should be the 5 ft one" (the white one's length) speaks of this one and stays.
  const described = (text.match(SENTENCE) ?? [])
    .filter((sentence) => !requestSentence(sentence))
    .flatMap((sentence) => sentence.split(CLAUSE_BREAK).filter((_, i) => i % 2 === 0))
    .filter((clause) => describesThem(clause) && !describesIt(clause));
  const drop = new Set([...leavingClauses(text, same).filter(describesThem), ...described]);
  return [...drop].reduce((rest, part) => rest.replace(part, ' '), text);
}

/** "…, so I'd like to return just the umbrella", 只退拼图: what follows "just" or "only" is all that is meant. */
const ONLY = /\b(?:just|only)\b([^.!?;\n]{1,60})|只(?:退|换|要|取消|改)?([^。！？；，\n]{1,20})/giu;

/** Of the items named, those named after "just" or "only", when any are. */
function onlyThese(text: string, named: OrderItem[], items: OrderItem[]): OrderItem[] {
  const spans = [...text.matchAll(ONLY)].map((match) => match[1] ?? match[2]);
  const only = named.filter((item) => spans.some((span) => namesItem(span, item, items)));
  return only.length > 0 ? only : named;
}

/**
 * The order's items the message names ("the watch", "the luggage set"), or all of them for
 * "both"/"everything"; with `single` an order of one item needs no naming; `asked`: the message
 * answers which items.
 */
export function itemsIn(text: string, items: OrderItem[], single = true, asked = false): string[] | undefined {
  if (single && items.length === 1) return [items[0].item_id];
  const kept = keptItems(text, items);
  const named = text.replace(CONTEXT, ' ');
  const names = (i: OrderItem) => namesItem(named, i, items) || (asked && namesByFirstWord(named.toLowerCase(), i, items));
  // Items named outright win over "all" or "everything" ("return my sunglasses, they make everything
  // look strange"): taking too few is put right at the confirmation, which invites more; too many
  // is a change the customer may confirm without reading.
  const specific = theDescribedOnes(
    named,
    items.filter(names).filter((i) => !kept.has(i.item_id)),
  );
  const meant =
    specific.length > 0 || !ALL_ITEMS.test(named) ? onlyThese(named, specific, items) : items.filter((i) => !kept.has(i.item_id));
  const ids = meant.map((i) => i.item_id);
  return ids.length > 0 ? ids : undefined;
}
