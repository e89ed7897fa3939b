// The tier rule, and the split it gives on the pristine tau-retail data (quoted in docs/integration.md).
import { pristine } from '../../test/reference-fixture';
import { customerProfile, tierOf } from './customer-profile';

it('is vip from $5,000 or 5 orders, new before a delivery, else regular', () => {
  expect(tierOf(1, 5000, false)).toBe('vip');
  expect(tierOf(5, 100, false)).toBe('vip');
  expect(tierOf(4, 4999.99, false)).toBe('new');
  expect(tierOf(4, 4999.99, true)).toBe('regular');
});

it('splits the 500 tau-retail customers 117 vip, 195 new, 188 regular', () => {
  const split: Record<string, number> = {};
  for (const [id, user] of Object.entries(pristine.users)) {
    const { tier } = customerProfile(
      id,
      user,
      user.orders.map((o) => pristine.orders[o]),
    );
    split[tier] = (split[tier] ?? 0) + 1;
  }
  expect(split).toEqual({ vip: 117, new: 195, regular: 188 });
});

it('counts net spend and lists the open orders', () => {
  const [id, user] = Object.entries(pristine.users).find(([, u]) => u.orders.some((o) => pristine.orders[o].status === 'cancelled'))!;
  const orders = user.orders.map((o) => pristine.orders[o]);
  const profile = customerProfile(id, user, orders);
  const paidForUncancelled = orders
    .filter((o) => o.status !== 'cancelled')
    .reduce((s, o) => s + o.payment_history.reduce((t, p) => t + (p.transaction_type === 'payment' ? p.amount : -p.amount), 0), 0);
  expect(profile.lifetime_spend).toBeCloseTo(paidForUncancelled, 2);
  expect(profile.open_orders).toEqual(orders.filter((o) => ['pending', 'processed'].includes(o.status)).map((o) => o.order_id));
  expect(profile).toMatchObject({ user_id: id, first_name: user.name.first_name, order_count: orders.length });
  expect(profile.orders).toEqual(orders.map((o) => o.order_id));
});
