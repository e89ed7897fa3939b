// What one operation may see and change: one tenant's records, as one caller, inside one
// transaction. Ownership is checked here, once, so no operation can forget it.
import type { ReferenceRepository } from '../reference/reference.repository';
import type { Order, Product, User } from '../reference/retail-records';
import { Refusal } from './tool.errors';

/**
 * Who is calling: the customer of a conversation (with the user id the conversation verified, if
 * any, and whether they confirmed this action), or an operator, whose authority covers every
 * record and stands in for the customer's confirmation.
 */
export type Caller = { kind: 'customer'; verifiedUserId: string; confirmed: boolean } | { kind: 'operator' };

export const OPERATOR: Caller = { kind: 'operator' };

export class OperationScope {
  /** `changesState`: rows read are locked until the transaction ends. */
  constructor(private readonly records: ReferenceRepository, private readonly caller: Caller, private readonly changesState: boolean) {}

  /** The order, if it exists and the caller may act on it. */
  async order(orderId: string): Promise<Order> {
    const order = await this.records.order(orderId, this.changesState);
    if (!order) throw new Refusal('Error: order not found');
    if (!this.mayAct(order.user_id)) throw new Refusal('order belongs to another customer');
    return order;
  }

  /** The user, if they exist and are the caller. */
  async user(userId: string): Promise<User> {
    const user = await this.records.user(userId, this.changesState);
    if (!user) throw new Refusal('Error: user not found');
    if (!this.mayAct(userId)) throw new Refusal('account belongs to another customer');
    return user;
  }

  /** The owner of an order already checked by `order()`: their payment methods and gift cards. */
  async ownerOf(order: Order): Promise<User> {
    const user = await this.records.user(order.user_id, this.changesState);
    if (!user) throw new Error(`order ${order.order_id} names user ${order.user_id}, who is not in the reference data; reset the tenant's data`);
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

  saveOrder(order: Order): Promise<void> {
    return this.records.saveOrder(order);
  }

  saveUser(userId: string, user: User): Promise<void> {
    return this.records.saveUser(userId, user);
  }

  private mayAct(userId: string): boolean {
    return this.caller.kind === 'operator' || this.caller.verifiedUserId === userId;
  }
}
