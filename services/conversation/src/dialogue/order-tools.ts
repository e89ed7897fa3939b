// The order system as the dialogue sees it: integration.tool.v1 operations, with the tau-retail
// data model for what they return.
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** The order system's operations; transport failures throw, refusals come back as outcomes. */
export interface OrderTools {
  call(operation: string, args: Record<string, unknown>, verifiedUserId?: string, confirmed?: boolean): Promise<ToolOutcome>;
}

export interface OrderItem {
  name: string;
  item_id: string;
  product_id: string;
  price: number;
  options: Record<string, string>;
}

export interface OrderDetails {
  order_id: string;
  status: string;
  items?: OrderItem[];
  fulfillments?: Array<{ tracking_id?: string[] }>;
  payment_history?: Array<{ transaction_type: string; amount: number; payment_method_id: string }>;
}

export interface ProductDetails {
  name: string;
  product_id: string;
  variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }>;
}

/** get_customer_profile: the verified customer as the conversation needs them. */
export interface CustomerProfile {
  first_name?: string;
  tier?: string;
  orders?: string[];
}
