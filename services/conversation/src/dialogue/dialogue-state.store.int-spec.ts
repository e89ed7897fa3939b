// The dialogue state and known-customer records in a real Redis: stored encrypted for their tenant,
// read back whole, legacy plaintext still read, and an unreadable value treated as no state.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { FieldCipher } from '@switchboard/crypto';
import { createLogger } from '@switchboard/logging';
import { infra, quietLogger, uniqueName } from '@switchboard/testing';
import { loadConversationConfig } from '../config';
import { emptyState, type DialogueState } from './dialogue-state';
import { DIALOGUE_STATE_FIELD, DialogueStateStore, KNOWN_CUSTOMER_FIELD } from './dialogue-state.store';

const EMAIL = 'yara.li6570@example.com';

describe('DialogueStateStore', () => {
  const config = loadConversationConfig({ NODE_ENV: 'test', REDIS_URL: infra.redisUrl() });
  const cipher = FieldCipher.fromConfig(config);
  const tenantId = uniqueName('tenant');
  let redis: Redis;
  let store: DialogueStateStore;

  const ids = () => ({ conversationId: randomUUID(), customerId: `cust-${randomUUID().slice(0, 8)}` });
  const stateKey = (conversationId: string) => `t:${tenantId}:conv:${conversationId}:state`;
  const knownKey = (customerId: string) => `t:${tenantId}:customer:${customerId}:known`;
  const verified = (): DialogueState => ({
    ...emptyState(),
    slots: { email: EMAIL },
    verifiedUserId: 'yara_li_8961',
    firstName: 'Yara',
    knownOrderIds: ['#W2497857'],
    tier: 'regular',
    turns: 2,
  });

  beforeAll(() => {
    redis = new Redis(infra.redisUrl());
    store = new DialogueStateStore(redis, config, quietLogger());
  });

  afterAll(async () => {
    const keys = await redis.keys(`t:${tenantId}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('stores the state and the known customer encrypted for the tenant, and reads them back', async () => {
    const { conversationId, customerId } = ids();
    const state = verified();
    await store.save(tenantId, conversationId, customerId, state);

    const storedState = (await redis.get(stateKey(conversationId)))!;
    const storedKnown = (await redis.get(knownKey(customerId)))!;
    expect(storedState).toMatch(/^enc:v2:/);
    expect(storedState).not.toContain(EMAIL);
    expect(storedKnown).toMatch(/^enc:v2:/);
    expect(storedKnown).not.toContain('Yara');
    expect(() =>
      cipher.decrypt(storedState, { tenantId: 'another-tenant', column: DIALOGUE_STATE_FIELD, row: stateKey(conversationId) }),
    ).toThrow(/does not decrypt/);
    expect(JSON.parse(cipher.decrypt(storedKnown, { tenantId, column: KNOWN_CUSTOMER_FIELD, row: knownKey(customerId) }))).toMatchObject({
      firstName: 'Yara',
    });

    expect(await store.load(tenantId, conversationId, customerId)).toEqual(state);
    // A new conversation of the same customer starts from what the CRM established.
    const next = await store.load(tenantId, randomUUID(), customerId);
    expect(next).toMatchObject({ verifiedUserId: 'yara_li_8961', firstName: 'Yara', knownOrderIds: ['#W2497857'], slots: {} });
  });

  it('reads state stored as plaintext JSON before it was encrypted (outside production)', async () => {
    const { conversationId, customerId } = ids();
    await redis.set(stateKey(conversationId), JSON.stringify({ slots: { email: EMAIL }, turns: 3 }), 'EX', 60);
    expect(await store.load(tenantId, conversationId, customerId)).toMatchObject({ slots: { email: EMAIL }, turns: 3 });
  });

  it('treats a value that does not decrypt as no state, falling back to the known customer', async () => {
    const { conversationId, customerId } = ids();
    await store.save(tenantId, conversationId, customerId, verified());
    // The state of another tenant's conversation, copied under this tenant's key.
    await redis.set(
      stateKey(conversationId),
      cipher.encrypt(JSON.stringify({ ...verified(), turns: 9 }), { tenantId: 'another-tenant', column: DIALOGUE_STATE_FIELD }),
      'EX',
      60,
    );
    expect(await store.load(tenantId, conversationId, customerId)).toMatchObject({ verifiedUserId: 'yara_li_8961', turns: 0, slots: {} });

    // A known-customer record sealed as a dialogue state, and a value that is not a ciphertext at all.
    await redis.set(
      knownKey(customerId),
      cipher.encrypt(JSON.stringify({ firstName: 'Yara' }), { tenantId, column: DIALOGUE_STATE_FIELD }),
      'EX',
      60,
    );
    await redis.set(stateKey(conversationId), 'enc:v1:dev:not-base64-enough', 'EX', 60);
    expect(await store.load(tenantId, conversationId, customerId)).toEqual(emptyState());
  });

  it("refuses another conversation's state copied under this conversation's key (bound to its key)", async () => {
    const victim = ids();
    const attacker = ids();
    await store.save(tenantId, victim.conversationId, victim.customerId, verified());
    await redis.set(stateKey(attacker.conversationId), (await redis.get(stateKey(victim.conversationId)))!, 'EX', 60);
    expect(await store.load(tenantId, attacker.conversationId, attacker.customerId)).toEqual(emptyState());
    await redis.set(knownKey(attacker.customerId), (await redis.get(knownKey(victim.customerId)))!, 'EX', 60);
    expect(await store.load(tenantId, randomUUID(), attacker.customerId)).toEqual(emptyState());
  });

  it('in production, refuses a planted plaintext state naming another user, logging the field', async () => {
    const logs: string[] = [];
    const production = loadConversationConfig({
      NODE_ENV: 'production',
      // Production wants every address named; this test uses only Redis.
      KAFKA_BROKERS: infra.kafkaBrokers().join(','),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/switchboard',
      REDIS_URL: infra.redisUrl(),
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
    const strict = new DialogueStateStore(
      redis,
      production,
      createLogger(
        'conversation',
        'warn',
        new Writable({
          write: (chunk, _e, done) => {
            logs.push(String(chunk));
            done();
          },
        }),
      ),
    );
    const { conversationId, customerId } = ids();
    await redis.set(
      stateKey(conversationId),
      JSON.stringify({ verifiedUserId: 'yara_li_8961', firstName: 'Yara', knownOrderIds: ['#W2497857'] }),
      'EX',
      60,
    );
    expect(await strict.load(tenantId, conversationId, customerId)).toEqual(emptyState());
    expect(logs.join('')).toContain('redis.dialogue_state: the stored value is plaintext where a ciphertext is expected');
    expect(logs.join('')).not.toContain('yara_li_8961');
  });
});
