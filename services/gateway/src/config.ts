import path from 'node:path';
import { ConfigError, databaseShape, flag, loadConfig, platformShape, z } from '@switchboard/config';
import { blindIndexConfigShape, BlindIndex, encryptionConfigShape, FieldCipher } from '@switchboard/crypto';
import { jwtSecretOf } from './auth/access-tokens';

export const gatewayConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of the reply streams kept in Redis (libs/crypto; docs/security.md).
  ...encryptionConfigShape,
  // Who owns each conversation is kept as a blind index of the customer id (conversations/).
  ...blindIndexConfigShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  // This file sits at services/gateway/{src,dist}/config.*, three levels below the repo root.
  PROTO_DIR: z.string().default(path.resolve(__dirname, '..', '..', '..', 'proto')),
  // How long Converse waits for a turn to complete before telling the caller to follow up with
  // SubscribeConversation.
  // How long accepting a message waits for Kafka to confirm it; then the caller hears UNAVAILABLE
  // (and retries with the same client_message_id) instead of hanging while the broker is away.
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(3000),
  CONVERSE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(150_000),
  // Open SubscribeConversation streams per gateway process: per API key (one adapter key may
  // serve every customer online) and per conversation (a customer's tabs and devices).
  SUBSCRIPTIONS_PER_KEY: z.coerce.number().int().min(1).default(1000),
  SUBSCRIPTIONS_PER_CONVERSATION: z.coerce.number().int().min(1).default(10),
  // Sliding one-minute windows (limits/): every message and admin REST call per API key (the
  // default for keys without a limit of their own; a channel adapter's one key carries all of its
  // customers, 100/s), REST calls per signed-in user, and messages per customer of a tenant.
  RATE_LIMIT_KEY_PER_MIN: z.coerce.number().int().min(1).default(6000),
  // The most a key's own limit may be: a tenant admin sets their keys' limits, the operator this
  // ceiling, so no tenant can lift its share of the shared gateway, Kafka and services.
  RATE_LIMIT_KEY_MAX_PER_MIN: z.coerce.number().int().min(1).default(60_000),
  RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_CUSTOMER_PER_MIN: z.coerce.number().int().min(1).default(30),
  // Sign-in of agents and admins (auth/): access tokens are JWTs signed with JWT_SECRET (HS256);
  // refresh tokens are opaque, stored hashed, rotated on every use. Outside production a fixed,
  // public development secret is used when none is set; production refuses to start without one.
  JWT_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 24 * 3600)
    .default(14 * 24 * 3600),
  // The absolute lifetime of a session: refreshing never carries it past this many seconds after
  // its sign-in (refresh tokens expire at the earlier of the two).
  SESSION_MAX_AGE_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * 24 * 3600)
    .default(30 * 24 * 3600),
  // Sign-in attempts per minute for one username from one client address (failed and successful),
  // against password guessing; per address, so a guesser elsewhere cannot lock the user out.
  LOGIN_ATTEMPTS_PER_MIN: z.coerce.number().int().min(1).default(10),
  // Failed sign-ins per minute from one client address across usernames (password spraying), and
  // for the whole tenant (spraying from many addresses). Successful sign-ins do not count.
  LOGIN_FAILURES_PER_CLIENT_PER_MIN: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURES_PER_TENANT_PER_MIN: z.coerce.number().int().min(1).default(300),
  // Which proxies in front of the gateway may name the client address in X-Forwarded-For (Express
  // "trust proxy": e.g. "loopback", "10.0.0.0/8", or a hop count). Empty: the peer address is the client.
  TRUSTED_PROXIES: z.string().default(''),
  // Development only: create the "demo" tenant and write a fresh API key to this file.
  DEMO_TENANT_KEY_FILE: z.string().optional(),
  SEED_DEMO_TENANT: flag(false),
  // How long POST /v1/privacy/erasures waits for every service's erasure report before answering
  // 202 with the services still missing.
  ERASURE_WAIT_MS: z.coerce.number().int().min(1000).max(120_000).default(20_000),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env = process.env) => {
  const config = loadConfig(gatewayConfigShape, env);
  // Every missing secret stops start-up here, each named, so an operator fixes them in one go.
  const problems: string[] = [];
  for (const check of [() => jwtSecretOf(config), () => FieldCipher.fromConfig(config), () => BlindIndex.fromConfig(config)]) {
    try {
      check();
    } catch (error) {
      problems.push(...(error instanceof ConfigError ? error.problems : [(error as Error).message]));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
};
