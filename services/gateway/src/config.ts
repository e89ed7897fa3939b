import path from 'node:path';
import { ConfigError, databaseShape, documented, flag, httpPort, loadConfig, platformShape, z } from '@switchboard/config';
import { blindIndexConfigShape, BlindIndex, encryptionConfigShape, FieldCipher } from '@switchboard/crypto';
import { jwtSecretOf } from './auth/access-tokens';

export const gatewayConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of the reply streams kept in Redis (libs/crypto; docs/security.md).
  ...encryptionConfigShape,
  // Who owns each conversation is kept as a blind index of the customer id (conversations/).
  ...blindIndexConfigShape,
  HTTP_PORT: httpPort(3000).describe('The REST API, and health and metrics: `/health/live`, `/health/ready`, `/metrics`.'),
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051).describe('The gRPC ChatGateway.'),
  // This file sits at services/gateway/{src,dist}/config.*, three levels below the repo root.
  PROTO_DIR: z
    .string()
    .default(path.resolve(__dirname, '..', '..', '..', 'proto'))
    .describe('Where the `.proto` files are (in the image: `/app/proto`).'),
  // Then the caller retries with the same client_message_id instead of hanging while the broker is away.
  PUBLISH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(60_000)
    .default(3000)
    .describe('How long accepting a message waits for Kafka to confirm it before answering `UNAVAILABLE`.'),
  CONVERSE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(150_000)
    .describe('How long `Converse` waits for a turn to complete before telling the caller to follow up with `SubscribeConversation`.'),
  // Per API key because one adapter key may serve every customer online; per conversation for a
  // customer's tabs and devices.
  SUBSCRIPTIONS_PER_KEY: z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('Open `SubscribeConversation` streams per API key and gateway process; past it `RESOURCE_EXHAUSTED`.'),
  SUBSCRIPTIONS_PER_CONVERSATION: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Open `SubscribeConversation` streams per conversation and gateway process.'),
  // Sliding one-minute windows (limits/). A channel adapter's one key carries all of its customers (100/s).
  RATE_LIMIT_KEY_PER_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .default(6000)
    .describe('Messages and admin REST calls per minute per API key without a limit of its own (docs/security.md).'),
  // So no tenant can lift its share of the shared gateway, Kafka and services.
  RATE_LIMIT_KEY_MAX_PER_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .default(60_000)
    .describe("The most a key's own limit may be: a tenant admin sets their keys' limits, the operator this ceiling."),
  RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().min(1).default(600).describe('REST calls per minute per signed-in user.'),
  RATE_LIMIT_CUSTOMER_PER_MIN: z.coerce.number().int().min(1).default(30).describe('Messages per minute per customer of a tenant.'),
  // Sign-in of agents and admins (auth/): refresh tokens are opaque, stored hashed, rotated on every
  // use. Outside production a fixed, public development secret is used when none is set.
  JWT_SECRET: documented(
    z
      .string()
      .optional()
      .describe("Signs agents' and admins' access tokens (HS256); at least 32 random characters (`openssl rand -base64 48`)."),
    { production: 'yes', shownDefault: 'a public development secret, outside production only' },
  ),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(3600).default(900).describe('Lifetime of an access token (60-3600).'),
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 24 * 3600)
    .default(14 * 24 * 3600)
    .describe('Lifetime of a refresh token (rotated on every use).'),
  SESSION_MAX_AGE_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * 24 * 3600)
    .default(30 * 24 * 3600)
    .describe('The absolute lifetime of a session: refreshing never carries it past this many seconds after its sign-in.'),
  // Per address, so a guesser elsewhere cannot lock the user out.
  LOGIN_ATTEMPTS_PER_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Sign-in attempts (failed and successful) per minute for one username from one client address.'),
  // Password spraying: across usernames from one address, or from many addresses at one tenant.
  LOGIN_FAILURES_PER_CLIENT_PER_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Failed sign-ins per minute from one client address, across usernames.'),
  LOGIN_FAILURES_PER_TENANT_PER_MIN: z.coerce.number().int().min(1).default(300).describe('Failed sign-ins per minute for a whole tenant.'),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .describe(
      'Which proxies in front of the gateway may name the client address in `X-Forwarded-For` (Express "trust proxy": e.g. `loopback`, `10.0.0.0/8`, or a hop count). Empty: the peer address is the client.',
    ),
  DEMO_TENANT_KEY_FILE: z.string().optional().describe('Development only: where `SEED_DEMO_TENANT` writes the demo API key.'),
  SEED_DEMO_TENANT: flag(false).describe('Development only: create the "demo" tenant and a fresh API key at start-up.'),
  ERASURE_WAIT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(120_000)
    .default(20_000)
    .describe(
      "How long `POST /v1/privacy/erasures` waits for every service's erasure report before answering 202 with the services still missing.",
    ),
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
