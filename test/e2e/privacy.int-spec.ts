// The right to erasure and retention periods through the public API and every service: two
// customers of the demo tenant and one of another tenant (with the same customer id) talk, one is
// handed to a person (a ticket); erasing her over REST removes her rows and Redis keys everywhere,
// with a report from every service, and leaves the others untouched; erasing again reports zeros.
// Then a retention policy: the sweep erases a conversation whose last message is older than the
// period, keeps the recent one, and drops old attachment references.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Topics, type ErasureCommand } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import { ChatClient, type ChatEvent } from '../../cli/src/chat/chat.client';
import { program } from '../../cli/src/main';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);
const ANN = `cust-ann-${RUN}`;
const BOB = `cust-bob-${RUN}`;
const DAVE = `cust-dave-${RUN}`;
const ANN_EMAIL = 'yara.li6570@example.com';
const OTHER_TENANT = `privacy-other-${RUN}`;

describe('privacy: erasure and retention', () => {
  let t: TestStack;
  let redis: Redis;
  let observer: Awaited<ReturnType<typeof connectTestBus>>;
  const commands: ErasureCommand[] = [];

  beforeAll(async () => {
    t = await startTestStack({ env: { RETENTION_SWEEP_MS: '2000', ERASURE_WAIT_MS: '30000' } });
    redis = t.redis();
    observer = await connectTestBus('e2e-privacy-observer', t.namespace);
    await observer.bus.subscribe(Topics.erasureCommands, async ({ message }) => void commands.push(message));
  }, 180_000);

  afterAll(async () => {
    redis?.disconnect();
    await observer?.close();
    await t?.close();
  });

  const rows = async (sql: string, params: unknown[]) =>
    Number((await t.db.query(`select count(*)::int as n from ${sql}`, params)).rows[0].n);
  const erase = (body: unknown, key = t.apiKey) => t.rest('POST', '/v1/privacy/erasures', { key, json: body });

  /** Runs `switchboard …` in-process against this stack's Kafka namespace; returns what it printed. */
  async function cli(...args: string[]): Promise<string> {
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    process.env.KAFKA_NAMESPACE = t.namespace;
    try {
      await program().parseAsync(['node', 'switchboard', ...args]);
    } finally {
      log.mockRestore();
      delete process.env.KAFKA_NAMESPACE;
    }
    return printed.join('\n');
  }

  it("erases one customer's data in every service and reports it; others are untouched; again reports zeros", async () => {
    const otherKey = await t.createTenant(OTHER_TENANT, ['chat', 'kb:admin']);
    const other = new ChatClient(t.stack.grpcAddress, otherKey);
    const otherEvents: ChatEvent[] = [];
    // The same customer id in another tenant is another person.
    for await (const e of other.converse({
      clientMessageId: randomUUID(),
      customerId: ANN,
      channel: 'web',
      locale: 'en-US',
      text: 'Hello, what are your opening hours?',
    }))
      otherEvents.push(e);
    other.close();
    const otherConversation = otherEvents[0].conversationId;
    const bob = await t.say(BOB, undefined, 'What is your return policy?');

    const first = await t.say(ANN, undefined, 'Hi, where is my order?');
    const ann = first.conversationId;
    await t.say(ANN, ann, `my email is ${ANN_EMAIL}`);
    const handoff = await t.say(ANN, ann, 'I would like to talk to a human agent please');
    expect(handoff.handoff?.reason).toBe('customer_asked');
    await waitFor(
      async () => (await rows('ticketing.tickets where tenant_id = $1 and customer_id = $2', [DEMO_TENANT, ANN])) === 1,
      'her ticket',
    );

    const annKeys = [`t:${DEMO_TENANT}:conv:${ann}:state`, `t:${DEMO_TENANT}:customer:${ANN}:known`, `t:${DEMO_TENANT}:rl:customer:${ANN}`];
    expect(await redis.exists(...annKeys)).toBe(3);
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [DEMO_TENANT, ann])).toBe(6);

    // Bad input names the field and publishes nothing; only an admin may erase.
    const missing = await erase({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('customerId');
    const extra = await erase({ customerId: ANN, conversationIds: [ann] });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('conversationIds');
    expect((await erase({ customerId: ANN }, 'sb_not_a_key')).status).toBe(401);

    const erased = await erase({ customerId: ANN });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ complete: true, missing: [] });
    expect(erased.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { reports } = erased.body;
    expect(Object.keys(reports).sort()).toEqual(['analytics', 'conversation', 'gateway', 'integration', 'ticketing']);
    expect(reports.conversation.removed).toMatchObject({
      'conversation.conversations': 1,
      'conversation.messages': 6,
      'redis:dialogue_state': 1,
      'redis:known_customer': 1,
    });
    expect(reports.conversation.removed['conversation.outbox']).toBeGreaterThan(0);
    expect(reports.ticketing.removed).toMatchObject({ 'ticketing.tickets': 1 });
    expect(reports.ticketing.kept.join(' ')).toContain('ticketing.audit_events');
    // Her conversation's owner record leads the gateway to its reply stream as well.
    expect(reports.gateway.removed).toEqual({
      'redis:rate_limit_window': 1,
      'postgres:conversation_owner': 1,
      'redis:conversation_stream': 1,
    });

    // Nothing of hers is left in Postgres or Redis.
    expect(await rows('conversation.conversations where tenant_id = $1 and customer_id = $2', [DEMO_TENANT, ANN])).toBe(0);
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [DEMO_TENANT, ann])).toBe(0);
    expect(
      await rows(`conversation.outbox where tenant_id = $1 and (key = $2 or headers->>'sb-conversation-id' = $2)`, [DEMO_TENANT, ann]),
    ).toBe(0);
    expect(
      await rows('ticketing.tickets where tenant_id = $1 and (customer_id = $2 or conversation_id = $3)', [DEMO_TENANT, ANN, ann]),
    ).toBe(0);
    expect(await rows("ticketing.outbox where tenant_id = $1 and headers->>'sb-conversation-id' = $2", [DEMO_TENANT, ann])).toBe(0);
    expect(await redis.exists(...annKeys)).toBe(0);

    // Bob, and the other tenant's customer with her id, keep everything.
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [DEMO_TENANT, bob.conversationId])).toBe(2);
    expect(await redis.exists(`t:${DEMO_TENANT}:conv:${bob.conversationId}:state`)).toBe(1);
    expect(await rows('conversation.conversations where tenant_id = $1 and customer_id = $2', [OTHER_TENANT, ANN])).toBe(1);
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [OTHER_TENANT, otherConversation])).toBe(2);
    expect(await redis.exists(`t:${OTHER_TENANT}:conv:${otherConversation}:state`)).toBe(1);

    // A second erasure finds nothing and says so.
    const again = await erase({ customerId: ANN });
    expect(again.status).toBe(200);
    for (const [service, report] of Object.entries(again.body.reports as Record<string, { removed: Record<string, number> }>)) {
      expect({ service, removed: Object.values(report.removed).filter((n) => n !== 0) }).toEqual({ service, removed: [] });
    }
    const requested = commands.filter((c) => c.reason === 'customer_request');
    expect(requested.map((c) => c.requestId).sort()).toEqual([erased.body.requestId, again.body.requestId].sort());
    expect(requested[0]).toMatchObject({ tenantId: DEMO_TENANT, customerId: ANN, conversationIds: [] });

    // The operator's CLI erases the other tenant's customer the same way.
    const printed = JSON.parse(await cli('privacy', 'erase', '--tenant', OTHER_TENANT, '--customer', ANN, '--json'));
    expect(printed).toMatchObject({
      complete: true,
      missing: [],
      reports: { conversation: { removed: { 'conversation.conversations': 1, 'conversation.messages': 2 } } },
    });
    expect(await rows('conversation.conversations where tenant_id = $1', [OTHER_TENANT])).toBe(0);
  }, 180_000);

  it('enforces a retention policy: an old conversation is erased everywhere, a recent one kept, old attachment references dropped', async () => {
    expect(
      (await t.rest('PUT', '/v1/privacy/retention', { key: t.apiKey, json: { conversationDays: 30, attachmentDays: -1 } })).body.error
        .message,
    ).toContain('attachmentDays');
    const put = await t.rest('PUT', '/v1/privacy/retention', { key: t.apiKey, json: { conversationDays: 30, attachmentDays: 7 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ tenantId: DEMO_TENANT, conversationDays: 30, attachmentDays: 7 });
    expect((await t.rest('GET', '/v1/privacy/retention', { key: t.apiKey })).body).toEqual(put.body);
    expect(await cli('privacy', 'retention', '--tenant', DEMO_TENANT)).toContain(
      'conversations (messages, tickets, notes): kept 30 days after their last message',
    );

    const old = (await t.say(DAVE, undefined, 'Do you ship to Canada?')).conversationId;
    const recent = (await t.say(BOB, undefined, 'Do you sell gift cards?')).conversationId;
    const attachment = { name: 'receipt.png', contentType: 'image/png', url: 'https://files.example.com/receipt.png', sizeBytes: 2048 };
    const withAttachment: ChatEvent[] = [];
    for await (const e of t.chat.converse({
      clientMessageId: randomUUID(),
      conversationId: recent,
      customerId: BOB,
      channel: 'web',
      locale: 'en-US',
      text: 'Here is my receipt',
      attachments: [attachment],
    }))
      withAttachment.push(e);
    const receiptTurn = withAttachment[0].turnId;
    expect(
      await rows(`conversation.messages where tenant_id = $1 and id = $2 and metadata->>'attachments' = '1'`, [DEMO_TENANT, receiptTurn]),
    ).toBe(1);

    // Dave last wrote 40 days ago; Bob's receipt came 10 days ago, but he wrote since.
    await t.db.query(
      `update conversation.messages set created_at = now() - interval '40 days' where tenant_id = $1 and conversation_id = $2`,
      [DEMO_TENANT, old],
    );
    await t.db.query(`update conversation.conversations set updated_at = now() - interval '40 days' where tenant_id = $1 and id = $2`, [
      DEMO_TENANT,
      old,
    ]);
    await t.db.query(`update conversation.messages set created_at = now() - interval '10 days' where tenant_id = $1 and id = $2`, [
      DEMO_TENANT,
      receiptTurn,
    ]);

    await waitFor(
      async () => (await rows('conversation.conversations where tenant_id = $1 and id = $2', [DEMO_TENANT, old])) === 0,
      'the sweep to erase the old conversation',
      60_000,
    );
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [DEMO_TENANT, old])).toBe(0);
    await waitFor(
      async () => (await redis.exists(`t:${DEMO_TENANT}:conv:${old}:state`, `t:${DEMO_TENANT}:conv:${old}:events`)) === 0,
      "the old conversation's Redis state and stream erased",
    );
    const retention = commands.find((c) => c.reason === 'retention' && c.conversationIds.includes(old));
    expect(retention).toMatchObject({ tenantId: DEMO_TENANT, customerId: '', requestedBy: 'retention' });
    expect(retention!.conversationIds).not.toContain(recent);

    expect(await rows('conversation.conversations where tenant_id = $1 and id = $2', [DEMO_TENANT, recent])).toBe(1);
    await waitFor(
      async () =>
        (await rows(`conversation.messages where tenant_id = $1 and id = $2 and not metadata ? 'attachments'`, [
          DEMO_TENANT,
          receiptTurn,
        ])) === 1,
      'the old attachment reference dropped',
    );
    expect(await rows('conversation.messages where tenant_id = $1 and conversation_id = $2', [DEMO_TENANT, recent])).toBe(4);
    expect(t.logs()).toContain('retention sweep done');
  }, 180_000);
});
