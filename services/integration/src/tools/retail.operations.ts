// The tau-bench retail operations, rewritten from the policy (wiki.md) and tau-bench's tool
// semantics: same arguments, results (tau-retail records), error messages and state changes.
// Arguments arrive checked against the tool's schema; the scope checks existence and ownership.
import {
  roundCents,
  type Address,
  type Order,
  type OrderItem,
  type Payment,
  type PaymentMethod,
  type Product,
  type User,
  type Variant,
} from '../reference/retail-records';
import { calculate as evaluate } from './calculator';
import { customerProfile, type CustomerProfile } from './customer-profile';
import type { OperationScope } from './operation-scope';
import { Refusal } from './tool.errors';

export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

type AddressArgs = Address;

export async function find_user_id_by_email(scope: OperationScope, args: { email: string }): Promise<string> {
  return (await scope.userIdByEmail(args.email)) ?? refuse('Error: user not found');
}

export async function find_user_id_by_name_zip(
  scope: OperationScope,
  args: { first_name: string; last_name: string; zip: string },
): Promise<string> {
  return (await scope.userIdByNameZip(args.first_name, args.last_name, args.zip)) ?? refuse('Error: user not found');
}

export function get_user_details(scope: OperationScope, args: { user_id: string }): Promise<User> {
  return scope.user(args.user_id);
}

export function get_order_details(scope: OperationScope, args: { order_id: string }): Promise<Order> {
  return scope.order(args.order_id);
}

export async function get_product_details(scope: OperationScope, args: { product_id: string }): Promise<Product> {
  return (await scope.product(args.product_id)) ?? refuse('Error: product not found');
}

/** Not a tau-bench tool: the router reads it on a customer's first verified turn to personalise. */
export async function get_customer_profile(scope: OperationScope, args: { user_id: string }): Promise<CustomerProfile> {
  const user = await scope.user(args.user_id);
  return customerProfile(args.user_id, user, await scope.ordersOf(user));
}

/** Product name → product id, sorted by name. */
export async function list_all_product_types(scope: OperationScope): Promise<Record<string, string>> {
  const byName = (await scope.products()).map((p) => [p.name, p.product_id] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(byName);
}

export async function cancel_pending_order(scope: OperationScope, args: { order_id: string; reason: string }): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'pending') refuse('Error: non-pending order cannot be cancelled');
  if (!(CANCEL_REASONS as readonly string[]).includes(args.reason)) refuse('Error: invalid reason');
  const user = await scope.ownerOf(order);
  const refunds = netPaidByMethod(order.payment_history).map(([methodId, amount]): Payment => ({
    transaction_type: 'refund',
    amount,
    payment_method_id: methodId,
  }));
  for (const refund of refunds) {
    // A gift card gets its money back at once; cards and PayPal in 5 to 7 business days.
    const method = user.payment_methods[refund.payment_method_id];
    if (method?.source === 'gift_card') method.balance = roundCents(method.balance + refund.amount);
  }
  order.status = 'cancelled';
  order.cancel_reason = args.reason;
  order.payment_history.push(...refunds);
  await scope.saveOrder(order);
  await scope.saveUser(order.user_id, user);
  return order;
}

export async function modify_pending_order_address(scope: OperationScope, args: { order_id: string } & AddressArgs): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'pending') refuse('Error: non-pending order cannot be modified');
  order.address = addressOf(args);
  await scope.saveOrder(order);
  return order;
}

export async function modify_pending_order_items(
  scope: OperationScope,
  args: { order_id: string; item_ids: string[]; new_item_ids: string[]; payment_method_id: string },
): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'pending') refuse('Error: non-pending order cannot be modified');
  requireItems(order, args.item_ids, (id) => `Error: ${id} not found`);
  // Modifying an item into itself changes nothing yet would end the order's one modification.
  if (args.item_ids.some((id, i) => args.new_item_ids[i] === id)) refuse('Error: the new item id should be different from the old item id');
  const replacements = await replacementsFor(scope, order, args.item_ids, args.new_item_ids);
  const difference = roundCents(replacements.reduce((sum, r) => sum + r.variant.price - r.item.price, 0));
  const user = await scope.ownerOf(order);
  const method = paymentMethod(user, args.payment_method_id);
  if (method.source === 'gift_card' && method.balance < difference) refuse('Error: insufficient gift card balance to pay for the new item');

  order.payment_history.push({
    transaction_type: difference > 0 ? 'payment' : 'refund',
    amount: Math.abs(difference),
    payment_method_id: args.payment_method_id,
  });
  if (method.source === 'gift_card') method.balance = roundCents(method.balance - difference);
  for (const { item, variant } of replacements) {
    item.item_id = variant.item_id;
    item.price = variant.price;
    item.options = variant.options;
  }
  // Not 'pending' any more: the order can be neither modified nor cancelled again.
  order.status = 'pending (item modified)';
  await scope.saveOrder(order);
  await scope.saveUser(order.user_id, user);
  return order;
}

export async function modify_pending_order_payment(
  scope: OperationScope,
  args: { order_id: string; payment_method_id: string },
): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'pending') refuse('Error: non-pending order cannot be modified');
  const user = await scope.ownerOf(order);
  const method = paymentMethod(user, args.payment_method_id);
  const [original, ...later] = order.payment_history;
  if (!original || later.length > 0 || original.transaction_type !== 'payment')
    refuse('Error: there should be exactly one payment for a pending order');
  if (original.payment_method_id === args.payment_method_id)
    refuse('Error: the new payment method should be different from the current one');
  const amount = original.amount;
  if (method.source === 'gift_card' && method.balance < amount) refuse('Error: insufficient gift card balance to pay for the order');

  order.payment_history.push(
    { transaction_type: 'payment', amount, payment_method_id: args.payment_method_id },
    { transaction_type: 'refund', amount, payment_method_id: original.payment_method_id },
  );
  if (method.source === 'gift_card') method.balance = roundCents(method.balance - amount);
  const originalMethod = user.payment_methods[original.payment_method_id];
  if (originalMethod?.source === 'gift_card') originalMethod.balance = roundCents(originalMethod.balance + amount);
  await scope.saveOrder(order);
  await scope.saveUser(order.user_id, user);
  return order;
}

export async function modify_user_address(scope: OperationScope, args: { user_id: string } & AddressArgs): Promise<User> {
  const user = await scope.user(args.user_id);
  user.address = addressOf(args);
  await scope.saveUser(args.user_id, user);
  return user;
}

export async function return_delivered_order_items(
  scope: OperationScope,
  args: { order_id: string; item_ids: string[]; payment_method_id: string },
): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'delivered') refuse('Error: non-delivered order cannot be returned');
  const user = await scope.ownerOf(order);
  const method = paymentMethod(user, args.payment_method_id);
  if (method.source !== 'gift_card' && args.payment_method_id !== order.payment_history[0]?.payment_method_id) {
    refuse('Error: payment method should be either the original payment method or a gift card');
  }
  requireItems(order, args.item_ids, () => 'Error: some item not found');
  // The customer gets an email on how to send the items back; the refund follows their arrival.
  order.status = 'return requested';
  order.return_items = [...args.item_ids].sort();
  order.return_payment_method_id = args.payment_method_id;
  await scope.saveOrder(order);
  return order;
}

export async function exchange_delivered_order_items(
  scope: OperationScope,
  args: { order_id: string; item_ids: string[]; new_item_ids: string[]; payment_method_id: string },
): Promise<Order> {
  const order = await scope.order(args.order_id);
  if (order.status !== 'delivered') refuse('Error: non-delivered order cannot be exchanged');
  requireItems(order, args.item_ids, (id) => `Error: ${id} not found`);
  const replacements = await replacementsFor(scope, order, args.item_ids, args.new_item_ids);
  const difference = roundCents(replacements.reduce((sum, r) => sum + r.variant.price - r.item.price, 0));
  const user = await scope.ownerOf(order);
  const method = paymentMethod(user, args.payment_method_id);
  if (method.source === 'gift_card' && method.balance < difference)
    refuse('Error: insufficient gift card balance to pay for the price difference');
  // Nothing is charged yet: the difference is settled when the returned items arrive.
  order.status = 'exchange requested';
  order.exchange_items = [...args.item_ids].sort();
  order.exchange_new_items = [...args.new_item_ids].sort();
  order.exchange_payment_method_id = args.payment_method_id;
  order.exchange_price_difference = difference;
  await scope.saveOrder(order);
  return order;
}

/** The conversation service performs the hand-off; the tool only acknowledges it, as tau-bench's does. */
export async function transfer_to_human_agents(): Promise<string> {
  return 'Transfer successful';
}

export async function calculate(_scope: OperationScope, args: { expression: string }): Promise<number> {
  return evaluate(args.expression);
}

function refuse(message: string): never {
  throw new Refusal(message);
}

/** One of the user's own payment methods (an own property: ids come from the caller). */
function paymentMethod(user: User, methodId: string): PaymentMethod {
  return Object.hasOwn(user.payment_methods, methodId) ? user.payment_methods[methodId] : refuse('Error: payment method not found');
}

/** tau-bench writes addresses in this field order. */
function addressOf(args: AddressArgs): Address {
  return { address1: args.address1, address2: args.address2, city: args.city, state: args.state, country: args.country, zip: args.zip };
}

/** Each id must be in the order at least as often as it is listed (an order may hold two of an item). */
function requireItems(order: Order, itemIds: string[], missing: (itemId: string) => string): void {
  for (const id of itemIds) {
    const wanted = itemIds.filter((x) => x === id).length;
    const held = order.items.filter((item) => item.item_id === id).length;
    if (wanted > held) refuse(missing(id));
  }
}

/**
 * Pairs each listed order item with the variant replacing it: an available item of the same
 * product. The same item id is a replacement (of a defective item, say), which the retail policy
 * allows for an exchange. Duplicated ids take the order's matching items in turn.
 */
async function replacementsFor(
  scope: OperationScope,
  order: Order,
  itemIds: string[],
  newItemIds: string[],
): Promise<Array<{ item: OrderItem; variant: Variant }>> {
  if (itemIds.length !== newItemIds.length) refuse('Error: the number of items to be exchanged should match');
  const remaining = [...order.items];
  const replacements: Array<{ item: OrderItem; variant: Variant }> = [];
  for (const [i, itemId] of itemIds.entries()) {
    const newItemId = newItemIds[i];
    const item = remaining.splice(
      remaining.findIndex((it) => it.item_id === itemId),
      1,
    )[0];
    const variants = (await scope.product(item.product_id))?.variants ?? {};
    const variant = Object.hasOwn(variants, newItemId) ? variants[newItemId] : undefined;
    if (!variant?.available) refuse(`Error: new item ${newItemId} not found or available`);
    replacements.push({ item, variant });
  }
  return replacements;
}

/**
 * What each payment method paid net of refunds, in the order first used. A cancellation refunds
 * exactly this, so an order whose payment method was changed is not refunded twice.
 */
function netPaidByMethod(history: Payment[]): Array<[string, number]> {
  const net = new Map<string, number>();
  for (const p of history)
    net.set(p.payment_method_id, (net.get(p.payment_method_id) ?? 0) + (p.transaction_type === 'payment' ? p.amount : -p.amount));
  return [...net].map(([id, amount]): [string, number] => [id, roundCents(amount)]).filter(([, amount]) => amount > 0);
}
