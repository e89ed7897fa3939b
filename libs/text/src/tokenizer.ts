/**
 * Search tokenisation shared by retrieval (indexing + querying) and generation (grounding checks).
 * Both sides must agree token-for-token, which is why this lives in one library and not per service.
 */

// Deliberately small: question words and conversational filler are removed because customer
// questions are full of them ("how do I…", "can you please…") while the knowledge base is not,
// so keeping them only adds noise matches that make unrelated questions look answerable
// ("help", "tell", "know", "mean" included: "can you tell me what X means" says nothing about
// what the customer needs beyond X).
// Contractions appear without their apostrophe because tokenize() joins them first; "id" is
// left out on purpose because "order id" matters far more here than "I'd".
const STOP_WORD_LIST = [
  'a',
  'about',
  'after',
  'again',
  'all',
  'am',
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'been',
  'before',
  'being',
  'both',
  'but',
  'by',
  'can',
  'cant',
  'could',
  'couldnt',
  'did',
  'didnt',
  'do',
  'does',
  'doesnt',
  'doing',
  'dont',
  'each',
  'either',
  'else',
  'etc',
  'few',
  'for',
  'from',
  'get',
  'got',
  'had',
  'has',
  'have',
  'having',
  'he',
  'hello',
  'help',
  'her',
  'here',
  'hers',
  'hey',
  'hi',
  'him',
  'his',
  'how',
  'hows',
  'i',
  'if',
  'ill',
  'im',
  'in',
  'into',
  'is',
  'isnt',
  'it',
  'its',
  'ive',
  'just',
  'know',
  'let',
  'lets',
  'like',
  'may',
  'me',
  'mean',
  'means',
  'might',
  'mine',
  'more',
  'most',
  'must',
  'my',
  'myself',
  'need',
  'no',
  'nor',
  'not',
  'of',
  'off',
  'ok',
  'okay',
  'on',
  'once',
  'only',
  'onto',
  'or',
  'other',
  'our',
  'ours',
  'please',
  'shall',
  'she',
  'should',
  'shouldnt',
  'so',
  'some',
  'such',
  'tell',
  'than',
  'thank',
  'thanks',
  'that',
  'thats',
  'the',
  'their',
  'theirs',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'those',
  'to',
  'too',
  'until',
  'up',
  'us',
  'very',
  'want',
  'was',
  'wasnt',
  'we',
  'were',
  'werent',
  'what',
  'whats',
  'when',
  'where',
  'wheres',
  'which',
  'while',
  'who',
  'whom',
  'whos',
  'whose',
  'why',
  'will',
  'with',
  'wont',
  'would',
  'wouldnt',
  'you',
  'youd',
  'youll',
  'your',
  'youre',
  'yours',
  'yourself',
  'youve',
];

// Chinese function words as they surface after bigramming. Only whole-bigram matches are dropped,
// so content words that merely contain one of these characters are unaffected.
const CJK_STOP_LIST = [
  '怎么',
  '怎样',
  '什么',
  '如何',
  '为什',
  '可以',
  '能否',
  '是否',
  '请问',
  '我们',
  '你们',
  '他们',
  '我的',
  '你的',
  '这个',
  '那个',
  '一个',
  '哪里',
  '吗',
  '呢',
  '吧',
  '啊',
  '的',
  '了',
  '是',
  '我',
  '你',
  '在',
  '和',
];

export const STOP_WORDS: ReadonlySet<string> = new Set([...STOP_WORD_LIST, ...CJK_STOP_LIST]);

// Scripts written without spaces between words (Hangul is spaced, but bigrams serve it too).
// U+30FC, the katakana long-vowel mark, is script "Common" but belongs to the kana word it lengthens.
const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30fc';
const CJK_CHAR = new RegExp(`[${CJK_CLASS}]`, 'u');
const CJK_OR_OTHER_RUN = new RegExp(`([${CJK_CLASS}]+)|([^${CJK_CLASS}]+)`, 'gu');
// Letters, digits and combining marks form words; everything else separates them. Marks are kept
// so scripts written with combining characters (Devanagari, decomposed accents) stay whole.
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
// An apostrophe between letters is part of the word ("don't", "customer's"); joining instead of
// splitting avoids stray one-letter tokens like "t" and "s".
const INNER_APOSTROPHE = /(\p{L})['\u2019](?=\p{L})/gu;
const ASCII_WORD = /^[a-z]+$/;
const HAS_VOWEL = /[aeiouy]/;
const VOWEL = /[aeiou]/;

export function isCjkChar(char: string): boolean {
  return CJK_CHAR.test(char);
}

/**
 * Conservative English suffix stripping. It is not Porter: the only goal is that inflections
 * a customer is likely to type ("returns", "cancelled", "cancellation") meet the form used in the
 * policy text. Output need not be a real word, only identical for related forms.
 */
export function stemWord(word: string): string {
  if (word.length <= 3 || !ASCII_WORD.test(word)) return word;
  let w = word;

  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ification')) w = `${w.slice(0, -9)}ify`;
  else if (w.endsWith('ation') && w.length - 5 >= 4) w = w.slice(0, -5);
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('eed')) {
    // "need", "proceed": the "ed" is part of the word.
  } else if (w.endsWith('ed')) w = stripIfStemLooksReal(w, 2);
  else if (w.endsWith('ing')) w = stripIfStemLooksReal(w, 3);

  // Silent "e" and doubled final consonants are dropped everywhere, not just after a suffix, so
  // that "exchange"/"exchanged" and "cancel"/"cancelled" (British spelling) collapse together.
  if (w.length >= 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  const last = w.charAt(w.length - 1);
  if (w.length >= 4 && last === w.charAt(w.length - 2) && !VOWEL.test(last) && last !== 's') {
    w = w.slice(0, -1);
  }
  return w;
}

function stripIfStemLooksReal(word: string, suffixLength: number): string {
  const stem = word.slice(0, -suffixLength);
  // "bring", "used", "string": a stem without a vowel or under three letters means the suffix
  // was never a suffix.
  return stem.length >= 3 && HAS_VOWEL.test(stem) ? stem : word;
}

/**
 * Turns free text into search terms: NFKC (full-width → half-width), lowercase, word split,
 * stop words removed, light stemming; CJK runs become overlapping character bigrams because
 * Chinese/Japanese have no spaces and bigrams match without a dictionary.
 */
export function tokenize(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase().replace(INNER_APOSTROPHE, '$1');
  const tokens: string[] = [];
  for (const run of normalized.match(WORD_RUN) ?? []) {
    for (const part of run.matchAll(CJK_OR_OTHER_RUN)) {
      const cjk = part[1];
      if (cjk !== undefined) pushCjkTokens(cjk, tokens);
      else pushWordToken(part[2] ?? '', tokens);
    }
  }
  return tokens;
}

function pushWordToken(word: string, out: string[]): void {
  if (word.length === 0 || STOP_WORDS.has(word)) return;
  // Single letters are almost always debris ("e.g." → "e", "g"); single digits carry meaning.
  if (word.length === 1 && !/\p{N}/u.test(word)) return;
  out.push(stemWord(word));
}

function pushCjkTokens(run: string, out: string[]): void {
  // Array.from walks code points, so characters outside the BMP (CJK Extension B) stay whole.
  const chars = Array.from(run);
  if (chars.length === 1) {
    const only = chars[0] ?? '';
    if (!STOP_WORDS.has(only)) out.push(only);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) {
    const bigram = `${chars[i] ?? ''}${chars[i + 1] ?? ''}`;
    if (!STOP_WORDS.has(bigram)) out.push(bigram);
  }
}
