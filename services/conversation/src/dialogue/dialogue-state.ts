// What the bot remembers about one conversation between turns: the task in hand, what the
// customer has told it, who they are once verified, what it is waiting for, and how the
// conversation is going. Pure data and pure functions; the store keeps it in Redis.

/** The details a task can need from the customer. */
export type SlotName = 'order_id' | 'email' | 'name' | 'zip';

export type ActionIntent =
  'cancel_order' | 'return_item' | 'exchange_item' | 'modify_order' | 'change_address' | 'change_user_address' | 'change_payment';
export type ActionDetail = 'reason' | 'items' | 'new_items' | 'payment' | 'address';

export interface PendingAction {
  intent: ActionIntent;
  orderId?: string;
  reason?: string;
  itemIds?: string[];
  /** The replacement chosen for each of `itemIds`, by position, once the customer named it. */
  replacements?: Record<string, string>;
  /** What the customer said while the bot still had to verify them or find the order, read again once it can. */
  held?: string[];
  /** The item whose replacement the bot asked for last (its position in `itemIds`). */
  askedFor?: number;
  paymentMethodId?: string;
  address?: { address1: string; address2: string; city: string; state: string; country: string; zip: string };
  /** Set once every detail is known: the operation the customer is asked to confirm. */
  operation?: string;
  args?: Record<string, unknown>;
  /** The confirmation the customer is asked to say yes to: what a person approving the action reads. */
  confirmation?: string;
}

/** One of several requests in one message ("cancel the lamp, and change my account's address"). */
export interface MessageRequest {
  intent: ActionIntent;
  /** The part of the (redacted) message that asks for it, with the context before it. */
  text: string;
  /**
   * The same part as the customer wrote it, kept only when the task needs an address from it (the
   * whole message when the part says "make it my default address too"); otherwise the redacted part.
   */
  raw: string;
}

export interface Turn {
  role: 'customer' | 'bot';
  /** Already free of PII: customer text as moderation redacted it. */
  text: string;
}

export interface DialogueState {
  /** The task in hand (an intent label), kept across turns until it is done or replaced. */
  intent?: string;
  /** What the customer gave; values may be personal data, so the state never leaves Redis. */
  slots: Partial<Record<SlotName, string>>;
  /** Set once the CRM confirmed who the customer is. */
  verifiedUserId?: string;
  /** How strongly the latest turn proves `verifiedUserId` (customer-identity.ts); absent while unverified. */
  verifiedBy?: 'channel' | 'knowledge';
  /** The customer's first name, from the CRM, for greetings. */
  firstName?: string;
  /** The verified customer's orders, from the CRM, newest last. */
  knownOrderIds: string[];
  /** The order the conversation is about, so "the other one" can be resolved. */
  lastOrderId?: string;
  /** Product names of the customer's orders read so far, so "the one with the luggage set" is read once. */
  orderItems?: Record<string, string[]>;
  /** What the last reply asked for, if anything. */
  awaiting?:
    | { kind: 'slots'; slots: SlotName[] }
    | { kind: 'clarify'; options: string[] }
    | { kind: 'detail'; detail: ActionDetail }
    | { kind: 'confirm' };
  /** An order action being prepared: what is known so far, then what the customer is asked to confirm. */
  action?: PendingAction;
  /**
   * Requests the customer made in the same message as the action in hand, taken up in order once
   * it is done, refused or declined; dropped when a person takes over (the summary names them).
   */
  requests?: MessageRequest[];
  /**
   * The action offered at the end of a policy answer ("…I can cancel an order for you here: just
   * say yes"), with the (redacted) question it answered: a yes on the next turn starts it from those
   * words; anything else lets it go.
   */
  offered?: { intent: ActionIntent; text: string };
  /** Every slot the bot has ever asked for in this conversation. */
  asked: SlotName[];
  /** What the bot has done for the customer, one short line each, for the person who takes over. */
  tried: string[];
  /** The customer's tier from the CRM (e.g. vip, regular, new), once verified. */
  tier?: string;
  /**
   * Dates and amounts the customer named ("charged $45 twice on March 2"), canonical and newest
   * last: facts the person who takes over needs. Phone numbers are read (so their digits are not
   * taken for a zip) but never kept: contact details stay in the CRM.
   */
  mentioned?: { dates: string[]; amounts: string[] };
  /** Consecutive turns the bot could not tell what the customer wants. */
  lowConfidenceStreak: number;
  /** Frustration (0..1) of the most recent customer turns, oldest first. */
  frustration: number[];
  /** The most recent turns, verbatim (redacted). */
  recent: Turn[];
  /** Older turns, folded into one line each once `recent` grows past its limit. */
  summary: string[];
  turns: number;
}

export const RECENT_TURNS = 8;
const FRUSTRATION_WINDOW = 5;
const SUMMARY_LINES = 20;

export function emptyState(): DialogueState {
  return { slots: {}, knownOrderIds: [], asked: [], tried: [], lowConfidenceStreak: 0, frustration: [], recent: [], summary: [], turns: 0 };
}

/** Adds a turn to the history; the oldest turns beyond the limit become summary lines. */
export function remember(state: DialogueState, turn: Turn): void {
  state.recent.push(turn);
  while (state.recent.length > RECENT_TURNS) state.summary.push(lineOf(state.recent.shift()!));
  if (state.summary.length > SUMMARY_LINES) state.summary.splice(0, state.summary.length - SUMMARY_LINES);
}

export function recordFrustration(state: DialogueState, score: number): void {
  state.frustration.push(Math.round(score * 100) / 100);
  if (state.frustration.length > FRUSTRATION_WINDOW) state.frustration.shift();
}

/** Notes what the bot did (kept short: the last few matter to the agent). */
export function noteTried(state: DialogueState, line: string): void {
  if (state.tried.at(-1) === line) return;
  state.tried.push(line);
  if (state.tried.length > 8) state.tried.shift();
}

const MENTIONED_KEPT = 5;

/** Keeps the dates and amounts a message names, each once, the latest few. */
export function noteMentioned(state: DialogueState, entities: ReadonlyArray<{ type: string; value: string }>): void {
  const kinds = { date: 'dates', amount: 'amounts' } as const;
  for (const entity of entities) {
    const kind = kinds[entity.type as keyof typeof kinds];
    if (!kind) continue;
    state.mentioned ??= { dates: [], amounts: [] };
    const list = state.mentioned[kind].filter((v) => v !== entity.value);
    list.push(entity.value);
    state.mentioned[kind] = list.slice(-MENTIONED_KEPT);
  }
}

/** Remembers the orders the CRM lists for the customer and the one in focus. */
export function focusOrder(state: DialogueState, orderId: string): void {
  state.lastOrderId = orderId;
  state.slots.order_id = orderId;
}

/** A one-paragraph account of the conversation for a human agent (free of PII by construction). */
export function handoffSummary(state: DialogueState, reason: string): string {
  const parts: string[] = [];
  // The agent needs to know who this is; contact details stay in the CRM, not in the ticket.
  parts.push(
    state.verifiedUserId
      ? `Customer: ${state.firstName ?? 'verified customer'} (user ${state.verifiedUserId}${state.tier ? `, ${state.tier}` : ''}), identity verified through the CRM.`
      : 'Customer: identity not verified.',
  );
  if (state.intent) parts.push(`Wants: ${state.intent.replace(/_/g, ' ')}.`);
  if (state.lastOrderId) parts.push(`Order: ${state.lastOrderId}.`);
  if (state.requests?.length)
    parts.push(`Also asked for, not yet done: ${state.requests.map((r) => r.intent.replace(/_/g, ' ')).join('; ')}.`);
  if (state.tried.length > 0) parts.push(`Tried: ${state.tried.join('; ')}.`);
  if (state.mentioned?.dates.length) parts.push(`Dates mentioned: ${state.mentioned.dates.join(', ')}.`);
  if (state.mentioned?.amounts.length) parts.push(`Amounts mentioned: ${state.mentioned.amounts.join(', ')}.`);
  const mood = state.frustration.at(-1);
  if (mood !== undefined) parts.push(`Frustration ${mood.toFixed(2)} (0 calm, 1 angry).`);
  parts.push(`Hand-off reason: ${reason.replace(/_/g, ' ')}.`);
  const history = [...state.summary, ...state.recent.map(lineOf)].slice(-6);
  if (history.length > 0) parts.push(`Last messages: ${history.join(' | ')}`);
  return parts.join(' ');
}

/** What an LLM may know to summarise the conversation: nothing that identifies the customer. */
export function summaryInput(state: DialogueState, reason: string): { lines: string[]; facts: Array<{ name: string; value: string }> } {
  const facts = [
    { name: 'hand-off reason', value: reason.replace(/_/g, ' ') },
    { name: 'identity verified', value: state.verifiedUserId ? 'yes' : 'no' },
    ...(state.tier ? [{ name: 'customer tier', value: state.tier }] : []),
    ...(state.intent ? [{ name: 'customer wants', value: state.intent.replace(/_/g, ' ') }] : []),
    ...(state.lastOrderId ? [{ name: 'order in focus', value: state.lastOrderId }] : []),
    ...(state.requests ?? []).map((r) => ({ name: 'also asked for, not yet done', value: r.intent.replace(/_/g, ' ') })),
    ...state.tried.map((line) => ({ name: 'tried', value: line })),
    ...(state.mentioned?.dates ?? []).map((value) => ({ name: 'date the customer mentioned', value })),
    ...(state.mentioned?.amounts ?? []).map((value) => ({ name: 'amount the customer mentioned', value })),
    ...(state.frustration.length > 0 ? [{ name: 'frustration (0 calm, 1 angry)', value: state.frustration.join(', ') }] : []),
  ];
  return { lines: [...state.summary, ...state.recent.map(lineOf)].slice(-20), facts };
}

/** One turn as a short single line, for summaries. */
function lineOf(turn: Turn): string {
  const text = turn.text.replace(/\s+/g, ' ').trim();
  return `${turn.role === 'customer' ? 'Customer' : 'Bot'}: ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`;
}
