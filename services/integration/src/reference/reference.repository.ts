// One tenant's reference records inside one transaction: every statement is scoped by tenant_id,
// so a company's data never mixes with another's.
import type { DataSource, EntityManager } from 'typeorm';
import type { Order, Product, User } from './retail-records';

type Row<T> = Array<{ document: T }>;

export class ReferenceRepository {
  /** `lockRows`: users and orders read are held until the transaction ends, so concurrent changes queue behind them. */
  constructor(private readonly db: EntityManager, private readonly tenantId: string, private readonly lockRows = false) {}

  async user(userId: string): Promise<User | undefined> {
    const rows: Row<User> = await this.db.query(`select document from integration.users where tenant_id = $1 and user_id = $2${this.forUpdate}`, [this.tenantId, userId]);
    return rows[0]?.document;
  }

  async order(orderId: string): Promise<Order | undefined> {
    const rows: Row<Order> = await this.db.query(`select document from integration.orders where tenant_id = $1 and order_id = $2${this.forUpdate}`, [this.tenantId, orderId]);
    return rows[0]?.document;
  }

  private get forUpdate(): string {
    return this.lockRows ? ' for update' : '';
  }

  async product(productId: string): Promise<Product | undefined> {
    const rows: Row<Product> = await this.db.query('select document from integration.products where tenant_id = $1 and product_id = $2', [this.tenantId, productId]);
    return rows[0]?.document;
  }

  async products(): Promise<Product[]> {
    const rows: Row<Product> = await this.db.query('select document from integration.products where tenant_id = $1 order by product_id', [this.tenantId]);
    return rows.map((r) => r.document);
  }

  async userIdByEmail(email: string): Promise<string | undefined> {
    const rows: Array<{ user_id: string }> = await this.db.query(
      `select user_id from integration.users where tenant_id = $1 and lower(document->>'email') = lower($2) order by user_id limit 1`,
      [this.tenantId, email],
    );
    return rows[0]?.user_id;
  }

  async userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    const rows: Array<{ user_id: string }> = await this.db.query(
      `select user_id from integration.users
        where tenant_id = $1 and lower(document->'name'->>'first_name') = lower($2) and lower(document->'name'->>'last_name') = lower($3)
          and document->'address'->>'zip' = $4
        order by user_id limit 1`,
      [this.tenantId, firstName, lastName, zip],
    );
    return rows[0]?.user_id;
  }

  async saveUser(userId: string, user: User): Promise<void> {
    await this.db.query('update integration.users set document = $3 where tenant_id = $1 and user_id = $2', [this.tenantId, userId, JSON.stringify(user)]);
  }

  async saveOrder(order: Order): Promise<void> {
    await this.db.query('update integration.orders set document = $3 where tenant_id = $1 and order_id = $2', [this.tenantId, order.order_id, JSON.stringify(order)]);
  }
}

export class ReferenceStore {
  constructor(private readonly db: DataSource) {}

  /** Runs a change against one tenant's records in one Postgres transaction, locking what it reads. */
  transaction<T>(tenantId: string, work: (records: ReferenceRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new ReferenceRepository(manager, tenantId, true)));
  }

  /** One tenant's records for reads that need no transaction (each read is one statement). */
  reader(tenantId: string): ReferenceRepository {
    return new ReferenceRepository(this.db.manager, tenantId);
  }
}
