// Reads of a company's API cached in Redis, so a conversation that reads the same order five times
// costs one request. Each kind of record has its own TTL (orders change often, products rarely);
// a change deletes the order and its owner's account before answering, so the next read is fresh.
// Keys: t:<tenant>:crm:user:<user_id>, t:<tenant>:crm:order:<order_id>, t:<tenant>:crm:product:<product_id>,
// t:<tenant>:crm:products. Lookups by email or name are not cached: they would put personal data in
// key names, and they run once per conversation. If Redis fails, reads go to the API.
import type Redis from 'ioredis';
import { namespacedPattern, withoutNamespace } from '@switchboard/config';
import type { FieldCipher } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import type { Order, Product, User } from '../reference/retail-records';
import type { ChangeArguments, ChangeOperation, OrderSystem } from './order-system';

export interface CacheTtlSeconds {
  user: number;
  order: number;
  product: number;
}

/** Redis MATCH pattern of one tenant's cache keys (glob characters in the tenant id escaped). */
const tenantCachePattern = (tenantId: string) => `t:${tenantId.replace(/[*?[\]\\]/g, '\\$&')}:crm:*`;

/**
 * Drops every cached record of a tenant; returns how many keys went. For erasure: keys name CRM
 * record ids, not the customer, so which of them hold a given customer is not known, and emptying a
 * cache costs only fresh reads.
 */
export async function clearTenantCache(redis: Redis, tenantId: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', namespacedPattern(redis, tenantCachePattern(tenantId)), 'COUNT', 500);
    if (keys.length > 0) removed += await redis.unlink(...keys.map((k) => withoutNamespace(redis, k)));
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

/** Associated-data name of a cached record: customers' and orders' details, encrypted like the reference CRM's. */
export const CRM_CACHE_FIELD = 'redis.crm_cache';

export class CachedOrderSystem implements OrderSystem {
  constructor(
    private readonly inner: OrderSystem,
    private readonly redis: Redis,
    private readonly cipher: FieldCipher,
    private readonly tenantId: string,
    private readonly ttl: CacheTtlSeconds,
    private readonly log: Logger,
  ) {}

  user(userId: string): Promise<User | undefined> {
    return this.cached(`user:${userId}`, this.ttl.user, () => this.inner.user(userId));
  }

  order(orderId: string): Promise<Order | undefined> {
    return this.cached(`order:${orderId}`, this.ttl.order, () => this.inner.order(orderId));
  }

  product(productId: string): Promise<Product | undefined> {
    return this.cached(`product:${productId}`, this.ttl.product, () => this.inner.product(productId));
  }

  async products(): Promise<Product[]> {
    return (await this.cached('products', this.ttl.product, () => this.inner.products())) ?? [];
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.inner.userIdByEmail(email);
  }

  userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    return this.inner.userIdByNameZip(firstName, lastName, zip);
  }

  async change(operation: ChangeOperation, args: ChangeArguments): Promise<Order | User> {
    const stale = await this.keysChangedBy(args);
    try {
      return await this.inner.change(operation, args);
    } finally {
      // Also after a failure: a timed-out change may still have happened.
      await this.forget(stale);
    }
  }

  /** The order named and its owner, or the account named. */
  private async keysChangedBy(args: ChangeArguments): Promise<string[]> {
    if (typeof args.order_id === 'string') {
      const order = await this.order(args.order_id);
      return order ? [`order:${args.order_id}`, `user:${order.user_id}`] : [`order:${args.order_id}`];
    }
    return typeof args.user_id === 'string' ? [`user:${args.user_id}`] : [];
  }

  private key(suffix: string): string {
    return `t:${this.tenantId}:crm:${suffix}`;
  }

  private async cached<T>(suffix: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (ttlSeconds <= 0) return load();
    const key = this.key(suffix);
    try {
      const hit = await this.redis.get(key);
      if (hit !== null) return JSON.parse(this.cipher.decrypt(hit, { tenantId: this.tenantId, column: CRM_CACHE_FIELD, row: key })) as T;
    } catch (error) {
      this.log.warn({ tenantId: this.tenantId, err: error }, 'order system cache unreadable; asking the API');
    }
    const value = await load();
    // "Not found" is not cached: the record may be created a moment later.
    if (value !== undefined) {
      await this.redis
        .set(key, this.cipher.seal(JSON.stringify(value), { tenantId: this.tenantId, column: CRM_CACHE_FIELD, row: key }), 'EX', ttlSeconds)
        .catch((error: unknown) => this.log.warn({ tenantId: this.tenantId, err: error }, 'order system cache not written'));
    }
    return value;
  }

  private async forget(suffixes: string[]): Promise<void> {
    if (suffixes.length === 0) return;
    try {
      await this.redis.del(...suffixes.map((s) => this.key(s)));
    } catch (error) {
      this.log.error(
        { tenantId: this.tenantId, err: error, records: suffixes },
        'order system cache not invalidated after a change; reads may be stale until the TTL ends',
      );
    }
  }
}
