// Key rotation: re-encrypts every value of a column that is plaintext or under an old key, in
// batches by the table's primary key (tenant_id first). It keeps no progress of its own: what is
// left is exactly the rows whose value does not start with the current key's prefix, so a stopped
// run resumes by running again, and several runs may overlap (each update checks the value it read).
import { CryptoError } from './crypto.errors';
import type { FieldCipher } from './field-cipher';

/** What the job needs of a database client (`pg` Client or Pool). */
export interface Queryable {
  // Rows typed by the caller, who wrote the select (pg's Client meets this).
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** An encrypted column, and the key its table's rows are found by. */
export interface EncryptedColumn {
  schema: string;
  table: string;
  column: string;
  /**
   * Columns that identify a row, tenant_id first: the primary key, or a unique key that includes
   * the tenant (e.g. an outbox's `tenant_id, id`). Default `tenant_id, id`.
   */
  key?: readonly string[];
  /**
   * The column's readers name the row (FieldContext.row = the key after tenant_id, joined by "/"):
   * rotation then rewrites its values as v2, bound to their row, and v1 values count as stale.
   */
  rowBound?: boolean;
}

export interface RotationProgress {
  column: string;
  done: number;
  /** Rows that could not be decrypted (unknown key, altered); left as they are and reported. `id`: the key after the tenant, joined by "/". */
  failed: Array<{ tenantId: string; id: string; error: string }>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The column's name in associated data, e.g. `conversation.messages.content`. */
export const columnName = (c: EncryptedColumn) => `${c.schema}.${c.table}.${c.column}`;

const DEFAULT_KEY = ['tenant_id', 'id'] as const;

function sql(c: EncryptedColumn): { from: string; col: string; key: string[] } {
  const key = [...(c.key ?? DEFAULT_KEY)];
  if (key[0] !== 'tenant_id')
    throw new Error(`${columnName(c)}: the row key must start with tenant_id (every value is bound to its tenant)`);
  for (const part of [c.schema, c.table, c.column, ...key])
    if (!IDENTIFIER.test(part)) throw new Error(`"${part}" is not a plain identifier`);
  return { from: `"${c.schema}"."${c.table}"`, col: `"${c.column}"`, key: key.map((k) => `"${k}"`) };
}

/** `$first, $first+1, …` for n parameters. */
const params = (first: number, n: number) => Array.from({ length: n }, (_, i) => `$${first + i}`).join(', ');

/** How many values of the column still need re-encryption. */
export async function countStale(db: Queryable, cipher: FieldCipher, c: EncryptedColumn): Promise<number> {
  const { from, col } = sql(c);
  const prefix = cipher.currentPrefix(c.rowBound);
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${from} where left(${col}, $1) <> $2`, [
    prefix.length,
    prefix,
  ]);
  return rows[0].n;
}

export async function rotateColumn(
  db: Queryable,
  cipher: FieldCipher,
  c: EncryptedColumn,
  options: { batchSize?: number; onBatch?: (progress: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const { from, col, key } = sql(c);
  const prefix = cipher.currentPrefix(c.rowBound);
  const batchSize = options.batchSize ?? 500;
  const progress: RotationProgress = { column: columnName(c), done: 0, failed: [] };
  // Key values travel as text parameters; Postgres reads each as its column's type (uuid, text, …).
  const keyList = key.join(', ');
  const selectKey = key.map((k, i) => `${k} as k${i}`).join(', ');
  const stale = `left(${col}, $1) <> $2`;
  const firstBatch = `select ${selectKey}, ${col} as value from ${from} where ${stale} order by ${keyList} limit $3`;
  const nextBatch = `select ${selectKey}, ${col} as value from ${from} where ${stale} and (${keyList}) > (${params(4, key.length)}) order by ${keyList} limit $3`;
  const update = `update ${from} set ${col} = $1 where ${col} = $2 and ${key.map((k, i) => `${k} = $${i + 3}`).join(' and ')}`;
  let cursor: string[] | undefined;
  for (;;) {
    const { rows } = await db.query(cursor ? nextBatch : firstBatch, [prefix.length, prefix, batchSize, ...(cursor ?? [])]);
    for (const row of rows as Array<Record<string, string>>) {
      const keyValues = key.map((_, i) => String(row[`k${i}`]));
      const ctx = { tenantId: keyValues[0], column: progress.column, row: c.rowBound ? keyValues.slice(1).join('/') : undefined };
      try {
        // Plaintext is legacy here, also in production: sealing it is what this job is for.
        const rotated = cipher.encrypt(cipher.decrypt(row.value, ctx, { legacy: true }), ctx);
        await db.query(update, [rotated, row.value, ...keyValues]);
        progress.done += 1;
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        progress.failed.push({ tenantId: keyValues[0], id: keyValues.slice(1).join('/'), error: error.message });
      }
    }
    options.onBatch?.(progress);
    if (rows.length < batchSize) return progress;
    const last = rows[rows.length - 1] as Record<string, string>;
    cursor = key.map((_, i) => String(last[`k${i}`]));
  }
}
