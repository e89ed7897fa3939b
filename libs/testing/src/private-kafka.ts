// A Kafka broker of one's own, for fault tests and the fault benchmark: they kill it with SIGKILL and
// start it again on the same data, which the shared broker every other test uses must never see. It
// is the project's own broker (deploy/kafka/kafka.sh: same jars and settings) in a scratch directory
// on other ports.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { portOpen, slotPort } from './private-redis';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');

export class PrivateKafka {
  private readonly root = mkdtempSync(path.join(os.tmpdir(), 'sb-kafka-'));

  /**
   * `port` for clients, the KRaft controller on `port + 1`. By default one pair per Jest worker and
   * E2E_PORT_SLOT, below Linux's ephemeral range (32768-60999): there, an outgoing connection of
   * the run may hold the port when the broker binds it.
   */
  constructor(readonly port = slotPort(31_000, 2)) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get brokers(): string[] {
    return [this.address];
  }

  /** Starts the broker (again, on the same data after a kill); resolves when it serves. */
  async start(): Promise<void> {
    if (await portOpen(this.port))
      throw new Error(`port ${this.port} is taken; another private broker (E2E_PORT_SLOT ${process.env.E2E_PORT_SLOT ?? 0}) is running`);
    await run('bash', [path.join(repoRoot, 'deploy/kafka/kafka.sh'), 'start'], {
      env: {
        ...process.env,
        KAFKA_ROOT: this.root,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.port + 1),
        KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xms128m -Xmx512m',
      },
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`the private broker did not start on port ${this.port}: ${error.stderr || error.stdout || error.message}`);
    });
  }

  /** SIGKILL, as a crash or an OOM kill; resolves once the process is gone. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return; // already gone
    }
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }

  /** Kills the broker and deletes its data. */
  async destroy(): Promise<void> {
    await this.kill();
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
