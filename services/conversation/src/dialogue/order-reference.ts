// Which of the verified customer's orders a message points at without its number: "the other
// one", "the first order", "the latest one", "the one with the luggage set" (另一个, 第一个订单,
// 最新的订单, 有行李箱的那个). Positions count in the CRM's order list, oldest first.
import { ProductMatcher } from '@switchboard/nlu';
import type { DialogueState } from './dialogue-state';
import { productsNamedInEnglish } from './product-names-en';
import { productsNamedInChinese } from './product-names-zh';

/** The product names of one of the customer's orders; undefined when it cannot be read now. */
export type OrderItemNames = (orderId: string) => Promise<string[] | undefined>;

/** Orders read to find "the one with the X": enough for any real customer, bounded for a VIP with hundreds. */
const MAX_ORDERS_READ = 20;

/**
 * The order referred to, and how: "the other one" follows up on the order in focus ("what about
 * the other one?"), while a position or a product usually comes inside a request of its own
 * ("the luggage set from the first order is too small, how do returns work?").
 */
export interface OrderReference {
  orderId: string;
  by: 'other' | 'position' | 'content';
}

export async function orderReferredTo(
  text: string,
  state: DialogueState,
  itemNamesOf: OrderItemNames,
): Promise<OrderReference | undefined> {
  const orders = state.knownOrderIds;
  if (orders.length === 0) return undefined;
  const found = (orderId: string | undefined, by: OrderReference['by']) => (orderId ? { orderId, by } : undefined);
  if (refersToOtherOne(text)) return found(otherOrder(state), 'other');
  const position = positionIn(text, orders.length);
  if (position !== undefined) return found(orders[position], 'position');
  if (namesOrderByContent(text)) return found(await orderWithProducts(text, state, itemNamesOf), 'content');
  return undefined;
}

/**
 * "the other one" / "另一个": with exactly two known orders, the one not in focus.
 */
export function otherOrder(state: DialogueState): string | undefined {
  const others = state.knownOrderIds.filter((id) => id !== state.lastOrderId);
  return others.length === 1 ? others[0] : undefined;
}

function refersToOtherOne(text: string): boolean {
  return /\b(?:the\s+)?other\s+(?:one|order|purchase|package|parcel)\b|另一个|另外一个|另一单|另外那个/i.test(text);
}

// Literal patterns (the ReDoS suite reads literals): each ends in the same order noun.
const EN_ORDINALS: Array<[RegExp, (count: number) => number]> = [
  [/\b(?:first|1st)\s+(?:one|order|purchase|package|parcel)/i, () => 0],
  [/\b(?:second|2nd)\s+(?:one|order|purchase|package|parcel)/i, () => 1],
  [/\b(?:third|3rd)\s+(?:one|order|purchase|package|parcel)/i, () => 2],
  [/\b(?:earliest|oldest|older)\s+(?:one|order|purchase|package|parcel)/i, () => 0],
  [/\b(?:latest|newest|newer|last|most\s+recent|recent)\s+(?:one|order|purchase|package|parcel)/i, (count) => count - 1],
];
const ZH_DIGITS: Record<string, number> = { 一: 0, 二: 1, 两: 1, 三: 2, 四: 3, 五: 4, '1': 0, '2': 1, '3': 2, '4': 3, '5': 4 };
const ZH_NTH = /第([一二两三四五1-5])(?:个|笔|单|张)/;
// 最近/最后 also mean "recently"/"finally", so they count only next to an order word.
const ZH_LATEST = /(?:最新|最近|最后)(?:的)?(?:一|那)?(?:个|笔|次)?(?:订单|单)|(?:最新|最后)(?:的)?(?:那|一)个/;
const ZH_EARLIEST = /(?:最早|最开始|最先)(?:的)?(?:一|那)?(?:个|笔|次)?(?:订单|单)|(?:最早|最开始)(?:的)?(?:那|一)个/;

/** The position, in the customer's order list, of the order named by its place: "the first order", "最新的订单". */
function positionIn(text: string, count: number): number | undefined {
  let position: number | undefined;
  const nth = ZH_NTH.exec(text);
  if (nth) position = ZH_DIGITS[nth[1]];
  else if (ZH_LATEST.test(text)) position = count - 1;
  else if (ZH_EARLIEST.test(text)) position = 0;
  else position = EN_ORDINALS.find(([pattern]) => pattern.test(text))?.[1](count);
  return position !== undefined && position < count ? position : undefined;
}

/** "the one with …", "the order that has …", "the luggage set from my order", "有行李箱的那个". */
function namesOrderByContent(text: string): boolean {
  return (
    /\b(?:one|order|package|parcel)\s+(?:with|that\s+(?:has|had|contains?)|which\s+(?:has|had|contains?)|containing)\b|\b(?:from|in)\s+(?:my|that|the)\s+(?:order|package|parcel)\b/i.test(
      text,
    ) || /的那(?:个|笔|单)|(?:有|带|买了?)[^，。,.?？!！]{1,12}的(?:订单|那)|订单里的/.test(text)
  );
}

/** The one known order holding every product the message names. */
async function orderWithProducts(text: string, state: DialogueState, itemNamesOf: OrderItemNames): Promise<string | undefined> {
  const itemsByOrder = new Map<string, string[]>();
  for (const orderId of state.knownOrderIds.slice(-MAX_ORDERS_READ)) {
    const names = state.orderItems?.[orderId] ?? (await itemNamesOf(orderId));
    if (!names) continue;
    (state.orderItems ??= {})[orderId] = names;
    itemsByOrder.set(orderId, names);
  }
  const catalogue = [...new Set([...itemsByOrder.values()].flat())];
  const named = new Set([
    ...new ProductMatcher(catalogue).find(text).map((m) => m.name),
    ...productsNamedInChinese(text, catalogue),
    ...productsNamedInEnglish(text.toLowerCase(), catalogue),
  ]);
  if (named.size === 0) return undefined;
  const holding = [...itemsByOrder].filter(([, names]) => [...named].every((n) => names.includes(n))).map(([id]) => id);
  return holding.length === 1 ? holding[0] : undefined;
}
