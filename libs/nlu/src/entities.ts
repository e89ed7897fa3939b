// The details a customer-service conversation needs from a message: order ids, emails, phones,
// names, zip codes, amounts and dates, each normalised to one canonical form so a slot compares
// equal however it was typed. (Products are matched against an order's own items where they are
// needed: see ProductMatcher and the conversation's order-reference.) Patterns run on the normalised text (full-width
// -> half-width, see normalize-text.ts); offsets point into the raw text as sent.
import { findDates } from './date-entities';
import { normalizeWithOffsets, rawSpan } from './normalize-text';

export type EntityType = 'order_id' | 'email' | 'phone' | 'name' | 'zip' | 'amount' | 'date';

export interface Entity {
  type: EntityType;
  /**
   * Canonical form: order_id "#W2378156"; email lower case; phone "+" and digits ("+15551234567");
   * name as written, each word capitalised ("Yusuf Rossi", "张三"); zip digits ("46201",
   * "46201-1234", "100080"); amount "12.50 USD" (two decimals, ISO 4217 code); date "YYYY-MM-DD".
   */
  value: string;
  /** The text as the customer typed it: raw.slice(start, end) of the input. */
  raw: string;
  /** Half-open span in the raw input (not the normalised text). */
  start: number;
  end: number;
}

export interface EntityOptions {
  /** What "today", "yesterday" and "last Monday" are relative to. Default: the current time. */
  now?: Date;
  /**
   * What the bot just asked for. Asked for a name, a message that is nothing but one ("Yusuf
   * Moore", "it's yusuf moore", "张三") is taken as it, with no "my name is" before it; asked
   * who they are (an email, a name or a zip code), "Mei Martin, 32124" is a name and a zip code.
   */
  expecting?: EntityType;
}

interface Found {
  type: EntityType;
  start: number;
  end: number;
  value: string;
}

type Extractor = (text: string, options: EntityOptions) => Found[];

/** All matches of `pattern` (flags must include g and d), spanning capture group `group`. */
function matches(text: string, pattern: RegExp, type: EntityType, value: (m: RegExpExecArray) => string | undefined, group = 0): Found[] {
  const out: Found[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const span = m.indices?.[group];
    const v = value(m);
    if (span && v !== undefined) out.push({ type, start: span[0], end: span[1], value: v });
  }
  return out;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

// Starts only after a character that cannot be part of the address, with RFC 5321 lengths: an
// unanchored `[…]+@` retried from every letter of a long word was quadratic (a 4,000-letter
// message cost ~40 ms).
const email: Extractor = (text) =>
  matches(
    text,
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/dg,
    'email',
    (m) => m[0].toLowerCase(),
  );

// tau-bench retail order ids are "#W" and seven digits; customers drop the "#", add spaces, or
// give only the digits after the word "order".
const orderId: Extractor = (text) => [
  ...matches(text, /(?<![\p{L}\p{N}])(?:#\s?)?[Ww]\s?-?\s?(\d{7})(?!\d)/dgu, 'order_id', (m) => `#W${m[1]}`),
  ...matches(text, /(?<![\p{L}\p{N}])#\s?(\d{7})(?!\d)/dgu, 'order_id', (m) => `#W${m[1]}`),
  ...matches(text, /\border\s*(?:(?:number|no\.?|id|#)\s*)?(?:is\s*)?(?:[:#]\s*)?(\d{7})(?!\d)/dgi, 'order_id', (m) => `#W${m[1]}`, 1),
  ...matches(text, /订单(?:号|编号)?\s*(?:[:：]\s*)?(?:是\s*)?(\d{7})(?!\d)/dg, 'order_id', (m) => `#W${m[1]}`, 1),
];

const phone: Extractor = (text) => [
  // Chinese mobile: 1[3-9] and nine more digits, optionally +86 or 86 in front.
  ...matches(
    text,
    /(?<![\d+])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/dg,
    'phone',
    (m) => `+86${digitsOf(m[0]).replace(/^86(?=1\d{10}$)/, '')}`,
  ),
  // International: "+" country code, then groups; 8-15 digits in all (E.164).
  ...matches(text, /\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){1,5}(?!\d)/dg, 'phone', (m) => {
    const digits = digitsOf(m[0]);
    return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  }),
  // North American: (555) 123-4567, 555-123-4567, 555.123.4567; a bare 10-digit run only after a phone word.
  ...matches(
    text,
    /(?<![\d+])(?:1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/dg,
    'phone',
    (m) => `+1${digitsOf(m[0]).slice(-10)}`,
  ),
  ...matches(text, /\b(?:phone|number|call|tel|mobile|cell)\b\D{0,15}?(?<!\d)(\d{10})(?!\d)/dgi, 'phone', (m) => `+1${m[1]}`, 1),
];

const CURRENCY_WORDS: Record<string, string> = {
  $: 'USD',
  us$: 'USD',
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  美元: 'USD',
  美金: 'USD',
  '¥': 'CNY',
  rmb: 'CNY',
  cny: 'CNY',
  yuan: 'CNY',
  元: 'CNY',
  块: 'CNY',
  块钱: 'CNY',
  人民币: 'CNY',
  '€': 'EUR',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  欧元: 'EUR',
  '£': 'GBP',
  gbp: 'GBP',
  英镑: 'GBP',
};
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
const formatAmount = (whole: string, fraction: string | undefined, currency: string) =>
  `${Number(`${whole.replace(/,/g, '')}.${fraction ?? '0'}`).toFixed(2)} ${currency}`;

// A number before a currency word starts after a non-digit: started at every digit of a long run,
// `\d+` made the pattern quadratic.
const amount: Extractor = (text) => [
  ...matches(text, new RegExp(String.raw`(US\$|\$|¥|€|£|\b(?:USD|RMB|CNY|EUR|GBP)\b)\s?${NUMBER}`, 'dgi'), 'amount', (m) =>
    formatAmount(m[2], m[3], CURRENCY_WORDS[m[1].toLowerCase()]),
  ),
  ...matches(
    text,
    new RegExp(
      String.raw`(?<![\d,])${NUMBER}\s?(dollars?|bucks|usd|euros?|eur|gbp|yuan|rmb|cny|块钱|块|元|美元|美金|欧元|英镑|人民币)(?![a-z])`,
      'dgi',
    ),
    'amount',
    (m) => formatAmount(m[1], m[2], CURRENCY_WORDS[m[3].toLowerCase()]),
  ),
];

const date: Extractor = (text, options) => findDates(text, options.now ?? new Date()).map((d) => ({ type: 'date', ...d }));

const zip: Extractor = (text, options) => [
  ...matches(text, /(?:邮编|邮政编码)\s*(?:[:：]\s*)?(?:是\s*)?(\d{6})(?!\d)/dg, 'zip', (m) => m[1], 1),
  ...matches(
    text,
    /\b(?:zip|zipcode|zip code|postcode|post code|postal code)\b\D{0,12}?(?<!\d)(\d{5}(?:-\d{4})?)(?![\d-])/dgi,
    'zip',
    (m) => m[1],
    1,
  ),
  // A message that is only a zip code answers "what's your zip code?".
  ...matches(text, /^\s*(\d{5}(?:-\d{4})?)\s*[.!]?\s*$/dg, 'zip', (m) => m[1], 1),
  ...(asksWhoTheyAre(options) ? matches(text, NAME_THEN_ZIP, 'zip', (m) => (nameIn(m, 0, 2) ? m[2] : undefined), 2) : []),
];

// Words that follow "I'm" / "this is" and are not names ("I'm Very upset", "this is The third time").
const NOT_NAME_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'so',
  'very',
  'really',
  'just',
  'not',
  'still',
  'here',
  'there',
  'sorry',
  'looking',
  'trying',
  'calling',
  'writing',
  'having',
  'going',
  'getting',
  'waiting',
  'asking',
  'about',
  'from',
  'in',
  'at',
  'on',
  'with',
  'your',
  'my',
  'our',
  'is',
  'was',
  'ridiculous',
  'unacceptable',
  'upset',
  'angry',
  'happy',
  'fine',
  'good',
  'ok',
  'okay',
  'interested',
  'done',
  'new',
  'back',
  'also',
  'again',
  'order',
  'customer',
  'to',
  'for',
  'of',
  'it',
  'this',
  'that',
  'what',
  'why',
  'how',
  'when',
  'where',
  'who',
  'i',
  'me',
  'please',
  'thanks',
  "i'm",
  'im',
  'yes',
  'no',
  'nope',
  'sure',
  'hi',
  'hello',
  'hey',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'today',
  'tomorrow',
  'yesterday',
  // Parts of an address: "it's Apt 21B, not 12B", "it's Suite 4".
  'apt',
  'apartment',
  'suite',
  'unit',
  'flat',
  'floor',
  'room',
  'building',
  'street',
  'st',
  'avenue',
  'ave',
  'road',
  'rd',
  'lane',
  'drive',
  'zip',
]);
const NAME_TRIGGER = /\b(my\s+name\s+is|my\s+name's|name\s+is|name's|i\s+am|i'm|im|this\s+is|it's|call\s+me)\s+/dgi;
const NAME_WORD = /^[\p{L}][\p{L}'’-]*$/u;
// Common Chinese surnames, to tell "我是张三" (a name) from "我是来退货的" (not one).
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
]);
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '慕容'];
// Characters that end a Chinese name written without punctuation: "我叫张三想退货" -> 张三.
const ZH_NAME_STOP = /[想要的是在了，,我来需请和跟呢吧啊呀哦嗯订退换查问买]/u;
// After a surname-like first character, what no bare name holds beside ZH_NAME_STOP: 谢谢你们, 好的呀, 王是….
const ZH_NOT_IN_BARE_NAME = /[你您他她它们谢吗好不没]/u;

/** "yusuf" and "YUSUF" -> "Yusuf"; "McDonald" stays. */
const capitalise = (word: string) => {
  const rest = word.length > 1 && word === word.toUpperCase() ? word.slice(1).toLowerCase() : word.slice(1);
  return word.charAt(0).toUpperCase() + rest;
};

/**
 * "Yusuf Moore, zip 10144": capitalised words right before a zip code are the name it goes with.
 * Words start where a word starts and are bounded, so the scan stays linear (the ReDoS suite).
 */
const NAME_BEFORE_ZIP =
  /(?<![\p{L}'’-])(\p{Lu}[\p{L}'’-]{0,30}(?:\s{1,3}\p{Lu}[\p{L}'’-]{0,30}){1,2}),?\s{1,3}(?:and\s{1,3})?(?:my\s{1,3})?(?:zip|zip code|zipcode|postcode|postal code)\b/dgu;
/**
 * Asked who they are, "Mei Martin, 32124": two or three capitalised words and then a zip code,
 * without the word "zip" between. Only then: elsewhere a name and a number are too often not these.
 */
const NAME_THEN_ZIP =
  /(?<![\p{L}'’-])(\p{Lu}[\p{L}'’-]{0,30}(?:\s{1,3}\p{Lu}[\p{L}'’-]{0,30}){1,2}),?\s{1,3}(\d{5}(?:-\d{4})?)(?![\d-])/dgu;
const IDENTITY_DETAILS: ReadonlySet<EntityType> = new Set(['email', 'name', 'zip']);
const asksWhoTheyAre = (options: EntityOptions) => options.expecting !== undefined && IDENTITY_DETAILS.has(options.expecting);
/** A whole (trimmed) message that is a name, optionally after "it's" / "I'm" / "name:". */
const BARE_NAME = /^(?:it'?s\s{1,3}|i'?m\s{1,3}|name:?\s{1,3})?([\p{L}'’-]{1,40}(?:\s{1,3}[\p{L}'’-]{1,40}){0,2})[.!]?$/diu;
/** The same for a Chinese name: 张三 alone. */
const BARE_ZH_NAME = /^(\p{Script=Han}{2,4})[。.]?$/du;

const nameWords = (words: string[]) =>
  words.every((w) => NAME_WORD.test(w) && !NOT_NAME_WORDS.has(w.toLowerCase()) && !/\p{Script=Han}/u.test(w));

/** A Chinese name's first character(s) are a known surname. */
const hasSurname = (given: string) => SURNAMES.has(given.charAt(0)) || COMPOUND_SURNAMES.some((s) => given.startsWith(s));

/** The name words of a match's first group at offset `at` ("I'm Yusuf Moore": "I'm" dropped), if at least `minWords`. */
function nameIn(m: RegExpMatchArray, at: number, minWords: number): Found | undefined {
  const span = m.indices?.[1];
  if (!span) return undefined;
  let words = [...m[1].matchAll(/\S+/g)];
  while (words.length > 1 && !nameWords([words[0][0]])) words = words.slice(1);
  if (words.length < minWords || !nameWords(words.map((w) => w[0]))) return undefined;
  return { type: 'name', start: at + span[0] + words[0].index, end: at + span[1], value: words.map((w) => capitalise(w[0])).join(' ') };
}

const name: Extractor = (text, options) => {
  const out: Found[] = [];
  const keep = (found: Found | undefined) => found && out.push(found);
  for (const m of text.matchAll(NAME_BEFORE_ZIP)) keep(nameIn(m, 0, 2));
  if (asksWhoTheyAre(options)) for (const m of text.matchAll(NAME_THEN_ZIP)) keep(nameIn(m, 0, 2));
  // Asked for a name, the whole message is tried as one (trimmed: the patterns are anchored).
  const trimmed = text.trim();
  const trimmedAt = text.indexOf(trimmed);
  if (options.expecting === 'name') {
    const latin = BARE_NAME.exec(trimmed);
    if (latin) keep(nameIn(latin, trimmedAt, 1));
    // "张三" alone, a known surname first.
    const zh = BARE_ZH_NAME.exec(trimmed);
    const span = zh?.indices?.[1];
    if (zh && span && hasSurname(zh[1]) && !ZH_NOT_IN_BARE_NAME.test(zh[1].slice(1)) && !ZH_NAME_STOP.test(zh[1].slice(1)))
      out.push({ type: 'name', start: trimmedAt + span[0], end: trimmedAt + span[1], value: zh[1] });
  }
  NAME_TRIGGER.lastIndex = 0;
  for (let m = NAME_TRIGGER.exec(text); m; m = NAME_TRIGGER.exec(text)) {
    // After "my name is" a lower-case name counts; after "I'm" / "this is" only capitalised words do.
    const explicit = /name/i.test(m[1]) || /call/i.test(m[1]);
    const words: Array<{ word: string; start: number; end: number }> = [];
    const tail = /[\p{L}'’-]+/gu;
    tail.lastIndex = NAME_TRIGGER.lastIndex;
    for (let w = tail.exec(text); w && words.length < 3; w = tail.exec(text)) {
      const previousEnd = words.length > 0 ? words[words.length - 1].end : NAME_TRIGGER.lastIndex;
      if (!/^\s*$/.test(text.slice(previousEnd, w.index))) break; // a comma or digit ends the name
      const word = w[0];
      if (!NAME_WORD.test(word) || NOT_NAME_WORDS.has(word.toLowerCase())) break;
      if (!explicit && word.charAt(0) !== word.charAt(0).toUpperCase()) break;
      if (/\p{Script=Han}/u.test(word)) break;
      words.push({ word, start: w.index, end: w.index + word.length });
    }
    if (words.length > 0)
      out.push({
        type: 'name',
        start: words[0].start,
        end: words[words.length - 1].end,
        value: words.map((w) => capitalise(w.word)).join(' '),
      });
  }
  const zh = /(我叫|我的名字是|我的名字叫|名字是|名字叫|我是|本人是|本人)\s*(\p{Script=Han}{2,6})/dgu;
  for (let m = zh.exec(text); m; m = zh.exec(text)) {
    const span = m.indices?.[2];
    if (!span) continue;
    let given = m[2];
    const stop = given.slice(1).search(ZH_NAME_STOP);
    if (stop >= 0) given = given.slice(0, stop + 1);
    given = given.slice(0, 4);
    // "我叫" / "名字" introduce a name outright; "我是" / "本人" only when a surname follows.
    if (given.length < 2 || (!/叫|名字/.test(m[1]) && !hasSurname(given))) continue;
    out.push({ type: 'name', start: span[0], end: span[0] + given.length, value: given });
  }
  return out;
};

// Order matters: a span taken by an earlier extractor is not offered to later ones (an email's
// digits are not a phone; an order id is not a zip; "$12" is not a date).
const EXTRACTORS: Extractor[] = [email, orderId, phone, amount, date, zip, name];

/** Every entity in `text`, in text order; spans never overlap. */
export function extractEntities(text: string, options: EntityOptions = {}): Entity[] {
  const normalized = normalizeWithOffsets(text);
  const taken: Found[] = [];
  for (const extract of EXTRACTORS) {
    const found = extract(normalized.text, options).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const f of found) {
      if (f.end > f.start && !taken.some((t) => f.start < t.end && t.start < f.end)) taken.push(f);
    }
  }
  return taken
    .sort((a, b) => a.start - b.start)
    .map((f) => {
      const span = rawSpan(text, normalized, f.start, f.end);
      return { type: f.type, value: f.value, raw: text.slice(span.start, span.end), start: span.start, end: span.end };
    });
}
