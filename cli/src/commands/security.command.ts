// `switchboard security rotate-keys`: re-encrypts stored customer content under the current key
// (ENCRYPTION_KEY_CURRENT), directly on the database (DATABASE_URL) and in Redis (REDIS_URL). Safe to
// stop and re-run: it only touches values that are plaintext or under another key, so a second run
// resumes.
import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import Redis from 'ioredis';
import { Client } from 'pg';
import { databaseShape, loadConfig, platformShape } from '@switchboard/config';
import {
  countStale,
  encryptionConfigShape,
  FieldCipher,
  keyringFromConfig,
  rotateColumn,
  type EncryptedColumn,
  type Queryable,
  type RotationProgress,
} from '@switchboard/crypto';
import { countRedisKeys, rotateRedisValues, type EncryptedRedisValue } from './redis-rotation';

/**
 * The encrypted columns, by owning service (see each service's repository), with the key their
 * rows are found by when it is not `tenant_id, id`. The outboxes' `id` is unique, so with the
 * tenant it names a row.
 */
export const ENCRYPTED_COLUMNS: Record<'conversation' | 'ticketing' | 'integration' | 'gateway' | 'analytics', EncryptedColumn[]> = {
  conversation: [
    { schema: 'conversation', table: 'messages', column: 'content', rowBound: true },
    { schema: 'conversation', table: 'outbox', column: 'payload', rowBound: true },
    { schema: 'conversation', table: 'ratings', column: 'comment', key: ['tenant_id', 'conversation_id'], rowBound: true },
    { schema: 'conversation', table: 'approvals', column: 'arguments', rowBound: true },
    { schema: 'conversation', table: 'approvals', column: 'confirmation', rowBound: true },
  ],
  ticketing: [
    { schema: 'ticketing', table: 'tickets', column: 'summary', rowBound: true },
    { schema: 'ticketing', table: 'ticket_notes', column: 'text', rowBound: true },
    { schema: 'ticketing', table: 'outbox', column: 'payload', rowBound: true },
  ],
  integration: [
    { schema: 'integration', table: 'users', column: 'document', key: ['tenant_id', 'user_id'], rowBound: true },
    { schema: 'integration', table: 'orders', column: 'document', key: ['tenant_id', 'order_id'], rowBound: true },
    { schema: 'integration', table: 'webhook_endpoints', column: 'secret', key: ['tenant_id', 'endpoint_id'], rowBound: true },
    { schema: 'integration', table: 'webhook_deliveries', column: 'payload', key: ['tenant_id', 'delivery_id'], rowBound: true },
  ],
  gateway: [{ schema: 'gateway', table: 'outbox', column: 'payload', rowBound: true }],
  // Erasure reports waiting to be published.
  analytics: [{ schema: 'analytics', table: 'outbox', column: 'payload', rowBound: true }],
};

/** The encrypted values in Redis, by owning service (see dialogue-state.store.ts, cached.order-system.ts, conversation-stream.store.ts). */
export const ENCRYPTED_REDIS_VALUES: Record<EncryptingService, EncryptedRedisValue[]> = {
  conversation: [
    { pattern: 't:*:conv:*:state', column: 'redis.dialogue_state', kind: 'string', rowBound: true },
    { pattern: 't:*:customer:*:known', column: 'redis.known_customer', kind: 'string', rowBound: true },
  ],
  ticketing: [],
  integration: [{ pattern: 't:*:crm:*', column: 'redis.crm_cache', kind: 'string', rowBound: true }],
  gateway: [{ pattern: 't:*:conv:*:events', column: 'redis.conversation_events', kind: 'stream', field: 'event', rowBound: true }],
  analytics: [],
};
export type EncryptingService = keyof typeof ENCRYPTED_COLUMNS;

export interface RotationReport {
  columns: RotationProgress[];
  skipped: string[];
}

/** Rotates every encrypted column and Redis value of `services`; columns whose table does not exist yet are skipped. */
export async function rotateKeys(
  db: Queryable,
  redis: Redis,
  cipher: FieldCipher,
  services: EncryptingService[],
  options: { batchSize?: number; onStart?: (total: number) => void; onProgress?: (done: number) => void } = {},
): Promise<RotationReport> {
  const present: EncryptedColumn[] = [];
  const skipped: string[] = [];
  for (const c of services.flatMap((s) => ENCRYPTED_COLUMNS[s])) {
    const { rows } = await db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [`${c.schema}.${c.table}`]);
    if (rows[0].present) present.push(c);
    else skipped.push(`${c.schema}.${c.table}`);
  }
  const redisValues = services.flatMap((s) => ENCRYPTED_REDIS_VALUES[s]);
  let total = await countRedisKeys(redis, redisValues);
  for (const c of present) total += await countStale(db, cipher, c);
  options.onStart?.(total);
  const columns: RotationProgress[] = [];
  let before = 0;
  for (const c of present) {
    const result = await rotateColumn(db, cipher, c, {
      batchSize: options.batchSize,
      onBatch: (p) => options.onProgress?.(before + p.done + p.failed.length),
    });
    before += result.done + result.failed.length;
    columns.push(result);
  }
  // Redis progress counts keys (a stream is one key however many entries it has).
  for (const value of redisValues) columns.push(await rotateRedisValues(redis, cipher, value, () => options.onProgress?.(++before)));
  return { columns, skipped };
}

export function securityCommand(): Command {
  const security = new Command('security').description('encryption at rest of customer content');
  security
    .command('rotate-keys')
    .description(
      're-encrypt stored content under ENCRYPTION_KEY_CURRENT (keys from ENCRYPTION_KEYS or ENCRYPTION_KEY_FILE), on DATABASE_URL and REDIS_URL',
    )
    .addOption(
      new Option('--service <service>', 'whose columns and Redis values')
        .choices([...Object.keys(ENCRYPTED_COLUMNS), 'all'])
        .default('all'),
    )
    .option('--batch-size <n>', 'rows per batch', (v) => Number.parseInt(v, 10), 500)
    .action(async (options: { service: EncryptingService | 'all'; batchSize: number }) => {
      const config = loadConfig(
        {
          NODE_ENV: platformShape.NODE_ENV,
          DATABASE_URL: databaseShape.DATABASE_URL,
          REDIS_URL: platformShape.REDIS_URL,
          REDIS_NAMESPACE: platformShape.REDIS_NAMESPACE,
          ...encryptionConfigShape,
        },
        process.env,
      );
      const cipher = new FieldCipher(keyringFromConfig(config));
      const services = options.service === 'all' ? (Object.keys(ENCRYPTED_COLUMNS) as EncryptingService[]) : [options.service];
      const db = new Client({ connectionString: config.DATABASE_URL });
      await db.connect();
      const redis = new Redis(config.REDIS_URL, {
        keyPrefix: config.REDIS_NAMESPACE,
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        retryStrategy: () => null,
      });
      await redis.connect().catch(async (error: Error) => {
        await db.end();
        throw new Error(`cannot reach Redis at REDIS_URL (${error.message}); the dialogue state and reply streams there are encrypted too`);
      });
      const bar = new SingleBar(
        {
          format: `rotating to key ${cipher.keyring.currentKeyId} [{bar}] {value}/{total} values`,
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      try {
        const report = await rotateKeys(db, redis, cipher, services, {
          batchSize: options.batchSize,
          onStart: (total) => bar.start(total, 0),
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        for (const table of report.skipped) console.log(`${table}: no such table here (service not migrated on this database), skipped`);
        for (const c of report.columns) {
          console.log(
            `${c.column}: ${c.done} re-encrypted under "${cipher.keyring.currentKeyId}"${c.failed.length ? `, ${c.failed.length} could not be decrypted` : ''}`,
          );
          for (const f of c.failed.slice(0, 20)) console.log(`  ${f.tenantId}/${f.id}: ${f.error}`);
        }
        if (report.columns.some((c) => c.failed.length > 0)) process.exitCode = 1;
      } finally {
        bar.stop();
        await db.end();
        redis.disconnect();
      }
    });
  return security;
}
