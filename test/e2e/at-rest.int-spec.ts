// Encryption at rest, as an operator's backup sees it: after a realistic conversation (a customer
// message, their email, a hand-off with a ticket and a note, a webhook endpoint), a real `pg_dump`
// of the stack's database holds none of the customer's words, the bot's replies, the customer's
// details, the ticket's summary, the note or the webhook secret, in any table. Redis, which holds
// the dialogue state, the reply streams and the responders' stored replies, holds none of them either.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { namespacedPattern, withoutNamespace } from '@switchboard/config';
import { AddTicketNoteRequestSchema, create, Rpcs } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { connectTestBus, quietLogger, waitFor } from '@switchboard/testing';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

// A real customer of the tau-retail reference CRM the integration service is seeded from.
const YARA = {
  email: 'yara.li6570@example.com',
  firstName: 'Yara',
  fullName: 'Yara Li',
  street: '713 Hillcrest Drive',
  customerId: `cust-at-rest-${RUN}`,
};
const SENTENCE = 'My grey parrot Bartholomew chewed the delivery slip beside the lighthouse';
const NOTE = `Phoned the Quillfeather depot about parcel ${RUN}, awaiting a callback`;
const WEBHOOK_SECRET = `whsec-at-rest-${RUN}-tangerine-velvet`;

/** Each `COPY schema.table … from stdin` section of a plain-format dump: its table and its rows. */
function dumpSections(dump: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of dump.matchAll(/^COPY ([^\s(]+) \([^)]*\) FROM stdin;\n([\s\S]*?)^\\\.$/gm)) sections.set(match[1], match[2]);
  return sections;
}

/** Which tables' rows contain the text (as stored: JSON and COPY escape quotes and line breaks, so pieces between those). */
function tablesHolding(sections: Map<string, string>, text: string): string[] {
  const pieces = text
    .split(/["\\\n]/)
    .map((p) => p.trim())
    .filter((p) => p.length >= 12);
  return [...sections].filter(([, rows]) => pieces.some((piece) => rows.includes(piece))).map(([table]) => table);
}

describe('encryption at rest: what a database dump and Redis hold', () => {
  let t: TestStack;
  let redis: Redis;

  beforeAll(async () => {
    t = await startTestStack();
    redis = t.redis();
  }, 180_000);

  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  it('a pg_dump after a conversation, a hand-off, a note and a webhook holds no plaintext content or PII', async () => {
    const say = (conversationId: string | undefined, text: string) => t.say(YARA.customerId, conversationId, text);
    const first = await say(undefined, `Hi, where is my order? ${SENTENCE}.`);
    const c = first.conversationId;
    const second = await say(c, `my email is ${YARA.email}`);
    const third = await say(c, 'I would like to talk to a human agent please');
    expect(third.handoff?.reason).toBe('customer_asked');
    const replies = [first, second, third].map((turn) => turn.reply.text);

    const ticket = await waitFor(
      async () => (await t.db.query('select id, summary from ticketing.tickets where conversation_id = $1', [c])).rows[0],
      'the hand-off ticket',
    );
    const summary = t.plain(DEMO_TENANT, 'ticketing.tickets.summary', ticket.summary, ticket.id);
    expect(summary).toContain(YARA.firstName);

    // The note goes straight to ticketing over its request-reply topic: the same call the agents'
    // REST API makes, without depending on how agents sign in.
    const driver = await connectTestBus('e2e-at-rest-agent', t.namespace);
    const rpc = new RpcClient(driver.bus, quietLogger());
    try {
      await rpc.start();
      await rpc.request(
        Rpcs.ticketNote,
        create(AddTicketNoteRequestSchema, { tenantId: DEMO_TENANT, ticketId: ticket.id, author: 'sam@support', text: NOTE }),
        { timeoutMs: 30_000 },
      );
    } finally {
      await rpc.stop();
      await driver.close();
    }

    const adminKey = await t.createApiKey(DEMO_TENANT, ['kb:admin']);
    const webhook = await t.rest('POST', '/v1/webhooks', {
      key: adminKey,
      json: { url: 'https://example.com/at-rest-hook', secret: WEBHOOK_SECRET, eventTypes: [] },
    });
    expect(webhook.status).toBeLessThan(300);

    // Every staged event is published before the dump, so the outbox tables hold what they keep.
    await waitFor(async () => {
      const pending = await t.db.query(
        `select (select count(*) from conversation.outbox where published_at is null) + (select count(*) from ticketing.outbox where published_at is null) as n`,
      );
      return Number(pending.rows[0].n) === 0;
    }, 'the outboxes published');

    const { stdout: dump } = await promisify(execFile)('/usr/bin/pg_dump', ['--data-only', t.databaseUrl], {
      maxBuffer: 256 * 1024 * 1024,
    });
    const sections = dumpSections(dump);
    // The dump is not empty: the tables that must not hold plaintext are in it, with rows.
    for (const table of [
      'conversation.messages',
      'conversation.outbox',
      'ticketing.tickets',
      'ticketing.ticket_notes',
      'ticketing.outbox',
    ]) {
      expect(sections.get(table)?.trim()).toBeTruthy();
    }

    // What is stored in plain text on purpose (ids) is found: the search itself works.
    expect(tablesHolding(sections, YARA.customerId)).toContain('ticketing.tickets');

    const secrets: Record<string, string> = {
      'the customer sentence': SENTENCE,
      'the email': YARA.email,
      'the first name': YARA.firstName,
      'the full name': YARA.fullName,
      'the street address': YARA.street,
      'the ticket summary': summary,
      'the note': NOTE,
      'the webhook secret': WEBHOOK_SECRET,
      ...Object.fromEntries(replies.map((text, i) => [`bot reply ${i + 1}`, text])),
    };
    // The first name alone is short: look for it as a word.
    const found = Object.fromEntries(
      Object.entries(secrets)
        .map(
          ([what, text]) =>
            [
              what,
              what === 'the first name'
                ? [...sections].filter(([, rows]) => new RegExp(`\\b${text}\\b`).test(rows)).map(([table]) => table)
                : tablesHolding(sections, text),
            ] as const,
        )
        .filter(([, tables]) => tables.length > 0),
    );
    expect(found).toEqual({});

    // Redis: the dialogue state and what the gateway keeps of the conversation.
    const state = await redis.get(`t:${DEMO_TENANT}:conv:${c}:state`);
    expect(state).toMatch(/^enc:v2:/); // bound to its key
    expect(state).not.toContain(YARA.email);
    const known = await redis.get(`t:${DEMO_TENANT}:customer:${YARA.customerId}:known`);
    expect(known).toMatch(/^enc:v2:/);
    expect(known).not.toContain(YARA.firstName);
    const entries = await redis.xrange(`t:${DEMO_TENANT}:conv:${c}:events`, '-', '+');
    expect(entries.length).toBeGreaterThan(0);
    const stream = JSON.stringify(entries);
    const replyPieces = replies.flatMap((r) => r.split(/["\\\n]/).filter((p) => p.trim().length >= 12));
    for (const text of [SENTENCE, ...replyPieces]) expect(stream).not.toContain(text.trim());

    // The responders' stored replies (a retried request is answered from them): the generation
    // service's holds this very answer, for five minutes, sealed to its key.
    const replyKeys: string[] = [];
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', namespacedPattern(redis, `t:${DEMO_TENANT}:rpc:*`), 'COUNT', 1000);
      replyKeys.push(...keys.map((k) => withoutNamespace(redis, k)));
      if ((cursor = next) === '0') break;
    }
    const stored = (await Promise.all(replyKeys.map((k) => redis.get(k)))).filter(
      (v): v is string => v !== null && !v.startsWith('claim:'),
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const value of stored) expect(value).toMatch(/^enc:v2:/);
    const all = stored.join('\n');
    for (const text of [SENTENCE, YARA.email, ...replyPieces]) expect(all).not.toContain(text.trim());
  }, 300_000);
});
