// Which order system serves each tenant: the company's own API for tenants listed in the connector
// config (cached in Redis, behind its own circuit breaker), the reference system for everyone else.
import type Redis from 'ioredis';
import type { Logger } from '@switchboard/logging';
import type { OutboundPolicy } from '../outbound/outbound-policy';
import type { ReferenceStore } from '../reference/reference.repository';
import { CachedOrderSystem } from './cached.order-system';
import type { ResolvedHttpConnector } from './connector-config';
import { CrmHttpClient } from './crm-http.client';
import { HttpOrderSystem } from './http.order-system';
import type { OrderSystem } from './order-system';
import { ReferenceOrderSystem } from './reference.order-system';

export class OrderSystems {
  private readonly connected = new Map<string, { system: OrderSystem; client: CrmHttpClient }>();

  constructor(
    private readonly store: ReferenceStore,
    connectors: ReadonlyMap<string, ResolvedHttpConnector>,
    outbound: OutboundPolicy,
    redis: Redis,
    log: Logger,
  ) {
    for (const [tenantId, config] of connectors) {
      const client = new CrmHttpClient(config, tenantId, outbound, log);
      this.connected.set(tenantId, {
        client,
        system: new CachedOrderSystem(
          new HttpOrderSystem(config, client),
          redis,
          store.sealing.cipher,
          tenantId,
          config.cacheTtlSeconds,
          log,
        ),
      });
    }
  }

  /** Bound, so it can be handed to the tool service as an OrderSystemFor. */
  readonly for = (tenantId: string): OrderSystem => this.connected.get(tenantId)?.system ?? new ReferenceOrderSystem(this.store, tenantId);

  /** The tenant's connector breaker state, or undefined for a reference tenant. */
  breakerState(tenantId: string): 'open' | 'half_open' | 'closed' | undefined {
    return this.connected.get(tenantId)?.client.state;
  }

  close(): void {
    for (const { client } of this.connected.values()) client.close();
  }
}
