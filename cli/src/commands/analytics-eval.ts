// Exact-match accuracy of the question → query step over a JSON-lines question set: the whole
// query must match, with group_by compared as a set and each filter's values as a set. An expected
// `null` means the parser must refuse the question.
import { readFileSync } from 'node:fs';
import { parseQuestion, type KpiQuery } from '@switchboard/analytics-service';

export interface EvalCase {
  question: string;
  expected: KpiQuery | null;
}

export interface EvalReport {
  accuracy: number;
  n: number;
  misses: Array<{ line: number; question: string; expected: KpiQuery | null; got: KpiQuery | null }>;
}

export function readQuestions(file: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const cases: EvalCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    const c = parsed as Partial<EvalCase>;
    if (typeof c.question !== 'string' || c.question.trim() === '')
      throw new Error(`${file}:${i + 1}: question must be a non-empty string`);
    if (c.expected === undefined || (c.expected !== null && typeof c.expected !== 'object'))
      throw new Error(`${file}:${i + 1}: expected must be a query object or null`);
    cases.push({ question: c.question, expected: c.expected });
  });
  if (cases.length === 0) throw new Error(`${file}: no questions`);
  return cases;
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;

export function sameQuery(expected: KpiQuery | null, got: KpiQuery | null): boolean {
  if (expected === null || got === null) return expected === got;
  const filterKeys = new Set([...Object.keys(expected.filters ?? {}), ...Object.keys(got.filters ?? {})]);
  return (
    expected.metric === got.metric &&
    expected.from === got.from &&
    expected.to === got.to &&
    (expected.grain ?? null) === (got.grain ?? null) &&
    sameSet(expected.group_by, got.group_by) &&
    [...filterKeys].every((k) => sameSet((expected.filters as Record<string, string[]>)[k], (got.filters as Record<string, string[]>)[k]))
  );
}

export function evaluateQuestions(cases: EvalCase[], now: Date): EvalReport {
  const misses: EvalReport['misses'] = [];
  cases.forEach((c, i) => {
    const outcome = parseQuestion(c.question, now);
    const got = outcome.ok ? outcome.query : null;
    if (!sameQuery(c.expected, got)) misses.push({ line: i + 1, question: c.question, expected: c.expected, got });
  });
  return { accuracy: (cases.length - misses.length) / cases.length, n: cases.length, misses };
}
