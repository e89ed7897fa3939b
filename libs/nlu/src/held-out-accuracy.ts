// How often a model's predictions were right on examples it had not been trained on: the held-out
// scores a training computes anyway to calibrate its confidence, counted instead of thrown away.

export interface IntentAccuracy {
  /** Share of held-out examples whose best intent was their own, 0..1. */
  overall: number;
  /** Per intent, the share of its held-out examples classified as it (intents with none held out are absent). */
  perIntent: Record<string, number>;
  /** How many held-out predictions the figures count. */
  heldOut: number;
  /** "cross-validation": every example held out once (5 folds); "hold-out": one stratified 15% (large sets). */
  method: 'cross-validation' | 'hold-out';
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * `logits[i]` scores held-out example i over the classes (the labels, then any hidden class after
 * them); `targets[i]` is its label's index. The best label is chosen among the labels only, as the
 * classifier chooses.
 */
export function heldOutAccuracy(
  logits: readonly Float64Array[],
  targets: readonly number[],
  labels: readonly string[],
  method: IntentAccuracy['method'],
): IntentAccuracy {
  const seen = new Array<number>(labels.length).fill(0);
  const right = new Array<number>(labels.length).fill(0);
  logits.forEach((row, i) => {
    let best = 0;
    for (let c = 1; c < labels.length; c++) if (row[c] > row[best]) best = c;
    seen[targets[i]] += 1;
    if (best === targets[i]) right[targets[i]] += 1;
  });
  const perIntent: Record<string, number> = {};
  labels.forEach((label, c) => {
    if (seen[c] > 0) perIntent[label] = round(right[c] / seen[c]);
  });
  const total = seen.reduce((a, b) => a + b, 0);
  return { overall: total ? round(right.reduce((a, b) => a + b, 0) / total) : 0, perIntent, heldOut: total, method };
}
