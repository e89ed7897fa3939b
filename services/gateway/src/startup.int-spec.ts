// Production is the default: a gateway started with neither NODE_ENV nor JWT_SECRET must refuse to
// start (naming the variable) instead of signing tokens with the public development secret.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const entry = path.resolve(__dirname, '..', 'dist', 'main.js');

function start(env: Record<string, string>) {
  // Only what a process needs to run at all; nothing of the test runner's environment (Jest sets NODE_ENV=test).
  const run = spawnSync(process.execPath, [entry], {
    // Production also wants every address named; they are, so the secrets are what it refuses.
    env: {
      PATH: process.env.PATH ?? '',
      LOG_FORMAT: 'json',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      KAFKA_BROKERS: '127.0.0.1:9092',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/switchboard',
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

it('refuses to start without NODE_ENV and JWT_SECRET, naming the variables', () => {
  const run = start({});
  expect(run.status).toBe(1);
  expect(run.output).toContain('JWT_SECRET: required in production');
  expect(run.output).toContain('ENCRYPTION_KEYS: required in production');
});

it('refuses the public development secret unless development is asked for by name', () => {
  const run = start({
    JWT_SECRET: 'switchboard-development-only-jwt-secret-do-not-use',
    ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  });
  expect(run.status).toBe(1);
  expect(run.output).toContain('JWT_SECRET: the development secret must not be used in production');
});
