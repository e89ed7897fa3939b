// The HTTP connector against a stand-in company API that can fail, hang or be slow: retries on 5xx
// then a refusal the bot can explain, no retry on 4xx, a timeout per attempt, a circuit breaker that
// opens and recovers, the auth header sent but never logged, and reads served from Redis.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@switchboard/testing';
import { connectTenant, TEST_API_KEY, type ConnectedTenant } from '../../test/connector-fixture';
import { startExternalCrm, type ExternalCrm } from '../../test/external-crm.server';
import { openTestReferenceSystem, pristine, type TestReferenceSystem } from '../../test/reference-fixture';
import { OutboundPolicy } from '../outbound/outbound-policy';
import type { Caller } from '../tools/operation-scope';

let reference: TestReferenceSystem;
let api: ExternalCrm;
const tenants: ConnectedTenant[] = [];

beforeAll(async () => {
  reference = await openTestReferenceSystem();
  api = await startExternalCrm();
});
afterEach(() => api.heal());
afterAll(async () => {
  for (const t of tenants) await t.close();
  await api?.close();
  await reference?.close();
});

/** A fresh tenant on the stand-in API; a high breaker threshold unless the test is about the breaker. */
async function tenant(overrides: Record<string, unknown> = {}, url = api.url, outbound?: OutboundPolicy): Promise<ConnectedTenant> {
  const t = await connectTenant(
    reference.store,
    url,
    { timeoutMs: 500, retries: 2, backoffMs: 10, breaker: { volumeThreshold: 1000 }, ...overrides },
    outbound,
  );
  tenants.push(t);
  return t;
}

const orders = Object.values(pristine.orders);
const operator: Caller = { kind: 'operator' };
const readOrder = (t: ConnectedTenant, index: number) =>
  t.tools.call(t.tenantId, 'get_order_details', { order_id: orders[index].order_id }, operator);
const requestsSince = (start: number) => api.requests.slice(start);

it('retries a 500 and then answers', async () => {
  const t = await tenant();
  api.fail(500, 2);
  const start = api.requests.length;
  await expect(readOrder(t, 0)).resolves.toEqual({ ok: true, result: orders[0] });
  expect(requestsSince(start)).toHaveLength(3);
});

it('refuses with a message the bot can explain once every attempt got a 500', async () => {
  const t = await tenant();
  api.fail(500);
  const start = api.requests.length;
  await expect(readOrder(t, 1)).resolves.toEqual({
    ok: false,
    error: expect.stringMatching(/^the order system is not answering \(HTTP 500, 3 attempts\); tell the customer .* human agent$/),
  });
  expect(requestsSince(start)).toHaveLength(3);
});

it('does not retry a 4xx: a 404 is "not found", another 4xx passes on the API\'s explanation', async () => {
  const t = await tenant();
  let start = api.requests.length;
  await expect(t.tools.call(t.tenantId, 'get_order_details', { order_id: '#W0000000' }, operator)).resolves.toEqual({
    ok: false,
    error: 'Error: order not found',
  });
  expect(requestsSince(start)).toHaveLength(1);
  api.fail(422, 1);
  start = api.requests.length;
  await expect(readOrder(t, 2)).resolves.toEqual({ ok: false, error: 'upstream trouble' });
  expect(requestsSince(start)).toHaveLength(1);
});

it('gives up on a slow API after the timeout, per attempt', async () => {
  const t = await tenant({ timeoutMs: 200, retries: 1 });
  api.delay(1500);
  const started = Date.now();
  await expect(readOrder(t, 3)).resolves.toEqual({
    ok: false,
    error: expect.stringMatching(/^the order system is not answering \(no answer within 200 ms, 2 attempts\)/),
  });
  expect(Date.now() - started).toBeLessThan(1200);
});

it('opens the breaker after repeated failures, refuses without calling, and recovers', async () => {
  const t = await tenant({ retries: 0, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 400 } });
  api.fail(500);
  for (const i of [4, 5, 6])
    await expect(readOrder(t, i)).resolves.toMatchObject({ ok: false, error: expect.stringContaining('(HTTP 500, 1 attempt)') });
  expect(t.systems.breakerState(t.tenantId)).toBe('open');

  const start = api.requests.length;
  await expect(readOrder(t, 7)).resolves.toEqual({
    ok: false,
    error: expect.stringMatching(/^the order system is not answering \(it failed repeatedly and is given a rest\)/),
  });
  expect(requestsSince(start)).toHaveLength(0);

  api.heal();
  await waitFor(async () => (await readOrder(t, 7)).ok, 'the breaker to let a trial call through', 5000, 100);
  expect(t.systems.breakerState(t.tenantId)).toBe('closed');
  expect(t.logs.join('')).toContain('order system circuit breaker opened');
});

it('sends the auth header and never writes the secret to a log', async () => {
  const t = await tenant({ retries: 1 });
  const start = api.requests.length;
  await readOrder(t, 8);
  api.fail(500);
  await readOrder(t, 9);
  const seen = requestsSince(start);
  expect(seen.length).toBeGreaterThanOrEqual(3);
  for (const r of seen) expect(r.headers['x-api-key']).toBe(TEST_API_KEY);
  const logs = t.logs.join('');
  expect(logs).toContain('order system request failed'); // the failures were logged…
  expect(logs).not.toContain(TEST_API_KEY); // …without the secret
  expect(logs).not.toContain('/orders/'); // nor the URL, which may carry an email
});

it('serves repeated reads from Redis with the configured TTLs', async () => {
  const t = await tenant();
  const product = Object.values(pristine.products)[0];
  const start = api.requests.length;
  for (let i = 0; i < 3; i += 1) {
    await expect(readOrder(t, 10)).resolves.toMatchObject({ ok: true });
    await expect(t.tools.call(t.tenantId, 'get_product_details', { product_id: product.product_id }, operator)).resolves.toMatchObject({
      ok: true,
    });
  }
  expect(requestsSince(start).map((r) => r.path)).toEqual([
    `/orders/${encodeURIComponent(orders[10].order_id)}`,
    `/catalog/${product.product_id}`,
  ]);
  const orderTtl = await t.redis.ttl(`t:${t.tenantId}:crm:order:${orders[10].order_id}`);
  const productTtl = await t.redis.ttl(`t:${t.tenantId}:crm:product:${product.product_id}`);
  expect(orderTtl).toBeGreaterThan(0);
  expect(orderTtl).toBeLessThanOrEqual(30);
  expect(productTtl).toBeGreaterThan(30);
  expect(productTtl).toBeLessThanOrEqual(600);
  // The cached order (addresses, payments) is encrypted at rest like the reference CRM's records.
  const cached = await t.redis.get(`t:${t.tenantId}:crm:order:${orders[10].order_id}`);
  expect(cached).toMatch(/^enc:v2:/); // bound to its key: another record's cached value copied here does not decrypt
  expect(cached).not.toContain(orders[10].address.address1);
});

it('refuses a change the company API does not offer', async () => {
  const t = await tenant();
  const pending = orders.find((o) => o.status === 'pending')!;
  await expect(
    t.tools.call(
      t.tenantId,
      'modify_pending_order_address',
      { order_id: pending.order_id, ...pristine.users[pending.user_id].address },
      operator,
    ),
  ).resolves.toEqual({
    ok: false,
    error: "modify_pending_order_address is not offered by this shop's order system; transfer the customer to a human agent for it",
  });
});

it('does not follow a redirect: the auth header never reaches the other server, and its answer is not taken', async () => {
  // An internal service the CRM's redirect points at; it answers like the CRM would, to be believed.
  const seen: IncomingHttpHeaders[] = [];
  const internal = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { internal: 'secret' } }));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  try {
    const t = await tenant();
    api.redirect(`http://127.0.0.1:${(internal.address() as AddressInfo).port}`);
    const start = api.requests.length;
    await expect(readOrder(t, 11)).resolves.toEqual({
      ok: false,
      error: expect.stringMatching(
        /^the order system is not answering \(it answered with a redirect, HTTP 302, which is not followed\); tell the customer/,
      ),
    });
    expect(requestsSince(start)).toHaveLength(1); // not retried: asking again gets the same redirect
    expect(seen).toEqual([]);
    expect(t.logs.join('')).toContain('order system answered with a redirect, which is not followed');
  } finally {
    internal.closeAllConnections();
    await new Promise((resolve) => internal.close(resolve));
  }
});

it('refuses, when connecting, a base URL whose name resolves to an address the operator has not allow-listed', async () => {
  const strict = OutboundPolicy.fromConfig({ NODE_ENV: 'test', OUTBOUND_ALLOWED_ADDRESSES: '' });
  const t = await tenant({ retries: 2 }, api.url.replace('127.0.0.1', 'localhost').replace('http:', 'https:'), strict);
  const start = api.requests.length;
  await expect(readOrder(t, 12)).resolves.toEqual({
    ok: false,
    error: expect.stringMatching(/^the order system is not answering \(its address is refused: loopback address\); tell the customer/),
  });
  expect(requestsSince(start)).toHaveLength(0);
});
