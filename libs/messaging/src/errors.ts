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
  constructor(readonly topic: string, readonly timeoutMs: number) {
    super(`No reply from ${topic} within ${timeoutMs} ms; is the service that consumes it running?`);
    this.name = 'RpcTimeoutError';
  }
}

/** The responder answered with an error. */
export class RpcRemoteError extends Error {
  constructor(readonly topic: string, readonly code: string, detail: string) {
    super(`${topic} failed with ${code}: ${detail}`);
    this.name = 'RpcRemoteError';
  }
}

/** Thrown by a handler for a failure that retrying will not fix (e.g. a domain rule). */
export class PermanentError extends Error {
  readonly retryable = false;
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof Error && (error as { retryable?: boolean }).retryable === false);
}

/**
 * The code to answer a caller with when retrying cannot help: a PermanentError's, or that of an error
 * shaped like one (`retryable = false` and a `code`) from a lib below messaging, such as crypto's.
 */
export function permanentCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return !isRetryable(error) && typeof code === 'string' ? code : undefined;
}
