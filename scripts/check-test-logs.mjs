#!/usr/bin/env node
// After the e2e tests: no service log of their stacks (.local/test-logs/<namespace>/<service>.log)
// holds customer data or a secret the tests used (test/support/log-leaks.json). Names every file and
// line that does, and what it holds (not the value itself, so this output does not leak it again),
// and exits 1. Run by scripts/test.sh after Jest; also by hand after one e2e file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const logRoot = path.resolve(process.argv[2] ?? path.join(root, '.local', 'test-logs'));
const leaks = JSON.parse(readFileSync(path.join(root, 'test', 'support', 'log-leaks.json'), 'utf8'));
const checks = [
  ...Object.entries(leaks.literals).map(([name, value]) => ({ name, found: (line) => line.includes(value) })),
  ...Object.entries(leaks.patterns).map(([name, source]) => {
    const pattern = new RegExp(source);
    return { name, found: (line) => pattern.test(line) };
  }),
];

const files = existsSync(logRoot)
  ? readdirSync(logRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(path.join(logRoot, d.name))
          .filter((f) => f.endsWith('.log'))
          .map((f) => path.join(logRoot, d.name, f)),
      )
  : [];
const findings = [];
let lines = 0;
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line === '') return;
      lines += 1;
      for (const check of checks) if (check.found(line)) findings.push(`${path.relative(root, file)}:${index + 1}: ${check.name}`);
    });
}
if (findings.length > 0) {
  console.error(`log check: ${findings.length} leak(s) in the e2e services' logs:\n${findings.join('\n')}`);
  process.exit(1);
}
console.log(`log check: ${files.length} service logs, ${lines} lines, no customer data or secrets`);
