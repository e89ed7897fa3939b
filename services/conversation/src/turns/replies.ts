// What the bot says when it is not quoting the knowledge base, in the customer's language.
import type { SlotName } from '../dialogue/dialogue-state';

export type Language = 'en' | 'zh';

const SLOT_WORDS: Record<Language, Record<SlotName, string>> = {
  en: {
    order_id: 'your order number (it starts with #W)',
    email: 'the email address on your account',
    name: 'your full name',
    zip: 'your zip code',
  },
  zh: { order_id: '您的订单号（以 #W 开头）', email: '您账户的电子邮箱', name: '您的姓名', zip: '您的邮编' },
};

const TEXTS = {
  en: {
    handoff: "Of course. I've asked a member of our support team to take over; they can see this conversation and will reply here.",
    unavailable:
      "I'm sorry, I'm having trouble looking that up right now. I've passed your message to our support team, who will reply here.",
    frustrated:
      "I'm sorry this has been frustrating. I've asked a member of our support team to take over; they can see everything so far and will reply here.",
    lowConfidence:
      "I'm sorry, I haven't been able to work out what you need. I've asked a member of our support team to help; they will reply here.",
    toolFailed: "I'm sorry, I couldn't look up your order just now. I've passed this to our support team, who will reply here.",
    greeting: 'Hello! How can I help you today?',
    thanks: (name: string) => `Thanks, ${name}.`,
    greetingNamed: (name: string) => `Hello ${name}! How can I help you today?`,
    ask: (what: string[]) => `To look that up I need ${joinEn(what)}.`,
    askOneOf: (orders: string[]) => `Which order do you mean: ${joinEn(orders, 'or')}?`,
    clarify: (options: string[]) =>
      `I couldn't find an answer to that, and I'm not sure I understood. Are you asking about ${joinEn(options, 'or')}? If not, I can connect you with a person.`,
    unknownAccount: "I couldn't find an account with those details. Could you check them and send them again?",
    notYourOrder: (order: string) => `I couldn't find order ${order} on your account. Could you check the order number?`,
    notEligible: (order: string, status: string, action: string) =>
      `Order ${order} is ${status}, so it can't be ${action} here. I can connect you with a person if you need more help.`,
    askReason: 'Could you tell me why you want to cancel: you no longer need it, or it was ordered by mistake?',
    askItems: (names: string[]) => `Which item${names.length > 1 ? 's' : ''} do you mean: ${joinEn(names, 'or')}?`,
    onlyOneItem: (name: string) => `I have only the ${name} down, so I haven't done anything yet.`,
    askNewItem: (item: string, choices: string[], more: number) =>
      `What would you like instead of the ${item}? Available: ${choices.join('; ')}${more > 0 ? `; and ${more} more (say "all" for the full list)` : ''}.`,
    whichVariant: (item: string, choices: string[]) => `More than one ${item} fits that: ${choices.join('; ')}. Which one would you like?`,
    noExactVariant: (item: string, named: string, unavailable: boolean, closest: string[]) =>
      `${unavailable ? `The ${item} in ${named} is out of stock` : `There is no ${item} in ${named}`}, so I haven't chosen one for you. The closest available: ${closest.join('; ')}. Which would you like? Say "all" for the full list.`,
    askRefundMethod: (methods: string[]) => `Where should the refund go: ${joinEn(methods, 'or')}?`,
    askDifferenceMethod: (methods: string[]) =>
      `Which payment method should pay or receive the price difference: ${joinEn(methods, 'or')}?`,
    askNewMethod: (methods: string[]) => `Which payment method would you like to use instead: ${joinEn(methods, 'or')}?`,
    giftCardShort: (balance: string, needed: string) => `Your gift card's balance (${balance}) doesn't cover ${needed}.`,
    originalMethod: (method: string) => `the original payment method (${method})`,
    askAddress: 'What is the new address? Please write it on one line: street, apartment or suite if any, city, state and zip code.',
    noDifference: ' (no price difference)',
    youPay: (amount: string, method: string) => ` (you pay ${amount} more, charged to your ${method})`,
    youGetBack: (amount: string, method: string) => ` (${amount} back to you, to your ${method})`,
    confirmModifyItems: (order: string, from: string, to: string, difference: string) =>
      `To confirm: in pending order ${order}, change the ${from} to the ${to}${difference}. Items can be changed only once: afterwards the order can't be modified or cancelled, so make sure you've named every item to change. Shall I go ahead? Please reply yes or no.`,
    confirmOrderAddress: (order: string, address: string) =>
      `To confirm: ship order ${order} to ${address}. Shall I go ahead? Please reply yes or no.`,
    confirmUserAddress: (address: string) =>
      `To confirm: change the default address on your account to ${address}. Shall I go ahead? Please reply yes or no.`,
    confirmPayment: (order: string, amount: string, from: string, to: string) =>
      `To confirm: pay order ${order} (${amount}) with your ${to} instead of your ${from}, which will be refunded. Shall I go ahead? Please reply yes or no.`,
    doneAccount: "Done. Your account's default address is updated.",
    confirmCancel: (order: string, items: string[], reason: string, amount: string) =>
      `To confirm: cancel order ${order} (${joinEn(items)}) because it is ${reason}. ${amount} will be refunded to the original payment method. Shall I go ahead? Please reply yes or no.`,
    confirmReturn: (order: string, items: string[], amount: string, method: string) =>
      `To confirm: return ${joinEn(items)} from order ${order}. ${amount} will be refunded to your ${method} once we receive the items. If there's anything else to return from this order, name it now. Shall I go ahead? Please reply yes or no.`,
    confirmExchange: (order: string, from: string, to: string, difference: string) =>
      `To confirm: exchange the ${from} from order ${order} for the ${to}${difference}. If there's anything else to exchange in this order, name it now. Shall I go ahead? Please reply yes or no.`,
    done: (order: string, status: string) => `Done. Order ${order} is now ${status}. You'll receive an email with the details.`,
    declined: "All right, I haven't changed anything. Is there anything else I can help with?",
    declinedThat: "All right, I haven't changed that.",
    alsoAsked: (request: string, reply: string) => `You also asked me to ${request}. ${reply}`,
    offer: (request: string) => `If you'd like, I can ${request} for you here: just say "yes".`,
    offerInstead: (request: string) =>
      `I couldn't find an answer to that in our knowledge base, but I can ${request} for you here: just say "yes". Or I can connect you with a member of our team.`,
    requests: {
      cancel_order: 'cancel an order',
      return_item: 'return items',
      exchange_item: 'exchange items',
      modify_order: 'change the items of a pending order',
      change_address: "change an order's shipping address",
      change_user_address: 'change the default address on your account',
      change_payment: "change an order's payment method",
    },
    awaitingApproval:
      "Thank you. A member of our team checks this kind of change before it is made; they'll look at it shortly and I'll tell you here when it's done.",
    approvalRejected: (reason: string) =>
      `Our team could not approve this change: ${reason}. Nothing has been changed; a member of our support team will reply here.`,
    needsChannelIdentity:
      "For your security, I can only change an order once you're signed in. Please sign in and ask again, or I can connect you with a person.",
    refused: (reason: string) => `I couldn't do that: ${reason.replace(/^Error:\s*/i, '')}. I can connect you with a person if you like.`,
    // The reasons the bot itself gives for refusing (the order system's own errors come as it words them).
    noOtherMethod: 'there is no other payment method on your account',
    noMethodCovers: 'no payment method on your account covers it',
    noPaymentToRefund: 'the order has no payment to refund to',
    noOtherVariant: (item: string) => `no other ${item} is available`,
    closing: "You're welcome, glad I could help. If anything else comes up, just write here.",
    welcome: "You're welcome! Is there anything else I can help you with?",
    surveyOffer:
      "You're welcome, glad I could help. How would you rate this conversation, from 1 (poor) to 5 (great)? You can add a comment.",
    surveyOfferResolved:
      'Our support team has marked your request as resolved. How would you rate this conversation, from 1 (poor) to 5 (great)? You can add a comment.',
    surveyThanks: (rating: number) => `Thank you for rating this conversation ${rating} out of 5.`,
    surveyAlreadyRated: (rating: number) =>
      `Thank you. This conversation already has your rating of ${rating} out of 5, so I've kept that one.`,
    orderStatus: (order: string, status: string, items: string[], tracking: string[]) =>
      `Order ${order} is ${status}.${items.length > 0 ? ` It contains ${joinEn(items)}.` : ''}${tracking.length > 0 ? ` Tracking number${tracking.length > 1 ? 's' : ''}: ${tracking.join(', ')}.` : ''}`,
  },
  zh: {
    handoff: '好的，我已请人工客服接手，他们能看到这段对话，会在这里回复您。',
    unavailable: '抱歉，我暂时无法查询这个问题。我已把您的消息转给人工客服，他们会在这里回复您。',
    frustrated: '非常抱歉给您带来不便。我已请人工客服接手，他们能看到之前的对话，会在这里回复您。',
    lowConfidence: '抱歉，我没能理解您的需求。我已请人工客服协助，他们会在这里回复您。',
    toolFailed: '抱歉，我暂时无法查询您的订单。我已转给人工客服，他们会在这里回复您。',
    greeting: '您好！请问有什么可以帮您？',
    thanks: (name: string) => `谢谢您，${name}。`,
    greetingNamed: (name: string) => `${name}，您好！请问有什么可以帮您？`,
    ask: (what: string[]) => `为了帮您查询，请提供${what.join('和')}。`,
    askOneOf: (orders: string[]) => `请问是哪一个订单：${orders.join('、')}？`,
    clarify: (options: string[]) =>
      `抱歉，我没有找到答案，也不太确定您的意思。您是想咨询${options.join('还是')}吗？如果都不是，我可以为您转接人工客服。`,
    unknownAccount: '没有找到与这些信息匹配的账户，请核对后再发一次。',
    notYourOrder: (order: string) => `您的账户下没有找到订单 ${order}，请核对订单号。`,
    notEligible: (order: string, status: string, action: string) =>
      `订单 ${order} 的状态是：${status}，无法在这里${action}。如需进一步帮助，我可以为您转接人工客服。`,
    askReason: '请问取消的原因是：不再需要，还是误下单？',
    askItems: (names: string[]) => `请问是哪件商品：${names.join('、')}？`,
    onlyOneItem: (name: string) => `我这里只记下了${name}，所以还没有办理。`,
    askNewItem: (item: string, choices: string[], more: number) =>
      `您想把${item}换成哪一款？可选：${choices.join('；')}${more > 0 ? `；另有 ${more} 款（回复"全部"查看完整列表）` : ''}。`,
    whichVariant: (item: string, choices: string[]) => `有多款${item}符合：${choices.join('；')}。请问您要哪一款？`,
    noExactVariant: (item: string, named: string, unavailable: boolean, closest: string[]) =>
      `${unavailable ? `${named} 的${item}已缺货` : `没有 ${named} 的${item}`}，所以我没有替您选择。最接近的可选款：${closest.join('；')}。请问您要哪一款？回复"全部"可查看完整列表。`,
    askRefundMethod: (methods: string[]) => `退款退到哪里：${methods.join('还是')}？`,
    askDifferenceMethod: (methods: string[]) => `差价用哪种支付方式支付或退回：${methods.join('还是')}？`,
    askNewMethod: (methods: string[]) => `您想改用哪种支付方式：${methods.join('还是')}？`,
    giftCardShort: (balance: string, needed: string) => `您的礼品卡余额（${balance}）不足以支付 ${needed}。`,
    originalMethod: (method: string) => `原支付方式（${method}）`,
    askAddress:
      '请提供新地址，写在一行：街道、门牌（如有公寓或套房号也请写上）、城市、州、邮编，例如 123 Main St, Apt 4, Austin, TX 78701。',
    noDifference: '（无差价）',
    youPay: (amount: string, method: string) => `（您需补差价 ${amount}，从${method}扣款）`,
    youGetBack: (amount: string, method: string) => `（退还您 ${amount}，退到${method}）`,
    confirmModifyItems: (order: string, from: string, to: string, difference: string) =>
      `请确认：将待处理订单 ${order} 中的${from}改为${to}${difference}。商品只能修改一次，之后订单不能再修改或取消，请确认要改的商品都已说明。确认办理吗？请回复"是"或"否"。`,
    confirmOrderAddress: (order: string, address: string) =>
      `请确认：将订单 ${order} 的收货地址改为 ${address}。确认办理吗？请回复"是"或"否"。`,
    confirmUserAddress: (address: string) => `请确认：将您账户的默认地址改为 ${address}。确认办理吗？请回复"是"或"否"。`,
    confirmPayment: (order: string, amount: string, from: string, to: string) =>
      `请确认：订单 ${order}（${amount}）改用${to}支付，原支付方式${from}将退款。确认办理吗？请回复"是"或"否"。`,
    doneAccount: '已办理。您账户的默认地址已更新。',
    confirmCancel: (order: string, items: string[], reason: string, amount: string) =>
      `请确认：取消订单 ${order}（${items.join('、')}），原因：${reason}。${amount} 将退回原支付方式。确认办理吗？请回复"是"或"否"。`,
    confirmReturn: (order: string, items: string[], amount: string, method: string) =>
      `请确认：退回订单 ${order} 中的${items.join('、')}。收到商品后，${amount} 将退到${method}。如果这个订单还有其他要退的商品，请现在说明。确认办理吗？请回复"是"或"否"。`,
    confirmExchange: (order: string, from: string, to: string, difference: string) =>
      `请确认：将订单 ${order} 中的${from}换成${to}${difference}。如果这个订单还有其他要换的商品，请现在说明。确认办理吗？请回复"是"或"否"。`,
    done: (order: string, status: string) => `已办理。订单 ${order} 当前状态：${status}。详细信息会通过邮件发送给您。`,
    declined: '好的，我没有做任何更改。还有什么可以帮您？',
    declinedThat: '好的，这一项我没有更改。',
    alsoAsked: (request: string, reply: string) => `您还需要${request}。${reply}`,
    offer: (request: string) => `如需要，我可以直接为您${request}，回复"是"即可。`,
    offerInstead: (request: string) =>
      `抱歉，知识库中没有找到相关答案。不过我可以直接为您${request}，回复"是"即可；也可以为您转接人工客服。`,
    requests: {
      cancel_order: '取消订单',
      return_item: '退货',
      exchange_item: '换货',
      modify_order: '修改待发货订单的商品',
      change_address: '修改订单的收货地址',
      change_user_address: '修改账户的默认地址',
      change_payment: '更改订单的支付方式',
    },
    awaitingApproval: '好的。此类更改需要由我们的工作人员审核后办理，他们会尽快处理，办理完成后我会在这里告诉您。',
    approvalRejected: (reason: string) => `我们的工作人员未能批准此更改：${reason}。目前没有做任何更改，人工客服会在这里回复您。`,
    needsChannelIdentity: '为保障您的账户安全，登录后才能修改订单。请登录后再试，或者我可以为您转接人工客服。',
    refused: (reason: string) => `抱歉，无法办理：${reason.replace(/^Error:\s*/i, '')}。如需要，我可以为您转接人工客服。`,
    noOtherMethod: '您的账户上没有其他支付方式',
    noMethodCovers: '您账户上没有足以支付的支付方式',
    noPaymentToRefund: '这个订单没有可退回的付款',
    noOtherVariant: (item: string) => `${item}目前没有其他可选的款式`,
    closing: '不客气，很高兴能帮到您。如有其他问题，随时在这里留言。',
    welcome: '不客气！还有什么可以帮您的吗？',
    surveyOffer: '不客气，很高兴能帮到您。请为本次对话打分：1（很差）到 5（很好），也可以附上您的意见。',
    surveyOfferResolved: '客服已将您的问题标记为已解决。请为本次对话打分：1（很差）到 5（很好），也可以附上您的意见。',
    surveyThanks: (rating: number) => `感谢您的评价（${rating} 分）。`,
    surveyAlreadyRated: (rating: number) => `谢谢！本次对话已有您的评分（${rating} 分），以那次为准。`,
    orderStatus: (order: string, status: string, items: string[], tracking: string[]) =>
      `订单 ${order} 的状态是：${status}。${items.length > 0 ? `包含：${items.join('、')}。` : ''}${tracking.length > 0 ? `物流单号：${tracking.join('、')}。` : ''}`,
  },
} as const;

function joinEn(items: string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

export type Phrasebook = (typeof TEXTS)['en'] | (typeof TEXTS)['zh'];
export type ReplyKey = 'handoff' | 'unavailable' | 'frustrated' | 'lowConfidence' | 'toolFailed';

export function languageOf(text: string, locale: string): Language {
  if (locale.toLowerCase().startsWith('zh')) return 'zh';
  return /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en';
}

export function phrasebook(language: Language): Phrasebook {
  return TEXTS[language];
}

export function slotWords(language: Language, slots: SlotName[]): string[] {
  return slots.map((s) => SLOT_WORDS[language][s]);
}

export function cannedReply(key: ReplyKey, text: string, locale: string): string {
  return TEXTS[languageOf(text, locale)][key];
}
