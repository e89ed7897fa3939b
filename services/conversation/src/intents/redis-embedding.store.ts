// The built-in example sets' vectors, kept in Redis per encoder and text (`nlu:embedding:<encoder>:
// <sha-256 of the text>`, 30 days), so a restarted replica trains its built-in model without
// embedding them again. Only for the built-in sets and the background examples, never a tenant's:
// those keys carry no tenant. A Redis that does not answer means embedding again, never a failure.
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { EmbeddingStore } from '@switchboard/nlu';

const TTL_S = 30 * 24 * 3600;

export class RedisEmbeddingStore implements EmbeddingStore {
  constructor(private readonly redis: Redis) {}

  async get(encoder: string, texts: readonly string[]): Promise<Array<Float32Array | undefined>> {
    if (texts.length === 0) return [];
    const stored = await this.redis.mgetBuffer(...texts.map((t) => keyOf(encoder, t))).catch(() => texts.map(() => null));
    return stored.map((value) =>
      value && value.length > 0 && value.length % 4 === 0
        ? new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.length))
        : undefined,
    );
  }

  async put(encoder: string, texts: readonly string[], vectors: readonly Float32Array[]): Promise<void> {
    const batch = this.redis.pipeline();
    texts.forEach((text, i) =>
      batch.set(keyOf(encoder, text), Buffer.from(vectors[i].buffer, vectors[i].byteOffset, vectors[i].byteLength), 'EX', TTL_S),
    );
    await batch.exec().catch(() => undefined);
  }
}

function keyOf(encoder: string, text: string): string {
  return `nlu:embedding:${encoder}:${createHash('sha256').update(text).digest('hex')}`;
}
