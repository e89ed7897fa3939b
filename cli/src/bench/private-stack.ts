// What the whole-stack benchmarks share: a stack of their own (a fresh database, Kafka namespace,
// ports and demo tenant key), torn down with its database afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkDatabases, defaults, dropDatabase, kafka } from '../commands/infra';
import { localDir } from '../paths';
import { LocalStack, SERVICES, type ServiceName } from '../stack/local-stack';

export interface PrivateStack {
  stack: LocalStack;
  /** The Kafka namespace every service of this stack uses. */
  namespace: string;
  /** Short id of this run, for names that must not collide with another run's. */
  run: string;
  /** The demo tenant's API key (chat and knowledge-base admin). */
  demoKey: () => string;
  /** Stops the services and drops the database. */
  close: () => Promise<void>;
}

/** Starts `services` with the demo tenant on a database of their own, at HTTP ports + `portOffset`. */
export async function startPrivateStack(portOffset: number, services: readonly ServiceName[] = SERVICES): Promise<PrivateStack> {
  const databaseUrl = new URL(defaults.databaseUrl);
  const run = randomUUID().slice(0, 8);
  databaseUrl.pathname = `/switchboard_bench_${run}`;
  await checkDatabases(databaseUrl.toString(), defaults.redisUrl);
  if (!kafka('start')) throw new Error('Kafka did not start');
  const namespace = `bench-${run}.`;
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-bench-')), 'key');
  const stack = new LocalStack({
    env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl.toString(), REDIS_URL: defaults.redisUrl, KAFKA_BROKERS: defaults.kafkaBrokers, KAFKA_NAMESPACE: namespace, SEED_DEMO_TENANT: 'true', DEMO_TENANT_KEY_FILE: keyFile, VECTOR_DIR: path.join(path.dirname(keyFile), 'vectors') },
    portOffset,
    logDir: path.join(localDir, 'bench-logs', run),
  });
  const close = async () => {
    await stack.stopAll();
    await dropDatabase(databaseUrl.toString());
  };
  try {
    await stack.startAll(services);
  } catch (error) {
    await close();
    throw error;
  }
  return { stack, namespace, run, demoKey: () => readFileSync(keyFile, 'utf8').trim(), close };
}
