// One tenant's reference records inside one transaction: every statement is scoped by tenant_id,
// so a company's data never mixes with another's. User and order documents are stored encrypted
// (reference-sealing.ts); lookups by email or name and zip go through their blind indexes.
import { CryptoError } from '@switchboard/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReferenceSealing } from './reference-sealing';
import type { Order, Product, User } from './retail-records';

type Row<T> = Array<{ document: T }>;

export class ReferenceRepository {
  /** `lockRows`: users and orders read are held until the transaction ends, so concurrent changes queue behind them. */
  constructor(
    private readonly db: EntityManager,
    private readonly sealing: ReferenceSealing,
    private readonly tenantId: string,
    private readonly lockRows = false,
  ) {}

  async user(userId: string): Promise<User | undefined> {
    const rows: Row<string> = await this.db.query(
      `select document from integration.users where tenant_id = $1 and user_id = $2${this.forUpdate}`,
      [this.tenantId, userId],
    );
    return rows[0] && this.sealing.openUser(this.tenantId, userId, rows[0].document);
  }

  async order(orderId: string): Promise<Order | undefined> {
    const rows: Row<string> = await this.db.query(
      `select document from integration.orders where tenant_id = $1 and order_id = $2${this.forUpdate}`,
      [this.tenantId, orderId],
    );
    return rows[0] && this.sealing.openOrder(this.tenantId, orderId, rows[0].document);
  }

  private get forUpdate(): string {
    return this.lockRows ? ' for update' : '';
  }

  async product(productId: string): Promise<Product | undefined> {
    const rows: Row<Product> = await this.db.query('select document from integration.products where tenant_id = $1 and product_id = $2', [
      this.tenantId,
      productId,
    ]);
    return rows[0]?.document;
  }

  async products(): Promise<Product[]> {
    const rows: Row<Product> = await this.db.query('select document from integration.products where tenant_id = $1 order by product_id', [
      this.tenantId,
    ]);
    return rows.map((r) => r.document);
  }

  async userIdByEmail(email: string): Promise<string | undefined> {
    const rows: Array<{ user_id: string }> = await this.db.query(
      'select user_id from integration.users where tenant_id = $1 and email_index = $2 order by user_id limit 1',
      [this.tenantId, this.sealing.emailIndex(this.tenantId, email)],
    );
    return rows[0]?.user_id;
  }

  async userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    const rows: Array<{ user_id: string }> = await this.db.query(
      'select user_id from integration.users where tenant_id = $1 and name_zip_index = $2 order by user_id limit 1',
      [this.tenantId, this.sealing.nameZipIndex(this.tenantId, firstName, lastName, zip)],
    );
    return rows[0]?.user_id;
  }

  /** Also refreshes the blind indexes: an address change moves the user's zip. */
  async saveUser(userId: string, user: User): Promise<void> {
    const { emailIndex, nameZipIndex } = this.sealing.userIndexes(this.tenantId, user);
    await this.db.query(
      'update integration.users set document = $3, email_index = $4, name_zip_index = $5 where tenant_id = $1 and user_id = $2',
      [this.tenantId, userId, this.sealing.sealUser(this.tenantId, userId, JSON.stringify(user)), emailIndex, nameZipIndex],
    );
  }

  async saveOrder(order: Order): Promise<void> {
    await this.db.query('update integration.orders set document = $3 where tenant_id = $1 and order_id = $2', [
      this.tenantId,
      order.order_id,
      this.sealing.sealOrder(this.tenantId, order.order_id, JSON.stringify(order)),
    ]);
  }
}

export interface SealedLegacyRows {
  users: number;
  orders: number;
  /** Rows whose document could not be decrypted (unknown key, altered): left as they are. */
  unreadable: Array<{ tenantId: string; id: string; error: string }>;
}

const LEGACY_BATCH = 500;

export class ReferenceStore {
  constructor(
    private readonly db: DataSource,
    readonly sealing: ReferenceSealing,
  ) {}

  /** Runs a change against one tenant's records in one Postgres transaction, locking what it reads. */
  transaction<T>(tenantId: string, work: (records: ReferenceRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(new ReferenceRepository(manager, this.sealing, tenantId, true)));
  }

  /** One tenant's records for reads that need no transaction (each read is one statement). */
  reader(tenantId: string): ReferenceRepository {
    return new ReferenceRepository(this.db.manager, this.sealing, tenantId);
  }

  /**
   * Rows from before encryption (migration 1768000000000 kept their plaintext documents and left
   * their blind indexes empty, having no keys): gives users their indexes, so lookups find them,
   * and encrypts users' and orders' documents. Runs at start-up; each update checks the document it
   * read, so replicas doing it at once, or a change meanwhile, lose nothing.
   */
  async sealLegacyRows(): Promise<SealedLegacyRows> {
    const result: SealedLegacyRows = { users: 0, orders: 0, unreadable: [] };
    await this.eachLegacyRow('users', 'user_id', 'email_index is null', result, async (tenantId, id, document) => {
      const user = this.sealing.openUser(tenantId, id, document, { legacy: true });
      const { emailIndex, nameZipIndex } = this.sealing.userIndexes(tenantId, user);
      await this.db.query(
        'update integration.users set document = $3, email_index = $4, name_zip_index = $5 where tenant_id = $1 and user_id = $2 and document = $6',
        [tenantId, id, this.sealing.sealUser(tenantId, id, JSON.stringify(user)), emailIndex, nameZipIndex, document],
      );
      result.users += 1;
    });
    // With ENCRYPTION_AT_REST=off, plaintext orders are what was asked for.
    if (!this.sealing.cipher.encryptWrites) return result;
    await this.eachLegacyRow('orders', 'order_id', `left(document, 4) <> 'enc:'`, result, async (tenantId, id, document) => {
      const json = JSON.stringify(this.sealing.openOrder(tenantId, id, document, { legacy: true }));
      await this.db.query('update integration.orders set document = $3 where tenant_id = $1 and order_id = $2 and document = $4', [
        tenantId,
        id,
        this.sealing.sealOrder(tenantId, id, json),
        document,
      ]);
      result.orders += 1;
    });
    return result;
  }

  private async eachLegacyRow(
    table: 'users' | 'orders',
    idColumn: 'user_id' | 'order_id',
    legacy: string,
    result: SealedLegacyRows,
    seal: (tenantId: string, id: string, document: string) => Promise<void>,
  ): Promise<void> {
    let cursor: [string, string] = ['', ''];
    for (;;) {
      const rows: Array<{ tenant_id: string; id: string; document: string }> = await this.db.query(
        `select tenant_id, ${idColumn} as id, document from integration.${table} where ${legacy} and (tenant_id, ${idColumn}) > ($1, $2) order by tenant_id, ${idColumn} limit $3`,
        [...cursor, LEGACY_BATCH],
      );
      for (const row of rows) {
        try {
          await seal(row.tenant_id, row.id, row.document);
        } catch (error) {
          if (!(error instanceof CryptoError)) throw error;
          result.unreadable.push({ tenantId: row.tenant_id, id: row.id, error: error.message });
        }
      }
      if (rows.length < LEGACY_BATCH) return;
      cursor = [rows[rows.length - 1].tenant_id, rows[rows.length - 1].id];
    }
  }
}
