// Embeddings from any OpenAI-compatible /embeddings endpoint (OpenAI, Azure-style proxies, vLLM,
// Ollama, llama.cpp server, LocalAI, ...) through the openai SDK.
import OpenAI from 'openai';
import type { Embedder, EmbeddingKind } from './embedder';
import { batches, l2Normalize } from './vectors';

export interface OpenAiEmbedderOptions {
  /** e.g. "https://api.openai.com/v1" or "http://127.0.0.1:11434/v1" (the SDK appends /embeddings). */
  baseURL: string;
  /** Sent as "Authorization: Bearer …"; local servers usually accept anything. */
  apiKey?: string;
  /** The endpoint's model name, e.g. "text-embedding-3-small". */
  model: string;
  /** Length of the vectors the endpoint returns; a response of another length is an error. */
  dimension: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Ask the endpoint for `dimension`-long vectors (only models that can shorten, e.g. text-embedding-3-*). */
  requestDimensions?: boolean;
  /** Per request, default 30 s. */
  timeoutMs?: number;
  /** The SDK's retries of 408/409/429/5xx and connection errors, with backoff; default 2. */
  maxRetries?: number;
  /** Prepended to texts embedded as kind 'query' (some models want an instruction); default none. */
  queryPrefix?: string;
}

export class OpenAiEmbedder implements Embedder {
  /** "openai:<model>": the name a knowledge base records for this embedder. */
  readonly model: string;
  readonly dimension: number;
  private readonly client: OpenAI;
  private readonly options: Required<Omit<OpenAiEmbedderOptions, 'apiKey'>>;
  private closed = false;

  constructor(options: OpenAiEmbedderOptions) {
    if (!Number.isInteger(options.dimension) || options.dimension < 1)
      throw new Error(`OpenAiEmbedder: dimension must be a positive integer, got ${options.dimension}`);
    if (!options.model) throw new Error('OpenAiEmbedder: model is required');
    this.options = {
      baseURL: options.baseURL,
      model: options.model,
      dimension: options.dimension,
      batchSize: options.batchSize ?? 64,
      requestDimensions: options.requestDimensions ?? false,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      queryPrefix: options.queryPrefix ?? '',
    };
    this.model = `openai:${options.model}`;
    this.dimension = options.dimension;
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey || 'none',
      timeout: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
    });
  }

  async embed(texts: string[], kind: EmbeddingKind): Promise<Float32Array[]> {
    if (this.closed) throw new Error(`embedder ${this.model} is closed`);
    const { queryPrefix, model, dimension, baseURL } = this.options;
    const inputs = texts.map((text) => (kind === 'query' && queryPrefix ? queryPrefix + text : text));
    const out: Float32Array[] = [];
    for (const batch of batches(inputs, this.options.batchSize)) {
      let response: OpenAI.CreateEmbeddingResponse;
      try {
        response = await this.client.embeddings.create({
          model,
          input: batch,
          // Floats, not the SDK's default base64: every compatible server speaks floats.
          encoding_format: 'float',
          ...(this.options.requestDimensions ? { dimensions: dimension } : {}),
        });
      } catch (error) {
        const status = error instanceof OpenAI.APIError && error.status ? ` (HTTP ${error.status})` : '';
        throw new Error(`embeddings request to ${baseURL} for model ${model} failed${status}: ${(error as Error).message}`);
      }
      const data = Array.isArray(response?.data) ? response.data : [];
      if (data.length !== batch.length) {
        throw new Error(`embeddings endpoint ${baseURL} returned ${data.length} vectors for ${batch.length} inputs (model ${model})`);
      }
      const rows = new Array<Float32Array>(batch.length);
      data.forEach((item, position) => {
        const index = typeof item.index === 'number' ? item.index : position;
        const raw = decode(item.embedding);
        if (index < 0 || index >= batch.length || rows[index])
          throw new Error(`embeddings endpoint ${baseURL} returned a bad or repeated index ${index}`);
        if (raw.length !== dimension) {
          throw new Error(
            `embeddings endpoint ${baseURL} returned ${raw.length}-d vectors for model ${model}, expected ${dimension} (check EMBEDDING_DIMENSION)`,
          );
        }
        try {
          rows[index] = l2Normalize(raw);
        } catch (error) {
          throw new Error(`embeddings endpoint ${baseURL} returned an unusable vector for input ${index}: ${(error as Error).message}`);
        }
      });
      out.push(...rows);
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A vector as the wire carries it: a float array, or base64 of little-endian float32s. */
function decode(embedding: unknown): ArrayLike<number> {
  if (Array.isArray(embedding) && embedding.every((v) => typeof v === 'number')) return embedding;
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length % 4 !== 0) throw new Error('embeddings endpoint returned base64 that is not float32 data');
    const copy = new Uint8Array(bytes); // aligned for the Float32Array view
    return new Float32Array(copy.buffer, 0, bytes.length / 4);
  }
  throw new Error('embeddings endpoint returned an embedding that is neither a number array nor base64');
}
