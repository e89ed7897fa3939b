// Benchmark: each service's time from process start to ready, and where it goes. A private stack
// (its own database and Kafka namespace on the shared broker) is started all at once, as `stack up`
// does; then each service in turn is killed with SIGKILL and started again (its dead consumers still
// hold their groups' partitions until their session times out), and stopped with SIGTERM and
// started again (its consumers left their groups). Each start's phases come from the service's own
// log: code loaded, Nest's providers (Redis, Kafka and topics, the reply topic, the database and
// migrations, models), start-up hooks (consumer groups joined), HTTP listening.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { WITH_CONSOLE, type LocalStack, type ServiceName } from '../stack/local-stack';
import { startPrivateStack } from './private-stack';

interface Options {
  rounds: number;
  restartDelay: number;
  services: ServiceName[];
  portOffset: number;
}

/** One start of one service, as the bench saw it and as the service logged it. */
interface Start {
  service: ServiceName;
  how: string;
  /** From spawning the process until /health/ready answered 200 (polled every 200 ms). */
  observedMs: number;
  /** What the service logged with "<service> ready" (`libs/platform/src/bootstrap.ts`). */
  startup?: {
    loadedMs: number;
    providersMs: number;
    hooksMs: number;
    /** The service's consumer group joining, after every module subscribed. */
    joinMs?: number;
    listenMs: number;
    readyMs: number;
    /** CPU (user + system) the process had used when its code was loaded, and when it was ready. */
    loadedCpuMs?: number;
    readyCpuMs?: number;
  };
  /** Phases the platform logs with `startupPhase`: kafka, replies, database, and each group joined. */
  phases: Array<{ phase: string; ms: number; groupId?: string }>;
}

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number, 0 or more`);
  return n;
};

const serviceList = (value: string): ServiceName[] => {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(WITH_CONSOLE as readonly string[]).includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown service(s): ${unknown.join(', ')} (known: ${WITH_CONSOLE.join(', ')})`);
  return names as ServiceName[];
};

export function startupBenchCommand(): Command {
  return new Command('startup')
    .description(
      "each service's time from process start to ready, and where it goes: first start of the whole stack, restart after kill -9, restart after SIGTERM (private stack on the shared broker)",
    )
    .option('-r, --rounds <n>', 'restarts of each kind per service', positive('--rounds'), 2)
    .option(
      '--restart-delay <ms>',
      'wait between kill -9 and the new process (the fault bench waits 2000)',
      positive('--restart-delay'),
      2000,
    )
    .addOption(
      new Option('-s, --services <list>', 'comma-separated services to restart').argParser(serviceList).default([...WITH_CONSOLE], 'all'),
    )
    .option('--port-offset <n>', 'added to the stack ports', positive('--port-offset'), 24_000)
    .addHelpText(
      'after',
      '\nThe first start runs every service at once (the database and its migrations are new); restarts run one service at a time while the rest of the stack keeps running. Say the load average with any figure: the machine may be shared.',
    )
    .action((options: Options) => benchStartup(options));
}

async function benchStartup(options: Options): Promise<void> {
  console.log(`load average before: ${loadAverage()}`);
  const observed = new Map<ServiceName, number>();
  // Everything starts at once; each log is read from its beginning.
  const ps = await startPrivateStack(options.portOffset, WITH_CONSOLE, {
    env: { LOG_LEVEL: 'info' },
    onReady: (service, ms) => observed.set(service, ms),
    readyTimeoutMs: 180_000,
  });
  const starts: Start[] = [];
  try {
    for (const service of WITH_CONSOLE) starts.push(readStart(ps.stack, service, 'first start, all at once', observed.get(service)!, 0));
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const service of options.services) {
        starts.push(
          await restart(ps.stack, service, `kill -9, +${options.restartDelay} ms`, async () => {
            await ps.stack.kill(service);
            await sleep(options.restartDelay);
          }),
        );
        starts.push(await restart(ps.stack, service, 'SIGTERM', () => ps.stack.stop(service)));
      }
    }
  } finally {
    await ps.close();
  }
  console.log(`load average after: ${loadAverage()} (${os.cpus().length} cores)`);
  report(starts);
}

async function restart(stack: LocalStack, service: ServiceName, how: string, stop: () => Promise<void>): Promise<Start> {
  await stop();
  const logFrom = sizeOf(stack.logFile(service));
  const started = Date.now();
  stack.start(service);
  await stack.waitReady(service, 120_000);
  return readStart(stack, service, how, Date.now() - started, logFrom);
}

/** The start-up lines the service wrote from `offset` of its log on. */
function readStart(stack: LocalStack, service: ServiceName, how: string, observedMs: number, offset: number): Start {
  const start: Start = { service, how, observedMs, phases: [] };
  const text = readFileSync(stack.logFile(service)).subarray(offset).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { startup?: Start['startup']; startupPhase?: string; ms?: number; groupId?: string };
    if (entry.startup) start.startup = entry.startup;
    if (entry.startupPhase && entry.ms !== undefined)
      start.phases.push({ phase: entry.startupPhase, ms: entry.ms, groupId: entry.groupId });
  }
  return start;
}

function report(starts: Start[]): void {
  console.log(
    '\n== time from process start to ready, ms (observed: spawn until /health/ready answered; the rest from the service log; cpu: user + system CPU the process had used by then)',
  );
  console.log(
    [
      'service',
      'start',
      'observed',
      'ready',
      'load code',
      'providers',
      'hooks',
      'join',
      'listen',
      'cpu load',
      'cpu ready',
      'kafka',
      'replies',
      'database',
      'groups (n, slowest)',
    ]
      .map((h, i) => (i < 2 ? h.padEnd(i === 0 ? 13 : 26) : h.padStart(h.length < 9 ? 9 : h.length)))
      .join(' '),
  );
  for (const s of starts) {
    const phase = (name: string) => {
      const ms = s.phases.filter((p) => p.phase === name).map((p) => p.ms);
      return ms.length === 0 ? '-' : String(Math.max(...ms));
    };
    const groups = s.phases.filter((p) => p.phase === 'group').sort((a, b) => b.ms - a.ms);
    const u = s.startup;
    console.log(
      [
        s.service.padEnd(13),
        s.how.padEnd(26),
        String(s.observedMs).padStart(9),
        String(u?.readyMs ?? '?').padStart(9),
        String(u?.loadedMs ?? '?').padStart(9),
        String(u?.providersMs ?? '?').padStart(9),
        String(u?.hooksMs ?? '?').padStart(9),
        String(u?.joinMs ?? '?').padStart(9),
        String(u?.listenMs ?? '?').padStart(9),
        String(u?.loadedCpuMs ?? '?').padStart(9),
        String(u?.readyCpuMs ?? '?').padStart(9),
        phase('kafka').padStart(9),
        phase('replies').padStart(9),
        phase('database').padStart(9),
        groups.length === 0 ? '-' : `${groups.length}, ${groups[0].ms} (${groups[0].groupId})`,
      ].join(' '),
    );
  }
  console.log('\n== summary: ready (process uptime when listening), s, fastest-slowest per service');
  const services = [...new Set(starts.map((s) => s.service))];
  const kinds = [...new Set(starts.map((s) => s.how))];
  console.log(['service'.padEnd(13), ...kinds.map((k) => k.padStart(26))].join(' '));
  for (const service of services) {
    const cells = kinds.map((how) => {
      const ms = starts.filter((s) => s.service === service && s.how === how && s.startup).map((s) => s.startup!.readyMs);
      const seconds = (n: number) => (n / 1000).toFixed(1);
      const range = Math.min(...ms) === Math.max(...ms) ? seconds(ms[0]) : `${seconds(Math.min(...ms))}-${seconds(Math.max(...ms))}`;
      return (ms.length === 0 ? '-' : range).padStart(26);
    });
    console.log([service.padEnd(13), ...cells].join(' '));
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
