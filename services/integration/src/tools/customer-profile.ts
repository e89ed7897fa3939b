// What the conversation router personalises with on a customer's first verified turn: who they
// are to the shop (tier), and which of their orders are still open. Derived from the order history
// only, so every order system yields the same profile from the same records.
import { roundCents, type Order, type User } from '../reference/retail-records';

export type Tier = 'vip' | 'regular' | 'new';

export interface CustomerProfile {
  user_id: string;
  first_name: string;
  tier: Tier;
  /** Every order on record, cancelled ones included, in the user's order. */
  orders: string[];
  order_count: number;
  /** What the customer has paid, net of refunds, over all their orders, in dollars. */
  lifetime_spend: number;
  /** Orders that can still change: pending (item modified included) or processed, in the user's order. */
  open_orders: string[];
}

/**
 * The tier rule, checked in this order: `vip` from $5,000 net spend or 5 orders (about the top
 * quarter of tau-retail's 500 customers); `new` while no order has been delivered yet; else
 * `regular`. On the pristine tau-retail data: 117 vip, 195 new, 188 regular.
 */
export const VIP_LIFETIME_SPEND = 5000;
export const VIP_ORDER_COUNT = 5;

export function customerProfile(userId: string, user: User, orders: Order[]): CustomerProfile {
  const lifetimeSpend = roundCents(orders.reduce((sum, order) => sum + netPaid(order), 0));
  return {
    user_id: userId,
    first_name: user.name.first_name,
    tier: tierOf(
      orders.length,
      lifetimeSpend,
      orders.some((o) => o.status === 'delivered'),
    ),
    orders: orders.map((o) => o.order_id),
    order_count: orders.length,
    lifetime_spend: lifetimeSpend,
    open_orders: orders.filter((o) => o.status.startsWith('pending') || o.status === 'processed').map((o) => o.order_id),
  };
}

export function tierOf(orderCount: number, lifetimeSpend: number, anyDelivered: boolean): Tier {
  if (lifetimeSpend >= VIP_LIFETIME_SPEND || orderCount >= VIP_ORDER_COUNT) return 'vip';
  return anyDelivered ? 'regular' : 'new';
}

function netPaid(order: Order): number {
  return order.payment_history.reduce((sum, p) => sum + (p.transaction_type === 'payment' ? p.amount : -p.amount), 0);
}
