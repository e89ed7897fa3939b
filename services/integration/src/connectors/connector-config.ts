// Which tenants use their own order/CRM API instead of the reference system, and how to talk to
// it: base URL, auth header, one request per operation, and how the API's JSON maps onto the
// tau-retail data model. Read once at start-up from CONNECTOR_CONFIG (JSON) or CONNECTOR_CONFIG_FILE
// (a path to the same JSON); a tenant not listed uses the reference system.
import { readFileSync } from 'node:fs';
import { ConfigError, z } from '@switchboard/config';
import type { OutboundPolicy } from '../outbound/outbound-policy';
import { CHANGE_OPERATIONS } from './order-system';

/** A field mapping: see field-mapping.ts for what each form means. */
export type FieldMapping = { [target: string]: FieldSource };
export type FieldSource =
  string | { from: string; each?: FieldMapping | string; keyBy?: string; values?: Record<string, string> } | FieldMapping;

const fieldSource: z.ZodType<FieldSource> = z.lazy(() =>
  z.union([
    z.string().min(1),
    z
      .object({
        from: z.string().min(1),
        each: z.union([fieldMapping, z.string().min(1)]).optional(),
        keyBy: z.string().min(1).optional(),
        values: z.record(z.string()).optional(),
      })
      .strict(),
    fieldMapping,
  ]),
);
const fieldMapping: z.ZodType<FieldMapping> = z.lazy(() => z.record(fieldSource));

const request = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    // `{name}` is replaced by the argument of that name, URL-encoded: "/orders/{order_id}".
    path: z.string().startsWith('/', 'starts with "/" (it is appended to baseUrl)'),
    // A JSON body; a string value "{name}" becomes the argument itself (a string or a list).
    body: z.record(z.unknown()).optional(),
    // Where the record (or, for lookups, the user id; for list_products, the list) sits in the response, e.g. "data" or "results.0.id".
    result: z.string().optional(),
  })
  .strict();

const reads = z
  .object({
    get_user: request,
    get_order: request,
    get_product: request,
    list_products: request,
    find_user_id_by_email: request,
    find_user_id_by_name_zip: request,
  })
  .strict();

// A change the company's API does not offer is refused with a message naming it.
const changes = z
  .object(
    Object.fromEntries(CHANGE_OPERATIONS.map((op) => [op, request.optional()])) as Record<
      (typeof CHANGE_OPERATIONS)[number],
      z.ZodOptional<typeof request>
    >,
  )
  .strict();

const httpConnector = z
  .object({
    kind: z.literal('http'),
    baseUrl: z.string().url(),
    // The secret itself stays out of the config: `valueEnv` names the variable holding it.
    auth: z
      .object({ header: z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'), valueEnv: z.string().min(1) })
      .strict()
      .optional(),
    timeoutMs: z.number().int().positive().default(3000),
    // Retries after the first attempt, on 5xx, timeouts and network errors only; backoff doubles each time.
    retries: z.number().int().min(0).max(5).default(2),
    backoffMs: z.number().int().min(0).default(200),
    breaker: z
      .object({
        errorThresholdPercentage: z.number().min(1).max(100).default(50),
        volumeThreshold: z.number().int().min(1).default(5),
        resetTimeoutMs: z.number().int().positive().default(30_000),
        windowMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({}),
    cacheTtlSeconds: z
      .object({
        user: z.number().int().min(0).default(60),
        order: z.number().int().min(0).default(30),
        product: z.number().int().min(0).default(600),
      })
      .strict()
      .default({}),
    operations: reads.merge(changes),
    // Where a 4xx answer explains itself; the explanation goes to the bot as the refusal.
    errorMessage: z.string().default('error.message'),
    mapping: z.object({ user: fieldMapping, order: fieldMapping, product: fieldMapping }).strict(),
  })
  .strict();

export const connectorConfigSchema = z.object({ tenants: z.record(httpConnector).default({}) }).strict();

export type HttpConnectorConfig = z.infer<typeof httpConnector>;
export type ConnectorRequest = z.infer<typeof request>;
export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;
/** A tenant's connector with its auth secret resolved. */
export type ResolvedHttpConnector = HttpConnectorConfig & { authValue?: string };

/**
 * Parses CONNECTOR_CONFIG, or the file CONNECTOR_CONFIG_FILE names, and resolves each auth secret
 * from the variable it names. A base URL the outbound policy refuses as written (an internal literal
 * address not on the allow-list, plain http) stops start-up too; a name is judged on every connect.
 * Every problem is reported with the variable and the field.
 */
export function loadConnectorConfig(
  settings: { CONNECTOR_CONFIG: string; CONNECTOR_CONFIG_FILE: string },
  outbound: OutboundPolicy,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, ResolvedHttpConnector> {
  const [variable, text] = settings.CONNECTOR_CONFIG_FILE
    ? ['CONNECTOR_CONFIG_FILE', readConfigFile(settings.CONNECTOR_CONFIG_FILE)]
    : ['CONNECTOR_CONFIG', settings.CONNECTOR_CONFIG];
  if (text.trim() === '') return new Map();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${variable}: not JSON (${(error as Error).message}); see docs/integration.md for the format`]);
  }
  const parsed = connectorConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${variable}: ${i.path.join('.') || '(root)'}: ${i.message}`));
  const problems: string[] = [];
  const connectors = new Map<string, ResolvedHttpConnector>();
  for (const [tenantId, connector] of Object.entries(parsed.data.tenants)) {
    const authValue = connector.auth ? env[connector.auth.valueEnv] : undefined;
    if (connector.auth && !authValue)
      problems.push(
        `${variable}: tenants.${tenantId}.auth.valueEnv names ${connector.auth.valueEnv}, which is not set; set it to the API secret`,
      );
    const refused = outbound.urlProblem(new URL(connector.baseUrl));
    if (refused)
      problems.push(
        `${variable}: tenants.${tenantId}.baseUrl is refused: ${refused}; an internal CRM's address goes on OUTBOUND_ALLOWED_ADDRESSES`,
      );
    connectors.set(tenantId, { ...connector, authValue });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return connectors;
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`CONNECTOR_CONFIG_FILE: cannot read ${file} (${(error as Error).message})`]);
  }
}
