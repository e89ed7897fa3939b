// Small vector helpers shared by the embedders (and handy in tests).

/**
 * A unit-length copy of `vector` (L2 norm 1). Throws on an empty, all-zero or non-finite vector:
 * such a vector has no direction, and storing it would silently break cosine search.
 */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const norm = Math.sqrt(sum);
  if (vector.length === 0) throw new Error('cannot normalise an empty vector');
  if (!Number.isFinite(norm)) throw new Error('cannot normalise a vector with non-finite values');
  if (norm === 0) throw new Error('cannot normalise an all-zero vector');
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] / norm;
  return out;
}

/** Dot product; for unit vectors this is the cosine similarity. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vector lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Cosine similarity of any two non-zero vectors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

/** `items` in consecutive slices of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
