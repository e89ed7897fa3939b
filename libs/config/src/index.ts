// Configuration is read from the environment once, at start-up, into a typed object. A missing or
// malformed variable stops the process with a message that names it.
import { z, ZodRawShape, ZodTypeAny } from 'zod';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export { z };
export * from './redis-namespace';
export type { ZodRawShape };

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

/**
 * `schema` with a default for local development only: NODE_ENV=production requires the variable.
 * Describe `schema` before passing it in: zod's describe() returns a copy, which this set would not know.
 */
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

/** What the generated configuration tables say where the schema alone cannot tell. */
export interface VariableNotes {
  /** The default as a reader should see it, for one computed at start-up (a host name, a random id). */
  shownDefault?: string;
  /** Required in production by a check of the service's loader rather than by the schema (a secret). */
  production?: string;
}

const NOTES = new WeakMap<ZodTypeAny, VariableNotes>();

/** `schema`, with notes for the generated docs; call it last, as localDefault, since describe() copies. */
export function documented<T extends ZodTypeAny>(schema: T, notes: VariableNotes): T {
  NOTES.set(schema, notes);
  return schema;
}

/** One variable of a shape, as the generated docs and `switchboard config check` present it. */
export interface VariableInfo {
  name: string;
  /** The schema's describe() text: what the variable is, for an operator. */
  description: string;
  /** Absent: the variable has no default (optional or required). */
  default?: { value: unknown };
  /** How the docs show the default, when the value alone would mislead (see VariableNotes). */
  shownDefault?: string;
  /** "yes", "no", or the loader's own rule (e.g. "yes (or ENCRYPTION_KEY_FILE)"). */
  production: string;
  /** Its value must never be printed: a key, secret, password or token. */
  secret: boolean;
}

/** Names whose values are credentials; `switchboard config check` prints only their names. */
export const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/;

function defaultOf(schema: ZodTypeAny): { value: unknown } | undefined {
  // transform() and refine() wrap the schema that may carry the default (flag(), TICKET_SLA_MINUTES).
  let inner = schema;
  while (inner instanceof z.ZodEffects) inner = inner._def.schema as ZodTypeAny;
  if (inner instanceof z.ZodDefault) return { value: (inner._def as { defaultValue: () => unknown }).defaultValue() };
  return undefined;
}

/** Every variable of `shape` in its order, with what the docs show of it; throws for one without a description. */
export function describeShape(shape: ZodRawShape): VariableInfo[] {
  const required = new Set(requiredInProduction(shape));
  return Object.entries(shape).map(([name, schema]) => {
    const description = schema.description;
    if (!description) throw new Error(`${name}: no description; add .describe('…') to its schema, which the generated docs print`);
    const notes = NOTES.get(schema) ?? {};
    const fallback = defaultOf(schema);
    return {
      name,
      description,
      default: fallback,
      shownDefault: notes.shownDefault,
      production: notes.production ?? (required.has(name) ? 'yes' : 'no'),
      secret: SECRET_NAME.test(name),
    };
  });
}

/** The default of `shape[name]` as the service would use it, for tools that must agree with the service. */
export function shapeDefault<S extends ZodRawShape, K extends keyof S & string>(shape: S, name: K): Exclude<z.input<S[K]>, undefined> {
  const fallback = defaultOf(shape[name]);
  if (!fallback) throw new Error(`${name} has no default`);
  return fallback.value as Exclude<z.input<S[K]>, undefined>;
}

/** Variables every service reads. */
export const platformShape = {
  // Production unless development or test is asked for by name: outside production the JWT secret
  // and encryption keys fall back to public values, so that must never happen by omission.
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('production')
    .describe(
      '`development`, `test` or `production`. Only `development` and `test`, asked for by name, fall back to the public development secrets and keys. In production the database must already exist.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).describe('Health and metrics: `/health/live`, `/health/ready`, `/metrics`.'),
  // 127.0.0.1 keeps a developer's services off the network; containers set 0.0.0.0.
  BIND_HOST: z.string().default('127.0.0.1').describe('The address the HTTP (and gRPC) servers listen on; the image sets `0.0.0.0`.'),
  KAFKA_BROKERS: localDefault(
    csv.describe('Comma-separated Kafka bootstrap servers. The services create their topics, so they need that permission.'),
    '127.0.0.1:9092',
  ),
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9._-]{0,40}$/, 'lowercase letters, digits, . _ - only (max 40)')
    .default('')
    .describe('Prefix for every topic and consumer group, to share one cluster between deployments or test runs.'),
  // The broker allows 3000 and more.
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(3000)
    .max(300_000)
    .default(6_000)
    .describe(
      'How long a consumer that dies without leaving holds its partitions (3000-300000); also how long a group waits, after a broker restart, for the members it had.',
    ),
  TRACE_SAMPLE_RATE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe(
      'Share of customer turns (0-1) whose every Kafka hop is recorded, times only, in Redis for an hour, for `switchboard trace <turn id>`. Read where a turn starts (the gateway); 0 records none.',
    ),
  REDIS_URL: localDefault(
    z.string().url().describe('Redis (deduplication, reply streams, rate limits, caches).'),
    'redis://127.0.0.1:6379/0',
  ),
  REDIS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9._:-]{0,40}$/, 'lowercase letters, digits, . _ : - only (max 40)')
    .default('')
    .describe(
      'Prefix for every Redis key, to share one Redis between deployments or test runs (as KAFKA_NAMESPACE does for Kafka); the content-addressed caches of the built-in intent sets are shared by all.',
    ),
  INSTANCE_ID: documented(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only')
      .default(() => `${hostname().slice(0, 40)}-${randomBytes(3).toString('hex')}`)
      .describe('Tells replicas of one service apart (reply topics, logs).'),
    { shownDefault: 'host name + random suffix' },
  ),
};

/** A service's HTTP_PORT: the platform's variable with that service's own default port. */
export const httpPort = (fallback: number) => platformShape.HTTP_PORT.default(fallback);

export type PlatformConfig = z.infer<z.ZodObject<typeof platformShape>>;

/** For services that keep data in Postgres (all but the console). */
export const databaseShape = {
  DATABASE_URL: localDefault(
    z.string().url().describe('PostgreSQL; each service creates and migrates its own schema in this database.'),
    'postgres://postgres@127.0.0.1:5432/switchboard',
  ),
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
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes'].includes(v));
