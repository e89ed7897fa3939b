// Sparse TF-IDF features of the surface text: word uni/bi-grams and character n-grams. They sit
// beside the sentence embeddings in the same linear model: embeddings carry meaning, these carry
// the exact wording a domain uses ("top up", "PIN") and survive typos ("ordr" shares "ord", "rd "
// with "order"), which general-purpose encoders handle poorly.

export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface TextFeatureOptions {
  /** Character n-gram lengths, inclusive, taken inside words padded with one space each side. */
  charRange?: readonly [number, number];
  /** Weight of the word block and the character block (each is L2-normalised first). */
  wordWeight?: number;
  charWeight?: number;
  /** Keep at most this many features, the most frequent first (bounds model memory). */
  maxFeatures?: number;
}

const DEFAULTS: Required<TextFeatureOptions> = { charRange: [2, 5], wordWeight: 1, charWeight: 1, maxFeatures: 150_000 };

const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
// Han, kana and Hangul have no spaces between words: each character is a token, and adjacent
// characters make the bigrams that cover most two-character words.
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const APOSTROPHE = /['\u2019]/g;

/** The words of a text as the featurizer sees them: NFKC, lower case, CJK split per character. */
export function featureWords(text: string): string[] {
  const words: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase().replace(APOSTROPHE, '');
  for (const run of normalized.match(WORD_RUN) ?? []) {
    let latin = '';
    for (const char of run) {
      if (CJK_CHAR.test(char)) {
        if (latin) words.push(latin);
        latin = '';
        words.push(char);
      } else latin += char;
    }
    if (latin) words.push(latin);
  }
  return words;
}

type Block = 'word' | 'char';

function gramsOf(text: string, charRange: readonly [number, number]): Map<string, { block: Block; count: number }> {
  const grams = new Map<string, { block: Block; count: number }>();
  const add = (key: string, block: Block) => {
    const seen = grams.get(key);
    if (seen) seen.count += 1;
    else grams.set(key, { block, count: 1 });
  };
  const words = featureWords(text);
  words.forEach((word, i) => {
    add(`w ${word}`, 'word');
    if (i > 0) add(`b ${words[i - 1]} ${word}`, 'word');
    if (CJK_CHAR.test(word)) return; // a CJK character is already its own gram
    const padded = ` ${word} `;
    for (let n = charRange[0]; n <= charRange[1]; n++) {
      for (let start = 0; start + n <= padded.length; start++) add(`c ${padded.slice(start, start + n)}`, 'char');
    }
  });
  return grams;
}

/** A TF-IDF vectoriser fitted on the training texts; unseen grams are ignored at prediction. */
export class TextFeaturizer {
  private constructor(
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly idf: Float32Array,
    private readonly options: Required<TextFeatureOptions>,
  ) {}

  static fit(texts: readonly string[], options: TextFeatureOptions = {}): TextFeaturizer {
    const settings = { ...DEFAULTS, ...options };
    const documentFrequency = new Map<string, number>();
    for (const text of texts) {
      for (const key of gramsOf(text, settings.charRange).keys()) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    }
    // Most frequent first, ties by key, so the vocabulary does not depend on Map insertion order.
    const kept = [...documentFrequency.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, settings.maxFeatures);
    const vocabulary = new Map<string, number>();
    const idf = new Float32Array(kept.length);
    kept.forEach(([key, df], index) => {
      vocabulary.set(key, index);
      idf[index] = Math.log((1 + texts.length) / (1 + df)) + 1; // smoothed, as scikit-learn does
    });
    return new TextFeaturizer(vocabulary, idf, settings);
  }

  /** Number of features (the width of every vector this returns). */
  get size(): number {
    return this.idf.length;
  }

  /** Sublinear TF-IDF per block, each block L2-normalised and weighted. */
  transform(text: string): SparseVector {
    const entries: Array<{ index: number; value: number; block: Block }> = [];
    for (const [key, { block, count }] of gramsOf(text, this.options.charRange)) {
      const index = this.vocabulary.get(key);
      if (index !== undefined) entries.push({ index, value: (1 + Math.log(count)) * this.idf[index], block });
    }
    const norms = { word: 0, char: 0 };
    for (const e of entries) norms[e.block] += e.value * e.value;
    const scale = {
      word: norms.word > 0 ? this.options.wordWeight / Math.sqrt(norms.word) : 0,
      char: norms.char > 0 ? this.options.charWeight / Math.sqrt(norms.char) : 0,
    };
    entries.sort((a, b) => a.index - b.index);
    return {
      indices: Int32Array.from(entries, (e) => e.index),
      values: Float32Array.from(entries, (e) => e.value * scale[e.block]),
    };
  }
}
