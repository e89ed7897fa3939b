// What the tools need from a company's order/CRM system, whichever system that is: the reference
// system in Postgres or the company's own API over HTTP. Records are in the tau-retail data model
// whatever the system's own shape; identity, confirmation and ownership are checked above this, by
// the tool service, identically for every implementation.
import type { Order, Product, User } from '../reference/retail-records';

/** The reads the operations are built from; `undefined` means the record does not exist. */
export interface RecordReader {
  user(userId: string): Promise<User | undefined>;
  order(orderId: string): Promise<Order | undefined>;
  product(productId: string): Promise<Product | undefined>;
  products(): Promise<Product[]>;
  userIdByEmail(email: string): Promise<string | undefined>;
  userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined>;
}

/** The state-changing operations (access `consequential`); their arguments follow the tool schemas. */
export const CHANGE_OPERATIONS = [
  'cancel_pending_order',
  'modify_pending_order_address',
  'modify_pending_order_items',
  'modify_pending_order_payment',
  'modify_user_address',
  'return_delivered_order_items',
  'exchange_delivered_order_items',
] as const;
export type ChangeOperation = (typeof CHANGE_OPERATIONS)[number];

/** Arguments already checked against the operation's schema: strings and lists of strings. */
export type ChangeArguments = Record<string, string | string[]>;

export interface OrderSystem extends RecordReader {
  /**
   * Makes one change and returns the changed record (the user for modify_user_address, else the
   * order). Refuses (tool.errors Refusal) with tau-bench's messages, e.g. "Error: non-pending
   * order cannot be cancelled", or with why the system could not be reached.
   */
  change(operation: ChangeOperation, args: ChangeArguments): Promise<Order | User>;
}

/** Which order system serves a tenant. */
export type OrderSystemFor = (tenantId: string) => OrderSystem;
