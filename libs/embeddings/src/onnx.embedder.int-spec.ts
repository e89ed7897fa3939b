// Runs the real local models (fetched by scripts/fetch-models.sh, which this file runs first: it
// is a no-op when the models are already in place).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_MODEL_NAMES, LOCAL_MODELS, type LocalModelName } from './local-models';
import { modelsDir } from './models-dir';
import { OnnxEmbedder, loadLocalEmbedder } from './onnx.embedder';
import { dot } from './vectors';

const root = path.resolve(__dirname, '..', '..', '..');
const embedders = new Map<LocalModelName, OnnxEmbedder>();
const get = (name: LocalModelName) => embedders.get(name)!;

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((max, x, i) => Math.max(max, Math.abs(x - b[i])), 0);

beforeAll(async () => {
  execFileSync('bash', [path.join(root, 'scripts', 'fetch-models.sh')], { stdio: 'inherit', timeout: 600_000 });
  for (const name of LOCAL_MODEL_NAMES) embedders.set(name, await OnnxEmbedder.load(name));
}, 660_000);

afterAll(async () => {
  for (const embedder of embedders.values()) await embedder.close();
});

describe.each(LOCAL_MODEL_NAMES)('%s', (name) => {
  it('returns one unit-length vector of the model dimension per text, in order', async () => {
    const embedder = get(name);
    expect(embedder.model).toBe(name);
    expect(embedder.dimension).toBe(LOCAL_MODELS[name].dimension);
    const texts = ['How do I return an item?', '怎么退货', '', 'x'.repeat(3)];
    const vectors = await embedder.embed(texts, 'passage');
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(LOCAL_MODELS[name].dimension);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([], 'query')).toEqual([]);
  });

  it('gives a text the same vector alone, in a batch, and across batch turns', async () => {
    const embedder = get(name);
    const texts = [
      'Refunds go back to the original payment method within five to ten business days.',
      '短',
      'You can cancel a pending order from the order page, unless it has already shipped to the carrier.',
      '退款将在三到七个工作日内原路返回',
      'Gift cards cannot be exchanged for cash.',
      ...Array.from({ length: 35 }, (_, i) => `FAQ entry ${i}: ${'policy '.repeat(i % 7)}details`),
    ];
    const together = await embedder.embed(texts, 'passage'); // 40 texts: two turns of 32
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text], 'passage');
      expect(maxAbsDiff(alone, together[i])).toBeLessThan(1e-4);
    }
  });

  it('serves concurrent callers with the same vectors', async () => {
    const embedder = get(name);
    const texts = ['Where is my parcel?', 'I want to change my delivery address', '我的订单到哪了'];
    const sequential: Float32Array[] = [];
    for (const text of texts) sequential.push((await embedder.embed([text], 'query'))[0]);
    const concurrent = await Promise.all(texts.map((text) => embedder.embed([text], 'query').then(([v]) => v)));
    concurrent.forEach((v, i) => expect(maxAbsDiff(v, sequential[i])).toBeLessThan(1e-6));
  });

  it('truncates long texts to the model length instead of failing', async () => {
    const embedder = get(name);
    const long = 'Our return policy covers every product we sell in every country. '.repeat(120); // ~1,400 tokens
    const [a, b] = await embedder.embed([long, `${long} And this tail is cut off.`], 'passage');
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
  });

  it('adds the query prefix to queries only, where the model has one', async () => {
    const embedder = get(name);
    const [asQuery] = await embedder.embed(['How do I return an item?'], 'query');
    const [asPassage] = await embedder.embed(['How do I return an item?'], 'passage');
    if (LOCAL_MODELS[name].queryPrefix) expect(maxAbsDiff(asQuery, asPassage)).toBeGreaterThan(1e-3);
    else expect(maxAbsDiff(asQuery, asPassage)).toBe(0);
  });
});

describe.each(['all-minilm-l6-v2', 'bge-small-en-v1.5'] as const)('%s on English', (name) => {
  it('puts paraphrases closer than unrelated sentences', async () => {
    const embedder = get(name);
    const [ask, paraphrase, unrelated] = await embedder.embed(
      ['How do I return an item?', 'I want to send a product back', "What's the weather today?"],
      'passage',
    );
    expect(dot(ask, paraphrase)).toBeGreaterThan(dot(ask, unrelated) + 0.1);
    expect(dot(ask, paraphrase)).toBeGreaterThan(dot(paraphrase, unrelated) + 0.1);
    // Query (prefixed for BGE) against passages: the same order.
    const [query] = await embedder.embed(['How do I return an item?'], 'query');
    expect(dot(query, paraphrase)).toBeGreaterThan(dot(query, unrelated) + 0.1);
  });
});

describe('bge-small-zh-v1.5 on Chinese', () => {
  it('puts paraphrases closer than unrelated sentences', async () => {
    const embedder = get('bge-small-zh-v1.5');
    const [ask, paraphrase, unrelated] = await embedder.embed(['怎么退货', '我想把商品退回去', '今天天气怎么样'], 'passage');
    expect(dot(ask, paraphrase)).toBeGreaterThan(dot(ask, unrelated) + 0.1);
    expect(dot(ask, paraphrase)).toBeGreaterThan(dot(paraphrase, unrelated) + 0.1);
    const [query] = await embedder.embed(['怎么退货'], 'query');
    expect(dot(query, paraphrase)).toBeGreaterThan(dot(query, unrelated) + 0.1);
  });

  it('lower-cases Latin letters like the original tokenizer (its vocabulary has no capitals)', async () => {
    // Without fetch-models.sh's lowercase fix, "iPhone" and "SKU" would each become [UNK].
    const embedder = get('bge-small-zh-v1.5');
    const [mixed, lower] = await embedder.embed(['iPhone 15 的 SKU 怎么退货', 'iphone 15 的 sku 怎么退货'], 'passage');
    expect(maxAbsDiff(mixed, lower)).toBeLessThan(1e-6);
  });
});

describe('several model processes', () => {
  it('share the work and return the same vectors, in order', async () => {
    const pool = await OnnxEmbedder.load('all-minilm-l6-v2', modelsDir(), { processes: 2, batchSize: 4 });
    try {
      const texts = Array.from({ length: 30 }, (_, i) => `Question ${i}: can I ${i % 2 ? 'return' : 'exchange'} item ${i}?`);
      const [fromPool, fromOne, concurrent] = await Promise.all([
        pool.embed(texts, 'passage'),
        get('all-minilm-l6-v2').embed(texts, 'passage'),
        Promise.all(texts.slice(0, 6).map((text) => pool.embed([text], 'passage').then(([v]) => v))),
      ]);
      expect(fromPool).toHaveLength(30);
      fromPool.forEach((v, i) => expect(maxAbsDiff(v, fromOne[i])).toBeLessThan(1e-6));
      concurrent.forEach((v, i) => expect(maxAbsDiff(v, fromOne[i])).toBeLessThan(1e-6));
    } finally {
      await pool.close();
    }
  });
});

describe('loading', () => {
  it('says which folder is missing and how to fetch it', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sb-no-models-'));
    try {
      await expect(OnnxEmbedder.load('bge-small-zh-v1.5', empty)).rejects.toThrow(
        `local embedding model "bge-small-zh-v1.5" is not installed: ${path.join(empty, 'bge-small-zh-v1.5')} does not exist; run scripts/fetch-models.sh to fetch it`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports a model that does not load, naming its folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-bad-model-'));
    try {
      // dereference: a models dir may link to shared model folders, which must never be written through.
      cpSync(path.join(modelsDir(), 'all-minilm-l6-v2'), path.join(dir, 'all-minilm-l6-v2'), { recursive: true, dereference: true });
      writeFileSync(path.join(dir, 'all-minilm-l6-v2', 'onnx', 'model_quantized.onnx'), 'not an onnx model');
      await expect(OnnxEmbedder.load('all-minilm-l6-v2', dir)).rejects.toThrow(
        `local embedding model "all-minilm-l6-v2" failed to load from ${path.join(dir, 'all-minilm-l6-v2')}: `,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects names that are not local models', async () => {
    await expect(loadLocalEmbedder('text-embedding-3-small', modelsDir())).rejects.toThrow(
      /unknown local embedding model "text-embedding-3-small"/,
    );
  });

  it('refuses to embed after close', async () => {
    const embedder = await OnnxEmbedder.load('all-minilm-l6-v2', modelsDir(), { threads: 1 });
    await embedder.close();
    await expect(embedder.embed(['hello'], 'query')).rejects.toThrow(/closed/);
    await embedder.close(); // idempotent
  });
});
