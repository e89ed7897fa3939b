// Qdrant when a URL is configured (production), the embedded LanceDB store otherwise.
import { LanceDbVectorStore, type LanceDbVectorStoreOptions } from './lancedb.vector-store';
import { QdrantVectorStore } from './qdrant.vector-store';
import type { VectorStore } from './vector-store';

export function openVectorStore(options: {
  qdrantUrl?: string;
  qdrantApiKey?: string;
  directory: string;
  /** The embedded store's in-memory search of small tenants. */
  memory?: LanceDbVectorStoreOptions['memory'];
  /** Another process writes the embedded store's directory; Qdrant takes writes from every process. */
  readOnly?: boolean;
}): Promise<VectorStore> {
  return options.qdrantUrl
    ? QdrantVectorStore.connect({ url: options.qdrantUrl, apiKey: options.qdrantApiKey })
    : LanceDbVectorStore.open(options.directory, { memory: options.memory, readOnly: options.readOnly });
}
