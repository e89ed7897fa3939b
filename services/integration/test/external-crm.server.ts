// A stand-in for a company's own order/CRM API, for the HTTP connector's tests: it serves the
// pristine tau-retail data in a shape of its own (camelCase, addresses as line1/region/postalCode,
// upper-case states, payment methods as a list), so the connector's field mapping is exercised.
// Cancellation runs the reference semantics on its in-memory copy. It counts requests, records
// headers, and can be told to fail or to answer slowly.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Address, Order, Product, User } from '../src/reference/retail-records';
import { cancel_pending_order } from '../src/tools/retail.operations';
import { OperationScope, OPERATOR } from '../src/tools/operation-scope';
import { Refusal } from '../src/tools/tool.errors';
import { pristine } from './reference-fixture';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface ExternalCrm {
  url: string;
  requests: SeenRequest[];
  /** The next `times` requests answer with `status` (e.g. 500); Infinity until `heal()`. */
  fail(status: number, times?: number): void;
  /** Every request waits this long before answering. */
  delay(ms: number): void;
  /** Every request is answered `302 Found` pointing at `location` (its path appended) until `heal()`. */
  redirect(location: string): void;
  heal(): void;
  close(): Promise<void>;
}

const STATUS: Record<string, string> = { pending: 'PENDING', processed: 'PROCESSED', delivered: 'DELIVERED', cancelled: 'CANCELLED' };
const SOURCE: Record<string, string> = { credit_card: 'CARD', paypal: 'PAYPAL', gift_card: 'GIFT_CARD' };

const externalAddress = (a: Address) => ({
  line1: a.address1,
  line2: a.address2,
  city: a.city,
  region: a.state,
  countryCode: a.country,
  postalCode: a.zip,
});

const externalCustomer = (id: string, u: User) => ({
  id,
  firstName: u.name.first_name,
  lastName: u.name.last_name,
  contact: { email: u.email },
  shippingAddress: externalAddress(u.address),
  wallet: Object.values(u.payment_methods).map((m) => ({
    id: m.id,
    type: SOURCE[m.source],
    ...(m.source === 'credit_card' ? { brand: m.brand, last4: m.last_four } : {}),
    ...(m.source === 'gift_card' ? { balance: m.balance } : {}),
  })),
  orderNumbers: u.orders,
});

const externalOrder = (o: Order) => ({
  number: o.order_id,
  customerId: o.user_id,
  state: STATUS[o.status] ?? o.status,
  shipTo: externalAddress(o.address),
  lines: o.items.map((i) => ({ title: i.name, productId: i.product_id, sku: i.item_id, unitPrice: i.price, attributes: i.options })),
  shipments: o.fulfillments.map((f) => ({ trackingNumbers: f.tracking_id, skus: f.item_ids })),
  transactions: o.payment_history.map((p) => ({ kind: p.transaction_type, amount: p.amount, walletId: p.payment_method_id })),
  ...(o.cancel_reason ? { cancellation: { reason: o.cancel_reason } } : {}),
});

const externalProduct = (p: Product) => ({
  id: p.product_id,
  title: p.name,
  skus: Object.values(p.variants).map((v) => ({ sku: v.item_id, attributes: v.options, inStock: v.available, unitPrice: v.price })),
});

export async function startExternalCrm(): Promise<ExternalCrm> {
  const users = structuredClone(pristine.users);
  const orders = structuredClone(pristine.orders);
  const products = pristine.products;
  const requests: SeenRequest[] = [];
  let failures = { status: 0, left: 0 };
  let delayMs = 0;
  let redirectTo: string | undefined;

  // The reference semantics over the in-memory copy, so the API's cancel matches the reference system's.
  const records = {
    user: async (id: string) => (Object.hasOwn(users, id) ? users[id] : undefined),
    order: async (id: string) => (Object.hasOwn(orders, id) ? orders[id] : undefined),
    product: async (id: string) => (Object.hasOwn(products, id) ? products[id] : undefined),
    products: async () => Object.values(products),
    userIdByEmail: async () => undefined,
    userIdByNameZip: async () => undefined,
    saveOrder: async (o: Order) => void (orders[o.order_id] = o),
    saveUser: async (id: string, u: User) => void (users[id] = u),
  };

  const route = async (method: string, url: URL, body: Record<string, string>): Promise<[number, unknown]> => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && parts[0] === 'customers' && parts.length === 2)
      return Object.hasOwn(users, parts[1])
        ? [200, externalCustomer(parts[1], users[parts[1]])]
        : [404, { error: { message: 'no such customer' } }];
    if (method === 'GET' && parts[0] === 'customers' && parts.length === 1) {
      const q = url.searchParams;
      const match = Object.entries(users).filter(([, u]) =>
        q.has('email')
          ? u.email.toLowerCase() === q.get('email')!.toLowerCase()
          : u.name.first_name.toLowerCase() === q.get('firstName')?.toLowerCase() &&
            u.name.last_name.toLowerCase() === q.get('lastName')?.toLowerCase() &&
            u.address.zip === q.get('postalCode'),
      );
      return [200, { results: match.sort(([a], [b]) => (a < b ? -1 : 1)).map(([id]) => ({ id })) }];
    }
    if (method === 'GET' && parts[0] === 'orders' && parts.length === 2)
      return Object.hasOwn(orders, parts[1])
        ? [200, { data: externalOrder(orders[parts[1]]) }]
        : [404, { error: { message: 'no such order' } }];
    if (method === 'POST' && parts[0] === 'orders' && parts[2] === 'cancel') {
      if (!Object.hasOwn(orders, parts[1])) return [404, { error: { message: 'no such order' } }];
      try {
        const order = await cancel_pending_order(new OperationScope(records, OPERATOR, records), {
          order_id: parts[1],
          reason: body.reason,
        });
        return [200, { data: externalOrder(order) }];
      } catch (error) {
        if (error instanceof Refusal) return [409, { error: { message: error.message } }];
        throw error;
      }
    }
    if (method === 'GET' && parts[0] === 'catalog' && parts.length === 1)
      return [200, { products: Object.values(products).map(externalProduct) }];
    if (method === 'GET' && parts[0] === 'catalog' && parts.length === 2)
      return Object.hasOwn(products, parts[1])
        ? [200, externalProduct(products[parts[1]])]
        : [404, { error: { message: 'no such product' } }];
    return [404, { error: { message: `no route ${method} ${url.pathname}` } }];
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const answer = async () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (res.destroyed) return;
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (redirectTo !== undefined) return res.writeHead(302, { location: `${redirectTo}${req.url ?? '/'}` }).end();
      if (failures.left > 0) {
        failures.left -= 1;
        return send(failures.status, { error: { message: 'upstream trouble' } });
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const [status, body] = await route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://crm'), text ? JSON.parse(text) : {});
      send(status, body);
    };
    // A body that is not JSON, or a route that throws, answers 500 instead of leaving the client waiting.
    req.on('end', () => {
      answer().catch((error: unknown) => {
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(error) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (status, times = Infinity) => void (failures = { status, left: times }),
    delay: (ms) => void (delayMs = ms),
    redirect: (location) => void (redirectTo = location),
    heal: () => {
      failures = { status: 0, left: 0 };
      delayMs = 0;
      redirectTo = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The connector config for this API, as a company would write it (the auth secret comes from `valueEnv`). */
export function externalCrmConnector(url: string, overrides: Record<string, unknown> = {}) {
  const address = { address1: 'line1', address2: 'line2', city: 'city', country: 'countryCode', state: 'region', zip: 'postalCode' };
  return {
    kind: 'http',
    baseUrl: url,
    auth: { header: 'X-Api-Key', valueEnv: 'TEST_CRM_API_KEY' },
    operations: {
      get_user: { path: '/customers/{user_id}' },
      get_order: { path: '/orders/{order_id}', result: 'data' },
      get_product: { path: '/catalog/{product_id}' },
      list_products: { path: '/catalog', result: 'products' },
      find_user_id_by_email: { path: '/customers?email={email}', result: 'results.0.id' },
      find_user_id_by_name_zip: { path: '/customers?firstName={first_name}&lastName={last_name}&postalCode={zip}', result: 'results.0.id' },
      cancel_pending_order: { method: 'POST', path: '/orders/{order_id}/cancel', body: { reason: '{reason}' }, result: 'data' },
    },
    mapping: {
      user: {
        name: { first_name: 'firstName', last_name: 'lastName' },
        address: prefixed('shippingAddress', address),
        email: 'contact.email',
        payment_methods: {
          from: 'wallet',
          keyBy: 'id',
          each: {
            source: { from: 'type', values: { CARD: 'credit_card', PAYPAL: 'paypal', GIFT_CARD: 'gift_card' } },
            brand: 'brand',
            last_four: 'last4',
            balance: 'balance',
            id: 'id',
          },
        },
        orders: 'orderNumbers',
      },
      order: {
        order_id: 'number',
        user_id: 'customerId',
        address: prefixed('shipTo', address),
        items: {
          from: 'lines',
          each: { name: 'title', product_id: 'productId', item_id: 'sku', price: 'unitPrice', options: 'attributes' },
        },
        fulfillments: { from: 'shipments', each: { tracking_id: 'trackingNumbers', item_ids: 'skus' } },
        status: { from: 'state', values: { PENDING: 'pending', PROCESSED: 'processed', DELIVERED: 'delivered', CANCELLED: 'cancelled' } },
        payment_history: { from: 'transactions', each: { transaction_type: 'kind', amount: 'amount', payment_method_id: 'walletId' } },
        cancel_reason: 'cancellation.reason',
      },
      product: {
        name: 'title',
        product_id: 'id',
        variants: {
          from: 'skus',
          keyBy: 'item_id',
          each: { item_id: 'sku', options: 'attributes', available: 'inStock', price: 'unitPrice' },
        },
      },
    },
    ...overrides,
  };
}

function prefixed(prefix: string, mapping: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, `${prefix}.${v}`]));
}
