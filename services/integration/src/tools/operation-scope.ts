// What one operation may see and change: one tenant's records, as one caller. Ownership is checked
// here, once, so no operation can forget it.
import type { RecordReader } from '../connectors/order-system';
import type { Order, Product, User } from '../reference/retail-records';
import { Refusal } from './tool.errors';

/**
 * Who is calling: the customer of a conversation (with the user id the conversation verified, if
 * any, and whether they confirmed this action), or an operator, whose authority covers every
 * record and stands in for the customer's confirmation.
 */
export type Caller = { kind: 'customer'; verifiedUserId: string; confirmed: boolean } | { kind: 'operator' };

export const OPERATOR: Caller = { kind: 'operator' };

/** Where a change is saved; only the reference system's own change path has one. */
export interface RecordWriter {
  saveOrder(order: Order): Promise<void>;
  saveUser(userId: string, user: User): Promise<void>;
}

export class OperationScope {
  /** Without a `writer` the scope is read-only: reads go to any order system. */
  constructor(
    private readonly records: RecordReader,
    private readonly caller: Caller,
    private readonly writer?: RecordWriter,
  ) {}

  /** The order, if it exists and the caller may act on it. */
  async order(orderId: string): Promise<Order> {
    const order = await this.records.order(orderId);
    if (!order) throw new Refusal('Error: order not found');
    if (!this.mayAct(order.user_id)) throw new Refusal('order belongs to another customer');
    return order;
  }

  /** The user, if they exist and are the caller. */
  async user(userId: string): Promise<User> {
    const user = await this.records.user(userId);
    if (!user) throw new Refusal('Error: user not found');
    if (!this.mayAct(userId)) throw new Refusal('account belongs to another customer');
    return user;
  }

  /** The owner of an order already checked by `order()`: their payment methods and gift cards. */
  async ownerOf(order: Order): Promise<User> {
    const user = await this.records.user(order.user_id);
    if (!user)
      throw new Error(`order ${order.order_id} names user ${order.user_id}, who is not in the reference data; reset the tenant's data`);
    return user;
  }

  product(productId: string): Promise<Product | undefined> {
    return this.records.product(productId);
  }

  products(): Promise<Product[]> {
    return this.records.products();
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.records.userIdByEmail(email);
  }

  userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    return this.records.userIdByNameZip(firstName, lastName, zip);
  }

  /** The orders of a user already checked by `user()`, skipping ids the system no longer knows. */
  async ordersOf(user: User): Promise<Order[]> {
    const orders = await Promise.all(user.orders.map((id) => this.records.order(id)));
    return orders.filter((o): o is Order => o !== undefined);
  }

  saveOrder(order: Order): Promise<void> {
    return this.writable().saveOrder(order);
  }

  saveUser(userId: string, user: User): Promise<void> {
    return this.writable().saveUser(userId, user);
  }

  private writable(): RecordWriter {
    if (!this.writer) throw new Error('a read-only operation tried to save a record; run changes through OrderSystem.change');
    return this.writer;
  }

  private mayAct(userId: string): boolean {
    return this.caller.kind === 'operator' || this.caller.verifiedUserId === userId;
  }
}
