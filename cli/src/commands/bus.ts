// A bus on the same Kafka as the services, for operator commands: a producer (simulate) or a
// request-reply client (everything that asks a service).
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@switchboard/logging';
import { KafkaBus, RedisDedupeStore, RpcClient } from '@switchboard/messaging';
import { defaults } from './infra';

/** `brokers` and `redisUrl` default to the project's (KAFKA_BROKERS, REDIS_URL). */
export async function withBus<T>(
  options: { namespace?: string; brokers?: string; redisUrl?: string },
  work: (bus: KafkaBus, logger: Logger) => Promise<T>,
): Promise<T> {
  // Operators read our own output, not kafkajs's; errors still surface as exceptions.
  const logger = createLogger('cli', 'error', new Writable({ write: (_c, _e, done) => done() }));
  const redis = new Redis(options.redisUrl ?? defaults.redisUrl, {
    keyPrefix: defaults.redisNamespace,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  await redis.connect();
  const bus = new KafkaBus({
    service: 'cli',
    instanceId: randomBytes(4).toString('hex'),
    brokers: (options.brokers ?? defaults.kafkaBrokers).split(','),
    namespace: options.namespace ?? process.env.KAFKA_NAMESPACE ?? '',
    logger,
    dedupe: new RedisDedupeStore(redis),
  });
  try {
    await bus.connect();
    return await work(bus, logger);
  } finally {
    await bus.disconnect();
    redis.disconnect();
  }
}

export async function withRpc<T>(
  options: { namespace?: string; brokers?: string; redisUrl?: string },
  work: (rpc: RpcClient) => Promise<T>,
): Promise<T> {
  return withBus(options, async (bus, logger) => {
    const rpc = new RpcClient(bus, logger);
    try {
      await rpc.start();
      return await work(rpc);
    } finally {
      await rpc.stop();
    }
  });
}
