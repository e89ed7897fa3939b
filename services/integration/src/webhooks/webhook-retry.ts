// When a failed delivery is tried again: exponential backoff from `baseMs`, capped at `maxDelayMs`,
// with ±20% jitter so endpoints that failed together do not get retried together.
export interface RetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
}

/** The delay before the next attempt after `attempts` failed ones, or undefined when none is left. */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
