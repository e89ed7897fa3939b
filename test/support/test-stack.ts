// A whole Switchboard — every service as its own process — on a fresh database and a private Kafka
// namespace, for end-to-end tests that may also kill and restart services.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { create, IngestDocumentRequestSchema, Rpcs } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { ChatClient } from '../../cli/src/chat/chat.client';
import { LocalStack } from '../../cli/src/stack/local-stack';
import { localDir, sharedDataDir } from '../../cli/src/paths';

export const DEMO_TENANT = 'demo';

export interface TestStack {
  stack: LocalStack;
  chat: ChatClient;
  apiKey: string;
  db: Client;
  /** Ingests the tau-retail policy into the demo tenant's knowledge base. */
  ingestRetailPolicy(): Promise<number>;
  close(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const database = await createTestDatabase();
  const namespace = `${uniqueName('e2e').toLowerCase()}.`;
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-')), 'demo-key');
  const stack = new LocalStack({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: infra.redisUrl(),
      KAFKA_BROKERS: infra.kafkaBrokers().join(','),
      KAFKA_NAMESPACE: namespace,
      // Shortens how long a killed consumer holds its partitions (restart tests).
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      // A killed responder's requests wait in Kafka; a short per-call timeout re-asks sooner.
      RETRIEVAL_TIMEOUT_MS: '4000',
      MODERATION_TIMEOUT_MS: '4000',
      GENERATION_TIMEOUT_MS: '6000',
      SEED_DEMO_TENANT: 'true',
      DEMO_TENANT_KEY_FILE: keyFile,
    },
    portOffset: 10_000 + Math.floor(Math.random() * 50) * 100,
    logDir: path.join(localDir, 'test-logs', namespace.slice(0, -1)),
  });
  try {
    await stack.startAll();
  } catch (error) {
    await stack.stopAll();
    await database.drop();
    throw error;
  }
  const apiKey = readFileSync(keyFile, 'utf8').trim();
  const chat = new ChatClient(stack.grpcAddress, apiKey);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const driver = await connectTestBus('e2e-driver', namespace);
  const rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();

  return {
    stack,
    chat,
    apiKey,
    db,
    async ingestRetailPolicy() {
      const content = readFileSync(path.join(sharedDataDir, 'tau-retail', 'wiki.md'), 'utf8');
      const result = await rpc.request(Rpcs.kbIngest, create(IngestDocumentRequestSchema, {
        tenantId: DEMO_TENANT, knowledgeBaseId: 'policies', documentId: 'retail-policy', title: 'Retail policy', contentType: 'text/markdown', content,
      }), { timeoutMs: 30_000 });
      return result.chunks;
    },
    async close() {
      chat.close();
      await rpc.stop();
      await driver.close();
      await stack.stopAll();
      await db.end();
      await database.drop();
    },
  };
}
