// One loaded embedder per model, shared by every knowledge base that uses it.
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { loadLocalEmbedder, OpenAiEmbedder, type Embedder } from '@switchboard/embeddings';
import { CONFIG } from '@switchboard/platform';
import type { RetrievalConfig } from '../config';

@Injectable()
export class EmbedderRegistry implements OnApplicationShutdown {
  private readonly loaded = new Map<string, Promise<Embedder>>();

  constructor(@Inject(CONFIG) private readonly config: RetrievalConfig) {}

  get(model: string): Promise<Embedder> {
    let embedder = this.loaded.get(model);
    if (!embedder) {
      embedder = this.load(model);
      embedder.catch(() => this.loaded.delete(model));
      this.loaded.set(model, embedder);
    }
    return embedder;
  }

  private async load(model: string): Promise<Embedder> {
    if (model.startsWith('openai:')) {
      if (!this.config.EMBEDDING_BASE_URL) throw new Error(`model ${model} needs EMBEDDING_BASE_URL`);
      return new OpenAiEmbedder({
        baseURL: this.config.EMBEDDING_BASE_URL,
        apiKey: this.config.EMBEDDING_API_KEY,
        model: model.slice('openai:'.length),
        dimension: this.config.EMBEDDING_DIMENSION,
      });
    }
    return loadLocalEmbedder(model, undefined, { processes: this.config.EMBEDDING_PROCESSES });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const embedder of this.loaded.values()) await (await embedder.catch(() => undefined))?.close();
  }
}
