// `switchboard config check` runs each service's own loader over an environment: what it reports,
// what it never prints, and that the "Required in production" column of the generated tables holds.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeShape } from '@switchboard/config';
import { program } from '../main';
import { checkConfig, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseEnvFile, redact } from './config-check';
import { SERVICE_CONFIGS, SERVICE_NAMES } from './service-configs';

/** What a production deployment sets: every variable the tables say production requires. */
const production = (): Record<string, string> => ({
  NODE_ENV: 'production',
  KAFKA_BROKERS: 'kafka:9092',
  REDIS_URL: 'redis://redis:6379/0',
  DATABASE_URL: 'postgres://db:5432/switchboard',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(48).toString('base64'),
  GATEWAY_URL: 'http://gateway:3000',
  MODERATION_LISTS_DIR: '/opt/switchboard/data/moderation',
  REFERENCE_DATA_DIR: '/opt/switchboard/data/tau-retail',
  VECTOR_DIR: '/var/lib/switchboard/vectors',
});

describe.each(SERVICE_NAMES)('%s', (service) => {
  it('passes a complete production environment', () => {
    expect(checkConfig(service, production())).toMatchObject({ code: EXIT_OK, lines: [expect.stringMatching(/configuration ok/)] });
  });

  it('refuses that environment without each variable its table marks as required in production', () => {
    const required = describeShape(SERVICE_CONFIGS[service].shape).filter((v) => v.production !== 'no');
    for (const { name, production: rule } of required) {
      const env = production();
      // ENCRYPTION_KEY_FILE is the alternative to ENCRYPTION_KEYS ("yes (or ...)"), which is set here.
      if (!(name in env)) {
        expect({ name, rule }).toEqual({ name, rule: expect.stringMatching(/^yes \(or /) });
        continue;
      }
      delete env[name];
      const result = checkConfig(service, env);
      expect({ name, code: result.code }).toEqual({ name, code: EXIT_PROBLEMS });
      expect(result.lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^  ${name}: `))]));
    }
  });
});

it('names a malformed value and says what the variable is for', () => {
  const result = checkConfig('conversation', { ...production(), TURN_DEADLINE_MS: 'ninety seconds' });
  expect(result.code).toBe(EXIT_PROBLEMS);
  expect(result.lines[0]).toBe('conversation: 1 problem (NODE_ENV=production)');
  expect(result.lines[1]).toMatch(/^ {2}TURN_DEADLINE_MS: Expected number/);
  expect(result.lines[2]).toMatch(/How long one turn may wait/);
});

it("names a production requirement that is missing, as the service's start would", () => {
  const env = production();
  delete env.DATABASE_URL;
  delete env.NODE_ENV; // unset means production
  const result = checkConfig('generation', env);
  expect(result.code).toBe(EXIT_PROBLEMS);
  expect(result.lines).toContain("  DATABASE_URL: must be set in production (its default only fits a developer's machine)");
  expect(result.lines[0]).toMatch(/NODE_ENV=production \(unset\)/);
});

it('lists every unset production requirement at once, the secrets the loader checks last included', () => {
  const result = checkConfig('gateway', {});
  expect(result.code).toBe(EXIT_PROBLEMS);
  const named = result.lines.filter((l) => /^ {2}[A-Z]/.test(l)).map((l) => l.trim().split(':')[0]);
  expect(named.sort()).toEqual(['BLIND_INDEX_KEY', 'DATABASE_URL', 'ENCRYPTION_KEYS', 'JWT_SECRET', 'KAFKA_BROKERS', 'REDIS_URL']);
  expect(result.lines).toContain('  ENCRYPTION_KEYS: must be set in production (or ENCRYPTION_KEY_FILE)');
  // The alternative counts; outside production nothing is required.
  const withFile = checkConfig('gateway', { ENCRYPTION_KEY_FILE: '/run/secrets/keys.json' }).lines.join('\n');
  expect(withFile).not.toMatch(/ENCRYPTION_KEYS: must be set/);
  expect(checkConfig('gateway', { NODE_ENV: 'development' }).code).toBe(EXIT_OK);
});

it('never prints a secret value, nor a piece of one', () => {
  const env = {
    ...production(),
    ENCRYPTION_KEYS: 'k1:c2VjcmV0LWtleS1tYXRlcmlhbA,bogus',
    JWT_SECRET: 'hunter2-but-short',
    DATABASE_URL: 'postgres://admin:correct-horse@db:5432/sb',
    LLM_BASE_URL: 'http://user:battery-staple@llm',
    LLM_API_KEY: 'sk-live-abcdef',
  };
  const lines = [...checkConfig('gateway', env).lines, ...checkConfig('generation', { ...env, LLM_TIMEOUT_MS: 'x' }).lines].join('\n');
  expect(lines).toMatch(/ENCRYPTION_KEYS: /);
  expect(lines).toMatch(/JWT_SECRET: /);
  for (const secret of ['c2VjcmV0', 'k1:c2Vj', 'bogus', 'hunter2', 'correct-horse', 'battery-staple', 'sk-live'])
    expect(lines).not.toContain(secret);
  // What is cut out, and what is kept: the message, not the value.
  expect(redact('ENCRYPTION_KEYS: "k1:c2Vj…" is not id:base64-key', env)).toBe('ENCRYPTION_KEYS: "<redacted>" is not id:base64-key');
  expect(redact(`X: ${env.DATABASE_URL} is down`, env)).toBe('X: <redacted> is down');
  expect(redact('NODE_ENV: received "prod"', env)).toBe('NODE_ENV: received "prod"');
});

it('refuses an unknown or missing service, listing the valid ones (usage error)', () => {
  expect(checkConfig('gatewey', {})).toEqual({
    code: EXIT_USAGE,
    lines: [`unknown service "gatewey"; one of: ${SERVICE_NAMES.join(', ')}`],
  });
  expect(checkConfig(undefined, {}).code).toBe(EXIT_USAGE);
});

it('reads an env file: comments, export, quotes; a bad line is named by number, not echoed', () => {
  expect(parseEnvFile('# deploy\nexport A=1\nB = "two words"\n\nC=\'x=y\'\nD=\n', 'f.env')).toEqual({
    A: '1',
    B: 'two words',
    C: 'x=y',
    D: '',
  });
  expect(() => parseEnvFile('A=1\nsecret-value-without-name\n', 'f.env')).toThrow(/^f\.env:2: not NAME=value$/);
});

describe('the command', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'config-check-'));
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  const run = (...args: string[]) => program().parseAsync(['node', 'switchboard', 'config', 'check', ...args]);

  it('checks an env file alone: 0 when the service would start, 1 naming what is wrong', async () => {
    const good = path.join(dir, 'good.env');
    writeFileSync(
      good,
      Object.entries(production())
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    await run('--service', 'retrieval', '--env-file', good);
    expect(process.exitCode).toBe(EXIT_OK);
    expect(out).toEqual([expect.stringMatching(/^retrieval: configuration ok/)]);

    const bad = path.join(dir, 'bad.env');
    writeFileSync(bad, 'NODE_ENV=production\nEMBEDDING_PROCESSES=0\n');
    await run('--service', 'retrieval', '--env-file', bad);
    expect(process.exitCode).toBe(EXIT_PROBLEMS);
    expect(out.join('\n')).toMatch(/EMBEDDING_PROCESSES: Number must be greater than or equal to 1/);
    expect(out.join('\n')).toMatch(/VECTOR_DIR: must be set in production/);
  });

  it('exits 2 for an unknown service or an unreadable env file', async () => {
    await run('--service', 'nope');
    expect(process.exitCode).toBe(EXIT_USAGE);
    expect(err.join('\n')).toMatch(/unknown service "nope"; one of: gateway, conversation/);
    await run('--service', 'gateway', '--env-file', path.join(dir, 'missing.env'));
    expect(process.exitCode).toBe(EXIT_USAGE);
    expect(err.join('\n')).toMatch(/cannot read --env-file .*missing\.env: ENOENT/);
  });

  it('is described by --help', () => {
    const config = program().commands.find((c) => c.name() === 'config')!;
    const check = config.commands.find((c) => c.name() === 'check')!;
    expect(config.helpInformation()).toMatch(/check \[options\]/);
    expect(check.helpInformation()).toMatch(/--service <name>/);
    expect(check.helpInformation()).toMatch(/--env-file <file>/);
    expect(check.helpInformation().replace(/\s+/g, ' ')).toMatch(
      /exit 0 when it would start, 1 naming each wrong or missing variable, 2 on a usage error/,
    );
  });
});
