// `switchboard tools call`, run as an operator would run it (the built CLI as a process) against a
// database of its own: one JSON line out per line in, carrying on after malformed lines and refusals.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase } from '@switchboard/testing';
// The integration service's own test fixture (cli -> services is allowed; no package entry exports it).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { anOrder, pristine } from '../../../services/integration/test/reference-fixture';
import { repoRoot } from '../paths';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

function switchboard(args: string[], input = '') {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin/switchboard.js'), ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: database.url },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

it("answers each stdin line with one JSON line, with an operator's authority", () => {
  const order = anOrder((o) => o.status === 'pending', 'pending order');
  const lines = [
    { operation: 'reset' },
    { operation: 'find_user_id_by_email', arguments: { email: pristine.users[order.user_id].email } },
    '{"operation": "get_order_details", "arguments": {',
    { operation: 'get_order_details', arguments: { order_id: '#W0000000' } },
    '',
    { operation: 'cancel_pending_order', arguments: { order_id: order.order_id, reason: 'ordered by mistake' } },
    { operation: 'get_order_details', arguments: { order_id: order.order_id } },
    { operation: 'get_order_details', args: { order_id: order.order_id } },
  ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));

  const run = switchboard(['tools', 'call', '-', '--tenant', 'acme'], `${lines.join('\n')}\n`);

  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const answers = run.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(answers).toHaveLength(7); // the blank line gets no answer
  expect(answers[0]).toEqual({ ok: true, result: { users: 500, orders: 1000, products: 50 } });
  expect(answers[1]).toEqual({ ok: true, result: order.user_id });
  expect(answers[2]).toMatchObject({ ok: false, error: expect.stringMatching(/^line 3: not JSON/) });
  expect(answers[3]).toEqual({ ok: false, error: 'Error: order not found' });
  expect(answers[4]).toMatchObject({
    ok: true,
    result: { order_id: order.order_id, status: 'cancelled', cancel_reason: 'ordered by mistake' },
  });
  expect(answers[5]).toMatchObject({ ok: true, result: { status: 'cancelled' } });
  expect(answers[6]).toEqual({ ok: false, error: 'line 8: unknown field "args"; a line holds "operation" and "arguments"' });
});

it('prints one result and exits 0, or prints the refusal on stderr and exits 1', () => {
  const delivered = anOrder((o) => o.status === 'delivered', 'delivered order');
  const found = switchboard(['tools', 'call', 'get_order_details', JSON.stringify({ order_id: delivered.order_id }), '--tenant', 'acme']);
  expect(found.status).toBe(0);
  expect(JSON.parse(found.stdout)).toEqual(pristine.orders[delivered.order_id]);

  const refused = switchboard([
    'tools',
    'call',
    'cancel_pending_order',
    JSON.stringify({ order_id: delivered.order_id, reason: 'no longer needed' }),
    '--tenant',
    'acme',
  ]);
  expect(refused).toMatchObject({ status: 1, stdout: '', stderr: 'Error: non-pending order cannot be cancelled\n' });
});
