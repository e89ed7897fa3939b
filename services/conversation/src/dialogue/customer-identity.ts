// Who the customer is and which order they mean, established once per conversation: email, or
// name and zip, looked up in the CRM; then their orders are known, so the bot can offer them
// instead of asking for an order number. Shared by every order task.
import { phrasebook, slotWords, type Language } from '../turns/replies';
import { focusOrder, type DialogueState, type SlotName } from './dialogue-state';
import type { CustomerProfile, OrderTools, ToolOutcome } from './order-tools';

export type Question = { kind: 'ask'; slots: SlotName[]; text: string } | { kind: 'retry'; text: string };

/**
 * What the channel adapter says about this turn's sender, and the tenant's rule for order changes.
 * The knowledge-based checks (email, or name and zip: the tau-bench rules) still decide whether
 * the bot helps at all; this decides how strong that proof is.
 */
export interface ChannelIdentity {
  /** The adapter's customer id for the sender. */
  customerId: string;
  /** The adapter authenticated `customerId` (signed-in session, verified phone). */
  authenticated: boolean;
  /** The tenant changes no order unless the proof is the channel's. */
  required: boolean;
}

export const NO_CHANNEL_IDENTITY: ChannelIdentity = { customerId: '', authenticated: false, required: false };

/**
 * "channel" when the adapter authenticated the very user the CRM verified (the company's customer
 * id is the order system's user id); "knowledge" when only what the customer typed proves it —
 * anyone who learns an email, or a name and zip, gets that far.
 */
export function verificationMethod(state: DialogueState, channel: ChannelIdentity): DialogueState['verifiedBy'] {
  if (!state.verifiedUserId) return undefined;
  return channel.authenticated && channel.customerId === state.verifiedUserId ? 'channel' : 'knowledge';
}

/** Verifies the customer if they are not yet; returns the question to ask when that is not possible yet. */
export async function identify(state: DialogueState, tools: OrderTools, language: Language): Promise<Question | undefined> {
  if (state.verifiedUserId) return undefined;
  const say = phrasebook(language);
  const verified = await verify(state, tools);
  if (verified === 'unknown') {
    state.awaiting = { kind: 'slots', slots: [missingIdentity(state)] };
    return { kind: 'retry', text: say.unknownAccount };
  }
  if (verified === 'verified') return undefined;
  return ask(state, missingIdentity(state), language);
}

/**
 * The order in focus when it is one of `eligible` (the customer's orders a task may act on); with
 * exactly one eligible order it is chosen without asking, otherwise the customer picks.
 */
export function chooseOrder(state: DialogueState, language: Language, eligible = state.knownOrderIds): string | Question {
  if (state.slots.order_id && state.knownOrderIds.includes(state.slots.order_id)) return state.slots.order_id;
  if (state.slots.order_id) {
    const wrong = state.slots.order_id;
    delete state.slots.order_id;
    state.awaiting = { kind: 'slots', slots: ['order_id'] };
    return { kind: 'retry', text: phrasebook(language).notYourOrder(wrong) };
  }
  if (eligible.length === 1) {
    focusOrder(state, eligible[0]);
    return eligible[0];
  }
  return ask(state, 'order_id', language, eligible);
}

export function ask(state: DialogueState, slot: SlotName, language: Language, options: string[] = []): Question {
  const say = phrasebook(language);
  state.awaiting = { kind: 'slots', slots: [slot] };
  if (!state.asked.includes(slot)) state.asked.push(slot);
  return {
    kind: 'ask',
    slots: [slot],
    text: slot === 'order_id' && options.length > 1 ? say.askOneOf(options) : say.ask(slotWords(language, [slot])),
  };
}

/** What identity detail to ask for: someone who began with name and zip finishes with them. */
function missingIdentity(state: DialogueState): SlotName {
  if (state.slots.name && !state.slots.zip) return 'zip';
  if (state.slots.zip && !state.slots.name) return 'name';
  return 'email';
}

/** Finds the customer's account from what they gave; remembers it and their orders. */
async function verify(state: DialogueState, tools: OrderTools): Promise<'verified' | 'unknown' | 'incomplete'> {
  let found: ToolOutcome | undefined;
  if (state.slots.email) {
    found = await tools.call('find_user_id_by_email', { email: state.slots.email });
    if (!found.ok) delete state.slots.email;
  } else if (state.slots.name && state.slots.zip) {
    const [firstName, ...rest] = state.slots.name.split(/\s+/);
    found = await tools.call('find_user_id_by_name_zip', { first_name: firstName, last_name: rest.join(' '), zip: state.slots.zip });
    if (!found.ok) {
      delete state.slots.name;
      delete state.slots.zip;
    }
  }
  if (!found) return 'incomplete';
  if (!found.ok) return 'unknown';
  const userId = typeof found.result === 'string' ? found.result : String((found.result as { user_id?: string }).user_id ?? '');
  // One read gives who they are, their orders and their tier (which shapes the rest: VIPs reach
  // a person sooner).
  const profile = await tools.call('get_customer_profile', { user_id: userId }, userId);
  if (!profile.ok) return 'unknown';
  const customer = profile.result as CustomerProfile;
  state.verifiedUserId = userId;
  state.firstName = customer.first_name;
  state.knownOrderIds = customer.orders ?? [];
  state.tier = customer.tier;
  return 'verified';
}
