// LanceDB, embedded: one directory on local disk, one Lance table per collection. Used on a single
// machine and in CI, where running Qdrant is not worth it.
//
// ONE WRITER PROCESS PER TABLE. LanceDB commits optimistically through its manifest and has no
// cross-process lock on a local file system: two processes upserting, deleting or optimizing the
// same table can conflict or lose a commit. Within this process every write to a table goes
// through one queue. Other processes open the directory as readers (`readOnly`): they see each of
// the writer's commits on their next search and refuse every write.
//
// Freshness: dense search sees a row as soon as upsert() returns (LanceDB scans rows not yet in
// the vector index exactly). Keyword search sees rows only once
// optimize() has folded them into the full-text index: LanceDB's fallback scan over un-indexed
// rows drops rows under a `where` filter and scores them on different statistics (seen with
// @lancedb/lancedb 0.31 / lance 8), so it is switched off (fastSearch) for a predictable rule.
// Callers run optimize() after each ingest batch.
//
// Small tenants are searched in memory (tenant-memory-index.ts): a LanceDB query's fixed cost is
// most of a small knowledge base's search. A copy serves only while its stamp, read before it was
// loaded, is current (tenant-memory-cache.ts). In the writer the stamp counts the writes that
// touched that tenant, so one tenant's ingestion never reloads another's copy; a reader cannot see
// whose rows a commit touched, so its stamp is the table's version. In memory, keyword search sees
// new rows at once, without waiting for optimize().
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import {
  connect,
  Index,
  MatchQuery,
  Operator,
  type Connection,
  type Table as LanceTable,
  type VectorQuery as LanceVectorQuery,
} from '@lancedb/lancedb';
import {
  DataType,
  Field,
  FixedSizeList,
  Float32,
  Int64,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  Utf8,
  type Data,
} from 'apache-arrow';
import type { ChunkRecord, DeleteSelector, StoredRecord, VectorHit, VectorQuery, VectorStore } from './vector-store';
import {
  assertCollectionName,
  assertDimension,
  assertFilterId,
  assertInteger,
  lastPerId,
  validateQuery,
  validateRecord,
  validateSelector,
  VectorStoreInputError,
  type ValidFilter,
  type ValidSelector,
} from './vector-store.shared';
import { TenantMemoryCache, type TenantCopy, type TenantMemoryLimits } from './tenant-memory-cache';
import { TenantMemoryIndex } from './tenant-memory-index';

export type LanceDbAnnIndex = 'ivf_hnsw_sq' | 'ivf_pq';

export interface LanceDbVectorStoreOptions {
  /**
   * optimize() builds the ANN vector index and the filter columns' indexes once a table has this
   * many rows. Below it an exact scan is fast enough (a few ms at 10k x 384) and exact is better
   * than approximate.
   */
  indexMinRows?: number;
  /** Which ANN index optimize() builds; see annIndexConfig() for the measured choice. */
  annIndex?: LanceDbAnnIndex;
  /**
   * Another process writes this directory: refuse writes here, and look for its commits before
   * every search (a manifest check: about 0.04 ms).
   */
  readOnly?: boolean;
  /** Tenants searched in memory: at most `tenantRows` records each (0 = never), `totalRows` in all. */
  memory?: Partial<TenantMemoryLimits>;
}

/**
 * Measured with `switchboard bench kb --memory-rows` (README): a hybrid search of a 5,000-chunk
 * knowledge base cost 6.4 ms of CPU in memory against 27 ms through LanceDB's queries (query
 * embedding included). A chunk of ~80 words at 384 dimensions holds about 6.5 KB, so 20,000 held
 * are about 130 MB.
 */
export const DEFAULT_MEMORY_LIMITS: TenantMemoryLimits = { tenantRows: 5_000, totalRows: 20_000 };

// Every stored column except the vector: what searches read back (vectors are not returned).
const STORED_COLUMNS = [
  'id',
  'tenantId',
  'knowledgeBaseId',
  'documentId',
  'documentVersion',
  'position',
  'text',
  'title',
  'keywords',
  'language',
  'accessLevel',
  'tags',
  'product',
  'validFrom',
  'validTo',
  'faqId',
  'contentHash',
] as const satisfies ReadonlyArray<keyof StoredRecord>;

const STRING_COLUMNS = [
  'id',
  'tenantId',
  'knowledgeBaseId',
  'documentId',
  'text',
  'title',
  'keywords',
  'language',
  'product',
  'faqId',
  'contentHash',
] as const;
const INTEGER_COLUMNS = ['documentVersion', 'position', 'accessLevel', 'validFrom', 'validTo'] as const;

// ANN search knobs, measured at 100k x 384 (see annIndexConfig). Each result re-ranks this many
// candidates on the full vectors, which also makes scores exact cosine: 10 instead of 4 lifted
// IVF_PQ's recall@10 from 0.83 to 0.98 and did nothing for IVF_HNSW_SQ. The HNSW beam width
// 64 -> 300 lifted HNSW's recall@10 for a tenant owning half the table from 0.74 to 0.86 at no
// measurable latency cost.
const REFINE_FACTOR = { ivf_hnsw_sq: 4, ivf_pq: 10 } as const;
const HNSW_EF = 300;

// Scalar indexes on the columns every search filters on (see whereFilter). Searches prefilter, so
// without them LanceDB evaluates the `where` over every row of the table before each search.
// Measured at 100k rows on a busy 2-core machine, they took the filtered dense search from ~13 to
// ~9 ms and the filtered keyword search from ~8 to ~6 ms (p50); building all five took < 1 s. Rows written after an index was built are still
// filtered exactly, by a scan of those rows, until optimize() folds them in. BTREE where the number
// of distinct values is open (tenants, knowledge bases, epoch ms); BITMAP for the few access levels.
const FILTER_INDEXES: ReadonlyArray<[column: keyof StoredRecord, config: () => Index]> = [
  ['tenantId', () => Index.btree()],
  ['knowledgeBaseId', () => Index.btree()],
  ['accessLevel', () => Index.bitmap()],
  ['validFrom', () => Index.btree()],
  ['validTo', () => Index.btree()],
];

// Rows per write: bounds the Arrow batch (and its 32-bit string offsets) handed to LanceDB.
const WRITE_BATCH_ROWS = 5_000;

function buildSchema(dimension: number): Schema {
  const fields: Field[] = [];
  for (const name of STORED_COLUMNS) {
    if (name === 'tags') fields.push(new Field(name, new List(new Field('item', new Utf8(), false)), false));
    // Int64 for every integer: validFrom/validTo are epoch ms, and one width keeps conversion simple.
    else if ((INTEGER_COLUMNS as readonly string[]).includes(name)) fields.push(new Field(name, new Int64(), false));
    else fields.push(new Field(name, new Utf8(), false));
  }
  fields.push(new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), false)), false));
  return new Schema(fields);
}

const encoder = new TextEncoder();

function utf8Data(values: string[]): Data<Utf8> {
  const encoded = values.map((value) => encoder.encode(value));
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  encoded.forEach((bytes, i) => {
    total += bytes.length;
    valueOffsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  let at = 0;
  for (const bytes of encoded) {
    data.set(bytes, at);
    at += bytes.length;
  }
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets, data });
}

function int64Data(values: number[]): Data<Int64> {
  return makeData({ type: new Int64(), length: values.length, nullCount: 0, data: BigInt64Array.from(values, (v) => BigInt(v)) });
}

function toArrow(records: ChunkRecord[], schema: Schema, dimension: number): ArrowTable {
  const columns: Data[] = [];
  for (const field of schema.fields) {
    const name = field.name;
    if (name === 'vector') {
      const flat = new Float32Array(records.length * dimension);
      records.forEach((record, i) => flat.set(record.vector, i * dimension));
      const child = makeData({ type: new Float32(), length: flat.length, nullCount: 0, data: flat });
      columns.push(makeData({ type: field.type as FixedSizeList<Float32>, length: records.length, nullCount: 0, child }));
    } else if (name === 'tags') {
      const valueOffsets = new Int32Array(records.length + 1);
      records.forEach((record, i) => (valueOffsets[i + 1] = valueOffsets[i] + record.tags.length));
      const child = utf8Data(records.flatMap((record) => record.tags));
      columns.push(makeData({ type: field.type as List<Utf8>, length: records.length, nullCount: 0, valueOffsets, child }));
    } else if ((INTEGER_COLUMNS as readonly string[]).includes(name)) {
      const key = name as (typeof INTEGER_COLUMNS)[number];
      columns.push(int64Data(records.map((record) => record[key])));
    } else {
      const key = name as (typeof STRING_COLUMNS)[number];
      columns.push(utf8Data(records.map((record) => record[key])));
    }
  }
  const struct = makeData({ type: new Struct(schema.fields), length: records.length, nullCount: 0, children: columns });
  return new ArrowTable(schema, [new RecordBatch(schema, struct)]);
}

// --- SQL built only from validated values -----------------------------------------------------

/** Re-checks the id alphabet right where it is quoted: no quote can reach the SQL text. */
function sqlString(value: string, what: string): string {
  return `'${assertFilterId(value, what)}'`;
}

function sqlInteger(value: number, what: string): string {
  return String(assertInteger(value, what));
}

function whereFilter(filter: ValidFilter): string {
  const parts = [`\`tenantId\` = ${sqlString(filter.tenantId, 'tenantId')}`];
  if (filter.knowledgeBaseIds.length > 0) {
    parts.push(`\`knowledgeBaseId\` IN (${filter.knowledgeBaseIds.map((id) => sqlString(id, 'knowledgeBaseId')).join(', ')})`);
  }
  parts.push(`\`accessLevel\` <= ${sqlInteger(filter.maxAccessLevel, 'maxAccessLevel')}`);
  if (filter.at !== 0) {
    const at = sqlInteger(filter.at, 'at');
    // validFrom 0 (unbounded) is always <= at, so only validTo needs the explicit 0 case.
    parts.push(`\`validFrom\` <= ${at}`, `(\`validTo\` = 0 OR \`validTo\` >= ${at})`);
  }
  return parts.join(' AND ');
}

function whereSelector(selector: ValidSelector): string {
  const parts = [`\`tenantId\` = ${sqlString(selector.tenantId, 'tenantId')}`];
  if (selector.knowledgeBaseId !== undefined) parts.push(`\`knowledgeBaseId\` = ${sqlString(selector.knowledgeBaseId, 'knowledgeBaseId')}`);
  if (selector.documentId !== undefined) parts.push(`\`documentId\` = ${sqlString(selector.documentId, 'documentId')}`);
  if (selector.exceptDocumentVersion !== undefined) {
    parts.push(`\`documentVersion\` <> ${sqlInteger(selector.exceptDocumentVersion, 'exceptDocumentVersion')}`);
  }
  return parts.join(' AND ');
}

// --- Reading rows back ----------------------------------------------------------------------------

function asRow(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error('LanceDB returned a non-object row');
  return value as Record<string, unknown>;
}

function readString(row: Record<string, unknown>, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw new Error(`LanceDB row: ${key} is not a string`);
  return value;
}

function readNumber(row: Record<string, unknown>, key: string): number {
  const value = row[key];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new Error(`LanceDB row: ${key} is not a number`);
}

function readStrings(row: Record<string, unknown>, key: string): string[] {
  const value = row[key];
  // A List<Utf8> cell arrives as an Arrow Vector, which iterates its strings.
  if (typeof value !== 'object' || value === null || !(Symbol.iterator in value)) throw new Error(`LanceDB row: ${key} is not a list`);
  return Array.from(value as Iterable<unknown>, (item) => {
    if (typeof item !== 'string') throw new Error(`LanceDB row: ${key} holds a non-string`);
    return item;
  });
}

function toStored(row: Record<string, unknown>): StoredRecord {
  return {
    id: readString(row, 'id'),
    tenantId: readString(row, 'tenantId'),
    knowledgeBaseId: readString(row, 'knowledgeBaseId'),
    documentId: readString(row, 'documentId'),
    documentVersion: readNumber(row, 'documentVersion'),
    position: readNumber(row, 'position'),
    text: readString(row, 'text'),
    title: readString(row, 'title'),
    keywords: readString(row, 'keywords'),
    language: readString(row, 'language'),
    accessLevel: readNumber(row, 'accessLevel'),
    tags: readStrings(row, 'tags'),
    product: readString(row, 'product'),
    validFrom: readNumber(row, 'validFrom'),
    validTo: readNumber(row, 'validTo'),
    faqId: readString(row, 'faqId'),
    contentHash: readString(row, 'contentHash'),
  };
}

/**
 * The ANN index optimize() builds. Measured at 100k x 384, 2 cores, clustered synthetic vectors,
 * every query tenant-filtered: dense p95 was within noise for both (~35-45 ms, against ~550 ms for
 * an exact scan), but IVF_HNSW_SQ built in 60 s against 113 s and kept recall@10 at 1.0 for a
 * small tenant (IVF_PQ: 0.84, 0.91 with a refine factor of 10), while IVF_PQ did better for a
 * tenant owning half the table (0.83 -> 0.98 with refine 10, against HNSW's 0.86). Most tenants
 * are small, so IVF_HNSW_SQ is the default; IVF_PQ stays selectable.
 */
function annIndexConfig(kind: LanceDbAnnIndex, rows: number): Index {
  if (kind === 'ivf_pq') {
    // Default partitioning (sqrt(rows)); 384/16 = 24 sub-vectors keeps the SIMD-friendly 16 dims each.
    return Index.ivfPq({ distanceType: 'cosine' });
  }
  // One HNSW graph per partition; a partition per ~100k rows bounds the memory of building one.
  return Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(rows / 100_000)) });
}

/**
 * LanceDB runs CPU work on a pool of (cores - LANCE_IO_CORE_RESERVATION, default 2) threads, at
 * least 1: one thread on up to 3 cores. With one thread, folding many rows into the full-text index
 * deadlocks: the posting-list producer parks the pool's only thread on a full channel while the
 * file writer that would drain it waits for a pool thread (lance 8, in @lancedb/lancedb 0.31;
 * lancedb/lancedb#3568, fixed upstream by lance-format/lance#7423). On 2 cores, optimize() after
 * ~40k benchmark chunks sat at 0 % CPU for good. Two threads leave the writer one.
 *
 * LanceDB reads LANCE_CPU_THREADS when it starts the pool (its first CPU task), so open() calls
 * this before connecting; an operator's value is kept. It must be the real environment: under Jest
 * `process.env` is a per-file copy that native code never sees.
 */
export function ensureLanceCpuThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): void {
  if (env.LANCE_CPU_THREADS !== undefined) return;
  const reserved = Number(env.LANCE_IO_CORE_RESERVATION ?? 2);
  env.LANCE_CPU_THREADS = String(Math.max(2, cores - (Number.isInteger(reserved) ? reserved : 2)));
}

interface OpenTable {
  table: LanceTable;
  dimension: number;
  schema: Schema;
  /** The vector column's ANN index, if any (then searches refine its approximate distances). */
  annIndex?: LanceDbAnnIndex;
}

export class LanceDbVectorStore implements VectorStore {
  readonly backend = 'lancedb' as const;
  private readonly tables = new Map<string, Promise<OpenTable>>();
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly indexMinRows: number;
  private readonly annIndex: LanceDbAnnIndex;
  private readonly memory: TenantMemoryCache;
  private readonly readOnly: boolean;
  /** Writes finished per `collection\ntenant` (the writer's stamps; see the top of the file). */
  private readonly tenantWrites = new Map<string, number>();

  private constructor(
    private readonly db: Connection,
    options: LanceDbVectorStoreOptions,
  ) {
    this.indexMinRows = options.indexMinRows ?? 10_000;
    this.annIndex = options.annIndex ?? 'ivf_hnsw_sq';
    this.memory = new TenantMemoryCache({ ...DEFAULT_MEMORY_LIMITS, ...options.memory });
    this.readOnly = options.readOnly ?? false;
  }

  /** Opens (creating if needed) the database directory. */
  static async open(dir: string, options: LanceDbVectorStoreOptions = {}): Promise<LanceDbVectorStore> {
    await mkdir(dir, { recursive: true });
    ensureLanceCpuThreads();
    // A reader checks the manifest before every read; the writer sees its own commits anyway.
    const db = await connect(dir, options.readOnly ? { readConsistencyInterval: 0 } : {});
    return new LanceDbVectorStore(db, options);
  }

  async ensureCollection(collection: string, dimension: number): Promise<void> {
    assertCollectionName(collection);
    assertDimension(dimension);
    const cached = this.tables.get(collection);
    if (cached) {
      const open = await cached.catch(() => undefined);
      if (open) return checkDimension(collection, open.dimension, dimension);
    }
    const opening = this.write(collection, [], async () => {
      // existOk: another process (or an earlier run) may have created it; then its schema rules.
      const table = await this.db.createEmptyTable(collection, buildSchema(dimension), { mode: 'create', existOk: true });
      const open = await inspectTable(collection, table);
      if (!(await table.listIndices()).some((index) => index.columns.includes('keywords'))) {
        // Created while the table is empty (cheap); optimize() folds rows into it from then on.
        // The keyword field is already tokenized: split on whitespace only, keep case, no stemming,
        // no stop words, no folding. Positions are not stored: no phrase queries are made.
        await table.createIndex('keywords', {
          config: Index.fts({
            baseTokenizer: 'whitespace',
            lowercase: false,
            stem: false,
            removeStopWords: false,
            asciiFolding: false,
            withPosition: false,
          }),
        });
      }
      return open;
    });
    this.tables.set(collection, opening);
    opening.catch(() => this.tables.delete(collection));
    checkDimension(collection, (await opening).dimension, dimension);
  }

  async upsert(collection: string, records: ChunkRecord[]): Promise<void> {
    const open = await this.open(collection);
    for (const record of records) validateRecord(record, open.dimension);
    const unique = lastPerId(records);
    if (unique.length === 0) return;
    await this.write(collection, new Set(unique.map((record) => record.tenantId)), async () => {
      for (let start = 0; start < unique.length; start += WRITE_BATCH_ROWS) {
        const batch = toArrow(unique.slice(start, start + WRITE_BATCH_ROWS), open.schema, open.dimension);
        // One commit per batch: a row is replaced atomically, never seen twice or missing.
        await open.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(batch);
      }
    });
  }

  async delete(collection: string, selector: DeleteSelector): Promise<void> {
    const valid = validateSelector(selector);
    const open = await this.open(collection);
    await this.write(collection, [valid.tenantId], () => open.table.delete(whereSelector(valid)));
  }

  async search(collection: string, query: VectorQuery): Promise<VectorHit[]> {
    const open = await this.open(collection);
    const valid = validateQuery(query, open.dimension);
    if (this.memory.enabled) {
      // Read before any load: a write landing during the load makes the copy look older, never newer.
      const stamp = this.readOnly ? await open.table.version() : (this.tenantWrites.get(`${collection}\n${valid.filter.tenantId}`) ?? 0);
      const copy = await this.memory.get(collection, valid.filter.tenantId, stamp, (maxRows) =>
        this.tenantCopy(open, valid.filter.tenantId, maxRows),
      );
      if (copy !== 'large') {
        return valid.mode === 'dense'
          ? copy.dense(requireVector(valid.vector), valid.limit, valid.filter)
          : copy.keyword(valid.tokens, valid.limit, valid.filter);
      }
    }
    const where = whereFilter(valid.filter);
    if (valid.mode === 'dense') {
      const rows = await this.dense(open, requireVector(valid.vector), where, valid.limit);
      return rows.map((row) => ({ record: toStored(row), score: 1 - readNumber(row, '_distance') }));
    }
    const rows = await this.keyword(open.table, valid.tokens, where, valid.limit);
    return rows.map((row) => ({ record: toStored(row), score: readNumber(row, '_score') }));
  }

  async optimize(collection: string): Promise<void> {
    const open = await this.open(collection);
    await this.write(collection, [], async () => {
      const rows = await open.table.countRows();
      const indexed = new Set((await open.table.listIndices()).flatMap((index) => index.columns));
      if (rows >= this.indexMinRows) {
        for (const [column, config] of FILTER_INDEXES) {
          if (!indexed.has(column)) await open.table.createIndex(column, { config: config() });
        }
      }
      // IVF_PQ trains 256 centroids per sub-vector: it cannot be built on fewer rows.
      const minRows = this.annIndex === 'ivf_pq' ? Math.max(this.indexMinRows, 256) : this.indexMinRows;
      if (rows >= minRows && !indexed.has('vector')) {
        // Trained on every row present, so it starts complete; later optimize() calls add new
        // rows to it without retraining.
        await open.table.createIndex('vector', { config: annIndexConfig(this.annIndex, rows) });
        open.annIndex = this.annIndex;
      }
      // Compacts small files, drops versions older than LanceDB's default (7 days) and folds new
      // rows into every index.
      await open.table.optimize();
    });
  }

  async count(collection: string, tenantId: string): Promise<number> {
    const open = await this.open(collection);
    return open.table.countRows(`\`tenantId\` = ${sqlString(tenantId, 'tenantId')}`);
  }

  /** LanceDB-specific diagnostics: row count and each index with how many rows it has yet to fold in. */
  async inspect(
    collection: string,
  ): Promise<{ rows: number; indexes: Array<{ name: string; type: string; columns: string[]; unindexedRows: number }> }> {
    const open = await this.open(collection);
    const indexes = await open.table.listIndices();
    return {
      rows: await open.table.countRows(),
      indexes: await Promise.all(
        indexes.map(async (index) => ({
          name: index.name,
          type: index.indexType,
          columns: index.columns,
          unindexedRows: (await open.table.indexStats(index.name))?.numUnindexedRows ?? 0,
        })),
      ),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
    for (const opening of this.tables.values()) {
      const open = await opening.catch(() => undefined);
      open?.table.close();
    }
    this.tables.clear();
    this.db.close();
  }

  private async dense(open: OpenTable, vector: Float32Array, where: string, limit: number): Promise<Record<string, unknown>[]> {
    let query: LanceVectorQuery = open.table
      .vectorSearch(vector)
      .column('vector')
      .distanceType('cosine')
      .where(where)
      .select([...STORED_COLUMNS, '_distance'])
      .limit(limit);
    if (open.annIndex) {
      // Re-rank a few times `limit` candidates on the full vectors, so scores are exact cosine and
      // recall survives quantisation. Without an index the scan is exact already.
      query = query.refineFactor(REFINE_FACTOR[open.annIndex]).ef(Math.max(HNSW_EF, limit * 4));
    }
    const rows: unknown[] = await query.toArray();
    return rows.map(asRow);
  }

  private async keyword(table: LanceTable, tokens: string[], where: string, limit: number): Promise<Record<string, unknown>[]> {
    if (tokens.length === 0) return [];
    // MatchQuery, not a query string: the text is tokenized by the index's own whitespace
    // tokenizer and never parsed as query syntax. OR: a record matching any term is a candidate.
    const rows: unknown[] = await table
      .query()
      .fullTextSearch(new MatchQuery(tokens.join(' '), 'keywords', { operator: Operator.Or }))
      .where(where)
      .select([...STORED_COLUMNS, '_score'])
      .fastSearch()
      .limit(limit)
      .toArray();
    return rows.map(asRow);
  }

  /** The tenant's records with their vectors, or 'large' when there are more than `maxRows`. */
  private async tenantCopy(open: OpenTable, tenantId: string, maxRows: number): Promise<TenantCopy> {
    const where = `\`tenantId\` = ${sqlString(tenantId, 'tenantId')}`;
    if ((await open.table.countRows(where)) > maxRows) return 'large';
    const rows: unknown[] = await open.table
      .query()
      .where(where)
      .select([...STORED_COLUMNS, 'vector'])
      .limit(maxRows)
      .toArray();
    return new TenantMemoryIndex(
      rows.map(asRow).map((row) => ({ record: toStored(row), vector: readVector(row, open.dimension) })),
      open.dimension,
    );
  }

  private open(collection: string): Promise<OpenTable> {
    assertCollectionName(collection);
    let opening = this.tables.get(collection);
    if (!opening) {
      opening = this.db.openTable(collection).then(
        (table) => inspectTable(collection, table),
        (error: unknown) => {
          throw new VectorStoreInputError(
            `collection ${collection} does not exist (call ensureCollection first): ${(error as Error).message}`,
          );
        },
      );
      this.tables.set(collection, opening);
      opening.catch(() => this.tables.delete(collection));
    }
    return opening;
  }

  /**
   * Runs writes to one table one at a time (see "one writer" above); a reader refuses them. Once a
   * write ends, however it ends, the copies of the tenants it touched are stale.
   */
  private write<T>(collection: string, tenants: Iterable<string>, task: () => Promise<T>): Promise<T> {
    if (this.readOnly) {
      return Promise.reject(
        new VectorStoreInputError(
          `this process reads ${collection} and may not write it: another process is the writer (one writer per directory)`,
        ),
      );
    }
    const previous = this.writes.get(collection) ?? Promise.resolve();
    const run = () =>
      task().finally(() => {
        for (const tenant of tenants) {
          const key = `${collection}\n${tenant}`;
          this.tenantWrites.set(key, (this.tenantWrites.get(key) ?? 0) + 1);
        }
      });
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    this.writes.set(collection, settled);
    void settled.then(() => {
      if (this.writes.get(collection) === settled) this.writes.delete(collection);
    });
    return next;
  }
}

async function inspectTable(collection: string, table: LanceTable): Promise<OpenTable> {
  const schema = await table.schema();
  const vector = schema.fields.find((field) => field.name === 'vector');
  if (!vector || !DataType.isFixedSizeList(vector.type)) {
    throw new VectorStoreInputError(`collection ${collection} has no fixed-size vector column; it was not made by this store`);
  }
  const missing = STORED_COLUMNS.filter((name) => !schema.fields.some((field) => field.name === name));
  if (missing.length > 0) throw new VectorStoreInputError(`collection ${collection} lacks columns ${missing.join(', ')}; rebuild it`);
  const ann = (await table.listIndices()).find((index) => index.columns.includes('vector'));
  // indexType is e.g. "IVF_PQ" or "IVF_HNSW_SQ"; an index another version made counts as PQ-like.
  const annIndex: LanceDbAnnIndex | undefined = ann ? (/HNSW/i.test(ann.indexType) ? 'ivf_hnsw_sq' : 'ivf_pq') : undefined;
  return { table, dimension: vector.type.listSize, schema, annIndex };
}

function checkDimension(collection: string, actual: number, requested: number): void {
  if (actual !== requested) {
    throw new VectorStoreInputError(`collection ${collection} has dimension ${actual}, not ${requested}`);
  }
}

function readVector(row: Record<string, unknown>, dimension: number): Float32Array {
  const value = row.vector;
  // A FixedSizeList<Float32> cell arrives as an Arrow Vector, which iterates its numbers.
  if (typeof value !== 'object' || value === null || !(Symbol.iterator in value)) throw new Error('LanceDB row: vector is not a list');
  const vector = Float32Array.from(value as Iterable<number>);
  if (vector.length !== dimension) throw new Error(`LanceDB row: vector has ${vector.length} values, not ${dimension}`);
  return vector;
}

function requireVector(vector: Float32Array | undefined): Float32Array {
  if (!vector) throw new VectorStoreInputError('query.vector is required');
  return vector;
}
