import path from 'node:path';
import { databaseShape, flag, httpPort, loadConfig, localDefault, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';
import { DEFAULT_MEMORY_LIMITS } from '@switchboard/knowledge';

export const retrievalConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Stored request-reply answers (libs/messaging reply-store.ts) hold customer text: sealed at rest.
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3102),
  QDRANT_URL: z
    .string()
    .url()
    .optional()
    .describe('Qdrant (1.10 or later), the vector store for production. Unset: the embedded LanceDB store under `VECTOR_DIR`.'),
  QDRANT_API_KEY: z.string().optional().describe("Qdrant's API key, if it requires one."),
  // This file sits at services/retrieval/{src,dist}/config.*, three levels below the repo root.
  // LanceDB allows one writer, hence one retrieval process per directory.
  VECTOR_DIR: localDefault(
    z.string().describe("The embedded store's directory, when `QDRANT_URL` is unset; one retrieval process per directory."),
    path.resolve(__dirname, '..', '..', '..', '.local', 'vectors'),
  ),
  VECTOR_READER: flag(false).describe(
    'This retrieval process only searches, reading `VECTOR_DIR` as another retrieval process (the one without this flag) ingests and writes it: the embedded store allows one writer. Start more of these to spread searches; with Qdrant every retrieval process may write, so leave it unset.',
  ),
  // Measured with `switchboard bench kb --memory-rows` (README, "Knowledge base at scale").
  VECTOR_MEMORY_ROWS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_MEMORY_LIMITS.tenantRows)
    .describe(
      'The embedded store searches a tenant with at most this many records in memory instead of querying LanceDB (0: never); ignored with Qdrant.',
    ),
  VECTOR_MEMORY_TOTAL_ROWS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_MEMORY_LIMITS.totalRows)
    .describe(
      'Records held in memory across all tenants (about 6.5 KB each for ~80-word chunks at 384 dimensions); the least recently searched go first.',
    ),
  // One process runs one text at a time, so concurrent searches queue behind it; 2 lets two queries
  // embed at once on a 2-core machine.
  EMBEDDING_PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(16)
    .default(2)
    .describe('Child processes per local embedding model (~200 MB each; an ensemble runs each of its models).'),
  EMBEDDING_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe('An OpenAI-compatible `/embeddings` endpoint, offered as model `openai:<EMBEDDING_MODEL>`.'),
  EMBEDDING_API_KEY: z.string().default('none').describe('The key for that endpoint.'),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small').describe('The model name at that endpoint.'),
  EMBEDDING_DIMENSION: z.coerce.number().int().min(8).max(8192).default(1536).describe("That model's vector size."),
};

export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;
export const loadRetrievalConfig = (env = process.env) => {
  const config = loadConfig(retrievalConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
