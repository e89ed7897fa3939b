// Folds text for matching — NFKC (full-width → half-width) and lower case; for word lists also
// Chinese numerals as digits and without separators — and remembers, for every folded character,
// where it came from, so findings report offsets in what the customer actually wrote.

/** A message prepared once and scanned by every matcher and pattern. */
export interface FoldedText {
  readonly original: string;
  /** NFKC and lower case; regular expressions run on this. */
  readonly folded: string;
  /** Original [start, end) of the code point each folded character came from. */
  readonly foldedStart: Int32Array;
  readonly foldedEnd: Int32Array;
  /**
   * `folded` with Chinese numerals as digits, one space for any run of white space, and without
   * separators slipped inside words ("f.u.c.k", "傻*逼", "傻 逼"); word lists run on this.
   */
  readonly compact: string;
  readonly compactStart: Int32Array;
  readonly compactEnd: Int32Array;
}

// Characters people put between letters to get past filters. Not commas, apostrophes or CJK
// sentence punctuation: dropping those would join separate words ("he'll" → "hell").
const SEPARATORS = new Set([...'*.·・-_~|/\\+^`'].map((c) => c.charCodeAt(0)));

// houbb's lists write Chinese numerals as digits ("1夜情"); folding both sides the same way matches
// either spelling.
const NUMERALS = new Map<number, number>(
  Object.entries({ 零: '0', 〇: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' }).map(
    ([han, digit]) => [han.charCodeAt(0), digit.charCodeAt(0)],
  ),
);

/** The folded code unit for the common cases (ASCII, Chinese, full-width forms), or -1. */
function foldFast(cp: number): number {
  if (cp < 0x80) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  // NFKC leaves unified ideographs alone.
  if (cp >= 0x4e00 && cp <= 0x9fff) return cp;
  if (cp >= 0xff01 && cp <= 0xff5e) return foldFast(cp - 0xfee0);
  return -1;
}

export function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const CJK_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A character of a script that separates words with spaces (Latin, digits, Cyrillic…), not CJK. */
export function isWordChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER_OR_DIGIT.test(ch) && !CJK_SCRIPT.test(ch);
}

/** Whether the code point ending just before `index` is a word character. */
export function wordCharBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return isWordChar(String.fromCodePoint(text.codePointAt(start)!));
}

/** Whether the code point starting at `index` is a word character. */
export function wordCharAt(text: string, index: number): boolean {
  return index < text.length && isWordChar(String.fromCodePoint(text.codePointAt(index)!));
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
}

function fromCodes(codes: number[]): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode(...codes.slice(i, i + 8192));
  return text;
}

export function foldText(original: string): FoldedText {
  const folded: number[] = [];
  const foldedStart: number[] = [];
  const foldedEnd: number[] = [];
  for (let i = 0; i < original.length;) {
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const fast = foldFast(cp);
    const piece = fast >= 0 ? undefined : String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
    for (let k = 0; k < (piece?.length ?? 1); k += 1) {
      folded.push(piece ? piece.charCodeAt(k) : fast);
      foldedStart.push(i);
      foldedEnd.push(i + width);
    }
    i += width;
  }

  const compact: number[] = [];
  const compactStart: number[] = [];
  const compactEnd: number[] = [];
  for (let i = 0; i < folded.length; i += 1) {
    const code = NUMERALS.get(folded[i]) ?? folded[i];
    if (SEPARATORS.has(code)) continue;
    if (isSpace(code)) {
      // A run of spaces is one word break; between two Han characters it is an evasion, since
      // Chinese needs no spaces. The run's end is found once and the whole run skipped, so a long
      // run between two Han characters is not rescanned from each of its spaces.
      const last = compact.length > 0 ? compact[compact.length - 1] : -1;
      let next = i + 1;
      while (next < folded.length && isSpace(folded[next])) next += 1;
      const runStart = i;
      i = next - 1;
      if (last === 32 || (last >= 0 && isHan(last) && next < folded.length && isHan(folded[next]))) continue;
      compact.push(32);
      compactStart.push(foldedStart[runStart]);
      compactEnd.push(foldedEnd[runStart]);
      continue;
    }
    compact.push(code);
    compactStart.push(foldedStart[i]);
    compactEnd.push(foldedEnd[i]);
  }
  return {
    original,
    folded: fromCodes(folded),
    foldedStart: Int32Array.from(foldedStart),
    foldedEnd: Int32Array.from(foldedEnd),
    compact: fromCodes(compact),
    compactStart: Int32Array.from(compactStart),
    compactEnd: Int32Array.from(compactEnd),
  };
}

/** A list entry folded exactly like the text it will be looked for in. */
export function foldWord(word: string): string {
  return foldText(word.trim()).compact;
}
