// Qdrant when a URL is configured (production), the embedded LanceDB store otherwise.
import { LanceDbVectorStore } from './lancedb.vector-store';
import { QdrantVectorStore } from './qdrant.vector-store';
import type { VectorStore } from './vector-store';

export function openVectorStore(options: { qdrantUrl?: string; qdrantApiKey?: string; directory: string }): Promise<VectorStore> {
  return options.qdrantUrl
    ? QdrantVectorStore.connect({ url: options.qdrantUrl, apiKey: options.qdrantApiKey })
    : LanceDbVectorStore.open(options.directory);
}
