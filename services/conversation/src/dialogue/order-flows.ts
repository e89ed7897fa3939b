// The order tasks as data: for each, the order-system operation it ends in, which orders it applies
// to, the details to collect from the customer (in order), and which payment methods the customer
// may choose from. The engine (order-action.task.ts) walks a flow: identity first, then the order,
// then each detail, then the confirmation that spells out the change, and acts only on a "yes".
// docs/flows.md describes the fields and how to add a task over a company's own tools.
import type { ActionDetail, ActionIntent } from './dialogue-state';

/**
 * Which payment methods the customer chooses from: `refund` the original one or a gift card (the
 * policy's rule for returns), `any` of theirs (a price difference), `other` any but the current one.
 */
export type PaymentChoice = 'refund' | 'any' | 'other';

export interface OrderFlow {
  /** The order-system tool the confirmed action calls (its JSON Schema checks the arguments). */
  operation: string;
  /** The status an order must have; absent when the task changes the account, not an order. */
  orderStatus?: string;
  /** What to collect from the customer, in this order. */
  details: ActionDetail[];
  payment?: PaymentChoice;
  /** Identity is always required before an action: the order system refuses unverified callers. */
  identity: 'verified';
}

/**
 * The classifier's intents the bot carries out itself against the order system (change_address
 * covers the account's address too: actionFor tells them apart); the rest are answered from the
 * knowledge base.
 */
export const ACTION_INTENTS: ReadonlySet<string> = new Set([
  'cancel_order',
  'return_item',
  'exchange_item',
  'modify_order',
  'change_address',
  'change_payment',
]);
/** The intent the order status task answers. */
export const ORDER_STATUS_INTENT = 'order_status';

export const RETAIL_FLOWS: Record<ActionIntent, OrderFlow> = {
  cancel_order: { operation: 'cancel_pending_order', orderStatus: 'pending', details: ['reason'], identity: 'verified' },
  return_item: {
    operation: 'return_delivered_order_items',
    orderStatus: 'delivered',
    details: ['items', 'payment'],
    payment: 'refund',
    identity: 'verified',
  },
  exchange_item: {
    operation: 'exchange_delivered_order_items',
    orderStatus: 'delivered',
    details: ['items', 'new_items', 'payment'],
    payment: 'any',
    identity: 'verified',
  },
  modify_order: {
    operation: 'modify_pending_order_items',
    orderStatus: 'pending',
    details: ['items', 'new_items', 'payment'],
    payment: 'any',
    identity: 'verified',
  },
  change_address: { operation: 'modify_pending_order_address', orderStatus: 'pending', details: ['address'], identity: 'verified' },
  change_user_address: { operation: 'modify_user_address', details: ['address'], identity: 'verified' },
  change_payment: {
    operation: 'modify_pending_order_payment',
    orderStatus: 'pending',
    details: ['payment'],
    payment: 'other',
    identity: 'verified',
  },
};

/** Flows whose items can be added to before the customer says yes ("also the notebook"). */
export function collectsItems(intent: ActionIntent): boolean {
  return RETAIL_FLOWS[intent].details.includes('items');
}
