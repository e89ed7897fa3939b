// The envelope travels in Kafka headers so the payload stays the plain canonical JSON of its
// protobuf message, readable by any Kafka client.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { currentContext } from '@switchboard/logging';

export const Header = {
  messageId: 'sb-message-id',
  type: 'sb-type',
  tenantId: 'sb-tenant-id',
  conversationId: 'sb-conversation-id',
  correlationId: 'sb-correlation-id',
  causationId: 'sb-causation-id',
  occurredAt: 'sb-occurred-at',
  producer: 'sb-producer',
  traceparent: 'traceparent',
  replyTo: 'sb-reply-to',
  deadline: 'sb-deadline',
  replyStatus: 'sb-reply-status',
  deadLetterReason: 'sb-dlq-reason',
  deadLetterGroup: 'sb-dlq-group',
  deadLetterOffset: 'sb-dlq-offset',
} as const;

export interface Envelope {
  messageId: string;
  type: string;
  tenantId: string;
  conversationId?: string;
  correlationId: string;
  causationId?: string;
  occurredAt: string;
  producer?: string;
  traceparent?: string;
  replyTo?: string;
  /** Epoch milliseconds after which a request is no longer worth answering. */
  deadline?: number;
}

export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || value === null ? undefined : value.toString();
}

export function readEnvelope(headers: IHeaders | undefined): { envelope?: Envelope; problem?: string } {
  const get = (name: string) => headerValue(headers, name);
  for (const required of [Header.messageId, Header.type, Header.tenantId, Header.correlationId]) {
    if (!get(required)) return { problem: `header ${required} is missing` };
  }
  const deadline = get(Header.deadline);
  return {
    envelope: {
      messageId: get(Header.messageId)!,
      type: get(Header.type)!,
      tenantId: get(Header.tenantId)!,
      conversationId: get(Header.conversationId),
      correlationId: get(Header.correlationId)!,
      causationId: get(Header.causationId),
      occurredAt: get(Header.occurredAt) ?? new Date(0).toISOString(),
      producer: get(Header.producer),
      traceparent: get(Header.traceparent),
      replyTo: get(Header.replyTo),
      deadline: deadline ? Number(deadline) : undefined,
    },
  };
}

export function writeEnvelope(envelope: Envelope): IHeaders {
  const headers: IHeaders = {};
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') headers[name] = String(value);
  };
  set(Header.messageId, envelope.messageId);
  set(Header.type, envelope.type);
  set(Header.tenantId, envelope.tenantId);
  set(Header.conversationId, envelope.conversationId);
  set(Header.correlationId, envelope.correlationId);
  set(Header.causationId, envelope.causationId);
  set(Header.occurredAt, envelope.occurredAt);
  set(Header.producer, envelope.producer);
  set(Header.traceparent, envelope.traceparent);
  set(Header.replyTo, envelope.replyTo);
  set(Header.deadline, envelope.deadline);
  return headers;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

/**
 * W3C trace context: keep the trace id and the sampled flag of what is being handled, start a new
 * span. A message published outside any handling (a customer's turn at the gateway) starts a trace,
 * sampled with probability `sampleRate`; the hops of a sampled trace are recorded (trace-recorder.ts).
 */
export function childTraceparent(parent?: string, sampleRate = 0): string {
  const [, traceId, flags] = parent?.match(TRACEPARENT) ?? [];
  if (traceId) return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-${Math.random() < sampleRate ? '01' : '00'}`;
}

/** The trace id of a sampled traceparent, else undefined. */
export function sampledTraceId(traceparent: string | undefined): string | undefined {
  const [, traceId, flags] = traceparent?.match(TRACEPARENT) ?? [];
  return traceId && (parseInt(flags, 16) & 1) === 1 ? traceId : undefined;
}

/** An envelope for a new message, inheriting correlation and trace from the message being handled. */
export function newEnvelope(fields: {
  type: string;
  tenantId: string;
  conversationId?: string;
  producer: string;
  messageId?: string;
  /** For a message that starts a trace: the share of such traces recorded. */
  sampleRate?: number;
}): Envelope {
  const ctx = currentContext();
  return {
    messageId: fields.messageId ?? randomUUID(),
    type: fields.type,
    tenantId: fields.tenantId,
    conversationId: fields.conversationId || ctx?.conversationId,
    correlationId: ctx?.correlationId ?? randomUUID(),
    causationId: ctx?.messageId,
    occurredAt: new Date().toISOString(),
    producer: fields.producer,
    traceparent: childTraceparent(ctx?.traceparent, fields.sampleRate),
  };
}
