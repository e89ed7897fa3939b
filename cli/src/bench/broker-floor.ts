// The broker's floor for a turn, measured in the same run as the turns: what the same number of
// hops costs with nothing but kafkajs and the broker. A chain is one one-way hop (the customer's
// message reaching the conversation service), the request-reply round trips a turn makes in a row,
// and one one-way hop back (the reply reaching the gateway); the turn's other events (analytics,
// lifecycle) are published beside it without waiting. The producer and consumers are set up as the
// project's bus sets up its own (idempotent producer, one request in flight, 100 ms fetch wait), so
// the ratio of a turn to its floor is what Switchboard adds on top of Kafka.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { percentile } from './percentile';

export interface ChainShape {
  /** Request-reply round trips one after another. */
  roundTrips: number;
  /** Events published beside the chain, not waited for. */
  sideEvents: number;
}

export interface FloorFigures {
  p50: number;
  p95: number;
  p99: number;
  /** Chains per second at the given concurrency. */
  throughput: number;
}

export class BrokerFloor {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumers: Consumer[] = [];
  private readonly waiting = new Map<string, () => void>();
  private readonly topics: { request: string; reply: string; event: string; side: string };

  constructor(brokers: string, namespace: string) {
    this.kafka = new Kafka({
      clientId: `bench-floor-${randomUUID().slice(0, 8)}`,
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const run = randomUUID().slice(0, 8);
    this.topics = {
      request: `${namespace}floor-${run}.request`,
      reply: `${namespace}floor-${run}.reply`,
      event: `${namespace}floor-${run}.event`,
      side: `${namespace}floor-${run}.side`,
    };
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(this.topics).map((topic) => ({ topic, numPartitions: 4, replicationFactor: -1 })),
      });
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
    // The responder: answers each request on the reply topic, as serveRpc does.
    await this.consume(this.topics.request, async (key, value) => {
      await this.producer.send({ topic: this.topics.reply, messages: [{ key, value }] });
    });
    const arrived = async (_key: string, value: string) => this.waiting.get(value)?.();
    await this.consume(this.topics.reply, arrived);
    await this.consume(this.topics.event, arrived);
    await this.consume(this.topics.side, async () => undefined);
  }

  private async consume(topic: string, handle: (key: string, value: string) => Promise<void>): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 100, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async ({ message }) => handle(String(message.key), String(message.value)) });
    this.consumers.push(consumer);
  }

  /** Sends one message and resolves when this process has consumed it (or its reply). */
  private hop(topic: string, key: string): Promise<void> {
    const id = randomUUID();
    const arrived = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    return this.producer
      .send({ topic, messages: [{ key, value: id }] })
      .then(() => arrived)
      .finally(() => this.waiting.delete(id));
  }

  private async chain(shape: ChainShape): Promise<number> {
    const key = randomUUID(); // one conversation
    const started = process.hrtime.bigint();
    const side = Array.from({ length: shape.sideEvents }, () =>
      this.producer.send({ topic: this.topics.side, messages: [{ key, value: 'side' }] }),
    );
    await this.hop(this.topics.event, key);
    for (let i = 0; i < shape.roundTrips; i += 1) await this.hop(this.topics.request, key);
    await this.hop(this.topics.event, key);
    await Promise.all(side);
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  /** `chains` chains, `concurrency` at a time, after a few to warm up. */
  async measure(shape: ChainShape, chains: number, concurrency: number): Promise<FloorFigures> {
    for (let i = 0; i < 5; i += 1) await this.chain(shape);
    const ms: number[] = [];
    let next = 0;
    const began = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < chains) ms.push(await this.chain(shape));
      }),
    );
    const seconds = (Date.now() - began) / 1000;
    ms.sort((a, b) => a - b);
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), throughput: chains / seconds };
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await this.producer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}
