// A Kafka broker of one's own, on other ports and in a scratch directory, for fault tests and the
// fault benchmark: they kill it with SIGKILL, which the shared broker must never see.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../paths';

const run = promisify(execFile);

export class PrivateBroker {
  private readonly root = mkdtempSync(path.join(tmpdir(), 'switchboard-kafka-'));

  /** `port` for clients; the KRaft controller listens on `port + 1`. */
  constructor(readonly port: number) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the broker (or restarts it on the same data after a kill) and waits until it serves. */
  async start(): Promise<void> {
    await run('bash', [path.join(repoRoot, 'deploy/kafka/kafka.sh'), 'start'], {
      env: {
        ...process.env,
        KAFKA_ROOT: this.root,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.port + 1),
        KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xms128m -Xmx512m',
      },
    });
  }

  /** Kills the broker the hard way, as a crash or an OOM kill would. */
  kill(): void {
    const pid = this.pid();
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Kills the broker and deletes its data. */
  remove(): void {
    this.kill();
    rmSync(this.root, { recursive: true, force: true });
  }

  private pid(): number | undefined {
    try {
      return Number(readFileSync(path.join(this.root, 'kafka.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}
