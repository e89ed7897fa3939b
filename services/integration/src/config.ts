import path from 'node:path';
import { databaseShape, httpPort, loadConfig, localDefault, platformShape, z } from '@switchboard/config';
import { blindIndexConfigShape, encryptionConfigShape } from '@switchboard/crypto';
import { OutboundPolicy, outboundConfigShape } from './outbound/outbound-policy';
import { ReferenceSealing } from './reference/reference-sealing';
import { webhookConfigShape } from './webhooks/webhook.config';

/** services/integration/{src,dist} sits three levels below the repository root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** The tau-bench retail data, kept beside the repository (../shared/data), never copied into it. */
export const DEFAULT_REFERENCE_DATA_DIR = path.resolve(repoRoot, '..', 'shared', 'data', 'tau-retail');

const tenantIds = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .refine((ids) => ids.every((id) => /^\S{1,64}$/.test(id)), 'tenant ids are 1-64 characters without whitespace, separated by commas');

export const integrationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of reference users and orders and webhook secrets and payloads (libs/crypto;
  // docs/security.md), and the blind-index key of the lookups by email and by name and zip.
  ...encryptionConfigShape,
  ...blindIndexConfigShape,
  HTTP_PORT: httpPort(3105),
  REFERENCE_TENANTS: tenantIds
    .default('demo')
    .describe(
      "Tenants (comma list) whose reference order/CRM system is seeded from `REFERENCE_DATA_DIR` when they have no data yet; `demo` is the gateway's demo tenant. Empty seeds none.",
    ),
  REFERENCE_DATA_DIR: localDefault(
    z.string().min(1).describe("The folder holding tau-retail's `users.json`, `orders.json` and `products.json`; the CLI reads it too."),
    DEFAULT_REFERENCE_DATA_DIR,
  ),
  // Parsed by connectors/connector-config.ts.
  CONNECTOR_CONFIG: z
    .string()
    .default('')
    .describe('Tenants that use their own order/CRM API, as JSON (docs/integration.md). Empty: every tenant uses the reference system.'),
  CONNECTOR_CONFIG_FILE: z.string().default('').describe('A file holding the same JSON as `CONNECTOR_CONFIG`; wins when both are set.'),
  ...webhookConfigShape,
  // Internal addresses webhooks and order connectors may reach (outbound/outbound-policy.ts).
  ...outboundConfigShape,
};

export type IntegrationConfig = ReturnType<typeof loadIntegrationConfig>;
export const loadIntegrationConfig = (env = process.env) => {
  const config = loadConfig(integrationConfigShape, env);
  ReferenceSealing.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  OutboundPolicy.fromConfig(config); // and so does a malformed allow-list
  return config;
};
