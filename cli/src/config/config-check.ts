// `switchboard config check`: an environment (this shell's, or an env file) validated by one
// service's own loader, without starting the service, so a deployment learns what is wrong before
// it rolls out. Only variable names and the loader's messages are printed, never a secret's value.
import { readFileSync } from 'node:fs';
import { ConfigError, describeShape, SECRET_NAME } from '@switchboard/config';
import { isServiceName, SERVICE_CONFIGS, SERVICE_NAMES } from './service-configs';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export interface CheckResult {
  code: typeof EXIT_OK | typeof EXIT_PROBLEMS | typeof EXIT_USAGE;
  /** What to print: on stdout for 0 and 1, on stderr for 2. */
  lines: string[];
}

/**
 * KEY=value lines as docker compose's env_file and systemd read them: `#` comments, an optional
 * `export `, and values optionally in matching single or double quotes (no escapes, no expansion).
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    // The line itself is not echoed: it may hold a secret.
    if (!match) throw new Error(`${file}:${index + 1}: not NAME=value`);
    const value = match[2].trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    env[match[1]] = quoted ? quoted[2] : value;
  });
  return env;
}

/** The variable a loader's problem is about: its messages start with the name. */
const variableOf = (problem: string) => /^([A-Z0-9_]+):/.exec(problem)?.[1] ?? '';

/** A URL carrying a user name or password, e.g. postgres://user:pass@db/sb. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i;

const isSecret = (name: string, value: string | undefined) => SECRET_NAME.test(name) || CREDENTIAL_URL.test(value ?? '');

/**
 * A loader message with no secret in it: every secret value of `env` is cut out wherever it
 * appears, and a message about a secret variable loses its quoted parts, which may quote a piece of
 * the value (e.g. the start of a malformed ENCRYPTION_KEYS entry).
 */
export function redact(problem: string, env: Record<string, string | undefined>): string {
  let text = problem;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 3 && isSecret(name, value)) text = text.split(value).join('<redacted>');
  }
  const name = variableOf(text);
  if (name && isSecret(name, env[name])) text = text.replace(/"[^"]*"|'[^']*'/g, '"<redacted>"');
  return text;
}

export function checkConfig(service: string | undefined, env: Record<string, string | undefined>): CheckResult {
  if (!service || !isServiceName(service))
    return {
      code: EXIT_USAGE,
      lines: [`${service ? `unknown service "${service}"` : 'no --service given'}; one of: ${SERVICE_NAMES.join(', ')}`],
    };
  const { shape, load } = SERVICE_CONFIGS[service];
  let problems: string[] = [];
  try {
    load(env);
  } catch (error) {
    problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
  }
  const variables = describeShape(shape);
  if (problems.length === 0) {
    const set = variables.filter((v) => env[v.name] !== undefined).length;
    return {
      code: EXIT_OK,
      lines: [
        `${service}: configuration ok (${set} of ${variables.length} variables set, NODE_ENV=${env.NODE_ENV ?? 'production (unset)'})`,
      ],
    };
  }
  // A loader stops at the schema's problems before its own checks of the secrets, so a start reports
  // a missing JWT_SECRET only once the rest is right; list every unset requirement now, in one go.
  if ((env.NODE_ENV ?? 'production') === 'production') {
    const named = new Set(problems.map(variableOf));
    for (const { name, production } of variables) {
      if (production === 'no' || named.has(name) || env[name]) continue;
      const alternative = /^yes \(or `([A-Z0-9_]+)`\)$/.exec(production)?.[1];
      if (alternative && (env[alternative] || named.has(alternative))) continue;
      problems.push(`${name}: must be set in production${alternative ? ` (or ${alternative})` : ''}`);
      named.add(name);
    }
  }
  const byName = new Map(variables.map((v) => [v.name, v]));
  const lines = [
    `${service}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (NODE_ENV=${env.NODE_ENV ?? 'production (unset)'})`,
  ];
  for (const problem of problems) {
    lines.push(`  ${redact(problem, env)}`);
    // What the variable is for, so the reader knows what to set it to.
    const info = byName.get(variableOf(problem));
    if (info) lines.push(`      ${info.description}`);
  }
  lines.push('See "Configuration" in README.md for every variable, its default and whether production requires it.');
  return { code: EXIT_PROBLEMS, lines };
}

/** `--env-file`: that file's variables alone, so the shell running the check does not leak into it. */
export function envFromFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --env-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseEnvFile(text, file);
}
