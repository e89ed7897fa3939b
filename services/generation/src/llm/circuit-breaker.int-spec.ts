// The LLM circuit breaker seen from outside: through generation.answer.v1 over the real Kafka,
// against a local OpenAI wire-protocol server that first hangs and later recovers, with the
// breaker's state read from GET /metrics.
import { waitFor, wire } from '@switchboard/testing';
import { startGenerationApp, type GenerationTestApp } from '../../test/generation-app';

const passages = [
  { id: 'wiki:returns', title: 'Return delivered order', text: "An order can only be returned if its status is 'delivered'.", score: 0.9 },
];
const QUESTION = 'Can I return a delivered order?';
const STATE = 'switchboard_llm_breaker_state';

describe('the LLM circuit breaker', () => {
  let t: GenerationTestApp;

  beforeAll(async () => {
    t = await startGenerationApp({
      LLM_TIMEOUT_MS: '300',
      LLM_RETRIES: '1',
      LLM_RETRY_BASE_MS: '50',
      LLM_BREAKER_MIN_CALLS: '2',
      LLM_BREAKER_ERROR_PERCENT: '50',
      LLM_BREAKER_RESET_MS: '1500',
    });
  }, 120_000);

  afterAll(async () => t?.close());

  it('opens on timeouts, answers extractively at once while open, then half-opens and closes when the LLM is back', async () => {
    expect(await t.metric(STATE)).toBe(0);
    t.llm.respondWith(() => wire.slow(5_000, wire.text('far too late')));

    // Two attempts time out: the first answer falls back, and the breaker opens.
    const first = await t.ask({ question: QUESTION, passages });
    expect(first).toMatchObject({ mode: 'extractive', fallbackReason: 'llm_error', grounded: true });
    expect(t.llm.chatRequests).toHaveLength(2);
    expect(await t.metric(STATE)).toBe(2);

    // While open, answers fall back without touching the endpoint.
    const started = Date.now();
    const second = await t.ask({ question: QUESTION, passages });
    expect(second).toMatchObject({ mode: 'extractive', fallbackReason: 'breaker_open', text: first.text });
    expect(Date.now() - started).toBeLessThan(300);
    expect(t.llm.chatRequests).toHaveLength(2);
    expect(await t.metric('switchboard_generation_answers_total', { mode: 'extractive', fallback_reason: 'breaker_open' })).toBe(1);

    // The endpoint recovers; after LLM_BREAKER_RESET_MS one call is let through, and closes the breaker.
    t.llm.respondWith(() => wire.text('Yes, once it is delivered [1].'));
    await waitFor(async () => (await t.metric(STATE)) === 1, 'the breaker to half-open', 10_000);
    expect(t.llm.chatRequests).toHaveLength(2);
    const third = await t.ask({ question: QUESTION, passages });
    expect(third).toMatchObject({ mode: 'llm', fallbackReason: '', text: 'Yes, once it is delivered [1].' });
    expect(t.llm.chatRequests).toHaveLength(3);
    expect(await t.metric(STATE)).toBe(0);
  });
});
