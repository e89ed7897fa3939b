// Configuration is read from the environment once, at start-up, into a typed object. A missing or
// malformed variable stops the process with a message that names it.
import { z, ZodRawShape, ZodTypeAny } from 'zod';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export { z };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

// Defaults that only fit a developer's machine (127.0.0.1, a folder beside the checkout). A
// deployment must say where these things are, so in production each must be set.
const LOCAL_DEFAULTS = new WeakSet<ZodTypeAny>();

/** `schema` with a default for local development only: NODE_ENV=production requires the variable. */
export function localDefault<T extends ZodTypeAny>(schema: T, fallback: z.input<T> | (() => z.input<T>)): z.ZodDefault<T> {
  const withDefault = schema.default(fallback);
  LOCAL_DEFAULTS.add(withDefault);
  return withDefault;
}

/**
 * The variables a service given `shape` cannot start without in production: those without a
 * default, and those whose default only fits a developer's machine.
 */
export function requiredInProduction(shape: ZodRawShape): string[] {
  return Object.entries(shape)
    .filter(([, schema]) => LOCAL_DEFAULTS.has(schema) || !schema.isOptional())
    .map(([name]) => name);
}

/** Variables every service reads. */
export const platformShape = {
  // Production unless development or test is asked for by name: outside production the JWT secret
  // and encryption keys fall back to public values, so that must never happen by omission.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535),
  // 127.0.0.1 keeps a developer's services off the network; containers set 0.0.0.0.
  BIND_HOST: z.string().default('127.0.0.1'),
  KAFKA_BROKERS: localDefault(csv, '127.0.0.1:9092'),
  // Prefix for topics and consumer groups, to share one cluster between deployments or test runs.
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9._-]{0,40}$/, 'lowercase letters, digits, . _ - only (max 40)')
    .default(''),
  // A consumer that dies without leaving holds its partitions this long; the broker allows 3000+.
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300_000).default(6_000),
  REDIS_URL: localDefault(z.string().url(), 'redis://127.0.0.1:6379/0'),
  // Distinguishes replicas of one service (reply topics, logs); defaults to host + random suffix.
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only')
    .default(() => `${hostname().slice(0, 40)}-${randomBytes(3).toString('hex')}`),
};

export type PlatformConfig = z.infer<z.ZodObject<typeof platformShape>>;

/** For services that keep data in Postgres (all but the console). */
export const databaseShape = {
  DATABASE_URL: localDefault(z.string().url(), 'postgres://postgres@127.0.0.1:5432/switchboard'),
};

export type DatabaseConfig = z.infer<z.ZodObject<typeof databaseShape>>;

export function loadConfig<S extends ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  if ((result.success ? (result.data as { NODE_ENV?: string }).NODE_ENV : (env.NODE_ENV ?? 'production')) === 'production') {
    for (const [name, schema] of Object.entries(shape)) {
      if (LOCAL_DEFAULTS.has(schema) && !env[name])
        problems.push(`${name}: must be set in production (its default only fits a developer's machine)`);
    }
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

/** A boolean flag from the environment: "true"/"1"/"yes" are true. */
export const flag = (fallback: boolean): ZodTypeAny =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes'].includes(v));
