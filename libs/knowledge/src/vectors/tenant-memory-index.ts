// A small tenant's records held in memory and searched with plain loops. A LanceDB query costs
// 1.2-1.8 ms of CPU even on a bare 100-row table (plan, open fragments, decode Arrow), and a hybrid
// search makes two; an exact scan of a few thousand 384-dimension vectors and a BM25 pass over their
// keywords cost a fraction of that. Large tenants stay with the store's indexes.
//
// Scores follow the store's: dense is cosine similarity; keyword is BM25 (k1 1.2, b 0.75, the
// Lucene/Lance defaults), with statistics from this tenant's records only, so another tenant's
// documents never move this tenant's ranking.
import type { StoredRecord, VectorHit } from './vector-store';
import type { ValidFilter } from './vector-store.shared';
import { keywordTokens } from './vector-store.shared';

const K1 = 1.2;
const B = 0.75;

export interface MemoryRecord {
  record: StoredRecord;
  vector: Float32Array;
}

export class TenantMemoryIndex {
  private readonly records: StoredRecord[];
  /** Every vector back to back, row-major: one allocation, read in order. */
  private readonly vectors: Float32Array;
  private readonly norms: Float32Array;
  /** term -> the rows holding it and how often each does (two flat arrays: a tuple each costs more). */
  private readonly postings = new Map<string, { rows: number[]; tfs: number[] }>();
  /** Each row's BM25 length normaliser: k1 * (1 - b + b * length / average length). */
  private readonly lengthNorms: Float64Array;

  constructor(
    rows: MemoryRecord[],
    private readonly dimension: number,
  ) {
    this.records = rows.map((row) => row.record);
    this.vectors = new Float32Array(rows.length * dimension);
    this.norms = new Float32Array(rows.length);
    const lengths = new Float64Array(rows.length);
    rows.forEach((row, i) => {
      this.vectors.set(row.vector, i * dimension);
      this.norms[i] = norm(row.vector);
      const terms = keywordTokens(row.record.keywords);
      lengths[i] = terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term);
        if (list) {
          list.rows.push(i);
          list.tfs.push(tf);
        } else this.postings.set(term, { rows: [i], tfs: [tf] });
      }
    });
    const average = lengths.reduce((sum, n) => sum + n, 0) / (rows.length || 1) || 1;
    this.lengthNorms = lengths.map((n) => K1 * (1 - B + (B * n) / average));
  }

  get size(): number {
    return this.records.length;
  }

  /** The `limit` rows nearest to the query by cosine similarity, among those the filter admits. */
  dense(query: Float32Array, limit: number, filter: ValidFilter): VectorHit[] {
    const queryNorm = norm(query) || 1;
    const top = new TopK(limit);
    const { vectors, dimension } = this;
    for (let row = 0; row < this.records.length; row += 1) {
      if (!admits(this.records[row], filter)) continue;
      let dot = 0;
      const base = row * dimension;
      for (let d = 0; d < dimension; d += 1) dot += vectors[base + d] * query[d];
      top.offer(row, dot / ((this.norms[row] || 1) * queryNorm));
    }
    return top.sorted().map(([row, score]) => ({ record: this.records[row], score }));
  }

  /** The `limit` best BM25 matches for any of the terms, among rows the filter admits. */
  keyword(terms: string[], limit: number, filter: ValidFilter): VectorHit[] {
    const scores = new Map<number, number>();
    const rows = this.records.length;
    for (const term of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = list.rows.length;
      const idf = Math.log(1 + (rows - df + 0.5) / (df + 0.5));
      for (let i = 0; i < df; i += 1) {
        const row = list.rows[i];
        const tf = list.tfs[i];
        scores.set(row, (scores.get(row) ?? 0) + (idf * tf * (K1 + 1)) / (tf + this.lengthNorms[row]));
      }
    }
    const top = new TopK(limit);
    for (const [row, score] of scores) if (admits(this.records[row], filter)) top.offer(row, score);
    return top.sorted().map(([row, score]) => ({ record: this.records[row], score }));
  }
}

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  return Math.sqrt(sum);
}

/** The store's filter, record by record (the tenant is already this index's). */
function admits(record: StoredRecord, filter: ValidFilter): boolean {
  if (record.tenantId !== filter.tenantId) return false;
  if (filter.knowledgeBaseIds.length > 0 && !filter.knowledgeBaseIds.includes(record.knowledgeBaseId)) return false;
  if (record.accessLevel > filter.maxAccessLevel) return false;
  if (filter.at !== 0 && (record.validFrom > filter.at || (record.validTo !== 0 && record.validTo < filter.at))) return false;
  return true;
}

/** The k highest scores seen, kept sorted; ties keep the earlier row first. */
class TopK {
  private readonly items: Array<[row: number, score: number]> = [];

  constructor(private readonly k: number) {}

  offer(row: number, score: number): void {
    const items = this.items;
    if (items.length === this.k && score <= items[items.length - 1][1]) return;
    let at = items.length;
    while (at > 0 && items[at - 1][1] < score) at -= 1;
    items.splice(at, 0, [row, score]);
    if (items.length > this.k) items.pop();
  }

  sorted(): Array<[row: number, score: number]> {
    return this.items;
  }
}
