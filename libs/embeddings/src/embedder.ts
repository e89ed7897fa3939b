// Sentence embeddings behind one interface: local ONNX models run in-process (offline), or any
// OpenAI-compatible /embeddings endpoint.

export type EmbeddingKind = 'query' | 'passage';

export interface Embedder {
  /** Stable model name recorded per knowledge base, e.g. "all-minilm-l6-v2". */
  readonly model: string;
  readonly dimension: number;
  /** L2-normalised vectors, one per text, in order. Batches internally. */
  embed(texts: string[], kind: EmbeddingKind): Promise<Float32Array[]>;
  close(): Promise<void>;
}
