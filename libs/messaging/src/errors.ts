// Failures the bus distinguishes: a message that can never succeed goes straight to the dead-letter
// topic; anything else is retried first.

/** The message itself is wrong (headers, schema, field rules, tenant); retrying cannot help. */
export class InvalidMessageError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

/** A message that crashed, or stalled, its consumer on every delivery so far; it is not tried again. */
export class PoisonMessageError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** A request-reply call got no answer in time. */
export class RpcTimeoutError extends Error {
  readonly code = 'RPC_TIMEOUT';
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super(`No reply from ${topic} within ${timeoutMs} ms; is the service that consumes it running?`);
    this.name = 'RpcTimeoutError';
  }
}

/** The responder answered with an error. */
export class RpcRemoteError extends Error {
  constructor(
    readonly topic: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${topic} failed with ${code}: ${detail}`);
    this.name = 'RpcRemoteError';
  }
}

/** Thrown by a handler for a failure that retrying will not fix (e.g. a domain rule). */
export class PermanentError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof Error && (error as { retryable?: boolean }).retryable === false);
}

// Network failures (Node), Kafka client errors that mean "no broker", Redis client errors that mean
// "no server", PostgreSQL connection classes 08 and 57P (shutting down).
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
  'EAI_AGAIN',
  'NR_CLOSED',
]);
const OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'MaxRetriesPerRequestError',
]);
const OUTAGE_MESSAGES = [
  /Connection is closed/,
  /enableOfflineQueue options is false/,
  /Connection terminated/,
  /Client has encountered a connection error/,
  /timeout exceeded when trying to connect/,
];

/**
 * True when the error says a dependency (Kafka, Redis, PostgreSQL) cannot be reached, rather than
 * that the message or the handler is wrong: the consumer waits such an outage out instead of
 * spending the message's attempts and dead-lettering it with a reason that blames the message.
 */
export function isOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const { code, name, message } = e as Error & { code?: unknown };
    if (typeof code === 'string' && (OUTAGE_CODES.has(code) || /^(08|57P0)/.test(code))) return true;
    if (OUTAGE_NAMES.has(name) || OUTAGE_MESSAGES.some((m) => m.test(message))) return true;
    // kafkajs marks what a broker's restart causes (no leader yet, not the coordinator) retriable.
    if (name.startsWith('KafkaJS') && (e as { retriable?: unknown }).retriable === true) return true;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return false;
}

/**
 * The code to answer a caller with when retrying cannot help: a PermanentError's, or that of an error
 * shaped like one (`retryable = false` and a `code`) from a lib below messaging, such as crypto's.
 */
export function permanentCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return !isRetryable(error) && typeof code === 'string' ? code : undefined;
}
