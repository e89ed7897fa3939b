// Finds list words in a message: folded like the text, whole words for Latin-script entries
// ("ass" not in "class"), substrings for Chinese, offsets in the original text. Entries that fold to
// the same word share one pattern and report every value they carry.
import { AhoCorasick } from './aho-corasick';
import { foldWord, isWordChar, wordCharAt, wordCharBefore, type FoldedText } from './text-folding';

export interface WordEntry<T> {
  word: string;
  value: T;
}

export interface WordMatch<T> {
  start: number;
  end: number;
  value: T;
}

export interface Span {
  start: number;
  end: number;
}

export class WordMatcher<T> {
  private constructor(
    private readonly automaton: AhoCorasick,
    private readonly values: T[][],
    /** Whether a pattern must start (end) at a word boundary: its first (last) character is Latin-like. */
    private readonly boundedStart: Uint8Array,
    private readonly boundedEnd: Uint8Array,
  ) {}

  static build<T>(entries: Iterable<WordEntry<T>>): WordMatcher<T> {
    const index = new Map<string, number>();
    const patterns: string[] = [];
    const values: T[][] = [];
    for (const { word, value } of entries) {
      const pattern = foldWord(word);
      if (pattern.length === 0) continue;
      let p = index.get(pattern);
      if (p === undefined) {
        p = patterns.length;
        index.set(pattern, p);
        patterns.push(pattern);
        values.push([]);
      }
      values[p].push(value);
    }
    return new WordMatcher(
      AhoCorasick.build(patterns),
      values,
      Uint8Array.from(patterns, (p) => (isWordChar(String.fromCodePoint(p.codePointAt(0)!)) ? 1 : 0)),
      Uint8Array.from(patterns, (p) => (isWordChar(p.slice(-1)) ? 1 : 0)),
    );
  }

  /** Distinct words after folding. */
  get size(): number {
    return this.values.length;
  }

  /** Every occurrence, overlapping ones included, ordered by where they end. */
  find(text: FoldedText): Array<WordMatch<T>> {
    const found: Array<WordMatch<T>> = [];
    const lengths = this.automaton.patternLengths;
    this.automaton.scan(text.compact, (p, end) => {
      const start = text.compactStart[end - lengths[p]];
      const stop = text.compactEnd[end - 1];
      if (this.boundedStart[p] && wordCharBefore(text.original, start)) return;
      if (this.boundedEnd[p] && wordCharAt(text.original, stop)) return;
      for (const value of this.values[p]) found.push({ start, end: stop, value });
    });
    return found;
  }
}

/** Drops matches that lie inside an allowed phrase (e.g. "幸运" inside a list word's reach). */
export function outsideAllowed<M extends Span>(matches: M[], allowed: Span[]): M[] {
  if (allowed.length === 0) return matches;
  return matches.filter((m) => !allowed.some((a) => a.start <= m.start && m.end <= a.end));
}
