// The OpenAI wire-protocol test server (libs/testing) as the real SDK sees it, beyond the streamed
// completions LlmClient uses: plain JSON completions with tool calls, the model list, a wrong key,
// and a body cut mid-way. Other suites rely on it behaving like a real endpoint.
import OpenAI from 'openai';
import { lastUserText, startOpenAiWireServer, systemText, wire, type OpenAiWireServer } from '@switchboard/testing';

let server: OpenAiWireServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startOpenAiWireServer({ apiKey: 'sk-right', model: 'wire-model' });
  client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'sk-right', maxRetries: 0, timeout: 5_000 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const ask = (content = 'hello') =>
  client.chat.completions.create({
    model: 'wire-model',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content },
    ],
  });

describe('the OpenAI wire-protocol test server', () => {
  it('answers plain JSON completions, by default from a function of the request', async () => {
    server.respondWith((request) => wire.text(`echo: ${lastUserText(request)} / ${systemText(request)}`));
    const completion = await ask('where is my order?');
    expect(completion.choices[0]?.message.content).toBe('echo: where is my order? / be brief');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('returns tool calls in a plain completion', async () => {
    server.enqueue(wire.toolCalls([{ name: 'get_order_details', arguments: { order_id: '#W1' }, id: 'call_x' }]));
    const completion = await ask();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_x', type: 'function', function: { name: 'get_order_details', arguments: '{"order_id":"#W1"}' } },
    ]);
  });

  it('lists its model and refuses a wrong key with 401', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['wire-model']);
    const stranger = new OpenAI({ baseURL: server.baseUrl, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toMatchObject({ status: 401 });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('serves queued errors with Retry-After, then the next behaviour', async () => {
    server.enqueue(wire.error(429, { retryAfterSeconds: 2 }), wire.text('fine now'));
    const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('2');
    expect((await ask()).choices[0]?.message.content).toBe('fine now');
  });

  it('cuts a plain completion half-way when told to truncate', async () => {
    server.enqueue(wire.truncated('a long answer that never arrives whole'));
    // undici's own TypeError, from outside Jest's realm, so matched by shape.
    await expect(ask()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(server.chatRequests).toHaveLength(1);
  });
});
