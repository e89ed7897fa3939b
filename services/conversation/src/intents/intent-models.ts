// One trained intent classifier per tenant: the tenant's own examples when it has uploaded some,
// the built-in retail set otherwise. A replica looks at the tenant's revision at most every
// INTENT_RELOAD_MS and retrains in the background when it changed, answering with the previous
// model until the new one is ready, so an upload never stalls a conversation. A training's
// calibration (the fitted temperature and the cross-validated accuracy its held-out fits measured)
// is kept in Redis by its calibration key: a restarted or second replica training the same examples
// skips the calibration fits (most of the training time) and gets the same model and accuracy, and
// any replica can say the accuracy of a set of examples once one has trained on them; the built-in
// sets' vectors are kept too, so a restart does not embed them again either.
//
// The built-in sets' caches are content-addressed (a key names the encoder and the hash of the text,
// or of the examples with the code's version) and hold only public data, so they sit outside
// REDIS_NAMESPACE: every deployment or test stack sharing a Redis reuses them. Inside it, each new
// namespace trained the built-in model from nothing: ~6 s of CPU and ~8 s later ready. A tenant's
// calibration (its own intent names) stays in the namespace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { loadLocalEmbedder, type Embedder } from '@switchboard/embeddings';
import type { Logger } from '@switchboard/logging';
import {
  calibrationKey,
  IntentClassifier,
  parseIntentCsv,
  type Calibration,
  type EmbeddingStore,
  type IntentAccuracy,
  type IntentExample,
  type IntentPrediction,
} from '@switchboard/nlu';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { IntentExamplesRepository } from './intent-examples.repository';
import { RedisEmbeddingStore } from './redis-embedding.store';

export type Language = 'en' | 'zh';

/** Where the built-in example sets live (services/conversation/intents), from src or dist. */
const BUILT_IN_DIR = path.resolve(__dirname, '..', '..', 'intents');
/** How long a calibration is kept (the key changes with the examples, encoder or code). */
const CALIBRATION_TTL_S = 30 * 24 * 3600;

export function builtInExamples(language: Language): { csv: string; examples: IntentExample[] } {
  const csv = readFileSync(path.join(BUILT_IN_DIR, `retail-${language}.csv`), 'utf8');
  return { csv, examples: parseIntentCsv(csv) };
}

/** A stored calibration, or undefined for anything else (a bare temperature an older version kept). */
function parseCalibration(stored: string | null): Calibration | undefined {
  try {
    const value = JSON.parse(stored ?? 'null') as Partial<Calibration> | null;
    return typeof value?.temperature === 'number' && typeof value.accuracy?.overall === 'number' ? (value as Calibration) : undefined;
  } catch {
    return undefined;
  }
}

export function languageOfExamples(examples: IntentExample[]): Language {
  const cjk = examples.filter((e) => /[\u4e00-\u9fff]/.test(e.text)).length;
  return cjk * 2 > examples.length ? 'zh' : 'en';
}

interface TenantModel {
  revision: number;
  checkedAt: number;
  current?: IntentClassifier;
  training?: Promise<void>;
}

@Injectable()
export class IntentModels implements OnModuleInit, OnModuleDestroy {
  private readonly embedders = new Map<Language, Promise<Embedder>>();
  private readonly builtIn = new Map<Language, Promise<IntentClassifier>>();
  private readonly tenants = new Map<string, TenantModel>();
  private readonly builtInVectors: EmbeddingStore;
  /** The content-addressed caches' client: the service's own, or one without its namespace. */
  private readonly cache: Redis;
  /** Its connection (a command before it would fail fast, without an offline queue, and read as a miss). */
  private readonly cacheConnected: Promise<unknown>;

  constructor(
    private readonly repository: IntentExamplesRepository,
    private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.cache = redis.options.keyPrefix ? redis.duplicate({ keyPrefix: '' }) : redis;
    // The service's own client reports Redis errors; here an error only means computing again.
    this.cacheConnected =
      this.cache === redis
        ? Promise.resolve()
        : this.cache
            .on('error', () => undefined)
            .connect()
            .catch(() => undefined);
    this.builtInVectors = new RedisEmbeddingStore(this.cache);
  }

  /** Starts training the built-in English model while the rest of start-up (group joins) goes on. */
  onModuleInit(): void {
    this.builtInModel('en').catch(() => undefined); // warmUp() reports a failure
  }

  /** The built-in English model, trained: the turn consumer waits for it before the service is ready. */
  async warmUp(): Promise<void> {
    await this.builtInModel('en');
  }

  async classify(tenantId: string, text: string, language: Language): Promise<IntentPrediction> {
    const own = await this.tenantModel(tenantId);
    const model = own ?? (await this.builtInModel(language));
    return model.classify(text);
  }

  /**
   * Tells this replica the tenant's examples changed (the replica that stored them), and starts
   * training on them now rather than at the tenant's next message, so their accuracy is soon known.
   */
  invalidate(tenantId: string): void {
    const entry = this.tenants.get(tenantId);
    if (entry) entry.checkedAt = 0;
    this.tenantModel(tenantId).catch((error: unknown) => this.log.error({ err: error, tenantId }, 'intent model could not be trained'));
  }

  /**
   * The cross-validated accuracy of a model trained on `examples`, as whichever replica trained it
   * kept it; undefined until one has (the model is training) or without Redis.
   */
  async accuracyOf(examples: IntentExample[]): Promise<IntentAccuracy | undefined> {
    const encoder = languageOfExamples(examples) === 'zh' ? this.config.NLU_MODEL_ZH : this.config.NLU_MODEL_EN;
    const key = `nlu:calibration:${calibrationKey(examples, [encoder])}`;
    // A tenant's in the namespace; the built-in sets' outside it.
    await this.cacheConnected;
    const stored = (await this.redis.get(key).catch(() => null)) ?? (await this.cache.get(key).catch(() => null));
    return parseCalibration(stored)?.accuracy;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.cache !== this.redis) this.cache.disconnect();
    for (const embedder of this.embedders.values()) await (await embedder.catch(() => undefined))?.close();
  }

  private async tenantModel(tenantId: string): Promise<IntentClassifier | undefined> {
    let entry = this.tenants.get(tenantId);
    if (!entry) {
      entry = { revision: -1, checkedAt: 0 };
      this.tenants.set(tenantId, entry);
    }
    if (Date.now() - entry.checkedAt >= this.config.INTENT_RELOAD_MS && !entry.training) {
      entry.checkedAt = Date.now();
      const revision = await this.repository.revision(tenantId);
      if (revision !== entry.revision) {
        const target = entry;
        target.training = this.retrain(tenantId, target).finally(() => (target.training = undefined));
        // The first model of a tenant is waited for; later ones replace it when ready.
        if (!target.current) await target.training;
      }
    }
    return entry.current;
  }

  private async retrain(tenantId: string, entry: TenantModel): Promise<void> {
    const stored = await this.repository.load(tenantId);
    if (!stored || stored.examples.length === 0) {
      entry.revision = stored?.revision ?? 0;
      entry.current = undefined;
      return;
    }
    const started = Date.now();
    try {
      const language = languageOfExamples(stored.examples);
      entry.current = await this.train(stored.examples, await this.embedder(language), this.redis);
      entry.revision = stored.revision;
      this.log.info(
        { tenantId, revision: stored.revision, examples: stored.examples.length, ms: Date.now() - started },
        'intent model retrained',
      );
    } catch (error) {
      // Keep the previous model; the next check tries again.
      entry.checkedAt = 0;
      this.log.error({ err: error, tenantId }, 'intent model could not be trained; keeping the previous one');
    }
  }

  private builtInModel(language: Language): Promise<IntentClassifier> {
    let model = this.builtIn.get(language);
    if (!model) {
      model = this.embedder(language).then((embedder) => this.trainBuiltIn(language, embedder));
      model.catch(() => this.builtIn.delete(language));
      this.builtIn.set(language, model);
    }
    return model;
  }

  private async trainBuiltIn(language: Language, embedder: Embedder): Promise<IntentClassifier> {
    await this.cacheConnected;
    return this.train(builtInExamples(language).examples, embedder, this.cache, this.builtInVectors);
  }

  /**
   * Trains with the calibration an earlier training of the same key kept in `store`, if Redis has
   * it, and with the vectors of `embeddingStore` (the built-in sets').
   */
  private async train(
    examples: IntentExample[],
    embedder: Embedder,
    store: Redis,
    embeddingStore?: EmbeddingStore,
  ): Promise<IntentClassifier> {
    const key = `nlu:calibration:${calibrationKey(examples, [embedder.model])}`;
    // Without Redis the model is trained in full: slower, never wrong.
    const calibration = parseCalibration(await store.get(key).catch(() => null));
    const model = await IntentClassifier.train(examples, embedder, { calibration, embeddingStore });
    if (!calibration) await store.set(key, JSON.stringify(model.calibration), 'EX', CALIBRATION_TTL_S).catch(() => undefined);
    return model;
  }

  private embedder(language: Language): Promise<Embedder> {
    let embedder = this.embedders.get(language);
    if (!embedder) {
      embedder = loadLocalEmbedder(language === 'zh' ? this.config.NLU_MODEL_ZH : this.config.NLU_MODEL_EN);
      this.embedders.set(language, embedder);
    }
    return embedder;
  }
}
