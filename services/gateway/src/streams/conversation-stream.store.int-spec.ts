// The reply streams in a real Redis: events are stored encrypted for their tenant and read back
// whole; an entry that does not decrypt is skipped, not the end of the stream.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { create, ConversationEventSchema, toJsonString, type ConversationEvent } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { infra, quietLogger, uniqueName } from '@switchboard/testing';
import { loadGatewayConfig } from '../config';
import { CONVERSATION_EVENT_FIELD, ConversationStreamStore, type StoredEvent } from './conversation-stream.store';

describe('ConversationStreamStore', () => {
  const config = loadGatewayConfig({ NODE_ENV: 'test', REDIS_URL: infra.redisUrl() });
  const cipher = FieldCipher.fromConfig(config);
  const tenantId = uniqueName('tenant');
  let redis: Redis;
  let store: ConversationStreamStore;

  const reply = (conversationId: string, text: string): ConversationEvent => create(ConversationEventSchema, {
    eventId: randomUUID(), conversationId, turnId: randomUUID(), occurredAt: new Date().toISOString(), kind: { case: 'reply', value: { text, grounded: false, mode: 'bot', sources: [] } },
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
    redis = new Redis(infra.redisUrl(), { lazyConnect: true });
    await redis.connect();
    store = new ConversationStreamStore(redis, config, quietLogger());
  });

  afterAll(async () => {
    const keys = await redis.keys(`t:${tenantId}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('stores an event encrypted for its tenant and serves it decrypted', async () => {
    const conversationId = randomUUID();
    const text = `Your refund of $${randomUUID().slice(0, 4)} is on its way`;
    const event = reply(conversationId, text);
    await store.append(tenantId, event);

    const [[cursor, fields]] = await redis.xrange(store.key(tenantId, conversationId), '-', '+');
    expect(fields[0]).toBe('event');
    expect(fields[1]).toMatch(/^enc:v1:/);
    expect(fields[1]).not.toContain(text);
    expect(() => cipher.decrypt(fields[1], { tenantId: 'another-tenant', column: CONVERSATION_EVENT_FIELD })).toThrow(/does not decrypt/);

    expect(await store.cursorOf(tenantId, conversationId, event.eventId)).toBe(cursor);
    expect(await readAll(conversationId, 1)).toEqual([{ cursor, event }]);
  });

  it('serves events stored in plaintext before encryption, and skips one that does not decrypt', async () => {
    const conversationId = randomUUID();
    const key = store.key(tenantId, conversationId);
    const legacy = reply(conversationId, 'A reply from before encryption');
    await redis.xadd(key, '*', 'event', toJsonString(ConversationEventSchema, legacy));
    await redis.xadd(key, '*', 'event', cipher.encrypt(toJsonString(ConversationEventSchema, reply(conversationId, 'moved')), { tenantId: 'another-tenant', column: CONVERSATION_EVENT_FIELD }));
    const after = reply(conversationId, 'A reply after the bad entry');
    await store.append(tenantId, after);

    expect((await readAll(conversationId, 2)).map((e) => e.event)).toEqual([legacy, after]);
  });
});
