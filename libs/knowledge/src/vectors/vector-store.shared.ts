// What every VectorStore backend must do identically: validate what reaches a filter, split the
// keyword field, size and fuse hybrid candidate lists. Kept in one place so LanceDB and Qdrant
// cannot drift apart (the contract suite checks they do not).
import type { ChunkRecord, DeleteSelector, SearchFilter, VectorQuery } from './vector-store';

/** A caller mistake (bad filter value, wrong dimension, missing query part): never retried. */
export class VectorStoreInputError extends Error {
  override readonly name = 'VectorStoreInputError';
}

/** The store is not configured to run (e.g. QDRANT_URL missing): fix the environment. */
export class VectorStoreConfigError extends Error {
  override readonly name = 'VectorStoreConfigError';
}

/**
 * Tenant, knowledge-base and document ids end up inside a LanceDB SQL `where` and a Qdrant
 * filter. Only this alphabet is admitted (no quotes, spaces, backslashes, `%` or `*`), so a value
 * can be quoted without escaping and nothing a caller sends can change a filter's meaning.
 */
const FILTER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Collection names become LanceDB directory names and Qdrant URL path segments. */
const COLLECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function assertFilterId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !FILTER_ID.test(value)) {
    throw new VectorStoreInputError(`${what} must match ${FILTER_ID.source}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function assertCollectionName(value: unknown): string {
  if (typeof value !== 'string' || !COLLECTION_NAME.test(value)) {
    throw new VectorStoreInputError(`collection name must match ${COLLECTION_NAME.source}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function assertInteger(value: unknown, what: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new VectorStoreInputError(`${what} must be an integer >= ${min}; got ${String(value)}`);
  }
  return value;
}

export function assertDimension(dimension: unknown): number {
  return assertInteger(dimension, 'dimension', 1);
}

export function assertVector(vector: unknown, dimension: number, what: string): Float32Array {
  if (!(vector instanceof Float32Array)) throw new VectorStoreInputError(`${what} must be a Float32Array`);
  if (vector.length !== dimension) {
    throw new VectorStoreInputError(`${what} has dimension ${vector.length}; the collection's is ${dimension}`);
  }
  for (const x of vector) {
    if (!Number.isFinite(x)) throw new VectorStoreInputError(`${what} contains a non-finite value`);
  }
  return vector;
}

/** A filter whose every part has been checked; backends build their filters only from this. */
export interface ValidFilter {
  tenantId: string;
  knowledgeBaseIds: string[];
  maxAccessLevel: number;
  at: number;
}

export function validateFilter(filter: SearchFilter): ValidFilter {
  if (!filter || typeof filter !== 'object') throw new VectorStoreInputError('filter is required');
  if (!Array.isArray(filter.knowledgeBaseIds)) throw new VectorStoreInputError('filter.knowledgeBaseIds must be an array');
  return {
    tenantId: assertFilterId(filter.tenantId, 'filter.tenantId'),
    knowledgeBaseIds: [...new Set(filter.knowledgeBaseIds.map((id, i) => assertFilterId(id, `filter.knowledgeBaseIds[${i}]`)))],
    maxAccessLevel: assertInteger(filter.maxAccessLevel, 'filter.maxAccessLevel'),
    at: assertInteger(filter.at, 'filter.at', 0),
  };
}

export interface ValidSelector {
  tenantId: string;
  knowledgeBaseId?: string;
  documentId?: string;
  exceptDocumentVersion?: number;
}

export function validateSelector(selector: DeleteSelector): ValidSelector {
  if (!selector || typeof selector !== 'object') throw new VectorStoreInputError('selector is required');
  const valid: ValidSelector = { tenantId: assertFilterId(selector.tenantId, 'selector.tenantId') };
  if (selector.knowledgeBaseId !== undefined) valid.knowledgeBaseId = assertFilterId(selector.knowledgeBaseId, 'selector.knowledgeBaseId');
  if (selector.documentId !== undefined) valid.documentId = assertFilterId(selector.documentId, 'selector.documentId');
  if (selector.exceptDocumentVersion !== undefined) {
    // "Other versions of this document": without a document it would wipe the whole tenant.
    if (valid.documentId === undefined) throw new VectorStoreInputError('selector.exceptDocumentVersion needs selector.documentId');
    valid.exceptDocumentVersion = assertInteger(selector.exceptDocumentVersion, 'selector.exceptDocumentVersion');
  }
  return valid;
}

/**
 * Checks the fields that filters and deletes depend on, so a record that could never be found (or
 * deleted) again is refused at the door rather than stored. Free text (text, title, keywords) is
 * stored as data and never reaches a filter, so it is not restricted.
 */
export function validateRecord(record: ChunkRecord, dimension: number): void {
  const where = `record ${JSON.stringify(record?.id)}`;
  if (typeof record.id !== 'string' || record.id.length === 0 || record.id.length > 512) {
    throw new VectorStoreInputError(`${where}: id must be a non-empty string of at most 512 characters`);
  }
  assertFilterId(record.tenantId, `${where}: tenantId`);
  assertFilterId(record.knowledgeBaseId, `${where}: knowledgeBaseId`);
  assertFilterId(record.documentId, `${where}: documentId`);
  assertInteger(record.documentVersion, `${where}: documentVersion`);
  assertInteger(record.position, `${where}: position`);
  assertInteger(record.accessLevel, `${where}: accessLevel`);
  assertInteger(record.validFrom, `${where}: validFrom`, 0);
  assertInteger(record.validTo, `${where}: validTo`, 0);
  for (const field of ['text', 'title', 'keywords', 'language', 'product', 'faqId', 'contentHash'] as const) {
    if (typeof record[field] !== 'string') throw new VectorStoreInputError(`${where}: ${field} must be a string`);
  }
  if (!Array.isArray(record.tags) || record.tags.some((tag) => typeof tag !== 'string')) {
    throw new VectorStoreInputError(`${where}: tags must be an array of strings`);
  }
  assertVector(record.vector, dimension, `${where}: vector`);
}

/** Upserting the same id twice in one call keeps the last one, as two calls in a row would. */
export function lastPerId(records: ChunkRecord[]): ChunkRecord[] {
  const byId = new Map<string, ChunkRecord>();
  for (const record of records) {
    byId.delete(record.id);
    byId.set(record.id, record);
  }
  return [...byId.values()];
}

/**
 * The keyword field is already our tokenizer's output (stems, CJK bigrams) joined by spaces:
 * split on whitespace only, never lowercase, stem or drop stop words again.
 */
export function keywordTokens(keywords: string): string[] {
  return keywords.split(/\s+/u).filter((token) => token.length > 0);
}

/** Query terms count once each on both backends (Qdrant's query sparse vector holds 1 per term). */
export function uniqueKeywordTokens(keywords: string): string[] {
  return [...new Set(keywordTokens(keywords))];
}

export interface ValidQuery {
  mode: VectorQuery['mode'];
  vector?: Float32Array;
  tokens: string[];
  limit: number;
  filter: ValidFilter;
}

export function validateQuery(query: VectorQuery, dimension: number): ValidQuery {
  if (!query || typeof query !== 'object') throw new VectorStoreInputError('query is required');
  if (query.mode !== 'dense' && query.mode !== 'keyword') {
    throw new VectorStoreInputError(`query.mode must be dense or keyword; got ${JSON.stringify(query.mode)}`);
  }
  const limit = assertInteger(query.limit, 'query.limit', 1);
  if (limit > 1000) throw new VectorStoreInputError('query.limit must be at most 1000');
  const valid: ValidQuery = { mode: query.mode, tokens: [], limit, filter: validateFilter(query.filter) };
  if (query.mode !== 'keyword') {
    if (query.vector === undefined) throw new VectorStoreInputError(`query.vector is required for ${query.mode} search`);
    valid.vector = assertVector(query.vector, dimension, 'query.vector');
  }
  if (query.mode !== 'dense') {
    if (typeof query.keywords !== 'string') throw new VectorStoreInputError(`query.keywords is required for ${query.mode} search`);
    valid.tokens = uniqueKeywordTokens(query.keywords);
  }
  return valid;
}
