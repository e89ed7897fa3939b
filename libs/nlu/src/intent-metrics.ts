// Scores of predicted against true intent labels, as `switchboard nlu eval` reports them.

export interface IntentScores {
  n: number;
  accuracy: number;
  /** Unweighted mean of per-label F1 over every label seen in truth or predictions. */
  macro_f1: number;
  /** The most frequent mistakes, most frequent first (ties by name). */
  confused: Array<{ true: string; predicted: string; count: number }>;
}

export function scoreIntents(truth: readonly string[], predicted: readonly string[], topConfusions = 10): IntentScores {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predictions`);
  const n = truth.length;
  const truePositive = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const mistakes = new Map<string, { true: string; predicted: string; count: number }>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let correct = 0;
  truth.forEach((gold, i) => {
    const guess = predicted[i];
    bump(goldCount, gold);
    bump(predictedCount, guess);
    if (gold === guess) {
      correct += 1;
      bump(truePositive, gold);
      return;
    }
    const key = `${gold}\u0000${guess}`;
    const entry = mistakes.get(key) ?? { true: gold, predicted: guess, count: 0 };
    entry.count += 1;
    mistakes.set(key, entry);
  });
  const labels = new Set([...goldCount.keys(), ...predictedCount.keys()]);
  let f1Sum = 0;
  for (const label of labels) {
    const tp = truePositive.get(label) ?? 0;
    const precision = tp / Math.max(1, predictedCount.get(label) ?? 0);
    const recall = tp / Math.max(1, goldCount.get(label) ?? 0);
    f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const confused = [...mistakes.values()]
    .sort((a, b) => b.count - a.count || a.true.localeCompare(b.true) || a.predicted.localeCompare(b.predicted))
    .slice(0, topConfusions);
  return { n, accuracy: n ? round(correct / n) : 0, macro_f1: labels.size ? round(f1Sum / labels.size) : 0, confused };
}
