// Local sentence embeddings: a quantised ONNX model run by transformers.js (ONNX Runtime for Node),
// offline, from the folders scripts/fetch-models.sh lays out.
//
// Each embedder runs its model in a child Node process, talking over IPC:
// - ONNX Runtime's Node binding runs inference synchronously on the calling thread (~10-40 ms per
//   text here); in a child, the service's event loop (Kafka heartbeats, health checks) never waits.
// - Jest runs tests in a vm context whose Float32Array is not the one the native binding returns
//   tensors in, so onnxruntime-common rejects every output in-process ("A float32 tensor's data
//   must be type of Float32Array"). A child is a plain Node realm: the same code works under Jest.
// - Not a worker thread: the binding is not context-aware. A second thread that loads it aborts
//   the whole process (V8 "Cannot create a handle without a HandleScope") or fails with "Module
//   did not self-register", and Jest runs many test files in one process.
// - transformers.js keeps the models folder in a global `env`; a process per model keeps it private.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Embedder, EmbeddingKind } from './embedder';
import { EnsembleEmbedder, ensembleMembers, isEnsembleModel } from './ensemble.embedder';
import { localModel, withQueryPrefix, type LocalModelSpec } from './local-models';
import { modelsDir } from './models-dir';
import { batches } from './vectors';

export interface OnnxEmbedderOptions {
  /**
   * ONNX Runtime intra-op threads per model process. Default 1. Measured on 2 cores with one text
   * per run: 2 threads gave 0-60% more throughput (varying run to run: the pool spins, and loses
   * when anything else wants a core) for up to 2x the CPU, and no better query latency. More
   * throughput comes cheaper from `processes`.
   */
  threads?: number;
  /**
   * Model processes (each one copy of the model, ~180-220 MB RSS) that share the work. Default 1,
   * leaving the second core of a small machine to everything else; 2 on 2 cores roughly doubles
   * bulk indexing throughput (MiniLM ~85 -> ~155 texts/s).
   */
  processes?: number;
  /**
   * Texts per ONNX run. Default 1, and keep it so: the models are dynamically quantised (one int8
   * scale per activation tensor, taken over the whole batch and its padding), so in a multi-text
   * run a text's vector depends on its neighbours (cosine to its single-text vector down to ~0.98).
   * With 1, a text always gets the same vector, which the embedding cache relies on.
   */
  runBatchSize?: number;
  /**
   * Texts per turn (default 8). Callers share the model processes and take turns in arrival order,
   * so a query waits for at most one turn per process of a bulk indexing call (~0.1-0.2 s).
   */
  batchSize?: number;
}

/** The files fetch-models.sh writes; a folder missing any of them is not a usable model. */
const REQUIRED_FILES = ['.complete', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

/** Throws the "run scripts/fetch-models.sh" error when the model's folder is absent or incomplete. */
export function assertLocalModelPresent(name: string, dir: string): void {
  const folder = path.join(dir, name);
  if (!existsSync(folder)) {
    throw new Error(`local embedding model "${name}" is not installed: ${folder} does not exist; run scripts/fetch-models.sh to fetch it`);
  }
  const missing = REQUIRED_FILES.filter((file) => !existsSync(path.join(folder, file)));
  if (missing.length > 0) {
    throw new Error(
      `local embedding model "${name}" is incomplete: ${folder} lacks ${missing.join(', ')}; run scripts/fetch-models.sh to fetch it`,
    );
  }
}

interface ChildConfig {
  transformers: string;
  root: string;
  name: string;
  pooling: LocalModelSpec['pooling'];
  maxLength: number;
  threads: number;
  runBatchSize: number;
}

type FromChild =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; width: number; count: number; data: ArrayBuffer }
  | { type: 'error'; id: number; message: string };

// Plain JavaScript, run with `node -e` (a child runs no TypeScript): take the config, load the
// pipeline, then embed what it is sent, `runBatchSize` texts per ONNX run, and send the vectors
// back in one buffer. It exits when the parent closes it or goes away.
const CHILD_SOURCE = `
'use strict';
const messageOf = (error) => String((error && error.message) || error);
let loaded;
process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  if (message.type === 'load') {
    const config = message.config;
    loaded = Promise.resolve().then(() => {
      const { env, pipeline } = require(config.transformers);
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = config.root;
      return pipeline('feature-extraction', config.name, {
        local_files_only: true,
        device: 'cpu',
        dtype: 'q8',
        session_options: { intraOpNumThreads: config.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
      });
    }).then((extractor) => {
      extractor.tokenizer.model_max_length = config.maxLength;
      return { extractor, config };
    });
    loaded.then(() => process.send({ type: 'ready' }), (error) => process.send({ type: 'failed', message: messageOf(error) }));
    return;
  }
  if (message.type === 'close') {
    await Promise.resolve(loaded).then((m) => m && m.extractor.dispose()).catch(() => undefined);
    process.exit(0);
  }
  try {
    const { extractor, config } = await loaded;
    const rows = [];
    for (let i = 0; i < message.texts.length; i += config.runBatchSize) {
      const tensor = await extractor(message.texts.slice(i, i + config.runBatchSize), { pooling: config.pooling, normalize: true });
      rows.push(tensor.data.slice());
      tensor.dispose();
    }
    const total = rows.reduce((n, row) => n + row.length, 0);
    const data = new Float32Array(total);
    let offset = 0;
    for (const row of rows) { data.set(row, offset); offset += row.length; }
    const count = message.texts.length;
    process.send({ type: 'result', id: message.id, width: count ? total / count : 0, count, data: data.buffer });
  } catch (error) {
    process.send({ type: 'error', id: message.id, message: messageOf(error) });
  }
});
`;

const LOAD_TIMEOUT_MS = 120_000;

/** One model in one child process; requests are answered in order. */
class ModelProcess {
  private readonly pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private onReady: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly label: string,
  ) {
    child.on('message', (message: FromChild) => this.receive(message));
    child.on('error', (error) => this.fail(new Error(`${label}: model process failed: ${error.message}`)));
    child.on('exit', (code, signal) => this.fail(new Error(`${label}: model process exited (${signal ?? `code ${code}`})`)));
  }

  static async start(config: ChildConfig, label: string): Promise<ModelProcess> {
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE], {
      // The child's stdout goes to our stderr: a service's stdout carries its JSON logs.
      stdio: ['ignore', 2, 'inherit', 'ipc'],
      serialization: 'advanced', // typed arrays and ArrayBuffers cross as binary, not JSON
    });
    const model = new ModelProcess(child, label);
    const ready = new Promise<void>((resolve, reject) => {
      model.onReady = { resolve, reject };
    });
    const timer = setTimeout(() => model.fail(new Error(`${label}: not loaded after ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
    child.send({ type: 'load', config });
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    model.setBusy(false); // idle, it must not keep the process alive; embed() marks it busy
    return model;
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.pending.size === 0) this.setBusy(true);
    const result = new Promise<Float32Array[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const lost = (error: Error) => this.fail(new Error(`${this.label}: model process unreachable: ${error.message}`));
    try {
      this.child.send({ type: 'embed', id, texts }, (error) => error && lost(error));
    } catch (error) {
      lost(error as Error);
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.failure) return;
    this.failure = new Error(`${this.label}: closed`);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.send({ type: 'close' }, (error) => error && this.child.kill('SIGKILL'));
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private setBusy(busy: boolean): void {
    if (busy) {
      this.child.ref();
      this.child.channel?.ref();
    } else {
      this.child.unref();
      this.child.channel?.unref();
    }
  }

  private receive(message: FromChild): void {
    if (message.type === 'ready') {
      this.onReady?.resolve();
      this.onReady = undefined;
      return;
    }
    if (message.type === 'failed') {
      this.fail(new Error(message.message));
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.setBusy(false);
    if (message.type === 'error') {
      waiter.reject(new Error(`${this.label}: ${message.message}`));
      return;
    }
    // Copies made with this realm's Float32Array (under Jest, IPC deserialises into another).
    const vectors: Float32Array[] = [];
    const all = new Float32Array(message.data);
    for (let i = 0; i < message.count; i++) vectors.push(all.slice(i * message.width, (i + 1) * message.width));
    waiter.resolve(vectors);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.onReady?.reject(error);
    this.onReady = undefined;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.setBusy(false);
  }
}

/** Lends model processes out one task at a time; waiters are served in arrival order. */
class ProcessPool {
  private readonly free: ModelProcess[];
  private readonly waiting: Array<(host: ModelProcess) => void> = [];
  private readonly drained: Array<() => void> = [];

  constructor(readonly hosts: readonly ModelProcess[]) {
    this.free = [...hosts];
  }

  async use<T>(task: (host: ModelProcess) => Promise<T>): Promise<T> {
    const host = this.free.pop() ?? (await new Promise<ModelProcess>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(host);
    } finally {
      const next = this.waiting.shift();
      if (next) next(host);
      else this.free.push(host);
      if (this.free.length === this.hosts.length) this.drained.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Resolves once no task is running or waiting. */
  idle(): Promise<void> {
    if (this.free.length === this.hosts.length) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}

export class OnnxEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;
  private readonly pool: ProcessPool;
  private closed = false;

  private constructor(
    readonly spec: LocalModelSpec,
    hosts: ModelProcess[],
    private readonly batchSize: number,
  ) {
    this.model = spec.name;
    this.dimension = spec.dimension;
    this.pool = new ProcessPool(hosts);
  }

  /**
   * Loads a local model (see LOCAL_MODELS) from `<dir>/<name>/`. Throws, naming the folder and
   * "run scripts/fetch-models.sh", when it is not there. Embeds one text in every model process
   * before returning, so a wrong model is caught here and the first real call is not slower.
   */
  static async load(name: string, dir: string = modelsDir(), options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const spec = localModel(name);
    const root = path.resolve(dir);
    assertLocalModelPresent(name, root);
    const threads = options.threads ?? 1;
    const processes = options.processes ?? 1;
    const runBatchSize = options.runBatchSize ?? 1;
    const batchSize = options.batchSize ?? 8;
    for (const [key, value] of Object.entries({ threads, processes, runBatchSize, batchSize })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`OnnxEmbedder: ${key} must be a positive integer, got ${value}`);
    }
    const folder = path.join(root, name);
    const config: ChildConfig = {
      transformers: require.resolve('@huggingface/transformers'),
      root: root + path.sep,
      name,
      pooling: spec.pooling,
      maxLength: spec.maxLength,
      threads,
      runBatchSize,
    };
    const label = `local embedding model "${name}"`;
    const started = await Promise.allSettled(Array.from({ length: processes }, () => ModelProcess.start(config, label)));
    const hosts = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(hosts.map((host) => host.close()));
      throw new Error(`${label} failed to load from ${folder}: ${(failed.reason as Error).message}`);
    }
    const embedder = new OnnxEmbedder(spec, hosts, batchSize);
    try {
      for (const probe of await Promise.all(hosts.map((host) => host.embed(['warm-up'])))) {
        if (probe[0].length !== spec.dimension) {
          throw new Error(
            `${label} in ${folder} returns ${probe[0].length}-d vectors, expected ${spec.dimension}: run scripts/fetch-models.sh --force ${name}`,
          );
        }
      }
    } catch (error) {
      await embedder.close();
      throw error;
    }
    return embedder;
  }

  async embed(texts: string[], kind: EmbeddingKind): Promise<Float32Array[]> {
    if (this.closed) throw new Error(`embedder ${this.model} is closed`);
    const turns = batches(
      texts.map((text) => withQueryPrefix(this.spec, text, kind)),
      this.batchSize,
    );
    const results = new Array<Float32Array[]>(turns.length);
    // One lane per model process: each takes the call's next turn when it gets a process, so a
    // long call never holds more than one waiting place per process in the pool's queue.
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < turns.length) {
        const i = next++;
        try {
          results[i] = await this.pool.use((host) => host.embed(turns[i]));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.pool.hosts.length, turns.length) }, lane));
    return results.flat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.idle();
    await Promise.all(this.pool.hosts.map((host) => host.close()));
  }
}

/**
 * Loads a local model from modelsDir() (or `dir`): what services call with a knowledge base's
 * model. A name of several models joined by "+" loads each and returns their ensemble.
 */
export async function loadLocalEmbedder(name: string, dir: string = modelsDir(), options?: OnnxEmbedderOptions): Promise<Embedder> {
  if (!isEnsembleModel(name)) return OnnxEmbedder.load(name, dir, options);
  const loaded = await Promise.allSettled(ensembleMembers(name).map((member) => OnnxEmbedder.load(member, dir, options)));
  const members = loaded.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(members.map((m) => m.close()));
    throw failed.reason;
  }
  return new EnsembleEmbedder(members);
}
