import { ensembleMembers, isEnsembleModel } from '@switchboard/embeddings';

/**
 * The local embedding model a new knowledge base gets for its language. The MiniLM+BGE-small-en
 * ensemble (`embeddingModel: "all-minilm-l6-v2+bge-small-en-v1.5"`) is ahead on our English FAQ
 * sets but lost a misspelled question on the retail policy prose (test/e2e/knowledge), so it
 * is opt-in until prose is measured too (docs/retrieval.md).
 */
export function defaultModelFor(language: string): string {
  return language === 'zh' ? 'bge-small-zh-v1.5' : 'all-minilm-l6-v2';
}

export interface SimilarityFloors {
  /** Cosine similarity from which a passage is taken to be about the question. */
  relevant: number;
  /** Cosine similarity from which an approved FAQ answer is used word for word. */
  standardAnswer: number;
}

// Each model spreads similarities differently (BGE scores unrelated text around 0.3-0.5, MiniLM
// around 0-0.2), so the floors are per model. Measured on pairs from eval/ and the retail policy.
const FLOORS: Record<string, SimilarityFloors> = {
  'all-minilm-l6-v2': { relevant: 0.3, standardAnswer: 0.75 },
  'bge-small-en-v1.5': { relevant: 0.6, standardAnswer: 0.85 },
  'bge-small-zh-v1.5': { relevant: 0.5, standardAnswer: 0.72 },
  'e5-small-v2': { relevant: 0.8, standardAnswer: 0.9 },
};

/** An ensemble scores the mean of its members' cosines, so its floors are the mean of theirs. */
export function similarityFloors(model: string): SimilarityFloors {
  if (!isEnsembleModel(model)) return FLOORS[model] ?? { relevant: 0.5, standardAnswer: 0.85 };
  const members = ensembleMembers(model).map(similarityFloors);
  const mean = (key: keyof SimilarityFloors) => members.reduce((sum, f) => sum + f[key], 0) / members.length;
  return { relevant: mean('relevant'), standardAnswer: mean('standardAnswer') };
}
