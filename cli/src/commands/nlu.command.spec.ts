import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseIntentCsv } from '@switchboard/nlu';
import { formatNluReport, nluCommand, readExamples, runNluEval } from './nlu.command';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const retailCsv = path.join(repoRoot, 'services', 'conversation', 'intents', 'retail-en.csv');

describe('switchboard nlu', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nlu-cli-'));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const split = (seed: number) =>
    nluCommand().parseAsync(
      [
        'split',
        '--in',
        retailCsv,
        '--train-out',
        path.join(dir, `s${seed}`, 'train.csv'),
        '--test-out',
        path.join(dir, `s${seed}`, 'test.csv'),
        '--seed',
        String(seed),
      ],
      { from: 'user' },
    );

  it('split writes a stratified, reproducible pair of CSV files holding every example once', async () => {
    await split(7);
    await split(7);
    const train = readExamples(path.join(dir, 's7', 'train.csv'));
    const test = readExamples(path.join(dir, 's7', 'test.csv'));
    const all = parseIntentCsv(readFileSync(retailCsv));
    expect([...train, ...test].map((e) => `${e.label}|${e.text}`).sort()).toEqual(all.map((e) => `${e.label}|${e.text}`).sort());
    // Each intent sends a fifth of its examples, rounded, to the test side (24-28 examples: 5 or 6).
    const testPerLabel = new Map<string, number>();
    for (const e of test) testPerLabel.set(e.label, (testPerLabel.get(e.label) ?? 0) + 1);
    for (const [label, n] of testPerLabel)
      expect([label, n]).toEqual([label, Math.round(all.filter((e) => e.label === label).length * 0.2)]);
    expect(testPerLabel.size).toBe(new Set(all.map((e) => e.label)).size);
    await split(8);
    expect(readFileSync(path.join(dir, 's8', 'test.csv'), 'utf8')).not.toBe(readFileSync(path.join(dir, 's7', 'test.csv'), 'utf8'));
  });

  it('names the file, row and column of bad input', () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'text,category\nhello,greeting\nwhere is it,\n');
    expect(() => readExamples(bad)).toThrow(`${bad}: row 3, column "category": empty`);
    expect(() => readExamples(path.join(dir, 'missing.csv'))).toThrow(`${path.join(dir, 'missing.csv')}: cannot read it (ENOENT)`);
  });

  it('eval exits with code 1 and a message naming the file when the input is bad', () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'sentence,label\nhello,greeting\n');
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'switchboard.js'), 'nlu', 'eval', '--train', bad, '--test', bad], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${bad}: row 1: missing header column "text"`);
    expect(run.stdout).toBe('');
  });

  it('eval trains in-process and scores the test file', async () => {
    await split(7);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true); // progress lines
    const report = await runNluEval({
      train: path.join(dir, 's7', 'train.csv'),
      test: path.join(dir, 's7', 'test.csv'),
      model: 'all-minilm-l6-v2',
    });
    expect(report.n).toBe(61);
    expect(report.labels).toBe(12);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(report.macro_f1).toBeGreaterThan(0.6);
    expect(formatNluReport(report)).toMatch(
      /^238 training examples \(12 intents\), 61 test examples; encoders: all-minilm-l6-v2\naccuracy {2}\d\.\d{4}\nmacro-F1 {2}\d\.\d{4}\nn {9}61\n/,
    );
  }, 120_000);
});
