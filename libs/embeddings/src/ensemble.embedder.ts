// Several sentence encoders behind one Embedder. A vector is the members' L2-normalised vectors
// side by side, each scaled by 1/sqrt(n): its norm stays 1, and the dot product of two such
// vectors is the mean of the members' cosines. Any vector store then ranks by the ensemble's
// score with no change, in one collection.
//
// Measured on eval/ and eval/unseen (tuning parts): MiniLM and BGE-small-en together beat either
// alone on every English set (see eval/README.md).
import type { Embedder, EmbeddingKind } from './embedder';

/** Joins member model names: "all-minilm-l6-v2+bge-small-en-v1.5". */
export const ENSEMBLE_SEPARATOR = '+';

export function isEnsembleModel(name: string): boolean {
  return name.includes(ENSEMBLE_SEPARATOR);
}

/** The member names of an ensemble model name; throws naming the name when one is empty or repeated. */
export function ensembleMembers(name: string): string[] {
  const members = name.split(ENSEMBLE_SEPARATOR).map((m) => m.trim());
  if (members.length < 2 || members.some((m) => m.length === 0) || new Set(members).size !== members.length) {
    throw new Error(`ensemble model "${name}": give two or more different model names joined by "${ENSEMBLE_SEPARATOR}"`);
  }
  return members;
}

export class EnsembleEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;
  /** Where each member's part starts in a vector, and its length. */
  readonly parts: ReadonlyArray<{ model: string; offset: number; dimension: number }>;

  constructor(private readonly members: readonly Embedder[]) {
    if (members.length < 2) throw new Error('an ensemble needs at least two embedders');
    this.model = members.map((m) => m.model).join(ENSEMBLE_SEPARATOR);
    let offset = 0;
    this.parts = members.map((m) => {
      const part = { model: m.model, offset, dimension: m.dimension };
      offset += m.dimension;
      return part;
    });
    this.dimension = offset;
  }

  async embed(texts: string[], kind: EmbeddingKind): Promise<Float32Array[]> {
    const perMember = await Promise.all(this.members.map((m) => m.embed(texts, kind)));
    const scale = 1 / Math.sqrt(this.members.length);
    return texts.map((_, i) => {
      const out = new Float32Array(this.dimension);
      perMember.forEach((vectors, m) => {
        const v = vectors[i];
        for (let d = 0; d < v.length; d += 1) out[this.parts[m].offset + d] = v[d] * scale;
      });
      return out;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }
}
