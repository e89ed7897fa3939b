// Qdrant, the production vector store, over its REST client. One Qdrant collection per
// collection, every tenant in it (tenant isolation is the `must` filter on every request, backed
// by a tenant-optimised payload index), holding:
//   - `dense`: the embedding, cosine distance (Qdrant returns cosine similarity as the score);
//   - `keywords`: a sparse vector of the keyword field, one dimension per token (FNV-1a hash of its
//     UTF-8 bytes), value = term frequency; the collection's `idf` modifier weights each term by
//     its inverse document frequency at query time, so keyword scores are BM25-style TF-IDF
//     (without BM25's length normalisation) computed by Qdrant itself.
// Points are keyed by a UUID derived from the record id (Qdrant only accepts UUIDs or unsigned
// integers); the record id itself stays in the payload.
// Each search is one list, dense or keyword; KnowledgeSearcher fuses them.
import { createHash } from 'node:crypto';
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import type { ChunkRecord, DeleteSelector, StoredRecord, VectorHit, VectorQuery, VectorStore } from './vector-store';
import {
  assertCollectionName,
  assertDimension,
  assertFilterId,
  keywordTokens,
  lastPerId,
  validateQuery,
  validateRecord,
  validateSelector,
  VectorStoreConfigError,
  VectorStoreInputError,
  type ValidFilter,
  type ValidSelector,
} from './vector-store.shared';

const DENSE = 'dense';
const KEYWORDS = 'keywords';
/** The Query API (`points/query`) and the sparse vectors' `idf` modifier arrived in Qdrant 1.10. */
const MIN_SERVER = [1, 10] as const;
// Points per upsert request: keeps request bodies around a few MB at 1024 dimensions.
const UPSERT_BATCH = 256;

/** Namespace of the name-based (v5) UUIDs that key Switchboard records in Qdrant. Never change it. */
export const POINT_ID_NAMESPACE = '61da8eb7-89a2-487b-9ec8-587d533ce5a3';

/** RFC 4122 version-5 UUID: SHA-1 of namespace bytes + UTF-8 name, version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`namespace ${namespace} is not a UUID`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Qdrant point id of a record: stable across runs and processes, so upserts replace. */
export function pointId(recordId: string): string {
  return uuidV5(recordId, POINT_ID_NAMESPACE);
}

const encoder = new TextEncoder();

/** 32-bit FNV-1a over the token's UTF-8 bytes: the sparse dimension of a keyword token. */
export function fnv1a32(token: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(token)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The sparse vector of a keyword string. Documents: value = term frequency. Queries: 1 per
 * distinct term (repeating a word in a question should not weigh it more). Two tokens whose hashes
 * collide share a dimension and add up; at 2^32 dimensions that is rare and only blurs scoring.
 */
export function sparseVector(tokens: string[], use: 'document' | 'query'): Schemas['SparseVector'] {
  const weights = new Map<number, number>();
  for (const token of use === 'query' ? new Set(tokens) : tokens) {
    const index = fnv1a32(token);
    weights.set(index, (weights.get(index) ?? 0) + 1);
  }
  const indices = [...weights.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((index) => weights.get(index) ?? 0) };
}

/** The search filter as a Qdrant `must` filter; every value has been validated (validateFilter). */
export function searchFilter(filter: ValidFilter): Schemas['Filter'] {
  const must: Schemas['Condition'][] = [{ key: 'tenantId', match: { value: assertFilterId(filter.tenantId, 'tenantId') } }];
  if (filter.knowledgeBaseIds.length > 0) must.push({ key: 'knowledgeBaseId', match: { any: filter.knowledgeBaseIds } });
  must.push({ key: 'accessLevel', range: { lte: filter.maxAccessLevel } });
  if (filter.at !== 0) {
    // validFrom 0 (unbounded) is always <= at, so only validTo needs the explicit 0 case.
    must.push({ key: 'validFrom', range: { lte: filter.at } });
    must.push({
      should: [
        { key: 'validTo', match: { value: 0 } },
        { key: 'validTo', range: { gte: filter.at } },
      ],
    });
  }
  return { must };
}

export function deleteFilter(selector: ValidSelector): Schemas['Filter'] {
  const must: Schemas['Condition'][] = [{ key: 'tenantId', match: { value: assertFilterId(selector.tenantId, 'tenantId') } }];
  if (selector.knowledgeBaseId !== undefined) must.push({ key: 'knowledgeBaseId', match: { value: selector.knowledgeBaseId } });
  if (selector.documentId !== undefined) must.push({ key: 'documentId', match: { value: selector.documentId } });
  const filter: Schemas['Filter'] = { must };
  if (selector.exceptDocumentVersion !== undefined)
    filter.must_not = [{ key: 'documentVersion', match: { value: selector.exceptDocumentVersion } }];
  return filter;
}

function toPoint(record: ChunkRecord): Schemas['PointStruct'] {
  const { vector, ...stored } = record;
  const tokens = keywordTokens(record.keywords);
  const vectors: Record<string, Schemas['Vector']> = { [DENSE]: Array.from(vector) };
  // A record without keywords has no sparse vector at all (Qdrant allows a named vector to be absent).
  if (tokens.length > 0) vectors[KEYWORDS] = sparseVector(tokens, 'document');
  const payload: StoredRecord = stored;
  return { id: pointId(record.id), vector: vectors, payload: { ...payload } };
}

function readString(payload: Record<string, unknown>, key: keyof StoredRecord): string {
  const value = payload[key];
  if (typeof value !== 'string') throw new Error(`Qdrant payload: ${key} is not a string`);
  return value;
}

function readNumber(payload: Record<string, unknown>, key: keyof StoredRecord): number {
  const value = payload[key];
  if (typeof value !== 'number') throw new Error(`Qdrant payload: ${key} is not a number`);
  return value;
}

export function fromPayload(payload: Record<string, unknown> | null | undefined): StoredRecord {
  if (!payload) throw new Error('Qdrant returned a point without payload');
  const tags = payload.tags;
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) throw new Error('Qdrant payload: tags is not a string array');
  return {
    id: readString(payload, 'id'),
    tenantId: readString(payload, 'tenantId'),
    knowledgeBaseId: readString(payload, 'knowledgeBaseId'),
    documentId: readString(payload, 'documentId'),
    documentVersion: readNumber(payload, 'documentVersion'),
    position: readNumber(payload, 'position'),
    text: readString(payload, 'text'),
    title: readString(payload, 'title'),
    keywords: readString(payload, 'keywords'),
    language: readString(payload, 'language'),
    accessLevel: readNumber(payload, 'accessLevel'),
    tags: tags as string[],
    product: readString(payload, 'product'),
    validFrom: readNumber(payload, 'validFrom'),
    validTo: readNumber(payload, 'validTo'),
    faqId: readString(payload, 'faqId'),
    contentHash: readString(payload, 'contentHash'),
  };
}

function toHits(points: Schemas['ScoredPoint'][]): VectorHit[] {
  return points.map((point) => ({ record: fromPayload(point.payload), score: point.score }));
}

/** The dense vector's size in a collection's config, or undefined when it has no `dense` vector. */
function denseSize(info: Schemas['CollectionInfo']): number | undefined {
  const vectors = info.config.params.vectors;
  if (!vectors || 'size' in vectors) return undefined; // missing, or a single unnamed vector
  const dense = vectors[DENSE];
  return typeof dense?.size === 'number' ? dense.size : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

export interface QdrantConnection {
  url: string;
  apiKey?: string;
  /** Per-request timeout in ms (client default: 300 s). */
  timeoutMs?: number;
}

export class QdrantVectorStore implements VectorStore {
  readonly backend = 'qdrant' as const;
  private readonly dimensions = new Map<string, Promise<number>>();

  private constructor(private readonly client: QdrantClient) {}

  /** From QDRANT_URL (and QDRANT_API_KEY); refuses to start without a reachable Qdrant >= 1.10. */
  static async fromEnv(env: Record<string, string | undefined> = process.env): Promise<QdrantVectorStore> {
    const url = env.QDRANT_URL?.trim();
    if (!url)
      throw new VectorStoreConfigError(
        'QDRANT_URL is not set: point it at a Qdrant server (e.g. http://127.0.0.1:6333) to use the qdrant vector store',
      );
    return QdrantVectorStore.connect({ url, apiKey: env.QDRANT_API_KEY?.trim() || undefined });
  }

  static async connect(connection: QdrantConnection): Promise<QdrantVectorStore> {
    try {
      new URL(connection.url);
    } catch {
      throw new VectorStoreConfigError(`QDRANT_URL is not a URL: ${JSON.stringify(connection.url)}`);
    }
    // The client's own compatibility check only logs; this one refuses to start.
    const client = new QdrantClient({
      url: connection.url,
      apiKey: connection.apiKey,
      timeout: connection.timeoutMs,
      checkCompatibility: false,
    });
    let version: string;
    try {
      version = (await client.versionInfo()).version;
    } catch (error) {
      throw new VectorStoreConfigError(`Qdrant at ${connection.url} did not answer: ${(error as Error).message}`);
    }
    const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
    if (major < MIN_SERVER[0] || (major === MIN_SERVER[0] && minor < MIN_SERVER[1])) {
      throw new VectorStoreConfigError(
        `Qdrant at ${connection.url} is ${version}; Switchboard needs ${MIN_SERVER.join('.')} or later (the Query API and sparse vectors with the idf modifier)`,
      );
    }
    return new QdrantVectorStore(client);
  }

  async ensureCollection(collection: string, dimension: number): Promise<void> {
    assertCollectionName(collection);
    assertDimension(dimension);
    const known = this.dimensions.get(collection);
    const actual = known ? await known.catch(() => undefined) : undefined;
    if (actual !== undefined) return checkDimension(collection, actual, dimension);

    const creating = this.create(collection, dimension);
    this.dimensions.set(collection, creating);
    creating.catch(() => this.dimensions.delete(collection));
    checkDimension(collection, await creating, dimension);
  }

  async upsert(collection: string, records: ChunkRecord[]): Promise<void> {
    const dimension = await this.dimension(collection);
    for (const record of records) validateRecord(record, dimension);
    const unique = lastPerId(records);
    for (let start = 0; start < unique.length; start += UPSERT_BATCH) {
      // wait: the next search sees the write, as with LanceDB.
      await this.client.upsert(collection, { wait: true, points: unique.slice(start, start + UPSERT_BATCH).map(toPoint) });
    }
  }

  async delete(collection: string, selector: DeleteSelector): Promise<void> {
    const filter = deleteFilter(validateSelector(selector));
    await this.dimension(collection);
    await this.client.delete(collection, { wait: true, filter });
  }

  async search(collection: string, query: VectorQuery): Promise<VectorHit[]> {
    const valid = validateQuery(query, await this.dimension(collection));
    const filter = searchFilter(valid.filter);
    const dense = valid.vector ? Array.from(valid.vector) : undefined;
    if (valid.mode === 'dense') {
      if (!dense) throw new VectorStoreInputError('query.vector is required');
      const { points } = await this.client.query(collection, {
        query: dense,
        using: DENSE,
        filter,
        limit: valid.limit,
        with_payload: true,
      });
      return toHits(points);
    }
    if (valid.tokens.length === 0) return [];
    const { points } = await this.client.query(collection, {
      query: sparseVector(valid.tokens, 'query'),
      using: KEYWORDS,
      filter,
      limit: valid.limit,
      with_payload: true,
    });
    return toHits(points);
  }

  /** Qdrant indexes on write; nothing to fold in. */
  async optimize(collection: string): Promise<void> {
    await this.dimension(collection);
  }

  async count(collection: string, tenantId: string): Promise<number> {
    const filter: Schemas['Filter'] = { must: [{ key: 'tenantId', match: { value: assertFilterId(tenantId, 'tenantId') } }] };
    await this.dimension(collection);
    return (await this.client.count(collection, { filter, exact: true })).count;
  }

  /** Drops a collection (tests, rebuilds); the interface has no such call on purpose. */
  async dropCollection(collection: string): Promise<void> {
    assertCollectionName(collection);
    this.dimensions.delete(collection);
    await this.client.deleteCollection(collection);
  }

  async close(): Promise<void> {
    // The REST client holds only pooled HTTP connections, released when it is collected.
    this.dimensions.clear();
  }

  private dimension(collection: string): Promise<number> {
    assertCollectionName(collection);
    let known = this.dimensions.get(collection);
    if (!known) {
      known = this.client.getCollection(collection).then(
        (info) => {
          const size = denseSize(info);
          if (size === undefined)
            throw new VectorStoreInputError(`collection ${collection} has no "${DENSE}" vector; it was not made by this store`);
          return size;
        },
        (error: unknown) => {
          if (statusOf(error) === 404)
            throw new VectorStoreInputError(`collection ${collection} does not exist (call ensureCollection first)`);
          throw error;
        },
      );
      this.dimensions.set(collection, known);
      known.catch(() => this.dimensions.delete(collection));
    }
    return known;
  }

  private async create(collection: string, dimension: number): Promise<number> {
    if (!(await this.client.collectionExists(collection)).exists) {
      try {
        await this.client.createCollection(collection, {
          vectors: { [DENSE]: { size: dimension, distance: 'Cosine' } },
          sparse_vectors: { [KEYWORDS]: { modifier: 'idf' } },
          // Every query is tenant-scoped: build HNSW graphs per tenant (payload_m, over the
          // is_tenant index below) instead of one global graph (m: 0), as Qdrant advises for
          // multitenancy. Filtered search then stays fast and exact within a tenant.
          hnsw_config: { m: 0, payload_m: 16 },
        });
      } catch (error) {
        // Another process created it in the meantime: fine, its config is checked below.
        if (!(await this.client.collectionExists(collection)).exists) throw error;
      }
    }
    const info = await this.client.getCollection(collection);
    const size = denseSize(info);
    if (size === undefined)
      throw new VectorStoreInputError(`collection ${collection} has no "${DENSE}" vector; it was not made by this store`);
    const sparse = info.config.params.sparse_vectors?.[KEYWORDS];
    if (!sparse || sparse.modifier !== 'idf')
      throw new VectorStoreInputError(`collection ${collection} has no "${KEYWORDS}" sparse vector with the idf modifier`);
    if (size !== dimension) return size;
    // Creating an index that exists is a no-op, so this also repairs a half-created collection.
    const indexes: Array<[string, Schemas['PayloadFieldSchema']]> = [
      ['tenantId', { type: 'keyword', is_tenant: true }],
      ['knowledgeBaseId', 'keyword'],
      ['documentId', 'keyword'],
      ['accessLevel', 'integer'],
      ['documentVersion', 'integer'],
      ['validFrom', 'integer'],
      ['validTo', 'integer'],
    ];
    for (const [field_name, field_schema] of indexes) {
      if (info.payload_schema[field_name]) continue;
      await this.client.createPayloadIndex(collection, { wait: true, field_name, field_schema });
    }
    return size;
  }
}

function checkDimension(collection: string, actual: number, requested: number): void {
  if (actual !== requested) throw new VectorStoreInputError(`collection ${collection} has dimension ${actual}, not ${requested}`);
}
