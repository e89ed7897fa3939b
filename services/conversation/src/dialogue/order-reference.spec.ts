// References to an order without its number, against a real customer of the tau-retail data:
// Yara Li, whose account lists #W2497857 (Luggage Set, Smart Watch) then #W3400144 (Notebook, Laptop).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyState, focusOrder, handoffSummary, type DialogueState } from './dialogue-state';
import { orderReferredTo } from './order-reference';

const dataDir = process.env.SWITCHBOARD_DATA_DIR ?? path.resolve(__dirname, '../../../../../shared/data');
const orders: Record<string, { items: Array<{ name: string }> }> = JSON.parse(
  readFileSync(path.join(dataDir, 'tau-retail', 'orders.json'), 'utf8'),
);
const users: Record<string, { orders: string[] }> = JSON.parse(readFileSync(path.join(dataDir, 'tau-retail', 'users.json'), 'utf8'));
const [FIRST, LATEST] = users.yara_li_8961.orders;

/** Yara verified, talking about `focus`, as after "#W2497857" then "what about the other one?". */
function yara(focus = LATEST): DialogueState {
  const state = emptyState();
  state.verifiedUserId = 'yara_li_8961';
  state.knownOrderIds = users.yara_li_8961.orders;
  focusOrder(state, focus);
  return state;
}

function reader(reads: string[] = []) {
  return async (orderId: string) => {
    reads.push(orderId);
    return orders[orderId]?.items.map((i) => i.name);
  };
}

const resolve = async (text: string, state = yara()) => (await orderReferredTo(text, state, reader()))?.orderId;

it('knows the data it tests against', () => {
  expect([FIRST, LATEST]).toEqual(['#W2497857', '#W3400144']);
  expect(orders[FIRST].items.map((i) => i.name)).toContain('Luggage Set');
  expect(orders[LATEST].items.map((i) => i.name)).toContain('Laptop');
});

describe('in English', () => {
  it('resolves the first, the second, the oldest, the latest, the last and the most recent order', async () => {
    await expect(resolve('The luggage set from the first order is too small. How do returns work?')).resolves.toBe(FIRST);
    await expect(resolve('what about the first one?')).resolves.toBe(FIRST);
    await expect(resolve('and my oldest order?')).resolves.toBe(FIRST);
    await expect(resolve('the second order please', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('Where is the latest order?', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('my last order', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('the most recent one', yara(FIRST))).resolves.toBe(LATEST);
  });

  it('resolves the one with a product, reading each order once', async () => {
    const reads: string[] = [];
    const state = yara();
    const named = await orderReferredTo('I mean the one with the luggage set', state, reader(reads));
    expect(named).toEqual({ orderId: FIRST, by: 'content' });
    await expect(orderReferredTo('no, the order that has the laptop', state, reader(reads))).resolves.toEqual({
      orderId: LATEST,
      by: 'content',
    });
    expect(reads).toEqual([FIRST, LATEST]);
    await expect(resolve('the one with the labtop', yara(FIRST))).resolves.toBe(LATEST);
  });

  it('resolves the other one, and nothing when the message names no order', async () => {
    await expect(orderReferredTo('And what about the other one?', yara(FIRST), reader())).resolves.toEqual({
      orderId: LATEST,
      by: 'other',
    });
    await expect(resolve('How do returns work?')).resolves.toBeUndefined();
    await expect(resolve('the one with the bicycle')).resolves.toBeUndefined();
    await expect(resolve('the third order')).resolves.toBeUndefined();
    await expect(resolve('the first order', emptyState())).resolves.toBeUndefined();
  });
});

describe('in Chinese', () => {
  it('resolves 第一个订单, 第二单, 最新的订单, 最早的订单, 最后那个', async () => {
    await expect(resolve('第一个订单里的行李箱太小了，怎么退货？')).resolves.toBe(FIRST);
    await expect(resolve('第二单呢？', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('我最新的订单到哪了？', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('最早的订单呢')).resolves.toBe(FIRST);
    await expect(resolve('最后那个呢', yara(FIRST))).resolves.toBe(LATEST);
  });

  it('resolves the one with a product named in Chinese, and leaves 最近 meaning "recently" alone', async () => {
    await expect(resolve('我说的是有行李箱的那个')).resolves.toBe(FIRST);
    await expect(resolve('买了笔记本电脑的那个订单', yara(FIRST))).resolves.toBe(LATEST);
    await expect(resolve('我最近很忙')).resolves.toBeUndefined();
    await expect(resolve('另一个呢？', yara(FIRST))).resolves.toBe(LATEST);
  });
});

it("names the referred order in the hand-off summary (the demo's fifth turn)", async () => {
  const state = yara();
  const reference = await orderReferredTo('The luggage set from the first order is too small. How do returns work?', state, reader());
  focusOrder(state, reference!.orderId);
  expect(handoffSummary(state, 'customer_asked')).toContain(`Order: ${FIRST}.`);
});
