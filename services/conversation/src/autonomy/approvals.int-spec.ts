// Autonomy earned per intent in the conversation service, on the real Kafka, Postgres and Redis:
// the whole service runs (its turn consumer, intent classifier and approval responders); the
// services it calls answer on Kafka from here, the order system from the tau-retail reference data
// with the same ownership rule as the integration service, so the test sees every call made.
// Below the tenant's bar a confirmed cancel produces an approval and no order-system write;
// approving runs exactly that call once, and the customer reads the outcome on their stream.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import {
  Action,
  AgentSessionRequestSchema,
  CheckResultSchema,
  create,
  DecideApprovalRequestSchema,
  ErasureCommandSchema,
  InboundTurnSchema,
  ListApprovalsRequestSchema,
  PutAutonomyPolicyRequestSchema,
  Rpcs,
  ToolCallRequestSchema,
  ToolCallResultSchema,
  Topics,
  type ConversationLifecycleEvent,
  type ErasureReport,
  type DescMessage,
  type MessageShape,
  type RpcTopic,
  type OutboundEvent,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient, RpcRemoteError, serveRpc } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { ApprovalService } from './approval.service';
import { loadConversationConfig } from '../config';

const data = path.join(
  process.env.SWITCHBOARD_DATA_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data'),
  'tau-retail',
);
const users = JSON.parse(readFileSync(path.join(data, 'users.json'), 'utf8')) as Record<
  string,
  { email: string; orders: string[]; name: { first_name: string } }
>;
const orders = JSON.parse(readFileSync(path.join(data, 'orders.json'), 'utf8')) as Record<string, { user_id: string; status: string }>;

// Emma Brown has one pending order.
const EMMA = { email: 'emma.brown5032@example.com', pending: '#W6460787' };
const EMMA_ID = Object.entries(users).find(([, u]) => u.email === EMMA.email)![0];

const namespace = `${uniqueName('autonomy').toLowerCase()}.`;
const TENANT = uniqueName('acme');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;
const writes: Array<{ operation: string; args: Record<string, unknown>; verifiedUserId: string; confirmed: boolean }> = [];
const outbound: OutboundEvent[] = [];
const lifecycle: ConversationLifecycleEvent[] = [];
const reports: ErasureReport[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConversationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
  });
  driver = await connectTestBus('autonomy-driver', namespace);
  const log = quietLogger();
  await driver.bus.ensureTopics([
    Topics.inbound,
    Topics.outbound,
    Topics.conversationEvents,
    Topics.erasureCommands,
    Topics.erasureReports,
    Rpcs.moderationCheck,
    Rpcs.retrievalSearch,
    Rpcs.generationAnswer,
    Rpcs.generationSummarize,
    Rpcs.integrationTool,
  ]);
  // The services a turn calls. Moderation lets everything through unchanged; nothing here needs
  // the knowledge base, so search and answers are empty.
  await serveRpc(
    driver.bus,
    Rpcs.moderationCheck,
    async (r) => create(CheckResultSchema, { action: Action.ALLOW, text: r.text, findings: [], safeReply: '' }),
    log,
  );
  await serveRpc(driver.bus, Rpcs.retrievalSearch, async () => create(Rpcs.retrievalSearch.response, {}), log);
  await serveRpc(
    driver.bus,
    Rpcs.generationAnswer,
    async () => create(Rpcs.generationAnswer.response, { text: '', mode: 'fallback' }),
    log,
  );
  await serveRpc(driver.bus, Rpcs.generationSummarize, async () => create(Rpcs.generationSummarize.response, {}), log);
  await serveRpc(
    driver.bus,
    Rpcs.integrationTool,
    async (r) => {
      const args = JSON.parse(r.argumentsJson) as Record<string, unknown>;
      const ok = (result: unknown) => create(ToolCallResultSchema, { ok: true, resultJson: JSON.stringify(result) });
      const refused = (error: string) => create(ToolCallResultSchema, { ok: false, error });
      switch (r.operation) {
        case 'find_user_id_by_email': {
          const found = Object.entries(users).find(([, u]) => u.email === args.email);
          return found ? ok(found[0]) : refused('Error: user not found');
        }
        case 'get_customer_profile': {
          const user = users[String(args.user_id)];
          return ok({ user_id: args.user_id, first_name: user.name.first_name, tier: 'regular', orders: user.orders });
        }
        case 'get_order_details': {
          const order = orders[String(args.order_id)];
          return order && order.user_id === r.verifiedUserId ? ok(order) : refused('Error: order not found');
        }
        case 'cancel_pending_order': {
          writes.push({ operation: r.operation, args, verifiedUserId: r.verifiedUserId, confirmed: r.confirmed });
          const order = orders[String(args.order_id)];
          if (!r.confirmed || order?.user_id !== r.verifiedUserId) return refused('Error: not confirmed by the order owner');
          return ok({ ...order, status: 'cancelled' });
        }
        default:
          return refused(`Error: unknown operation ${r.operation}`);
      }
    },
    log,
  );
  await driver.bus.subscribe(Topics.outbound, async ({ message }) => void outbound.push(message), { groupId: uniqueName('outbound') });
  await driver.bus.subscribe(Topics.conversationEvents, async ({ message }) => void lifecycle.push(message), {
    groupId: uniqueName('lifecycle'),
  });
  await driver.bus.subscribe(Topics.erasureReports, async ({ message }) => void reports.push(message), { groupId: uniqueName('reports') });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await app?.close();
  await rpc?.stop();
  await driver?.close();
  await database?.drop();
});

const request = <Req extends DescMessage, Res extends DescMessage>(topic: RpcTopic<Req, Res>, message: MessageShape<Req>) =>
  rpc.request(topic, message, { timeoutMs: 30_000 });

/** One customer turn, as the gateway publishes it; resolves with the bot's reply. */
async function say(conversationId: string, customerId: string, text: string): Promise<string> {
  const turnId = randomUUID();
  await driver.bus.publish(
    Topics.inbound,
    create(InboundTurnSchema, {
      tenantId: TENANT,
      conversationId,
      turnId,
      clientMessageId: turnId,
      customerId,
      channel: 'web',
      locale: 'en-US',
      text,
      receivedAt: new Date().toISOString(),
    }),
    { conversationId, messageId: turnId },
  );
  const reply = await waitFor(
    () => outbound.find((e) => e.event?.turnId === turnId && e.event.kind.case === 'reply'),
    `the reply to "${text}"`,
    60_000,
  );
  return reply.event!.kind.case === 'reply' ? reply.event!.kind.value.text : '';
}

/** Cancels Emma's pending order up to and including her "yes". */
async function confirmCancel(conversationId: string, customerId: string): Promise<string> {
  expect(await say(conversationId, customerId, 'I want to cancel my order')).toMatch(/email/i);
  expect(await say(conversationId, customerId, `it's ${EMMA.email}`)).toMatch(/no longer need it, or it was ordered by mistake/);
  expect(await say(conversationId, customerId, "I don't need it anymore")).toContain(`cancel order ${EMMA.pending}`);
  return say(conversationId, customerId, 'yes please');
}

const pending = async () =>
  (await request(Rpcs.approvalsList, create(ListApprovalsRequestSchema, { tenantId: TENANT, status: 'pending' }))).approvals;

const decide = (approvalId: string, agentId: string, approve: boolean, reason = '') =>
  request(Rpcs.approvalsDecide, create(DecideApprovalRequestSchema, { tenantId: TENANT, approvalId, agentId, approve, reason }));

describe('autonomy earned per intent', () => {
  it('acts alone at the default bar, then below a bar asks a person, and approving runs exactly that call once', async () => {
    // Today's behaviour without a bar: the "yes" cancels.
    const before = randomUUID();
    expect(await confirmCancel(before, 'cust-before')).toContain(`Order ${EMMA.pending} is now cancelled`);
    expect(writes).toHaveLength(1);
    writes.length = 0;

    const policy = await request(
      Rpcs.autonomyPut,
      create(PutAutonomyPolicyRequestSchema, { tenantId: TENANT, bars: [{ intent: 'cancel_order', passK: 0.9 }] }),
    );
    expect(policy.bars).toEqual([expect.objectContaining({ intent: 'cancel_order', passK: 0.9 })]);

    const conversationId = randomUUID();
    const answer = await confirmCancel(conversationId, 'cust-below');
    expect(answer).toMatch(/checks this kind of change before it is made/);
    expect(writes).toEqual([]);

    const [approval] = await pending();
    expect(approval).toMatchObject({
      conversationId,
      customerId: 'cust-below',
      intent: 'cancel_order',
      operation: 'cancel_pending_order',
      status: 'pending',
      why: 'cancel_order needs pass^k 0.90; it has not been measured',
    });
    expect(JSON.parse(approval.argumentsJson)).toEqual({ order_id: EMMA.pending, reason: 'no longer needed' });
    expect(approval.confirmation).toContain(`cancel order ${EMMA.pending}`);
    // A ticket is asked for, so the request lands in a department's queue.
    await waitFor(
      () =>
        lifecycle.find(
          (e) => e.conversationId === conversationId && e.kind.case === 'handoffRequested' && e.kind.value.reason === 'approval_required',
        ),
      'the approval ticket request',
    );
    // The call and the confirmation are encrypted at rest.
    const { rows } = await sql.query<{ arguments: string; confirmation: string }>(
      'select arguments, confirmation from conversation.approvals where id = $1',
      [approval.id],
    );
    expect(rows[0].arguments).not.toContain(EMMA.pending);
    expect(rows[0].confirmation).not.toContain(EMMA.pending);

    const approved = await decide(approval.id, 'lead-ann', true);
    expect(approved.alreadyDecided).toBe(false);
    expect(approved.approval).toMatchObject({ status: 'approved', decidedBy: 'lead-ann', outcome: 'done: cancelled' });
    expect(writes).toEqual([
      {
        operation: 'cancel_pending_order',
        args: { order_id: EMMA.pending, reason: 'no longer needed' },
        verifiedUserId: EMMA_ID,
        confirmed: true,
      },
    ]);
    // The customer reads the outcome on their conversation's stream.
    await waitFor(
      () =>
        outbound.find(
          (e) =>
            e.event?.conversationId === conversationId &&
            e.event.kind.case === 'reply' &&
            e.event.kind.value.text.includes(`Order ${EMMA.pending} is now cancelled`),
        ),
      'the outcome on the customer stream',
    );

    const again = await decide(approval.id, 'lead-bob', true);
    expect(again.alreadyDecided).toBe(true);
    expect(again.approval).toMatchObject({ status: 'approved', decidedBy: 'lead-ann' });
    expect(writes).toHaveLength(1);
    expect(await pending()).toEqual([]);
  });

  it('rejecting tells the customer and hands off without calling anything; a held conversation is decided only by its holder', async () => {
    writes.length = 0;
    const conversationId = randomUUID();
    expect(await confirmCancel(conversationId, 'cust-rejected')).toMatch(/checks this kind of change/);
    const [approval] = await pending();
    expect(approval.conversationId).toBe(conversationId);

    await request(Rpcs.conversationTakeOver, create(AgentSessionRequestSchema, { tenantId: TENANT, conversationId, agentId: 'carol' }));
    await expect(decide(approval.id, 'dave', false, 'the order is already packed')).rejects.toMatchObject({
      code: 'CONVERSATION_HELD',
    } satisfies Partial<RpcRemoteError>);

    const rejected = await decide(approval.id, 'carol', false, 'the order is already packed');
    expect(rejected.approval).toMatchObject({ status: 'rejected', decidedBy: 'carol', reason: 'the order is already packed' });
    expect(writes).toEqual([]);
    await waitFor(
      () => outbound.find((e) => e.event?.conversationId === conversationId && e.event.kind.case === 'handoff'),
      'the hand-off on the customer stream',
    );
    const told = outbound.find(
      (e) =>
        e.event?.conversationId === conversationId &&
        e.event.kind.case === 'reply' &&
        e.event.kind.value.text.includes('could not approve'),
    );
    expect(told?.event?.kind.value).toMatchObject({ text: expect.stringContaining('the order is already packed') });
    // Approving after the rejection does nothing.
    expect((await decide(approval.id, 'carol', true)).alreadyDecided).toBe(true);
    expect(writes).toEqual([]);
  });

  it('refuses an unknown intent or a bar outside 0-1, naming the field', async () => {
    await expect(
      request(
        Rpcs.autonomyPut,
        create(PutAutonomyPolicyRequestSchema, { tenantId: TENANT, bars: [{ intent: 'order_status', passK: 0.5 }] }),
      ),
    ).rejects.toThrow(/bars\[0\]\.intent: "order_status" is not an order flow/);
    const violations = Rpcs.autonomyPut.validate(
      create(PutAutonomyPolicyRequestSchema, { tenantId: TENANT, bars: [{ intent: 'cancel_order', passK: 1.5 }] }),
    );
    expect(violations).toEqual([{ field: 'bars[0].passK', problem: 'must be between 0 and 1' }]);
    await expect(decide(randomUUID(), 'carol', true)).rejects.toMatchObject({ code: 'APPROVAL_NOT_FOUND' });
  });

  it("erases a customer's approval requests with their conversations", async () => {
    const count = async () =>
      Number(
        (await sql.query<{ n: string }>("select count(*) as n from conversation.approvals where customer_id = 'cust-rejected'")).rows[0].n,
      );
    expect(await count()).toBe(1);
    const requestId = randomUUID();
    await driver.bus.publish(
      Topics.erasureCommands,
      create(ErasureCommandSchema, {
        tenantId: TENANT,
        requestId,
        customerId: 'cust-rejected',
        reason: 'customer_request',
        requestedBy: 'test',
        requestedAt: new Date().toISOString(),
      }),
    );
    const report = await waitFor(
      () => reports.find((r) => r.requestId === requestId && r.service === 'conversation'),
      'the erasure report',
    );
    expect(report.removed['conversation.approvals']).toBe(1n);
    expect(report.removed['conversation.conversations']).toBe(1n);
    expect(await count()).toBe(0);
  });

  it('carries out, once, an approved call a crash cut short, before or after the order system was called, and tells the customer', async () => {
    const service = app.get(ApprovalService);
    /** An approval approved by an agent whose process died right after claiming it. */
    const interrupted = async (customerId: string) => {
      const conversationId = randomUUID();
      expect(await confirmCancel(conversationId, customerId)).toMatch(/checks this kind of change/);
      const approval = (await pending()).find((a) => a.conversationId === conversationId)!;
      await sql.query(
        `update conversation.approvals set status = 'approving', decided_by = 'lead-cy', decided_at = now() - interval '1 hour',
           attempted_at = now() - interval '1 hour' where id = $1`,
        [approval.id],
      );
      return { approval, conversationId };
    };
    const told = (conversationId: string) =>
      waitFor(
        () =>
          outbound.find(
            (e) =>
              e.event?.conversationId === conversationId &&
              e.event.kind.case === 'reply' &&
              e.event.kind.value.text.includes(`Order ${EMMA.pending} is now cancelled`),
          ),
        'the outcome on the customer stream',
      );
    const status = async (id: string) =>
      (await request(Rpcs.approvalsList, create(ListApprovalsRequestSchema, { tenantId: TENANT, approvalId: id }))).approvals[0];

    // Cut short before the call: the call is made, once.
    writes.length = 0;
    const before = await interrupted('cust-crash-before');
    // A run that began within the last two turn deadlines may still be going: left alone.
    await sql.query(`update conversation.approvals set attempted_at = now() where id = $1`, [before.approval.id]);
    expect(await service.resumeInterrupted()).toBe(0);
    await sql.query(`update conversation.approvals set attempted_at = now() - interval '1 hour' where id = $1`, [before.approval.id]);
    expect(await service.resumeInterrupted()).toBe(1);
    expect(writes.map((w) => w.operation)).toEqual(['cancel_pending_order']);
    await told(before.conversationId);
    expect(await status(before.approval.id)).toMatchObject({ status: 'approved', decidedBy: 'lead-cy', outcome: 'done: cancelled' });
    expect(await service.resumeInterrupted()).toBe(0);

    // Cut short after the call: the order system answers the repeat under the approval's id from
    // its reply store, so nothing is written twice.
    writes.length = 0;
    const after = await interrupted('cust-crash-after');
    const call = create(ToolCallRequestSchema, {
      tenantId: TENANT,
      conversationId: after.conversationId,
      operation: after.approval.operation,
      argumentsJson: after.approval.argumentsJson,
      verifiedUserId: EMMA_ID,
      confirmed: true,
    });
    await rpc.request(Rpcs.integrationTool, call, { timeoutMs: 30_000, requestId: after.approval.id });
    expect(writes).toHaveLength(1);
    expect(await service.resumeInterrupted()).toBe(1);
    expect(writes).toHaveLength(1);
    await told(after.conversationId);
    expect(await status(after.approval.id)).toMatchObject({ status: 'approved', outcome: 'done: cancelled' });
  });
});
