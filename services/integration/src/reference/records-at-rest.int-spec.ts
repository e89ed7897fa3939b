// Encryption at rest of the integration service's tables, read the way a backup sees them: the raw
// rows of users, orders, webhook endpoints and deliveries hold no email, name, street, secret or
// message text, while the tools still find and return the right records (lookups through the
// blind indexes), and the blind indexes survive a data-key rotation untouched. Rows from before
// encryption: migrations/encrypted-records.int-spec.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConversationLifecycleEventSchema,
  create,
  HandoffRequestedSchema,
  TicketCreatedSchema,
  TicketEventSchema,
  Topics,
} from '@switchboard/contracts';
import { FieldCipher, rotateColumn } from '@switchboard/crypto';
import { quietLogger } from '@switchboard/testing';
import { anOrder, openTestReferenceSystem, pristine, testSealing, type TestReferenceSystem } from '../../test/reference-fixture';
import { OutboundPolicy } from '../outbound/outbound-policy';
import { referenceSystemOn } from '../reference-system';
import { OPERATOR } from '../tools/operation-scope';
import { WebhookHttpClient } from '../webhooks/webhook-http.client';
import { WebhookRepository } from '../webhooks/webhook.repository';
import { WebhookService } from '../webhooks/webhook.service';
import { ReferenceSealing } from './reference-sealing';

const TENANT = 'acme';
let system: TestReferenceSystem;

beforeAll(async () => {
  system = await openTestReferenceSystem();
  await system.seeder.seedReferenceData(TENANT);
});
afterAll(() => system?.close());

const order = anOrder((o) => o.status === 'pending', 'pending order');
const userId = order.user_id;
const user = pristine.users[userId];
const call = (operation: string, args: unknown, tenantId = TENANT) => system.tools.call(tenantId, operation, args, OPERATOR);
const raw = (sql: string, params: unknown[] = []) => system.db.query<Array<Record<string, string>>>(sql, params);

/** Everything stored about one user and one order, as one string, to search for plaintext in. */
const storedRows = async () =>
  [
    ...(await raw('select * from integration.users where tenant_id = $1 and user_id = $2', [TENANT, userId])),
    ...(await raw('select * from integration.orders where tenant_id = $1 and order_id = $2', [TENANT, order.order_id])),
  ]
    .map((row) => JSON.stringify(row))
    .join('\n');

it('stores users and orders encrypted, and the tools find and return them exactly', async () => {
  const stored = await storedRows();
  for (const plaintext of [
    user.email,
    user.name.first_name,
    user.name.last_name,
    user.address.address1,
    user.address.zip,
    Object.keys(user.payment_methods)[0],
    order.items[0].name,
  ]) {
    expect(stored).not.toContain(plaintext);
  }
  const [row] = await raw('select document, email_index, name_zip_index from integration.users where tenant_id = $1 and user_id = $2', [
    TENANT,
    userId,
  ]);
  expect(row.document).toMatch(/^enc:v2:dev:/); // bound to its row
  expect(row.email_index).toMatch(/^[0-9a-f]{64}$/);
  expect(
    (await raw(`select count(*)::int as n from integration.orders where tenant_id = $1 and left(document, 4) <> 'enc:'`, [TENANT]))[0].n,
  ).toBe(0);

  await expect(call('find_user_id_by_email', { email: user.email.toUpperCase() })).resolves.toEqual({ ok: true, result: userId });
  await expect(
    call('find_user_id_by_name_zip', {
      first_name: user.name.first_name.toLowerCase(),
      last_name: user.name.last_name,
      zip: user.address.zip,
    }),
  ).resolves.toEqual({ ok: true, result: userId });
  await expect(call('find_user_id_by_email', { email: 'nobody@example.com' })).resolves.toMatchObject({ ok: false });
  await expect(call('get_user_details', { user_id: userId })).resolves.toEqual({ ok: true, result: user });
  await expect(call('get_order_details', { order_id: order.order_id })).resolves.toEqual({ ok: true, result: order });
  // The same email in another tenant has another index value: an index says nothing across tenants.
  await system.seeder.seedReferenceData('globex');
  const [other] = await raw('select email_index from integration.users where tenant_id = $1 and user_id = $2', ['globex', userId]);
  expect(other.email_index).not.toBe(row.email_index);
});

it('keeps the indexes right when a change moves the user: the new zip finds them, the old does not', async () => {
  const moved = { ...user.address, address1: '1 Quillfeather Lane', zip: '99501' };
  const changed = await call('modify_user_address', { user_id: userId, ...moved });
  expect(changed).toMatchObject({ ok: true, result: { address: moved } });
  expect(await storedRows()).not.toContain('Quillfeather');
  await expect(
    call('find_user_id_by_name_zip', { first_name: user.name.first_name, last_name: user.name.last_name, zip: '99501' }),
  ).resolves.toEqual({ ok: true, result: userId });
  await expect(
    call('find_user_id_by_name_zip', { first_name: user.name.first_name, last_name: user.name.last_name, zip: user.address.zip }),
  ).resolves.toMatchObject({ ok: false });
});

it("refuses an order document swapped into another order's row of the same tenant", async () => {
  const [first, second] = await raw('select order_id, document from integration.orders where tenant_id = $1 order by order_id limit 2', [
    TENANT,
  ]);
  await raw('update integration.orders set document = $3 where tenant_id = $1 and order_id = $2', [
    TENANT,
    second.order_id,
    first.document,
  ]);
  try {
    await expect(system.store.reader(TENANT).order(second.order_id)).rejects.toThrow(
      /integration\.orders\.document: the value does not decrypt .* \(altered, or moved from another row\)/,
    );
    await expect(system.store.reader(TENANT).order(first.order_id)).resolves.toMatchObject({ order_id: first.order_id });
  } finally {
    await raw('update integration.orders set document = $3 where tenant_id = $1 and order_id = $2', [
      TENANT,
      second.order_id,
      second.document,
    ]);
  }
});

it('after a data-key rotation the documents are under the new key and the same blind indexes still find them', async () => {
  const rotatedConfig = {
    NODE_ENV: 'test' as const,
    ENCRYPTION_KEYS: `k2:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_KEY_CURRENT: 'k2',
    ENCRYPTION_KEY_FILE: '',
    ENCRYPTION_AT_REST: 'on' as const,
    BLIND_INDEX_KEY: '',
  };
  const before = await raw('select user_id, email_index from integration.users where tenant_id = $1 order by user_id', [TENANT]);
  const cipher = FieldCipher.fromConfig(rotatedConfig);
  // rotate-keys runs on a pg client, whose answers carry `rows`.
  const pgLike = { query: async (sql: string, params?: unknown[]) => ({ rows: await system.db.query(sql, params) }) };
  const moved = await rotateColumn(
    pgLike,
    cipher,
    { schema: 'integration', table: 'users', column: 'document', key: ['tenant_id', 'user_id'], rowBound: true },
    { batchSize: 97 },
  );
  expect(moved.failed).toEqual([]);
  expect(moved.done).toBeGreaterThanOrEqual(500);
  expect(await raw('select user_id, email_index from integration.users where tenant_id = $1 order by user_id', [TENANT])).toEqual(before);
  expect((await raw(`select count(*)::int as n from integration.users where left(document, 10) <> 'enc:v2:k2:'`))[0].n).toBe(0);

  const rotated = referenceSystemOn(system.db, ReferenceSealing.fromConfig(rotatedConfig), '/unused');
  await expect(rotated.tools.call(TENANT, 'find_user_id_by_email', { email: user.email }, OPERATOR)).resolves.toEqual({
    ok: true,
    result: userId,
  });
  await expect(rotated.tools.call(TENANT, 'get_user_details', { user_id: userId }, OPERATOR)).resolves.toMatchObject({
    ok: true,
    result: { email: user.email },
  });
});

it('refuses to start in production without BLIND_INDEX_KEY, naming it, and rejects a short key', () => {
  const production = {
    NODE_ENV: 'production' as const,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_KEY_CURRENT: '',
    ENCRYPTION_KEY_FILE: '',
    BLIND_INDEX_KEY: '',
  };
  expect(() => ReferenceSealing.fromConfig(production)).toThrow(/BLIND_INDEX_KEY: required in production/);
  expect(() => ReferenceSealing.fromConfig({ ...production, BLIND_INDEX_KEY: randomBytes(16).toString('base64') })).toThrow(
    /BLIND_INDEX_KEY: must be 32 bytes/,
  );
  expect(() => ReferenceSealing.fromConfig({ ...production, BLIND_INDEX_KEY: randomBytes(32).toString('base64') })).not.toThrow();
});

it('stores webhook secrets and payloads encrypted, with the customer and conversation beside them, and delivers them in clear', async () => {
  const cipher = testSealing().cipher;
  const store = new WebhookRepository(system.db, cipher);
  const outbound = OutboundPolicy.fromConfig({ NODE_ENV: 'test', OUTBOUND_ALLOWED_ADDRESSES: '127.0.0.1' });
  const webhooks = new WebhookService(
    store,
    new WebhookHttpClient(outbound, 1000),
    { baseMs: 1000, maxDelayMs: 1000, maxAttempts: 1, timeoutMs: 1000 },
    outbound,
    quietLogger(),
  );
  const secret = `whsec_${randomUUID()}`;
  await store.createEndpoint({
    tenantId: TENANT,
    endpointId: randomUUID(),
    url: 'http://127.0.0.1:9/hook',
    eventTypes: [],
    secret,
    description: '',
  });
  const conversationId = randomUUID();
  const summary = 'Customer Bartholomew Quince wants a refund for the lighthouse lamp';
  const ticket = create(TicketEventSchema, {
    tenantId: TENANT,
    ticketId: randomUUID(),
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: {
      case: 'created',
      value: create(TicketCreatedSchema, {
        conversationId,
        customerId: 'cust-quince',
        department: 'orders',
        priority: 'high',
        summary,
        reason: 'customer asked',
      }),
    },
  });
  const handoff = create(ConversationLifecycleEventSchema, {
    tenantId: TENANT,
    conversationId,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: { case: 'handoffRequested', value: create(HandoffRequestedSchema, { customerId: 'cust-quince', summary }) },
  });
  expect(await webhooks.onEvent(Topics.ticketEvents, ticket)).toBe(1);
  expect(await webhooks.onEvent(Topics.conversationEvents, handoff)).toBe(1);

  const endpoints = await raw('select * from integration.webhook_endpoints where tenant_id = $1', [TENANT]);
  const deliveries = await raw('select * from integration.webhook_deliveries where tenant_id = $1 order by topic', [TENANT]);
  const stored = JSON.stringify([...endpoints, ...deliveries]);
  expect(stored).not.toContain(secret);
  expect(stored).not.toContain('Quince');
  expect(stored).not.toContain('lighthouse');
  expect(endpoints[0].secret).toMatch(/^enc:v2:dev:/); // bound to its endpoint
  // Each payload is bound to its delivery.
  expect(deliveries.map((d) => [d.payload.slice(0, 11), d.customer_id, d.conversation_id])).toEqual([
    ['enc:v2:dev:', 'cust-quince', conversationId],
    ['enc:v2:dev:', 'cust-quince', conversationId],
  ]);

  // The poller gets them decrypted: the exact event JSON, signed with the secret itself.
  const due = await store.claimDue(10, 60_000);
  expect(due.map((d) => JSON.parse(d.payload).eventId).sort()).toEqual([ticket.eventId, handoff.eventId].sort());
  expect(due.every((d) => d.secret === secret && d.unreadable === undefined)).toBe(true);
});
