#!/usr/bin/env node
// Compiles every workspace package's src/ into its dist/ with swc. Packages resolve each other
// through npm workspaces (node_modules/@switchboard/* -> libs/*), whose `main` is dist/index.js.
import { transformFile } from '@swc/core';
import { createRequire } from 'node:module';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const swcOptions = createRequire(import.meta.url)('./swc-options.cjs');

async function* sourceFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.ts$/.test(entry.name) && !/\.(spec|int-spec)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

async function buildPackage(pkgDir) {
  const src = path.join(pkgDir, 'src');
  const out = path.join(pkgDir, 'dist');
  await rm(out, { recursive: true, force: true });
  let count = 0;
  for await (const file of sourceFiles(src)) {
    const target = path.join(out, path.relative(src, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: path.relative(path.dirname(target), file) });
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count += 1;
  }
  return count;
}

const started = Date.now();
let total = 0;
for (const group of ['libs', 'services']) {
  for (const name of await readdir(path.join(root, group))) {
    total += await buildPackage(path.join(root, group, name));
  }
}
total += await buildPackage(path.join(root, 'cli'));
console.log(`built ${total} files in ${Date.now() - started} ms`);
