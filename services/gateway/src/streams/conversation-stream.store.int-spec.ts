// The reply streams in a real Redis: events are stored encrypted for their tenant and read back
// whole; an entry that does not decrypt is skipped, not the end of the stream.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import Redis from 'ioredis';
import { namespacedPattern, withoutNamespace } from '@switchboard/config';
import { create, ConversationEventSchema, toJsonString, type ConversationEvent } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { infra, quietLogger, uniqueName } from '@switchboard/testing';
import { loadGatewayConfig } from '../config';
import { CONVERSATION_EVENT_FIELD, ConversationStreamStore, type StoredEvent } from './conversation-stream.store';

describe('ConversationStreamStore', () => {
  const config = loadGatewayConfig({ NODE_ENV: 'test', REDIS_URL: infra.redisUrl() });
  const cipher = FieldCipher.fromConfig(config);
  const tenantId = uniqueName('tenant');
  // In a namespace, as a stack with REDIS_NAMESPACE runs: XREAD answers with the keys' full names.
  const namespace = `${uniqueName('ns').toLowerCase()}.`;
  let redis: Redis;
  let store: ConversationStreamStore;

  const reply = (conversationId: string, text: string): ConversationEvent =>
    create(ConversationEventSchema, {
      eventId: randomUUID(),
      conversationId,
      turnId: randomUUID(),
      occurredAt: new Date().toISOString(),
      kind: { case: 'reply', value: { text, grounded: false, mode: 'bot', sources: [] } },
    });

  async function readAll(conversationId: string, count: number): Promise<StoredEvent[]> {
    const controller = new AbortController();
    const events: StoredEvent[] = [];
    for await (const e of store.follow(tenantId, conversationId, '0-0', controller.signal)) {
      events.push(e);
      if (events.length === count) controller.abort();
    }
    return events;
  }

  beforeAll(async () => {
    // As the platform connects it: followers duplicate this connection and connect their copy.
    redis = new Redis(infra.redisUrl(), { lazyConnect: true, keyPrefix: namespace });
    await redis.connect();
    store = new ConversationStreamStore(redis, config, quietLogger());
  });

  afterAll(async () => {
    const keys = await redis.keys(namespacedPattern(redis, `t:${tenantId}:*`));
    if (keys.length > 0) await redis.del(...keys.map((k) => withoutNamespace(redis, k)));
    redis.disconnect();
  });

  it('stores an event encrypted for its tenant and serves it decrypted', async () => {
    const conversationId = randomUUID();
    const text = `Your refund of $${randomUUID().slice(0, 4)} is on its way`;
    const event = reply(conversationId, text);
    await store.append(tenantId, event);

    const [[cursor, fields]] = await redis.xrange(store.key(tenantId, conversationId), '-', '+');
    const outside = new Redis(infra.redisUrl());
    expect(await outside.exists(namespace + store.key(tenantId, conversationId))).toBe(1);
    outside.disconnect();
    expect(fields[0]).toBe('event');
    // Bound to the tenant and to this conversation's stream (its key).
    expect(fields[1]).toMatch(/^enc:v2:/);
    expect(fields[1]).not.toContain(text);
    expect(() =>
      cipher.decrypt(fields[1], {
        tenantId: 'another-tenant',
        column: CONVERSATION_EVENT_FIELD,
        row: store.key('another-tenant', conversationId),
      }),
    ).toThrow(/does not decrypt/);
    expect(() => cipher.decrypt(fields[1], { tenantId, column: CONVERSATION_EVENT_FIELD, row: store.key(tenantId, randomUUID()) })).toThrow(
      /does not decrypt/,
    );

    expect(await store.cursorOf(tenantId, conversationId, event.eventId)).toBe(cursor);
    expect(await readAll(conversationId, 1)).toEqual([{ cursor, event }]);
  });

  it("forwards one answer run's deltas per turn, each once: a later run's and repeated ones are dropped", async () => {
    const conversationId = randomUUID();
    const turnId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const delta = (streamId: string, sequence: number, text: string, turn = turnId): ConversationEvent =>
      create(ConversationEventSchema, {
        eventId: randomUUID(),
        conversationId,
        turnId: turn,
        occurredAt: new Date().toISOString(),
        kind: { case: 'delta', value: { text, streamId, sequence } },
      });
    // The first run streams two sentences and crashes; the request is answered again by a second
    // run, which streams from the start; the first run's last delta is published again meanwhile.
    const sent = [
      delta(first, 1, 'Hello. '),
      delta(first, 2, 'Your order shipped. '),
      delta(second, 1, 'Hello! '),
      delta(first, 2, 'Your order shipped. '),
      delta(second, 2, 'It shipped today. '),
      delta(first, 3, 'It arrives Monday.'),
    ];
    const appended = [];
    for (const event of sent) appended.push(await store.append(tenantId, event));
    // Another turn: whichever run reaches the gateway first owns it. A delta without a stream id
    // (a generation service from before the gate) is forwarded as it was.
    const nextTurn = randomUUID();
    await store.append(tenantId, delta(second, 1, 'Anything else? ', nextTurn));
    await store.append(tenantId, delta(first, 1, 'Can I help? ', nextTurn));
    await store.append(tenantId, delta('', 0, 'Old-style delta.', nextTurn));

    expect(appended).toEqual([true, true, false, false, false, true]);
    const shown = (await readAll(conversationId, 5)).map(({ event }) => (event.kind.case === 'delta' ? event.kind.value.text : ''));
    expect(shown).toEqual(['Hello. ', 'Your order shipped. ', 'It arrives Monday.', 'Anything else? ', 'Old-style delta.']);
    expect(await redis.ttl(store.deltaGateKey(tenantId, conversationId, turnId))).toBeGreaterThan(0);
  });

  it("drops a delta that arrives after its turn's final reply (a stalled run woke up)", async () => {
    const conversationId = randomUUID();
    const streamId = randomUUID();
    const final = reply(conversationId, 'Your order shipped and arrives Monday.');
    const delta = (sequence: number, text: string): ConversationEvent =>
      create(ConversationEventSchema, {
        eventId: randomUUID(),
        conversationId,
        turnId: final.turnId,
        occurredAt: new Date().toISOString(),
        kind: { case: 'delta', value: { text, streamId, sequence } },
      });
    expect(await store.append(tenantId, delta(1, 'Your order shipped. '))).toBe(true);
    await store.append(tenantId, final);
    expect(await store.append(tenantId, delta(2, 'It arrives Monday.'))).toBe(false);

    const shown = (await readAll(conversationId, 2)).map(({ event }) => event.kind.case);
    expect(shown).toEqual(['delta', 'reply']);
    expect(await redis.xlen(store.key(tenantId, conversationId))).toBe(2);
  });

  it('serves events stored in plaintext before encryption, and skips one that does not decrypt', async () => {
    const conversationId = randomUUID();
    const key = store.key(tenantId, conversationId);
    const legacy = reply(conversationId, 'A reply from before encryption');
    await redis.xadd(key, '*', 'event', toJsonString(ConversationEventSchema, legacy));
    await redis.xadd(
      key,
      '*',
      'event',
      cipher.encrypt(toJsonString(ConversationEventSchema, reply(conversationId, 'moved')), {
        tenantId: 'another-tenant',
        column: CONVERSATION_EVENT_FIELD,
      }),
    );
    const after = reply(conversationId, 'A reply after the bad entry');
    await store.append(tenantId, after);

    expect((await readAll(conversationId, 2)).map((e) => e.event)).toEqual([legacy, after]);
  });

  it('serves many followers of many conversations over one Redis connection, each from its own cursor', async () => {
    const connections = async () =>
      ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(`name=gateway-streams-${process.pid} `)).length;
    const conversations = Array.from({ length: 30 }, () => randomUUID());
    const early = reply(conversations[0], 'sent before anyone followed');
    await store.append(tenantId, early);
    const controller = new AbortController();
    setMaxListeners(100, controller.signal); // sixty followers share this one signal
    const received = new Map<string, string[]>();
    // Two followers per conversation; the first of conversation 0 also reads what came before.
    const following = conversations.flatMap((c, i) =>
      [0, 1].map(async (n) => {
        const from = i === 0 && n === 0 ? '0-0' : await store.head(tenantId, c);
        for await (const { event } of store.follow(tenantId, c, from, controller.signal)) {
          const seen = received.get(`${c}/${n}`) ?? [];
          seen.push(event.kind.case === 'reply' ? event.kind.value.text : '');
          received.set(`${c}/${n}`, seen);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await connections()).toBe(1);
    for (const c of conversations) await store.append(tenantId, reply(c, `for ${c}`));
    const deadline = Date.now() + 10_000;
    while ([...received.values()].reduce((n, seen) => n + seen.length, 0) < 61 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await Promise.all(following);
    for (const [i, c] of conversations.entries()) {
      expect(received.get(`${c}/0`)).toEqual(i === 0 ? ['sent before anyone followed', `for ${c}`] : [`for ${c}`]);
      expect(received.get(`${c}/1`)).toEqual([`for ${c}`]);
    }
    // The last follower gone, the shared connection closes.
    const closed = Date.now() + 5000;
    while ((await connections()) > 0 && Date.now() < closed) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
  });
});
