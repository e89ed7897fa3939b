// Seeding: start-up fills only empty tenants and keeps what happened since; a reset puts the
// pristine data back; a wrong data folder says which variable to fix.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { anOrder, openTestReferenceSystem, type TestReferenceSystem } from '../../test/reference-fixture';
import { OPERATOR } from '../tools/operation-scope';
import type { Order } from './retail-records';
import { ReferenceSeeder } from './reference.seeder';

let system: TestReferenceSystem;

beforeAll(async () => {
  system = await openTestReferenceSystem();
});
afterAll(() => system?.close());

const order = anOrder((o) => o.status === 'pending', 'pending order');
const status = async () => {
  const outcome = await system.tools.call('shop', 'get_order_details', { order_id: order.order_id }, OPERATOR);
  return outcome.ok ? (outcome.result as Order).status : outcome.error;
};

it('seeds an empty tenant once, keeps later changes, and resets to the pristine data', async () => {
  await expect(system.seeder.seedIfEmpty('shop')).resolves.toEqual({ users: 500, orders: 1000, products: 50 });
  await system.tools.call('shop', 'cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' }, OPERATOR);

  await expect(system.seeder.seedIfEmpty('shop')).resolves.toBeUndefined();
  expect(await status()).toBe('cancelled');

  await expect(system.seeder.seedReferenceData('shop')).resolves.toEqual({ users: 500, orders: 1000, products: 50 });
  expect(await status()).toBe('pending');
  await expect(system.seeder.counts('shop')).resolves.toEqual({ users: 500, orders: 1000, products: 50 });
});

it('names the variable to fix when the data folder is wrong', async () => {
  const missing = new ReferenceSeeder(system.db, system.sealing, '/nonexistent/tau-retail');
  await expect(missing.seedReferenceData('other')).rejects.toThrow(
    /cannot read \/nonexistent\/tau-retail\/users\.json .*point REFERENCE_DATA_DIR at the tau-retail folder/,
  );

  const wrong = mkdtempSync(path.join(tmpdir(), 'tau-retail-'));
  for (const name of ['users.json', 'orders.json', 'products.json']) writeFileSync(path.join(wrong, name), '[]');
  await expect(new ReferenceSeeder(system.db, system.sealing, wrong).seedReferenceData('other')).rejects.toThrow(
    /users\.json is not tau-retail's users\.json/,
  );
});
