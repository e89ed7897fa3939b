// Each conversation's events as a Redis stream, so any gateway replica can serve any client and a
// client can resume after a disconnect. Kafka (conversation.outbound.v1) is the source; this is
// the fan-out.
//
// An event carries the bot's (or an agent's) reply text, so it is stored encrypted with the
// gateway's field cipher, bound to the tenant. An entry that does not decrypt is skipped with a
// warning: the client misses that one event rather than losing its whole stream.
//
// Reply deltas pass a gate per turn: the first answer run (stream id) to reach it owns the turn's
// preview, and each of its deltas is appended once, in sequence. A run that came after (the
// request was answered again once its first run crashed mid-answer) or a delta seen already is
// dropped, so the customer never sees text twice. The turn's final reply (or hand-off, or end)
// closes the gate: a stalled run's delta arriving after it is dropped too.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { fromJsonString, toJsonString, ConversationEventSchema, type ConversationEvent } from '@switchboard/contracts';
import { CryptoError, FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import { SharedStreamReader } from './shared-stream-reader';

const MAX_EVENTS = 1000;
const TTL_SECONDS = 7 * 24 * 3600;
/** Associated-data name of a stream entry's event, as `libs/crypto` binds a value to where it lives. */
export const CONVERSATION_EVENT_FIELD = 'redis.conversation_events';

/** How long a turn's delta gate is kept: far longer than a turn (90 s at most). */
const DELTA_GATE_TTL_SECONDS = 3600;
/** The gate's owner once the turn's preview is over; no stream id (a UUID) equals it. */
const PREVIEW_OVER = 'closed';
const ENDS_PREVIEW = new Set(['reply', 'handoff', 'completed']);
// KEYS: the stream, the turn's gate. ARGV: stream id, sequence, sealed event, cap, stream TTL, gate TTL.
const APPEND_DELTA = `local owner = redis.call('HGET', KEYS[2], 'stream')
if owner and (owner ~= ARGV[1] or tonumber(redis.call('HGET', KEYS[2], 'sequence')) >= tonumber(ARGV[2])) then return 0 end
redis.call('HSET', KEYS[2], 'stream', ARGV[1], 'sequence', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'event', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1`;

export interface StoredEvent {
  cursor: string;
  event: ConversationEvent;
}

@Injectable()
export class ConversationStreamStore implements OnModuleDestroy {
  private readonly cipher: FieldCipher;
  /** Every follower of this process shares one blocking connection. */
  readonly reader: SharedStreamReader;

  constructor(
    private readonly redis: Redis,
    @Inject(CONFIG) config: EncryptionConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.cipher = FieldCipher.fromConfig(config);
    this.reader = new SharedStreamReader(redis, `gateway-streams-${process.pid}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.reader.close();
  }

  key(tenantId: string, conversationId: string): string {
    return `t:${tenantId}:conv:${conversationId}:events`;
  }

  /** The key of a turn's delta gate: which answer run owns the turn's preview, and its last delta. */
  deltaGateKey(tenantId: string, conversationId: string, turnId: string): string {
    return `t:${tenantId}:conv:${conversationId}:deltas:${turnId}`;
  }

  /** Appends the event; false when it is a delta the customer was shown already or of a run that came after (dropped). */
  async append(tenantId: string, event: ConversationEvent): Promise<boolean> {
    const key = this.key(tenantId, event.conversationId);
    const sealed = this.cipher.seal(toJsonString(ConversationEventSchema, event), { tenantId, column: CONVERSATION_EVENT_FIELD, row: key });
    const delta = event.kind.case === 'delta' ? event.kind.value : undefined;
    // A delta without a stream id comes from a generation service older than the gate: forwarded as before.
    if (delta?.streamId) {
      const gate = this.deltaGateKey(tenantId, event.conversationId, event.turnId);
      const args = [delta.streamId, delta.sequence, sealed, MAX_EVENTS, TTL_SECONDS, DELTA_GATE_TTL_SECONDS];
      return (await this.redis.eval(APPEND_DELTA, 2, key, gate, ...args.map(String))) === 1;
    }
    const append = this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'event', sealed).expire(key, TTL_SECONDS);
    if (event.turnId && ENDS_PREVIEW.has(event.kind.case ?? '')) {
      const gate = this.deltaGateKey(tenantId, event.conversationId, event.turnId);
      append.hset(gate, 'stream', PREVIEW_OVER, 'sequence', '0').expire(gate, DELTA_GATE_TTL_SECONDS);
    }
    await append.exec();
    return true;
  }

  /** The cursor of the newest event, or "0-0": reading after it yields only what comes next. */
  async head(tenantId: string, conversationId: string): Promise<string> {
    const last = await this.redis.xrevrange(this.key(tenantId, conversationId), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  /** The cursor of the event with this id, if it is still kept. */
  async cursorOf(tenantId: string, conversationId: string, eventId: string): Promise<string | undefined> {
    const key = this.key(tenantId, conversationId);
    const entries = await this.redis.xrange(key, '-', '+');
    return entries.map((entry) => this.toStored(tenantId, key, entry)).find((e) => e?.event.eventId === eventId)?.cursor;
  }

  /** Events after `cursor`, as they arrive, until `signal` aborts. */
  async *follow(tenantId: string, conversationId: string, cursor: string, signal: AbortSignal): AsyncGenerator<StoredEvent> {
    const key = this.key(tenantId, conversationId);
    for await (const entry of this.reader.entries(key, cursor, signal)) {
      const stored = this.toStored(tenantId, key, entry);
      if (stored) yield stored;
    }
  }

  /** The entry's event, or undefined (logged) when it does not decrypt (e.g. copied from another conversation's stream). */
  private toStored(tenantId: string, key: string, [cursor, fields]: [string, string[]]): StoredEvent | undefined {
    const stored = fields[fields.indexOf('event') + 1];
    try {
      return {
        cursor,
        event: fromJsonString(
          ConversationEventSchema,
          this.cipher.decrypt(stored, { tenantId, column: CONVERSATION_EVENT_FIELD, row: key }),
        ),
      };
    } catch (error) {
      // A crypto error names the field, key id and tenant; a parse error could quote the content.
      this.log.warn(
        { tenantId, cursor, reason: error instanceof CryptoError ? error.message : 'not a conversation event' },
        `${CONVERSATION_EVENT_FIELD}: a stream entry cannot be read; skipping it`,
      );
      return undefined;
    }
  }
}
