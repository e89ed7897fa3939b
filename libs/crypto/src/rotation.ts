// Key rotation: re-encrypts every value of a column that is plaintext or under an old key, in
// batches by primary key (tenant_id, id). It keeps no progress of its own: what is left is exactly
// the rows whose value does not start with the current key's prefix, so a stopped run resumes by
// running again, and several runs may overlap (each update checks the value it read).
import { CryptoError } from './crypto.errors';
import type { FieldCipher } from './field-cipher';

/** What the job needs of a database client (`pg` Client or Pool). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An encrypted column of a table keyed by (tenant_id, id uuid). */
export interface EncryptedColumn {
  schema: string;
  table: string;
  column: string;
}

export interface RotationProgress {
  column: string;
  done: number;
  /** Rows that could not be decrypted (unknown key, altered); left as they are and reported. */
  failed: Array<{ tenantId: string; id: string; error: string }>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The column's name in associated data, e.g. `conversation.messages.content`. */
export const columnName = (c: EncryptedColumn) => `${c.schema}.${c.table}.${c.column}`;

function sql(c: EncryptedColumn): { from: string; col: string } {
  for (const part of [c.schema, c.table, c.column]) if (!IDENTIFIER.test(part)) throw new Error(`"${part}" is not a plain identifier`);
  return { from: `"${c.schema}"."${c.table}"`, col: `"${c.column}"` };
}

/** How many values of the column still need re-encryption. */
export async function countStale(db: Queryable, cipher: FieldCipher, c: EncryptedColumn): Promise<number> {
  const { from, col } = sql(c);
  const prefix = cipher.currentPrefix();
  const { rows } = await db.query(`select count(*)::int as n from ${from} where left(${col}, $1) <> $2`, [prefix.length, prefix]);
  return rows[0].n as number;
}

export async function rotateColumn(
  db: Queryable,
  cipher: FieldCipher,
  c: EncryptedColumn,
  options: { batchSize?: number; onBatch?: (progress: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const { from, col } = sql(c);
  const prefix = cipher.currentPrefix();
  const batchSize = options.batchSize ?? 500;
  const progress: RotationProgress = { column: columnName(c), done: 0, failed: [] };
  let cursor: { tenantId: string; id: string } | undefined;
  for (;;) {
    const { rows } = await db.query(
      `select tenant_id, id::text as id, ${col} as value from ${from}
       where left(${col}, $1) <> $2 and ($3::text is null or (tenant_id, id) > ($3::text, $4::uuid))
       order by tenant_id, id limit $5`,
      [prefix.length, prefix, cursor?.tenantId ?? null, cursor?.id ?? null, batchSize],
    );
    for (const row of rows as Array<{ tenant_id: string; id: string; value: string }>) {
      const ctx = { tenantId: row.tenant_id, column: progress.column };
      try {
        const rotated = cipher.encrypt(cipher.decrypt(row.value, ctx), ctx);
        await db.query(`update ${from} set ${col} = $3 where tenant_id = $1 and id = $2::uuid and ${col} = $4`, [row.tenant_id, row.id, rotated, row.value]);
        progress.done += 1;
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        progress.failed.push({ tenantId: row.tenant_id, id: row.id, error: error.message });
      }
    }
    options.onBatch?.(progress);
    if (rows.length < batchSize) return progress;
    const last = rows[rows.length - 1] as { tenant_id: string; id: string };
    cursor = { tenantId: last.tenant_id, id: last.id };
  }
}
