#!/usr/bin/env node
// How long each regex in the document pipeline (libs/knowledge) takes on a whole upload of the
// largest accepted size. The ReDoS suite (test/redos.spec.ts) holds these regexes to 50 ms on
// 64 KiB lines and checks that the parsers grow linearly; this prints what linear costs at 20 MB,
// which is bounded by the parsing worker's limits rather than by 50 ms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const HELP = `usage: node scripts/bench-document-regexes.mjs [--mib N] [--top K]

Runs every regex literal of libs/knowledge/src on adversarial documents of N MiB (default 20, the
upload limit) and prints the CPU time of the slowest input for each, slowest first (top K, default
all). Takes a few minutes at 20 MiB.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} needs a positive number, got ${JSON.stringify(args[at + 1])}\n\n${HELP}`);
    process.exit(2);
  }
  return value;
};
const size = Math.round(option('--mib', 20) * 1024 * 1024);
const top = option('--top', Infinity);

const root = path.resolve(import.meta.dirname, '..');
const ts = createRequire(path.join(root, 'package.json'))('typescript');
const sourceDir = path.join(root, 'libs/knowledge/src');

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      if (name !== 'vectors') yield* sourceFiles(file);
    } else if (file.endsWith('.ts') && !file.includes('.spec.') && !file.includes('.int-spec.')) yield file;
  }
}

const regexes = [];
for (const file of sourceFiles(sourceDir)) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const slash = text.lastIndexOf('/');
      regexes.push({ where: `${path.relative(root, file)} ${text}`, regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

// Runs of one character and of short lines: what makes a scanning regex match (or fail) most often.
const fit = (text) => `${text.slice(0, size - 1)}\u0001`;
const inputs = {
  letters: fit('a'.repeat(size)),
  'heading + spaces': fit(`# a${' '.repeat(size)}`),
  CJK: fit('中'.repeat(size)),
  'heading lines': fit('# a b\n'.repeat(size / 6)),
  'list lines': fit('- a\n'.repeat(size / 4)),
  'table cells': fit('| a '.repeat(size / 4)),
  'open tags': fit('<a '.repeat(size / 3)),
};

function cpuMs(apply) {
  const before = process.cpuUsage();
  apply();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function scan(regex, text) {
  regex.lastIndex = 0;
  if (regex.global) for (const _ of text.matchAll(regex));
  else regex.exec(text);
}

console.error(`${regexes.length} regexes × ${Object.keys(inputs).length} inputs of ${(size / 1024 / 1024).toFixed(1)} MiB`);
const results = [];
for (const [i, { where, regex }] of regexes.entries()) {
  process.stderr.write(`\r${i + 1}/${regexes.length}`);
  let worst = { ms: 0, input: '', error: '' };
  for (const [input, text] of Object.entries(inputs)) {
    try {
      const ms = cpuMs(() => scan(regex, text));
      if (ms > worst.ms) worst = { ms, input, error: worst.error };
    } catch (error) {
      worst = { ...worst, error: `${input}: ${error.message}` };
    }
  }
  results.push({ where, ...worst });
}
process.stderr.write('\n');
results.sort((a, b) => b.ms - a.ms);
for (const r of results.slice(0, top))
  console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.input.padEnd(16)}  ${r.where}${r.error ? `  (throws on ${r.error})` : ''}`);
