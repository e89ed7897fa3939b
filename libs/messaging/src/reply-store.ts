// A responder's memory of the requests it answers, so a caller that asks again under the same
// request id (its first attempt timed out) gets the first answer instead of a second run of the
// work — a second LLM call, a second tool call. One Redis key per tenant, request topic and request
// id: while a run is under way it holds a claim that the run keeps fresh, afterwards the reply,
// sealed, for a few minutes (longer than any caller keeps asking).
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** What the store needs of `libs/crypto`'s FieldCipher (messaging does not depend on crypto). */
export interface ReplyCipher {
  seal(plaintext: string, ctx: { tenantId: string; column: string; row: string }): string;
  decrypt(stored: string, ctx: { tenantId: string; column: string; row: string }): string;
}

export interface StoredReply {
  status: 'ok' | 'error';
  body: string;
}

export type ReplyState = { kind: 'replied'; reply: StoredReply } | { kind: 'claimed'; claim: Claim } | { kind: 'busy' };

export interface Claim {
  /** Stores the reply in place of the claim. */
  store(reply: StoredReply): Promise<void>;
  /** Gives the claim up (the run failed and will be retried), unless another run took it over. */
  release(): Promise<void>;
}

export interface ReplyStore {
  /** The stored reply, or a claim on the work for this run, or `busy`: another run holds the claim and will reply. */
  claim(tenantId: string, topic: string, requestId: string): Promise<ReplyState>;
}

/** Associated-data name of a stored reply, as `libs/crypto` binds a value to where it lives. */
export const RPC_REPLY_FIELD = 'redis.rpc_replies';
const CLAIM = 'claim:';

// Replace the value only while it is still our claim: a run whose claim lapsed (it stalled) must
// not overwrite the run that took over, nor delete its claim.
const IF_OURS = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) elseif ARGV[2] == '+' then redis.call('PEXPIRE', KEYS[1], ARGV[3])
else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

export class RedisReplyStore implements ReplyStore {
  /**
   * @param replyTtlMs how long a reply is kept: longer than a caller keeps asking again (a turn's deadline).
   * @param claimTtlMs how long a claim outlives its run's last sign of life: a crashed run blocks
   *   retries of its request this long at most.
   */
  constructor(
    private readonly redis: Redis,
    private readonly cipher: ReplyCipher,
    private readonly replyTtlMs = 5 * 60_000,
    private readonly claimTtlMs = 15_000,
  ) {}

  static key(tenantId: string, topic: string, requestId: string): string {
    return `t:${tenantId}:rpc:${topic}:${requestId}`;
  }

  async claim(tenantId: string, topic: string, requestId: string): Promise<ReplyState> {
    const key = RedisReplyStore.key(tenantId, topic, requestId);
    const token = `${CLAIM}${randomUUID()}`;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', this.claimTtlMs, 'NX')) === 'OK')
        return { kind: 'claimed', claim: this.held(tenantId, key, token) };
      const value = await this.redis.get(key);
      if (value === null) continue; // the other run's claim lapsed between the two commands
      if (value.startsWith(CLAIM)) return { kind: 'busy' };
      const reply = JSON.parse(this.cipher.decrypt(value, { tenantId, column: RPC_REPLY_FIELD, row: key })) as StoredReply;
      return { kind: 'replied', reply };
    }
  }

  private held(tenantId: string, key: string, token: string): Claim {
    const ifOurs = (value: string, ttlMs: number) => this.redis.eval(IF_OURS, 1, key, token, value, String(ttlMs));
    // Kept fresh while the run lasts, so a long LLM call keeps its claim and a crashed one loses it soon.
    const refresh = setInterval(() => void ifOurs('+', this.claimTtlMs).catch(() => undefined), this.claimTtlMs / 3);
    refresh.unref();
    return {
      store: async (reply) => {
        clearInterval(refresh);
        const sealed = this.cipher.seal(JSON.stringify(reply), { tenantId, column: RPC_REPLY_FIELD, row: key });
        await ifOurs(sealed, this.replyTtlMs);
      },
      release: async () => {
        clearInterval(refresh);
        await ifOurs('', 0);
      },
    };
  }
}
