// Multinomial logistic regression over one dense block (standardised sentence embeddings) and one
// sparse block (TF-IDF grams), trained with mini-batch Adam and L2. Convex, so a few epochs from
// zero weights land near the same optimum every time; the seed only orders the mini-batches.
import type { SparseVector } from './text-features';
import { seededRandom, shuffleInPlace } from './seeded-random';

export interface FeatureRow {
  readonly dense: Float32Array;
  readonly sparse: SparseVector;
}

export interface SoftmaxTrainingOptions {
  epochs?: number;
  /** At least this many optimiser steps in all: small training sets get more epochs. */
  minSteps?: number;
  batchSize?: number;
  learningRate?: number;
  /** L2 penalty on the weights (not the biases), per example. */
  l2?: number;
  seed?: number;
  onEpoch?: (done: number, total: number) => void;
}

const DEFAULTS = { epochs: 30, minSteps: 1500, batchSize: 32, learningRate: 0.002, l2: 1e-4, seed: 7 };
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;
const NEGLIGIBLE = 1e-4;
// Math's functions bound once: under Jest every global lookup (even `Math`) in a hot loop goes
// through the test context's property interceptor, which made training ~7x slower there.
const { abs, exp, sqrt } = Math;

export class SoftmaxRegression {
  private constructor(
    readonly classes: number,
    readonly denseDim: number,
    readonly sparseDim: number,
    /** [class][denseDim] so one class's score is one contiguous dot product. */
    private readonly denseWeights: Float32Array,
    /** [feature][class] so one present feature adds one contiguous row. */
    private readonly sparseWeights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  static fit(
    rows: readonly FeatureRow[],
    labels: ArrayLike<number>,
    classes: number,
    sparseDim: number,
    options: SoftmaxTrainingOptions = {},
  ): SoftmaxRegression {
    if (rows.length === 0) throw new Error('cannot train on zero examples');
    const o = { ...DEFAULTS, ...options };
    const C = classes;
    const D = rows[0].dense.length;
    const model = new SoftmaxRegression(C, D, sparseDim, new Float32Array(C * D), new Float32Array(sparseDim * C), new Float32Array(C));
    const W = model.denseWeights;
    const S = model.sparseWeights;
    const b = model.bias;
    const adamW = { m: new Float32Array(W.length), v: new Float32Array(W.length) };
    const adamS = { m: new Float32Array(S.length), v: new Float32Array(S.length) };
    const adamB = { m: new Float32Array(C), v: new Float32Array(C) };
    const gradW = new Float32Array(W.length);
    const gradS = new Float32Array(S.length);
    const gradB = new Float32Array(C);
    // Sparse rows touched in the current batch: only those get a gradient and an update ("lazy"
    // Adam), which keeps a step proportional to the batch, not to the vocabulary.
    const touchedAt = new Int32Array(sparseDim).fill(-1);
    const touched: number[] = [];

    const n = rows.length;
    const batchSize = Math.min(o.batchSize, n);
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const epochs = Math.max(o.epochs, Math.ceil(o.minSteps / stepsPerEpoch));
    const totalSteps = epochs * stepsPerEpoch;
    const order = Array.from({ length: n }, (_, i) => i);
    const random = seededRandom(o.seed);
    const scores = new Float64Array(C);
    let step = 0;

    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, random);
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        gradW.fill(0);
        gradB.fill(0);
        touched.length = 0;
        const inverse = 1 / (end - start);
        for (let k = start; k < end; k++) {
          const row = rows[order[k]];
          model.scoresInto(row, scores);
          softmaxInPlace(scores);
          scores[labels[order[k]]] -= 1;
          const x = row.dense;
          const { indices, values } = row.sparse;
          for (let c = 0; c < C; c++) {
            // Classes the example gives (almost) no probability add (almost) nothing: skipping them
            // cut training CPU by about a third on BANKING77, with the same accuracy.
            if (abs(scores[c]) < NEGLIGIBLE) continue;
            const g = scores[c] * inverse;
            gradB[c] += g;
            const base = c * D;
            for (let d = 0; d < D; d++) gradW[base + d] += g * x[d];
          }
          for (let j = 0; j < indices.length; j++) {
            const f = indices[j];
            const base = f * C;
            if (touchedAt[f] !== step) {
              touchedAt[f] = step;
              touched.push(f);
              gradS.fill(0, base, base + C);
            }
            const value = values[j] * inverse;
            for (let c = 0; c < C; c++) if (abs(scores[c]) >= NEGLIGIBLE) gradS[base + c] += scores[c] * value;
          }
        }
        step += 1;
        // Linear decay to zero: large early steps, a settled model at the end.
        const rate = o.learningRate * (1 - (step - 1) / totalSteps);
        const correction1 = 1 - BETA1 ** step;
        const correction2 = 1 - BETA2 ** step;
        const stepSize = rate / correction1;
        const inverseCorrection2 = 1 / correction2;
        adamUpdate(W, gradW, adamW, 0, W.length, o.l2, stepSize, inverseCorrection2);
        adamUpdate(b, gradB, adamB, 0, C, 0, stepSize, inverseCorrection2);
        for (let t = 0; t < touched.length; t++)
          adamUpdate(S, gradS, adamS, touched[t] * C, touched[t] * C + C, o.l2, stepSize, inverseCorrection2);
      }
      o.onEpoch?.(epoch + 1, epochs);
    }
    return model;
  }

  /** Raw class scores (logits) for one row. */
  scores(row: FeatureRow): Float64Array {
    const out = new Float64Array(this.classes);
    this.scoresInto(row, out);
    return out;
  }

  private scoresInto(row: FeatureRow, out: Float64Array): void {
    const C = this.classes;
    const D = this.denseDim;
    const x = row.dense;
    const W = this.denseWeights;
    for (let c = 0; c < C; c++) {
      let sum = this.bias[c];
      const base = c * D;
      for (let d = 0; d < D; d++) sum += W[base + d] * x[d];
      out[c] = sum;
    }
    const { indices, values } = row.sparse;
    for (let j = 0; j < indices.length; j++) {
      const base = indices[j] * C;
      const value = values[j];
      for (let c = 0; c < C; c++) out[c] += this.sparseWeights[base + c] * value;
    }
  }
}

/** One Adam step on weights[from, to); `stepSize` and `inverseCorrection2` carry the bias corrections. */
function adamUpdate(
  weights: Float32Array,
  grad: Float32Array,
  state: { m: Float32Array; v: Float32Array },
  from: number,
  to: number,
  l2: number,
  stepSize: number,
  inverseCorrection2: number,
): void {
  const { m, v } = state;
  for (let k = from; k < to; k++) {
    const g = grad[k] + l2 * weights[k];
    const mk = BETA1 * m[k] + (1 - BETA1) * g;
    const vk = BETA2 * v[k] + (1 - BETA2) * g * g;
    m[k] = mk;
    v[k] = vk;
    weights[k] -= (stepSize * mk) / (sqrt(vk * inverseCorrection2) + EPSILON);
  }
}

/** Softmax in place, shifted by the maximum for numerical safety. */
export function softmaxInPlace(scores: Float64Array, temperature = 1): Float64Array {
  let max = scores[0];
  for (let c = 1; c < scores.length; c++) if (scores[c] > max) max = scores[c];
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = exp((scores[c] - max) / temperature);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
  return scores;
}
