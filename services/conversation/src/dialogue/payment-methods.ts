// The customer's payment methods as the conversation names them: which one a message means, and how
// the confirmation spells each out. The retail policy lets the customer choose where a refund or a
// price difference goes, so the bot asks whenever there is more than one allowed method.
import type { Language } from '../turns/replies';

export interface PaymentMethod {
  id: string;
  source: string;
  brand?: string;
  last_four?: string;
  balance?: number;
}

/** "PayPal", "Visa credit card ending 3356", "gift card (balance $30.00)". */
export function describeMethod(method: PaymentMethod, language: Language): string {
  if (language === 'zh') {
    if (method.source === 'paypal') return 'PayPal';
    if (method.source === 'credit_card') return `尾号 ${method.last_four ?? '?'} 的${capitalise(method.brand ?? '')}信用卡`;
    if (method.source === 'gift_card') return `礼品卡（余额 $${(method.balance ?? 0).toFixed(2)}）`;
    return method.id;
  }
  if (method.source === 'paypal') return 'PayPal';
  if (method.source === 'credit_card') return `${capitalise(method.brand ?? 'credit')} credit card ending ${method.last_four ?? '?'}`;
  if (method.source === 'gift_card') return `gift card (balance $${(method.balance ?? 0).toFixed(2)})`;
  return method.id;
}

const SOURCE_WORDS: Record<string, RegExp> = {
  paypal: /paypal|贝宝/i,
  credit_card: /credit|card ending|\bvisa\b|master ?card|\bamex\b|american express|discover|信用卡/i,
  gift_card: /gift ?card|礼品卡|礼卡/i,
};
// "The original" or "the same" names the payment only when it is what was asked about: in an
// opening, "the same one but in blue" is about the product.
const ORIGINAL_PAYMENT =
  /\b(?:original|same)\s+(?:payment|method|card)\b|\bpaid (?:it )?with\b|the one i (?:used|paid)|原支付|原路|原(?:来的)?(?:卡|账户|付款方式|支付方式)/i;
const ORIGINAL_WHEN_ASKED = /\boriginal\b|\bsame\b|原来的/i;
/**
 * A method named only to be turned down ("PayPal, please, not the gift card", "onto my gift card
 * rather than my Visa", 不要用礼品卡): read past, so the one wanted is the one named.
 */
const NOT_THIS_ONE =
  /\b(?:not|rather than|instead of|other than|don'?t (?:use|want|put it on))\s{1,3}(?:(?:to|on|onto|with|in)\s{1,3})?(?:(?:the|my|a|that)\s{1,3})?(?:[\w-]{1,15}\s{1,3}){0,2}?(?:gift ?card|paypal|visa|master ?card|amex|credit card|card)\b|(?:不要|不用|别|不是)(?:用|走|退到|退回|付到)?(?:礼品卡|礼卡|PayPal|贝宝|信用卡|Visa|万事达卡?)/gi;

/**
 * The one method among `choices` the message names: by id, by the last four digits, by kind
 * ("my gift card", "PayPal", "the Visa"), or "the original" (`originalId`; a bare "the original" or
 * "the same" only in an answer to `asked`, the bot's question about the payment). Undefined when
 * it names none or several.
 */
export function methodNamedIn(written: string, choices: PaymentMethod[], originalId?: string, asked = false): PaymentMethod | undefined {
  const text = written.replace(NOT_THIS_ONE, ' ');
  const byId = choices.find((m) => text.includes(m.id));
  if (byId) return byId;
  const byDigits = choices.filter((m) => m.last_four && new RegExp(`(?<!\\d)${m.last_four}(?!\\d)`).test(text));
  if (byDigits.length === 1) return byDigits[0];
  // Credit words also match "gift card": a gift card named outright wins.
  const kinds = SOURCE_WORDS.gift_card.test(text) ? ['gift_card'] : Object.keys(SOURCE_WORDS).filter((k) => SOURCE_WORDS[k].test(text));
  let named = choices.filter((m) => kinds.includes(m.source));
  const brand = named.filter((m) => m.brand && text.toLowerCase().includes(m.brand.toLowerCase()));
  if (brand.length === 1) named = brand;
  if (named.length === 1) return named[0];
  const original = ORIGINAL_PAYMENT.test(text) || (asked && ORIGINAL_WHEN_ASKED.test(text));
  if (named.length === 0 && originalId && original) return choices.find((m) => m.id === originalId);
  return undefined;
}

function capitalise(word: string): string {
  return word ? word[0].toUpperCase() + word.slice(1) : word;
}
