// Hybrid search over a knowledge base: a dense list (embeddings) and a keyword list (BM25 over our
// tokens), fused here rather than in each backend so every vector store ranks identically.
// FAQ phrasings collapse into one hit per entry, and an approved entry that matches closely
// enough becomes a standard answer used word for word.
//
// Fusion is a weighted sum of the min-max normalised dense similarity and the BM25 score relative
// to the best one, not reciprocal-rank fusion: on our evaluation sets (eval/, see README) RRF let
// the weaker keyword list pull good dense hits down (English recall@1 0.76 with RRF vs 0.88).
import type { Embedder } from '@switchboard/embeddings';
import { keywordsOf } from './knowledge-units';
import { similarityFloors, type SimilarityFloors } from './models';
import type { SearchFilter, SearchMode, StoredRecord, VectorHit, VectorStore } from './vectors/vector-store';

export interface KnowledgeHit {
  record: StoredRecord;
  score: number;
  /** Cosine similarity to the query, when the dense list saw this hit. */
  similarity?: number;
  /** The similarity clears the model's relevance floor. */
  relevant?: boolean;
}

export interface ApprovedAnswer {
  question: string;
  answer: string;
}

export interface StandardAnswerMatch extends ApprovedAnswer {
  faqId: string;
  confidence: number;
  record: StoredRecord;
}

export interface KnowledgeSearchOptions {
  mode: SearchMode;
  limit: number;
  filter: SearchFilter;
  /** Drops records of superseded document versions (during a swap both can exist briefly). */
  isLive?: (record: StoredRecord) => boolean;
  /** The approved answer of an FAQ entry, or undefined when the entry is not approved. */
  approvedAnswer?: (record: StoredRecord) => ApprovedAnswer | undefined;
  /**
   * The similarity from which an approved answer is used word for word, for the top hit's
   * knowledge base: calibrated on the tenant's own phrasings (see confidence-calibration.ts).
   * Unset or undefined = the model's floor.
   */
  standardAnswerFloor?: (record: StoredRecord) => number | undefined;
}

/** How sure the search is of its top hit: what the standard-answer decision looks at. */
export interface TopConfidence {
  /** Cosine similarity of the top hit to the query. */
  similarity: number;
  /** How much closer the top hit is than the closest other entry or passage. */
  margin: number;
}

export interface KnowledgeSearchResult {
  hits: KnowledgeHit[];
  standardAnswer?: StandardAnswerMatch;
  top?: TopConfidence;
}

/** Share of the dense list in the fused score; the keyword list has the rest (tuned on eval/). */
const DENSE_WEIGHT = 0.9;
/**
 * An FAQ entry matched by several of its phrasings is more likely the one asked about: its score
 * is its best phrasing's plus this share of its second best.
 */
const SECOND_PHRASING_WEIGHT = 0.4;
/** How much closer the standard answer's entry must be than anything else. */
export const STANDARD_ANSWER_MARGIN = 0.04;

export class KnowledgeSearcher {
  constructor(
    private readonly store: VectorStore,
    private readonly embedder: Embedder,
    private readonly collection: string,
    private readonly floors: SimilarityFloors = similarityFloors(embedder.model),
  ) {}

  async search(query: string, options: KnowledgeSearchOptions): Promise<KnowledgeSearchResult> {
    const candidates = Math.max(options.limit * 4, 24);
    const wantsDense = options.mode !== 'keyword';
    const wantsKeyword = options.mode !== 'dense';
    const keywords = keywordsOf(query);
    const [dense, keyword] = await Promise.all([
      wantsDense
        ? this.embedder
            .embed([query], 'query')
            .then(([vector]) => this.store.search(this.collection, { mode: 'dense', vector, limit: candidates, filter: options.filter }))
        : [],
      wantsKeyword && keywords
        ? this.store.search(this.collection, { mode: 'keyword', keywords, limit: candidates, filter: options.filter })
        : [],
    ]);
    const live = (hits: VectorHit[]) => (options.isLive ? hits.filter((h) => options.isLive!(h.record)) : hits);
    const denseHits = live(dense);
    const keywordHits = live(keyword);
    const similarity = new Map<string, number>();
    for (const h of denseHits) if (!similarity.has(groupOf(h.record))) similarity.set(groupOf(h.record), h.score);
    const fused =
      options.mode === 'hybrid'
        ? fuse(aggregate(denseHits), collapse(keywordHits))
        : options.mode === 'dense'
          ? aggregate(denseHits)
          : collapse(keywordHits);
    const hits = fused.slice(0, options.limit).map((h) => {
      const sim = similarity.get(groupOf(h.record));
      return { ...h, similarity: sim, relevant: sim !== undefined && sim >= this.floors.relevant };
    });
    const top = topConfidence(hits, [...similarity.values()]);
    return { hits, top, standardAnswer: this.standardAnswer(hits, top, options) };
  }

  /**
   * The top hit's approved answer, when it is close to the question and clearly closer than any
   * other entry or passage (a near tie means the question could be either).
   */
  private standardAnswer(
    hits: KnowledgeHit[],
    top: TopConfidence | undefined,
    options: KnowledgeSearchOptions,
  ): StandardAnswerMatch | undefined {
    const best = hits[0];
    if (!best?.record.faqId || !top) return undefined;
    const floor = options.standardAnswerFloor?.(best.record) ?? this.floors.standardAnswer;
    if (!isConfident(top, floor)) return undefined;
    const approved = options.approvedAnswer?.(best.record);
    return approved ? { ...approved, faqId: best.record.faqId, confidence: top.similarity, record: best.record } : undefined;
  }
}

function topConfidence(hits: KnowledgeHit[], similarities: number[]): TopConfidence | undefined {
  const similarity = hits[0]?.similarity;
  if (similarity === undefined) return undefined;
  const runnerUp = similarities.filter((s) => s !== similarity).reduce((a, b) => Math.max(a, b), 0);
  return { similarity, margin: similarity - runnerUp };
}

/** The rule for answering word for word: close enough, and clearly closer than anything else. */
export function isConfident(top: TopConfidence, floor: number): boolean {
  return top.similarity >= floor && top.margin >= STANDARD_ANSWER_MARGIN;
}

/** FAQ phrasings of one entry are one result; a prose chunk is its own. */
function groupOf(record: StoredRecord): string {
  return record.faqId ? `faq:${record.knowledgeBaseId}:${record.documentId}:${record.faqId}` : `chunk:${record.id}`;
}

function collapse(hits: VectorHit[]): KnowledgeHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const group = groupOf(h.record);
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  });
}

/** Dense hits per group: the best phrasing plus a share of the second best. */
function aggregate(hits: VectorHit[]): KnowledgeHit[] {
  const groups = new Map<string, { record: StoredRecord; scores: number[] }>();
  for (const hit of hits) {
    const group = groups.get(groupOf(hit.record));
    if (group) group.scores.push(hit.score);
    else groups.set(groupOf(hit.record), { record: hit.record, scores: [hit.score] });
  }
  return [...groups.values()]
    .map(({ record, scores }) => ({ record, score: scores[0] + SECOND_PHRASING_WEIGHT * (scores[1] ?? 0) }))
    .sort((a, b) => b.score - a.score);
}

function fuse(dense: KnowledgeHit[], keyword: KnowledgeHit[]): KnowledgeHit[] {
  const fused = new Map<string, KnowledgeHit>();
  const top = dense[0]?.score ?? 0;
  const bottom = dense[dense.length - 1]?.score ?? 0;
  const spread = top - bottom || 1;
  for (const hit of dense) fused.set(groupOf(hit.record), { record: hit.record, score: (DENSE_WEIGHT * (hit.score - bottom)) / spread });
  const best = keyword[0]?.score || 1;
  for (const hit of keyword) {
    const group = groupOf(hit.record);
    const entry = fused.get(group) ?? { record: hit.record, score: 0 };
    entry.score += ((1 - DENSE_WEIGHT) * hit.score) / best;
    fused.set(group, entry);
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
