export * from './vector-store';
export { VectorStoreInputError, VectorStoreConfigError } from './vector-store.shared';
export { DEFAULT_MEMORY_LIMITS, LanceDbVectorStore } from './lancedb.vector-store';
export { QdrantVectorStore } from './qdrant.vector-store';
export { openVectorStore } from './open-vector-store';
