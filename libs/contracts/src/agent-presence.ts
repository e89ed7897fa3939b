// Desk users' presence, kept in Redis: the gateway writes it (PUT /v1/agent/presence and the
// console's heartbeat) and ticketing's routing reads it to give a new ticket to an online agent.
// One key per user, expiring PRESENCE_TTL_MS after their last word: a closed tab or a sleeping
// laptop needs no goodbye to count as offline. A sorted set per tenant (user → when their key
// expires) lists them without scanning the keyspace. Everything is under the tenant's prefix.

export const PRESENCE_STATUSES = ['online', 'busy', 'away'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** Three of the console's 30 s heartbeats; still more than a minute, the most a browser delays a hidden tab's timer. */
export const PRESENCE_TTL_MS = 90_000;

/** What the user chose, with what routing needs to know of them, refreshed at every heartbeat. */
export interface PresenceRecord {
  username: string;
  status: PresenceStatus;
  role: string;
  /** The user's departments when last heard from; empty: they reach every department. */
  departments: string[];
  /** When the user chose this status (epoch ms). */
  since: number;
}

export const presenceKey = (tenantId: string, username: string): string => `t:${tenantId}:presence:user:${username}`;
export const presenceIndexKey = (tenantId: string): string => `t:${tenantId}:presence:index`;

export function isPresenceStatus(value: unknown): value is PresenceStatus {
  return typeof value === 'string' && (PRESENCE_STATUSES as readonly string[]).includes(value);
}

/** The subset of a Redis client the reader needs (ioredis fits it). */
export interface PresenceReader {
  zrangebyscore(key: string, min: number | string, max: number | string): Promise<string[]>;
  mget(keys: string[]): Promise<Array<string | null>>;
  zscore(key: string, member: string): Promise<string | null>;
  get(key: string): Promise<string | null>;
}

/** The subset of a Redis client the writer needs (ioredis fits it). */
export interface PresenceWriter {
  multi(): {
    set(key: string, value: string, px: 'PX', ms: number): PresenceWriterChain;
  };
}
interface PresenceWriterChain {
  zadd(key: string, score: number, member: string): PresenceWriterChain;
  zremrangebyscore(key: string, min: number | string, max: number | string): PresenceWriterChain;
  pexpire(key: string, ms: number): PresenceWriterChain;
  exec(): Promise<unknown>;
}

/** Records the user as heard from at `now`: live until now + PRESENCE_TTL_MS. */
export async function recordPresence(redis: PresenceWriter, tenantId: string, record: PresenceRecord, now = Date.now()): Promise<void> {
  const index = presenceIndexKey(tenantId);
  await redis
    .multi()
    .set(presenceKey(tenantId, record.username), JSON.stringify(record), 'PX', PRESENCE_TTL_MS)
    .zadd(index, now + PRESENCE_TTL_MS, record.username)
    // Users silent past the TTL leave the index too, so it holds only the tenant's live desk.
    .zremrangebyscore(index, '-inf', now)
    .pexpire(index, PRESENCE_TTL_MS)
    .exec();
}

/** Everyone of the tenant heard from within the TTL; whoever is not listed is offline. */
export async function livePresence(redis: PresenceReader, tenantId: string, now = Date.now()): Promise<PresenceRecord[]> {
  const usernames = await redis.zrangebyscore(presenceIndexKey(tenantId), `(${now}`, '+inf');
  if (usernames.length === 0) return [];
  const values = await redis.mget(usernames.map((u) => presenceKey(tenantId, u)));
  return values.map(parsePresence).filter((r): r is PresenceRecord => r !== undefined);
}

/** The user is offline from now on (their sessions ended: disabled, or another role or departments). */
export async function endPresence(
  redis: { del(key: string): Promise<number>; zrem(key: string, member: string): Promise<number> },
  tenantId: string,
  username: string,
): Promise<void> {
  await redis.zrem(presenceIndexKey(tenantId), username);
  await redis.del(presenceKey(tenantId, username));
}

/** One user's presence, or undefined when they are offline. */
export async function presenceOf(
  redis: PresenceReader,
  tenantId: string,
  username: string,
  now = Date.now(),
): Promise<PresenceRecord | undefined> {
  const until = Number(await redis.zscore(presenceIndexKey(tenantId), username));
  return until > now ? parsePresence(await redis.get(presenceKey(tenantId, username))) : undefined;
}

function parsePresence(value: string | null): PresenceRecord | undefined {
  if (!value) return undefined;
  try {
    const r = JSON.parse(value) as Partial<PresenceRecord>;
    const valid =
      typeof r.username === 'string' &&
      isPresenceStatus(r.status) &&
      typeof r.role === 'string' &&
      Array.isArray(r.departments) &&
      r.departments.every((d) => typeof d === 'string') &&
      typeof r.since === 'number';
    return valid ? (r as PresenceRecord) : undefined;
  } catch {
    return undefined;
  }
}
