import { tokenize } from '@switchboard/text';

export interface KeywordIndexOptions<T> {
  /**
   * The searchable text of an item. Defaults to `item.text`, preceded by the item's
   * `sectionPath` when it has one (innermost heading counted twice), so that a heading like
   * "Return delivered order" counts for every chunk beneath it.
   */
  fields?: (item: T) => string;
  /** BM25 term-frequency saturation (default 1.2). */
  k1?: number;
  /** BM25 length normalisation (default 0.75). */
  b?: number;
}

export interface KeywordHit<T> {
  item: T;
  score: number;
}

interface IndexedDoc<T> {
  item: T;
  length: number;
  terms: string[];
  /** Insertion order; breaks score ties so equal hits come back in document order. */
  seq: number;
}

/**
 * In-memory BM25 keyword index. Postings (term → doc → term frequency) are built on insert, so
 * a search touches only the documents that share a term with the query.
 */
export class KeywordIndex<T extends { id: string; text: string }> {
  private readonly docs = new Map<string, IndexedDoc<T>>();
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly fields: (item: T) => string;
  private readonly k1: number;
  private readonly b: number;
  private totalLength = 0;
  private nextSeq = 0;

  constructor(options: KeywordIndexOptions<T> = {}) {
    this.fields = options.fields ?? defaultFields;
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** Adds items; an item whose id is already indexed replaces the old version. */
  add(items: readonly T[]): void {
    for (const item of items) {
      this.remove(item.id);
      const tokens = tokenize(this.fields(item));
      const frequencies = new Map<string, number>();
      for (const token of tokens) frequencies.set(token, (frequencies.get(token) ?? 0) + 1);
      for (const [term, tf] of frequencies) {
        let posting = this.postings.get(term);
        if (posting === undefined) {
          posting = new Map();
          this.postings.set(term, posting);
        }
        posting.set(item.id, tf);
      }
      this.docs.set(item.id, { item, length: tokens.length, terms: [...frequencies.keys()], seq: this.nextSeq++ });
      this.totalLength += tokens.length;
    }
  }

  /** Returns whether the id was indexed. */
  remove(id: string): boolean {
    const doc = this.docs.get(id);
    if (doc === undefined) return false;
    for (const term of doc.terms) {
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.postings.delete(term);
    }
    this.totalLength -= doc.length;
    this.docs.delete(id);
    return true;
  }

  clear(): void {
    this.docs.clear();
    this.postings.clear();
    this.totalLength = 0;
  }

  /** Best matches first; items sharing no term with the query are never returned. */
  search(query: string, limit: number): Array<KeywordHit<T>> {
    if (limit <= 0 || this.docs.size === 0) return [];
    const n = this.docs.size;
    const avgLength = this.totalLength / n;
    const scores = new Map<string, number>();

    // Distinct terms: repeating a word in a question should not multiply its weight.
    for (const term of new Set(tokenize(query))) {
      const posting = this.postings.get(term);
      if (posting === undefined) continue;
      const df = posting.size;
      // Lucene's BM25 idf: always positive, so very common terms still count a little.
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (const [id, tf] of posting) {
        const length = this.docs.get(id)?.length ?? 0;
        const norm = this.k1 * (1 - this.b + (this.b * length) / avgLength);
        scores.set(id, (scores.get(id) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm));
      }
    }

    const hits: Array<KeywordHit<T> & { seq: number }> = [];
    for (const [id, score] of scores) {
      const doc = this.docs.get(id);
      if (doc !== undefined && score > 0) hits.push({ item: doc.item, score, seq: doc.seq });
    }
    hits.sort((x, y) => y.score - x.score || x.seq - y.seq);
    return hits.slice(0, limit).map(({ item, score }) => ({ item, score }));
  }
}

function defaultFields(item: { text: string }): string {
  const path = 'sectionPath' in item ? item.sectionPath : undefined;
  if (!isStringArray(path) || path.length === 0) return item.text;
  // The section's own heading is repeated: a title summarises its whole section, so a match on
  // it is worth more than one passing mention in the body (a poor man's BM25F field boost).
  return `${path.join('\n')}\n${path[path.length - 1] ?? ''}\n${item.text}`;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((part: unknown) => typeof part === 'string');
}
