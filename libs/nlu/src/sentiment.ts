// How a customer feels, from the words alone: an English and Chinese lexicon of anger and
// impatience ("ridiculous", "third time", 气死, 投诉) and of satisfaction, with negation ("not
// happy"), intensifiers ("so", 太), shouting in capitals and "!!!". Synchronous and cheap, so it
// runs on every message; the router hands off when frustration reaches ~0.7 or keeps rising.
import { normalizeText } from './normalize-text';

export interface Sentiment {
  /** 0 calm .. 1 furious: independent signals combined as 1 - prod(1 - weight). */
  frustration: number;
  /** -1 negative .. 1 positive. */
  polarity: number;
  /** What was seen, e.g. "ridiculous", "not happy", "all_caps", "repeated_punctuation". */
  signals: string[];
}

interface Term {
  /** Frustration weight (negative terms) or satisfaction weight (positive terms), 0..1. */
  weight: number;
  positive: boolean;
}

const negative = (weight: number, ...terms: string[]) => terms.map((t): [string, Term] => [t, { weight, positive: false }]);
const positive = (weight: number, ...terms: string[]) => terms.map((t): [string, Term] => [t, { weight, positive: true }]);

const ENGLISH = new Map<string, Term>([
  ...negative(0.7, 'fuck', 'fucking', 'wtf', 'furious', 'sick and tired', 'fed up'),
  ...negative(
    0.6,
    'ridiculous',
    'unacceptable',
    'worst',
    'scam',
    'scammed',
    'fraud',
    'rip off',
    'ripoff',
    'ripped off',
    'sick of',
    'waste of time',
    'useless',
    'pathetic',
    'disgusting',
    'outrageous',
    'incompetent',
    'bullshit',
    'what the hell',
    'idiot',
    'idiots',
    'lawyer',
    'sue you',
    'never again',
    'never buying',
    'never shop',
  ),
  ...negative(
    0.5,
    'third time',
    'fourth time',
    'fifth time',
    'so many times',
    'how many times',
    'again and again',
    'over and over',
    'refund now',
    'refund me now',
    'money back now',
    'angry',
    'frustrated',
    'frustrating',
    'terrible',
    'horrible',
    'awful',
    'shit',
    'damn',
    'hate',
    'stupid',
    'report you',
    'complaint',
  ),
  ...negative(
    0.4,
    'annoyed',
    'annoying',
    'upset',
    'disappointed',
    'disappointing',
    'unbelievable',
    'complain',
    'joke',
    'nonsense',
    "still haven't",
    "still hasn't",
    'still not',
    'nobody',
    'no one',
    'cancel my account',
  ),
  ...negative(0.3, 'bad', 'still waiting', 'right now', 'immediately', 'seriously', 'asap', 'come on', 'why is it so hard'),
  ...positive(0.5, 'perfect', 'awesome', 'excellent', 'amazing', 'wonderful', 'fantastic', 'brilliant'),
  ...positive(0.4, 'great', 'love', 'happy', 'helpful', 'appreciate', 'satisfied', 'pleased', 'glad'),
  ...positive(0.3, 'thanks', 'thank you', 'thx', 'nice', 'good', 'fine', 'acceptable', 'resolved'),
]);

const CHINESE = new Map<string, Term>([
  ...negative(0.7, '气死', '受够了', '滚蛋', '妈的', '他妈'),
  ...negative(0.6, '垃圾', '坑人', '骗子', '骗人', '愤怒', '举报', '12315', '起诉', '废物', '什么破', '破玩意', '恶心', '无耻'),
  ...negative(0.55, '投诉', '太差', '差劲', '曝光', '差评', '生气', '火大'),
  ...negative(
    0.45,
    '无语',
    '失望',
    '律师',
    '第二次',
    '第三次',
    '第四次',
    '第五次',
    '好几次',
    '多少次',
    '退钱',
    '马上退款',
    '立刻退款',
    '没用',
  ),
  ...negative(0.35, '太慢', '烦死', '烦人', '很烦', '好烦', '到底', '怎么回事', '一直没', '搞什么', '离谱', '过分'),
  ...negative(0.25, '又是', '又要', '还没', '马上', '立刻', '赶紧'),
  ...positive(0.5, '太棒了', '好评', '非常满意'),
  ...positive(0.4, '满意', '很好', '开心', '高兴'),
  ...positive(0.3, '谢谢', '感谢', '多谢', '不错', '辛苦了', '好的'),
]);

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'hardly',
  "isn't",
  "wasn't",
  "aren't",
  "don't",
  "doesn't",
  "didn't",
  "won't",
  "can't",
  'cannot',
  'isnt',
  'wasnt',
  'dont',
  'doesnt',
  'didnt',
  'wont',
  'cant',
  'nothing',
]);
const INTENSIFIERS = new Set([
  'very',
  'so',
  'really',
  'extremely',
  'totally',
  'absolutely',
  'completely',
  'utterly',
  'super',
  'too',
  'beyond',
  'fucking',
  'freaking',
  'incredibly',
]);
const ZH_NEGATORS = ['不是很', '不太', '不', '没有', '没', '别'];
const ZH_INTENSIFIERS = ['非常', '特别', '实在', '真的', '太', '真', '超', '很', '好'];
// Capitalised abbreviations that are not shouting.
const ACRONYMS = new Set([
  'OK',
  'ID',
  'USD',
  'CNY',
  'PIN',
  'ATM',
  'USA',
  'UK',
  'EU',
  'SMS',
  'TV',
  'PC',
  'DVD',
  'LED',
  'SKU',
  'FAQ',
  'ASAP',
  'I',
]);

const SHOUTING_WEIGHT = 0.3;
const REPEATED_PUNCTUATION_WEIGHT = 0.25;
/** What a negated positive ("not happy", 不满意) adds to frustration. */
const NEGATED_POSITIVE_WEIGHT = 0.35;
const INTENSIFIED = 1.4;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest terms first, so "sick and tired" is one signal and not also "tired".
const ENGLISH_PATTERN = new RegExp(
  `(?<![\\p{L}'])(${[...ENGLISH.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?![\\p{L}])`,
  'gu',
);
const CHINESE_PATTERN = new RegExp(
  `(${[...CHINESE.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})`,
  'g',
);

interface Hit {
  signal: string;
  frustration: number;
  polarity: number;
}

function englishHits(lower: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of lower.matchAll(ENGLISH_PATTERN)) {
    const term = ENGLISH.get(m[1]);
    if (!term) continue;
    const before =
      lower
        .slice(0, m.index)
        .match(/[\p{L}']+/gu)
        ?.slice(-3) ?? [];
    const negated = before.some((w) => NEGATORS.has(w)) || /n't$/.test(before[before.length - 1] ?? '');
    const boost = INTENSIFIERS.has(before[before.length - 1] ?? '') ? INTENSIFIED : 1;
    hits.push(score(m[1], term, negated, boost));
  }
  return hits;
}

function chineseHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(CHINESE_PATTERN)) {
    const term = CHINESE.get(m[1]);
    if (!term) continue;
    const before = text.slice(Math.max(0, (m.index ?? 0) - 3), m.index);
    const negated = ZH_NEGATORS.some((n) => before.endsWith(n));
    const boost = ZH_INTENSIFIERS.some((i) => before.endsWith(i)) ? INTENSIFIED : 1;
    hits.push(score(m[1], term, negated, boost));
  }
  return hits;
}

function score(word: string, term: Term, negated: boolean, boost: number): Hit {
  const weight = Math.min(0.95, term.weight * boost);
  if (term.positive && negated) return { signal: `not ${word}`, frustration: NEGATED_POSITIVE_WEIGHT * boost, polarity: -weight };
  if (term.positive) return { signal: word, frustration: 0, polarity: weight };
  // "not bad", "not angry": the customer says the opposite of the word.
  if (negated) return { signal: `not ${word}`, frustration: 0, polarity: weight / 2 };
  return { signal: word, frustration: weight, polarity: -weight };
}

/** Whole words in capitals, when they are most of what was written ("WHERE IS MY REFUND"). */
function isShouting(text: string): boolean {
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  const loud = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase() && !ACRONYMS.has(w));
  const latin = words.filter((w) => w !== w.toLowerCase() || w !== w.toUpperCase());
  return loud.length >= 2 && loud.length >= 0.5 * latin.length;
}

/** Lexicon sentiment of one message. Deterministic and synchronous. */
export function sentimentOf(text: string): Sentiment {
  const normalized = normalizeText(text);
  const hits = [...englishHits(normalized.toLowerCase()), ...chineseHits(normalized)];
  if (isShouting(normalized)) hits.push({ signal: 'all_caps', frustration: SHOUTING_WEIGHT, polarity: -SHOUTING_WEIGHT });
  // "!!", "??", "?!": two or more in a row, full-width ones included (NFKC made them ASCII).
  if (/[!?]{2,}/.test(normalized)) hits.push({ signal: 'repeated_punctuation', frustration: REPEATED_PUNCTUATION_WEIGHT, polarity: 0 });
  let calm = 1;
  let polarity = 0;
  for (const hit of hits) {
    calm *= 1 - Math.min(0.95, hit.frustration);
    polarity += hit.polarity;
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { frustration: round(1 - calm), polarity: round(Math.tanh(polarity)), signals: hits.map((h) => h.signal) };
}
