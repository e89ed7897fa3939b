// A Redis server of a test's own, for fault tests: it can be shut down (connections refused) and
// started again with its data (saved on shutdown), which the shared server must never be.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  /** Saves and exits (SIGTERM): clients are refused until `start`. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

export function privateRedis(): PrivateRedis {
  const slot = (Number(process.env.E2E_PORT_SLOT ?? 0) * 10 + Number(process.env.JEST_WORKER_ID ?? 0)) % 100;
  const port = 31_300 + slot; // below the ephemeral port range, as the private broker's
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-redis-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      if (await portOpen(port))
        throw new Error(`port ${port} is taken; another private Redis (E2E_PORT_SLOT ${process.env.E2E_PORT_SLOT ?? 0}) is running`);
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '3600 1', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 30_000;
      while (!(await portOpen(port))) {
        if (child.exitCode !== null) throw new Error(`the private redis-server exited with code ${child.exitCode} while starting`);
        if (Date.now() > deadline) throw new Error('the private redis-server did not accept connections within 30 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
