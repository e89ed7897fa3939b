import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateQuestions, readQuestions, sameQuery } from './analytics-eval';

const base = { metric: 'csat' as const, group_by: [], filters: {}, from: '2026-10-01', to: '2026-11-01', grain: null };

describe('analytics eval', () => {
  it('compares group_by and filter values as sets, everything else exactly', () => {
    expect(sameQuery({ ...base, group_by: ['channel', 'intent'] }, { ...base, group_by: ['intent', 'channel'] })).toBe(true);
    expect(sameQuery({ ...base, filters: { channel: ['web', 'app'] } }, { ...base, filters: { channel: ['app', 'web'] } })).toBe(true);
    expect(sameQuery({ ...base, filters: { channel: ['web'] } }, { ...base, filters: { channel: ['web', 'app'] } })).toBe(false);
    expect(sameQuery(base, { ...base, grain: 'day' })).toBe(false);
    expect(sameQuery(base, { ...base, to: '2026-10-31' })).toBe(false);
    expect(sameQuery(null, null)).toBe(true);
    expect(sameQuery(null, base)).toBe(false);
  });

  it('scores a file of questions and lists the misses', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'aeval-')), 'q.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ question: '上个月各渠道的满意度是多少？', expected: { ...base, group_by: ['channel'] } }),
        JSON.stringify({ question: 'CSAT last month', expected: { ...base, metric: 'fcr' } }),
        JSON.stringify({ question: 'the weather?', expected: null }),
        '',
      ].join('\n'),
    );
    const report = evaluateQuestions(readQuestions(file), new Date('2026-11-18T10:00:00Z'));
    expect(report).toMatchObject({ n: 3, accuracy: 2 / 3 });
    expect(report.misses.map((m) => m.line)).toEqual([2]);
  });

  it('names the line of a malformed question', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'aeval-')), 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify({ question: 'ok', expected: null })}\n{"question": ""}\n`);
    expect(() => readQuestions(file)).toThrow(/bad\.jsonl:2: question must be a non-empty string/);
  });
});
