// Helpers for integration tests against the real Kafka, Postgres and Redis started by
// test/global-setup.ts. Every name a test makes is unique, so test files never share state.
// Also the broker and Redis of one's own that fault tests and `switchboard bench faults` kill and pause.
import { randomBytes, randomUUID } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Client } from 'pg';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Writable } from 'node:stream';
import { InboundTurnSchema, type InboundTurn } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { createLogger, type Logger } from '@switchboard/logging';
import { KafkaBus, RedisDedupeStore, RedisReplyStore, type BusOptions } from '@switchboard/messaging';
import { assertTestDatabase } from '@switchboard/persistence';

export * from './openai-wire-server';
export * from './private-kafka';
export * from './private-redis';

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export const infra = {
  kafkaBrokers: () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  redisUrl: () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  adminDatabaseUrl: () => process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

/** Polls until `probe` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A fresh database `switchboard_test_…`; drop it in afterAll. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('switchboard_test').toLowerCase();
  const adminUrl = infra.adminDatabaseUrl();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      assertTestDatabase(url.toString());
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

export function quietLogger(name = 'test'): Logger {
  return createLogger(name, process.env.LOG_LEVEL ?? 'warn', new Writable({ write: (_c, _e, done) => done() }));
}

/** The development key, encrypting as production does, for tests that store customer text. */
export function testCipher(): FieldCipher {
  return FieldCipher.fromConfig({
    NODE_ENV: 'test',
    ENCRYPTION_KEYS: '',
    ENCRYPTION_KEY_CURRENT: '',
    ENCRYPTION_KEY_FILE: '',
    ENCRYPTION_AT_REST: 'on',
  });
}

/** A valid customer turn for bus tests: fresh ids (a new conversation unless given), `fields` over the defaults. */
export function testTurn(fields: MessageInitShape<typeof InboundTurnSchema> & { tenantId: string; text: string }): InboundTurn {
  return create(InboundTurnSchema, {
    conversationId: randomUUID(),
    turnId: randomUUID(),
    clientMessageId: randomUUID(),
    customerId: 'c',
    channel: 'web',
    locale: 'en',
    receivedAt: new Date().toISOString(),
    ...fields,
  });
}

export async function connectTestBus(
  service: string,
  namespace = '',
  options: Partial<Pick<BusOptions, 'groupPerService' | 'brokers'>> = {},
): Promise<{ bus: KafkaBus; redis: Redis; close: () => Promise<void> }> {
  const redis = new Redis(infra.redisUrl());
  const bus = new KafkaBus({
    service,
    instanceId: uniqueName('i'),
    namespace,
    logger: quietLogger(service),
    dedupe: new RedisDedupeStore(redis),
    replies: new RedisReplyStore(redis, testCipher()),
    ...options,
    brokers: options.brokers ?? infra.kafkaBrokers(),
  });
  await bus.connect();
  return {
    bus,
    redis,
    close: async () => {
      await bus.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * Deletes the topics of a test namespace (or, with a bare prefix, of every earlier run), so runs do
 * not pile up partitions: a broker holds a few open files per partition.
 */
export async function deleteTopicsWithPrefix(prefix: string): Promise<number> {
  if (!prefix) throw new Error('deleteTopicsWithPrefix needs a non-empty prefix');
  const admin = new Kafka({ clientId: uniqueName('test-cleanup'), brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    for (let i = 0; i < topics.length; i += 200) await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 30_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}
