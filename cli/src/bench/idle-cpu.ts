// Benchmark: what a stack costs doing nothing. Starts a private stack, lets it settle, and prints
// each service's CPU (user + system, from /proc) per second of idling, and the shared broker's:
// consumers' fetch loops, heartbeats, timers. Everything a turn costs comes on top of this.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { localDir } from '../paths';
import { SERVICES } from '../stack/local-stack';
import { startPrivateStack } from './private-stack';

/** CPU time (user + system) a process has used, ms; Linux's /proc, in clock ticks of 10 ms. */
export function cpuMs(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return NaN;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The project's Kafka broker (deploy/kafka/kafka.sh), if it runs here. */
export function brokerPid(): number | undefined {
  const file = path.join(localDir, 'kafka', 'kafka.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

export function idleBenchCommand(): Command {
  return new Command('idle')
    .description("each service's CPU per second while the stack does nothing (private stack)")
    .option(
      '-s, --seconds <n>',
      'seconds measured, after 15 s to settle',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--seconds must be a whole number of at least 1');
        return n;
      },
      20,
    )
    .action(async (options: { seconds: number }) => {
      const { stack, close } = await startPrivateStack(24_000);
      try {
        await new Promise((r) => setTimeout(r, 15_000));
        const pids = [...SERVICES.map((s) => [s, stack.pid(s)] as const), ['kafka broker', brokerPid()] as const];
        const before = pids.map(([, pid]) => cpuMs(pid));
        await new Promise((r) => setTimeout(r, options.seconds * 1000));
        const perSecond = pids.map(([name, pid], i) => [name, (cpuMs(pid) - before[i]) / options.seconds] as const);
        const services = perSecond.filter(([name]) => name !== 'kafka broker').reduce((sum, [, v]) => sum + v, 0);
        console.log(
          `idle CPU ms per second over ${options.seconds} s: ${perSecond.map(([n, v]) => `${n} ${v.toFixed(0)}`).join(', ')}; ` +
            `services ${services.toFixed(0)} (the broker is shared: other work on it counts too)`,
        );
      } finally {
        await close();
      }
    });
}
