// The rules the service holds every conversation to: verified identity for account operations,
// the customer's own records only, explicit confirmation for state changes, one tenant's data
// per call, and arguments that match the published schema.
import { anOrder, openTestReferenceSystem, pristine, type TestReferenceSystem } from '../../test/reference-fixture';
import type { Order } from '../reference/retail-records';
import type { Caller } from './operation-scope';
import { describeTools } from './tool.service';

let system: TestReferenceSystem;

beforeAll(async () => {
  system = await openTestReferenceSystem();
  await system.seeder.seedReferenceData('acme');
});
afterAll(() => system?.close());

const order = anOrder((o) => o.status === 'pending', 'pending order');
const owner = order.user_id;
const stranger = Object.keys(pristine.users).find((id) => id !== owner)!;
const customer = (verifiedUserId: string, confirmed = false): Caller => ({ kind: 'customer', verifiedUserId, confirmed });
const call = (operation: string, args: unknown, caller: Caller, tenantId = 'acme') => system.tools.call(tenantId, operation, args, caller);
const statusNow = async () => {
  const outcome = await call('get_order_details', { order_id: order.order_id }, { kind: 'operator' });
  return outcome.ok ? (outcome.result as Order).status : outcome.error;
};

describe('identity and confirmation', () => {
  it('answers lookups without a verified identity', async () => {
    const anonymous = customer('');
    await expect(call('find_user_id_by_email', { email: pristine.users[owner].email }, anonymous)).resolves.toEqual({
      ok: true,
      result: owner,
    });
    await expect(call('list_all_product_types', {}, anonymous)).resolves.toMatchObject({ ok: true });
    await expect(call('get_product_details', { product_id: order.items[0].product_id }, anonymous)).resolves.toMatchObject({ ok: true });
    await expect(call('calculate', { expression: '1 + 1' }, anonymous)).resolves.toEqual({ ok: true, result: 2 });
    await expect(call('transfer_to_human_agents', { summary: 'angry' }, anonymous)).resolves.toEqual({
      ok: true,
      result: 'Transfer successful',
    });
  });

  it('refuses account operations until the identity is verified', async () => {
    await expect(call('get_order_details', { order_id: order.order_id }, customer(''))).resolves.toEqual({
      ok: false,
      error:
        "identity not verified: get_order_details needs the customer's user id, found first with find_user_id_by_email or find_user_id_by_name_zip",
    });
    await expect(call('get_user_details', { user_id: owner }, customer(''))).resolves.toMatchObject({
      ok: false,
      error: expect.stringMatching(/^identity not verified: /),
    });
    await expect(
      call('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' }, customer('', true)),
    ).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/^identity not verified: /) });
    await expect(call('get_order_details', { order_id: order.order_id }, customer(owner))).resolves.toEqual({
      ok: true,
      result: pristine.orders[order.order_id],
    });
  });

  it("refuses another customer's orders and account", async () => {
    await expect(call('get_order_details', { order_id: order.order_id }, customer(stranger))).resolves.toEqual({
      ok: false,
      error: 'order belongs to another customer',
    });
    await expect(call('get_user_details', { user_id: owner }, customer(stranger))).resolves.toEqual({
      ok: false,
      error: 'account belongs to another customer',
    });
    await expect(
      call('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' }, customer(stranger, true)),
    ).resolves.toEqual({ ok: false, error: 'order belongs to another customer' });
    const address = { ...pristine.users[stranger].address, address1: '1 Elsewhere' };
    await expect(call('modify_user_address', { user_id: owner, ...address }, customer(stranger, true))).resolves.toEqual({
      ok: false,
      error: 'account belongs to another customer',
    });
    expect(await statusNow()).toBe('pending');
  });

  it("cannot route money to another customer's payment method", async () => {
    const strangersCard = Object.keys(pristine.users[stranger].payment_methods)[0];
    const delivered = anOrder((o) => o.status === 'delivered', 'delivered order');
    await expect(
      call(
        'return_delivered_order_items',
        { order_id: delivered.order_id, item_ids: [delivered.items[0].item_id], payment_method_id: strangersCard },
        customer(delivered.user_id, true),
      ),
    ).resolves.toEqual({ ok: false, error: 'Error: payment method not found' });
  });

  it("refuses a state change without the customer's confirmation, then makes it with one", async () => {
    const args = { order_id: order.order_id, reason: 'no longer needed' };
    await expect(call('cancel_pending_order', args, customer(owner, false))).resolves.toEqual({
      ok: false,
      error:
        "cancel_pending_order needs the customer's explicit confirmation: list the action details, get a yes, then call again with confirmed set",
    });
    expect(await statusNow()).toBe('pending');
    await expect(call('cancel_pending_order', args, customer(owner, true))).resolves.toMatchObject({
      ok: true,
      result: { status: 'cancelled' },
    });
    expect(await statusNow()).toBe('cancelled');
  });
});

describe('tenant isolation', () => {
  it("never shows or changes one tenant's records through another", async () => {
    const operator: Caller = { kind: 'operator' };
    const other = anOrder((o) => o.status === 'pending' && o.order_id !== order.order_id, 'second pending order');
    const statusIn = async (tenantId: string) => {
      const outcome = await call('get_order_details', { order_id: other.order_id }, operator, tenantId);
      return outcome.ok ? (outcome.result as Order).status : outcome.error;
    };
    await expect(
      call('cancel_pending_order', { order_id: other.order_id, reason: 'no longer needed' }, operator, 'acme'),
    ).resolves.toMatchObject({ ok: true });

    expect(await statusIn('globex')).toBe('Error: order not found');
    await expect(call('find_user_id_by_email', { email: pristine.users[owner].email }, customer(''), 'globex')).resolves.toEqual({
      ok: false,
      error: 'Error: user not found',
    });
    await system.seeder.seedReferenceData('globex');
    expect(await statusIn('globex')).toBe('pending');
    expect(await statusIn('acme')).toBe('cancelled');
    await expect(system.seeder.counts('globex')).resolves.toEqual({ users: 500, orders: 1000, products: 50 });
  });
});

describe('arguments', () => {
  const operator: Caller = { kind: 'operator' };
  const refusal = async (operation: string, args: unknown) => {
    const outcome = await call(operation, args, operator);
    return outcome.ok ? 'accepted' : outcome.error;
  };

  it('are checked against the schema, naming the field', async () => {
    await expect(refusal('cancel_pending_order', { order_id: order.order_id, reason: 'changed my mind' })).resolves.toBe(
      'invalid arguments for cancel_pending_order: "reason" must be one of "no longer needed", "ordered by mistake"',
    );
    await expect(refusal('get_order_details', {})).resolves.toBe('invalid arguments for get_order_details: "order_id" is required');
    await expect(refusal('get_order_details', { order_id: 2378156 })).resolves.toBe(
      'invalid arguments for get_order_details: "order_id" must be a string',
    );
    await expect(refusal('get_order_details', { orderId: order.order_id })).resolves.toBe(
      'invalid arguments for get_order_details: "orderId" is not an argument of this operation; "order_id" is required',
    );
    const items = { order_id: order.order_id, new_item_ids: ['1'], payment_method_id: 'x' };
    await expect(refusal('modify_pending_order_items', { ...items, item_ids: '1' })).resolves.toBe(
      'invalid arguments for modify_pending_order_items: "item_ids" must be an array of strings',
    );
    await expect(refusal('modify_pending_order_items', { ...items, item_ids: [1] })).resolves.toBe(
      'invalid arguments for modify_pending_order_items: "item_ids[0]" must be a string',
    );
    await expect(refusal('return_delivered_order_items', { order_id: order.order_id, item_ids: [], payment_method_id: 'x' })).resolves.toBe(
      'invalid arguments for return_delivered_order_items: "item_ids" must hold at least 1 item',
    );
    await expect(refusal('list_all_product_types', { constructor: 'x' })).resolves.toBe(
      'invalid arguments for list_all_product_types: "constructor" is not an argument of this operation',
    );
    await expect(refusal('list_all_product_types', [])).resolves.toBe(
      'invalid arguments for list_all_product_types: arguments must be a JSON object',
    );
    await expect(refusal('drop_all_orders', {})).resolves.toMatch(
      /^unknown operation "drop_all_orders"; the operations are find_user_id_by_email, /,
    );
  });
});

describe('tool definitions', () => {
  it('publish every operation with a strict JSON Schema, marking the state changes as consequential', () => {
    const tools = describeTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'calculate',
      'cancel_pending_order',
      'exchange_delivered_order_items',
      'find_user_id_by_email',
      'find_user_id_by_name_zip',
      'get_customer_profile',
      'get_order_details',
      'get_product_details',
      'get_user_details',
      'list_all_product_types',
      'modify_pending_order_address',
      'modify_pending_order_items',
      'modify_pending_order_payment',
      'modify_user_address',
      'return_delivered_order_items',
      'transfer_to_human_agents',
    ]);
    expect(
      tools
        .filter((t) => t.consequential)
        .map((t) => t.name)
        .sort(),
    ).toEqual([
      'cancel_pending_order',
      'exchange_delivered_order_items',
      'modify_pending_order_address',
      'modify_pending_order_items',
      'modify_pending_order_payment',
      'modify_user_address',
      'return_delivered_order_items',
    ]);
    for (const tool of tools) {
      expect(tool.parameters).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: Object.keys(tool.parameters.properties),
      });
      expect(tool.description.length).toBeGreaterThan(20);
    }
    expect(tools.find((t) => t.name === 'cancel_pending_order')!.parameters.properties.reason).toMatchObject({
      enum: ['no longer needed', 'ordered by mistake'],
    });
  });
});
