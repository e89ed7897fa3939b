// Embeds a document version's units and writes them to the vector store. Units whose text was
// embedded before under the same model (content hash) reuse that vector, so re-ingesting a
// changed document embeds only what changed.
import type { Embedder } from '@switchboard/embeddings';
import { contentHash, type KnowledgeUnit } from './knowledge-units';
import type { ChunkRecord, VectorStore } from './vectors/vector-store';

export interface EmbeddingCache {
  get(model: string, hashes: string[]): Promise<Map<string, Float32Array>>;
  put(model: string, entries: Array<[string, Float32Array]>): Promise<void>;
}

export interface DocumentVersion {
  tenantId: string;
  knowledgeBaseId: string;
  documentId: string;
  version: number;
  language: string;
  accessLevel: number;
  tags: string[];
  product: string;
  validFrom: number;
  validTo: number;
}

// Embedding batch; records are written in larger batches since every write is a commit.
const BATCH = 64;
const WRITE_BATCH = 2048;

export function collectionFor(model: string): string {
  return `chunks_${model.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

export class KnowledgeIndexer {
  constructor(
    private readonly store: VectorStore,
    private readonly embedder: Embedder,
    private readonly cache?: EmbeddingCache,
  ) {}

  get collection(): string {
    return collectionFor(this.embedder.model);
  }

  /** Writes the version's records; returns how many units needed a fresh embedding. */
  async index(
    doc: DocumentVersion,
    units: KnowledgeUnit[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ records: number; embedded: number }> {
    await this.store.ensureCollection(this.collection, this.embedder.dimension);
    const hashes = units.map((u) => contentHash(this.embedder.model, u.embedText));
    const known = (await this.cache?.get(this.embedder.model, [...new Set(hashes)])) ?? new Map<string, Float32Array>();
    let embedded = 0;
    let pending: ChunkRecord[] = [];
    for (let start = 0; start < units.length; start += BATCH) {
      const batch = units.slice(start, start + BATCH);
      const batchHashes = hashes.slice(start, start + BATCH);
      const missing = [...new Set(batchHashes.filter((h) => !known.has(h)))];
      if (missing.length > 0) {
        const texts = missing.map((h) => batch[batchHashes.indexOf(h)].embedText);
        const vectors = await this.embedder.embed(texts, 'passage');
        const fresh = missing.map((h, i) => [h, vectors[i]] as [string, Float32Array]);
        for (const [h, v] of fresh) known.set(h, v);
        await this.cache?.put(this.embedder.model, fresh);
        embedded += missing.length;
      }
      pending.push(...batch.map((u, i) => this.record(doc, u, batchHashes[i], known.get(batchHashes[i])!)));
      if (pending.length >= WRITE_BATCH || start + BATCH >= units.length) {
        await this.store.upsert(this.collection, pending);
        pending = [];
      }
      onProgress?.(Math.min(start + BATCH, units.length), units.length);
    }
    await this.store.optimize(this.collection);
    return { records: units.length, embedded };
  }

  private record(doc: DocumentVersion, unit: KnowledgeUnit, hash: string, vector: Float32Array): ChunkRecord {
    return {
      id: `${doc.tenantId}:${doc.knowledgeBaseId}:${doc.documentId}:${doc.version}:${unit.position}`,
      tenantId: doc.tenantId,
      knowledgeBaseId: doc.knowledgeBaseId,
      documentId: doc.documentId,
      documentVersion: doc.version,
      position: unit.position,
      text: unit.text,
      title: unit.title,
      keywords: unit.keywords,
      language: doc.language,
      accessLevel: doc.accessLevel,
      tags: doc.tags,
      product: doc.product,
      validFrom: doc.validFrom,
      validTo: doc.validTo,
      faqId: unit.faqId,
      contentHash: hash,
      vector,
    };
  }
}
