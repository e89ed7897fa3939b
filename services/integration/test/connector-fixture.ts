// The tool service over the HTTP connector for one fresh tenant, pointed at a stand-in API, with
// the real Redis as its cache and its logs kept for inspection.
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { createLogger } from '@switchboard/logging';
import { infra, uniqueName } from '@switchboard/testing';
import { loadConnectorConfig } from '../src/connectors/connector-config';
import { OrderSystems } from '../src/connectors/order-systems';
import { OutboundPolicy } from '../src/outbound/outbound-policy';
import type { ReferenceStore } from '../src/reference/reference.repository';
import { ToolService } from '../src/tools/tool.service';
import { externalCrmConnector } from './external-crm.server';

export const TEST_API_KEY = 'sk-test-9f8e7d6c5b4a-never-log-me';

export interface ConnectedTenant {
  tenantId: string;
  tools: ToolService;
  systems: OrderSystems;
  redis: Redis;
  logs: string[];
  close(): Promise<void>;
}

/** The stand-in API listens on 127.0.0.1, which the operator allow-lists here as for an internal CRM. */
export const TEST_OUTBOUND = OutboundPolicy.fromConfig({ NODE_ENV: 'test', OUTBOUND_ALLOWED_ADDRESSES: '127.0.0.1' });

export async function connectTenant(
  store: ReferenceStore,
  apiUrl: string,
  overrides: Record<string, unknown> = {},
  outbound = TEST_OUTBOUND,
): Promise<ConnectedTenant> {
  const tenantId = uniqueName('crm');
  const logs: string[] = [];
  const log = createLogger(
    'integration',
    'debug',
    new Writable({
      write: (chunk, _e, done) => {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const connectors = loadConnectorConfig(
    { CONNECTOR_CONFIG: JSON.stringify({ tenants: { [tenantId]: externalCrmConnector(apiUrl, overrides) } }), CONNECTOR_CONFIG_FILE: '' },
    outbound,
    { TEST_CRM_API_KEY: TEST_API_KEY },
  );
  const redis = new Redis(infra.redisUrl());
  const systems = new OrderSystems(store, connectors, outbound, redis, log);
  return {
    tenantId,
    tools: new ToolService(systems.for),
    systems,
    redis,
    logs,
    close: async () => {
      systems.close();
      const keys = await redis.keys(`t:${tenantId}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
