// The gateway while Kafka fails, against a broker of this file's own (killed with SIGKILL; the shared
// broker is never touched): a message is refused quickly with UNAVAILABLE, never half-accepted, and
// the adapter's retry with the same client_message_id queues exactly one turn once Kafka is back.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import Redis from 'ioredis';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Topics } from '@switchboard/contracts';
import { PrivateKafka, waitFor } from '@switchboard/testing';
import type { CustomerMessage } from '../../cli/src/chat/chat.client';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

const RUN = randomUUID().slice(0, 8);
const message = (text: string): CustomerMessage => ({
  clientMessageId: randomUUID(),
  customerId: `cust-gwfault-${RUN}`,
  channel: 'app',
  locale: 'en',
  text,
});

describe('gateway while Kafka fails', () => {
  // Its own port range per E2E_PORT_SLOT, beside the stacks' HTTP ports.
  const broker = new PrivateKafka();
  let t: TestStack;
  let redis: Redis;
  let inbound: Consumer;
  /** Turn ids queued on the inbound topic, per client message id. */
  const queued = new Map<string, Set<string>>();

  beforeAll(async () => {
    await broker.start();
    t = await startTestStack({ services: ['gateway'], env: { KAFKA_BROKERS: broker.address, PUBLISH_TIMEOUT_MS: '3000' } });
    redis = t.redis();
    inbound = new Kafka({ clientId: `gwfault-${RUN}`, brokers: [broker.address], logLevel: logLevel.NOTHING }).consumer({
      groupId: `gwfault-${RUN}`,
    });
    await inbound.connect();
    await inbound.subscribe({ topic: `${t.namespace}${Topics.inbound.name}`, fromBeginning: true });
    await inbound.run({
      eachMessage: async ({ message: m }) => {
        const turn = JSON.parse(m.value!.toString()) as { clientMessageId: string; turnId: string };
        queued.set(turn.clientMessageId, (queued.get(turn.clientMessageId) ?? new Set()).add(turn.turnId));
      },
    });
  }, 180_000);

  afterAll(async () => {
    await inbound?.disconnect().catch(() => undefined);
    redis?.disconnect();
    await t?.close();
    await broker.destroy();
  }, 60_000);

  /** What an adapter does: retry the same message until it is accepted. */
  async function sendUntilAccepted(sent: CustomerMessage): Promise<{ turnId: string; duplicate: boolean }> {
    return waitFor(async () => t.chat.sendMessage(sent).catch(() => undefined), `message ${sent.clientMessageId} accepted`, 90_000, 500);
  }

  async function expectQueuedOnce(clientMessageId: string, turnId: string): Promise<void> {
    await waitFor(() => queued.get(clientMessageId)?.has(turnId), `turn ${turnId} on the inbound topic`, 60_000);
    expect([...queued.get(clientMessageId)!]).toEqual([turnId]);
  }

  it('answers UNAVAILABLE within the publish timeout while the broker is down; the retry is queued once', async () => {
    await broker.kill();
    const sent = message('Where is my order?');
    const started = Date.now();
    const refused = await t.chat.sendMessage(sent).then(
      () => undefined,
      (error: grpc.ServiceError) => error,
    );
    const waited = Date.now() - started;
    expect(refused?.code).toBe(grpc.status.UNAVAILABLE);
    expect(refused?.details).toMatch(/retry with the same client_message_id/);
    expect(waited).toBeLessThan(5000); // PUBLISH_TIMEOUT_MS and a margin

    await broker.start();
    const accepted = await sendUntilAccepted(sent);
    await expectQueuedOnce(sent.clientMessageId, accepted.turnId);
  }, 180_000);

  it('publishes the claimed turn on retry when the gateway died between claim and publish', async () => {
    await broker.kill();
    const sent = message('How do I return an item?');
    const idempotencyKey = `t:${DEMO_TENANT}:idem:${sent.clientMessageId}`;
    const call = t.chat.sendMessage(sent).catch(() => undefined);
    // The claim is written, the publish cannot complete: the gateway dies in between.
    const claim = JSON.parse(
      await waitFor(async () => (await redis.get(idempotencyKey)) ?? undefined, 'the idempotency claim', 20_000, 20),
    ) as { turnId: string };
    await t.stack.kill('gateway');
    await call;

    await broker.start();
    t.stack.start('gateway');
    await t.stack.waitReady('gateway');
    const retried = await sendUntilAccepted(sent);
    expect(retried.turnId).toBe(claim.turnId);
    await expectQueuedOnce(sent.clientMessageId, claim.turnId);
    // Once queued, a further retry is a plain duplicate and queues nothing more.
    expect(await t.chat.sendMessage(sent)).toMatchObject({ turnId: claim.turnId, duplicate: true });
    await new Promise((r) => setTimeout(r, 1000));
    expect([...queued.get(sent.clientMessageId)!]).toEqual([claim.turnId]);
  }, 180_000);
});
