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

const csv = z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

/** Variables every service reads. */
export const platformShape = {
  // Production unless development or test is asked for by name: outside production the JWT secret
  // and encryption keys fall back to public values, so that must never happen by omission.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535),
  // 127.0.0.1 keeps a developer's services off the network; containers set 0.0.0.0.
  BIND_HOST: z.string().default('127.0.0.1'),
  KAFKA_BROKERS: csv.default('127.0.0.1:9092'),
  // Prefix for topics and consumer groups, to share one cluster between deployments or test runs.
  KAFKA_NAMESPACE: z.string().regex(/^[a-z0-9._-]{0,40}$/, 'lowercase letters, digits, . _ - only (max 40)').default(''),
  // A consumer that dies without leaving holds its partitions this long; the broker allows 3000+.
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300_000).default(6_000),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379/0'),
  // Distinguishes replicas of one service (reply topics, logs); defaults to host + random suffix.
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only').default(() => `${hostname().slice(0, 40)}-${randomBytes(3).toString('hex')}`),
};

export type PlatformConfig = z.infer<z.ZodObject<typeof platformShape>>;

export function loadConfig<S extends ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

/** A boolean flag from the environment: "true"/"1"/"yes" are true. */
export const flag = (fallback: boolean): ZodTypeAny =>
  z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).default(fallback ? 'true' : 'false').transform((v) => ['true', '1', 'yes'].includes(v));
