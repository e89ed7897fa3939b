// Starts (or finds) the real infrastructure once per integration run: the project's Kafka broker,
// and the machine's PostgreSQL and Redis. Each test file then makes its own database, topics,
// consumer groups and tenants, so files never see each other's data.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

const root = path.resolve(__dirname, '..');

export default async function globalSetup(): Promise<void> {
  process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
  process.env.DATABASE_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/0';
  process.env.LOG_LEVEL ??= 'warn';

  // End-to-end tests run the services as processes from their build output.
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

  if (process.env.KAFKA_BROKERS === '127.0.0.1:9092') {
    execFileSync('bash', [path.join(root, 'deploy/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  }
  // Whole stacks left by interrupted runs: ~200 partitions each, and a broker keeps files open per
  // partition, so they are removed before they add up.
  await deleteLeftOverStackTopics();

  const pg = new Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  try {
    await pg.connect();
    await pg.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${process.env.DATABASE_ADMIN_URL}: ${(error as Error).message}. Start it (see README, "Infrastructure").`,
    );
  } finally {
    await pg.end().catch(() => undefined);
  }

  const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${process.env.REDIS_URL}: ${(error as Error).message}. Start it (see README, "Infrastructure").`,
    );
  } finally {
    redis.disconnect();
  }
}

async function deleteLeftOverStackTopics(): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-global-setup',
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    // Only stacks started over an hour ago (their namespace starts with e2e_<start time in base 36>):
    // a test run alongside this one on the same machine keeps its topics.
    const cutoff = Date.now() - 60 * 60_000;
    const topics = (await admin.listTopics()).filter((topic) => {
      const started = /^e2e_([0-9a-z]+)_/.exec(topic)?.[1];
      return started !== undefined && parseInt(started, 36) < cutoff;
    });
    for (let i = 0; i < topics.length; i += 200) await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 60_000 });
  } finally {
    await admin.disconnect();
  }
}
