import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmStreamBrokenError } from './llm.errors';
import { isRequestFault, retryAfterMs, retryDelayMs } from './retry-policy';

const policy = { baseMs: 100, maxDelayMs: 2000 };
const status = (code: number, headers: Record<string, string> = {}) =>
  APIError.generate(code, { message: 'x' }, undefined, new Headers(headers));
const opossum = (code: string) => Object.assign(new Error(code), { code });

describe('retryDelayMs', () => {
  it('retries rate limits, server errors, timeouts and broken connections with growing, jittered waits', () => {
    for (const error of [
      status(429),
      status(500),
      status(503),
      new APIConnectionError({ message: 'reset' }),
      new APIConnectionTimeoutError(),
      new LlmStreamBrokenError(),
      opossum('ETIMEDOUT'),
    ]) {
      expect(retryDelayMs(error, 1, policy, () => 0)).toBe(50);
    }
    expect(retryDelayMs(status(500), 1, policy, () => 1)).toBe(100);
    expect(retryDelayMs(status(500), 3, policy, () => 0)).toBe(200);
    expect(retryDelayMs(status(500), 3, policy, () => 1)).toBe(400);
    expect(retryDelayMs(status(500), 10, policy, () => 1)).toBe(2000);
  });

  it('honours Retry-After on 429, capped', () => {
    expect(retryDelayMs(status(429, { 'retry-after': '1' }), 1, policy)).toBe(1000);
    expect(retryDelayMs(status(429, { 'retry-after-ms': '250' }), 1, policy)).toBe(250);
    expect(retryDelayMs(status(429, { 'retry-after': '60' }), 1, policy)).toBe(2000);
  });

  it('does not retry other 4xx, an abort or an open breaker', () => {
    for (const error of [
      status(400),
      status(401),
      status(404),
      status(422),
      new APIUserAbortError(),
      opossum('EOPENBREAKER'),
      new Error('bug'),
    ]) {
      expect(retryDelayMs(error, 1, policy)).toBeUndefined();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('isRequestFault', () => {
  it('spares the breaker failures caused by the request itself, not by the endpoint', () => {
    expect(isRequestFault(status(400))).toBe(true);
    expect(isRequestFault(status(422))).toBe(true);
    expect(isRequestFault(status(401))).toBe(false);
    expect(isRequestFault(status(429))).toBe(false);
    expect(isRequestFault(status(500))).toBe(false);
    expect(isRequestFault(opossum('ETIMEDOUT'))).toBe(false);
  });
});
