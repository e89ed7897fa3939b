// Each conversation's events as a Redis stream, so any gateway replica can serve any client and a
// client can resume after a disconnect. Kafka (conversation.outbound.v1) is the source; this is
// the fan-out.
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { fromJsonString, toJsonString, ConversationEventSchema, type ConversationEvent } from '@switchboard/contracts';

const MAX_EVENTS = 1000;
const TTL_SECONDS = 7 * 24 * 3600;
const BLOCK_MS = 2000;

export interface StoredEvent {
  cursor: string;
  event: ConversationEvent;
}

@Injectable()
export class ConversationStreamStore {
  constructor(private readonly redis: Redis) {}

  key(tenantId: string, conversationId: string): string {
    return `t:${tenantId}:conv:${conversationId}:events`;
  }

  async append(tenantId: string, event: ConversationEvent): Promise<void> {
    const key = this.key(tenantId, event.conversationId);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'event', toJsonString(ConversationEventSchema, event)).expire(key, TTL_SECONDS).exec();
  }

  /** The cursor of the newest event, or "0-0": reading after it yields only what comes next. */
  async head(tenantId: string, conversationId: string): Promise<string> {
    const last = await this.redis.xrevrange(this.key(tenantId, conversationId), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  /** The cursor of the event with this id, if it is still kept. */
  async cursorOf(tenantId: string, conversationId: string, eventId: string): Promise<string | undefined> {
    const entries = await this.redis.xrange(this.key(tenantId, conversationId), '-', '+');
    return entries.map(toStored).find((e) => e.event.eventId === eventId)?.cursor;
  }

  /** Events after `cursor`, as they arrive, until `signal` aborts. */
  async *follow(tenantId: string, conversationId: string, cursor: string, signal: AbortSignal): AsyncGenerator<StoredEvent> {
    // XREAD BLOCK holds its connection, so each follower gets its own.
    const reader = this.redis.duplicate();
    const stop = () => reader.disconnect();
    signal.addEventListener('abort', stop, { once: true });
    const key = this.key(tenantId, conversationId);
    try {
      await reader.connect();
      while (!signal.aborted) {
        const batch = await reader.xread('COUNT', 100, 'BLOCK', BLOCK_MS, 'STREAMS', key, cursor).catch((error: Error) => {
          if (signal.aborted) return null;
          throw error;
        });
        for (const [, entries] of batch ?? []) {
          for (const entry of entries) {
            const stored = toStored(entry);
            cursor = stored.cursor;
            yield stored;
          }
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      reader.disconnect();
    }
  }
}

function toStored([cursor, fields]: [string, string[]]): StoredEvent {
  const json = fields[fields.indexOf('event') + 1];
  return { cursor, event: fromJsonString(ConversationEventSchema, json) };
}
