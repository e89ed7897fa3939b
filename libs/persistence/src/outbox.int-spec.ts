// The outbox against real Postgres and Kafka: payloads are encrypted at rest and published as
// plaintext, rows from before encryption still publish, a row that does not decrypt is passed over
// without holding up the rest, and published rows are deleted after a while.
import { randomUUID } from 'node:crypto';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { create, OutboundEventSchema, toJsonString, Topics, type OutboundEvent } from '@switchboard/contracts';
import { FieldCipher, Keyring } from '@switchboard/crypto';
import { newEnvelope, writeEnvelope, type Delivery, type KafkaBus } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { createOutboxTable, openDatabase, Outbox } from './index';

const SCHEMA = 'outbox_test';
const COLUMN = `${SCHEMA}.outbox.payload`;
const tenantId = uniqueName('tenant');

class OutboxTable1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await createOutboxTable(runner, SCHEMA);
  }
  async down(): Promise<void> {}
}

const reply = (text: string): OutboundEvent =>
  create(OutboundEventSchema, {
    tenantId,
    event: {
      eventId: randomUUID(),
      conversationId: randomUUID(),
      turnId: randomUUID(),
      occurredAt: new Date().toISOString(),
      kind: { case: 'reply', value: { text, grounded: false, mode: 'bot', sources: [] } },
    },
  });

describe('Outbox', () => {
  const cipher = new FieldCipher(new Keyring('k1', { k1: Buffer.alloc(32, 7) }));
  const topic = { ...Topics.outbound, name: uniqueName('test.outbox') };
  const received: Delivery<OutboundEvent>[] = [];
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let bus: KafkaBus;
  let closeBus: () => Promise<void>;
  let outbox: Outbox;

  const textsReceived = () => received.map((d) => (d.message.event?.kind.case === 'reply' ? d.message.event.kind.value.text : ''));
  const rowOf = async (id: string) =>
    (await dataSource.query(`select payload, published_at from ${SCHEMA}.outbox where id = $1`, [id]))[0] as
      { payload: string; published_at: Date | null } | undefined;
  const insertRaw = async (payload: string, message: OutboundEvent) => {
    const envelope = newEnvelope({ type: OutboundEventSchema.typeName, tenantId, producer: bus.service, messageId: randomUUID() });
    await dataSource.query(`insert into ${SCHEMA}.outbox (id, tenant_id, topic, key, payload, headers) values ($1, $2, $3, $4, $5, $6)`, [
      envelope.messageId,
      tenantId,
      topic.name,
      topic.key(message),
      payload,
      JSON.stringify(writeEnvelope(envelope)),
    ]);
    return envelope.messageId;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(
      { url: database.url, schema: SCHEMA, entities: [], migrations: [OutboxTable1700000000000] },
      quietLogger(),
    );
    ({ bus, close: closeBus } = await connectTestBus(uniqueName('svc')));
    await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
    await bus.subscribe(
      topic,
      async (d) => {
        received.push(d);
      },
      { groupId: uniqueName('g'), fromBeginning: true },
    );
    outbox = new Outbox(dataSource, bus, SCHEMA, cipher, quietLogger());
  });

  afterAll(async () => {
    await outbox?.stop();
    await closeBus?.();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores the payload encrypted for its tenant and publishes it decrypted', async () => {
    const text = `Your parcel ${randomUUID()} left the depot`;
    const message = reply(text);
    const id = await dataSource.transaction((m) => outbox.stage(m, topic, message));
    const stored = (await rowOf(id))!;
    expect(stored.payload).toMatch(/^enc:v2:k1:/);
    expect(stored.payload).not.toContain(text);
    expect(cipher.decrypt(stored.payload, { tenantId, column: COLUMN, row: id })).toBe(toJsonString(OutboundEventSchema, message));
    expect(() => cipher.decrypt(stored.payload, { tenantId: 'another-tenant', column: COLUMN, row: id })).toThrow(/does not decrypt/);
    expect(() => cipher.decrypt(stored.payload, { tenantId, column: COLUMN, row: randomUUID() })).toThrow(/moved from another row/);

    await outbox.flush();
    await waitFor(() => textsReceived().includes(text), 'the published event');
    expect(received.find((d) => d.envelope.messageId === id)?.message.tenantId).toBe(tenantId);
    expect((await rowOf(id))!.published_at).not.toBeNull();
  });

  it('publishes rows stored before payloads were encrypted', async () => {
    const text = `A legacy reply ${randomUUID()}`;
    const message = reply(text);
    const id = await insertRaw(toJsonString(OutboundEventSchema, message), message);
    await outbox.flush();
    await waitFor(() => textsReceived().includes(text), 'the legacy event');
    expect((await rowOf(id))!.published_at).not.toBeNull();
  });

  it('passes over a row that does not decrypt, publishes the rest and leaves that row unpublished', async () => {
    const movedText = `Sealed for someone else ${randomUUID()}`;
    const moved = reply(movedText);
    // A ciphertext of another tenant's row, copied here: it must not decrypt as this tenant's.
    const badId = await insertRaw(
      cipher.encrypt(toJsonString(OutboundEventSchema, moved), { tenantId: 'another-tenant', column: COLUMN }),
      moved,
    );
    const later = `After the bad row ${randomUUID()}`;
    const laterId = await dataSource.transaction((m) => outbox.stage(m, topic, reply(later)));

    expect(await outbox.flush()).toBe(1);
    await waitFor(() => textsReceived().includes(later), 'the event staged after the bad row');
    expect((await rowOf(laterId))!.published_at).not.toBeNull();
    expect((await rowOf(badId))!.published_at).toBeNull();
    // Passed over from now on rather than tried on every run.
    expect(await outbox.flush()).toBe(0);
    expect(textsReceived()).not.toContain(movedText);
  });

  it("never publishes a payload copied from another row of the same tenant in that row's place", async () => {
    const original = `The genuine event ${randomUUID()}`;
    const id = await dataSource.transaction((m) => outbox.stage(m, topic, reply(original)));
    await outbox.flush();
    await waitFor(() => textsReceived().includes(original), 'the genuine event');
    // The same ciphertext under a new row id (a replay planted by someone with write access to the table).
    const copyId = await insertRaw((await rowOf(id))!.payload, reply('ignored'));
    expect(await outbox.flush()).toBe(0);
    expect((await rowOf(copyId))!.published_at).toBeNull();
    expect(textsReceived().filter((t) => t === original)).toHaveLength(1);
  });

  it('publishes, before flush() returns, a row committed while an earlier run was already sending', async () => {
    // A bus whose sends take 500 ms, so the first run is still sending when the second row commits.
    const slow = () => new Promise((r) => setTimeout(r, 500));
    const slowBus = Object.assign(Object.create(bus) as KafkaBus, {
      sendBatch: async (...args: Parameters<KafkaBus['sendBatch']>) => slow().then(() => bus.sendBatch(...args)),
      send: async (...args: Parameters<KafkaBus['send']>) => slow().then(() => bus.send(...args)),
    });
    const relay = new Outbox(dataSource, slowBus, SCHEMA, cipher, quietLogger());
    await dataSource.transaction((m) => relay.stage(m, topic, reply('first')));
    const first = relay.flush();
    await new Promise((r) => setTimeout(r, 200)); // the run has read the table and is sending
    const secondId = await dataSource.transaction((m) => relay.stage(m, topic, reply('second')));
    await relay.flush();
    expect((await rowOf(secondId))!.published_at).not.toBeNull();
    await first;
  });

  it('sends many rows in batches, in order', async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `batch ${i} ${randomUUID()}`);
    const conversationId = randomUUID();
    await outbox.flush(); // anything earlier tests left
    await dataSource.transaction(async (m) => {
      for (const text of texts) {
        const message = reply(text);
        message.event!.conversationId = conversationId;
        await outbox.stage(m, topic, message);
      }
    });
    const started = Date.now();
    const relayed = await outbox.flush();
    console.log(`outbox: ${relayed} rows relayed in ${Date.now() - started} ms`);
    expect(relayed).toBe(texts.length);
    await waitFor(() => texts.every((t) => textsReceived().includes(t)), 'every batched event');
    const order = textsReceived().filter((t) => t.startsWith('batch '));
    expect(order).toEqual(texts);
  });

  it('deletes rows published longer ago than it keeps them, and nothing unpublished', async () => {
    const oldId = await dataSource.transaction((m) => outbox.stage(m, topic, reply('old')));
    const recentId = await dataSource.transaction((m) => outbox.stage(m, topic, reply('recent')));
    await outbox.flush();
    await dataSource.query(`update ${SCHEMA}.outbox set published_at = now() - interval '11 minutes' where id = $1`, [oldId]);
    const unpublished = (await dataSource.query(`select count(*)::int as n from ${SCHEMA}.outbox where published_at is null`))[0].n;

    expect(await outbox.purgePublished(10)).toBe(1);
    expect(await rowOf(oldId)).toBeUndefined();
    expect(await rowOf(recentId)).toBeDefined();
    expect((await dataSource.query(`select count(*)::int as n from ${SCHEMA}.outbox where published_at is null`))[0].n).toBe(unpublished);
  });
});
