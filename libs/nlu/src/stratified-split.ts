// Deterministic stratified train/test split: every label keeps its share on both sides, and the
// same seed always picks the same rows, so measurements can be repeated and compared.
import { seededRandom, shuffleInPlace } from './seeded-random';

export interface SplitOptions {
  /** Share of each label's examples that goes to the test side, in (0, 1). Default 0.2. */
  testFraction?: number;
  seed?: number;
}

/**
 * Splits `items` by `labelOf`. Each label sends round(count x testFraction) of its items to test,
 * at least one when it has two or more (so every label is measured) and never all of them (so
 * every label can be learnt). Both sides keep the input order.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  labelOf: (item: T) => string,
  options: SplitOptions = {},
): { train: T[]; test: T[] } {
  const fraction = options.testFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`test fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  const random = seededRandom(options.seed ?? 7);
  const byLabel = new Map<string, number[]>();
  items.forEach((item, index) => {
    const label = labelOf(item);
    const group = byLabel.get(label);
    if (group) group.push(index);
    else byLabel.set(label, [index]);
  });
  const isTest = new Uint8Array(items.length);
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffleInPlace(byLabel.get(label) ?? [], random);
    const wanted = Math.round(group.length * fraction);
    const count = group.length < 2 ? 0 : Math.min(group.length - 1, Math.max(1, wanted));
    for (const index of group.slice(0, count)) isTest[index] = 1;
  }
  return { train: items.filter((_, i) => !isTest[i]), test: items.filter((_, i) => isTest[i] === 1) };
}
