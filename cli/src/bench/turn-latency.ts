// Benchmark: end-to-end turn latency through every service over gRPC, and each service's memory.
// Brings up a private stack (own database, Kafka namespace and ports), answers questions from the
// retail policy, prints latency percentiles and resident memory, and stops what it started.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyticsBenchCommand } from './analytics-kpis';
import { consoleBenchCommand } from './console-latency';
import { faultsBenchCommand } from './faults';
import { kbBenchCommand } from './kb-scale';
import { moderationBenchCommand } from './moderation';
import { startupBenchCommand } from './startup';
import { ChatClient } from '../chat/chat.client';
import { percentile } from './percentile';
import { startPrivateStack } from './private-stack';
import { withRpc } from '../commands/bus';
import { ingestFile } from '../commands/kb.command';
import { sharedDataDir } from '../paths';
import { SERVICES } from '../stack/local-stack';

const QUESTIONS = [
  'How do I return an item from a delivered order?',
  'I want to cancel my pending order, how does that work?',
  'Can I exchange an item for a different size?',
  'Can I change the shipping address of my order?',
  "What's the weather like in Paris?",
];

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
    .action((options: { turns: string; concurrency: string }) => benchTurns(Number(options.turns), Number(options.concurrency)));
  bench.addCommand(kbBenchCommand());
  bench.addCommand(moderationBenchCommand());
  bench.addCommand(analyticsBenchCommand());
  bench.addCommand(consoleBenchCommand());
  bench.addCommand(faultsBenchCommand());
  bench.addCommand(startupBenchCommand());
  return bench;
}

async function benchTurns(turns: number, concurrency: number): Promise<void> {
  const { stack, namespace, demoKey, close } = await startPrivateStack(21_000);
  try {
    await withRpc({ namespace }, (rpc) => ingestFile(rpc, 'demo', 'policies', path.join(sharedDataDir, 'tau-retail', 'wiki.md')));
    const client = new ChatClient(stack.grpcAddress, demoKey());
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
    for (let i = 0; i < 10; i += 1) await turn(i); // warm-up

    const latencies: number[] = [];
    let next = 0;
    const began = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < turns) latencies.push(await turn(next++));
      }),
    );
    const seconds = (Date.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `turns: ${turns}, concurrency: ${concurrency}, wall: ${seconds.toFixed(1)} s, throughput: ${(turns / seconds).toFixed(1)} turns/s`,
    );
    console.log(
      `Converse → reply latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies[latencies.length - 1].toFixed(1)}`,
    );
    console.log(`resident memory MB: ${SERVICES.map((s) => `${s} ${rssMb(stack.pid(s))}`).join(', ')}`);
    client.close();
  } finally {
    await close();
  }
}
