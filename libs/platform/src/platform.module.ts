// What every service gets: typed config, logger, Kafka bus (+ request-reply client), Redis, its own
// Postgres schema with migrations and outbox, health and metrics endpoints — connected at start-up
// and closed in order on shutdown.
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { DatabaseConfig, PlatformConfig } from '@switchboard/config';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import { createLogger, type Logger } from '@switchboard/logging';
import { KafkaBus, RedisDedupeStore, RedisReplyStore, RedisTraceRecorder, RpcClient, type TopicSpec } from '@switchboard/messaging';
import { openDatabase, Outbox, type DatabaseOptions } from '@switchboard/persistence';
import { HEALTH_CHECKS, HealthController, HealthService, type HealthCheck } from './health';
import { MetricsController, startDefaultMetrics } from './metrics';
import { CONFIG, LOGGER } from './tokens';

export interface PlatformOptions {
  service: string;
  /**
   * With `database`, the config must hold DATABASE_URL (databaseShape). A service that answers
   * requests (serveRpc) needs the encryption keys (encryptionConfigShape): its stored replies
   * hold customer text.
   */
  config: PlatformConfig & Partial<DatabaseConfig> & Partial<EncryptionConfig>;
  /** Topics this service produces or consumes; created (with dead-letter topics) if missing. */
  topics: TopicSpec[];
  database?: Omit<DatabaseOptions, 'url' | 'createDatabase'>;
  /** Whether this service calls other services with request-reply. */
  rpcClient?: boolean;
}

@Injectable()
class PlatformLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    private readonly bus: KafkaBus,
    private readonly redis: Redis,
    @Inject('OPTIONAL_PARTS') private readonly parts: { rpc?: RpcClient; dataSource?: DataSource; outbox?: Outbox },
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal }, 'shutting down');
    await this.parts.outbox?.stop();
    await this.parts.rpc?.stop();
    await this.bus.disconnect();
    await this.parts.dataSource?.destroy().catch(() => undefined);
    this.redis.disconnect();
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { service, config } = options;
    startDefaultMetrics(service);
    const providers: Provider[] = [
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useFactory: () => createLogger(service, config.LOG_LEVEL) },
      {
        provide: Redis,
        inject: [LOGGER],
        useFactory: async (log: Logger) => {
          const redis = new Redis(config.REDIS_URL, {
            keyPrefix: config.REDIS_NAMESPACE,
            lazyConnect: true,
            maxRetriesPerRequest: 2,
            enableOfflineQueue: false,
          });
          redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
          await redis.connect();
          return redis;
        },
      },
      {
        provide: KafkaBus,
        inject: [LOGGER, Redis],
        useFactory: async (log: Logger, redis: Redis) => {
          const started = Date.now();
          const bus = new KafkaBus({
            service,
            instanceId: config.INSTANCE_ID,
            brokers: config.KAFKA_BROKERS,
            namespace: config.KAFKA_NAMESPACE,
            sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
            logger: log,
            dedupe: new RedisDedupeStore(redis),
            traces: new RedisTraceRecorder(redis),
            traceSampleRate: config.TRACE_SAMPLE_RATE,
            // Joined by bootstrap() once every module has subscribed.
            groupPerService: true,
            replies:
              config.ENCRYPTION_KEYS === undefined
                ? undefined
                : new RedisReplyStore(redis, FieldCipher.fromConfig(config as EncryptionConfig)),
          });
          await bus.connect();
          await bus.ensureTopics(options.topics);
          log.info({ startupPhase: 'kafka', ms: Date.now() - started }, 'start-up: Kafka connected, topics ready');
          return bus;
        },
      },
      {
        provide: RpcClient,
        inject: [KafkaBus, LOGGER],
        useFactory: async (bus: KafkaBus, log: Logger) => {
          if (!options.rpcClient) return undefined;
          const started = Date.now();
          const client = new RpcClient(bus, log);
          await client.start();
          log.info({ startupPhase: 'replies', ms: Date.now() - started }, 'start-up: reply topic joined');
          return client;
        },
      },
      {
        provide: DataSource,
        inject: [LOGGER],
        useFactory: async (log: Logger) => {
          if (!options.database) return undefined;
          const started = Date.now();
          const dataSource = await openDatabase(
            { ...options.database, url: databaseUrlOf(config), createDatabase: config.NODE_ENV !== 'production' },
            log,
          );
          log.info({ startupPhase: 'database', ms: Date.now() - started }, 'start-up: database open, migrations checked');
          return dataSource;
        },
      },
      {
        provide: Outbox,
        inject: [DataSource, KafkaBus, LOGGER],
        useFactory: (dataSource: DataSource | undefined, bus: KafkaBus, log: Logger) => {
          if (!dataSource || !options.database?.outbox) return undefined;
          const outbox = new Outbox(dataSource, bus, options.database.schema, options.database.outbox.cipher, log);
          outbox.start();
          return outbox;
        },
      },
      {
        provide: 'OPTIONAL_PARTS',
        inject: [RpcClient, DataSource, Outbox],
        useFactory: (rpc?: RpcClient, dataSource?: DataSource, outbox?: Outbox) => ({ rpc, dataSource, outbox }),
      },
      {
        provide: HEALTH_CHECKS,
        inject: [KafkaBus, Redis, DataSource],
        useFactory: (bus: KafkaBus, redis: Redis, dataSource?: DataSource): HealthCheck[] => [
          { name: 'kafka', check: () => bus.health() },
          { name: 'redis', check: async () => ({ ok: (await redis.ping()) === 'PONG', detail: redis.status }) },
          ...(dataSource
            ? [{ name: 'postgres', check: async () => (await dataSource.query('select 1'), { ok: true, detail: 'select 1' }) }]
            : []),
        ],
      },
      HealthService,
      PlatformLifecycle,
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers,
      exports: [CONFIG, LOGGER, Redis, KafkaBus, RpcClient, DataSource, Outbox, HealthService],
    };
  }
}

function databaseUrlOf(config: Partial<DatabaseConfig>): string {
  if (!config.DATABASE_URL)
    throw new Error('this service keeps data in Postgres: its config shape must include databaseShape (DATABASE_URL)');
  return config.DATABASE_URL;
}
