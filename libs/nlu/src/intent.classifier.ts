// Intent detection trained from a tenant's examples. A text is first spelt the way the examples
// spell it (VocabularySpeller), then becomes the sentence embeddings of one or more local encoders
// (standardised, concatenated) plus sparse TF-IDF word and character n-grams; one multinomial
// logistic regression scores all of it. Confidence is a probability calibrated by temperature
// scaling on held-out examples, which also measure its accuracy; a hidden class of off-topic sentences (BACKGROUND_EXAMPLES) gives
// the probability of out-of-domain text somewhere to go other than the tenant's intents.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Embedder } from '@switchboard/embeddings';
import { BACKGROUND_EXAMPLES } from './background-examples';
import { heldOutAccuracy, type IntentAccuracy } from './held-out-accuracy';
import type { IntentExample } from './intent-csv';
import { seededRandom, shuffleInPlace } from './seeded-random';
import { SoftmaxRegression, softmaxInPlace } from './softmax-regression';
import { stratifiedSplit } from './stratified-split';
import { fitTemperature } from './temperature';
import { TextFeaturizer } from './text-features';
import { VocabularySpeller } from './vocabulary-speller';

export interface IntentPrediction {
  label: string;
  /** Calibrated probability that `label` is right, 0..1; low for text unlike every intent. */
  confidence: number;
  /** The next best labels, most likely first, up to 3. */
  alternatives: Array<{ label: string; confidence: number }>;
  /** The text as it was classified: each unknown word spelt as the nearest word of the examples ("chnage" is "change"). */
  spelled: string;
}

export type TrainingStage = 'embedding' | 'training';

export interface IntentTrainingOptions {
  /** Called as texts are embedded, then once per training epoch; `stage` says which. */
  onProgress?: (done: number, total: number, stage: TrainingStage) => void;
  /** Orders mini-batches and picks the calibration examples. Same seed + same data = same model. */
  seed?: number;
  /**
   * What an earlier training fitted and measured for the same `calibrationKey`: the calibration
   * fits (five of six on a small set) are skipped and the model is the same one.
   */
  calibration?: Calibration;
  /** Where the training finds its texts' vectors embedded before, and keeps the ones it embeds. */
  embeddingStore?: EmbeddingStore;
}

/** A training's calibration fits' results: the temperature and the accuracy they measured. */
export interface Calibration {
  temperature: number;
  accuracy: IntentAccuracy;
}

/** Vectors of training texts by encoder, kept across trainings (e.g. a built-in example set's). */
export interface EmbeddingStore {
  /** The stored vector of each text, or undefined. */
  get(encoder: string, texts: readonly string[]): Promise<Array<Float32Array | undefined>>;
  put(encoder: string, texts: readonly string[], vectors: readonly Float32Array[]): Promise<void>;
}

// Chosen on a development split carved from BANKING77's training data and on the retail set
// (see docs/nlu.md); results moved by less than the split's noise within wide ranges of each.
const TRAINING = { epochs: 6, minSteps: 400, batchSize: 32, learningRate: 0.002, l2: 1e-3 };
/** Up to this many examples, the temperature is fitted on 5-fold out-of-fold scores (cheap, and
 * uses every example); above it, on one stratified 15% hold-out (one extra fit instead of five). */
const CROSS_FIT_UP_TO = 2000;
const FOLDS = 5;
const HOLD_OUT_FRACTION = 0.15;
/** Texts per embedding call: small enough for steady progress, large enough to keep processes busy. */
const EMBED_CHUNK = 128;
const ALTERNATIVES = 3;
const DEFAULT_SEED = 7;

/** What one fit needs to score a text: its spelling dictionary, n-gram vocabulary and weights. */
interface FittedModel {
  speller: VocabularySpeller;
  featurizer: TextFeaturizer;
  standardizer: Standardizer;
  regression: SoftmaxRegression;
}

interface Example {
  text: string;
  /** Index into the classifier's classes: the labels, then the background class last. */
  target: number;
}

export class IntentClassifier {
  private constructor(
    /** The tenant's intents, sorted; the background class is not one of them. */
    readonly labels: readonly string[],
    private readonly embedders: readonly Embedder[],
    private readonly model: FittedModel,
    /** Divides the logits before the softmax; fitted on held-out examples. */
    readonly temperature: number,
    /** How often those held-out examples were classified right (by models that had not seen them). */
    readonly accuracy: IntentAccuracy,
  ) {}

  /** What to keep by `calibrationKey` so that the next training of the same examples skips the fits. */
  get calibration(): Calibration {
    return { temperature: this.temperature, accuracy: this.accuracy };
  }

  /**
   * Trains on `examples` (at least two labels). `embedder` is one encoder or several whose vectors
   * are concatenated (for English, bge-small-en-v1.5 and all-minilm-l6-v2 together measured best);
   * the classifier keeps them to embed what it classifies and never closes them.
   */
  static async train(
    examples: readonly IntentExample[],
    embedder: Embedder | readonly Embedder[],
    options: IntentTrainingOptions = {},
  ): Promise<IntentClassifier> {
    const embedders: readonly Embedder[] = isEmbedderList(embedder) ? [...embedder] : [embedder];
    if (embedders.length === 0) throw new Error('IntentClassifier.train needs at least one embedder');
    examples.forEach((e, i) => {
      if (!e.text?.trim()) throw new Error(`example ${i + 1}: text is empty`);
      if (!e.label?.trim()) throw new Error(`example ${i + 1}: label is empty`);
    });
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    if (labels.length < 2)
      throw new Error(`need examples of at least two intents to train, got ${labels.length === 0 ? 'none' : `only "${labels[0]}"`}`);
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const seed = options.seed ?? DEFAULT_SEED;
    const progress = options.onProgress ?? (() => undefined);

    const tenant: Example[] = examples.map((e) => ({ text: e.text, target: labelIndex.get(e.label) ?? -1 }));
    const background: Example[] = BACKGROUND_EXAMPLES.map((text) => ({ text, target: labels.length }));
    const classes = labels.length + 1;
    const embeddings = new EmbeddingCache(embedders, options.embeddingStore);
    await embeddings.add(
      [...tenant, ...background].map((e) => e.text),
      (done, total) => progress(done, total, 'embedding'),
    );

    // Calibration folds: each trains on the rest and scores its held-out part.
    const method = tenant.length <= CROSS_FIT_UP_TO ? 'cross-validation' : 'hold-out';
    const folds = options.calibration
      ? []
      : method === 'cross-validation'
        ? crossFolds(tenant, FOLDS, seed)
        : [holdOut(tenant, labels, seed)];
    const epochsOf = (n: number) =>
      Math.max(TRAINING.epochs, Math.ceil(TRAINING.minSteps / Math.ceil(n / Math.min(TRAINING.batchSize, n))));
    const totalEpochs =
      folds.reduce((sum, f) => sum + epochsOf(f.train.length + background.length), 0) + epochsOf(tenant.length + background.length);
    let epochsDone = 0;
    const onEpoch = () => progress(++epochsDone, totalEpochs, 'training');

    const heldOutLogits: Float64Array[] = [];
    const heldOutTargets: number[] = [];
    for (const fold of folds) {
      const probe = fit([...fold.train, ...background], classes, embeddings, seed, onEpoch);
      // Scored the way classify() scores: spelling corrected against this fold's examples.
      const corrected = fold.heldOut.map((e) => probe.speller.correct(e.text));
      await embeddings.add(corrected);
      corrected.forEach((text, k) => {
        heldOutLogits.push(scoreRow(probe, text, embeddings.get(text)));
        heldOutTargets.push(fold.heldOut[k].target);
      });
    }
    const calibration = options.calibration ?? {
      temperature: fitTemperature(heldOutLogits, heldOutTargets),
      accuracy: heldOutAccuracy(heldOutLogits, heldOutTargets, labels, method),
    };
    const model = fit([...tenant, ...background], classes, embeddings, seed, onEpoch);
    return new IntentClassifier(labels, embedders, model, calibration.temperature, calibration.accuracy);
  }

  async classify(text: string): Promise<IntentPrediction> {
    const [prediction] = await this.classifyMany([text]);
    return prediction;
  }

  async classifyMany(texts: string[]): Promise<IntentPrediction[]> {
    if (texts.length === 0) return [];
    const corrected = texts.map((text) => this.model.speller.correct(text));
    const embeddings = new EmbeddingCache(this.embedders);
    await embeddings.add(corrected);
    return corrected.map((text) => ({ ...this.predict(scoreRow(this.model, text, embeddings.get(text))), spelled: text }));
  }

  private predict(logits: Float64Array): Omit<IntentPrediction, 'spelled'> {
    const probabilities = softmaxInPlace(logits, this.temperature);
    // The background class takes its share of the probability but is never a candidate.
    const ranked = this.labels
      .map((label, c) => ({ label, confidence: round(probabilities[c]) }))
      .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
    return { label: ranked[0].label, confidence: ranked[0].confidence, alternatives: ranked.slice(1, 1 + ALTERNATIVES) };
  }
}

/**
 * Names what a training's calibration (temperature and accuracy) depends on: the examples, the
 * encoders, the seed and this library's code (its compiled files, so a change to training or
 * scoring never reuses a stale one). Equal keys, equal calibrations.
 */
export function calibrationKey(examples: readonly IntentExample[], encoders: readonly string[], seed = DEFAULT_SEED): string {
  return createHash('sha256')
    .update(JSON.stringify({ examples: examples.map((e) => [e.text, e.label]), encoders, seed, code: codeHash() }))
    .digest('hex');
}

let code: string | undefined;
function codeHash(): string {
  if (code === undefined) {
    const hash = createHash('sha256');
    for (const file of readdirSync(__dirname)
      .filter((f) => /\.(js|ts)$/.test(f))
      .sort())
      hash.update(readFileSync(`${__dirname}/${file}`));
    code = hash.digest('hex');
  }
  return code;
}

function isEmbedderList(embedder: Embedder | readonly Embedder[]): embedder is readonly Embedder[] {
  return Array.isArray(embedder);
}

/** One model on `examples`: its own dictionary, n-gram vocabulary and standardisation. */
function fit(examples: readonly Example[], classes: number, embeddings: EmbeddingCache, seed: number, onEpoch: () => void): FittedModel {
  const texts = examples.map((e) => e.text);
  const speller = VocabularySpeller.fromTexts(texts);
  const featurizer = TextFeaturizer.fit(texts);
  const standardizer = Standardizer.fit(texts.map((text) => embeddings.get(text)));
  const rows = texts.map((text) => ({ dense: standardizer.apply(embeddings.get(text)), sparse: featurizer.transform(text) }));
  const regression = SoftmaxRegression.fit(
    rows,
    Int32Array.from(examples, (e) => e.target),
    classes,
    featurizer.size,
    { ...TRAINING, seed, onEpoch },
  );
  return { speller, featurizer, standardizer, regression };
}

function scoreRow(model: FittedModel, text: string, embedding: Float32Array): Float64Array {
  return model.regression.scores({ dense: model.standardizer.apply(embedding), sparse: model.featurizer.transform(text) });
}

/** Stratified-ish k folds: examples shuffled (seeded), then dealt out label by label. */
function crossFolds(examples: readonly Example[], k: number, seed: number): Array<{ train: Example[]; heldOut: Example[] }> {
  const byTarget = new Map<number, Example[]>();
  for (const e of examples) {
    const group = byTarget.get(e.target);
    if (group) group.push(e);
    else byTarget.set(e.target, [e]);
  }
  const random = seededRandom(seed);
  const foldOf = new Map<Example, number>();
  let next = 0;
  for (const target of [...byTarget.keys()].sort((a, b) => a - b)) {
    for (const e of shuffleInPlace(byTarget.get(target) ?? [], random)) foldOf.set(e, next++ % k);
  }
  return Array.from({ length: k }, (_, f) => ({
    train: examples.filter((e) => foldOf.get(e) !== f),
    heldOut: examples.filter((e) => foldOf.get(e) === f),
  }));
}

function holdOut(examples: readonly Example[], labels: readonly string[], seed: number): { train: Example[]; heldOut: Example[] } {
  const { train, test } = stratifiedSplit(examples, (e) => labels[e.target], { testFraction: HOLD_OUT_FRACTION, seed });
  return { train, heldOut: test };
}

/**
 * Each distinct text's embeddings from every encoder, concatenated in encoder order. Encoders run
 * side by side (each in its own processes); each takes the texts in chunks so progress moves.
 */
class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    private readonly embedders: readonly Embedder[],
    private readonly store?: EmbeddingStore,
  ) {}

  async add(texts: readonly string[], onProgress?: (done: number, total: number) => void): Promise<void> {
    const missing = [...new Set(texts)].filter((text) => !this.vectors.has(text));
    if (missing.length === 0) return;
    const total = missing.length * this.embedders.length;
    let done = 0;
    const perEncoder = await Promise.all(
      this.embedders.map(async (embedder) => {
        const out = this.store ? await this.store.get(embedder.model, missing) : missing.map((): Float32Array | undefined => undefined);
        const toEmbed = missing.filter((_, i) => out[i] === undefined);
        if (toEmbed.length < missing.length) onProgress?.((done += missing.length - toEmbed.length), total);
        const embedded: Float32Array[] = [];
        for (let start = 0; start < toEmbed.length; start += EMBED_CHUNK) {
          const chunk = toEmbed.slice(start, start + EMBED_CHUNK);
          embedded.push(...(await embedder.embed(chunk, 'passage')));
          done += chunk.length;
          onProgress?.(done, total);
        }
        if (toEmbed.length > 0) await this.store?.put(embedder.model, toEmbed, embedded);
        let next = 0;
        return out.map((vector) => vector ?? embedded[next++]);
      }),
    );
    const width = perEncoder.reduce((sum, vectors) => sum + vectors[0].length, 0);
    missing.forEach((text, i) => {
      const joined = new Float32Array(width);
      let offset = 0;
      for (const vectors of perEncoder) {
        joined.set(vectors[i], offset);
        offset += vectors[i].length;
      }
      this.vectors.set(text, joined);
    });
  }

  get(text: string): Float32Array {
    const vector = this.vectors.get(text);
    if (!vector) throw new Error(`no embedding for ${JSON.stringify(text)}: add() it first`);
    return vector;
  }
}

/** Per-dimension z-scores: embedding dimensions differ in scale, and L2 treats them alike. */
class Standardizer {
  private constructor(
    private readonly mean: Float32Array,
    private readonly inverseStd: Float32Array,
  ) {}

  static fit(vectors: readonly Float32Array[]): Standardizer {
    const width = vectors[0]?.length ?? 0;
    const mean = new Float64Array(width);
    const variance = new Float64Array(width);
    for (const v of vectors) for (let d = 0; d < width; d++) mean[d] += v[d] / vectors.length;
    for (const v of vectors) for (let d = 0; d < width; d++) variance[d] += (v[d] - mean[d]) ** 2 / vectors.length;
    return new Standardizer(
      Float32Array.from(mean),
      Float32Array.from(variance, (s) => 1 / (Math.sqrt(s) + 1e-6)),
    );
  }

  apply(vector: Float32Array): Float32Array {
    const out = new Float32Array(vector.length);
    for (let d = 0; d < vector.length; d++) out[d] = (vector[d] - this.mean[d]) * this.inverseStd[d];
    return out;
  }
}

const round = (x: number) => Math.round(x * 10000) / 10000;
