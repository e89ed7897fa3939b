// The generation service as its integration tests run it: the real Nest application on a fresh
// database and a private Kafka namespace, its LLM a local OpenAI wire-protocol server, and a caller
// on the same namespace that asks it questions and reads conversation.outbound.v1.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import {
  AnswerRequestSchema,
  create,
  Rpcs,
  Topics,
  type AnswerResult,
  type MessageInitShape,
  type OutboundEvent,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import {
  connectTestBus,
  createTestDatabase,
  infra,
  quietLogger,
  startOpenAiWireServer,
  uniqueName,
  type OpenAiWireServer,
} from '@switchboard/testing';
import { AppModule } from '../src/app.module';
import { loadGenerationConfig } from '../src/config';

export interface GenerationTestApp {
  tenantId: string;
  llm: OpenAiWireServer;
  /** The caller's bus, e.g. to serve the integration service's topics. */
  bus: KafkaBus;
  rpc: RpcClient;
  db: Client;
  /** Asks generation.answer.v1 with a fresh conversation and turn unless given. */
  ask(request: MessageInitShape<typeof AnswerRequestSchema>): Promise<AnswerResult>;
  /** The ReplyDelta texts seen so far for a turn, in order. */
  deltasOf(turnId: string): string[];
  /** Each of those deltas' answer run and place in it, as `<stream id>/<sequence>`. */
  deltaRunsOf(turnId: string): string[];
  /** A sample's value from GET /metrics, e.g. metric('switchboard_llm_breaker_state'). */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startGenerationApp(env: Record<string, string> = {}): Promise<GenerationTestApp> {
  const tenantId = uniqueName('tenant');
  const namespace = `${uniqueName('gen').toLowerCase()}.`;
  const database = await createTestDatabase();
  const llm = await startOpenAiWireServer();
  const config = loadGenerationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL === 'warn' ? 'error' : (process.env.LOG_LEVEL ?? 'error'),
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    LLM_BASE_URL: llm.baseUrl,
    LLM_API_KEY: 'sk-test-generation',
    LLM_MODEL: 'test-model',
    ...env,
  });
  const app: INestApplication = await NestFactory.create(AppModule.register(config), { logger: false });
  await app.listen(0, '127.0.0.1');
  await app.get(KafkaBus).start();
  const metricsUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/metrics`;

  const caller = await connectTestBus('generation-test-caller', namespace);
  const rpc = new RpcClient(caller.bus, quietLogger());
  await rpc.start();
  const outbound: OutboundEvent[] = [];
  await caller.bus.subscribe(Topics.outbound, async ({ message }) => void outbound.push(message), {
    groupId: uniqueName('outbound-reader'),
    fromBeginning: true,
  });
  const db = new Client({ connectionString: database.url });
  await db.connect();

  return {
    tenantId,
    llm,
    bus: caller.bus,
    rpc,
    db,
    ask: (request) => {
      const message = create(AnswerRequestSchema, {
        tenantId,
        conversationId: randomUUID(),
        turnId: randomUUID(),
        locale: 'en-US',
        ...request,
      });
      return rpc.request(Rpcs.generationAnswer, message, { timeoutMs: 30_000, conversationId: message.conversationId });
    },
    deltasOf: (turnId) =>
      outbound.flatMap((o) => (o.event?.turnId === turnId && o.event.kind.case === 'delta' ? [o.event.kind.value.text] : [])),
    deltaRunsOf: (turnId) =>
      outbound.flatMap((o) =>
        o.event?.turnId === turnId && o.event.kind.case === 'delta'
          ? [`${o.event.kind.value.streamId}/${o.event.kind.value.sequence}`]
          : [],
      ),
    metric: async (name, labels = {}) => {
      const text = await (await fetch(metricsUrl)).text();
      for (const line of text.split('\n')) {
        const sample = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!sample || sample[1] !== name) continue;
        const found = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(sample[3]);
      }
      return undefined;
    },
    close: async () => {
      await db.end();
      await rpc.stop();
      await caller.close();
      await app.close();
      await llm.close();
      await database.drop();
    },
  };
}
