// Which failed LLM calls are worth another try, and after how long. Rate limits (429), server
// errors (5xx), timeouts and broken connections are passing trouble; any other 4xx means the
// request itself is wrong and will fail the same way again.
import { APIError, APIUserAbortError } from 'openai';
import { LlmStreamBrokenError } from './llm.errors';

export interface RetryPolicy {
  baseMs: number;
  /** Cap on one wait, including a server's Retry-After. */
  maxDelayMs: number;
}

/** opossum's error codes: the breaker refused the call, or the call took longer than its timeout. */
export const isBreakerOpen = (error: unknown): boolean => codeOf(error) === 'EOPENBREAKER';
export const isBreakerTimeout = (error: unknown): boolean => codeOf(error) === 'ETIMEDOUT';

/** Milliseconds to wait before attempt `attempt + 1`, or undefined when retrying cannot help. */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!isTransient(error)) return undefined;
  const retryAfter = error instanceof APIError && error.status === 429 ? retryAfterMs(error.headers as Headers | undefined) : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  // Exponential with "equal jitter": replicas that failed together do not retry together, yet
  // each waits at least half the step.
  const step = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

function isTransient(error: unknown): boolean {
  if (isBreakerTimeout(error) || error instanceof LlmStreamBrokenError) return true;
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIError) {
    // No status: the connection failed, timed out, or the stream carried an error event.
    return error.status === undefined || error.status === 429 || error.status >= 500;
  }
  return false;
}

/**
 * A failure that says nothing about the endpoint's health (a request it rejected as malformed or
 * too long), so it must not count towards opening the breaker. Auth failures do count: every call
 * fails until someone fixes the key, and the breaker spares customers the wait meanwhile.
 */
export function isRequestFault(error: unknown): boolean {
  return (
    error instanceof APIError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 403, 408, 429].includes(error.status as number)
  );
}

/** Retry-After as OpenAI sends it: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
