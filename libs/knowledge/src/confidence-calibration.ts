// Calibrates, per tenant, the similarity from which an approved FAQ answer is used word for word.
// The tenant's own FAQ is the evidence: every alternative phrasing of an entry is a real customer
// wording whose right answer is known. Each phrasing is searched with itself left out (its other
// phrasings and answer stay), giving (confidence, right or wrong) pairs; the floor is the lowest
// similarity at which the pairs answered with confidence are right at least TARGET_PRECISION of
// the time. Too few pairs (an FAQ without alternatives) keeps the model's floor.
import type { KnowledgeUnit } from './knowledge-units';
import { isConfident, type KnowledgeSearcher, type TopConfidence } from './knowledge-searcher';
import type { SearchFilter } from './vectors/vector-store';

/** Share of confident answers that must be right. */
export const TARGET_PRECISION = 0.95;
/** Fewer left-out phrasings than this say too little to move the floor. */
export const MIN_PAIRS = 10;
/** Phrasings searched at most (evenly spread), so calibrating a large FAQ stays quick. */
const MAX_PAIRS = 400;

export interface ConfidencePair {
  top: TopConfidence;
  correct: boolean;
}

export interface Calibration {
  /** The similarity floor for a word-for-word answer. */
  floor: number;
  /** 'phrasings' when fitted on the tenant's phrasings, 'model' when the model's default was kept. */
  source: 'phrasings' | 'model';
  /** Left-out phrasings searched. */
  pairs: number;
  /** On those pairs at `floor`: share answered with confidence, and share of those right. */
  answered: number;
  precision: number;
}

/** What a confidence rule does on labelled pairs: how many it answers and how many of those are right. */
export function answeredPrecision(pairs: readonly ConfidencePair[], floor: number): { answered: number; precision: number } {
  const answered = pairs.filter((p) => isConfident(p.top, floor));
  const right = answered.filter((p) => p.correct).length;
  return { answered: pairs.length ? answered.length / pairs.length : 0, precision: answered.length ? right / answered.length : 1 };
}

/**
 * The lowest floor (not below `minimum`, the model's relevance floor) whose confident answers on
 * the pairs reach TARGET_PRECISION; the model's floor when the pairs are too few.
 */
export function calibrateFloor(pairs: readonly ConfidencePair[], modelFloor: number, minimum: number): Calibration {
  if (pairs.length < MIN_PAIRS) return { floor: modelFloor, source: 'model', pairs: pairs.length, ...answeredPrecision(pairs, modelFloor) };
  const candidates = [...new Set(pairs.map((p) => p.top.similarity).filter((s) => s >= minimum))].sort((a, b) => a - b);
  for (const floor of candidates) {
    const { answered, precision } = answeredPrecision(pairs, floor);
    if (answered > 0 && precision >= TARGET_PRECISION) return { floor, source: 'phrasings', pairs: pairs.length, answered, precision };
  }
  // Nothing reaches the target: answer word for word only above every pair seen.
  const floor = Math.max(modelFloor, (candidates[candidates.length - 1] ?? modelFloor) + 1e-6);
  return { floor, source: 'phrasings', pairs: pairs.length, ...answeredPrecision(pairs, floor) };
}

/**
 * Searches each alternative phrasing of the FAQ units (entries with two or more phrasings) with
 * that phrasing's own record left out.
 */
export async function phrasingPairs(
  searcher: KnowledgeSearcher,
  units: readonly KnowledgeUnit[],
  filter: SearchFilter,
  documentId: string,
): Promise<ConfidencePair[]> {
  const phrasingsOf = new Map<string, KnowledgeUnit[]>();
  for (const u of units) {
    if (!u.faqId || u.position % 100 === 99) continue; // the answer view is not something a customer types
    phrasingsOf.set(u.faqId, [...(phrasingsOf.get(u.faqId) ?? []), u]);
  }
  const candidates = [...phrasingsOf.values()].filter((list) => list.length >= 2).flat();
  const step = Math.max(1, candidates.length / MAX_PAIRS);
  const chosen = Array.from({ length: Math.min(candidates.length, MAX_PAIRS) }, (_, i) => candidates[Math.floor(i * step)]);
  const pairs: ConfidencePair[] = [];
  for (const unit of chosen) {
    const { hits, top } = await searcher.search(unit.embedText, {
      mode: 'hybrid',
      limit: 5,
      filter,
      isLive: (r) => !(r.documentId === documentId && r.position === unit.position),
    });
    if (top) pairs.push({ top, correct: hits[0]?.record.faqId === unit.faqId });
  }
  return pairs;
}
