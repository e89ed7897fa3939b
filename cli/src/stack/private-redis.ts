// A Redis server of one's own (no persistence), for the fault benchmark: it pauses every client of
// its Redis, which must never be the machine's shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';

export class PrivateRedis {
  private child?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server listens; connect() reports it
    try {
      for (let tries = 0; ; tries += 1) {
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch (error) {
          if (tries > 50 || this.child.exitCode !== null)
            throw new Error(`redis-server did not start on port ${this.port}: ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      probe.disconnect();
    }
  }

  /** Every client's commands wait `ms` (CLIENT PAUSE ... ALL): a stalled, not a dead, server. */
  async pause(ms: number): Promise<void> {
    const admin = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await admin.call('CLIENT', 'PAUSE', String(ms), 'ALL');
    } finally {
      admin.disconnect();
    }
  }

  stop(): void {
    this.child?.kill('SIGKILL');
  }
}
