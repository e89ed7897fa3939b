// A whole Switchboard — every service as its own process — on a fresh database and a private Kafka
// namespace, for end-to-end tests that may also kill and restart services.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { create, IngestDocumentRequestSchema, Rpcs } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { RpcClient } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, deleteTopicsWithPrefix, infra, quietLogger, slotPort, uniqueName } from '@switchboard/testing';
import { ChatClient, type ChatEvent } from '../../cli/src/chat/chat.client';
import { LocalStack, SERVICES, WITH_CONSOLE, type ServiceName } from '../../cli/src/stack/local-stack';
import { localDir, sharedDataDir } from '../../cli/src/paths';

export const DEMO_TENANT = 'demo';

export interface SaidTurn {
  conversationId: string;
  reply: NonNullable<ChatEvent['reply']>;
  handoff?: ChatEvent['handoff'];
  events: ChatEvent[];
}

export const TEST_PASSWORD = 'correct horse battery staple';

export interface SignedIn {
  headers: { authorization: string };
  userId: string;
  accessToken: string;
  refreshToken: string;
}

export interface TestStack {
  stack: LocalStack;
  /** The Kafka namespace (topic prefix) of this stack, for tests that read its topics. */
  namespace: string;
  chat: ChatClient;
  apiKey: string;
  db: Client;
  /** The stack's database (e.g. for pg_dump). */
  databaseUrl: string;
  /** A new client on the stack's Redis namespace: keys named as the services name them. The caller disconnects it. */
  redis(): Redis;
  /** Ingests the tau-retail policy into the demo tenant's knowledge base. */
  ingestRetailPolicy(): Promise<number>;
  /** A new tenant and an API key for it (what an operator's provisioning does). */
  createTenant(id: string, scopes?: string[]): Promise<string>;
  /** Another API key for an existing tenant (e.g. the demo tenant's agents, scope "agent"). */
  createApiKey(tenantId: string, scopes: string[]): Promise<string>;
  /**
   * A user of `tenantId` with `role` (made through the admin API with a fresh admin key) signed in:
   * headers for `rest` that carry their access token, and the session itself.
   */
  signIn(
    tenantId: string,
    username: string,
    role?: 'agent' | 'senior_agent' | 'supervisor' | 'admin',
    departments?: string[],
  ): Promise<SignedIn>;
  /** One customer turn over Converse as `customerId`: its events and its reply (which must come). */
  say(customerId: string, conversationId: string | undefined, text: string): Promise<SaidTurn>;
  /** A column value as stored (encrypted at rest with the development key), in plain text; `row`: the row's id after the tenant (message, ticket, note, order or user id). */
  plain(
    tenantId: string,
    column:
      | 'conversation.messages.content'
      | 'ticketing.tickets.summary'
      | 'ticketing.ticket_notes.text'
      | 'integration.orders.document'
      | 'integration.users.document',
    stored: string,
    row?: string,
  ): string;
  /** Every service's log so far, concatenated. */
  logs(): string;
  /** Calls the gateway's REST API. */
  rest(
    method: string,
    path: string,
    options?: { key?: string; json?: unknown; form?: FormData; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * `env` adds to or overrides every service's environment (e.g. LLM_BASE_URL). `services`: only these
 * (default all but the console), for a test that needs no customer turn, e.g. the gateway and the
 * service behind its API. `console` also starts the web console
 * (http://127.0.0.1:<stack.httpPort('console')>), for browser tests.
 */
export async function startTestStack(
  options: { env?: Record<string, string>; services?: readonly ServiceName[]; console?: boolean } = {},
): Promise<TestStack> {
  const database = await createTestDatabase();
  const namespace = `${uniqueName('e2e').toLowerCase()}.`;
  const scratch = mkdtempSync(path.join(tmpdir(), 'switchboard-'));
  const keyFile = path.join(scratch, 'demo-key');
  const stack = new LocalStack({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: infra.redisUrl(),
      KAFKA_BROKERS: infra.kafkaBrokers().join(','),
      KAFKA_NAMESPACE: namespace,
      // Every stack seeds the same demo tenant, whose Redis keys (who is online, rate limits, cached
      // orders) would otherwise be shared: an agent online in one stack was given another's tickets.
      REDIS_NAMESPACE: namespace,
      // Shortens how long a killed consumer holds its partitions (restart tests).
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      // A killed responder's requests wait in Kafka; a short per-call timeout re-asks sooner.
      RETRIEVAL_TIMEOUT_MS: '4000',
      MODERATION_TIMEOUT_MS: '4000',
      GENERATION_TIMEOUT_MS: '6000',
      SEED_DEMO_TENANT: 'true',
      DEMO_TENANT_KEY_FILE: keyFile,
      VECTOR_DIR: path.join(scratch, 'vectors'),
      ...options.env,
    },
    // One stack per Jest worker at a time, so the worker id gives every concurrent stack its own
    // ports; a random pick collided now and then (EADDRINUSE) once there were a dozen e2e files.
    // E2E_PORT_SLOT (0-9) separates Jest runs on one machine (their worker ids all start at 1).
    portOffset: slotPort(10_000, 100),
    logDir: path.join(localDir, 'test-logs', namespace.slice(0, -1)),
  });
  try {
    await stack.startAll(options.services ?? (options.console ? WITH_CONSOLE : SERVICES));
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
  const createApiKey = async (tenantId: string, scopes: string[]) => {
    const key = `sb_${tenantId.replace(/[^A-Za-z0-9]/g, '')}_${randomBytes(24).toString('base64url')}`;
    await db.query('insert into gateway.api_keys (id, tenant_id, key_hash, key_prefix, name, scopes) values ($1, $2, $3, $4, $5, $6)', [
      randomUUID(),
      tenantId,
      createHash('sha256').update(key).digest('hex'),
      key.slice(0, 12),
      'test',
      scopes,
    ]);
    return key;
  };

  // The services run with the development key (no ENCRYPTION_KEYS in tests); so does this reader.
  const cipher = FieldCipher.fromConfig({ NODE_ENV: 'test', ENCRYPTION_KEYS: '', ENCRYPTION_KEY_CURRENT: '', ENCRYPTION_KEY_FILE: '' });
  const testStack: TestStack = {
    stack,
    namespace,
    chat,
    apiKey,
    db,
    databaseUrl: database.url,
    redis: () => new Redis(infra.redisUrl(), { keyPrefix: namespace }),
    async ingestRetailPolicy() {
      const content = readFileSync(path.join(sharedDataDir, 'tau-retail', 'wiki.md'), 'utf8');
      const result = await rpc.request(
        Rpcs.kbIngest,
        create(IngestDocumentRequestSchema, {
          tenantId: DEMO_TENANT,
          knowledgeBaseId: 'policies',
          documentId: 'retail-policy',
          title: 'Retail policy',
          contentType: 'text/markdown',
          content,
        }),
        { timeoutMs: 120_000 },
      );
      return result.chunks;
    },
    async createTenant(id: string, scopes = ['chat', 'kb:admin']) {
      await db.query('insert into gateway.tenants (id, name) values ($1, $1)', [id]);
      return createApiKey(id, scopes);
    },
    createApiKey,
    async signIn(tenantId, username, role = 'agent', departments = []) {
      const adminKey = await createApiKey(tenantId, ['kb:admin']);
      const created = await testStack.rest('POST', '/v1/users', {
        key: adminKey,
        json: { username, password: TEST_PASSWORD, role, departments },
      });
      if (created.status !== 201) throw new Error(`creating user ${username}: ${created.status} ${JSON.stringify(created.body)}`);
      const session = await testStack.rest('POST', '/v1/auth/login', { json: { tenantId, username, password: TEST_PASSWORD } });
      if (session.status !== 200) throw new Error(`signing in ${username}: ${session.status} ${JSON.stringify(session.body)}`);
      return {
        headers: { authorization: `Bearer ${session.body.accessToken}` },
        userId: created.body.id,
        accessToken: session.body.accessToken,
        refreshToken: session.body.refreshToken,
      };
    },
    async say(customerId, conversationId, text) {
      const events: ChatEvent[] = [];
      for await (const e of chat.converse({
        clientMessageId: randomUUID(),
        customerId,
        channel: 'web',
        locale: 'en-US',
        text,
        ...(conversationId ? { conversationId } : {}),
      }))
        events.push(e);
      const reply = events.find((e) => e.kind === 'reply')?.reply;
      if (!reply) throw new Error(`no reply to "${text}": ${JSON.stringify(events)}`);
      return { conversationId: events[0].conversationId, reply, handoff: events.find((e) => e.kind === 'handoff')?.handoff, events };
    },
    plain(tenantId, column, stored, row) {
      if (!stored.startsWith('enc:')) throw new Error(`${column} is stored in plain text: ${stored.slice(0, 40)}`);
      return cipher.decrypt(stored, { tenantId, column, row });
    },
    logs() {
      return WITH_CONSOLE.map((service) => {
        try {
          return readFileSync(stack.logFile(service), 'utf8');
        } catch {
          return '';
        }
      }).join('\n');
    },
    async rest(method, urlPath, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers['x-api-key'] = options.key;
      let body: string | FormData | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      } else body = options.form;
      const res = await fetch(`http://127.0.0.1:${stack.httpPort('gateway')}${urlPath}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(300_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      chat.close();
      await rpc.stop();
      await driver.close();
      await stack.stopAll();
      await db.end();
      await database.drop();
      await dropRedisNamespace(namespace).catch(() => undefined); // best effort: what is left expires
      await deleteTopicsWithPrefix(namespace).catch(() => undefined); // best effort: a left-over topic costs files, not correctness
    },
  };
  return testStack;
}

/** Removes every key of a stack's Redis namespace. */
async function dropRedisNamespace(namespace: string): Promise<void> {
  const redis = new Redis(infra.redisUrl());
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000); // a namespace has no glob characters
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
