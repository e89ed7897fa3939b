// A local HTTP server speaking the OpenAI chat-completions wire protocol, so tests can drive the
// real `openai` SDK (or any OpenAI-compatible client) end to end without a model.
//
//   const llm = await startOpenAiWireServer();              // llm.baseUrl = http://127.0.0.1:<port>/v1
//   llm.enqueue(wire.error(429, { retryAfterSeconds: 1 }), wire.text('Returns take 30 days [1].'));
//   llm.respondWith((request) => wire.text(`You asked: ${lastUserText(request)}`));  // when the queue is empty
//   ... point LLM_BASE_URL at llm.baseUrl, run the code under test ...
//   llm.chatRequests[0].body?.messages                      // exactly what the model was sent
//   await llm.close();
//
// Routes: POST /v1/chat/completions (a JSON completion, or server-sent `chat.completion.chunk`
// events ending with `data: [DONE]` when the body says "stream": true) and GET /v1/models.
// Each chat request takes the next queued behaviour; when the queue is empty, `respondWith`'s
// function decides (default: the text "OK"). Behaviours, built with `wire.*`:
//   wire.text(text, { chunks, chunkDelayMs, finishReason })  a reply; streamed in `chunks` pieces
//   wire.toolCalls([{ name, arguments }], { text })          the model calls tools (finish_reason tool_calls)
//   wire.error(status, { retryAfterSeconds, message })      an OpenAI-style error body, e.g. 429 or 500
//   wire.truncated(text)                                    starts answering, then cuts the connection
//                                                           (no finish_reason, no [DONE])
//   wire.slow(ms, behaviour)                                waits `ms` before answering at all
// Every request is recorded in arrival order with its parsed body and its headers; the values of
// credentials (authorization, api-key) are replaced by "[redacted]" so records can be printed.
// `systemText(request)` and `lastUserText(request)` read a recorded prompt.
// With `apiKey` set, a request without `Authorization: Bearer <apiKey>` gets a 401, like a real
// endpoint.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireToolCall {
  name: string;
  /** An object (sent as its JSON) or the raw arguments string, which may be malformed on purpose. */
  arguments: unknown;
  /** Defaults to call_<n>. */
  id?: string;
}

interface Timing {
  /** Wait this long before answering at all. */
  delayMs?: number;
  /** Streaming only: wait this long between chunks. */
  chunkDelayMs?: number;
}

export type WireBehaviour =
  | ({ kind: 'text'; text: string; chunks?: number; finishReason?: 'stop' | 'length' | 'content_filter' } & Timing)
  | ({ kind: 'tool_calls'; calls: WireToolCall[]; text?: string } & Timing)
  | ({ kind: 'error'; status: number; message?: string; retryAfterSeconds?: number } & Timing)
  | ({ kind: 'truncated'; text: string; chunks?: number } & Timing);

export const wire = {
  text: (
    text: string,
    options: { chunks?: number; chunkDelayMs?: number; finishReason?: 'stop' | 'length' | 'content_filter' } = {},
  ): WireBehaviour => ({ kind: 'text', text, ...options }),
  toolCalls: (calls: WireToolCall[], options: { text?: string; chunkDelayMs?: number } = {}): WireBehaviour => ({
    kind: 'tool_calls',
    calls,
    ...options,
  }),
  error: (status: number, options: { message?: string; retryAfterSeconds?: number } = {}): WireBehaviour => ({
    kind: 'error',
    status,
    ...options,
  }),
  truncated: (text: string, options: { chunks?: number; chunkDelayMs?: number } = {}): WireBehaviour => ({
    kind: 'truncated',
    text,
    ...options,
  }),
  slow: (delayMs: number, behaviour: WireBehaviour): WireBehaviour => ({ ...behaviour, delayMs }),
};

export interface WireMessage {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface WireChatBody {
  model: string;
  messages: WireMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  max_tokens?: number;
  [field: string]: unknown;
}

export interface WireRequest {
  method: string;
  path: string;
  /** Lower-case names; credential values replaced by "[redacted]". */
  headers: Record<string, string>;
  /** The parsed JSON body of a chat request; undefined for other routes or unparsable bodies. */
  body?: WireChatBody;
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number;
}

export interface OpenAiWireServer {
  /** Base URL for the SDK (`baseURL`), ending in /v1. */
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly requests: WireRequest[];
  /** Only the POST /v1/chat/completions requests. */
  readonly chatRequests: WireRequest[];
  /** Behaviours for the next chat requests, in order. */
  enqueue(...behaviours: WireBehaviour[]): void;
  /** Decides for chat requests that find the queue empty. */
  respondWith(respond: (request: WireRequest) => WireBehaviour): void;
  /** Forgets the queue, the records and `respondWith`. */
  reset(): void;
  close(): Promise<void>;
}

export interface WireServerOptions {
  /** Model id reported by /v1/models and in completions when the request names none. */
  model?: string;
  /** Require this bearer key, answering 401 otherwise. */
  apiKey?: string;
  respond?: (request: WireRequest) => WireBehaviour;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);
const DEFAULT_RESPOND = (): WireBehaviour => wire.text('OK');

/** The text of the last user message, handy in `respondWith`. */
export function lastUserText(request: WireRequest): string {
  const message = [...(request.body?.messages ?? [])].reverse().find((m) => m.role === 'user');
  return messageText(message);
}

/** The text of the system message(s), handy to check what the model was told. */
export function systemText(request: WireRequest): string {
  return (request.body?.messages ?? [])
    .filter((m) => m.role === 'system')
    .map(messageText)
    .join('\n');
}

function messageText(message: WireMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

export async function startOpenAiWireServer(options: WireServerOptions = {}): Promise<OpenAiWireServer> {
  const model = options.model ?? 'test-model';
  const queue: WireBehaviour[] = [];
  const requests: WireRequest[] = [];
  let respond = options.respond ?? DEFAULT_RESPOND;
  let ids = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendError(res, 500, `wire server failed: ${error.message}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const record: WireRequest = { method: req.method ?? '', path, headers: recordedHeaders(req), receivedAt: Date.now() };
    requests.push(record);
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error');
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'switchboard-test' }] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions')
      return sendError(res, 404, `no route ${req.method} ${path}`, 'invalid_request_error');
    try {
      record.body = JSON.parse(raw) as WireChatBody;
    } catch {
      return sendError(res, 400, 'the body is not JSON', 'invalid_request_error');
    }
    const behaviour = queue.shift() ?? respond(record);
    if (behaviour.delayMs) await pause(behaviour.delayMs, res);
    if (res.destroyed || res.writableEnded) return;
    if (behaviour.kind === 'error')
      return sendError(
        res,
        behaviour.status,
        behaviour.message ?? defaultMessage(behaviour.status),
        errorType(behaviour.status),
        behaviour.retryAfterSeconds,
      );
    const completion = { id: `chatcmpl-${++ids}`, created: Math.floor(Date.now() / 1000), model: record.body.model || model };
    if (record.body.stream) await stream(res, behaviour, completion, record.body);
    else answer(res, behaviour, completion, record.body);
  }

  function nextToolCallId(): string {
    ids += 1;
    return `call_${ids}`;
  }

  function toolCallsOf(behaviour: WireBehaviour): Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> {
    if (behaviour.kind !== 'tool_calls') return [];
    return behaviour.calls.map((call) => ({
      id: call.id ?? nextToolCallId(),
      type: 'function',
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
    }));
  }

  function answer(res: ServerResponse, behaviour: WireBehaviour, completion: Completion, body: WireChatBody): void {
    const toolCalls = toolCallsOf(behaviour);
    const text = behaviour.kind === 'tool_calls' ? (behaviour.text ?? null) : behaviour.kind === 'error' ? null : behaviour.text;
    const payload = JSON.stringify({
      ...completion,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
          finish_reason: finishReasonOf(behaviour),
          logprobs: null,
        },
      ],
      usage: usage(body, text ?? JSON.stringify(toolCalls)),
    });
    if (behaviour.kind === 'truncated') {
      // Promise the whole body, send half of it, and hang up.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.write(payload.slice(0, Math.floor(payload.length / 2)), () => res.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(payload);
  }

  async function stream(res: ServerResponse, behaviour: WireBehaviour, completion: Completion, body: WireChatBody): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = async (delta: object, finishReason: string | null = null) => {
      if (res.destroyed) return;
      const event = `data: ${JSON.stringify({ ...completion, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`;
      // Waiting for the flush makes each event reach the client before a truncation cuts the socket.
      await new Promise<void>((resolve) => res.write(event, () => resolve()));
      if (behaviour.chunkDelayMs) await pause(behaviour.chunkDelayMs, res);
    };
    await send({ role: 'assistant', content: '' });
    const text = behaviour.kind === 'tool_calls' ? (behaviour.text ?? '') : behaviour.kind === 'error' ? '' : behaviour.text;
    for (const piece of split(text, behaviour.kind === 'text' || behaviour.kind === 'truncated' ? (behaviour.chunks ?? 4) : 2))
      await send({ content: piece });
    if (behaviour.kind === 'truncated') {
      res.destroy();
      return;
    }
    for (const [index, call] of toolCallsOf(behaviour).entries()) {
      // The first fragment names the call; the arguments follow in pieces, as real endpoints send them.
      await send({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      for (const piece of split(call.function.arguments, 3)) await send({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
    await send({}, finishReasonOf(behaviour));
    if (res.destroyed) return;
    if (body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ ...completion, object: 'chat.completion.chunk', choices: [], usage: usage(body, text) })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  return {
    baseUrl,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    },
    enqueue: (...behaviours) => void queue.push(...behaviours),
    respondWith: (fn) => void (respond = fn),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      respond = options.respond ?? DEFAULT_RESPOND;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Completion {
  id: string;
  created: number;
  model: string;
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] = CREDENTIAL_HEADERS.has(name)
      ? text.replace(/^(Bearer\s+)?.*$/i, (_all, scheme: string | undefined) => `${scheme ?? ''}[redacted]`)
      : text;
  }
  return headers;
}

function finishReasonOf(behaviour: WireBehaviour): string | null {
  if (behaviour.kind === 'tool_calls') return 'tool_calls';
  if (behaviour.kind === 'text') return behaviour.finishReason ?? 'stop';
  return null;
}

/** Splits text into at most `parts` pieces of similar length, never inside a character. */
function split(text: string, parts: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const size = Math.ceil(chars.length / Math.max(1, parts));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

function usage(body: WireChatBody, completion: string): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
  const completionTokens = Math.ceil(completion.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, type = errorType(status), retryAfterSeconds?: number): void {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  sendJson(res, status, { error: { message, type, param: null, code: null } }, headers);
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests. Please try again later.';
  return status >= 500 ? 'The server had an error while processing your request.' : `request failed with status ${status}`;
}

/** Waits `ms`, or less when the client hangs up: a slow behaviour stops waiting for nobody. */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}
