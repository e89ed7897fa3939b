// Key rotation for the encrypted values kept in Redis: the dialogue state and known-customer records
// (conversation) and the entries of each conversation's reply stream (gateway). Like the column
// rotation it keeps no progress of its own: a value already under the current key is left alone, so
// a stopped run resumes by running again. Each key is rewritten under WATCH, so a service writing it
// meanwhile wins and the key is tried again; its TTL is kept.
import type Redis from 'ioredis';
import { namespacedPattern, withoutNamespace } from '@switchboard/config';
import type { FieldCipher, RotationProgress } from '@switchboard/crypto';

/** A family of Redis keys holding encrypted values, and the name their values are bound to. */
export interface EncryptedRedisValue {
  /** SCAN pattern; every key starts `t:<tenant>:`. */
  pattern: string;
  /** Associated-data name, e.g. `redis.dialogue_state` (see the store that writes it). */
  column: string;
  /** A string value, or a stream whose entries hold the value in `field`. */
  kind: 'string' | 'stream';
  field?: string;
  /** Its readers bind each value to its Redis key (FieldContext.row = the key): rewritten as v2, and v1 counts as stale. */
  rowBound?: boolean;
}

const TENANT_OF_KEY = /^t:([^:]+):/;
const ATTEMPTS = 5;

/** Keys matching the pattern, each with its tenant; keys that do not name one are ignored. */
async function keysOf(redis: Redis, value: EncryptedRedisValue): Promise<Array<{ key: string; tenantId: string }>> {
  const found: Array<{ key: string; tenantId: string }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', namespacedPattern(redis, value.pattern), 'COUNT', 500);
    // Named as the services name them: commands add the namespace again, and values are bound to the key without it.
    for (const key of keys.map((k) => withoutNamespace(redis, k))) {
      const tenantId = TENANT_OF_KEY.exec(key)?.[1];
      if (tenantId !== undefined) found.push({ key, tenantId });
    }
    cursor = next;
  } while (cursor !== '0');
  return found;
}

export async function countRedisKeys(redis: Redis, values: EncryptedRedisValue[]): Promise<number> {
  let total = 0;
  for (const value of values) total += (await keysOf(redis, value)).length;
  return total;
}

/** Re-encrypts every value of the family that is plaintext or under another key. `done` counts values (stream entries one by one). */
export async function rotateRedisValues(
  redis: Redis,
  cipher: FieldCipher,
  value: EncryptedRedisValue,
  onKey?: () => void,
): Promise<RotationProgress> {
  const progress: RotationProgress = { column: value.column, done: 0, failed: [] };
  const current = cipher.currentPrefix(value.rowBound);
  for (const { key, tenantId } of await keysOf(redis, value)) {
    const ctx = { tenantId, column: value.column, row: value.rowBound ? key : undefined };
    // Plaintext is legacy here, also in production: sealing it is what rotation is for.
    const reencrypt = (stored: string) => cipher.encrypt(cipher.decrypt(stored, ctx, { legacy: true }), ctx);
    try {
      for (let attempt = 1; ; attempt++) {
        const moved =
          value.kind === 'string'
            ? await rotateString(redis, key, current, reencrypt)
            : await rotateStream(redis, key, value.field ?? 'event', current, reencrypt);
        if (moved !== undefined) {
          progress.done += moved;
          break;
        }
        if (attempt === ATTEMPTS) throw new Error(`kept changing during ${ATTEMPTS} attempts; run rotate-keys again`);
      }
    } catch (error) {
      await redis.unwatch();
      progress.failed.push({ tenantId, id: key, error: (error as Error).message });
    }
    onKey?.();
  }
  return progress;
}

/** Values moved, or undefined when the key changed under WATCH (try again). */
async function rotateString(
  redis: Redis,
  key: string,
  current: string,
  reencrypt: (stored: string) => string,
): Promise<number | undefined> {
  await redis.watch(key);
  const stored = await redis.get(key);
  if (stored === null || stored.startsWith(current)) {
    await redis.unwatch();
    return 0;
  }
  const result = await redis.multi().set(key, reencrypt(stored), 'KEEPTTL').exec();
  return result === null ? undefined : 1;
}

/**
 * A stream cannot change an entry in place, so it is rebuilt in one transaction with the same entry
 * ids: clients resuming from a cursor (an entry id) read on as before.
 */
async function rotateStream(
  redis: Redis,
  key: string,
  field: string,
  current: string,
  reencrypt: (stored: string) => string,
): Promise<number | undefined> {
  await redis.watch(key);
  const entries = await redis.xrange(key, '-', '+');
  // An entry without the field holds nothing encrypted: it is neither stale nor rewritten.
  const isStale = (fields: string[]) => {
    const at = fields.indexOf(field) + 1;
    return at > 0 && !fields[at].startsWith(current);
  };
  const stale = entries.filter(([, fields]) => isStale(fields)).length;
  if (stale === 0) {
    await redis.unwatch();
    return 0;
  }
  const ttlMs = await redis.pttl(key);
  const rebuild = redis.multi().del(key);
  for (const [id, fields] of entries) {
    const rewritten = [...fields];
    if (isStale(fields)) rewritten[fields.indexOf(field) + 1] = reencrypt(rewritten[fields.indexOf(field) + 1]);
    rebuild.xadd(key, id, ...rewritten);
  }
  if (ttlMs > 0) rebuild.pexpire(key, ttlMs);
  const result = await rebuild.exec();
  return result === null ? undefined : stale;
}
