// The tau-retail data model, field for field as in users.json, orders.json and products.json;
// results are these records, so an agent sees exactly what tau-bench's retail tools return.

export interface Address {
  address1: string;
  address2: string;
  city: string;
  country: string;
  state: string;
  zip: string;
}

export type PaymentMethod =
  | { source: 'credit_card'; brand: string; last_four: string; id: string }
  | { source: 'paypal'; id: string }
  | { source: 'gift_card'; balance: number; id: string };

export interface User {
  name: { first_name: string; last_name: string };
  address: Address;
  email: string;
  payment_methods: Record<string, PaymentMethod>;
  orders: string[];
}

export interface OrderItem {
  name: string;
  product_id: string;
  item_id: string;
  price: number;
  options: Record<string, string>;
}

export interface Payment {
  transaction_type: 'payment' | 'refund';
  amount: number;
  payment_method_id: string;
}

export interface Order {
  order_id: string;
  user_id: string;
  address: Address;
  items: OrderItem[];
  fulfillments: Array<{ tracking_id: string[]; item_ids: string[] }>;
  status: string;
  payment_history: Payment[];
  // Added by the operations, as tau-bench's retail tools add them.
  cancel_reason?: string;
  return_items?: string[];
  return_payment_method_id?: string;
  exchange_items?: string[];
  exchange_new_items?: string[];
  exchange_payment_method_id?: string;
  exchange_price_difference?: number;
}

export interface Variant {
  item_id: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

export interface Product {
  name: string;
  product_id: string;
  variants: Record<string, Variant>;
}

/** Money in the data has cents; sums of floats gain noise (0.1 + 0.2), which this removes. */
export function roundCents(amount: number): number {
  return Number(amount.toFixed(2));
}
