#!/usr/bin/env node
// Compiles workspace packages' src/ into their dist/ with swc: the packages named as arguments (as
// directories; each Nx project's `build` target passes its own), or every package. Packages resolve
// each other through npm workspaces (node_modules/@switchboard/* -> libs/*), whose `main` is dist/index.js.
import { transformFile } from '@swc/core';
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
    const { code, map } = await transformFile(file, {
      ...swcOptions,
      filename: file,
      sourceFileName: path.relative(path.dirname(target), file),
    });
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count += 1;
  }
  return count;
}

async function everyPackage() {
  const dirs = [];
  for (const group of ['libs', 'services']) {
    for (const name of await readdir(path.join(root, group))) dirs.push(path.join(root, group, name));
  }
  return [...dirs, path.join(root, 'cli')];
}

const packages = process.argv.length > 2 ? process.argv.slice(2).map((dir) => path.resolve(dir)) : await everyPackage();
const started = Date.now();
let total = 0;
for (const pkgDir of packages) total += await buildPackage(pkgDir);
console.log(`built ${total} files in ${Date.now() - started} ms`);

// The console's single-page app (vite, ~20 s on two cores): rebuilt only when a source, its config
// or the lock file is newer than the last build, so an unchanged app costs CI nothing.
async function newestMtime(target) {
  const info = await stat(target).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(target)) newest = Math.max(newest, await newestMtime(path.join(target, entry)));
  return newest;
}

const web = path.join(root, 'services', 'console', 'web');
if (!packages.includes(path.dirname(web))) process.exit(0);
// The newest source time the last build started from (not the output's time: a file saved while
// vite was running must make the next build run again).
const stamp = path.join(web, 'dist', '.sources-mtime');
const sources = Math.max(
  ...(await Promise.all(['src', 'index.html', 'vite.config.ts'].map((p) => newestMtime(path.join(web, p))))),
  await newestMtime(path.join(root, 'package-lock.json')),
);
const built = Number(await readFile(stamp, 'utf8').catch(() => '0'));
if (sources > built || !(await newestMtime(path.join(web, 'dist', 'index.html')))) {
  const webStarted = Date.now();
  const { build } = await import('vite');
  await build({ root: web, configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
  await writeFile(stamp, String(sources));
  console.log(`built the console app in ${Date.now() - webStarted} ms`);
}
