// The project's one way onto Kafka. kafkajs stays behind this class (it is unmaintained, and this
// keeps it replaceable). Every consumer runs the same pipeline: decode and validate the envelope and
// payload, skip what was already handled, retry with backoff while heartbeating, and send what
// cannot succeed — or what keeps taking its consumer down — to `<topic>.dlq` with the reason: the
// consumer always carries on.
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage, logLevel, LogEntry, Partitioners, Producer, type RequestEvent } from 'kafkajs';
import './kafkajs-idle-timer';
import { fromJsonString, toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { deadLetterTopicOf, describeViolations, type EventTopic } from '@switchboard/contracts';
import { runWithContext, type Logger } from '@switchboard/logging';
import { Envelope, Header, newEnvelope, readEnvelope, sampledTraceId, writeEnvelope } from './envelope';
import { InvalidMessageError, isOutage, isRetryable, PoisonMessageError } from './errors';
import { dedupeKey, type DedupeStore } from './dedupe-store';
import type { ReplyStore } from './reply-store';
import { consumed, handleSeconds, kafkaRequests, published } from './metrics';
import type { TraceRecorder } from './trace-recorder';
import { partitionAssigners } from './subscribed-assigner';

export interface BusOptions {
  /** The service name: kafkajs client id, producer header, default consumer group. */
  service: string;
  instanceId: string;
  brokers: string[];
  logger: Logger;
  dedupe: DedupeStore;
  /** Where `serveRpc` keeps its replies for requests asked again; required to answer requests. */
  replies?: ReplyStore;
  /**
   * Prefix for every topic and consumer group this bus touches, so separate deployments (or test
   * runs) can share one cluster. Callers always use the logical names from the registry.
   */
  namespace?: string;
  sessionTimeoutMs?: number;
  /** Where consumers record the spans of sampled traces; without it nothing is recorded. */
  traces?: TraceRecorder;
  /** The share of traces this bus starts (messages published outside any handling) that are sampled. */
  traceSampleRate?: number;
  /**
   * One consumer group for the whole service (`<service>`): every subscription without a `groupId`
   * joins it when `start()` is called. A consumer per topic fetched and heartbeated on its own,
   * about 70 in a stack: most of the Kafka requests a turn cost (see README "Benchmarks").
   */
  groupPerService?: boolean;
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
   * A consumer group of the topic's own, joined at once: for a process that must read every
   * message (an instance's broadcast readers), a tool, a test. Default: the service's group.
   */
  groupId?: string;
  /**
   * Messages handled at once (default 1). Messages with the same key (one conversation) are handled
   * one at a time, in order; different keys of one partition go ahead concurrently, so a message
   * waiting on a slow dependency holds up only its own key.
   */
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
   * Skip a message whose id this group already handled (default true). Off for request-reply: a
   * request asked again under its id must be answered again (from the responder's reply store),
   * not dropped; the crash count of `maxStarts` still applies.
   */
  dedupe?: boolean;
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
/** Messages fetched and waiting, per handler slot, before the consumer stops fetching. */
const BUFFERED_PER_SLOT = 16;
const RETRY = { initialRetryTime: 200, maxRetryTime: 1000, retries: 8 };
/** How long a finished message's offset may wait to be committed with the ones after it. */
const COMMIT_EVERY_MS = 200;
/** How long start() waits for a broker that cannot answer yet before the service gives up starting. */
const START_WAIT_MS = 60_000;

export class KafkaBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers: Consumer[] = [];
  private readonly commits: OffsetCommits[] = [];
  private readonly crashed = new Set<string>();
  private serviceGroupOnce?: TopicsConsumer;
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
      // Waits between retries stay short (kafkajs's default grows them to 30 s), so a broker that
      // comes back is found within a second; a send still gives up after ~6 s of outage.
      retry: RETRY,
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = this.kafka.admin();
    countRequests(this.producer);
    countRequests(this.admin);
  }

  get service(): string {
    return this.options.service;
  }

  private get serviceGroup(): TopicsConsumer {
    return (this.serviceGroupOnce ??= new TopicsConsumer(this.newConsumer(this.service), this.service, this.options.logger));
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
    const wanted = [
      ...new Map(specs.flatMap((s) => [s, { name: deadLetterTopicOf(s.name), partitions: 1 }]).map((s) => [s.name, s])).values(),
    ];
    const existing = new Set(await this.admin.listTopics());
    const missing = wanted.filter((s) => !existing.has(this.physical(s.name)));
    if (missing.length > 0) {
      await this.admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({ topic: this.physical(s.name), numPartitions: s.partitions, replicationFactor: -1 })),
        })
        .catch((error: Error) => this.options.logger.debug({ err: error }, 'topic creation raced another replica; checking leaders'));
    }
    const names = wanted.map((s) => this.physical(s.name));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ready = await this.admin
        .fetchTopicMetadata({ topics: names })
        .then(
          (m) =>
            m.topics.length === names.length && m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
        )
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`topics not ready after 15 s: ${names.join(', ')}`);
      await sleep(200);
    }
  }

  async publish<S extends DescMessage>(
    topic: EventTopic<S>,
    message: MessageShape<S>,
    fields: { messageId?: string; conversationId?: string } = {},
  ): Promise<Envelope> {
    const violations = topic.validate(message);
    if (violations.length > 0)
      throw new InvalidMessageError(`refusing to publish an invalid ${topic.name}: ${describeViolations(violations)}`);
    const envelope = newEnvelope({
      type: topic.schema.typeName,
      tenantId: topic.tenantOf(message),
      conversationId: fields.conversationId,
      producer: this.service,
      messageId: fields.messageId,
      sampleRate: this.options.traceSampleRate,
    });
    await this.send(topic.name, topic.key(message), toJsonString(topic.schema, message), writeEnvelope(envelope));
    return envelope;
  }

  /** Low-level send (logical topic name) for request-reply and the outbox; else use `publish`. */
  async send(topic: string, key: string, value: string, headers: IHeaders): Promise<void> {
    await this.producer.send({ topic: this.physical(topic), messages: [{ key, value, headers }] });
    published.inc({ topic });
  }

  /** Several messages in one request per broker (the outbox's rows); each topic-partition keeps their order. */
  async sendBatch(messages: Array<{ topic: string; key: string; value: string; headers: IHeaders }>): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, Array<{ key: string; value: string; headers: IHeaders }>>();
    for (const { topic, ...message } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    await this.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic: this.physical(topic), messages: list })),
    });
    for (const [topic, list] of byTopic) published.inc({ topic }, list.length);
  }

  /** A consumer without the pipeline, for the request-reply layer's reply topics. */
  async subscribeRaw(topic: string, groupId: string, handler: (raw: RawDelivery) => Promise<void>): Promise<Consumer> {
    const started = Date.now();
    const consumer = this.newConsumer(groupId);
    await consumer.connect();
    await consumer.subscribe({ topic: this.physical(topic), fromBeginning: false });
    // Committed now and then, not per batch: a process reads its replies under a group of its own
    // (its instance id) that no later process resumes; the offset matters only when this process
    // rejoins the group (after a broker outage), to pick up from where it was, not from the end.
    // kafkajs's own autoCommit commits after every batch whatever its interval: a request per reply.
    const commits = new OffsetCommits(consumer, this.options.logger.child({ component: 'consumer', groupId }), 5_000);
    this.commits.push(commits);
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: physical, partition, message }) => {
        const tracker = commits.tracker(physical, partition);
        tracker.begin(message.offset);
        // A reply whose handling failed stays unfinished: kafkajs delivers it again, and the
        // commit must not pass it meanwhile.
        await handler({ topic, partition, message });
        tracker.end(message.offset);
        commits.soon();
      },
    });
    this.consumers.push(consumer);
    this.options.logger.info({ startupPhase: 'group', groupId, topics: 1, ms: Date.now() - started }, 'start-up: consumer group joined');
    return consumer;
  }

  private newConsumer(groupId: string): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.physical(groupId),
      sessionTimeout: this.options.sessionTimeoutMs ?? 6_000,
      heartbeatInterval: 1000,
      // How long the broker holds a fetch that finds nothing. A message that arrives meanwhile
      // ends the wait at once, so this costs no latency; 100 ms made every idle consumer ask ten
      // times a second (an idle stack's services spent 5x the CPU, see README "Benchmarks").
      maxWaitTimeInMs: 1000,
      allowAutoTopicCreation: false,
      retry: RETRY,
      partitionAssigners,
    });
    countRequests(consumer);
    consumer.on(consumer.events.CRASH, (event) => {
      this.options.logger.error({ err: event.payload.error, groupId, restart: event.payload.restart }, 'consumer crashed');
      if (!event.payload.restart) this.crashed.add(groupId);
    });
    return consumer;
  }

  /**
   * Handles `topic` with `handler` through the pipeline. With a `groupId`, on a consumer of its own,
   * joined when this returns. Without, in the service's group: on a bus with `groupPerService`, one
   * consumer for every topic the service serves, joined by `start()` (so subscribe first, in
   * `onApplicationBootstrap`); otherwise on a consumer of its own under `<service>.<topic>`.
   */
  async subscribe<S extends DescMessage>(
    topic: Subscribable<S>,
    handler: (delivery: Delivery<MessageShape<S>>) => Promise<void>,
    options: SubscribeOptions = {},
  ): Promise<Consumer> {
    // The name the topic's dedupe keys and dead letters carry; also its consumer group when it has
    // one of its own (before groupPerService every topic did, which is where start() takes its offsets from).
    const name = options.groupId ?? `${this.service}.${topic.name}`;
    const pipeline = new TopicPipeline(this.physical(topic.name), name, topic, handler as Handler, options, {
      dedupe: this.options.dedupe,
      instanceId: this.options.instanceId,
      service: this.service,
      traces: this.options.traces,
      log: this.options.logger.child({ component: 'consumer', topic: topic.name, groupId: name }),
      deadLetter: (raw, reason) => this.deadLetter(raw, name, reason),
    });
    if (options.groupId === undefined && this.options.groupPerService) {
      if (this.serviceGroup.started)
        throw new Error(
          `cannot subscribe to ${topic.name}: the service's consumer group was started; subscribe before start() (in onApplicationBootstrap)`,
        );
      this.serviceGroup.add(pipeline);
      return this.serviceGroup.consumer;
    }
    const group = new TopicsConsumer(this.newConsumer(name), name, this.options.logger);
    group.add(pipeline);
    await this.join(group);
    return group.consumer;
  }

  /**
   * Joins the service's consumer group with every topic subscribed so far (`groupPerService`). A
   * topic this group has no committed offsets for yet starts where the group that served it alone
   * before left off (when one replica starts first: deploy/README.md, "Upgrading to one consumer
   * group per service").
   */
  async start(): Promise<void> {
    const group = this.serviceGroup;
    if (group.started) return;
    group.started = true;
    if (group.topics.length === 0) return;
    await this.takeOverOffsets(group);
    await this.join(group);
  }

  private async join(group: TopicsConsumer): Promise<void> {
    const started = Date.now();
    await group.start();
    this.consumers.push(group.consumer);
    this.commits.push(group.commits);
    this.options.logger.info(
      { startupPhase: 'group', groupId: group.name, topics: group.topics.length, ms: Date.now() - started },
      'start-up: consumer group joined',
    );
  }

  private async takeOverOffsets(group: TopicsConsumer): Promise<void> {
    const groupId = this.physical(group.name);
    // kafkajs does not retry an offset fetch the coordinator refuses for now (a broker just started
    // is still loading its offsets topic; one restarting is unreachable): waited out, up to a bound,
    // instead of the service exiting at start-up.
    const fetchOffsets = (id: string, topics: string[]) =>
      untilAvailable(() => this.admin.fetchOffsets({ groupId: id, topics }), this.options.logger, {
        waiting: 'the broker cannot give the consumer group offsets yet; waiting',
        giveUpAfterMs: START_WAIT_MS,
      });
    const current = await fetchOffsets(groupId, group.topics);
    // Looked up together: on a new deployment (or test stack) every topic is missing.
    const takeOvers = await Promise.all(
      group.pipelines.map(async (pipeline) => {
        const missing = new Set(
          current
            .find((t) => t.topic === pipeline.topic)
            ?.partitions.filter((p) => Number(p.offset) < 0)
            .map((p) => p.partition) ?? [],
        );
        if (missing.size === 0) return { pipeline, partitions: [] };
        const [before] = await fetchOffsets(this.physical(pipeline.name), [pipeline.topic]);
        return { pipeline, partitions: before.partitions.filter((p) => missing.has(p.partition) && Number(p.offset) >= 0) };
      }),
    );
    for (const { pipeline, partitions } of takeOvers) {
      if (partitions.length === 0) continue;
      // Refused while the group has members (kafkajs joins it to set offsets): replicas of a service
      // upgraded together race here, and the loser's partitions start from the beginning. Hence the
      // upgrade procedure in deploy/README.md: stop every replica, start one, then the rest.
      await this.admin
        .setOffsets({ groupId, topic: pipeline.topic, partitions })
        .then(() =>
          this.options.logger.info({ groupId: group.name, from: pipeline.name, partitions: partitions.length }, 'offsets taken over'),
        )
        .catch((error: Error) =>
          this.options.logger.warn(
            { err: error, groupId: group.name, topic: pipeline.topic, from: pipeline.name },
            'offsets NOT taken over from the per-topic group: the group already has members (another replica started first). ' +
              'Its partitions without offsets start from the beginning; handled events are skipped by the dedupe store. ' +
              'Upgrade one replica first (deploy/README.md, "Upgrading to one consumer group per service").',
          ),
        );
    }
  }

  private async deadLetter(raw: RawDelivery, groupId: string, reason: string): Promise<void> {
    const headers: IHeaders = { ...(raw.message.headers ?? {}) };
    headers[Header.deadLetterReason] = reason.slice(0, 2000);
    headers[Header.deadLetterGroup] = groupId;
    headers[Header.deadLetterOffset] = `${raw.topic}/${raw.partition}/${raw.message.offset}`;
    await this.producer.send({
      topic: this.physical(deadLetterTopicOf(raw.topic)),
      messages: [{ key: raw.message.key, value: raw.message.value, headers }],
    });
  }

  /** Ready when the broker answers and no consumer has given up. */
  async health(): Promise<{ ok: boolean; detail: string }> {
    if (!this.connected) return { ok: false, detail: 'not connected' };
    if (this.crashed.size > 0) return { ok: false, detail: `consumer group(s) stopped: ${[...this.crashed].join(', ')}` };
    if (this.serviceGroupOnce && !this.serviceGroupOnce.started) return { ok: false, detail: 'consumer group not started yet' };
    try {
      const cluster = await withTimeout(this.admin.describeCluster(), 2000, 'describeCluster');
      return { ok: cluster.brokers.length > 0, detail: `${cluster.brokers.length} broker(s)` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  async disconnect(): Promise<void> {
    // What finished is committed first, so a restart does not hand it to the next process again;
    // not waited for long (a broker that is down would hold the shutdown): a re-delivery is skipped.
    await withTimeout(Promise.allSettled(this.commits.map((c) => c.close())), 2_000, 'the last offset commits').catch(() => undefined);
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.connected = false;
  }
}

function countRequests(client: Producer | Consumer | Admin): void {
  // Each client type declares its own event names; REQUEST is 'producer.network.request', etc.
  const on = client.on.bind(client) as (event: string, listener: (event: RequestEvent) => void) => void;
  on(client.events.REQUEST, (event) => kafkaRequests.inc({ api: event.payload.apiName }));
}

/** Offsets of one partition begun and finished, in one group generation. */
class PartitionProgress {
  private readonly pending = new Set<bigint>();
  private next?: bigint;
  committed?: string;

  begin(offset: string): void {
    this.pending.add(BigInt(offset));
    this.next = BigInt(offset) + 1n;
  }

  end(offset: string): void {
    this.pending.delete(BigInt(offset));
  }

  /** The offset to commit: the first one not finished, if that moved since the last commit. */
  committable(): string | undefined {
    if (this.next === undefined) return undefined;
    let first = this.next;
    for (const offset of this.pending) if (offset < first) first = offset;
    return first.toString() === this.committed ? undefined : first.toString();
  }
}

type Handler = (delivery: Delivery<unknown>) => Promise<void>;

/** What a topic's pipeline needs of the bus. */
interface PipelineDeps {
  dedupe: DedupeStore;
  instanceId: string;
  service: string;
  traces?: TraceRecorder;
  log: Logger;
  deadLetter: (raw: RawDelivery, reason: string) => Promise<void>;
}

/**
 * One topic's handling: decode and validate, skip what was handled, retry, dead-letter; per-key
 * queues over a bounded number of handler slots. A message waiting behind its key holds a buffer
 * place, not a handler slot; when the buffer is full the topic's partitions are paused rather than
 * the consumer's batch held, since one consumer may serve many topics and a held batch would stop
 * all of them.
 */
class TopicPipeline {
  private readonly running: Slots;
  private readonly capacity: number;
  private buffered = 0;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly paused = new Map<number, () => void>();

  constructor(
    /** The physical topic name. */
    readonly topic: string,
    /** The name its dedupe keys and dead letters carry (the group it once had alone). */
    readonly name: string,
    private readonly subscribable: Subscribable<DescMessage>,
    private readonly handler: Handler,
    readonly options: SubscribeOptions,
    private readonly deps: PipelineDeps,
  ) {
    const concurrency = options.concurrency ?? 1;
    this.running = new Slots(concurrency);
    this.capacity = concurrency * BUFFERED_PER_SLOT;
  }

  get hasRoom(): boolean {
    return this.buffered < this.capacity;
  }

  /**
   * Stops fetching this partition until the buffer has drained to half. Paused every time, not once:
   * a consumer kafkajs restarted (after a crash) has forgotten the pause, and would otherwise fetch
   * the same messages again and again without taking them.
   */
  pauseUntilRoom(partition: number, pause: () => () => void): void {
    this.paused.set(partition, pause());
  }

  /** Queues a message behind its key; `finished` runs once it is handled or dead-lettered. */
  take(partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, finished: () => void): void {
    this.buffered += 1;
    const queue = `${partition}/${message.key?.toString('base64') ?? ''}`;
    const done = (this.queues.get(queue) ?? Promise.resolve())
      .then(() => this.running.acquire())
      .then(() => this.handleOne({ topic: this.subscribable.name, partition, message }, heartbeat).finally(() => this.running.release()))
      .catch((error: unknown) => this.deps.log.error({ err: error, partition, offset: message.offset }, 'handling a dead letter failed'))
      .finally(() => {
        this.buffered -= 1;
        if (this.queues.get(queue) === done) this.queues.delete(queue);
        if (this.paused.size > 0 && this.buffered <= this.capacity / 2) {
          for (const resume of this.paused.values()) resume();
          this.paused.clear();
        }
        finished();
      });
    this.queues.set(queue, done);
  }

  private async handleOne(raw: RawDelivery, heartbeat: () => Promise<void>): Promise<void> {
    const { options, deps, subscribable: topic, name } = this;
    const maxAttempts = options.maxAttempts ?? 5;
    const maxStarts = options.maxStarts ?? 3;
    const skipsHandled = options.dedupe ?? true;
    const log = deps.log;
    const started = nowSeconds();
    const startedAt = new Date().toISOString();
    const { envelope, problem } = readEnvelope(raw.message.headers);
    raw.envelope = envelope;
    let outcome = 'ok';
    try {
      if (!envelope) throw new InvalidMessageError(problem!);
      const message = decode(topic, raw.message.value, envelope);
      const key = dedupeKey(envelope.tenantId, name, envelope.messageId);
      // The dedupe store's calls wait out its outages, as a handler's do: a Redis blip delays
      // messages and never dead-letters them.
      const dedupe = <T>(call: () => Promise<T>) => keepAlive(heartbeat, () => untilAvailable(call, log));
      const beginning = await dedupe(() => deps.dedupe.begin(key, deps.instanceId, skipsHandled));
      if (beginning.handled) {
        outcome = 'duplicate';
        return;
      }
      if (beginning.starts > maxStarts)
        throw new PoisonMessageError(
          `handling began in ${beginning.starts - 1} processes and never finished (each crashed, was killed or stalled); not handled again`,
        );
      await runWithContext(
        {
          tenantId: envelope.tenantId,
          conversationId: envelope.conversationId,
          correlationId: envelope.correlationId,
          messageId: envelope.messageId,
          traceparent: envelope.traceparent,
        },
        () =>
          keepAlive(heartbeat, () =>
            withRetries(
              () => this.handler({ message, envelope, topic: raw.topic, partition: raw.partition, offset: raw.message.offset }),
              maxAttempts,
              log,
            ),
          ),
      );
      await dedupe(() => deps.dedupe.end(key, skipsHandled));
    } catch (error) {
      outcome = 'dead_letter';
      const reason =
        error instanceof InvalidMessageError || error instanceof PoisonMessageError
          ? error.message
          : `handler failed after ${maxAttempts} attempts: ${(error as Error).message}`;
      log.warn(
        { offset: raw.message.offset, partition: raw.partition, messageId: envelope?.messageId, reason },
        'message sent to dead-letter topic',
      );
      await keepAlive(heartbeat, () => untilAvailable(() => deps.deadLetter(raw, reason), log));
      if (envelope)
        await keepAlive(heartbeat, () =>
          untilAvailable(() => deps.dedupe.end(dedupeKey(envelope.tenantId, name, envelope.messageId), false), log),
        );
      await options.onDeadLetter?.(raw, reason, error);
    } finally {
      consumed.inc({ topic: topic.name, outcome });
      handleSeconds.observe({ topic: topic.name }, nowSeconds() - started);
      const traceId = sampledTraceId(envelope?.traceparent);
      if (traceId && deps.traces)
        deps.traces.record({
          traceId,
          tenantId: envelope!.tenantId,
          messageId: envelope!.messageId,
          causationId: envelope!.causationId,
          topic: topic.name,
          service: deps.service,
          publishedAt: envelope!.occurredAt,
          startedAt,
          endedAt: new Date().toISOString(),
          outcome,
        });
    }
  }
}

/**
 * One kafkajs consumer and the topics it serves, each through its pipeline. kafkajs fetches past
 * what it is given back (resolveOffset); we commit only up to the first message of a partition not
 * yet finished, so a crash re-delivers every unfinished message and the dedupe store skips the
 * finished ones.
 */
class TopicsConsumer {
  readonly pipelines: TopicPipeline[] = [];
  readonly commits: OffsetCommits;
  /** Set by KafkaBus.start() as it begins (a subscription after it is refused). */
  started = false;

  constructor(
    readonly consumer: Consumer,
    readonly name: string,
    log: Logger,
  ) {
    this.commits = new OffsetCommits(consumer, log.child({ component: 'consumer', groupId: name }));
  }

  get topics(): string[] {
    return this.pipelines.map((p) => p.topic);
  }

  add(pipeline: TopicPipeline): void {
    this.pipelines.push(pipeline);
  }

  /** Resolves once the group is joined and partitions assigned: where restarts wait. */
  async start(): Promise<void> {
    const byTopic = new Map(this.pipelines.map((p) => [p.topic, p]));
    await this.consumer.connect();
    for (const pipeline of this.pipelines)
      await this.consumer.subscribe({ topic: pipeline.topic, fromBeginning: pipeline.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Nothing below waits: a batch is queued (or its partition paused) and the next one taken.
      eachBatch: async (payload) => {
        // Methods of the payload are called on it (they are not bound), hence no destructuring.
        const { batch } = payload;
        const { topic, partition } = batch;
        const pipeline = byTopic.get(topic)!;
        const tracker = this.commits.tracker(topic, partition);
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) return;
          // What is not resolved is fetched again once the partition is resumed.
          if (!pipeline.hasRoom) return pipeline.pauseUntilRoom(partition, () => payload.pause());
          tracker.begin(message.offset);
          payload.resolveOffset(message.offset);
          pipeline.take(
            partition,
            message,
            () => payload.heartbeat(),
            () => {
              tracker.end(message.offset);
              this.commits.soon();
            },
          );
        }
      },
    });
  }
}

/**
 * A consumer's progress in its group generation (per topic and partition, started afresh at each
 * join) and its commits: every finished offset in one request, at most once per COMMIT_EVERY_MS (or
 * the interval given). Committing after each message cost the broker a write to its offsets log per
 * message handled (most of its CPU per turn, see README "Benchmarks"); committing later only means
 * a crash re-delivers up to that much more, which the dedupe store (or, for requests, the reply
 * store) skips as it skips any re-delivery.
 */
class OffsetCommits {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;
  private generation = new Map<string, Map<number, PartitionProgress>>();

  constructor(
    private readonly consumer: Consumer,
    private readonly log: Logger,
    private readonly everyMs = COMMIT_EVERY_MS,
  ) {
    consumer.on(consumer.events.GROUP_JOIN, () => (this.generation = new Map()));
  }

  /** The progress of a (physical) topic's partition in this generation. */
  tracker(topic: string, partition: number): PartitionProgress {
    let partitions = this.generation.get(topic);
    if (!partitions) this.generation.set(topic, (partitions = new Map<number, PartitionProgress>()));
    let tracker = partitions.get(partition);
    if (!tracker) partitions.set(partition, (tracker = new PartitionProgress()));
    return tracker;
  }

  /** A message finished: commit within `everyMs`. */
  soon(): void {
    if (!this.closed) this.timer ??= setTimeout(() => void this.now(), this.everyMs);
  }

  /** The last commit, before the consumer disconnects; nothing is committed after it. */
  close(): Promise<void> {
    const last = this.now();
    this.closed = true;
    return last;
  }

  /** Commits what is finished, after any commit under way (one at a time keeps offsets rising). */
  private now(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return (this.running = this.running.then(() => this.commit()));
  }

  private async commit(): Promise<void> {
    const generation = this.generation;
    const due = [...generation]
      .flatMap(([topic, partitions]) =>
        [...partitions].map(([partition, tracker]) => ({ topic, partition, tracker, offset: tracker.committable() })),
      )
      .filter((entry): entry is typeof entry & { offset: string } => entry.offset !== undefined);
    if (due.length === 0) return;
    try {
      await this.consumer.commitOffsets(due.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
      // After a rebalance the new generation starts over from what the group has committed.
      if (this.generation === generation) for (const { tracker, offset } of due) tracker.committed = offset;
    } catch (error) {
      this.log.debug({ err: error }, 'offset commit failed; trying again shortly');
      this.soon();
    }
  }
}

/** A counting semaphore. */
class Slots {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) return void (this.free -= 1);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
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
  if (topic.tenantOf(message) !== envelope.tenantId)
    throw new InvalidMessageError(`tenantId in the payload does not match header ${Header.tenantId}`);
  return message;
}

/** Retries a failing handler up to maxAttempts; a failure that is an outage does not count as one. */
async function withRetries<T>(fn: () => Promise<T>, maxAttempts: number, log: Logger): Promise<T> {
  for (let attempt = 1, outages = 0; ;) {
    try {
      return await fn();
    } catch (error) {
      if (isOutage(error)) {
        outages += 1;
        log.warn({ outages, err: error }, 'a dependency is unreachable; waiting it out');
        await sleep(backoff(outages));
        continue;
      }
      if (!isRetryable(error) || attempt >= maxAttempts) throw error;
      log.warn({ attempt, err: error }, 'handler failed; retrying');
      await sleep(backoff(attempt));
      attempt += 1;
    }
  }
}

/**
 * Calls `fn` until it succeeds while its store is down: for the bus's own calls (dedupe store,
 * dead-letter topic, offsets at start-up). Any other failure (a refused command, a message too
 * large) is thrown at once: waiting would hold the key's queue, and the partition's commit, forever.
 */
async function untilAvailable<T>(
  fn: () => Promise<T>,
  log: Logger,
  { waiting = 'the dedupe store or the dead-letter topic is unreachable; waiting it out', giveUpAfterMs = Infinity } = {},
): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let tries = 1; ; tries += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isOutage(error) || Date.now() > deadline) throw error;
      log.warn({ tries, err: error }, waiting);
      await sleep(backoff(tries));
    }
  }
}

function backoff(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 3000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
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
