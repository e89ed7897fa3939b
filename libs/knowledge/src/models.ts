/** The local embedding model a new knowledge base gets for its language. */
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
};

export function similarityFloors(model: string): SimilarityFloors {
  return FLOORS[model] ?? { relevant: 0.5, standardAnswer: 0.85 };
}
