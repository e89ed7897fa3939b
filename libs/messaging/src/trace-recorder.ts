// Where a sampled turn spent its time: every consumer of a sampled trace (the traceparent's flag)
// records one span per message it handles — when the message was published, when handling began
// and ended, by which service — in Redis under the message's tenant, for an hour. The messages'
// ids and causation ids make the tree; `switchboard trace <turn id>` prints it. Spans hold topic
// names and times, never message content. Recording never waits on Redis nor fails a handler.
import type Redis from 'ioredis';

export interface Span {
  traceId: string;
  tenantId: string;
  messageId: string;
  /** The message whose handling published this one; absent for the trace's first message. */
  causationId?: string;
  topic: string;
  service: string;
  /** ISO times: published (the envelope's), handling began, handling ended. */
  publishedAt: string;
  startedAt: string;
  endedAt: string;
  outcome: string;
}

export interface TraceRecorder {
  record(span: Span): void;
}

export const TRACE_TTL_SECONDS = 3600;

export const traceKey = (tenantId: string, traceId: string) => `t:${tenantId}:trace:${traceId}`;
/** A trace's first message (a turn: its id is the turn id) points at its trace. */
export const traceOfMessageKey = (tenantId: string, messageId: string) => `t:${tenantId}:trace-of:${messageId}`;

export class RedisTraceRecorder implements TraceRecorder {
  constructor(private readonly redis: Redis) {}

  record(span: Span): void {
    const key = traceKey(span.tenantId, span.traceId);
    const write = this.redis.multi().rpush(key, JSON.stringify(span)).expire(key, TRACE_TTL_SECONDS);
    if (!span.causationId) write.set(traceOfMessageKey(span.tenantId, span.messageId), span.traceId, 'EX', TRACE_TTL_SECONDS);
    write.exec().catch(() => undefined);
  }
}

/** The spans of the trace that began with message `messageId` (a turn id), in the order they began. */
export async function readTrace(redis: Redis, tenantId: string, messageId: string): Promise<Span[]> {
  const traceId = await redis.get(traceOfMessageKey(tenantId, messageId));
  if (!traceId) return [];
  const spans = (await redis.lrange(traceKey(tenantId, traceId), 0, -1)).map((line) => JSON.parse(line) as Span);
  return spans.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
