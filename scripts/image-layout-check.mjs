#!/usr/bin/env node
// Checks deploy/Dockerfile where there is no Docker engine: lays out a directory the way the
// runtime stage does (its COPY steps: production-only node_modules from the manifests, the built
// dist/ folders, proto, bin, the models and the shared data, at the image's paths), then starts
// services from it, as the image's CMD does, with the image's ENV, against the local Kafka,
// Postgres and Redis, and waits for each to be ready. Run `node scripts/build.mjs` first.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ALL = ['gateway', 'conversation', 'retrieval', 'generation', 'moderation', 'integration', 'ticketing', 'analytics', 'console'];

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`usage: node scripts/image-layout-check.mjs [--services a,b] [--keep] [--port-base N]

Lays out the runtime image's files in a temp directory (following deploy/Dockerfile's COPY steps)
and starts each service from it with the image's ENV against Kafka, Postgres and Redis on
127.0.0.1, in a fresh database and Kafka namespace; prints each service's time to ready.
  --services   which services (default: all ${ALL.length})
  --keep       keep the temp directory
  --port-base  first HTTP port (default 34100; the gateway's gRPC port is port-base + 50)
Needs: node scripts/build.mjs done, npm (it runs npm ci --omit=dev), ../shared/data,
SWITCHBOARD_MODELS_DIR (or .local/models) with the embedding models.`);
  process.exit(0);
}
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const services = option('--services', ALL.join(',')).split(',');
const portBase = Number(option('--port-base', '34100'));
const unknown = services.filter((s) => !ALL.includes(s));
if (unknown.length > 0) throw new Error(`--services: unknown ${unknown.join(', ')}; expected some of ${ALL.join(', ')}`);

const dockerfile = readFileSync(path.join(ROOT, 'deploy/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
const box = mkdtempSync(path.join(tmpdir(), 'switchboard-image-'));
/** An absolute path inside the image, inside the temp directory. */
const inImage = (p) => path.join(box, p);
const app = inImage('/app');
const step = (what) => console.log(`- ${what}`);

// manifests stage: the root package.json, lock file, .npmrc and every workspace's package.json.
step("manifests: package.json, package-lock.json, .npmrc and the workspaces' package.json");
mkdirSync(app, { recursive: true });
for (const file of ['package.json', 'package-lock.json', '.npmrc'])
  if (existsSync(path.join(ROOT, file))) cpSync(path.join(ROOT, file), path.join(app, file));
const manifests = execFileSync(
  'find',
  ['.', '-mindepth', '2', '-maxdepth', '3', '-name', 'package.json', '-not', '-path', './node_modules/*'],
  { cwd: ROOT, encoding: 'utf8' },
)
  .split('\n')
  .filter(Boolean);
for (const m of manifests) cpSync(path.join(ROOT, m), path.join(app, m));

// prod-deps stage.
step('prod-deps: npm ci --omit=dev (this takes a few minutes)');
execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: app,
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' },
});
rmSync(path.join(app, 'node_modules/pino/test'), { recursive: true, force: true });

// The build stage's /out, as its `cp -r --parents <globs> /out/` lists it.
const outCopy = /cp -r --parents (.+?) \/out\//.exec(dockerfile);
if (!outCopy) throw new Error('deploy/Dockerfile: the build stage no longer copies its output with cp -r --parents … /out/');
// The shell expands the globs, as it does in the Dockerfile's RUN.
const built = execFileSync('bash', ['-c', `ls -d ${outCopy[1]}`], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
step(`build output: ${outCopy[1]}`);
for (const dir of built) {
  if (!existsSync(path.join(ROOT, dir))) throw new Error(`${dir} is missing: run node scripts/build.mjs first`);
  cpSync(path.join(ROOT, dir), path.join(app, dir), { recursive: true });
}

// models stage (linked, not copied: the same files fetch-models.sh puts in the image) and the
// shared-data context, at the paths the runtime stage COPYs them to.
const models = process.env.SWITCHBOARD_MODELS_DIR ?? path.join(ROOT, '.local/models');
const sharedData = path.resolve(ROOT, '..', 'shared', 'data');
for (const m of runtime.matchAll(/^COPY --from=(\S+) (\S+) (\/\S+)$/gm)) {
  const [, from, source, target] = m;
  if (from === 'models') {
    mkdirSync(path.dirname(inImage(target.replace(/\/$/, ''))), { recursive: true });
    symlinkSync(models, inImage(target.replace(/\/$/, '')));
    step(`models: ${target} -> ${models}`);
  } else if (from === 'shared-data') {
    cpSync(path.join(sharedData, source), inImage(target), { recursive: true });
    step(`shared-data: ${source} -> ${target}`);
  }
}
for (const m of runtime.matchAll(/mkdir -p (\S+)/g)) mkdirSync(inImage(m[1]), { recursive: true });

// The runtime stage's ENV, its absolute paths moved into the temp directory.
const imageEnv = {};
for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
  for (const m of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g))
    if (!m[2].includes('$')) imageEnv[m[1]] = m[2].startsWith('/') ? inImage(m[2]) : m[2];
}

const run = randomBytes(3).toString('hex');
const database = `switchboard_image_${run}`;
execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `create database ${database}`], { stdio: 'ignore' });
const deployment = {
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_NAMESPACE: `image-${run}.`,
  BIND_HOST: '127.0.0.1',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(48).toString('base64'),
  GRPC_PORT: String(portBase + 50),
  GATEWAY_URL: `http://127.0.0.1:${portBase}`,
};

const children = [];
let failed = 0;
try {
  for (const [i, service] of services.entries()) {
    const port = portBase + i;
    const env = { PATH: process.env.PATH, ...imageEnv, ...deployment, SERVICE: service, HTTP_PORT: String(port) };
    if (service === 'gateway') env.HTTP_PORT = String(portBase);
    const started = Date.now();
    // The image's CMD: exec node services/$SERVICE/dist/main.js, from /app.
    const child = spawn(process.execPath, [`services/${service}/dist/main.js`], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => {
      log = (log + d).slice(-4000);
    });
    child.stderr.on('data', (d) => {
      log = (log + d).slice(-4000);
    });
    children.push(child);
    const ready = await waitReady(Number(env.HTTP_PORT), child, 120_000);
    if (ready)
      console.log(
        `  ✓ ${service.padEnd(12)} ready in ${Date.now() - started} ms from ${path.join(app, 'services', service, 'dist/main.js')}`,
      );
    else {
      failed += 1;
      console.log(`  ✗ ${service.padEnd(12)} not ready (exit code ${child.exitCode}); last output:\n${log}`);
    }
    if (service === 'moderation' || service === 'integration')
      console.log(`    ${firstLine(log, /lists|seeded|reference|words|terms/i) ?? '(no data line in its log)'}`);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `drop database if exists ${database} with (force)`], {
    stdio: 'ignore',
  });
  if (args.includes('--keep')) console.log(`kept ${box}`);
  else rmSync(box, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);

async function waitReady(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function firstLine(log, pattern) {
  return log
    .split('\n')
    .find((l) => pattern.test(l))
    ?.slice(0, 300);
}
