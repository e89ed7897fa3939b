// One contract, run against every order system: the reference system in Postgres and the HTTP
// connector pointed at a stand-in company API serving the same tau-retail data in its own shape.
// Same calls, same results, same refusals; and a change is visible to the next read, cache or not.
import { anOrder, openTestReferenceSystem, paidWith, pristine, type TestReferenceSystem } from '../../test/reference-fixture';
import { connectTenant, type ConnectedTenant } from '../../test/connector-fixture';
import { startExternalCrm, type ExternalCrm } from '../../test/external-crm.server';
import type { Order, User } from '../reference/retail-records';
import { customerProfile } from '../tools/customer-profile';
import type { Caller } from '../tools/operation-scope';
import type { ToolService } from '../tools/tool.service';

let reference: TestReferenceSystem;
let api: ExternalCrm;
let connected: ConnectedTenant;
const REFERENCE_TENANT = 'contract';

beforeAll(async () => {
  reference = await openTestReferenceSystem();
  await reference.seeder.seedReferenceData(REFERENCE_TENANT);
  api = await startExternalCrm();
  connected = await connectTenant(reference.store, api.url);
});
afterAll(async () => {
  await connected?.close();
  await api?.close();
  await reference?.close();
});

const implementations: Array<[string, () => { tools: ToolService; tenantId: string }]> = [
  ['reference system', () => ({ tools: reference.tools, tenantId: REFERENCE_TENANT })],
  ['HTTP connector', () => connected],
];

describe.each(implementations)('%s', (_name, system) => {
  const customer = (verifiedUserId: string, confirmed = false): Caller => ({ kind: 'customer', verifiedUserId, confirmed });
  const call = (operation: string, args: object, caller: Caller) => system().tools.call(system().tenantId, operation, args, caller);
  const result = async <T>(operation: string, args: object, caller: Caller): Promise<T> => {
    const outcome = await call(operation, args, caller);
    if (!outcome.ok) throw new Error(`${operation} was refused: ${outcome.error}`);
    return outcome.result as T;
  };
  const refusal = async (operation: string, args: object, caller: Caller) => {
    const outcome = await call(operation, args, caller);
    return outcome.ok ? 'accepted' : outcome.error;
  };

  const order = anOrder((o) => o.status === 'delivered', 'delivered order');
  const owner = order.user_id;
  const product = pristine.products[order.items[0].product_id];

  it('reads users, orders and products as tau-retail records', async () => {
    await expect(result('get_user_details', { user_id: owner }, customer(owner))).resolves.toEqual(pristine.users[owner]);
    await expect(result('get_order_details', { order_id: order.order_id }, customer(owner))).resolves.toEqual(
      pristine.orders[order.order_id],
    );
    await expect(result('get_product_details', { product_id: product.product_id }, customer(''))).resolves.toEqual(product);
    const types = await result<Record<string, string>>('list_all_product_types', {}, customer(''));
    expect(Object.keys(types)).toHaveLength(50);
    expect(types[product.name]).toBe(product.product_id);
  });

  it('finds user ids by email (any case) and by name and zip', async () => {
    const user = pristine.users[owner];
    await expect(result('find_user_id_by_email', { email: user.email.toUpperCase() }, customer(''))).resolves.toBe(owner);
    await expect(
      result(
        'find_user_id_by_name_zip',
        { first_name: user.name.first_name, last_name: user.name.last_name, zip: user.address.zip },
        customer(''),
      ),
    ).resolves.toBe(owner);
    await expect(refusal('find_user_id_by_email', { email: 'nobody@example.com' }, customer(''))).resolves.toBe('Error: user not found');
  });

  it("refuses what does not exist and what is another customer's, with the same messages", async () => {
    const stranger = Object.keys(pristine.users).find((id) => id !== owner)!;
    await expect(refusal('get_order_details', { order_id: '#W0000000' }, customer(owner))).resolves.toBe('Error: order not found');
    await expect(refusal('get_product_details', { product_id: '0' }, customer(''))).resolves.toBe('Error: product not found');
    await expect(refusal('get_order_details', { order_id: order.order_id }, customer(stranger))).resolves.toBe(
      'order belongs to another customer',
    );
    await expect(refusal('get_customer_profile', { user_id: owner }, customer(stranger))).resolves.toBe(
      'account belongs to another customer',
    );
    await expect(refusal('get_customer_profile', { user_id: owner }, customer(''))).resolves.toMatch(/^identity not verified: /);
  });

  it('builds the customer profile from the order history', async () => {
    const user = pristine.users[owner];
    const expected = customerProfile(
      owner,
      user,
      user.orders.map((id) => pristine.orders[id]),
    );
    await expect(result('get_customer_profile', { user_id: owner }, customer(owner))).resolves.toEqual(expected);
  });

  it('cancels an order, and the next reads show the change rather than a cached copy', async () => {
    const pending = anOrder((o) => o.status === 'pending' && paidWith(o, 'gift_card'), 'pending order paid by gift card');
    const me = customer(pending.user_id, true);
    const card = pending.payment_history[0].payment_method_id;
    const balanceOf = (user: User) => (user.payment_methods[card] as { balance: number }).balance;
    // Read first, so a caching implementation holds the old order and account.
    const before = await result<User>('get_user_details', { user_id: pending.user_id }, me);
    expect((await result<Order>('get_order_details', { order_id: pending.order_id }, me)).status).toBe('pending');

    const cancelled = await result<Order>('cancel_pending_order', { order_id: pending.order_id, reason: 'ordered by mistake' }, me);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: 'ordered by mistake' });
    expect(cancelled.payment_history.at(-1)).toEqual({
      transaction_type: 'refund',
      amount: pending.payment_history[0].amount,
      payment_method_id: card,
    });

    await expect(result<Order>('get_order_details', { order_id: pending.order_id }, me)).resolves.toEqual(cancelled);
    const after = await result<User>('get_user_details', { user_id: pending.user_id }, me);
    expect(balanceOf(after)).toBeCloseTo(balanceOf(before) + pending.payment_history[0].amount, 2);
    await expect(refusal('cancel_pending_order', { order_id: pending.order_id, reason: 'no longer needed' }, me)).resolves.toBe(
      'Error: non-pending order cannot be cancelled',
    );
  });
});
