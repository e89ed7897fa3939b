// The infrastructure the local stack needs: the project's Kafka broker and the machine's Postgres
// and Redis.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { databaseShape, platformShape, shapeDefault } from '@switchboard/config';
import { repoRoot } from '../paths';

/** The variables' own development defaults (libs/config), unless this shell sets them. */
export const defaults = {
  kafkaBrokers: process.env.KAFKA_BROKERS ?? shapeDefault(platformShape, 'KAFKA_BROKERS'),
  redisUrl: process.env.REDIS_URL ?? shapeDefault(platformShape, 'REDIS_URL'),
  redisNamespace: process.env.REDIS_NAMESPACE ?? shapeDefault(platformShape, 'REDIS_NAMESPACE'),
  databaseUrl: process.env.DATABASE_URL ?? shapeDefault(databaseShape, 'DATABASE_URL'),
};

export function kafka(command: 'start' | 'stop' | 'status'): boolean {
  try {
    execFileSync('bash', [path.join(repoRoot, 'deploy/kafka/kafka.sh'), command], { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

/** Fails with a message saying what to start when Postgres or Redis does not answer. */
export async function checkDatabases(databaseUrl: string, redisUrl: string): Promise<void> {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const pg = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
  } catch (error) {
    throw new Error(`PostgreSQL does not answer at ${admin.host}: ${(error as Error).message}. Start it, or set DATABASE_URL.`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(`Redis does not answer at ${redisUrl}: ${(error as Error).message}. Start it, or set REDIS_URL.`);
  } finally {
    redis.disconnect();
  }
}

/** Drops a database the demo or a benchmark made for itself. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^switchboard_(demo|bench)_[a-z0-9]+$/.test(name)) throw new Error(`refusing to drop database "${name}"`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const pg = new Client({ connectionString: admin.toString() });
  await pg.connect();
  try {
    await pg.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await pg.end();
  }
}
