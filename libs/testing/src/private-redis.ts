// A Redis server of one's own, for fault tests and the fault benchmark: it is shut down (connections
// refused) and started again with its data (saved on shutdown), or paused, which the machine's shared
// server must never be.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';

/** `base` + this Jest worker's slot (E2E_PORT_SLOT and the worker id) × `width`: a port no concurrent test run shares. */
export function slotPort(base: number, width = 1): number {
  const slot = (Number(process.env.E2E_PORT_SLOT ?? 0) * 10 + Number(process.env.JEST_WORKER_ID ?? 0)) % 100;
  return base + slot * width;
}

export class PrivateRedis {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'sb-redis-'));
  private child?: ChildProcess;

  /** By default one port per Jest worker and E2E_PORT_SLOT, below the ephemeral range (as PrivateKafka's). */
  constructor(readonly port = slotPort(31_300)) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    if (await portOpen(this.port))
      throw new Error(`port ${this.port} is taken; another private Redis (E2E_PORT_SLOT ${process.env.E2E_PORT_SLOT ?? 0}) is running`);
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '3600 1', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (!(await portOpen(this.port))) {
      if (child.exitCode !== null) throw new Error(`the private redis-server exited with code ${child.exitCode} while starting`);
      if (Date.now() > deadline) throw new Error('the private redis-server did not accept connections within 30 s');
      await new Promise((r) => setTimeout(r, 50));
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

  /** Saves and exits (SIGTERM): clients are refused until `start`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
