// OpenAiEmbedder against a tiny local server speaking the OpenAI /v1/embeddings wire format.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAiEmbedder } from './openai.embedder';
import { dot, l2Normalize } from './vectors';

const DIM = 8;

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model: string; input: string[]; encoding_format?: string; dimensions?: number };
}

type Behaviour = 'ok' | 'shuffled' | 'base64' | 'fail500' | 'wrong-dimension' | 'zero' | 'too-few';

/** A deterministic, deliberately un-normalised vector for a text. */
function rawVector(text: string, dim = DIM): number[] {
  const v = Array.from({ length: dim }, (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 7) % 13) + i + 1);
  v[0] += text.length; // different texts, different directions
  return v;
}

let server: Server;
let baseURL: string;
let seen: Seen[] = [];
let behaviour: Behaviour = 'ok';

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  if (req.method !== 'POST' || req.url !== '/v1/embeddings')
    return reply(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
  const body = JSON.parse(raw) as Seen['body'];
  seen.push({ path: req.url, authorization: req.headers.authorization, body });
  if (behaviour === 'fail500') return reply(res, 500, { error: { message: 'model overloaded, try later', type: 'server_error' } });
  let data = body.input.map((text, index) => {
    const vector = behaviour === 'zero' ? new Array(DIM).fill(0) : rawVector(text, behaviour === 'wrong-dimension' ? DIM * 2 : DIM);
    const embedding = behaviour === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  if (behaviour === 'shuffled') data = [...data].reverse();
  if (behaviour === 'too-few') data = data.slice(1);
  reply(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 400, { error: { message: error.message } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  behaviour = 'ok';
});

const make = (extra: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}) =>
  new OpenAiEmbedder({ baseURL, apiKey: 'test-key', model: 'test-embed', dimension: DIM, maxRetries: 0, ...extra });

const expectClose = (actual: Float32Array, expected: Float32Array) => expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, 6));

describe('OpenAiEmbedder', () => {
  it('names itself openai:<model> and has the configured dimension', () => {
    const embedder = make();
    expect(embedder.model).toBe('openai:test-embed');
    expect(embedder.dimension).toBe(DIM);
  });

  it('sends batches in order and returns unit vectors, one per text, in order', async () => {
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const vectors = await make().embed(texts, 'passage');
    expect(seen.map((s) => s.body.input.length)).toEqual([64, 64, 22]);
    expect(seen.flatMap((s) => s.body.input)).toEqual(texts);
    expect(vectors).toHaveLength(150);
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(dot(v, v)).toBeCloseTo(1, 5);
      expectClose(v, l2Normalize(rawVector(texts[i])));
    });
  });

  it('speaks the wire format: path, bearer key, model, float encoding', async () => {
    await make({ batchSize: 2 }).embed(['a', 'b', 'c'], 'query');
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.path).toBe('/v1/embeddings');
      expect(request.authorization).toBe('Bearer test-key');
      expect(request.body.model).toBe('test-embed');
      expect(request.body.encoding_format).toBe('float');
      expect(request.body.dimensions).toBeUndefined();
    }
  });

  it('asks for the dimension only when told to, and prefixes only queries', async () => {
    const embedder = make({ requestDimensions: true, queryPrefix: 'query: ' });
    await embedder.embed(['refund policy'], 'query');
    await embedder.embed(['Refunds take five days.'], 'passage');
    expect(seen.map((s) => s.body.input)).toEqual([['query: refund policy'], ['Refunds take five days.']]);
    expect(seen.map((s) => s.body.dimensions)).toEqual([DIM, DIM]);
  });

  it('puts vectors back in input order by their index', async () => {
    behaviour = 'shuffled';
    const texts = ['first', 'second text', 'third, longer text'];
    const vectors = await make().embed(texts, 'passage');
    vectors.forEach((v, i) => expectClose(v, l2Normalize(rawVector(texts[i]))));
  });

  it('accepts base64 float32 embeddings from servers that send them anyway', async () => {
    behaviour = 'base64';
    const [v] = await make().embed(['hello'], 'passage');
    expectClose(v, l2Normalize(rawVector('hello')));
  });

  it('makes no request for no texts', async () => {
    expect(await make().embed([], 'query')).toEqual([]);
    expect(seen).toHaveLength(0);
  });

  it('fails a 500 with the status, the endpoint and the server message', async () => {
    behaviour = 'fail500';
    await expect(make().embed(['hello'], 'query')).rejects.toThrow(
      new RegExp(
        `embeddings request to ${baseURL.replace(/[.]/g, '\\.')} for model test-embed failed \\(HTTP 500\\): .*model overloaded, try later`,
      ),
    );
    expect(seen).toHaveLength(1);
  });

  it("retries a 500 as the SDK's maxRetries says, then fails", async () => {
    behaviour = 'fail500';
    await expect(make({ maxRetries: 1 }).embed(['hello'], 'query')).rejects.toThrow(/HTTP 500/);
    expect(seen).toHaveLength(2);
  });

  it('rejects vectors of another dimension, a zero vector, and a short answer', async () => {
    behaviour = 'wrong-dimension';
    await expect(make().embed(['hello'], 'passage')).rejects.toThrow(`returned ${DIM * 2}-d vectors for model test-embed, expected ${DIM}`);
    behaviour = 'zero';
    await expect(make().embed(['hello'], 'passage')).rejects.toThrow(/unusable vector for input 0: cannot normalise an all-zero vector/);
    behaviour = 'too-few';
    await expect(make().embed(['a', 'b'], 'passage')).rejects.toThrow('returned 1 vectors for 2 inputs');
  });

  it('fails clearly when nothing listens', async () => {
    const embedder = new OpenAiEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', dimension: DIM, maxRetries: 0, timeoutMs: 2000 });
    await expect(embedder.embed(['hello'], 'query')).rejects.toThrow(
      /embeddings request to http:\/\/127\.0\.0\.1:1\/v1 for model m failed: Connection error/,
    );
  });

  it('refuses to embed after close', async () => {
    const embedder = make();
    await embedder.close();
    await expect(embedder.embed(['hello'], 'query')).rejects.toThrow(/closed/);
  });

  it('validates its options', () => {
    expect(() => make({ dimension: 0 })).toThrow(/dimension must be a positive integer/);
    expect(() => make({ model: '' })).toThrow(/model is required/);
  });
});
