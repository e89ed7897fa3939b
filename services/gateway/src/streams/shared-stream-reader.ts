// One blocking Redis connection per gateway process for every stream follower. XREAD BLOCK holds
// its connection, so a connection per follower let any chat key exhaust Redis `maxclients` for
// every tenant (issue #12, item 15). Here a single loop reads all followed streams in one XREAD and
// hands each follower the entries after its own cursor; a follower joining while the loop is
// blocked interrupts it with CLIENT UNBLOCK so its stream is read at once.
import Redis from 'ioredis';
import { withoutNamespace } from '@switchboard/config';

export type StreamEntry = [id: string, fields: string[]];

interface Follower {
  key: string;
  cursor: string;
  queue: StreamEntry[];
  failure?: Error;
  wake?: () => void;
}

/** How long one XREAD waits when nothing arrives; also the longest a joining follower can wait. */
const BLOCK_MS = 1000;
const BATCH = 100;

/** Stream ids ("<ms>-<seq>") in order. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

export class SharedStreamReader {
  private readonly followers = new Map<string, Set<Follower>>();
  private reader?: Redis;
  private readerId?: number;
  private running?: Promise<void>;
  private blocked = false;

  constructor(
    private readonly redis: Redis,
    private readonly name: string,
  ) {}

  /** Connections this reader holds open: 0 or 1, whatever the number of followers. */
  get connections(): number {
    return this.reader ? 1 : 0;
  }

  /** The entries of `key` after `cursor`, as they arrive, until `signal` aborts. */
  async *entries(key: string, cursor: string, signal: AbortSignal): AsyncGenerator<StreamEntry> {
    const follower: Follower = { key, cursor, queue: [] };
    const group = this.followers.get(key) ?? new Set<Follower>();
    group.add(follower);
    this.followers.set(key, group);
    const wake = () => follower.wake?.();
    signal.addEventListener('abort', wake, { once: true });
    this.start();
    try {
      while (!signal.aborted) {
        const entry = follower.queue.shift();
        if (entry) {
          yield entry;
          continue;
        }
        if (follower.failure) throw follower.failure;
        await new Promise<void>((resolve) => {
          follower.wake = resolve;
          if (signal.aborted || follower.queue.length > 0 || follower.failure) resolve();
        });
        follower.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', wake);
      group.delete(follower);
      if (group.size === 0 && this.followers.get(key) === group) this.followers.delete(key);
    }
  }

  async close(): Promise<void> {
    this.followers.clear();
    this.reader?.disconnect();
    await this.running;
  }

  /** Starts the loop, or wakes it when it is blocked on the streams it knew. */
  private start(): void {
    if (!this.running) {
      // A follower that joined as the loop was ending starts the next one.
      this.running = this.run().finally(() => {
        this.running = undefined;
        if (this.followers.size > 0) this.start();
      });
    } else if (this.blocked && this.readerId !== undefined) {
      void this.redis.client('UNBLOCK', this.readerId).catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    const reader = this.redis.duplicate({ connectionName: this.name, lazyConnect: true });
    this.reader = reader;
    try {
      await reader.connect();
      this.readerId = Number(await reader.client('ID'));
      while (this.followers.size > 0) {
        const keys = [...this.followers.keys()];
        const cursors = keys.map((k) =>
          [...this.followers.get(k)!].map((f) => f.cursor).reduce((a, b) => (compareStreamIds(a, b) <= 0 ? a : b)),
        );
        this.blocked = true;
        let batch: Array<[string, StreamEntry[]]> | null;
        try {
          batch = await reader.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, ...cursors);
        } finally {
          this.blocked = false;
        }
        for (const [key, entries] of batch ?? []) this.deliver(withoutNamespace(reader, key), entries);
      }
    } catch (error) {
      // Every follower learns the reader failed (as each one's own connection failing did).
      for (const group of this.followers.values())
        for (const f of group) {
          f.failure = error as Error;
          f.wake?.();
        }
      this.followers.clear();
    } finally {
      this.reader = undefined;
      this.readerId = undefined;
      reader.disconnect();
    }
  }

  private deliver(key: string, entries: StreamEntry[]): void {
    for (const f of this.followers.get(key) ?? []) {
      for (const entry of entries) {
        if (compareStreamIds(entry[0], f.cursor) <= 0) continue;
        f.queue.push(entry);
        f.cursor = entry[0];
      }
      f.wake?.();
    }
  }
}
