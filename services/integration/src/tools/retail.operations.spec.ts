// The tau-bench retail semantics, run with operator authority against real Postgres: results are
// tau-retail records, refusals carry tau-bench's messages, and state changes land in the database.
import { anOrder, openTestReferenceSystem, paidWith, pristine, type TestReferenceSystem } from '../../test/reference-fixture';
import type { Order, OrderItem, PaymentMethod, User, Variant } from '../reference/retail-records';
import { OPERATOR } from './operation-scope';

const TENANT = 'shop';
let system: TestReferenceSystem;

beforeAll(async () => {
  system = await openTestReferenceSystem();
});
afterAll(() => system?.close());
beforeEach(() => system.seeder.seedReferenceData(TENANT));

async function ok<T>(operation: string, args: object): Promise<T> {
  const outcome = await system.tools.call(TENANT, operation, args, OPERATOR);
  if (!outcome.ok) throw new Error(`${operation} was refused: ${outcome.error}`);
  return outcome.result as T;
}

async function refusal(operation: string, args: object): Promise<string> {
  const outcome = await system.tools.call(TENANT, operation, args, OPERATOR);
  if (outcome.ok) throw new Error(`${operation} succeeded: ${JSON.stringify(outcome.result)}`);
  return outcome.error;
}

const orderNow = (order: Order) => ok<Order>('get_order_details', { order_id: order.order_id });
const userNow = (userId: string) => ok<User>('get_user_details', { user_id: userId });
const giftCardsOf = (user: User) =>
  Object.values(user.payment_methods).filter((m): m is Extract<PaymentMethod, { source: 'gift_card' }> => m.source === 'gift_card');

/** Another available item of the same product, for modify and exchange. */
function otherVariant(item: OrderItem, fits: (v: Variant) => boolean = () => true): Variant | undefined {
  return Object.values(pristine.products[item.product_id].variants).find((v) => v.available && v.item_id !== item.item_id && fits(v));
}
const cents = (n: number) => Math.round(n * 100) / 100;

describe('lookups', () => {
  const [userId, user] = Object.entries(pristine.users)[0];

  it('finds a user id by email, ignoring case, and by name and zip', async () => {
    await expect(ok('find_user_id_by_email', { email: user.email.toUpperCase() })).resolves.toBe(userId);
    await expect(
      ok('find_user_id_by_name_zip', {
        first_name: user.name.first_name.toLowerCase(),
        last_name: user.name.last_name,
        zip: user.address.zip,
      }),
    ).resolves.toBe(userId);
    await expect(refusal('find_user_id_by_email', { email: 'nobody@example.com' })).resolves.toBe('Error: user not found');
    await expect(
      refusal('find_user_id_by_name_zip', { first_name: user.name.first_name, last_name: user.name.last_name, zip: '00000' }),
    ).resolves.toBe('Error: user not found');
  });

  it('returns users, orders and products exactly as tau-retail records them, field order included', async () => {
    const order = Object.values(pristine.orders)[0];
    const product = Object.values(pristine.products)[0];
    expect(JSON.stringify(await userNow(userId))).toBe(JSON.stringify(user));
    expect(JSON.stringify(await orderNow(order))).toBe(JSON.stringify(order));
    expect(JSON.stringify(await ok('get_product_details', { product_id: product.product_id }))).toBe(JSON.stringify(product));
    await expect(refusal('get_order_details', { order_id: 'W0000000' })).resolves.toBe('Error: order not found');
    await expect(refusal('get_product_details', { product_id: '0' })).resolves.toBe('Error: product not found');
  });

  it('lists the 50 product types by name', async () => {
    const types = await ok<Record<string, string>>('list_all_product_types', {});
    expect(Object.keys(types)).toHaveLength(50);
    expect(Object.keys(types)).toEqual([...Object.keys(types)].sort());
    for (const product of Object.values(pristine.products)) expect(types[product.name]).toBe(product.product_id);
  });

  it('calculates and acknowledges a transfer', async () => {
    await expect(ok('calculate', { expression: '(1819.92 - 342.81) / 3' })).resolves.toBe(492.37);
    await expect(ok('transfer_to_human_agents', { summary: 'wants a refund in cash' })).resolves.toBe('Transfer successful');
  });
});

describe('cancel_pending_order', () => {
  it('cancels a pending order paid by gift card, refunding the card at once', async () => {
    const order = anOrder((o) => o.status === 'pending' && paidWith(o, 'gift_card'), 'pending order paid by gift card');
    const [payment] = order.payment_history;
    const balanceBefore = giftCardsOf(pristine.users[order.user_id]).find((c) => c.id === payment.payment_method_id)!.balance;

    const cancelled = await ok<Order>('cancel_pending_order', { order_id: order.order_id, reason: 'ordered by mistake' });

    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancel_reason).toBe('ordered by mistake');
    expect(cancelled.payment_history).toEqual([
      payment,
      { transaction_type: 'refund', amount: payment.amount, payment_method_id: payment.payment_method_id },
    ]);
    expect(await orderNow(order)).toEqual(cancelled);
    const card = giftCardsOf(await userNow(order.user_id)).find((c) => c.id === payment.payment_method_id)!;
    expect(card.balance).toBe(cents(balanceBefore + payment.amount));
  });

  it("refunds a card payment to the card, leaving the customer's payment methods alone", async () => {
    const order = anOrder((o) => o.status === 'pending' && paidWith(o, 'credit_card'), 'pending order paid by credit card');
    const cancelled = await ok<Order>('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' });
    expect(cancelled.payment_history.at(-1)).toEqual({
      transaction_type: 'refund',
      amount: order.payment_history[0].amount,
      payment_method_id: order.payment_history[0].payment_method_id,
    });
    expect((await userNow(order.user_id)).payment_methods).toEqual(pristine.users[order.user_id].payment_methods);
  });

  it('refuses a delivered order and changes nothing', async () => {
    const order = anOrder((o) => o.status === 'delivered', 'delivered order');
    await expect(refusal('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' })).resolves.toBe(
      'Error: non-pending order cannot be cancelled',
    );
    expect(await orderNow(order)).toEqual(order);
  });

  it('after a payment change, refunds what the new method paid, once', async () => {
    const order = anOrder(
      (o, u) =>
        o.status === 'pending' && paidWith(o, 'gift_card') && Object.values(u.payment_methods).some((m) => m.source !== 'gift_card'),
      'pending gift-card order whose owner has a card or PayPal',
    );
    const [payment] = order.payment_history;
    const other = Object.values(pristine.users[order.user_id].payment_methods).find((m) => m.source !== 'gift_card')!;
    await ok('modify_pending_order_payment', { order_id: order.order_id, payment_method_id: other.id });
    const cancelled = await ok<Order>('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' });
    expect(cancelled.payment_history.slice(3)).toEqual([
      { transaction_type: 'refund', amount: payment.amount, payment_method_id: other.id },
    ]);
  });

  it('lets exactly one of eight concurrent cancellations succeed', async () => {
    const order = anOrder((o) => o.status === 'pending' && paidWith(o, 'gift_card'), 'pending order paid by gift card');
    const [payment] = order.payment_history;
    const balanceBefore = giftCardsOf(pristine.users[order.user_id]).find((c) => c.id === payment.payment_method_id)!.balance;
    const args = { order_id: order.order_id, reason: 'no longer needed' };
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(() => system.tools.call(TENANT, 'cancel_pending_order', args, OPERATOR)),
    );
    expect(outcomes.map((o) => (o.ok ? 'cancelled' : o.error)).sort()).toEqual([
      ...Array(7).fill('Error: non-pending order cannot be cancelled'),
      'cancelled',
    ]);
    expect(giftCardsOf(await userNow(order.user_id)).find((c) => c.id === payment.payment_method_id)!.balance).toBe(
      cents(balanceBefore + payment.amount),
    );
  });
});

describe('modify_pending_order_items', () => {
  const pendingWithOtherOption = (payWithGiftCard: boolean) =>
    anOrder(
      (o, u) => o.status === 'pending' && !!otherVariant(o.items[0]) && giftCardsOf(u).length > 0 === payWithGiftCard,
      'pending order with another option available',
    );

  it('swaps the item for another option, records the price difference and marks the order modified', async () => {
    const order = pendingWithOtherOption(false);
    const item = order.items[0];
    const variant = otherVariant(item)!;
    const methodId = order.payment_history[0].payment_method_id;
    const difference = cents(variant.price - item.price);

    const modified = await ok<Order>('modify_pending_order_items', {
      order_id: order.order_id,
      item_ids: [item.item_id],
      new_item_ids: [variant.item_id],
      payment_method_id: methodId,
    });

    expect(modified.status).toBe('pending (item modified)');
    expect(modified.items[0]).toEqual({ ...item, item_id: variant.item_id, price: variant.price, options: variant.options });
    expect(modified.items.slice(1)).toEqual(order.items.slice(1));
    expect(modified.payment_history.at(-1)).toEqual({
      transaction_type: difference > 0 ? 'payment' : 'refund',
      amount: Math.abs(difference),
      payment_method_id: methodId,
    });
    expect(await orderNow(order)).toEqual(modified);
  });

  it('charges or credits a gift card by the difference, and refuses one that cannot cover it', async () => {
    const card = (u: User) => giftCardsOf(u)[0];
    const order = anOrder(
      (o, u) =>
        o.status === 'pending' &&
        !!card(u) &&
        !!otherVariant(o.items[0], (v) => v.price - o.items[0].price > card(u).balance) &&
        !!otherVariant(o.items[0], (v) => v.price - o.items[0].price <= card(u).balance),
      "pending order with options both within and beyond its owner's gift card balance",
    );
    const item = order.items[0];
    const { id, balance } = card(pristine.users[order.user_id]);
    const dearer = otherVariant(item, (v) => v.price - item.price > balance)!;
    const affordable = otherVariant(item, (v) => v.price - item.price <= balance)!;
    await expect(
      refusal('modify_pending_order_items', {
        order_id: order.order_id,
        item_ids: [item.item_id],
        new_item_ids: [dearer.item_id],
        payment_method_id: id,
      }),
    ).resolves.toBe('Error: insufficient gift card balance to pay for the new item');
    await ok('modify_pending_order_items', {
      order_id: order.order_id,
      item_ids: [item.item_id],
      new_item_ids: [affordable.item_id],
      payment_method_id: id,
    });
    expect(giftCardsOf(await userNow(order.user_id)).find((c) => c.id === id)!.balance).toBe(
      cents(balance - cents(affordable.price - item.price)),
    );
  });

  it('can be done only once, and the order can no longer be cancelled', async () => {
    const order = pendingWithOtherOption(false);
    const item = order.items[0];
    const args = {
      order_id: order.order_id,
      item_ids: [item.item_id],
      new_item_ids: [otherVariant(item)!.item_id],
      payment_method_id: order.payment_history[0].payment_method_id,
    };
    await ok('modify_pending_order_items', args);
    await expect(refusal('modify_pending_order_items', args)).resolves.toBe('Error: non-pending order cannot be modified');
    await expect(refusal('cancel_pending_order', { order_id: order.order_id, reason: 'no longer needed' })).resolves.toBe(
      'Error: non-pending order cannot be cancelled',
    );
  });

  it('refuses items not in the order, unavailable or of another product, and unknown payment methods', async () => {
    const unavailableOf = (item: OrderItem) => Object.values(pristine.products[item.product_id].variants).find((v) => !v.available);
    const order = anOrder(
      (o) => o.status === 'pending' && !!otherVariant(o.items[0]) && !!unavailableOf(o.items[0]),
      'pending order whose product has an unavailable option',
    );
    const item = order.items[0];
    const base = { order_id: order.order_id, payment_method_id: order.payment_history[0].payment_method_id };
    const newItem = otherVariant(item)!.item_id;
    const unavailable = unavailableOf(item)!.item_id;
    const foreignItem = Object.keys(Object.values(pristine.products).find((p) => p.product_id !== item.product_id)!.variants)[0];

    await expect(refusal('modify_pending_order_items', { ...base, item_ids: ['0000000000'], new_item_ids: [newItem] })).resolves.toBe(
      'Error: 0000000000 not found',
    );
    await expect(refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: [foreignItem] })).resolves.toBe(
      `Error: new item ${foreignItem} not found or available`,
    );
    await expect(refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: [unavailable] })).resolves.toBe(
      `Error: new item ${unavailable} not found or available`,
    );
    await expect(refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: [item.item_id] })).resolves.toBe(
      'Error: the new item id should be different from the old item id',
    );
    await expect(
      refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: [newItem, foreignItem] }),
    ).resolves.toBe('Error: the number of items to be exchanged should match');
    await expect(
      refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: [newItem], payment_method_id: 'paypal_0' }),
    ).resolves.toBe('Error: payment method not found');
    await expect(
      refusal('modify_pending_order_items', {
        ...base,
        item_ids: [item.item_id],
        new_item_ids: [newItem],
        payment_method_id: 'constructor',
      }),
    ).resolves.toBe('Error: payment method not found');
    await expect(refusal('modify_pending_order_items', { ...base, item_ids: [item.item_id], new_item_ids: ['constructor'] })).resolves.toBe(
      'Error: new item constructor not found or available',
    );
    expect(await orderNow(order)).toEqual(order);
  });
});

describe('modify_pending_order_payment and addresses', () => {
  it('moves the payment to another method: new payment, refund of the original, gift card credited', async () => {
    const order = anOrder(
      (o, u) =>
        o.status === 'pending' && paidWith(o, 'gift_card') && Object.values(u.payment_methods).some((m) => m.source !== 'gift_card'),
      'pending gift-card order whose owner has a card or PayPal',
    );
    const [payment] = order.payment_history;
    const other = Object.values(pristine.users[order.user_id].payment_methods).find((m) => m.source !== 'gift_card')!;
    const card = giftCardsOf(pristine.users[order.user_id]).find((c) => c.id === payment.payment_method_id)!;

    const modified = await ok<Order>('modify_pending_order_payment', { order_id: order.order_id, payment_method_id: other.id });

    expect(modified.status).toBe('pending');
    expect(modified.payment_history).toEqual([
      payment,
      { transaction_type: 'payment', amount: payment.amount, payment_method_id: other.id },
      { transaction_type: 'refund', amount: payment.amount, payment_method_id: card.id },
    ]);
    expect(giftCardsOf(await userNow(order.user_id)).find((c) => c.id === card.id)!.balance).toBe(cents(card.balance + payment.amount));
    await expect(refusal('modify_pending_order_payment', { order_id: order.order_id, payment_method_id: card.id })).resolves.toBe(
      'Error: there should be exactly one payment for a pending order',
    );
  });

  it('refuses the same method and a gift card that cannot cover the total', async () => {
    const order = anOrder(
      (o, u) =>
        o.status === 'pending' &&
        giftCardsOf(u).some((c) => c.balance < o.payment_history[0].amount && c.id !== o.payment_history[0].payment_method_id),
      'pending order with a too-small gift card',
    );
    const small = giftCardsOf(pristine.users[order.user_id]).find(
      (c) => c.balance < order.payment_history[0].amount && c.id !== order.payment_history[0].payment_method_id,
    )!;
    await expect(
      refusal('modify_pending_order_payment', { order_id: order.order_id, payment_method_id: order.payment_history[0].payment_method_id }),
    ).resolves.toBe('Error: the new payment method should be different from the current one');
    await expect(refusal('modify_pending_order_payment', { order_id: order.order_id, payment_method_id: small.id })).resolves.toBe(
      'Error: insufficient gift card balance to pay for the order',
    );
  });

  it("changes a pending order's shipping address and a user's default address, in tau-bench's field order", async () => {
    const order = anOrder((o) => o.status === 'pending', 'pending order');
    const address = { address1: '1 Infinite Loop', address2: '', city: 'Cupertino', state: 'CA', country: 'USA', zip: '95014' };
    const modified = await ok<Order>('modify_pending_order_address', { order_id: order.order_id, ...address });
    expect(JSON.stringify(modified.address)).toBe(JSON.stringify(address));
    expect(modified.status).toBe('pending');
    const user = await ok<User>('modify_user_address', { user_id: order.user_id, ...address });
    expect((await userNow(order.user_id)).address).toEqual(address);
    expect(user.orders).toEqual(pristine.users[order.user_id].orders);

    const processed = anOrder((o) => o.status === 'processed', 'processed order');
    await expect(refusal('modify_pending_order_address', { order_id: processed.order_id, ...address })).resolves.toBe(
      'Error: non-pending order cannot be modified',
    );
    await expect(refusal('modify_user_address', { user_id: 'nobody_0', ...address })).resolves.toBe('Error: user not found');
  });
});

describe('return_delivered_order_items', () => {
  it('requests the return of items to the original payment method', async () => {
    const order = anOrder((o) => o.status === 'delivered' && o.items.length >= 2, 'delivered order of two items');
    const itemIds = [order.items[1].item_id, order.items[0].item_id];
    const methodId = order.payment_history[0].payment_method_id;

    const returned = await ok<Order>('return_delivered_order_items', {
      order_id: order.order_id,
      item_ids: itemIds,
      payment_method_id: methodId,
    });

    expect(returned.status).toBe('return requested');
    expect(returned.return_items).toEqual([...itemIds].sort());
    expect(returned.return_payment_method_id).toBe(methodId);
    expect(returned.payment_history).toEqual(order.payment_history);
    expect(await orderNow(order)).toEqual(returned);
  });

  it('accepts a gift card, refuses another card or PayPal, items not in the order and non-delivered orders', async () => {
    const order = anOrder(
      (o, u) =>
        o.status === 'delivered' &&
        Object.values(u.payment_methods).some((m) => m.source !== 'gift_card' && m.id !== o.payment_history[0].payment_method_id),
      'delivered order whose owner has a second card or PayPal',
    );
    const other = Object.values(pristine.users[order.user_id].payment_methods).find(
      (m) => m.source !== 'gift_card' && m.id !== order.payment_history[0].payment_method_id,
    )!;
    const item = order.items[0].item_id;
    await expect(
      refusal('return_delivered_order_items', { order_id: order.order_id, item_ids: [item], payment_method_id: other.id }),
    ).resolves.toBe('Error: payment method should be either the original payment method or a gift card');
    await expect(
      refusal('return_delivered_order_items', {
        order_id: order.order_id,
        item_ids: [item, '0000000000'],
        payment_method_id: order.payment_history[0].payment_method_id,
      }),
    ).resolves.toBe('Error: some item not found');
    const pending = anOrder((o) => o.status === 'pending', 'pending order');
    await expect(
      refusal('return_delivered_order_items', {
        order_id: pending.order_id,
        item_ids: [pending.items[0].item_id],
        payment_method_id: pending.payment_history[0].payment_method_id,
      }),
    ).resolves.toBe('Error: non-delivered order cannot be returned');

    const withGiftCard = anOrder(
      (o, u) => o.status === 'delivered' && !paidWith(o, 'gift_card') && giftCardsOf(u).length > 0,
      'delivered order whose owner has a gift card',
    );
    const card = giftCardsOf(pristine.users[withGiftCard.user_id])[0];
    const returned = await ok<Order>('return_delivered_order_items', {
      order_id: withGiftCard.order_id,
      item_ids: [withGiftCard.items[0].item_id],
      payment_method_id: card.id,
    });
    expect(returned.return_payment_method_id).toBe(card.id);
  });
});

describe('exchange_delivered_order_items', () => {
  it('requests the exchange, recording the items, the payment method and the price difference', async () => {
    const order = anOrder(
      (o) =>
        o.status === 'delivered' &&
        !paidWith(o, 'gift_card') &&
        o.items.length >= 2 &&
        !!otherVariant(o.items[0]) &&
        !!otherVariant(o.items[1]),
      'delivered card or PayPal order of two exchangeable items',
    );
    const [a, b] = [order.items[0], order.items[1]];
    const [newA, newB] = [otherVariant(a)!, otherVariant(b)!];
    const methodId = order.payment_history[0].payment_method_id;

    const exchanged = await ok<Order>('exchange_delivered_order_items', {
      order_id: order.order_id,
      item_ids: [b.item_id, a.item_id],
      new_item_ids: [newB.item_id, newA.item_id],
      payment_method_id: methodId,
    });

    expect(exchanged.status).toBe('exchange requested');
    expect(exchanged.exchange_items).toEqual([a.item_id, b.item_id].sort());
    expect(exchanged.exchange_new_items).toEqual([newA.item_id, newB.item_id].sort());
    expect(exchanged.exchange_payment_method_id).toBe(methodId);
    expect(exchanged.exchange_price_difference).toBe(cents(newA.price - a.price + newB.price - b.price));
    expect(exchanged.items).toEqual(order.items);
    expect(exchanged.payment_history).toEqual(order.payment_history);
    await expect(
      refusal('exchange_delivered_order_items', {
        order_id: order.order_id,
        item_ids: [a.item_id],
        new_item_ids: [newA.item_id],
        payment_method_id: methodId,
      }),
    ).resolves.toBe('Error: non-delivered order cannot be exchanged');
  });

  it('accepts the same item id: a replacement of a defective item, at no price difference', async () => {
    const order = anOrder(
      (o) =>
        o.status === 'delivered' &&
        !paidWith(o, 'gift_card') &&
        !!pristine.products[o.items[0].product_id].variants[o.items[0].item_id]?.available,
      'delivered order whose first item is still available',
    );
    const item = order.items[0];
    const methodId = order.payment_history[0].payment_method_id;

    const exchanged = await ok<Order>('exchange_delivered_order_items', {
      order_id: order.order_id,
      item_ids: [item.item_id],
      new_item_ids: [item.item_id],
      payment_method_id: methodId,
    });

    expect(exchanged.status).toBe('exchange requested');
    expect(exchanged.exchange_items).toEqual([item.item_id]);
    expect(exchanged.exchange_new_items).toEqual([item.item_id]);
    expect(exchanged.exchange_price_difference).toBe(0);
    expect(await orderNow(order)).toEqual(exchanged);
  });

  it('refuses a replacement that is out of stock', async () => {
    const order = anOrder(
      (o) => o.status === 'delivered' && pristine.products[o.items[0].product_id].variants[o.items[0].item_id]?.available === false,
      'delivered order whose first item is no longer available',
    );
    const item = order.items[0];
    await expect(
      refusal('exchange_delivered_order_items', {
        order_id: order.order_id,
        item_ids: [item.item_id],
        new_item_ids: [item.item_id],
        payment_method_id: order.payment_history[0].payment_method_id,
      }),
    ).resolves.toBe(`Error: new item ${item.item_id} not found or available`);
    expect(await orderNow(order)).toEqual(order);
  });

  it('refuses a gift card that cannot cover the difference, mismatched lists and pending orders', async () => {
    const order = anOrder(
      (o, u) =>
        o.status === 'delivered' &&
        giftCardsOf(u).length > 0 &&
        !!otherVariant(o.items[0], (v) => v.price - o.items[0].price > giftCardsOf(u)[0].balance),
      "delivered order with an option dearer than its owner's gift card balance",
    );
    const item = order.items[0];
    const methodId = order.payment_history[0].payment_method_id;
    const card = giftCardsOf(pristine.users[order.user_id])[0];
    const dearer = otherVariant(item, (v) => v.price - item.price > card.balance)!;
    await expect(
      refusal('exchange_delivered_order_items', {
        order_id: order.order_id,
        item_ids: [item.item_id],
        new_item_ids: [dearer.item_id],
        payment_method_id: card.id,
      }),
    ).resolves.toBe('Error: insufficient gift card balance to pay for the price difference');
    await expect(
      refusal('exchange_delivered_order_items', {
        order_id: order.order_id,
        item_ids: [item.item_id],
        new_item_ids: [otherVariant(item)!.item_id, otherVariant(item)!.item_id],
        payment_method_id: methodId,
      }),
    ).resolves.toBe('Error: the number of items to be exchanged should match');
    const pending = anOrder((o) => o.status === 'pending', 'pending order');
    await expect(
      refusal('exchange_delivered_order_items', {
        order_id: pending.order_id,
        item_ids: [pending.items[0].item_id],
        new_item_ids: ['1'],
        payment_method_id: methodId,
      }),
    ).resolves.toBe('Error: non-delivered order cannot be exchanged');
  });
});
