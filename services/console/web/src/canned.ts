// Canned responses in the reply box: "/" plus the start of a shortcut opens the picker, and the
// chosen response replaces what was typed with its variables filled from the conversation. What
// cannot be filled stays as {{name}} and blocks sending until the agent writes it.
import type { CustomerAccount, TranscriptMessage } from './api';

export interface CannedResponse {
  id: string;
  scope: 'tenant' | 'personal';
  shortcut: string;
  title: string;
  text: string;
  createdBy: string;
  updatedAt: string;
}

/** The variables the gateway accepts in a canned response (canned-response.ts there). */
export const VARIABLES = ['first_name', 'order_id'] as const;
export type Variables = Partial<Record<(typeof VARIABLES)[number], string>>;

/** The "/query" the caret is at the end of, if any: a "/" at the start or after a space. */
export function slashAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|\s)\/([a-z0-9_-]*)$/i.exec(text.slice(0, caret));
  return match ? { start: caret - match[2].length - 1, query: match[2].toLowerCase() } : undefined;
}

/** Responses whose shortcut starts with `query`, then those whose title contains it (the list's own order within each). */
export function matching(responses: CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const byShortcut = responses.filter((r) => r.shortcut.startsWith(query));
  const byTitle = responses.filter((r) => !r.shortcut.startsWith(query) && r.title.toLowerCase().includes(query));
  return [...byShortcut, ...byTitle].slice(0, limit);
}

export function fill(text: string, values: Variables): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name as keyof Variables] || whole);
}

/** The variables `text` still holds unfilled, each once. */
export function unfilled(text: string): string[] {
  const known: readonly string[] = VARIABLES;
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).filter((name) => known.includes(name)))];
}

/**
 * What the conversation says: the customer's first name from their account, and the order it is
 * about — the last of the customer's orders named alone in a message, else their only order.
 * Only what the gateway answered for this agent's role is used (a first name is never masked).
 */
export function variablesOf(customer: CustomerAccount | 'unverified' | undefined, messages: TranscriptMessage[]): Variables {
  if (!customer || customer === 'unverified') return {};
  const account = customer.account as { name?: { first_name?: string }; orders?: string[] };
  const orders = account.orders ?? [];
  let orderId: string | undefined;
  for (const m of messages) {
    // "Which order do you mean: #W1 or #W2?" names two and settles nothing: only a message naming one counts.
    const named = orders.filter((o) => m.text.includes(o));
    if (named.length === 1) orderId = named[0];
  }
  return { first_name: account.name?.first_name, order_id: orderId ?? (orders.length === 1 ? orders[0] : undefined) };
}
