// The moderation service in-process on the real Kafka, Postgres and Redis: a tenant's policy is
// stored over Kafka, checks apply it (and only to that tenant), and a change made by another
// replica reaches this one through the revision check.
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import {
  Action,
  CheckRequestSchema,
  create,
  Direction,
  GetPolicyRequestSchema,
  PutPolicyRequestSchema,
  Rpcs,
  TenantPolicySchema,
  toJsonString,
  type CheckResult,
  type MessageInitShape,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from './app.module';
import { loadModerationConfig } from './config';

const namespace = `${uniqueName('moderation').toLowerCase()}.`;
const tenantA = uniqueName('shop_a');
const tenantB = uniqueName('shop_b');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let db: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadModerationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    POLICY_RELOAD_MS: '1000',
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('moderation-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  db = new Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

type PolicyInit = MessageInitShape<typeof TenantPolicySchema>;

const policyWith = (keyword: string): PolicyInit => ({
  wordLists: [{ name: 'banned-products', category: 'products', action: Action.BLOCK, words: ['frobnicator'], direction: Direction.INPUT }],
  rules: [
    {
      name: 'no-refund-promises',
      direction: Direction.OUTPUT,
      keywords: [keyword],
      action: Action.BLOCK,
      safeReply: 'A colleague will confirm what we can offer.',
    },
  ],
});

const put = (tenantId: string, policy: PolicyInit) =>
  rpc.request(Rpcs.moderationPolicyPut, create(PutPolicyRequestSchema, { tenantId, policy }), { timeoutMs: 20_000 });

const check = (tenantId: string, direction: Direction, text: string): Promise<CheckResult> =>
  rpc.request(Rpcs.moderationCheck, create(CheckRequestSchema, { tenantId, conversationId: randomUUID(), direction, text }), {
    timeoutMs: 20_000,
  });

it("blocks by the tenant's rule, names the rule, and never applies it to another tenant", async () => {
  const stored = await put(tenantA, policyWith('guaranteed refund'));
  expect(stored).toMatchObject({ words: 1, rules: 1 });
  expect(stored.revision).toBeGreaterThan(0n);

  const reply = 'Good news: you get a guaranteed refund.';
  const blocked = await check(tenantA, Direction.OUTPUT, reply);
  expect(blocked).toMatchObject({ action: Action.BLOCK, safeReply: 'A colleague will confirm what we can offer.' });
  expect(blocked.findings).toEqual([
    expect.objectContaining({ rule: 'policy.no-refund-promises', category: 'compliance', action: Action.BLOCK, start: 21, end: 38 }),
  ]);
  expect((await check(tenantA, Direction.INPUT, 'Do you sell the Frobnicator?')).findings.map((f) => f.rule)).toEqual([
    'policy.banned-products',
  ]);

  expect(await check(tenantB, Direction.OUTPUT, reply)).toMatchObject({ action: Action.ALLOW, findings: [] });
  expect((await check(tenantB, Direction.INPUT, 'Do you sell the Frobnicator?')).action).toBe(Action.ALLOW);

  const own = await rpc.request(Rpcs.moderationPolicyGet, create(GetPolicyRequestSchema, { tenantId: tenantA }), { timeoutMs: 20_000 });
  expect(own.rules.map((r) => r.keywords)).toEqual([['guaranteed refund']]);
  const other = await rpc.request(Rpcs.moderationPolicyGet, create(GetPolicyRequestSchema, { tenantId: tenantB }), { timeoutMs: 20_000 });
  expect(other).toMatchObject({ tenantId: tenantB, wordLists: [], rules: [] });
});

it('applies a changed policy: at once when put here, within about a second when another replica wrote it', async () => {
  await put(tenantA, policyWith('we will compensate'));
  expect((await check(tenantA, Direction.OUTPUT, 'We will compensate you.')).action).toBe(Action.BLOCK);
  expect((await check(tenantA, Direction.OUTPUT, 'You get a guaranteed refund.')).action).toBe(Action.ALLOW);

  // Another replica's put: the row changes, and this replica was not told.
  const policy = toJsonString(TenantPolicySchema, create(TenantPolicySchema, { tenantId: tenantA, ...policyWith('full refund today') }));
  await db.query('update moderation.policies set policy = $2::jsonb, revision = revision + 1 where tenant_id = $1', [tenantA, policy]);
  const changed = Date.now();
  await waitFor(
    async () => (await check(tenantA, Direction.OUTPUT, 'You will get a full refund today.')).action === Action.BLOCK,
    'the changed policy to apply',
    5000,
  );
  expect(Date.now() - changed).toBeLessThan(3000);
  expect((await check(tenantA, Direction.OUTPUT, 'We will compensate you.')).action).toBe(Action.ALLOW);
});

it('refuses an invalid policy with INVALID_ARGUMENT naming the field, and keeps the stored one', async () => {
  const bad = put(tenantA, { rules: [{ name: 'broken', action: Action.BLOCK, patterns: ['refund(s'] }] });
  await expect(bad).rejects.toThrow(/failed with INVALID_ARGUMENT: policy\.rules\[0\]\.patterns\[0\]: not a valid RE2 regular expression/);
  expect((await check(tenantA, Direction.OUTPUT, 'You will get a full refund today.')).action).toBe(Action.BLOCK);
});

it("runs a tenant's backtracking-prone pattern without freezing checks for anyone, and refuses lookaround at PUT", async () => {
  // Reproduced on the old engine: after this PUT, one message of 40 "a"s and "!" froze the service.
  const tenant = uniqueName('shop_slow');
  await put(tenant, { rules: [{ name: 'slow', action: Action.BLOCK, patterns: ['(a|a)+b'] }] });
  const started = Date.now();
  const [slow, other] = await Promise.all([
    check(tenant, Direction.INPUT, `${'a'.repeat(40)}!`),
    check(tenantB, Direction.INPUT, 'hello there'),
  ]);
  expect([slow.action, other.action]).toEqual([Action.ALLOW, Action.ALLOW]);
  expect((await check(tenant, Direction.INPUT, 'aaab')).findings.map((f) => f.rule)).toEqual(['policy.slow']);
  expect(Date.now() - started).toBeLessThan(15_000);
  const lookaround = put(tenant, { rules: [{ name: 'slow', action: Action.BLOCK, patterns: ['refund(?! later)'] }] });
  await expect(lookaround).rejects.toThrow(
    /INVALID_ARGUMENT: policy\.rules\[0\]\.patterns\[0\]: not a valid RE2 regular expression \(invalid or unsupported Perl syntax: `\(\?!`: lookahead and lookbehind are not supported/,
  );
});

it('redacts PII and blocks built-in list words for a tenant without a policy', async () => {
  expect(await check(tenantB, Direction.INPUT, 'my email is sam@example.com')).toMatchObject({
    action: Action.REDACT,
    text: 'my email is [EMAIL]',
  });
  expect((await check(tenantB, Direction.INPUT, '哪里可以买到冰毒')).findings.map((f) => f.rule)).toEqual(['words.drugs']);
});
