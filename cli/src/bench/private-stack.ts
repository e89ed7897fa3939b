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
  /**
   * More processes of the same stack (database, Kafka namespace, Redis) at ports + `portOffset`:
   * second replicas. They do not seed the demo tenant again; `close` stops them too.
   */
  replicas: (portOffset: number) => LocalStack;
  /** Stops the services and drops the database. */
  close: () => Promise<void>;
}

export interface PrivateStackOptions {
  /** Another Kafka (and Redis) than the project's, e.g. ones the fault bench may kill or pause. */
  kafkaBrokers?: string;
  redisUrl?: string;
  /** Added to every service's environment. */
  env?: Record<string, string>;
  /** Told how long each service took from its process start to ready. */
  onReady?: (service: ServiceName, ms: number) => void;
  /** Runs once the namespace is chosen, before any service starts (e.g. to create its topics). */
  beforeStart?: (namespace: string) => Promise<void>;
  /** How long each service may take to be ready (default 60 s). */
  readyTimeoutMs?: number;
  /** Options for node itself in every service process (see StackOptions.nodeArgs). */
  nodeArgs?: string[];
}

/** Starts `services` with the demo tenant on a database of their own, at HTTP ports + `portOffset`. */
export async function startPrivateStack(
  portOffset: number,
  services: readonly ServiceName[] = SERVICES,
  options: PrivateStackOptions = {},
): Promise<PrivateStack> {
  const databaseUrl = new URL(defaults.databaseUrl);
  const run = randomUUID().slice(0, 8);
  databaseUrl.pathname = `/switchboard_bench_${run}`;
  const redisUrl = options.redisUrl ?? defaults.redisUrl;
  await checkDatabases(databaseUrl.toString(), redisUrl);
  if (!options.kafkaBrokers && !kafka('start')) throw new Error('Kafka did not start');
  const namespace = `bench-${run}.`;
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-bench-')), 'key');
  const replicaStacks: LocalStack[] = [];
  const stack = new LocalStack({
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redisUrl,
      KAFKA_BROKERS: options.kafkaBrokers ?? defaults.kafkaBrokers,
      KAFKA_NAMESPACE: namespace,
      REDIS_NAMESPACE: namespace,
      SEED_DEMO_TENANT: 'true',
      DEMO_TENANT_KEY_FILE: keyFile,
      VECTOR_DIR: path.join(path.dirname(keyFile), 'vectors'),
      ...options.env,
    },
    portOffset,
    logDir: path.join(localDir, 'bench-logs', run),
    nodeArgs: options.nodeArgs,
  });
  const close = async () => {
    await Promise.all(replicaStacks.map((r) => r.stopAll()));
    await stack.stopAll();
    await dropDatabase(databaseUrl.toString());
  };
  try {
    await options.beforeStart?.(namespace);
    await stack.startAll(services, options.onReady, options.readyTimeoutMs);
  } catch (error) {
    await close();
    throw error;
  }
  const replicas = (offset: number) => {
    const replica = new LocalStack({
      // A second retrieval reads the first one's vector directory: the embedded store has one writer.
      env: { ...stack.env, SEED_DEMO_TENANT: 'false', VECTOR_READER: 'true' },
      portOffset: offset,
      logDir: path.join(localDir, 'bench-logs', run, `replicas-${offset}`),
      nodeArgs: options.nodeArgs,
    });
    replicaStacks.push(replica);
    return replica;
  };
  return { stack, namespace, run, demoKey: () => readFileSync(keyFile, 'utf8').trim(), replicas, close };
}
