// Encryption at rest, end to end on a database of its own: content written through the services'
// repositories is ciphertext in the raw rows, `switchboard security rotate-keys` (the built CLI, as
// an operator runs it) moves every value of every encrypted column, legacy plaintext included, to
// the new key, and the repositories still read it all. The same for the values in Redis, on a Redis
// database of its own (rotate-keys rewrites every tenant's keys it finds there).
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { namespacedPattern, withoutNamespace } from '@switchboard/config';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ConversationEventSchema, create, type InboundTurn } from '@switchboard/contracts';
import { FieldCipher, keyringFromConfig, type EncryptionConfig } from '@switchboard/crypto';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, infra, quietLogger } from '@switchboard/testing';
// The CLI may use services (cli -> services -> libs); this test seeds each service's own tables and
// Redis values through that service's repositories and migrations, which no package entry exports.
/* eslint-disable @nx/enforce-module-boundaries */
import { TakeoverRepository } from '../../../services/conversation/src/agents/takeover.repository';
import type { ConversationConfig } from '../../../services/conversation/src/config';
import { emptyState } from '../../../services/conversation/src/dialogue/dialogue-state';
import { DialogueStateStore } from '../../../services/conversation/src/dialogue/dialogue-state.store';
import { Tenants1732500000000 } from '../../../services/gateway/src/migrations/1732500000000-tenants';
import { Users1768000000000 } from '../../../services/gateway/src/migrations/1768000000000-users';
import { AuditOutbox1770000000000 } from '../../../services/gateway/src/migrations/1770000000000-audit-outbox';
import { ConversationStreamStore } from '../../../services/gateway/src/streams/conversation-stream.store';
import { ConversationRepository } from '../../../services/conversation/src/conversations/conversation.repository';
import { Conversations1732500000000 } from '../../../services/conversation/src/migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from '../../../services/conversation/src/migrations/1764000000000-intent-examples';
import { AgentTakeover1766000000000 } from '../../../services/conversation/src/migrations/1766000000000-agent-takeover';
import { ConversationRatings1785000000001 } from '../../../services/conversation/src/migrations/1785000000001-conversation-ratings';
import { SurveyOffers1786500000000 } from '../../../services/conversation/src/migrations/1786500000000-survey-offers';
import { Autonomy1790000000000 } from '../../../services/conversation/src/migrations/1790000000000-autonomy';
import { AnalyticsFacts1785000000000 } from '../../../services/analytics/src/migrations/1785000000000-analytics-facts';
import { Tickets1732500000000 } from '../../../services/ticketing/src/migrations/1732500000000-tickets';
import { TicketLifecycle1766000000000 } from '../../../services/ticketing/src/migrations/1766000000000-ticket-lifecycle';
import { TicketRepository } from '../../../services/ticketing/src/tickets/ticket.repository';
import { integrationDatabase, referenceSystemOn } from '../../../services/integration/src/reference-system';
import { ReferenceSealing } from '../../../services/integration/src/reference/reference-sealing';
import { WebhookRepository } from '../../../services/integration/src/webhooks/webhook.repository';
/* eslint-enable @nx/enforce-module-boundaries */
import { repoRoot } from '../paths';
import { ENCRYPTED_COLUMNS, ENCRYPTED_REDIS_VALUES } from './security.command';

// A Redis database no other test uses: rotate-keys rewrites every key it finds in its database.
const REDIS_URL = infra.redisUrl().replace(/\/\d*$/, '') + '/13';
// In a namespace, as a deployment with REDIS_NAMESPACE keeps its keys: rotation finds them under it
// and binds each value to the key as the services name it (without the namespace).
const REDIS_NAMESPACE = 'rotation.';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const withKeys = (keys: string, current: string): EncryptionConfig => ({
  NODE_ENV: 'test',
  ENCRYPTION_KEYS: keys,
  ENCRYPTION_KEY_CURRENT: current,
  ENCRYPTION_KEY_FILE: '',
  ENCRYPTION_AT_REST: 'on',
});
const beforeRotation = withKeys(k1, 'k1');
const afterRotation = withKeys(`${k2},${k1}`, 'k2');

const TENANT = 'acme';
const SECRETS = {
  customer: 'My email is jane.doe@example.com and my card ends 4242',
  bot: 'Thanks Jane, I found order #W1234567',
  agent: 'Hi Jane, Sam here, refunding #W1234567 now',
  summary: 'Customer jane.doe@example.com wants a refund for #W1234567',
  note: 'Called Jane on +1 555 0100, refund approved',
  legacy: 'An old plaintext message from before encryption',
  v1: 'A message encrypted before values named their row',
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let conversationDb: DataSource;
let ticketingDb: DataSource;
let integrationDb: DataSource;
let gatewayDb: DataSource;
let analyticsDb: DataSource;
let raw: Client;
let redis: Redis;
const conversationId = randomUUID();
const ticketId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase();
  conversationDb = await openDatabase(
    {
      url: database.url,
      schema: 'conversation',
      entities: [],
      migrations: [
        Conversations1732500000000,
        IntentExamples1764000000000,
        AgentTakeover1766000000000,
        ConversationRatings1785000000001,
        SurveyOffers1786500000000,
        Autonomy1790000000000,
      ],
    },
    quietLogger(),
  );
  ticketingDb = await openDatabase(
    { url: database.url, schema: 'ticketing', entities: [], migrations: [Tickets1732500000000, TicketLifecycle1766000000000] },
    quietLogger(),
  );
  integrationDb = await openDatabase({ ...integrationDatabase, url: database.url }, quietLogger());
  gatewayDb = await openDatabase(
    {
      url: database.url,
      schema: 'gateway',
      entities: [],
      migrations: [Tenants1732500000000, Users1768000000000, AuditOutbox1770000000000],
    },
    quietLogger(),
  );
  analyticsDb = await openDatabase(
    { url: database.url, schema: 'analytics', entities: [], migrations: [AnalyticsFacts1785000000000] },
    quietLogger(),
  );
  raw = new Client({ connectionString: database.url });
  await raw.connect();
  // Lazy, as the services' client is: the stream store connects its own duplicate for XREAD BLOCK.
  redis = new Redis(REDIS_URL, { lazyConnect: true, keyPrefix: REDIS_NAMESPACE });
  await redis.connect();
  await redis.flushdb();
});
afterAll(async () => {
  await redis?.flushdb();
  redis?.disconnect();
  await raw?.end();
  await conversationDb?.destroy();
  await ticketingDb?.destroy();
  await integrationDb?.destroy();
  await gatewayDb?.destroy();
  await analyticsDb?.destroy();
  await database?.drop();
});

const rawValues = async () =>
  [
    ...(await raw.query('select content as v from conversation.messages')).rows,
    ...(await raw.query('select summary as v from ticketing.tickets')).rows,
    ...(await raw.query('select text as v from ticketing.ticket_notes')).rows,
  ].map((r: { v: string }) => r.v);

/** A one-customer tau-retail shop, so the reference CRM has a user and an order to encrypt. */
function tinyShop(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tau-retail-'));
  const address = { address1: '17 Lantern Row', address2: '', city: 'Austin', country: 'USA', state: 'TX', zip: '78701' };
  const write = (name: string, records: unknown) => writeFileSync(path.join(dir, name), JSON.stringify(records));
  write('users.json', {
    jane_doe_1: {
      name: { first_name: 'Jane', last_name: 'Doe' },
      address,
      email: 'jane.doe@example.com',
      payment_methods: { paypal_1: { source: 'paypal', id: 'paypal_1' } },
      orders: ['#W1234567'],
    },
  });
  write('orders.json', {
    '#W1234567': {
      order_id: '#W1234567',
      user_id: 'jane_doe_1',
      address,
      items: [],
      fulfillments: [],
      status: 'pending',
      payment_history: [],
    },
  });
  write('products.json', { '1': { name: 'Lamp', product_id: '1', variants: {} } });
  return dir;
}

/** Outbox rows as the outboxes write them: the event JSON encrypted for `<schema>.outbox.payload`, bound to the row's id. */
async function stageOutboxRow(schema: 'conversation' | 'ticketing' | 'gateway' | 'analytics', cipher: FieldCipher, text: string) {
  const id = randomUUID();
  await raw.query(`insert into ${schema}.outbox (id, tenant_id, topic, key, payload, headers) values ($1, $2, 'events', $2, $3, '{}')`, [
    id,
    TENANT,
    cipher.encrypt(JSON.stringify({ tenantId: TENANT, summary: text }), { tenantId: TENANT, column: `${schema}.outbox.payload`, row: id }),
  ]);
}

/** Every value of every encrypted column rotate-keys knows, with its tenant, column and (row-bound columns) row. */
async function everyEncryptedValue() {
  const values: Array<{ column: string; tenantId: string; value: string; row?: string; rowBound: boolean }> = [];
  for (const c of Object.values(ENCRYPTED_COLUMNS).flat()) {
    const column = `${c.schema}.${c.table}.${c.column}`;
    const rowKey = (c.key ?? ['tenant_id', 'id']).slice(1);
    const { rows } = await raw.query(`select tenant_id, ${rowKey.join(', ')}, ${c.column} as value from ${c.schema}.${c.table}`);
    values.push(
      ...rows.map((r: Record<string, string>) => ({
        column,
        tenantId: r.tenant_id,
        value: r.value,
        row: c.rowBound ? rowKey.map((k) => r[k]).join('/') : undefined,
        rowBound: c.rowBound === true,
      })),
    );
  }
  return values;
}

/** Under key `k`: v2 (bound to the row) for row-bound columns, v1 for the others. */
const underKey = (v: { value: string; rowBound: boolean }, k: string) => v.value.startsWith(`enc:${v.rowBound ? 'v2' : 'v1'}:${k}:`);

function rotateKeys(config: EncryptionConfig, args: string[] = []) {
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_NAMESPACE,
    NODE_ENV: 'test',
    ENCRYPTION_KEYS: config.ENCRYPTION_KEYS,
    ENCRYPTION_KEY_CURRENT: config.ENCRYPTION_KEY_CURRENT,
  };
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin/switchboard.js'), 'security', 'rotate-keys', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

it('stores no plaintext, and after rotate-keys every value is under the new key and still reads', async () => {
  const conversations = new ConversationRepository(conversationDb, beforeRotation);
  const takeover = new TakeoverRepository(conversationDb, beforeRotation);
  const tickets = new TicketRepository(ticketingDb, beforeRotation);
  const turn = {
    tenantId: TENANT,
    conversationId,
    turnId: randomUUID(),
    customerId: 'c-1',
    channel: 'web',
    locale: 'en-US',
    text: SECRETS.customer,
    clientMessageId: randomUUID(),
    attachments: [],
    offerSurveyOnResolve: false,
  } as unknown as InboundTurn;
  await conversations.recordCustomerMessage(turn);
  await conversations.recordReply(turn, { text: SECRETS.bot, mode: 'extractive', grounded: true, sources: [] }, async () => undefined);
  await conversationDb.transaction((m) =>
    takeover.insertAgentMessage(m, {
      tenantId: TENANT,
      id: randomUUID(),
      conversationId,
      turnId: turn.turnId,
      text: SECRETS.agent,
      agentId: 'sam',
    }),
  );
  // A row written before encryption existed, and one written before values were bound to their row (v1).
  await raw.query(
    `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content) values ($1, $2, $3, $2, 'customer', $4)`,
    [TENANT, randomUUID(), conversationId, SECRETS.legacy],
  );
  const v1Cipher = new FieldCipher(keyringFromConfig(beforeRotation));
  await raw.query(
    `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content) values ($1, $2, $3, $2, 'customer', $4)`,
    [TENANT, randomUUID(), conversationId, v1Cipher.encrypt(SECRETS.v1, { tenantId: TENANT, column: 'conversation.messages.content' })],
  );
  await ticketingDb.transaction(async (m) => {
    await tickets.insert(m, {
      tenantId: TENANT,
      id: ticketId,
      conversationId,
      customerId: 'c-1',
      department: 'orders',
      priority: 'normal',
      reason: 'customer_asked',
      summary: SECRETS.summary,
      dueAt: null,
      locale: 'en-US',
      intent: 'refund',
      tier: '',
      sourceEventId: randomUUID(),
    });
    await tickets.addNote(m, TENANT, ticketId, { id: randomUUID(), author: 'sam', text: SECRETS.note });
  });

  // The integration service's reference CRM (a legacy plaintext user too) and webhook tables.
  const sealing = ReferenceSealing.fromConfig({ ...beforeRotation, BLIND_INDEX_KEY: '' });
  await referenceSystemOn(integrationDb, sealing, tinyShop()).seeder.seedReferenceData(TENANT);
  await raw.query('insert into integration.users (tenant_id, user_id, document) values ($1, $2, $3)', [
    TENANT,
    'legacy_1',
    JSON.stringify({ email: 'old.customer@example.com' }),
  ]);
  const webhooks = new WebhookRepository(integrationDb, sealing.cipher);
  await webhooks.createEndpoint({
    tenantId: TENANT,
    endpointId: randomUUID(),
    url: 'https://hooks.example.com/a',
    eventTypes: [],
    secret: 'whsec_tangerine',
    description: '',
  });
  await webhooks.enqueue({
    tenantId: TENANT,
    topic: 'ticket.events.v1',
    eventId: randomUUID(),
    eventType: 'ticket.created',
    wildcard: 'ticket.*',
    payload: JSON.stringify({ summary: SECRETS.summary }),
    customerId: 'c-1',
  });
  const k1Cipher = new FieldCipher(keyringFromConfig(beforeRotation));
  await stageOutboxRow('conversation', k1Cipher, SECRETS.bot);
  // A customer's rating comment, as the rating service stores it.
  await raw.query(
    'insert into conversation.ratings (tenant_id, conversation_id, customer_id, rating, comment) values ($1, $2, $3, 4, $4)',
    [
      TENANT,
      conversationId,
      'c-1',
      k1Cipher.encrypt('Quick and kind, thanks', { tenantId: TENANT, column: 'conversation.ratings.comment' }),
    ],
  );
  // An action waiting for a person's approval: its call and the confirmation the customer agreed to.
  const approvalId = randomUUID();
  await raw.query(
    `insert into conversation.approvals (tenant_id, id, conversation_id, customer_id, turn_id, language, intent, operation, arguments,
       confirmation, verified_user_id, why) values ($1, $2, $3, 'c-1', 'turn-1', 'en', 'cancel_order', 'cancel_pending_order', $4, $5, 'u-1', 'not measured')`,
    [
      TENANT,
      approvalId,
      conversationId,
      k1Cipher.encrypt('{"order_id":"#W1"}', { tenantId: TENANT, column: 'conversation.approvals.arguments' }),
      k1Cipher.encrypt('To confirm: cancel order #W1', { tenantId: TENANT, column: 'conversation.approvals.confirmation' }),
    ],
  );
  await stageOutboxRow('ticketing', k1Cipher, SECRETS.note);
  await stageOutboxRow('gateway', k1Cipher, 'ticket.read by sam');
  await stageOutboxRow('analytics', k1Cipher, 'erasure report');

  const stored = await rawValues();
  expect(stored).toHaveLength(7);
  const everything = await everyEncryptedValue();
  // Every listed column has a value to rotate, and only the two legacy rows are plaintext.
  expect(new Set(everything.map((v) => v.column)).size).toBe(Object.values(ENCRYPTED_COLUMNS).flat().length);
  expect(
    everything
      .filter((v) => !underKey(v, 'k1') && !v.value.startsWith('enc:v1:k1:'))
      .map((v) => v.value)
      .sort(),
  ).toEqual([SECRETS.legacy, JSON.stringify({ email: 'old.customer@example.com' })].sort());
  expect(JSON.stringify(everything.map((v) => v.value))).not.toMatch(/jane\.doe|Lantern|whsec_tangerine|W1234567|555 0100/i);
  const joined = stored.join('\n');
  for (const [what, secret] of Object.entries(SECRETS)) {
    if (what === 'legacy' || what === 'v1') continue;
    expect(joined).not.toContain(secret);
  }
  expect(joined).not.toMatch(/jane\.doe|4242|W1234567|555 0100/i);
  // Message contents, ticket summaries and notes are bound to their row (v2); the v1 message is legacy.
  expect(stored.filter((v) => v.startsWith('enc:v2:k1:'))).toHaveLength(5);
  expect(stored.filter((v) => v.startsWith('enc:v1:k1:'))).toHaveLength(1);
  expect(stored).toContain(SECRETS.legacy);

  // Readers see plaintext, the legacy rows included.
  expect((await conversations.transcript(TENANT, conversationId)).map((l) => l.content).sort()).toEqual(
    [SECRETS.customer, SECRETS.bot, SECRETS.agent, SECRETS.legacy, SECRETS.v1].sort(),
  );
  expect((await tickets.find(TENANT, ticketId))?.summary).toBe(SECRETS.summary);

  // Rotate in batches of 2, so the cursor crosses batches.
  const rotated = rotateKeys(afterRotation, ['--service', 'all', '--batch-size', '2']);
  expect(rotated.status).toBe(0);
  expect(rotated.stdout).toContain('conversation.messages.content: 5 re-encrypted under "k2"');
  expect(rotated.stdout).toContain('ticketing.tickets.summary: 1 re-encrypted under "k2"');
  expect(rotated.stdout).toContain('ticketing.ticket_notes.text: 1 re-encrypted under "k2"');
  for (const column of [
    'conversation.outbox.payload',
    'ticketing.outbox.payload',
    'gateway.outbox.payload',
    'integration.orders.document',
    'integration.webhook_endpoints.secret',
    'integration.webhook_deliveries.payload',
  ]) {
    expect(rotated.stdout).toContain(`${column}: 1 re-encrypted under "k2"`);
  }
  expect(rotated.stdout).toContain('integration.users.document: 2 re-encrypted under "k2"');
  const after = await rawValues();
  expect(after.every((v) => v.startsWith('enc:v2:k2:'))).toBe(true);
  expect(after.join('\n')).not.toContain(SECRETS.legacy);
  // On the raw rows: every value of every encrypted column is under k2 and decrypts with the new keys.
  const newKeys = new FieldCipher(keyringFromConfig(afterRotation));
  const rotatedValues = await everyEncryptedValue();
  expect(rotatedValues).toHaveLength(everything.length);
  for (const v of rotatedValues) {
    expect({ column: v.column, prefix: v.value.slice(0, 10) }).toEqual({
      column: v.column,
      prefix: v.rowBound ? 'enc:v2:k2:' : 'enc:v1:k2:',
    });
    expect(() => newKeys.decrypt(v.value, { tenantId: v.tenantId, column: v.column, row: v.row })).not.toThrow();
  }
  // The reference CRM still finds its customer by email (the blind index did not change) and reads her.
  const reference = referenceSystemOn(integrationDb, ReferenceSealing.fromConfig({ ...afterRotation, BLIND_INDEX_KEY: '' }), '/unused');
  await expect(
    reference.tools.call(TENANT, 'find_user_id_by_email', { email: 'jane.doe@example.com' }, { kind: 'operator' }),
  ).resolves.toEqual({ ok: true, result: 'jane_doe_1' });
  await expect(reference.tools.call(TENANT, 'get_order_details', { order_id: '#W1234567' }, { kind: 'operator' })).resolves.toMatchObject({
    ok: true,
    result: { user_id: 'jane_doe_1' },
  });

  // A second run finds nothing left: the job resumes where the data says it stopped.
  expect(rotateKeys(afterRotation).stdout).toContain('conversation.messages.content: 0 re-encrypted');

  // The services, configured with the new key, read everything; the old key alone no longer can.
  const reader = new TakeoverRepository(conversationDb, afterRotation);
  expect((await reader.transcript(TENANT, conversationId)).map((l) => l.text).sort()).toEqual(
    [SECRETS.customer, SECRETS.bot, SECRETS.agent, SECRETS.legacy, SECRETS.v1].sort(),
  );
  const ticketReader = new TicketRepository(ticketingDb, afterRotation);
  expect((await ticketReader.list(TENANT, { limit: 10 }))[0].summary).toBe(SECRETS.summary);
  expect((await ticketReader.notes(TENANT, ticketId)).map((n) => n.text)).toEqual([SECRETS.note]);
  await expect(new TicketRepository(ticketingDb, withKeys(k1, 'k1')).notes(TENANT, ticketId)).rejects.toThrow(
    /no encryption key with id "k2"/,
  );
});

it("refuses a value copied into another tenant's row", async () => {
  const tickets = new TicketRepository(ticketingDb, afterRotation);
  const [{ summary }] = (await raw.query('select summary from ticketing.tickets where id = $1', [ticketId])).rows;
  const otherId = randomUUID();
  await raw.query(
    `insert into ticketing.tickets (tenant_id, id, conversation_id, customer_id, department, priority, reason, summary, source_event_id) values ('globex', $1, $2, 'c-9', 'orders', 'normal', 'x', $3, $4)`,
    [otherId, randomUUID(), summary, randomUUID()],
  );
  await expect(tickets.find('globex', otherId)).rejects.toThrow(/does not decrypt with key "k2" for tenant "globex"/);
});

it('refuses a message, rating comment, ticket summary, note, webhook payload or reply-stream entry copied into another row of the same tenant', async () => {
  const moved = /does not decrypt with key "k2" for tenant "acme" \(altered, or moved from another row\)/;
  // A message copied into another conversation.
  const conversations = new ConversationRepository(conversationDb, afterRotation);
  const [message] = (
    await raw.query(`select content from conversation.messages where tenant_id = $1 and conversation_id = $2 and role = 'bot'`, [
      TENANT,
      conversationId,
    ])
  ).rows;
  const otherConversation = randomUUID();
  const messageCopy = randomUUID();
  await raw.query(
    `insert into conversation.conversations (tenant_id, id, customer_id, channel, locale) values ($1, $2, 'c-9', 'web', 'en-US')`,
    [TENANT, otherConversation],
  );
  await raw.query(
    `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content) values ($1, $2, $3, $2, 'customer', $4)`,
    [TENANT, messageCopy, otherConversation, message.content],
  );
  await expect(conversations.transcript(TENANT, otherConversation)).rejects.toThrow(moved);
  await expect(conversations.transcript(TENANT, conversationId)).resolves.toHaveLength(5);

  // A rating comment copied onto the other conversation's rating (rotation made it v2, bound to its conversation).
  const [rating] = (
    await raw.query('select comment from conversation.ratings where tenant_id = $1 and conversation_id = $2', [TENANT, conversationId])
  ).rows;
  const ratingKeys = new FieldCipher(keyringFromConfig(afterRotation));
  const ratingComment = { tenantId: TENANT, column: 'conversation.ratings.comment' };
  expect(ratingKeys.decrypt(rating.comment, { ...ratingComment, row: conversationId })).toBe('Quick and kind, thanks');
  expect(() => ratingKeys.decrypt(rating.comment, { ...ratingComment, row: otherConversation })).toThrow(moved);

  // A ticket summary copied into another ticket, a note into another note.
  const tickets = new TicketRepository(ticketingDb, afterRotation);
  const [ticket] = (await raw.query('select summary from ticketing.tickets where tenant_id = $1 and id = $2', [TENANT, ticketId])).rows;
  const otherTicket = randomUUID();
  await raw.query(
    `insert into ticketing.tickets (tenant_id, id, conversation_id, customer_id, department, priority, reason, summary, source_event_id) values ($1, $2, $3, 'c-9', 'orders', 'normal', 'x', $4, $5)`,
    [TENANT, otherTicket, randomUUID(), ticket.summary, randomUUID()],
  );
  await expect(tickets.find(TENANT, otherTicket)).rejects.toThrow(moved);
  const [note] = (await raw.query('select text from ticketing.ticket_notes where tenant_id = $1 and ticket_id = $2', [TENANT, ticketId]))
    .rows;
  await raw.query(`insert into ticketing.ticket_notes (tenant_id, id, ticket_id, author, text) values ($1, $2, $3, 'mallory', $4)`, [
    TENANT,
    randomUUID(),
    ticketId,
    note.text,
  ]);
  await expect(tickets.notes(TENANT, ticketId)).rejects.toThrow(moved);

  // A webhook payload copied into another delivery of the same endpoint: that delivery is unreadable, the original still reads.
  const webhooks = new WebhookRepository(integrationDb, FieldCipher.fromConfig(afterRotation));
  const [delivery] = (
    await raw.query('select delivery_id, endpoint_id, payload from integration.webhook_deliveries where tenant_id = $1', [TENANT])
  ).rows;
  const copy = randomUUID();
  await raw.query(
    `insert into integration.webhook_deliveries (tenant_id, delivery_id, endpoint_id, topic, event_id, event_type, payload) values ($1, $2, $3, 'ticket.events.v1', $4, 'ticket.created', $5)`,
    [TENANT, copy, delivery.endpoint_id, randomUUID(), delivery.payload],
  );
  const claimed = await webhooks.claimDue(10, 60_000);
  expect(claimed.find((d) => d.deliveryId === copy)?.unreadable).toMatch(moved);
  expect(claimed.find((d) => d.deliveryId === delivery.delivery_id)?.payload).toContain(SECRETS.summary);

  // A reply-stream entry copied into another conversation's stream is skipped there.
  const streams = new ConversationStreamStore(redis, afterRotation, quietLogger());
  const from = randomUUID();
  const to = randomUUID();
  const event = create(ConversationEventSchema, {
    eventId: randomUUID(),
    conversationId: from,
    turnId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: { case: 'reply', value: { text: SECRETS.bot, mode: 'extractive', grounded: true } },
  });
  await streams.append(TENANT, event);
  const [[, fields]] = await redis.xrange(streams.key(TENANT, from), '-', '+');
  await redis.xadd(streams.key(TENANT, to), '*', ...fields);
  expect(await streams.cursorOf(TENANT, from, event.eventId)).toBeDefined();
  expect(await streams.cursorOf(TENANT, to, event.eventId)).toBeUndefined();

  // The planted copies would (rightly) fail rotate-keys below.
  await raw.query('delete from conversation.messages where tenant_id = $1 and id = $2', [TENANT, messageCopy]);
  await raw.query('delete from ticketing.ticket_notes where tenant_id = $1 and author = $2', [TENANT, 'mallory']);
  await raw.query('delete from ticketing.tickets where tenant_id = $1 and id = $2', [TENANT, otherTicket]);
  await raw.query('delete from integration.webhook_deliveries where tenant_id = $1 and delivery_id = $2', [TENANT, copy]);
  await redis.del(streams.key(TENANT, from), streams.key(TENANT, to));
});

it('re-encrypts the dialogue state, known customers and reply streams in Redis, keeping entry ids and TTLs', async () => {
  const log = quietLogger();
  const stateConfig = { ...beforeRotation, DIALOGUE_STATE_TTL_S: 3600, KNOWN_CUSTOMER_TTL_S: 7200 } as unknown as ConversationConfig;
  const states = new DialogueStateStore(redis, stateConfig, log);
  const streams = new ConversationStreamStore(redis, beforeRotation, log);
  const conversation = randomUUID();
  await states.save(TENANT, conversation, 'c-1', {
    ...emptyState(),
    verifiedUserId: 'jane_doe_1',
    firstName: 'Jane',
    slots: { email: 'jane.doe@example.com' },
  });
  const reply = (text: string) =>
    create(ConversationEventSchema, {
      eventId: randomUUID(),
      conversationId: conversation,
      turnId: randomUUID(),
      occurredAt: new Date().toISOString(),
      kind: { case: 'reply', value: { text, mode: 'extractive', grounded: true } },
    });
  await streams.append(TENANT, reply(SECRETS.bot));
  await streams.append(TENANT, reply(SECRETS.agent));
  // A state written before encryption existed.
  const legacyConversation = randomUUID();
  await redis.set(`t:${TENANT}:conv:${legacyConversation}:state`, JSON.stringify({ ...emptyState(), firstName: 'Old' }), 'EX', 600);
  // A connector's cached record, of another tenant (the raw counts below are the acme tenant's).
  const k1Cipher = new FieldCipher(keyringFromConfig(beforeRotation));
  const crmKey = 't:globex:crm:user:jane_doe_1';
  await redis.set(
    crmKey,
    k1Cipher.encrypt(JSON.stringify({ email: 'jane.doe@example.com' }), { tenantId: 'globex', column: 'redis.crm_cache' }),
    'EX',
    600,
  );

  const streamKey = streams.key(TENANT, conversation);
  const idsBefore = (await redis.xrange(streamKey, '-', '+')).map(([id]) => id);
  const rawRedis = async () => {
    const values: Array<{ key: string; value: string }> = [];
    for (const key of (await redis.keys(namespacedPattern(redis, `t:${TENANT}:*`))).map((k) => withoutNamespace(redis, k))) {
      const type = await redis.type(key);
      if (type === 'stream') values.push(...(await redis.xrange(key, '-', '+')).map(([, fields]) => ({ key, value: fields[1] })));
      else if (type === 'string') values.push({ key, value: (await redis.get(key))! });
      // Other types: a turn's delta gate (a hash of its answer run's id and sequence), no customer text.
      else expect({ key, type }).toEqual({ key: expect.stringMatching(/:deltas:/), type: 'hash' });
    }
    return values;
  };
  const before = await rawRedis();
  expect(before).toHaveLength(5); // state, known customer, legacy state, two stream entries
  // The dialogue state, known customer and stream entries are bound to their keys (v2).
  expect(before.filter((v) => v.value.startsWith('enc:v2:k1:'))).toHaveLength(4);
  expect(JSON.stringify(before.filter((v) => v.value.startsWith('enc:')))).not.toMatch(/jane\.doe|W1234567/i);

  const rotated = rotateKeys(afterRotation);
  expect(rotated.status).toBe(0);
  expect(rotated.stdout).toContain('redis.dialogue_state: 2 re-encrypted under "k2"');
  expect(rotated.stdout).toContain('redis.known_customer: 1 re-encrypted under "k2"');
  expect(rotated.stdout).toContain('redis.conversation_events: 2 re-encrypted under "k2"');
  expect(rotated.stdout).toContain('redis.crm_cache: 1 re-encrypted under "k2"');
  const crmValue = (await redis.get(crmKey))!;
  expect(crmValue.slice(0, 10)).toBe('enc:v2:k2:'); // rotation binds the v1 cache value to its key
  expect(
    new FieldCipher(keyringFromConfig(afterRotation)).decrypt(crmValue, { tenantId: 'globex', column: 'redis.crm_cache', row: crmKey }),
  ).toContain('jane.doe@example.com');
  for (const { value } of await rawRedis()) expect(value.slice(0, 10)).toBe('enc:v2:k2:');
  expect((await redis.xrange(streamKey, '-', '+')).map(([id]) => id)).toEqual(idsBefore);
  expect(await redis.ttl(streamKey)).toBeGreaterThan(6 * 24 * 3600);
  expect(await redis.ttl(`t:${TENANT}:customer:c-1:known`)).toBeGreaterThan(3600);
  expect(await redis.ttl(`t:${TENANT}:conv:${legacyConversation}:state`)).toBeGreaterThan(0);

  // The services, with the new keys, read it all: state, the known customer in a new conversation, the stream from a cursor.
  const newStates = new DialogueStateStore(redis, { ...stateConfig, ...afterRotation }, log);
  expect(await newStates.load(TENANT, conversation, 'c-1')).toMatchObject({
    verifiedUserId: 'jane_doe_1',
    slots: { email: 'jane.doe@example.com' },
  });
  expect(await newStates.load(TENANT, randomUUID(), 'c-1')).toMatchObject({ verifiedUserId: 'jane_doe_1', firstName: 'Jane' });
  expect((await newStates.load(TENANT, legacyConversation, 'c-9')).firstName).toBe('Old');
  const newStreams = new ConversationStreamStore(redis, afterRotation, log);
  const read: string[] = [];
  const abort = new AbortController();
  for await (const stored of newStreams.follow(TENANT, conversation, '0-0', abort.signal)) {
    read.push(stored.event.kind.case === 'reply' ? stored.event.kind.value.text : '');
    if (read.length === 2) abort.abort();
  }
  expect(read).toEqual([SECRETS.bot, SECRETS.agent]);
  expect(rotateKeys(afterRotation).stdout).toContain('redis.conversation_events: 0 re-encrypted');
  expect(
    Object.values(ENCRYPTED_REDIS_VALUES)
      .flat()
      .map((v) => v.column)
      .sort(),
  ).toEqual(['redis.conversation_events', 'redis.crm_cache', 'redis.dialogue_state', 'redis.known_customer']);
});
