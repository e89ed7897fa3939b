// For the integration service's tests: a fresh database holding the integration schema, and the
// pristine tau-retail records to choose test cases from (read from the shared data, not copied).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger } from '@switchboard/testing';
import { DEFAULT_REFERENCE_DATA_DIR } from '../src/config';
import { integrationDatabase, referenceSystemOn, type ReferenceSystem } from '../src/reference-system';
import { ReferenceSealing } from '../src/reference/reference-sealing';
import type { Order, Product, User } from '../src/reference/retail-records';

export const referenceDataDir = process.env.REFERENCE_DATA_DIR ?? DEFAULT_REFERENCE_DATA_DIR;

const read = <T>(name: string): Record<string, T> => JSON.parse(readFileSync(path.join(referenceDataDir, name), 'utf8'));

export const pristine = { users: read<User>('users.json'), orders: read<Order>('orders.json'), products: read<Product>('products.json') };

export interface TestReferenceSystem extends ReferenceSystem {
  db: DataSource;
  sealing: ReferenceSealing;
}

/** The development keys, with encryption on (as outside tests), so tests see what is stored for real. */
export const testSealing = () =>
  ReferenceSealing.fromConfig({
    NODE_ENV: 'test',
    ENCRYPTION_KEYS: '',
    ENCRYPTION_KEY_CURRENT: '',
    ENCRYPTION_KEY_FILE: '',
    ENCRYPTION_AT_REST: 'on',
    BLIND_INDEX_KEY: '',
  });

/** Opens the reference system on a database of its own; `close()` drops it. */
export async function openTestReferenceSystem(): Promise<TestReferenceSystem> {
  const database = await createTestDatabase();
  const db = await openDatabase({ ...integrationDatabase, url: database.url }, quietLogger('integration'));
  const sealing = testSealing();
  const system = referenceSystemOn(db, sealing, referenceDataDir);
  return {
    ...system,
    db,
    sealing,
    close: async () => {
      await system.close();
      await database.drop();
    },
  };
}

/** The first pristine order that fits, so a test states what it needs rather than an id. */
export function anOrder(fits: (order: Order, owner: User) => boolean, what: string): Order {
  const order = Object.values(pristine.orders).find((o) => fits(o, pristine.users[o.user_id]));
  if (!order) throw new Error(`the tau-retail data has no ${what}`);
  return structuredClone(order);
}

export const paidWith = (order: Order, source: string) => order.payment_history[0].payment_method_id.startsWith(source);
