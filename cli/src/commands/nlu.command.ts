// `switchboard nlu eval|split`: measure the intent classifier on your own labelled examples, in
// process (local embedding models, no running stack), and make reproducible train/test splits.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadLocalEmbedder, type Embedder } from '@switchboard/embeddings';
import {
  IntentClassifier,
  formatIntentCsv,
  parseIntentCsv,
  scoreIntents,
  stratifiedSplit,
  type IntentExample,
  type IntentScores,
} from '@switchboard/nlu';

/** English: two small encoders side by side measured best (see docs/nlu.md); Chinese: the Chinese BGE. */
const DEFAULT_MODELS = { en: ['bge-small-en-v1.5', 'all-minilm-l6-v2'], zh: ['bge-small-zh-v1.5'] };
const CLASSIFY_CHUNK = 256;

export interface NluEvalReport extends IntentScores {
  models: string[];
  train_examples: number;
  labels: number;
  train_seconds: number;
  classify_seconds: number;
}

/** Reads and parses an examples file; every error names the file. */
export function readExamples(file: string): IntentExample[] {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new Error(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const examples = parseIntentCsv(data);
    if (examples.length === 0) throw new Error('no examples after the header row');
    return examples;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function languageOf(examples: readonly IntentExample[]): 'en' | 'zh' {
  const cjk = examples.filter((e) => /[\u3400-\u9fff]/.test(e.text)).length;
  return cjk * 2 > examples.length ? 'zh' : 'en';
}

/** Progress on stderr: a bar on a terminal, one line per stage otherwise (logs, CI). */
class StageProgress {
  private readonly bar = new SingleBar(
    { format: '{stage} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  private stage = '';
  private readonly tty = Boolean(process.stderr.isTTY);

  update(stage: string, done: number, total: number): void {
    if (stage !== this.stage) {
      this.stop();
      this.stage = stage;
      if (this.tty) this.bar.start(total, done, { stage });
      else process.stderr.write(`${stage}…\n`);
    }
    if (this.tty) {
      this.bar.setTotal(total);
      this.bar.update(done, { stage });
    }
  }

  stop(): void {
    if (this.stage && this.tty) this.bar.stop();
    this.stage = '';
  }
}

export async function runNluEval(options: { train: string; test: string; model?: string; seed?: number }): Promise<NluEvalReport> {
  const train = readExamples(options.train);
  const test = readExamples(options.test);
  const models = options.model
    ? options.model
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean)
    : DEFAULT_MODELS[languageOf(train)];
  const known = new Set(train.map((e) => e.label));
  const unknown = [...new Set(test.map((e) => e.label).filter((label) => !known.has(label)))];
  if (unknown.length > 0)
    process.stderr.write(
      `note: ${unknown.length} test label(s) never appear in ${options.train} and can only be missed: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}\n`,
    );

  // The machine's cores shared out between the encoders: each runs in its own processes.
  const processes = Math.max(1, Math.floor(availableParallelism() / models.length));
  const progress = new StageProgress();
  process.stderr.write(`Loading ${models.join(' + ')}…\n`);
  const embedders: Embedder[] = [];
  try {
    for (const name of models) embedders.push(await loadLocalEmbedder(name, undefined, { processes }));
    const trainStarted = Date.now();
    const classifier = await IntentClassifier.train(train, embedders, {
      seed: options.seed,
      onProgress: (done, total, stage) => progress.update(stage === 'embedding' ? 'embedding training examples' : 'training', done, total),
    });
    const trainSeconds = (Date.now() - trainStarted) / 1000;
    const classifyStarted = Date.now();
    const predicted: string[] = [];
    for (let start = 0; start < test.length; start += CLASSIFY_CHUNK) {
      progress.update('classifying test examples', start, test.length);
      const predictions = await classifier.classifyMany(test.slice(start, start + CLASSIFY_CHUNK).map((e) => e.text));
      predicted.push(...predictions.map((p) => p.label));
    }
    progress.update('classifying test examples', test.length, test.length);
    progress.stop();
    const classifySeconds = (Date.now() - classifyStarted) / 1000;
    const scores = scoreIntents(
      test.map((e) => e.label),
      predicted,
    );
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      ...scores,
      models,
      train_examples: train.length,
      labels: classifier.labels.length,
      train_seconds: round(trainSeconds),
      classify_seconds: round(classifySeconds),
    };
  } finally {
    progress.stop();
    await Promise.all(embedders.map((e) => e.close()));
  }
}

export function formatNluReport(r: NluEvalReport): string {
  const lines = [
    `${r.train_examples} training examples (${r.labels} intents), ${r.n} test examples; encoders: ${r.models.join(' + ')}`,
    `accuracy  ${r.accuracy.toFixed(4)}`,
    `macro-F1  ${r.macro_f1.toFixed(4)}`,
    `n         ${r.n}`,
    `time      ${r.train_seconds.toFixed(1)} s to embed and train, ${r.classify_seconds.toFixed(1)} s to classify the test set`,
  ];
  if (r.confused.length > 0) {
    lines.push('', 'Most confused (true -> predicted: count):');
    for (const c of r.confused) lines.push(`  ${c.true} -> ${c.predicted}: ${c.count}`);
  }
  return lines.join('\n');
}

function fraction(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new InvalidArgumentError('must be a number between 0 and 1, e.g. 0.2');
  return parsed;
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('must be a whole number');
  return parsed;
}

export function nluCommand(): Command {
  const nlu = new Command('nlu').description('intent detection: measure the classifier on your own examples, split example files');

  nlu
    .command('eval')
    .description('train the intent classifier on one CSV and measure it on another, in-process (local models, no stack needed)')
    .requiredOption('--train <train.csv>', 'training examples: CSV with the columns text,label (or text,category)')
    .requiredOption('--test <test.csv>', 'held-out examples to score, same columns; make one with `switchboard nlu split`')
    .option(
      '--model <names>',
      `local embedding model(s), comma-separated (default: ${DEFAULT_MODELS.en.join(',')} for English, ${DEFAULT_MODELS.zh.join(',')} for Chinese examples)`,
    )
    .option('--seed <n>', 'training seed (same seed + same files = same result)', integer, 7)
    .option('--json', 'print one JSON object on stdout: accuracy, macro_f1, n, confused, models, timings')
    .addHelpText(
      'after',
      `
Prints accuracy, macro-F1 (the mean F1 over intents, so rare intents count as much as common ones),
the number of test examples and the 10 most frequent confusions. Progress goes to stderr.

Example:
  switchboard nlu split --in ../shared/data/banking77/train.csv --train-out .local/banking77/train.csv --test-out .local/banking77/test.csv
  switchboard nlu eval --train .local/banking77/train.csv --test .local/banking77/test.csv`,
    )
    .action(async (options: { train: string; test: string; model?: string; seed: number; json?: boolean }) => {
      const report = await runNluEval(options);
      console.log(options.json ? JSON.stringify(report) : formatNluReport(report));
    });

  nlu
    .command('split')
    .description(
      'split a labelled CSV into train and test files: stratified (every intent keeps its share on both sides) and reproducible (seeded)',
    )
    .requiredOption('--in <examples.csv>', 'examples: CSV with the columns text,label (or text,category)')
    .requiredOption('--train-out <train.csv>', 'where to write the training part (folders are created)')
    .requiredOption('--test-out <test.csv>', 'where to write the test part')
    .option('--test-fraction <f>', 'share of each intent that goes to the test file', fraction, 0.2)
    .option('--seed <n>', 'which rows are picked; the same seed always picks the same rows', integer, 7)
    .addHelpText('after', '\nBoth files are written as CSV with the columns text,label, quoted where needed.')
    .action((options: { in: string; trainOut: string; testOut: string; testFraction: number; seed: number }) => {
      const examples = readExamples(options.in);
      const { train, test } = stratifiedSplit(examples, (e) => e.label, { testFraction: options.testFraction, seed: options.seed });
      for (const [file, part] of [
        [options.trainOut, train],
        [options.testOut, test],
      ] as const) {
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        writeFileSync(file, formatIntentCsv(part));
      }
      const labels = new Set(examples.map((e) => e.label)).size;
      console.log(
        `${examples.length} examples, ${labels} intents: ${train.length} -> ${options.trainOut}, ${test.length} -> ${options.testOut} (test fraction ${options.testFraction}, seed ${options.seed})`,
      );
    });

  return nlu;
}
