#!/usr/bin/env node
// Entry point of `npx switchboard`: runs the compiled CLI, building the workspace first if needed.
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'cli', 'dist', 'main.js');
if (!existsSync(main)) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
require(main)
  .program()
  .parseAsync(process.argv)
  .catch((error) => {
    console.error(`switchboard: ${error.message}`);
    process.exitCode = 1;
  });
