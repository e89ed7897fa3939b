/** Nearest-rank percentile of an ascending list: the one rule every figure the CLI prints uses. */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
