import { retryDelayMs } from './webhook-retry';

const policy = { baseMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10 };
const middle = () => 0.5; // no jitter

it('doubles the delay after each failed attempt, up to the cap', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempts) => retryDelayMs(attempts, policy, middle));
  expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
});

it('gives up after the last attempt', () => {
  expect(retryDelayMs(10, policy, middle)).toBeUndefined();
  expect(retryDelayMs(1, { ...policy, maxAttempts: 1 }, middle)).toBeUndefined();
});

it('spreads retries by at most 20% either way', () => {
  expect(retryDelayMs(2, policy, () => 0)).toBe(48_000);
  expect(retryDelayMs(2, policy, () => 0.999999)).toBe(72_000);
});
