// Fills a tenant's reference order/CRM system with the pristine tau-retail data. Seeding replaces
// whatever the tenant had, so it doubles as a reset; replicas and operators seeding the same
// tenant at once take turns on an advisory lock. Users and orders are stored encrypted, users with
// their blind indexes (reference-sealing.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReferenceSealing } from './reference-sealing';
import type { Order, User } from './retail-records';

export interface ReferenceCounts {
  users: number;
  orders: number;
  products: number;
}

interface ReferenceFiles {
  users: string;
  orders: string;
  products: string;
  counts: ReferenceCounts;
}

export class ReferenceSeeder {
  constructor(
    private readonly db: DataSource,
    private readonly sealing: ReferenceSealing,
    private readonly dataDir: string,
  ) {}

  /** Replaces the tenant's users, orders and products with the pristine data. */
  async seedReferenceData(tenantId: string): Promise<ReferenceCounts> {
    const files = await this.readFiles();
    await this.db.transaction(async (m) => {
      await this.lockTenant(m, tenantId);
      await this.replace(m, tenantId, files);
    });
    return files.counts;
  }

  /** Seeds the tenant only if it has no users yet; returns the counts when it did. */
  async seedIfEmpty(tenantId: string): Promise<ReferenceCounts | undefined> {
    return this.db.transaction(async (m) => {
      await this.lockTenant(m, tenantId);
      const [{ seeded }] = await m.query<Array<{ seeded: boolean }>>(
        'select exists (select 1 from integration.users where tenant_id = $1) as seeded',
        [tenantId],
      );
      if (seeded) return undefined;
      // Read only now: a seeded tenant needs no data folder.
      const files = await this.readFiles();
      await this.replace(m, tenantId, files);
      return files.counts;
    });
  }

  async counts(tenantId: string): Promise<ReferenceCounts> {
    const [row] = await this.db.query<ReferenceCounts[]>(
      `select (select count(*) from integration.users where tenant_id = $1)::int as users,
              (select count(*) from integration.orders where tenant_id = $1)::int as orders,
              (select count(*) from integration.products where tenant_id = $1)::int as products`,
      [tenantId],
    );
    return row;
  }

  private async lockTenant(m: EntityManager, tenantId: string): Promise<void> {
    await m.query('select pg_advisory_xact_lock(hashtext($1))', [`integration:seed:${tenantId}`]);
  }

  private async replace(m: EntityManager, tenantId: string, files: ReferenceFiles): Promise<void> {
    for (const table of ['orders', 'users', 'products']) await m.query(`delete from integration.${table} where tenant_id = $1`, [tenantId]);
    // json_each keeps each record's text as written, field order included; it is encrypted here,
    // and written back in one statement per table.
    const users = await this.records(m, files.users);
    const userIndexes = users.map((r) => this.sealing.userIndexes(tenantId, JSON.parse(r.text) as User));
    await m.query(
      'insert into integration.users (tenant_id, user_id, document, email_index, name_zip_index) select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[])',
      [
        tenantId,
        users.map((r) => r.id),
        users.map((r) => this.sealing.sealUser(tenantId, r.id, r.text)),
        userIndexes.map((i) => i.emailIndex),
        userIndexes.map((i) => i.nameZipIndex),
      ],
    );
    const orders = await this.records(m, files.orders);
    await m.query(
      'insert into integration.orders (tenant_id, order_id, user_id, document) select $1, * from unnest($2::text[], $3::text[], $4::text[])',
      [
        tenantId,
        orders.map((r) => r.id),
        orders.map((r) => (JSON.parse(r.text) as Order).user_id),
        orders.map((r) => this.sealing.sealOrder(tenantId, r.id, r.text)),
      ],
    );
    // Products are the shop's catalogue, not anyone's data: stored as they are.
    await m.query('insert into integration.products (tenant_id, product_id, document) select $1, key, value from json_each($2::json)', [
      tenantId,
      files.products,
    ]);
  }

  /** Each record of a data file with its text as written. */
  private records(m: EntityManager, json: string): Promise<Array<{ id: string; text: string }>> {
    return m.query('select key as id, value::text as text from json_each($1::json) order by key', [json]);
  }

  private async readFiles(): Promise<ReferenceFiles> {
    const users = await this.readRecords(
      'users.json',
      'user_id',
      (r) => typeof r.email === 'string' && typeof r.payment_methods === 'object',
    );
    const orders = await this.readRecords(
      'orders.json',
      'order_id',
      (r, id) => r.order_id === id && typeof r.user_id === 'string' && Array.isArray(r.items),
    );
    const products = await this.readRecords(
      'products.json',
      'product_id',
      (r, id) => r.product_id === id && typeof r.variants === 'object',
    );
    return {
      users: users.text,
      orders: orders.text,
      products: products.text,
      counts: { users: users.count, orders: orders.count, products: products.count },
    };
  }

  /** Reads one data file and checks it is tau-retail's shape: an object of records keyed by id. */
  private async readRecords(
    name: string,
    key: string,
    looksRight: (record: Record<string, unknown>, id: string) => boolean,
  ): Promise<{ text: string; count: number }> {
    const file = path.join(this.dataDir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read ${file} (${(error as Error).message}); point REFERENCE_DATA_DIR at the tau-retail folder holding users.json, orders.json and products.json`,
      );
    }
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not JSON (${(error as Error).message}); restore it from the tau-bench retail data`);
    }
    const entries = typeof records === 'object' && records !== null && !Array.isArray(records) ? Object.entries(records) : [];
    const wrong = entries.find(([id, r]) => typeof r !== 'object' || r === null || !looksRight(r as Record<string, unknown>, id));
    if (entries.length === 0 || wrong) {
      throw new Error(
        `${file} is not tau-retail's ${name} (expected an object of records keyed by ${key}${wrong ? `; record "${wrong[0]}" does not fit` : ''}); restore it from the tau-bench retail data`,
      );
    }
    return { text, count: entries.length };
  }
}
