import path from 'node:path';
import { loadConfig, platformShape, z } from '@switchboard/config';

export const retrievalConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3102),
  // Qdrant in production; unset = the embedded LanceDB store under VECTOR_DIR (one retrieval
  // process per directory: LanceDB allows one writer).
  QDRANT_URL: z.string().url().optional(),
  QDRANT_API_KEY: z.string().optional(),
  // This file sits at services/retrieval/{src,dist}/config.*, three levels below the repo root.
  VECTOR_DIR: z.string().default(path.resolve(__dirname, '..', '..', '..', '.local', 'vectors')),
  // An OpenAI-compatible /embeddings endpoint, offered as model "openai:<EMBEDDING_MODEL>".
  EMBEDDING_BASE_URL: z.string().url().optional(),
  EMBEDDING_API_KEY: z.string().default('none'),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSION: z.coerce.number().int().min(8).max(8192).default(1536),
};

export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;
export const loadRetrievalConfig = (env = process.env) => loadConfig(retrievalConfigShape, env);
