// The project's one way onto Kafka. kafkajs stays behind this class (it is unmaintained, and this
// keeps it replaceable). Every consumer runs the same pipeline: decode and validate the envelope and
// payload, skip what was already handled, retry with backoff while heartbeating, and send what
// cannot succeed — or what keeps taking its consumer down — to `<topic>.dlq` with the reason: the
// consumer always carries on.
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage, logLevel, LogEntry, Partitioners, Producer } from 'kafkajs';
import { fromJsonString, toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { deadLetterTopicOf, describeViolations, type EventTopic } from '@switchboard/contracts';
import { runWithContext, type Logger } from '@switchboard/logging';
import { Envelope, Header, newEnvelope, readEnvelope, writeEnvelope } from './envelope';
import { InvalidMessageError, isRetryable, PoisonMessageError } from './errors';
import { dedupeKey, type DedupeStore } from './dedupe-store';
import { consumed, handleSeconds, published } from './metrics';

export interface BusOptions {
  /** The service name: kafkajs client id, producer header, default consumer group. */
  service: string;
  instanceId: string;
  brokers: string[];
  logger: Logger;
  dedupe: DedupeStore;
  /**
   * Prefix for every topic and consumer group this bus touches, so separate deployments (or test
   * runs) can share one cluster. Callers always use the logical names from the registry.
   */
  namespace?: string;
  sessionTimeoutMs?: number;
}

export interface Delivery<T> {
  message: T;
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
}

export interface SubscribeOptions {
  /**
   * Default `<service>.<topic>`: one group per service and topic, since kafkajs cannot share a
   * group between consumers subscribed to different topics.
   */
  groupId?: string;
  /** Partitions handled in parallel; order is kept within a partition (one conversation). */
  concurrency?: number;
  maxAttempts?: number;
  /**
   * Deliveries of one message that may begin without finishing (the consumer crashed, was killed,
   * or stalled until the group moved the partition) before the next one dead-letters it unhandled
   * (default 3). Without this, a message that freezes its consumer is redelivered after every
   * restart and freezes it again.
   */
  maxStarts?: number;
  /**
   * Where a group starts on partitions it has no committed offset for (default: the beginning).
   * Starting at the end would silently skip what was published while a new group's only member
   * was down; handlers are idempotent, so replaying is the safe side.
   */
  fromBeginning?: boolean;
  /** Called for a message that is dead-lettered, e.g. to answer a request with an error. */
  onDeadLetter?: (raw: RawDelivery, reason: string, error: unknown) => Promise<void>;
}

export interface RawDelivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  envelope?: Envelope;
}

/** What a consumer needs of a topic: an event topic, or the request side of a request-reply pair. */
export type Subscribable<S extends DescMessage> = Pick<EventTopic<S>, 'name' | 'schema' | 'validate' | 'tenantOf'>;

export interface TopicSpec {
  name: string;
  partitions: number;
}

const HEARTBEAT_EVERY_MS = 3_000;

export class KafkaBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers: Consumer[] = [];
  private readonly crashed = new Set<string>();
  private connected = false;

  constructor(readonly options: BusOptions) {
    const log = options.logger.child({ component: 'kafka' });
    this.kafka = new Kafka({
      clientId: `${options.service}-${options.instanceId}`,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        // We bound producer retries on purpose (a publish must fail rather than hang) and use no
        // Kafka transactions, so kafkajs's exactly-once warning does not apply.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        const level = entry.level <= logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'debug';
        log[level]({ namespace: entry.namespace, ...extra }, message);
      },
      retry: { initialRetryTime: 200, retries: 8 },
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    this.admin = this.kafka.admin();
  }

  get service(): string {
    return this.options.service;
  }

  private physical(name: string): string {
    return `${this.options.namespace ?? ''}${name}`;
  }

  async connect(): Promise<void> {
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    this.connected = true;
  }

  /**
   * Creates missing topics (and their dead-letter topics) and waits until every partition has a
   * leader. Replicas starting together may race to create the same topics; that is fine.
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const wanted = [...new Map(specs.flatMap((s) => [s, { name: deadLetterTopicOf(s.name), partitions: 1 }]).map((s) => [s.name, s])).values()];
    const existing = new Set(await this.admin.listTopics());
    const missing = wanted.filter((s) => !existing.has(this.physical(s.name)));
    if (missing.length > 0) {
      await this.admin
        .createTopics({ waitForLeaders: true, topics: missing.map((s) => ({ topic: this.physical(s.name), numPartitions: s.partitions, replicationFactor: -1 })) })
        .catch((error: Error) => this.options.logger.debug({ err: error }, 'topic creation raced another replica; checking leaders'));
    }
    const names = wanted.map((s) => this.physical(s.name));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ready = await this.admin
        .fetchTopicMetadata({ topics: names })
        .then((m) => m.topics.length === names.length && m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`topics not ready after 15 s: ${names.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async publish<S extends DescMessage>(topic: EventTopic<S>, message: MessageShape<S>, fields: { messageId?: string; conversationId?: string } = {}): Promise<Envelope> {
    const violations = topic.validate(message);
    if (violations.length > 0) throw new InvalidMessageError(`refusing to publish an invalid ${topic.name}: ${describeViolations(violations)}`);
    const envelope = newEnvelope({ type: topic.schema.typeName, tenantId: topic.tenantOf(message), conversationId: fields.conversationId, producer: this.service, messageId: fields.messageId });
    await this.send(topic.name, topic.key(message), toJsonString(topic.schema, message), writeEnvelope(envelope));
    return envelope;
  }

  /** Low-level send (logical topic name) for request-reply and the outbox; else use `publish`. */
  async send(topic: string, key: string, value: string, headers: IHeaders): Promise<void> {
    await this.producer.send({ topic: this.physical(topic), messages: [{ key, value, headers }] });
    published.inc({ topic });
  }

  /** A consumer without the pipeline, for the request-reply layer's reply topics. */
  async subscribeRaw(topic: string, groupId: string, handler: (raw: RawDelivery) => Promise<void>): Promise<Consumer> {
    const consumer = this.newConsumer(groupId);
    await consumer.connect();
    await consumer.subscribe({ topic: this.physical(topic), fromBeginning: false });
    await consumer.run({ eachMessage: ({ partition, message }) => handler({ topic, partition, message }) });
    this.consumers.push(consumer);
    return consumer;
  }

  private newConsumer(groupId: string): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.physical(groupId),
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 300, retries: 10 },
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.options.logger.error({ err: event.payload.error, groupId, restart: event.payload.restart }, 'consumer crashed');
      if (!event.payload.restart) this.crashed.add(groupId);
    });
    return consumer;
  }

  async subscribe<S extends DescMessage>(topic: Subscribable<S>, handler: (delivery: Delivery<MessageShape<S>>) => Promise<void>, options: SubscribeOptions = {}): Promise<Consumer> {
    const groupId = options.groupId ?? `${this.service}.${topic.name}`;
    const maxAttempts = options.maxAttempts ?? 5;
    const maxStarts = options.maxStarts ?? 3;
    const log = this.options.logger.child({ component: 'consumer', topic: topic.name, groupId });
    const consumer = this.newConsumer(groupId);
    await consumer.connect();
    await consumer.subscribe({ topic: this.physical(topic.name), fromBeginning: options.fromBeginning ?? true });

    const handleOne = async (raw: RawDelivery, heartbeat: () => Promise<void>) => {
      const started = nowSeconds();
      const { envelope, problem } = readEnvelope(raw.message.headers);
      raw.envelope = envelope;
      let outcome = 'ok';
      try {
        if (!envelope) throw new InvalidMessageError(problem!);
        const message = decode(topic, raw.message.value, envelope);
        const key = dedupeKey(envelope.tenantId, groupId, envelope.messageId);
        if (await this.options.dedupe.seen(key)) {
          outcome = 'duplicate';
          return;
        }
        const starts = await this.options.dedupe.started(key);
        if (starts > maxStarts) throw new PoisonMessageError(`handling began ${starts - 1} times and never finished (the consumer crashed, was killed or stalled each time); not handled again`);
        await runWithContext(
          { tenantId: envelope.tenantId, conversationId: envelope.conversationId, correlationId: envelope.correlationId, messageId: envelope.messageId, traceparent: envelope.traceparent },
          () => withRetries(() => keepAlive(heartbeat, () => handler({ message, envelope, topic: raw.topic, partition: raw.partition, offset: raw.message.offset })), maxAttempts, log),
        );
        await this.options.dedupe.remember(key);
        await this.options.dedupe.finished(key);
      } catch (error) {
        outcome = 'dead_letter';
        const reason = error instanceof InvalidMessageError || error instanceof PoisonMessageError ? error.message : `handler failed after ${maxAttempts} attempts: ${(error as Error).message}`;
        log.warn({ offset: raw.message.offset, partition: raw.partition, messageId: envelope?.messageId, reason }, 'message sent to dead-letter topic');
        await this.deadLetter(raw, groupId, reason);
        if (envelope) await this.options.dedupe.finished(dedupeKey(envelope.tenantId, groupId, envelope.messageId));
        await options.onDeadLetter?.(raw, reason, error);
      } finally {
        consumed.inc({ topic: topic.name, outcome });
        handleSeconds.observe({ topic: topic.name }, nowSeconds() - started);
      }
    };

    await consumer.run({
      partitionsConsumedConcurrently: options.concurrency ?? 1,
      eachMessage: (payload) => handleOne({ topic: topic.name, partition: payload.partition, message: payload.message }, () => payload.heartbeat()),
    });
    this.consumers.push(consumer);
    return consumer;
  }

  private async deadLetter(raw: RawDelivery, groupId: string, reason: string): Promise<void> {
    const headers: IHeaders = { ...(raw.message.headers ?? {}) };
    headers[Header.deadLetterReason] = reason.slice(0, 2000);
    headers[Header.deadLetterGroup] = groupId;
    headers[Header.deadLetterOffset] = `${raw.topic}/${raw.partition}/${raw.message.offset}`;
    await this.producer.send({ topic: this.physical(deadLetterTopicOf(raw.topic)), messages: [{ key: raw.message.key, value: raw.message.value, headers }] });
  }

  /** Ready when the broker answers and no consumer has given up. */
  async health(): Promise<{ ok: boolean; detail: string }> {
    if (!this.connected) return { ok: false, detail: 'not connected' };
    if (this.crashed.size > 0) return { ok: false, detail: `consumer group(s) stopped: ${[...this.crashed].join(', ')}` };
    try {
      const cluster = await withTimeout(this.admin.describeCluster(), 2000, 'describeCluster');
      return { ok: cluster.brokers.length > 0, detail: `${cluster.brokers.length} broker(s)` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.connected = false;
  }
}

function decode<S extends DescMessage>(topic: Subscribable<S>, value: Buffer | null, envelope: Envelope): MessageShape<S> {
  if (!value || value.length === 0) throw new InvalidMessageError('payload is empty');
  let message: MessageShape<S>;
  try {
    message = fromJsonString(topic.schema, value.toString('utf8'));
  } catch (error) {
    throw new InvalidMessageError(`payload is not a valid ${topic.schema.typeName}: ${(error as Error).message}`);
  }
  const violations = topic.validate(message);
  if (violations.length > 0) throw new InvalidMessageError(`invalid ${topic.schema.typeName}: ${describeViolations(violations)}`);
  if (topic.tenantOf(message) !== envelope.tenantId) throw new InvalidMessageError(`tenantId in the payload does not match header ${Header.tenantId}`);
  return message;
}

async function withRetries<T>(fn: () => Promise<T>, maxAttempts: number, log: Logger): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
      const delay = Math.min(200 * 2 ** (attempt - 1), 5000);
      log.warn({ attempt, delay, err: error }, 'handler failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Heartbeats while a long handler (an LLM call) runs, so the group does not evict us. */
async function keepAlive<T>(heartbeat: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  // A missed heartbeat is not the handler's failure: the group's rebalance shows it, so it is dropped here.
  const timer = setInterval(() => {
    heartbeat().catch(() => undefined);
  }, HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function nowSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}
