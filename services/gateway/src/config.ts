import path from 'node:path';
import { flag, loadConfig, platformShape, z } from '@switchboard/config';
import { blindIndexConfigShape, BlindIndex, encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

export const gatewayConfigShape = {
  ...platformShape,
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
  CONVERSE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(150_000),
  // Open SubscribeConversation streams per gateway process: per API key (one adapter key may
  // serve every customer online) and per conversation (a customer's tabs and devices).
  SUBSCRIPTIONS_PER_KEY: z.coerce.number().int().min(1).default(1000),
  SUBSCRIPTIONS_PER_CONVERSATION: z.coerce.number().int().min(1).default(10),
  // Sliding one-minute windows (limits/): every message and admin REST call per API key, and
  // messages per customer of a tenant.
  RATE_LIMIT_KEY_PER_MIN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_CUSTOMER_PER_MIN: z.coerce.number().int().min(1).default(30),
  // Sign-in of agents and admins (auth/): access tokens are JWTs signed with JWT_SECRET (HS256);
  // refresh tokens are opaque, stored hashed, rotated on every use. Outside production a fixed,
  // public development secret is used when none is set; production refuses to start without one.
  JWT_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(300).max(90 * 24 * 3600).default(14 * 24 * 3600),
  // Failed and successful sign-ins per username per minute, against password guessing.
  LOGIN_ATTEMPTS_PER_MIN: z.coerce.number().int().min(1).default(10),
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
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  BlindIndex.fromConfig(config);
  return config;
};
