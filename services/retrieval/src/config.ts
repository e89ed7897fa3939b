import path from 'node:path';
import { databaseShape, loadConfig, localDefault, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape } from '@switchboard/crypto';

export const retrievalConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Its stored replies to requests asked again hold customer text (libs/messaging reply-store.ts).
  ...encryptionConfigShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3102),
  // Qdrant in production; unset = the embedded LanceDB store under VECTOR_DIR (one retrieval
  // process per directory: LanceDB allows one writer).
  QDRANT_URL: z.string().url().optional(),
  QDRANT_API_KEY: z.string().optional(),
  // This file sits at services/retrieval/{src,dist}/config.*, three levels below the repo root.
  VECTOR_DIR: localDefault(z.string(), path.resolve(__dirname, '..', '..', '..', '.local', 'vectors')),
  // Child processes per local embedding model (~200 MB each). One process runs one text at a time,
  // so concurrent searches queue behind it; 2 lets two queries embed at once on a 2-core machine.
  EMBEDDING_PROCESSES: z.coerce.number().int().min(1).max(16).default(2),
  // An OpenAI-compatible /embeddings endpoint, offered as model "openai:<EMBEDDING_MODEL>".
  EMBEDDING_BASE_URL: z.string().url().optional(),
  EMBEDDING_API_KEY: z.string().default('none'),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSION: z.coerce.number().int().min(8).max(8192).default(1536),
};

export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;
export const loadRetrievalConfig = (env = process.env) => loadConfig(retrievalConfigShape, env);
