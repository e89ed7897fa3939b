// Benchmark: end-to-end turn latency through every service over gRPC, throughput, the CPU each
// service spends per turn, and memory. Brings up a private stack (own database, Kafka namespace and
// ports), answers questions from the retail policy, then measures the broker's floor for the same
// hops in the same run (broker-floor.ts) and prints the ratio, and stops what it started.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { analyticsBenchCommand } from './analytics-kpis';
import { consoleBenchCommand } from './console-latency';
import { faultsBenchCommand } from './faults';
import { brokerPid, cpuMs, idleBenchCommand } from './idle-cpu';
import { kbBenchCommand } from './kb-scale';
import { moderationBenchCommand } from './moderation';
import { startupBenchCommand } from './startup';
import { ChatClient } from '../chat/chat.client';
import { percentile } from './percentile';
import { BrokerFloor } from './broker-floor';
import { startPrivateStack } from './private-stack';
import { withRpc } from '../commands/bus';
import { ingestFile } from '../commands/kb.command';
import { defaults } from '../commands/infra';
import { sharedDataDir } from '../paths';
import { SERVICES, type LocalStack, type ServiceName } from '../stack/local-stack';
import { Rpcs } from '@switchboard/contracts';

const QUESTIONS = [
  'How do I return an item from a delivered order?',
  'I want to cancel my pending order, how does that work?',
  'Can I exchange an item for a different size?',
  'Can I change the shipping address of my order?',
  "What's the weather like in Paris?",
];

const REQUEST_TOPICS = new Set(Object.values(Rpcs).map((r) => r.name));

/** Messages each process of `service` handled so far (every topic it consumes), from /metrics. */
async function handledSoFar(stacks: LocalStack[], service: ServiceName): Promise<number[]> {
  return Promise.all(
    stacks.map(async (stack) => {
      const text = await (await fetch(`http://127.0.0.1:${stack.httpPort(service)}/metrics`)).text();
      let total = 0;
      for (const [, value] of text.matchAll(/^switchboard_messages_consumed_total\{[^}]*\} (\S+)$/gm)) total += Number(value);
      return total;
    }),
  );
}

/** Messages every service has published so far (requests, replies and events), and the requests it sent Kafka by API, from their /metrics. */
async function publishedSoFar(
  stacks: LocalStack[],
): Promise<{ requests: number; replies: number; events: number; kafkaRequests: Map<string, number> }> {
  const totals = { requests: 0, replies: 0, events: 0, kafkaRequests: new Map<string, number>() };
  for (const stack of stacks)
    for (const service of SERVICES) {
      if (!stack.running(service)) continue;
      const text = await (await fetch(`http://127.0.0.1:${stack.httpPort(service)}/metrics`)).text();
      for (const [, topic, value] of text.matchAll(/^switchboard_messages_published_total\{[^}]*\btopic="([^"]+)"[^}]*\} (\S+)$/gm)) {
        const kind = REQUEST_TOPICS.has(topic) ? 'requests' : topic.startsWith('rpc.replies.') ? 'replies' : 'events';
        totals[kind] += Number(value);
      }
      for (const [, api, value] of text.matchAll(/^switchboard_kafka_requests_total\{[^}]*\bapi="([^"]+)"[^}]*\} (\S+)$/gm))
        totals.kafkaRequests.set(api, (totals.kafkaRequests.get(api) ?? 0) + Number(value));
    }
  return totals;
}

function rssMb(pid: number | undefined): string {
  if (!pid) return '?';
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024).toFixed(0);
}

export function benchCommand(): Command {
  const bench = new Command('bench').description('measure speed and memory (prints figures; not a test)');
  bench
    .command('turns')
    .description('end-to-end Converse latency through every service, throughput and memory, on a private stack')
    .option('-n, --turns <n>', 'measured turns', '300')
    .option('-c, --concurrency <n>', 'conversations in flight at once', '4')
    .option('--cpu-prof <dir>', "write each service process's V8 CPU profile into <dir> when the stack stops (open in Chrome DevTools)")
    .option(
      '--replicas <n>',
      "1, or 2: a second process of every service (the second retrieval a reader of the first one's vectors), and the messages each handled",
      '1',
    )
    .action((options: { turns: string; concurrency: string; replicas: string; cpuProf?: string }) => {
      if (options.replicas !== '1' && options.replicas !== '2') throw new InvalidArgumentError('--replicas must be 1 or 2');
      return benchTurns(Number(options.turns), Number(options.concurrency), Number(options.replicas), options.cpuProf);
    });
  bench.addCommand(kbBenchCommand());
  bench.addCommand(moderationBenchCommand());
  bench.addCommand(analyticsBenchCommand());
  bench.addCommand(consoleBenchCommand());
  bench.addCommand(faultsBenchCommand());
  bench.addCommand(startupBenchCommand());
  bench.addCommand(idleBenchCommand());
  return bench;
}

async function benchTurns(turns: number, concurrency: number, replicas: number, cpuProfDir?: string): Promise<void> {
  const nodeArgs = cpuProfDir === undefined ? undefined : ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProfDir)];
  const { stack, namespace, demoKey, replicas: replicaOf, close } = await startPrivateStack(21_000, SERVICES, { nodeArgs });
  try {
    await withRpc({ namespace }, (rpc) => ingestFile(rpc, 'demo', 'policies', path.join(sharedDataDir, 'tau-retail', 'wiki.md')));
    const second = replicas === 2 ? replicaOf(600) : undefined;
    if (second) {
      await second.startAll(SERVICES);
      console.log(`second replicas ready: ${SERVICES.join(', ')} (retrieval reading the first one's vectors)`);
    }
    // With two gateways, gRPC's round-robin spreads the calls over both.
    const client = new ChatClient(second ? `${stack.grpcAddress},${second.grpcAddress}` : stack.grpcAddress, demoKey());
    const turn = async (i: number) => {
      const started = process.hrtime.bigint();
      let firstReplyMs = 0;
      for await (const e of client.converse({
        clientMessageId: randomUUID(),
        customerId: `bench-${i % 50}`,
        channel: 'web',
        text: QUESTIONS[i % QUESTIONS.length],
      })) {
        if (e.kind === 'reply') firstReplyMs = Number(process.hrtime.bigint() - started) / 1e6;
      }
      return firstReplyMs;
    };
    const run = async (count: number, atOnce: number, from: number) => {
      const ms: number[] = [];
      let next = 0;
      const began = Date.now();
      await Promise.all(
        Array.from({ length: atOnce }, async () => {
          while (next < count) ms.push(await turn(from + next++));
        }),
      );
      return { ms: ms.sort((a, b) => a - b), seconds: (Date.now() - began) / 1000 };
    };
    const figures = (ms: number[]) =>
      `p50 ${percentile(ms, 50).toFixed(1)}, p95 ${percentile(ms, 95).toFixed(1)}, p99 ${percentile(ms, 99).toFixed(1)}, max ${ms[ms.length - 1].toFixed(1)}`;
    for (let i = 0; i < 10; i += 1) await turn(i); // warm-up

    // One at a time first: the latency to hold against the floor's.
    const single = await run(Math.max(20, Math.round(turns / 6)), 1, 1000);
    const stacks = second ? [stack, second] : [stack];
    // A service's CPU is that of all its processes (both replicas with --replicas 2).
    const pids = new Map<ServiceName | 'kafka broker' | 'this bench', Array<number | undefined>>([
      ...SERVICES.map((s) => [s, stacks.filter((st) => st.running(s)).map((st) => st.pid(s))] as const),
      ['kafka broker', [brokerPid()]],
      ['this bench', [process.pid]],
    ]);
    const cpuOf = (list: Array<number | undefined>) => list.reduce<number>((sum, pid) => sum + cpuMs(pid), 0);
    const cpuBefore = new Map([...pids].map(([name, list]) => [name, cpuOf(list)]));
    const handled = async () => new Map(await Promise.all(SERVICES.map(async (s) => [s, await handledSoFar(stacks, s)] as const)));
    const publishedBefore = await publishedSoFar(stacks);
    const handledBefore = await handled();
    const main = await run(turns, concurrency, 10_000);
    const publishedAfter = await publishedSoFar(stacks);
    const handledAfter = await handled();
    const cpuAfter = new Map([...pids].map(([name, list]) => [name, cpuOf(list)]));

    console.log(
      `turns: ${turns}, concurrency: ${concurrency}, wall: ${main.seconds.toFixed(1)} s, throughput: ${(turns / main.seconds).toFixed(1)} turns/s`,
    );
    console.log(`Converse → reply latency ms at concurrency ${concurrency}: ${figures(main.ms)}`);
    console.log(`Converse → reply latency ms one at a time (${single.ms.length} turns): ${figures(single.ms)}`);
    const perTurn = (name: ServiceName | 'kafka broker' | 'this bench') => (cpuAfter.get(name)! - cpuBefore.get(name)!) / turns;
    const servicesCpu = SERVICES.reduce((sum, s) => sum + perTurn(s), 0);
    console.log(
      `CPU ms per turn (user + system, /proc, at concurrency ${concurrency}): ${[...pids.keys()].map((n) => `${n} ${perTurn(n).toFixed(1)}`).join(', ')}; ` +
        `services ${servicesCpu.toFixed(1)}, with the broker ${(servicesCpu + perTurn('kafka broker')).toFixed(1)} (the broker is shared: other work on it counts too)`,
    );
    const hops = {
      requests: (publishedAfter.requests - publishedBefore.requests) / turns,
      replies: (publishedAfter.replies - publishedBefore.replies) / turns,
      events: (publishedAfter.events - publishedBefore.events) / turns,
    };
    const requestsPerTurn = [...publishedAfter.kafkaRequests]
      .map(([api, after]) => [api, (after - (publishedBefore.kafkaRequests.get(api) ?? 0)) / turns] as const)
      .sort((a, b) => b[1] - a[1]);
    console.log(
      `Kafka messages per turn (the services' own counters): ${hops.requests.toFixed(1)} requests, ${hops.replies.toFixed(1)} replies, ${hops.events.toFixed(1)} events`,
    );
    console.log(
      `Kafka requests per turn, all services: ${requestsPerTurn.reduce((sum, [, n]) => sum + n, 0).toFixed(1)} (` +
        `${requestsPerTurn.map(([api, n]) => `${api} ${n.toFixed(1)}`).join(', ')})`,
    );
    console.log(`resident memory MB: ${SERVICES.map((s) => `${s} ${rssMb(stack.pid(s))}`).join(', ')}`);
    if (second) {
      // One tenant's load spread over both processes of each service: messages each one handled in the measured run.
      const shares = SERVICES.map((s) => {
        const counts = handledAfter.get(s)!.map((n, i) => n - handledBefore.get(s)![i]);
        const total = counts.reduce((a, b) => a + b, 0);
        return `${s} ${counts.join(' + ')} (${total === 0 ? '-' : ((100 * counts[0]) / total).toFixed(0)}% / ${total === 0 ? '-' : ((100 * counts[1]) / total).toFixed(0)}%)`;
      });
      console.log(`messages handled per replica (first + second): ${shares.join(', ')}`);
    }
    client.close();

    // The floor: the same round trips in a row, and a turn's two one-way hops, with its other events beside them.
    const shape = { roundTrips: Math.round(hops.requests), sideEvents: Math.max(0, Math.round(hops.events) - 2) };
    const floor = new BrokerFloor(stack.env.KAFKA_BROKERS ?? defaults.kafkaBrokers, namespace);
    await floor.start();
    try {
      const floorSingle = await floor.measure(shape, single.ms.length, 1);
      const floorMain = await floor.measure(shape, turns, concurrency);
      console.log(
        `broker floor (kafkajs alone: 1 hop, ${shape.roundTrips} round trips in a row, 1 hop, ${shape.sideEvents} events beside): ` +
          `one at a time p50 ${floorSingle.p50.toFixed(1)} ms, p95 ${floorSingle.p95.toFixed(1)}; at concurrency ${concurrency} p50 ${floorMain.p50.toFixed(1)}, ${floorMain.throughput.toFixed(1)} chains/s`,
      );
      console.log(
        `turn ÷ floor: latency one at a time ${(percentile(single.ms, 50) / floorSingle.p50).toFixed(2)}x (p50), throughput ${(turns / main.seconds / floorMain.throughput).toFixed(2)}x`,
      );
    } finally {
      await floor.stop();
    }
  } finally {
    await close();
    if (cpuProfDir !== undefined) console.log(`CPU profiles (one per process, named by its pid): ${path.resolve(cpuProfDir)}`);
  }
}
