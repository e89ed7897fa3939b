// Which variant of a product the customer asks for. Every option value they name must hold (a
// "silver, low, battery" lamp is never confirmed as "silver, medium, USB"); what they leave unsaid
// stays as it is on the item they have. When nothing available matches exactly, the closest ones are
// offered instead and nothing is chosen for them.
import type { OrderItem } from './order-tools';

export interface Variant {
  item_id: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

export type VariantChoice =
  /** Exactly one available variant has every named value (and keeps the rest). */
  | { kind: 'match'; variant: Variant }
  /** The customer named nothing this product has. */
  | { kind: 'none_named' }
  /** Several available variants fit what was named: the customer picks. */
  | { kind: 'ambiguous'; named: string[]; candidates: Variant[] }
  /** Nothing available has every named value: the closest available ones, best first. */
  | { kind: 'no_exact'; named: string[]; unavailable: boolean; closest: Variant[] };

/** `value`, lower case, as a pattern that matches it literally. */
export const escapePattern = (value: string) => value.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "31-inch" and "31 inch" alike: a number and its unit, however joined. */
const withUnitsSpaced = (text: string) => text.replace(/(\d)(?:\s*-\s*|\s+)(?=[a-z])/g, '$1 ');

/**
 * Whether `value` appears in `text` (its units spaced already) as a whole word or phrase. Not right
 * after an apostrophe: the "s" of "it's" is no size S (an email given as "sure, it's …" chose one).
 */
function mentions(text: string, value: string): boolean {
  return new RegExp(`(?:^|[^a-z0-9'’])${escapePattern(withUnitsSpaced(value))}(?:$|[^a-z0-9])`).test(text);
}

/**
 * The option values the message names, per option, among every value the product has (available
 * or not, so "out of stock" can be told from "no such thing"). Naming the current value and a new one
 * ("from black to silver") means the new one.
 */
export function namedOptions(text: string, item: Pick<OrderItem, 'options'>, variants: Variant[]): Record<string, string[]> {
  const said = withUnitsSpaced(withChineseValuesInEnglish(text.toLowerCase()));
  // "Too small" says what is wrong with the one they have, not that they want a small one.
  const lower = said.replace(TOO_SIZED, ' ');
  const named: Record<string, string[]> = {};
  const keys = new Set(variants.flatMap((v) => Object.keys(v.options)));
  for (const key of keys) {
    const all = [...new Set(variants.map((v) => v.options[key]).filter((v): v is string => v !== undefined))];
    let values = all.every((v) => /^(?:yes|no)$/i.test(v)) ? yesNoOption(lower, key) : all.filter((v) => mentions(lower, v));
    // "full size" also contains "size"-less words; a longer named value wins over one inside it.
    values = values.filter((v) => !values.some((w) => w !== v && w.toLowerCase().includes(v.toLowerCase())));
    named[key] = values;
  }
  // A value two options share ("brown" frame and lens colours) belongs to the option the customer
  // names beside it ("brown lenses", "a black frame"); said on its own, it may mean either.
  for (const key of keys) {
    named[key] = named[key].filter(
      (value) =>
        saysOptionBeside(lower, key, value) ||
        ![...keys].some((other) => other !== key && named[other].includes(value) && saysOptionBeside(lower, other, value)),
    );
  }
  for (const key of keys) {
    let values = named[key];
    // Two values named: the new one, unless the one it has is said to stay ("…(intermediate) and an
    // art puzzle (beginner). … the animals theme, still beginner level").
    const own = item.options[key];
    if (values.length > 1) values = own !== undefined && saysKept(lower, own) ? [own] : values.filter((v) => v !== own);
    if (values.length > 0) named[key] = values;
    else delete named[key];
  }
  const step = sizeStep(said);
  const key = step && orderedKey(variants);
  // "The medium bed is too small": naming the size it has is no choice of size.
  if (step && key && (!named[key] || named[key].every((v) => v === item.options[key]))) {
    const next = nextValue(variants, key, item.options[key], step);
    if (next) named[key] = [next];
  }
  return named;
}

/** "still beginner level", "same 1.5L", "keeping the RGB": a value said to stay as it is. */
function saysKept(text: string, value: string): boolean {
  const v = escapePattern(withUnitsSpaced(value.toLowerCase()));
  return new RegExp(`\\b(?:still|same|keep(?:ing)?|stays?|remains?)\\s+(?:the\\s+|at\\s+|in\\s+|as\\s+)?${v}(?:$|[^a-z0-9])`).test(text);
}

// "The next size up", "a bigger one", "too small", 大一号: one step along the product's size (or its
// one other ordered option, a kettle's capacity), unless the value itself was named. "Larger than
// I expected" says what is wrong with it, not what is wanted.
const BIGGER =
  /\b(?:larger|bigger)\b(?!\s+than)|\b(?:next|one|a) size (?:up|bigger|larger)\b|\bsize up\b|\btoo (?:small|tight)\b|大一[号码点些]|更大|大点|太小/;
const SMALLER =
  /\bsmaller\b(?!\s+than)|\b(?:next|one|a) size (?:down|smaller)\b|\bsize down\b|\btoo (?:big|large|loose)\b|小一[号码点些]|更小|小点|太大/;

const TOO_SIZED = /\btoo (?:small|big|large|tight|loose)\b/g;

function sizeStep(text: string): 1 | -1 | undefined {
  const bigger = BIGGER.test(text);
  const smaller = SMALLER.test(text);
  return bigger === smaller ? undefined : bigger ? 1 : -1;
}

const SIZE_WORDS: Record<string, number> = {
  xxs: 0,
  xs: 1,
  'extra small': 1,
  s: 2,
  small: 2,
  m: 3,
  medium: 3,
  regular: 3,
  l: 4,
  large: 4,
  xl: 5,
  'x-large': 5,
  'extra large': 5,
  xxl: 6,
  'xx-large': 6,
};

/** Where a value stands on its scale: a size word, or its number and unit ("1.5 liters" is 1.5 liter, "11" is 11). */
function rankOf(value: string): { rank: number; unit: string } | undefined {
  const word = SIZE_WORDS[value.toLowerCase()];
  if (word !== undefined) return { rank: word, unit: 'size' };
  const number = /^(\d{1,9}(?:\.\d{1,6})?)\s?([a-z-]*?)s?$/i.exec(value);
  return number ? { rank: Number(number[1]), unit: number[2].toLowerCase() } : undefined;
}

/**
 * The option a size step moves: one whose every value stands on one scale (same unit: not 1080p
 * beside 4K, nor 128GB beside 1TB), the one named "size", else the product's only such option.
 */
function orderedKey(variants: Variant[]): string | undefined {
  const keys = [...new Set(variants.flatMap((v) => Object.keys(v.options)))].filter((k) => {
    const ranks = variants
      .map((v) => v.options[k])
      .filter((v): v is string => v !== undefined)
      .map(rankOf);
    return ranks.every((r) => r !== undefined && r.unit === ranks[0]!.unit);
  });
  const sized = keys.filter((k) => /size/i.test(k));
  if (sized.length === 1) return sized[0];
  return sized.length === 0 && keys.length === 1 ? keys[0] : undefined;
}

function nextValue(variants: Variant[], key: string, current: string | undefined, step: 1 | -1): string | undefined {
  const from = current === undefined ? undefined : rankOf(current)?.rank;
  if (from === undefined) return undefined;
  const beyond = [...new Set(variants.map((v) => v.options[key]).filter((v): v is string => v !== undefined))]
    .map((value) => ({ value, rank: rankOf(value)!.rank }))
    .filter(({ rank }) => (rank - from) * step > 0)
    .sort((a, b) => (a.rank - b.rank) * step);
  return beyond[0]?.value;
}

/** Whether the text names `value` next to the option's own word: "brown lenses", "lens colour brown". */
function saysOptionBeside(text: string, key: string, value: string): boolean {
  const words = key
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => !GENERIC_OPTION_WORDS.has(w));
  if (words.length === 0) return false;
  const word = `(?:${words.map((w) => `${escapePattern(w)}\\w*`).join('|')})`;
  const v = escapePattern(withUnitsSpaced(value));
  return new RegExp(`(?:^|[^a-z0-9])${v}[\\s-]+${word}|${word}(?:\\s+colou?r)?(?:\\s+(?:is|in|of|to))?[\\s:]+${v}(?:$|[^a-z0-9])`).test(
    text,
  );
}

/** Words in many options' names ("frame color", "lens color"): they tell none apart. */
const GENERIC_OPTION_WORDS = new Set(['color', 'colour', 'type', 'size', 'material']);

/** Chinese colour and level words, read as the catalogue's English values ("换成蓝色的" is blue, 中等亮度 medium). */
const ZH_VALUES: Array<[RegExp, string]> = [
  [/黑色|黑的/, 'black'],
  [/白色|白的/, 'white'],
  [/红色|红的/, 'red'],
  [/(?<!海军|藏)蓝色|(?<!海军|藏)蓝的/, 'blue'],
  [/绿色|绿的/, 'green'],
  [/灰色|灰的/, 'grey gray'],
  [/银色|银的/, 'silver'],
  [/金色|金的/, 'gold'],
  [/棕色|咖啡色|褐色/, 'brown'],
  [/紫色|紫的/, 'purple'],
  [/粉色|粉红/, 'pink'],
  [/黄色|黄的/, 'yellow'],
  [/米色|米白/, 'beige'],
  [/海军蓝|藏青|藏蓝/, 'navy'],
  [/橙色|橘色/, 'orange'],
  [/中等|中档|适中|中号/, 'medium'],
  [/低档|低亮度|较低|(?<!最)低的/, 'low'],
  [/高档|高亮度|较高|(?<!最)高的/, 'high'],
  [/大号/, 'large'],
  [/小号/, 'small'],
  [/无线/, 'wireless'],
  [/有线/, 'wired'],
  [/蓝牙/, 'bluetooth'],
  // Materials and kinds.
  [/玻璃/, 'glass'],
  [/陶瓷/, 'ceramic'],
  [/不锈钢/, 'stainless steel'],
  [/塑料|塑胶/, 'plastic'],
  [/金属/, 'metal'],
  [/木质|木头|实木/, 'wood'],
  [/皮革|真皮|皮质/, 'leather'],
  [/纯棉|棉质/, 'cotton'],
  [/涤纶/, 'polyester'],
  [/抓绒|摇粒绒/, 'fleece'],
  [/记忆棉|记忆海绵/, 'memory foam'],
  [/尼龙/, 'nylon'],
  [/帆布/, 'canvas'],
  [/硅胶/, 'silicone'],
  [/竹/, 'bamboo'],
  [/燃气|煤气/, 'gas'],
  [/电磁炉/, 'induction'],
  [/电陶炉|电炉/, 'electric'],
  [/(?<!非)偏光/, 'polarized'],
  [/非偏光/, 'non-polarized'],
  [/(?<![不非])防水/, 'waterproof'],
  [/不防水|非防水/, 'not waterproof'],
  [/硬皮|硬面|精装/, 'hard cover'],
  [/软皮|软面|软封|平装/, 'soft cover'],
  // 硬壳/软壳: a luggage set's shell, or a notebook's cover (each product has only its own values).
  [/硬壳/, 'hardshell hard cover'],
  [/软壳/, 'softshell'],
  [/两件套|二件套/, '2-piece'],
  [/三件套/, '3-piece'],
  [/四件套/, '4-piece'],
  [/高通风|通风(?:好|强)/, 'high'],
  [/低通风|通风(?:差|弱)/, 'low'],
  [/中(?:等)?通风/, 'medium'],
  [/圆领/, 'crew neck'],
  [/[vV]领|V字领/, 'v-neck'],
  [/全拉链|全拉/, 'full'],
  [/半拉链|半拉/, 'half'],
  [/手动/, 'manual'],
  [/(?<!半)自动(?!关)/, 'automatic'],
  [/胶囊/, 'capsule'],
  [/法压/, 'french press'],
  [/滴滤|滴漏/, 'drip'],
  [/可充电|充电式/, 'rechargeable'],
  [/山地/, 'mountain'],
  [/公路/, 'road'],
  [/光学/, 'optical'],
  [/激光/, 'laser'],
  [/青轴/, 'clicky'],
  [/红轴/, 'linear'],
  [/茶轴/, 'tactile'],
];

/**
 * A number with a Chinese unit, as the catalogue writes it: 1升 is "1 liter" or "1L", 15寸 "15-inch".
 * Bounded, and begun only where a number begins: a long run of digits costs one pass, not a square.
 */
const ZH_UNITS: Array<[RegExp, (n: string) => string]> = [
  [/(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s{0,2}毫升/g, (n) => `${n}ml`],
  [/(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s{0,2}(?:升|公升)/g, (n) => `${n} liter ${n} liters ${n}l`],
  [/(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s{0,2}(?:英寸|寸)/g, (n) => `${n}-inch ${n} inch ${n} inches`],
  [/(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s{0,2}英尺/g, (n) => `${n} ft ${n}ft`],
  [/(?<![\d.])(\d{1,6})\s{0,2}杯/g, (n) => `${n} cup ${n} cups`],
  [/(?<![\d.])(\d{1,6})\s{0,2}毫安/g, (n) => `${n}mah`],
  [/(?<![\d.])(\d{1,2})\s{0,2}件套/g, (n) => `${n}-piece`],
];

function withChineseValuesInEnglish(text: string): string {
  const english = ZH_VALUES.filter(([pattern]) => pattern.test(text)).map(([, value]) => value);
  for (const [pattern, spell] of ZH_UNITS) for (const match of text.matchAll(pattern)) english.push(spell(match[1]));
  return english.length > 0 ? `${text} ${english.join(' ')}` : text;
}

/** The text as option values are looked for in it: lower case, units spaced, Chinese values in English. */
export function optionWordsOf(text: string): string {
  return withChineseValuesInEnglish(withUnitsSpaced(text.toLowerCase()));
}

/** Whether text prepared by optionWordsOf names `value` as a whole word or phrase. */
export function namesValue(words: string, value: string): boolean {
  return mentions(words, value.toLowerCase());
}

/**
 * A yes/no option ("waterproof") counts only when named: "not waterproof" is no, "waterproof" yes;
 * both ("the non-waterproof one, I'd like it waterproof", 不防水的…想改成防水的) name both, and the
 * one the item has is then not the one wanted.
 */
function yesNoOption(text: string, key: string): string[] {
  const negated = new RegExp(`(?:not|non|no)[- ]?${escapePattern(key)}`, 'g');
  const no = negated.test(text);
  const yes = mentions(text.replace(negated, ' '), key);
  return [...(yes ? ['yes'] : []), ...(no ? ['no'] : [])];
}

export function chooseVariant(text: string, item: Pick<OrderItem, 'item_id' | 'options'>, variants: Variant[]): VariantChoice {
  const named = namedOptions(text, item, variants);
  const keys = Object.keys(named);
  // Only what it is now ("the blue bottle") chooses nothing: another variant would change what was not asked.
  if (keys.every((k) => named[k].every((value) => value === item.options[k]))) return { kind: 'none_named' };
  const strictly = (v: Variant) => keys.every((k) => named[k].includes(v.options[k]));
  // A value said on its own that two options share ("the same pair but in black", frame and lenses
  // both brown): both taking it if any variant has that, else either one, the other kept.
  const shared = [...new Set(keys.flatMap((k) => named[k]))].filter((value) => keys.filter((k) => named[k].includes(value)).length > 1);
  const either = (v: Variant) =>
    keys.every((k) => named[k].includes(v.options[k]) || (named[k].every((n) => shared.includes(n)) && v.options[k] === item.options[k])) &&
    shared.every((value) => keys.some((k) => v.options[k] === value));
  const changes = (v: Variant) => Object.entries(v.options).filter(([k, value]) => item.options[k] !== value).length;
  const namedValues = [...new Set(keys.flatMap((k) => named[k]))];
  const offered = (fits: (v: Variant) => boolean) => variants.filter((v) => v.available && v.item_id !== item.item_id && fits(v));
  const fits = shared.length > 0 && offered(strictly).length === 0 ? either : strictly;
  const candidates = offered(fits);
  if (candidates.length > 0) {
    // Unnamed options stay as they are: among the fitting variants, the fewest changes win.
    const fewest = Math.min(...candidates.map(changes));
    const best = candidates.filter((v) => changes(v) === fewest);
    return best.length === 1 ? { kind: 'match', variant: best[0] } : { kind: 'ambiguous', named: namedValues, candidates: best };
  }
  const unavailable = variants.some((v) => !v.available && v.item_id !== item.item_id && fits(v));
  const score = (v: Variant) => keys.filter((k) => named[k].includes(v.options[k])).length;
  const closest = variants
    .filter((v) => v.available && v.item_id !== item.item_id)
    .sort((a, b) => score(b) - score(a) || changes(a) - changes(b))
    .slice(0, 3);
  return { kind: 'no_exact', named: namedValues, unavailable, closest };
}

/** "silver, low, battery": a variant's options in the product's own order. */
export function optionsText(options: Record<string, string>): string {
  return Object.values(options).join(', ');
}
