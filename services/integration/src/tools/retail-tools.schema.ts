// The operations as an agent sees them: name, description, argument schema, and who may call
// them. `lookup` needs nothing; `account` needs the customer's verified identity; `consequential`
// changes state and also needs the customer's explicit confirmation.
import { argumentsSchema, type ArgumentsSchema, type StringListSchema, type StringSchema } from './argument.schema';
import type { OperationScope } from './operation-scope';
import * as op from './retail.operations';

export type Access = 'lookup' | 'account' | 'consequential';

export interface RetailTool {
  description: string;
  parameters: ArgumentsSchema;
  access: Access;
  /** Runs with arguments already checked against `parameters`. */
  run(scope: OperationScope, args: never): Promise<unknown>;
}

const text = (description: string): StringSchema => ({ type: 'string', description });
const list = (description: string): StringListSchema => ({ type: 'array', description, items: { type: 'string' }, minItems: 1 });

const orderId = text("The order id, such as '#W0000000'; it starts with '#'.");
const userId = text("The user id, such as 'sara_doe_496'.");
const paymentMethodId = (use: string) =>
  text(`The id of one of the customer's payment methods, such as 'gift_card_0000000' or 'credit_card_0000000', ${use}.`);
const address = {
  address1: text("The first line of the address, such as '123 Main St'."),
  address2: text("The second line of the address, such as 'Apt 1', or '' when there is none."),
  city: text("The city, such as 'San Francisco'."),
  state: text("The state, such as 'CA'."),
  country: text("The country, such as 'USA'."),
  zip: text("The zip code, such as '12345'."),
};

export const RETAIL_TOOLS = {
  find_user_id_by_email: {
    access: 'lookup',
    description: "Find a customer's user id by their email address. This is one way to authenticate the customer.",
    parameters: argumentsSchema({ email: text("The customer's email, such as 'something@example.com'.") }),
    run: op.find_user_id_by_email,
  },
  find_user_id_by_name_zip: {
    access: 'lookup',
    description:
      "Find a customer's user id by first name, last name and zip code. This is the other way to authenticate the customer, when they cannot give their email.",
    parameters: argumentsSchema({
      first_name: text("The customer's first name, such as 'John'."),
      last_name: text("The customer's last name, such as 'Doe'."),
      zip: text("The customer's zip code, such as '12345'."),
    }),
    run: op.find_user_id_by_name_zip,
  },
  get_user_details: {
    access: 'account',
    description: "Get the customer's profile: name, default address, email, payment methods (with gift card balances) and order ids.",
    parameters: argumentsSchema({ user_id: userId }),
    run: op.get_user_details,
  },
  get_order_details: {
    access: 'account',
    description:
      "Get one of the customer's orders: status, shipping address, items with their options and prices, fulfillments and payment history.",
    parameters: argumentsSchema({ order_id: orderId }),
    run: op.get_order_details,
  },
  get_customer_profile: {
    access: 'account',
    description:
      "Get the customer's standing with the shop: first name, tier ('vip' from $5,000 spent or 5 orders, 'new' before any order is delivered, else 'regular'), " +
      'number of orders, lifetime spend net of refunds, and the ids of open (pending or processed) orders.',
    parameters: argumentsSchema({ user_id: userId }),
    run: op.get_customer_profile,
  },
  get_product_details: {
    access: 'lookup',
    description: 'Get a product type and its items (variants), each with its options, availability and price.',
    parameters: argumentsSchema({ product_id: text("The product id, such as '6086499569'. A product id is not an item id.") }),
    run: op.get_product_details,
  },
  list_all_product_types: {
    access: 'lookup',
    description: 'List the names of all product types with their product ids.',
    parameters: argumentsSchema({}),
    run: op.list_all_product_types,
  },
  cancel_pending_order: {
    access: 'consequential',
    description:
      "Cancel a pending order; a processed or delivered order cannot be cancelled. The order becomes 'cancelled' and what was paid is refunded to the original payment methods: " +
      'at once to a gift card, otherwise in 5 to 7 business days. Returns the order.',
    parameters: argumentsSchema({
      order_id: orderId,
      reason: {
        type: 'string',
        description: "Why the customer cancels: 'no longer needed' or 'ordered by mistake'.",
        enum: op.CANCEL_REASONS,
      },
    }),
    run: op.cancel_pending_order,
  },
  modify_pending_order_address: {
    access: 'consequential',
    description: 'Change the shipping address of a pending order. Returns the order.',
    parameters: argumentsSchema({ order_id: orderId, ...address }),
    run: op.modify_pending_order_address,
  },
  modify_pending_order_items: {
    access: 'consequential',
    description:
      'Change items of a pending order to other available items (options) of the same product. This can be done only once: the order becomes ' +
      "'pending (item modified)' and can then be neither modified nor cancelled, so collect every item to change first. The price difference is charged to, " +
      'or refunded via, the given payment method; a gift card must cover a charge. Returns the order.',
    parameters: argumentsSchema({
      order_id: orderId,
      item_ids: list("The ids of the order's items to change, such as ['1008292230']; list an id twice to change two of that item."),
      new_item_ids: list(
        'The ids of the new items, one for each item in item_ids and in the same order, each of the same product as the item it replaces.',
      ),
      payment_method_id: paymentMethodId('to pay or receive the price difference'),
    }),
    run: op.modify_pending_order_items,
  },
  modify_pending_order_payment: {
    access: 'consequential',
    description:
      "Pay a pending order with another of the customer's payment methods; a gift card must cover the whole amount. The original payment is refunded: " +
      'at once to a gift card, otherwise in 5 to 7 business days. Returns the order.',
    parameters: argumentsSchema({ order_id: orderId, payment_method_id: paymentMethodId('different from the one that paid the order') }),
    run: op.modify_pending_order_payment,
  },
  modify_user_address: {
    access: 'consequential',
    description: "Change the customer's default address. Returns the customer's profile.",
    parameters: argumentsSchema({ user_id: userId, ...address }),
    run: op.modify_user_address,
  },
  return_delivered_order_items: {
    access: 'consequential',
    description:
      "Request the return of items of a delivered order. The order becomes 'return requested' and the customer gets an email on how to send the items back. " +
      "The refund goes to the original payment method or to one of the customer's gift cards. Returns the order.",
    parameters: argumentsSchema({
      order_id: orderId,
      item_ids: list("The ids of the order's items to return, such as ['1008292230']; list an id twice to return two of that item."),
      payment_method_id: paymentMethodId('to receive the refund: the original payment method or a gift card'),
    }),
    run: op.return_delivered_order_items,
  },
  exchange_delivered_order_items: {
    access: 'consequential',
    description:
      'Request the exchange of items of a delivered order for other available items (options) of the same product. This can be done only once, so collect ' +
      "every item to exchange first. The order becomes 'exchange requested' and the customer gets an email on how to send the items back; no new order is " +
      'needed. The price difference is charged to, or refunded via, the given payment method; a gift card must cover a charge. Returns the order.',
    parameters: argumentsSchema({
      order_id: orderId,
      item_ids: list("The ids of the order's items to exchange, such as ['1008292230']; list an id twice to exchange two of that item."),
      new_item_ids: list(
        'The ids of the new items, one for each item in item_ids and in the same order, each of the same product as the item it replaces.',
      ),
      payment_method_id: paymentMethodId('to pay or receive the price difference'),
    }),
    run: op.exchange_delivered_order_items,
  },
  transfer_to_human_agents: {
    access: 'lookup',
    description:
      'Transfer the customer to a human agent, with a summary of their issue. Only when the customer asks for a human, or the request cannot be handled with the other tools.',
    parameters: argumentsSchema({ summary: text("A summary of the customer's issue.") }),
    run: op.transfer_to_human_agents,
  },
  calculate: {
    access: 'lookup',
    description: 'Calculate an arithmetic expression of numbers, + - * / and parentheses. The result is rounded to 2 decimals.',
    parameters: argumentsSchema({ expression: text("The expression, such as '2 * (39.99 + 4.5)'.") }),
    run: op.calculate,
  },
} satisfies Record<string, RetailTool>;

export type OperationName = keyof typeof RETAIL_TOOLS;

const ACCESS_NOTE: Record<Access, string> = {
  lookup: '',
  account: " Needs the customer's verified identity.",
  consequential: " Needs the customer's verified identity and their explicit confirmation (yes) of the action details.",
};

/** The description an agent reads, with who may call the operation. */
export function describe(tool: RetailTool): string {
  return tool.description + ACCESS_NOTE[tool.access];
}
