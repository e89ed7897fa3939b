// Benchmark: what customers lose while parts of Switchboard fail. A private stack (its own Kafka
// broker and Redis, so both may be killed or paused), C conversations over the public gRPC API at
// a steady rate, and a schedule of faults: every service killed with SIGKILL in turn and restarted,
// the broker killed (and the broker then the gateway), Redis stalled, a second round of gateway and
// conversation kills. Clients retry a failed turn with the same client_message_id, as an adapter
// would. Afterwards every conversation is replayed with SubscribeConversation and the figures are
// printed: turns lost, doubled, out of order, latency in and out of fault windows per turn kind,
// time to recover per fault, dead letters, and each service's time from process start to ready.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Kafka, logLevel } from 'kafkajs';
import { ChatClient, type ChatEvent, type CustomerMessage } from '../chat/chat.client';
import { Rpcs, Topics } from '@switchboard/contracts';
import { withBus, withRpc } from '../commands/bus';
import { ingestFile } from '../commands/kb.command';
import { sharedDataDir } from '../paths';
import { SERVICES, type ServiceName } from '../stack/local-stack';
import { PrivateKafka, PrivateRedis } from '@switchboard/testing';
import Redis from 'ioredis';
import { readTrace } from '@switchboard/messaging';
import { renderTrace } from '../commands/trace.command';
import { percentile } from './percentile';
import { startPrivateStack, type PrivateStack } from './private-stack';

type Kind = 'knowledge' | 'order' | 'handoff';
const KINDS: Kind[] = ['knowledge', 'order', 'handoff'];

/**
 * The services a turn of each kind waits on before its reply (TurnService.compose): every turn is
 * screened by moderation; knowledge turns search and compose, order turns call the order system,
 * a hand-off is summarised. Ticketing and analytics act on events after the reply is sent. A
 * service down must not slow the kinds that do not need it.
 */
const NEEDS: Record<Kind, readonly ServiceName[]> = {
  knowledge: ['gateway', 'conversation', 'moderation', 'retrieval', 'generation'],
  order: ['gateway', 'conversation', 'moderation', 'integration'],
  handoff: ['gateway', 'conversation', 'moderation', 'generation'],
};
/** How much slower than outside faults a turn that does not need the failed service may be, at p95. */
const UNAFFECTED_P95_FACTOR = 2;

/** The conversations clients hold, in turn: two knowledge ones, an order status flow, a hand-off. */
const SCRIPTS: Array<Array<{ kind: Kind; text: string }>> = [
  [
    { kind: 'knowledge', text: 'How do I return an item from a delivered order?' },
    { kind: 'knowledge', text: 'Can I exchange an item for a different size?' },
  ],
  [
    { kind: 'order', text: 'Hi, where is my order?' },
    { kind: 'order', text: 'My email is yara.li6570@example.com' },
    { kind: 'order', text: 'What is the status of order #W2497857?' },
  ],
  [
    { kind: 'knowledge', text: 'I want to cancel my pending order, how does that work?' },
    { kind: 'knowledge', text: 'Can I change the shipping address of my order?' },
  ],
  [
    { kind: 'knowledge', text: 'How long does a refund take?' },
    { kind: 'handoff', text: 'Please connect me to a human agent' },
  ],
];

/** A turn a client gives up on after this long (counted as not answered). */
const TURN_GIVE_UP_MS = 180_000;
const ATTEMPT_TIMEOUT_MS = 60_000;
const SERVICE_RESTART_DELAY_MS = 2000;
const BROKER_DOWN_MS = 10_000;
const REDIS_PAUSE_MS = 8000;
/** Time after turns flow again before the next fault may start. */
const SETTLE_MS = 10_000;

interface Turn {
  conversation: number;
  index: number;
  kind: Kind;
  clientMessageId: string;
  startedAt: number;
  attempts: number;
  turnId?: string;
  answeredAt?: number;
  completed: boolean;
  /** This turn's replies and hand-offs as the client saw them on Converse: "<kind>:<event id>". */
  replies: Set<string>;
}

interface Conversation {
  id?: string;
  customerId: string;
  /** The first stream event the client saw: where its replay starts. */
  firstEvent?: ChatEvent;
  turns: Turn[];
}

interface Fault {
  name: string;
  /** The service this fault killed, if it killed one. */
  service?: ServiceName;
  startedAt: number;
  /** When what failed was back (ready, or the pause over). */
  restoredAt?: number;
}

interface Options {
  minutes: number;
  concurrency: number;
  rate: number;
  portOffset: number;
  replicas: number;
  faults?: string;
  trace?: boolean;
}

/**
 * What `--replicas 2` runs twice. Retrieval stays single: its embedded LanceDB store has one
 * writer process per VECTOR_DIR.
 */
const REPLICATED = ['conversation', 'gateway', 'retrieval'] as const satisfies readonly ServiceName[];

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

export function faultsBenchCommand(): Command {
  return new Command('faults')
    .description(
      'turns lost, doubled or reordered, and latency, while services, the Kafka broker and Redis fail under steady load (private stack, own broker and Redis)',
    )
    .option('-m, --minutes <n>', 'minutes of load (extended until the fault schedule is done)', positive('--minutes'), 8)
    .option('-c, --concurrency <n>', 'conversations in flight at once', positive('--concurrency'), 40)
    .option('-r, --rate <n>', 'turns started per second, at most', positive('--rate'), 7)
    .option(
      '--replicas <n>',
      `1, or 2: a second ${REPLICATED.join(', ')} that the faults leave alone (the second retrieval reads the first one's vectors), clients spread over both gateways round-robin`,
      positive('--replicas'),
      1,
    )
    .option(
      '--trace',
      "record every turn's hops (TRACE_SAMPLE_RATE=1) and print the trace of the slowest turn of each kind slowed by a service it does not need",
    )
    .option('--faults <text>', 'run only the faults whose name contains this text (e.g. "broker"); default: the whole schedule')
    .option(
      '--port-offset <n>',
      'added to the stack ports (the broker sits at 19500 + offset/100, Redis at 19600 + offset/100)',
      positive('--port-offset'),
      23_000,
    )
    .addHelpText(
      'after',
      '\nNothing here touches the shared Kafka or Redis: the stack runs on a broker and a Redis of its own, started and removed by this command.',
    )
    .action((options: Options) => benchFaults(options));
}

const now = () => Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function benchFaults(options: Options): Promise<void> {
  const broker = new PrivateKafka(19_500 + Math.floor(options.portOffset / 100));
  const redis = new PrivateRedis(19_600 + Math.floor(options.portOffset / 100));
  const readyMs = new Map<ServiceName, number[]>();
  const noteReady = (service: ServiceName, ms: number) => readyMs.set(service, [...(readyMs.get(service) ?? []), ms]);
  console.log(`starting a private broker on ${broker.address}, Redis on ${redis.url} and the stack ...`);
  await broker.start();
  await redis.start();
  let privateStack: PrivateStack | undefined;
  try {
    privateStack = await startPrivateStack(options.portOffset, SERVICES, {
      kafkaBrokers: broker.address,
      redisUrl: redis.url,
      onReady: noteReady,
      readyTimeoutMs: 180_000,
      // Every topic up front, from one client: eight services creating theirs at once on a fresh
      // broker of a loaded machine missed the services' 15 s start-up wait.
      beforeStart: (namespace) =>
        withBus({ namespace, brokers: broker.address, redisUrl: redis.url }, async (bus) => {
          const specs = [...Object.values(Topics), ...Object.values(Rpcs)].map((t) => ({ name: t.name, partitions: t.partitions }));
          for (let attempt = 1; ; attempt += 1) {
            try {
              return await bus.ensureTopics(specs);
            } catch (error) {
              if (attempt === 5) throw error;
            }
          }
        }),
      // As in the end-to-end tests, a lost request is asked again sooner. All clients share one API
      // key, like a channel adapter: its per-key limit is lifted.
      env: {
        ...(options.trace ? { TRACE_SAMPLE_RATE: '1' } : {}),
        RATE_LIMIT_KEY_PER_MIN: '60000',
        RETRIEVAL_TIMEOUT_MS: '4000',
        MODERATION_TIMEOUT_MS: '4000',
        GENERATION_TIMEOUT_MS: '6000',
      },
    });
    await withRpc({ namespace: privateStack.namespace, brokers: broker.address, redisUrl: redis.url }, (rpc) =>
      ingestFile(rpc, 'demo', 'policies', path.join(sharedDataDir, 'tau-retail', 'wiki.md')),
    );
    await run(privateStack, broker, redis, options, noteReady, readyMs);
  } finally {
    await privateStack?.close();
    await redis.destroy();
    await broker.destroy();
  }
}

async function run(
  ps: PrivateStack,
  broker: PrivateKafka,
  redis: PrivateRedis,
  options: Options,
  noteReady: (s: ServiceName, ms: number) => void,
  readyMs: Map<ServiceName, number[]>,
): Promise<void> {
  const { stack } = ps;
  const replica = options.replicas > 1 ? ps.replicas(options.portOffset + 600) : undefined;
  if (replica) {
    await replica.startAll(REPLICATED, (service, ms) => noteReady(service, ms), 180_000);
    console.log(`second replicas ready: ${REPLICATED.join(', ')} (gateway gRPC ${replica.grpcAddress})`);
  }
  // With replicas, gRPC's round-robin spreads calls over both gateways; a killed one fails only its own calls.
  const client = new ChatClient(replica ? `${stack.grpcAddress},${replica.grpcAddress}` : stack.grpcAddress, ps.demoKey());
  const conversations: Conversation[] = [];
  const faults: Fault[] = [];
  const exitedOnTheirOwn: string[] = [];
  /** Services this bench killed and has not restarted yet: the watchdog leaves them alone. */
  const down = new Set<ServiceName>();
  let stopLoad = false;

  const restart = async (service: ServiceName) => {
    const started = now();
    stack.start(service);
    await stack.waitReady(service, 120_000);
    noteReady(service, now() - started);
    down.delete(service);
  };
  const kill = async (service: ServiceName) => {
    down.add(service);
    await stack.kill(service);
  };

  // A supervisor: a service that exits by itself is noted and started again.
  const watchdog = setInterval(() => {
    for (const service of replica ? REPLICATED : []) {
      if (replica!.running(service)) continue;
      exitedOnTheirOwn.push(`${service} (second replica) at +${seconds(now() - began)}`);
      replica!.start(service);
    }
    for (const service of SERVICES) {
      if (down.has(service) || stack.running(service)) continue;
      exitedOnTheirOwn.push(`${service} at +${seconds(now() - began)}`);
      down.add(service);
      void restart(service).catch((error: Error) => console.log(`  ! ${service} did not come back: ${error.message.split('\n')[0]}`));
    }
  }, 500);

  // The pacer: turns start at most `rate` per second across all clients.
  let nextSlot = now();
  const slot = async () => {
    const at = Math.max(nextSlot, now());
    nextSlot = at + 1000 / options.rate;
    await sleep(at - now());
  };

  const playTurn = async (conversation: Conversation, turn: Turn, text: string) => {
    const message = (): CustomerMessage => ({
      clientMessageId: turn.clientMessageId,
      customerId: conversation.customerId,
      channel: 'web',
      locale: 'en',
      text,
      ...(conversation.id ? { conversationId: conversation.id } : {}),
    });
    while (now() - turn.startedAt < TURN_GIVE_UP_MS) {
      turn.attempts += 1;
      try {
        for await (const e of client.converse(message(), ATTEMPT_TIMEOUT_MS)) {
          if (e.kind === 'accepted') {
            turn.turnId ??= e.turnId;
            conversation.id ??= e.conversationId;
            continue;
          }
          conversation.firstEvent ??= e;
          if (e.kind === 'reply' || e.kind === 'handoff') {
            turn.answeredAt ??= now();
            turn.replies.add(`${e.kind}:${e.eventId}`);
          }
          if (e.kind === 'completed') turn.completed = true;
        }
        if (turn.completed) return;
      } catch {
        // UNAVAILABLE, a dropped stream, a deadline: what an adapter retries.
      }
      await sleep(500);
    }
  };

  const playConversation = async (n: number) => {
    const script = SCRIPTS[n % SCRIPTS.length];
    const conversation: Conversation = { customerId: `bench-faults-${ps.run}-${n}`, turns: [] };
    conversations.push(conversation);
    for (const [index, step] of script.entries()) {
      if (stopLoad) return;
      await slot();
      const turn: Turn = {
        conversation: n,
        index,
        kind: step.kind,
        clientMessageId: randomUUID(),
        startedAt: now(),
        attempts: 0,
        completed: false,
        replies: new Set(),
      };
      conversation.turns.push(turn);
      await playTurn(conversation, turn, step.text);
      if (!turn.completed) return; // given up: the rest of this conversation is not sent
    }
  };

  const fullSchedule: Array<{ name: string; service?: ServiceName; act: (fault: Fault) => Promise<void> }> = [
    ...SERVICES.map((service) => ({
      name: `kill -9 ${service}`,
      service,
      act: async (fault: Fault) => {
        await kill(service);
        await sleep(SERVICE_RESTART_DELAY_MS);
        await restart(service);
        fault.restoredAt = now();
      },
    })),
    {
      name: 'kill -9 the Kafka broker (restart after 10 s)',
      act: async (fault) => {
        await broker.kill();
        await sleep(BROKER_DOWN_MS);
        await broker.start();
        fault.restoredAt = now();
      },
    },
    {
      name: 'kill -9 the broker, then the gateway 5 s later',
      act: async (fault) => {
        await broker.kill();
        await sleep(5000);
        await kill('gateway');
        await sleep(BROKER_DOWN_MS - 5000);
        await broker.start();
        await restart('gateway');
        fault.restoredAt = now();
      },
    },
    {
      name: `Redis stall (CLIENT PAUSE ${REDIS_PAUSE_MS} ms)`,
      act: async (fault) => {
        await redis.pause(REDIS_PAUSE_MS);
        await sleep(REDIS_PAUSE_MS);
        fault.restoredAt = now();
      },
    },
    ...(['gateway', 'conversation'] as const).map((service) => ({
      name: `kill -9 ${service} (second round)`,
      service,
      act: async (fault: Fault) => {
        await kill(service);
        await sleep(SERVICE_RESTART_DELAY_MS);
        await restart(service);
        fault.restoredAt = now();
      },
    })),
  ];

  const schedule = fullSchedule.filter((step) => !options.faults || step.name.includes(options.faults));
  if (schedule.length === 0)
    throw new InvalidArgumentError(
      `--faults: no fault's name contains "${options.faults}"; names: ${fullSchedule.map((s) => s.name).join('; ')}`,
    );
  const began = now();
  const durationMs = options.minutes * 60_000;
  const warmUpMs = 20_000;
  const gapMs = Math.max(5000, (durationMs - warmUpMs - 30_000) / schedule.length);
  console.log(
    `load: ${options.concurrency} clients, at most ${options.rate} turns/s, ${options.minutes} min; ${schedule.length} faults, one every ${seconds(gapMs)} after ${seconds(warmUpMs)}`,
  );

  const faultsDone = (async () => {
    let settled = 0;
    for (const [i, step] of schedule.entries()) {
      // A fault never starts while the last one's effects last: overlapping faults would charge the
      // second one's outage to the first one's recovery.
      await sleep(Math.max(began + warmUpMs + i * gapMs, settled) - now());
      const fault: Fault = { name: step.name, service: step.service, startedAt: now() };
      faults.push(fault);
      console.log(`[+${seconds(fault.startedAt - began)}] fault: ${step.name}`);
      try {
        await step.act(fault);
        console.log(`[+${seconds(now() - began)}]   back after ${seconds((fault.restoredAt ?? now()) - fault.startedAt)}`);
        // Settled: turns flow again (one answered since it was back), then SETTLE_MS more.
        const back = fault.restoredAt ?? now();
        const flowing = () => conversations.some((c) => c.turns.some((t) => (t.answeredAt ?? 0) > back));
        for (const giveUp = now() + 60_000; !flowing() && now() < giveUp;) await sleep(250);
        settled = now() + SETTLE_MS;
      } catch (error) {
        console.log(`[+${seconds(now() - began)}]   ! not restored: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    return now();
  })();

  const progress = setInterval(() => {
    const turns = conversations.flatMap((c) => c.turns);
    const answered = turns.filter((t) => t.answeredAt !== undefined).length;
    console.log(
      `[+${seconds(now() - began)}] turns started ${turns.length}, answered ${answered}, waiting ${turns.filter((t) => !t.completed).length}, retries ${turns.reduce((n, t) => n + t.attempts - 1, 0)}`,
    );
  }, 10_000);

  let nextConversation = 0;
  const clients = Array.from({ length: options.concurrency }, async () => {
    while (!stopLoad) await playConversation(nextConversation++);
  });
  const scheduleEnd = await faultsDone;
  await sleep(Math.max(began + durationMs - now(), scheduleEnd + 30_000 - now()));
  stopLoad = true;
  console.log(`[+${seconds(now() - began)}] load stopped; waiting for the turns in flight ...`);
  await Promise.all(clients);
  clearInterval(progress);
  clearInterval(watchdog);

  console.log('replaying every conversation with SubscribeConversation ...');
  const replayed = await replayAll(client, conversations);
  client.close();
  const deadLetters = await countDeadLetters(broker.address, ps.namespace);
  const slowed = report({ began, conversations, faults, replayed, deadLetters, exitedOnTheirOwn, readyMs });
  if (options.trace) await printTraces(redis.url, ps.namespace, slowed);
}

/** Where each slowed turn spent its time, from the spans every service recorded (--trace). */
async function printTraces(redisUrl: string, namespace: string, slowed: Array<{ turn: Turn; why: string }>): Promise<void> {
  const redis = new Redis(redisUrl, { keyPrefix: namespace });
  try {
    for (const { turn, why } of slowed) {
      console.log(`\n== trace of turn ${turn.turnId}: ${why}, ${(turn.answeredAt ?? NaN) - turn.startedAt} ms`);
      const lines = renderTrace(await readTrace(redis, 'demo', turn.turnId!));
      console.log(lines.length > 0 ? lines.join('\n') : '(no spans recorded)');
    }
  } finally {
    redis.disconnect();
  }
}

/** Every event of each conversation after the first one its client saw, keyed by conversation. */
async function replayAll(client: ChatClient, conversations: Conversation[]): Promise<Map<Conversation, ChatEvent[]>> {
  const replayed = new Map<Conversation, ChatEvent[]>();
  const queue = conversations.filter((c) => c.id && c.firstEvent);
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const events: ChatEvent[] = [c.firstEvent!];
        const { events: stream, cancel } = client.subscribe(c.id!, { customerId: c.customerId, channel: 'web' }, c.firstEvent!.eventId);
        let idle = setTimeout(cancel, 2000);
        try {
          for await (const e of stream) {
            events.push(e);
            clearTimeout(idle);
            idle = setTimeout(cancel, 1000);
          }
        } catch (error) {
          console.log(`  ! replay of ${c.id}: ${(error as Error).message}`);
        }
        clearTimeout(idle);
        replayed.set(c, events);
      }
    }),
  );
  return replayed;
}

async function countDeadLetters(brokerAddress: string, namespace: string): Promise<Map<string, number>> {
  const admin = new Kafka({ clientId: 'bench-faults', brokers: [brokerAddress], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const counts = new Map<string, number>();
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(namespace) && t.endsWith('.dlq'))) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (n > 0) counts.set(topic.slice(namespace.length), n);
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

function report(r: {
  began: number;
  conversations: Conversation[];
  faults: Fault[];
  replayed: Map<Conversation, ChatEvent[]>;
  deadLetters: Map<string, number>;
  exitedOnTheirOwn: string[];
  readyMs: Map<ServiceName, number[]>;
}): Array<{ turn: Turn; why: string }> {
  const slowedTurns: Array<{ turn: Turn; why: string }> = [];
  const turns = r.conversations.flatMap((c) => c.turns);
  let lost = 0;
  let duplicated = 0;
  let handedOff = 0;
  let outOfOrder = 0;
  let notReplayed = 0;
  for (const c of r.conversations) {
    const events = r.replayed.get(c);
    if (!events) {
      if (c.turns.some((t) => t.turnId)) notReplayed += 1;
      continue;
    }
    // Replies per turn, by event id: what the client saw on Converse and what the replay holds.
    const replies = new Map<string, Set<string>>();
    const replyOrder: string[] = [];
    for (const e of events) {
      if (e.kind !== 'reply' && e.kind !== 'handoff') continue;
      if (!replies.has(e.turnId)) replyOrder.push(e.turnId);
      replies.set(e.turnId, (replies.get(e.turnId) ?? new Set()).add(`${e.kind}:${e.eventId}`));
    }
    for (const t of c.turns) {
      if (!t.turnId) continue;
      const seen = [...new Set([...t.replies, ...(replies.get(t.turnId) ?? [])])];
      const count = (kind: string) => seen.filter((id) => id.startsWith(`${kind}:`)).length;
      if (seen.length === 0) lost += 1;
      // One reply per turn, and at most one hand-off: a turn past its deadline is answered with an
      // apology and handed to a person (a reply and a hand-off), which is not a second answer.
      else if (count('reply') > 1 || count('handoff') > 1) duplicated += 1;
      if (t.kind !== 'handoff' && count('handoff') > 0) handedOff += 1;
    }
    const sentOrder = c.turns.map((t) => t.turnId).filter((id): id is string => id !== undefined && replies.has(id));
    if (replyOrder.join() !== sentOrder.join()) outOfOrder += 1;
  }

  const accepted = turns.filter((t) => t.turnId).length;
  const answered = turns.filter((t) => t.answeredAt !== undefined).length;
  const wall = Math.max(...turns.map((t) => t.answeredAt ?? t.startedAt)) - r.began;
  console.log('\n== turns');
  console.log(
    `conversations ${r.conversations.length}, turns attempted ${turns.length}, accepted ${accepted}, answered ${answered} (${(answered / (wall / 1000)).toFixed(1)} turns/s over ${seconds(wall)})`,
  );
  console.log(
    `LOST ${lost} (accepted, no reply on Converse nor in the replay), DUPLICATED ${duplicated}, OUT OF ORDER ${outOfOrder} conversations, never accepted ${turns.length - accepted}, conversations not replayable ${notReplayed}`,
  );
  console.log(`retries: ${turns.reduce((n, t) => n + t.attempts - 1, 0)} over ${turns.filter((t) => t.attempts > 1).length} turns`);
  console.log(`handed to a person instead of answered (e.g. the turn deadline passed during a fault): ${handedOff} turns`);

  // A fault's window: from the fault until every turn it caught (in flight, or started before it
  // was restored) was answered. That end, minus the fault's start, is its time to recover.
  const windows = r.faults.map((f) => {
    const restored = f.restoredAt ?? Infinity;
    const caught = turns.filter((t) => t.startedAt <= restored && (t.answeredAt ?? Infinity) >= f.startedAt);
    const end = Math.max(restored === Infinity ? f.startedAt : restored, ...caught.map((t) => t.answeredAt ?? f.startedAt));
    const firstAfter = Math.min(...turns.filter((t) => t.answeredAt !== undefined && t.answeredAt > restored).map((t) => t.answeredAt!));
    return { fault: f, end, firstAfter, caught: caught.length, unanswered: caught.filter((t) => t.answeredAt === undefined).length };
  });
  const inWindow = (t: Turn) => windows.some((w) => t.startedAt <= w.end && t.answeredAt! >= w.fault.startedAt);

  console.log('\n== latency to the reply, ms (from the first attempt; retries included)');
  for (const kind of KINDS) {
    const answeredOfKind = turns.filter((t) => t.kind === kind && t.answeredAt !== undefined);
    for (const [label, list] of [
      ['outside faults', answeredOfKind.filter((t) => !inWindow(t))],
      ['inside faults ', answeredOfKind.filter(inWindow)],
    ] as const) {
      const ms = list.map((t) => t.answeredAt! - t.startedAt).sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(9)} ${label}: ${ms.length === 0 ? 'no turns' : `n ${ms.length}, p50 ${percentile(ms, 50)}, p95 ${percentile(ms, 95)}, p99 ${percentile(ms, 99)}, max ${ms[ms.length - 1]}`}`,
      );
    }
  }

  console.log(
    `\n== while a service was down: p95 of the turns started then, by kind, against the same kind outside faults (a kind that does not need the service should stay within ${UNAFFECTED_P95_FACTOR}x)`,
  );
  const outsideP95 = new Map(
    KINDS.map((kind) => {
      const ms = turns.filter((t) => t.kind === kind && t.answeredAt !== undefined && !inWindow(t)).map((t) => t.answeredAt! - t.startedAt);
      return [
        kind,
        percentile(
          ms.sort((a, b) => a - b),
          95,
        ),
      ];
    }),
  );
  let unaffected = 0;
  let slowed = 0;
  for (const f of r.faults) {
    if (!f.service || f.restoredAt === undefined) continue;
    const parts = KINDS.map((kind) => {
      const during = turns.filter((t) => t.kind === kind && t.startedAt >= f.startedAt && t.startedAt <= f.restoredAt!);
      if (during.length === 0) return `${kind} no turns`;
      // A turn never answered counts as the slowest possible.
      const ms = during.map((t) => (t.answeredAt ?? Infinity) - t.startedAt).sort((a, b) => a - b);
      const p95 = percentile(ms, 95);
      const ratio = p95 / outsideP95.get(kind)!;
      const figures = `${kind} n ${ms.length} p95 ${p95} (${ratio.toFixed(1)}x)`;
      if (NEEDS[kind].includes(f.service!)) return `${figures} needs it`;
      if (ratio <= UNAFFECTED_P95_FACTOR) unaffected += 1;
      else {
        slowed += 1;
        const slowest = during.reduce((a, b) =>
          (a.answeredAt ?? Infinity) - a.startedAt >= (b.answeredAt ?? Infinity) - b.startedAt ? a : b,
        );
        if (slowest.turnId) slowedTurns.push({ turn: slowest, why: `the slowest ${kind} turn while ${f.name}` });
      }
      return `${figures} ${ratio <= UNAFFECTED_P95_FACTOR ? 'ok' : 'SLOWED'}`;
    });
    console.log(`${f.name.padEnd(36)} ${parts.join(' | ')}`);
  }
  console.log(`kinds that did not need the service: ${unaffected} within ${UNAFFECTED_P95_FACTOR}x, ${slowed} slowed past it`);

  console.log('\n== faults (recover: until every turn it caught was answered; first reply: after it was back)');
  for (const w of windows) {
    const f = w.fault;
    const back = f.restoredAt === undefined ? 'NOT restored' : `back ${seconds(f.restoredAt - f.startedAt)}`;
    const first = Number.isFinite(w.firstAfter) ? `first reply +${seconds(w.firstAfter - (f.restoredAt ?? 0))} after` : 'no reply after';
    console.log(
      `${f.name.padEnd(50)} ${back}, recover ${seconds(w.end - f.startedAt)}, ${first}, turns caught ${w.caught} (${w.unanswered} unanswered)`,
    );
  }

  console.log('\n== dead letters');
  console.log(r.deadLetters.size === 0 ? 'none' : [...r.deadLetters].map(([topic, n]) => `${topic}: ${n}`).join(', '));
  console.log(`processes exiting on their own: ${r.exitedOnTheirOwn.length === 0 ? 'none' : r.exitedOnTheirOwn.join(', ')}`);

  console.log('\n== time from process start to ready, ms (first start, then each restart)');
  for (const [service, list] of r.readyMs) console.log(`${service.padEnd(13)} ${list.join(', ')}`);
  return slowedTurns;
}
