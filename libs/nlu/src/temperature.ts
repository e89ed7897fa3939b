// Temperature scaling (Guo et al. 2017): one scalar T divides the logits so that held-out
// predictions are as likely as possible. It never changes which label wins, only how sure the
// model says it is, so that "confidence 0.8" is right about 80% of the time.

// Math's functions bound once: under Jest every global lookup (even `Math`) in a hot loop goes
// through the test context's property interceptor, which made training ~7x slower there.
const { exp, log } = Math;

/** Mean negative log-likelihood of the true labels under softmax(logits / T). */
export function negativeLogLikelihood(logits: readonly Float64Array[], labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  logits.forEach((row, i) => {
    let max = row[0] / temperature;
    for (let c = 1; c < row.length; c++) if (row[c] / temperature > max) max = row[c] / temperature;
    let sum = 0;
    for (let c = 0; c < row.length; c++) sum += exp(row[c] / temperature - max);
    total += max + log(sum) - row[labels[i]] / temperature;
  });
  return total / Math.max(1, logits.length);
}

/** The T in [0.05, 20] minimising held-out NLL: golden-section search on log T (NLL is unimodal in it). */
export function fitTemperature(logits: readonly Float64Array[], labels: ArrayLike<number>): number {
  if (logits.length === 0) return 1;
  const loss = (logT: number) => negativeLogLikelihood(logits, labels, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.05);
  let high = Math.log(20);
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = loss(a);
  let lossB = loss(b);
  for (let i = 0; i < 60 && high - low > 1e-4; i++) {
    if (lossA < lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = loss(a);
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = loss(b);
    }
  }
  return Math.exp((low + high) / 2);
}
