// GuardedLlm with the real openai SDK against a local OpenAI wire-protocol server: what is retried,
// what is not, and what the breaker logs.
import { Writable } from 'node:stream';
import { createLogger } from '@switchboard/logging';
import { startOpenAiWireServer, waitFor, wire, type OpenAiWireServer } from '@switchboard/testing';
import { loadGenerationConfig } from '../config';
import { GuardedLlm, type CompleteOptions } from './guarded-llm';
import { LlmClient, type ModelCall } from './llm.client';
import { LlmStreamBrokenError } from './llm.errors';

const API_KEY = 'sk-test-do-not-log-3f9a';
const call: ModelCall = { messages: [{ role: 'user', content: 'hello' }], tools: [], toolChoice: 'auto', maxTokens: 50 };

let server: OpenAiWireServer;
beforeAll(async () => {
  server = await startOpenAiWireServer({ apiKey: API_KEY });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const guarded: GuardedLlm[] = [];
afterEach(() => guarded.splice(0).forEach((g) => g.onModuleDestroy()));

function make(env: Record<string, string> = {}): { llm: GuardedLlm; messages: () => string[]; raw: string[] } {
  const raw: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (raw.push(String(chunk)), done()) });
  const config = loadGenerationConfig({
    NODE_ENV: 'test',
    LLM_BASE_URL: server.baseUrl,
    LLM_API_KEY: API_KEY,
    LLM_MODEL: 'test-model',
    LLM_TIMEOUT_MS: '2000',
    LLM_RETRIES: '2',
    LLM_RETRY_BASE_MS: '20',
    ...env,
  });
  const llm = new GuardedLlm(new LlmClient(config), config, createLogger('generation', 'info', sink));
  guarded.push(llm);
  return { llm, raw, messages: () => raw.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

const options = (overrides: Partial<CompleteOptions> = {}): CompleteOptions => ({
  onAttempt: () => undefined,
  onText: () => undefined,
  deadline: Date.now() + 10_000,
  mayRetry: () => true,
  ...overrides,
});

describe('GuardedLlm', () => {
  it('streams the text and sends the key as a bearer token', async () => {
    server.enqueue(wire.text('Hello there, how can I help?', { chunks: 3 }));
    const pieces: string[] = [];
    const turn = await make().llm.complete(call, options({ onText: (t) => pieces.push(t) }));
    expect(turn).toEqual({ content: 'Hello there, how can I help?', toolCalls: [], finishReason: 'stop' });
    expect(pieces.length).toBe(3);
    expect(server.chatRequests[0]?.headers.authorization).toBe('Bearer [redacted]');
    expect(server.chatRequests[0]?.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 50 });
  });

  it('does not retry a request the endpoint rejects as malformed', async () => {
    server.enqueue(wire.error(400, { message: 'bad request' }), wire.text('never asked for'));
    await expect(make().llm.complete(call, options())).rejects.toMatchObject({ status: 400 });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('retries a cut stream when nothing reached the customer, starting the attempt afresh', async () => {
    server.enqueue(wire.truncated('Partial ans'), wire.text('Full answer.'));
    let attempts = 0;
    const turn = await make().llm.complete(call, options({ onAttempt: () => (attempts += 1) }));
    expect(turn.content).toBe('Full answer.');
    expect(attempts).toBe(2);
    expect(server.chatRequests).toHaveLength(2);
  });

  it('does not retry a cut stream once its text reached the customer', async () => {
    server.enqueue(wire.truncated('Partial ans'), wire.text('Full answer.'));
    await expect(make().llm.complete(call, options({ mayRetry: () => false }))).rejects.toBeInstanceOf(LlmStreamBrokenError);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('stops retrying when the answer budget would run out', async () => {
    server.respondWith(() => wire.error(503));
    // The first wait is at least half of 1000 ms, past the 300 ms left.
    const { llm } = make({ LLM_RETRY_BASE_MS: '1000', LLM_RETRIES: '5' });
    await expect(llm.complete(call, options({ deadline: Date.now() + 300 }))).rejects.toMatchObject({ status: 503 });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('opens on timeouts, refuses without calling, then half-opens and closes, logging each change once and never the key', async () => {
    const { llm, messages, raw } = make({
      LLM_TIMEOUT_MS: '150',
      LLM_RETRIES: '1',
      LLM_BREAKER_MIN_CALLS: '2',
      LLM_BREAKER_RESET_MS: '500',
    });
    server.respondWith(() => wire.slow(1_000, wire.text('too late')));
    await expect(llm.complete(call, options())).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(server.chatRequests).toHaveLength(2);
    expect(llm.state).toBe('open');

    await expect(llm.complete(call, options())).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    expect(server.chatRequests).toHaveLength(2);

    server.respondWith(() => wire.text('Back again.'));
    await waitFor(() => llm.state === 'half_open', 'the breaker to half-open', 5_000, 20);
    expect((await llm.complete(call, options())).content).toBe('Back again.');
    expect(llm.state).toBe('closed');

    const changes = messages().filter((m) => /circuit breaker/.test(m));
    expect(changes).toEqual([
      'LLM circuit breaker opened: answering extractively for the next 500 ms',
      'LLM circuit breaker half-open: the next call tries the LLM again',
      'LLM circuit breaker closed: the LLM answers again',
    ]);
    expect(raw.join('')).not.toContain(API_KEY);
  });
});
