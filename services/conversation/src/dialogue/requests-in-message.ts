// One message, several requests: "Could you cancel the desk lamp I ordered? And I've moved, so the
// address on my account should now be 55 Birch Lane…". The bot carries them out one after the
// other, each with its own confirmation; the later ones wait in the dialogue state
// (`DialogueState.requests`) until the one in hand is done, refused, declined or sent for approval.
import { actionFor, givesNewAddress, requestsAction } from './order-action.task';
import type { ActionIntent, MessageRequest } from './dialogue-state';
import { RETAIL_FLOWS } from './order-flows';
import { addressIn } from './address-parser';
import { actionsNamedOutright } from './understanding';

/**
 * Sentence ends, and a clause that starts a request of its own: ", and could you…", "and also
 * change…", "，另外…", "，再把…". A list of items ("the tablet and the perfume") is no boundary.
 */
const CLAUSE_BOUNDARY =
  /(?<=[.!?;])\s+|(?<=[。！？；])|(?:,?\s{1,3}(?=(?:and|then|plus)\s)|,\s{0,3}(?=also\s))(?=\w+\s{1,3}(?:(?:also|then|please|pls)\s{1,3})?(?:(?:could|can|would|will)\s{1,3}(?:you|u)\b|i(?:'d| would)?\s{1,3}(?:also\s{1,3})?(?:like|want|need)\b|(?:cancel|return|exchange|swap|change|update|modify|set|make|send|ship|switch|put)\b))|[，,]\s{0,3}(?=另外|还有|顺便|同时|然后|再|也)/i;
/**
 * One request or another, one only if the other cannot be done, or one taken back for the other
 * ("I want to return the kettle. Actually, I'd rather exchange it"): never both.
 */
const ALTERNATIVES =
  /\bif not\b|\botherwise\b|\bor else\b|\bif (?:that|it|this)(?:'s| is) not possible\b|\bif (?:you|u) can'?t\b|\beither\b|\brather\b|\bactually\b|\bon second thought\b|\binstead of\b|否则|不行的话|如果不能|要么|或者|还是|其实|算了/i;
/** An action named only to say it is not wanted: "I don't want to return it", "不用退". */
const NEGATED =
  /\b(?:don'?t|do not|doesn'?t|didn'?t|not|never|no need to|no longer)\b[^.?!,]{0,15}?\b(?:cancel|return|exchang|swap|chang|modif|updat)|(?:不|别|没|无需|不用)(?:要|想|用|必|需要)?(?:取消|退|换|改)/i;
/** A request added to one before it: "and also…", "顺便把默认地址也更新一下". */
const ADDED = /^(?:and|also|plus|then)\b|^(?:另外|还有|顺便|同时|然后|再|也)/i;
/** …unless it tells what happened: "And I already returned the shoes", "另外鞋子已经退了". */
const TOLD = /\b(?:already|have|has|had|was|were|did)\b|已经|过了/i;
/** What moderation puts in place of an address it masks: a word "address" the customer did not write. */
const ADDRESS_MASK = /\[ADDRESS\]/g;
const ADDRESS_KEYS: ReadonlySet<string | undefined> = new Set(['change_address', 'change_user_address']);

/**
 * "Could you update the adress on my acount? its now [ADDRESS]": a part that names an address only
 * by moderation's mask, after an address change was asked, gives that change its address; it asks
 * for no second change (the account's address was then also put on a pending order).
 */
function givesAddressFor(asked: string | undefined, clause: string): boolean {
  return (
    ADDRESS_KEYS.has(asked) && actionKeyOf(clause) === 'change_address' && actionKeyOf(clause.replace(ADDRESS_MASK, ' ')) === undefined
  );
}
/** At most this many requests are taken from one message; the rest of it is context. */
const MOST = 3;
const MOST_CLAUSES = 16;

/**
 * The requests a message makes, in its order, when it makes more than one; undefined when it makes
 * one, or when the parts cannot be told apart for certain (then the message is one request, as before).
 * `likely`: the classifier's likeliest intents for the whole message (exchange or modify).
 */
export function requestsIn(text: string, raw: string, likely: readonly string[]): MessageRequest[] | undefined {
  // A line that starts with "or"; spaces and tabs only, as \s* at every line start of a run of
  // newlines read the rest of the run each time (quadratic: 10 ms on 4,000 newlines).
  if (ALTERNATIVES.test(text) || /^[ \t]*or\b/im.test(text)) return undefined;
  const clauses = clausesOf(text);
  const rawClauses = clausesOf(raw);
  // Moderation masks personal data; a mask that hides a boundary ("Apt. 4") leaves nothing to align.
  // A message of many parts is read as one request: each part costs a pass over every action's words.
  if (clauses.length < 2 || clauses.length > MOST_CLAUSES || clauses.length !== rawClauses.length) return undefined;
  const groups: Array<{ key?: string; text: string[]; raw: string[] }> = [];
  clauses.forEach((clause, i) => {
    const current = groups.at(-1);
    const key = givesAddressFor(current?.key, clause) ? current?.key : actionKeyOf(clause);
    if (current && (key === undefined || current.key === undefined || key === current.key)) {
      current.key ??= key;
      current.text.push(clause);
      current.raw.push(rawClauses[i]);
    } else groups.push({ key, text: [clause], raw: [rawClauses[i]] });
  });
  const requests = groups.flatMap((group) => {
    if (!group.key) return [];
    const text = group.text.join(' ');
    const intent = intentOf(group.key, text, likely);
    const ownRaw = group.raw.join(' ');
    const asks =
      requestsAction(text) ||
      givesNewAddress(intentLabel(intent), ownRaw) ||
      (groups.indexOf(group) > 0 && ADDED.test(text) && !TOLD.test(text));
    if (!asks) return [];
    const needsAddress = RETAIL_FLOWS[intent].details.includes('address');
    return [{ intent, text, raw: needsAddress ? (addressIn(ownRaw) ? ownRaw : raw) : text }];
  });
  // Every part must ask for something of its own: a statement ("I already returned the shoes")
  // is context, and then the message is one request.
  if (requests.length < 2 || requests.length !== groups.filter((g) => g.key).length) return undefined;
  return requests.slice(0, MOST);
}

function clausesOf(text: string): string[] {
  return text
    .split(CLAUSE_BOUNDARY)
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0);
}

/** Which task a clause asks for, when it names exactly one (the account's address apart from an order's). */
function actionKeyOf(clause: string): string | undefined {
  if (NEGATED.test(clause)) return undefined;
  const named = actionsNamedOutright(clause);
  if (named.length !== 1) return undefined;
  const [intent] = named[0];
  if (intent === 'change_address') return actionFor(intent, clause);
  return named[0].length > 1 ? 'items' : intent;
}

function intentOf(key: string, text: string, likely: readonly string[]): ActionIntent {
  if (key !== 'items') return key as ActionIntent;
  const liked = likely.find((intent) => intent === 'exchange_item' || intent === 'modify_order') ?? 'exchange_item';
  return actionFor(liked, text);
}

/** The classifier's label for an action (it has one address intent for the order's and the account's). */
export function intentLabel(action: ActionIntent): string {
  return action === 'change_user_address' ? 'change_address' : action;
}
