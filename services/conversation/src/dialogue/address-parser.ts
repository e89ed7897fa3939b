// A US postal address as customers write it in one line ("123 Main St, Apt 4, Austin, TX 78701,
// USA"), split into the order system's fields. Read from the customer's own text, not the redacted
// one: moderation may mask parts of an address, and the address is needed verbatim.
export interface Address {
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

// Found from its end, state and zip, then read back over at most three comma-separated parts (city,
// an optional second line, the street). One regex for the whole shape backtracked for over a
// minute on a crafted 4,000-character message (the ReDoS suite); each step here is linear.
const STATE_ZIP = /(?<![A-Za-z])([A-Za-z]{2})\s{0,3},?\s{0,3}(\d{5}(?:-\d{4})?)(?![\w-])/g;
const CITY = /^[A-Za-z][A-Za-z .'-]*$/;
/** A city not set off by a comma is read only as one to three words none of which a sentence around it would use ("…, send them to Austin TX"). */
const CITY_WITHOUT_COMMA =
  /^(?!.*\b(?:to|is|my|me|it|them|at|in|and|please|live|address|ship|send|deliver)\b)[A-Za-z.'-]+(?: [A-Za-z.'-]+){0,2}$/i;
/** A street number where a word starts ("9 Elm St"; not the digits of "#W2273069"). */
const STREET_NUMBER = /(?<![\w#])\d+[A-Za-z]?\s+(?=[A-Za-z0-9.'-])/g;
const STREET_CHAR = /[A-Za-z0-9 .'-]/;
/** What a second address line starts with: "Apt 4", "Suite 210", "Unit 12 B", "#5", "Floor 3". */
const SECOND_LINE = /^\s*(?:apt|apartment|suite|ste|unit|#|no\.?|floor|fl|room|rm|bldg|building|dept|po box)\b|^\s*#/i;

/** The address in `text`, or undefined when it holds no complete one (street, city, state, zip). */
export function addressIn(text: string): Address | undefined {
  for (const m of text.matchAll(STATE_ZIP)) {
    let comma = m.index - 1;
    while (comma >= 0 && /\s/.test(text[comma])) comma -= 1;
    // "…, Austin, TX 78701", or without that comma "…, Austin TX 78701": the city runs from the comma
    // before it; with none at all ("9 Elm St Austin TX") street and city cannot be told apart.
    const cityEnd = text[comma] === ',' ? comma : m.index;
    const parts = lastParts(text, cityEnd, 3);
    if (cityEnd === m.index && parts.length < 2) continue;
    const city = parts.pop()?.trim() ?? '';
    if (!CITY.test(city) || (cityEnd === m.index && !CITY_WITHOUT_COMMA.test(city))) continue;
    // The street in the part before the city, or (with a second line between) the one before that.
    // A part with a street of its own is no second line ("need 2 update my adress, new one is 2291
    // Redwood Hollow Drive, …": the "2" is no street number), unless it is one by name ("Unit 12 B").
    const [first, next] = parts.length === 2 ? parts : [undefined, parts[0]];
    const secondLine = first !== undefined && (SECOND_LINE.test(next) || streetIn(next) === undefined);
    const beforeSecondLine = secondLine ? streetIn(first) : undefined;
    const address1 = beforeSecondLine ?? (next === undefined ? undefined : streetIn(next));
    if (!address1) continue;
    const [street, unit] = beforeSecondLine ? [address1, next.trim()] : splitTrailingUnit(address1);
    return { address1: street, address2: capitalised(unit), city, state: m[1].toUpperCase(), country: 'USA', zip: m[2] };
  }
  return undefined;
}

/** A second line written at the end of the street, without a comma ("4410 Birch Hollow Rd apt 12"). */
const TRAILING_UNIT = /\s((?:apt|apartment|suite|ste|unit|floor|fl|room|rm|bldg|building)\.?\s{0,2}[A-Za-z0-9-]{1,8})$/i;

function splitTrailingUnit(street: string): [string, string] {
  const m = TRAILING_UNIT.exec(street);
  if (!m || !/^\d+[A-Za-z]?\s+[^\s]*[A-Za-z]/.test(street.slice(0, m.index))) return [street, '']; // a street is left
  return [street.slice(0, m.index).trim(), m[1]];
}

/** "apt 12" as an address is written: "Apt 12". */
function capitalised(unit: string): string {
  return unit.replace(/^[a-z]/, (c) => c.toUpperCase());
}

/**
 * A correction of one part of an address ("the apartment is 3D, not 3B", "3D instead of 3B",
 * 是3D不是3B): the address with the old part replaced, wherever it stands as a whole token. Only
 * between tokens with digits (apartment, street and zip numbers): "that's fine, not a problem"
 * must not turn "Apt A" into "Apt fine". Bounded tokens, so a long message costs one pass.
 */
const CORRECTIONS: ReadonlyArray<[RegExp, 'new-old' | 'old-new']> = [
  [/(?<![\w-])([\w-]{1,12}),?\s{1,3}(?:and\s{1,3})?not\s{1,3}(?:the\s{1,3})?([\w-]{1,12})(?![\w-])/gi, 'new-old'],
  [/(?<![\w-])([\w-]{1,12})\s{1,3}instead\s{1,3}of\s{1,3}([\w-]{1,12})(?![\w-])/gi, 'new-old'],
  [/(?<![\w-])([\w-]{1,12})[，,]?\s{0,3}不是\s{0,3}([\w-]{1,12})(?![\w-])/g, 'new-old'],
  [/不是\s{0,3}([\w-]{1,12})[，,]?\s{0,3}(?:而)?是\s{0,3}([\w-]{1,12})(?![\w-])/g, 'old-new'],
];

export function correctedAddress(address: Address, text: string): Address {
  let corrected = address;
  for (const [pattern, order] of CORRECTIONS) {
    for (const m of text.matchAll(pattern)) {
      const [fresh, old] = order === 'new-old' ? [m[1], m[2]] : [m[2], m[1]];
      if (fresh.toLowerCase() === old.toLowerCase() || !/\d/.test(fresh) || !/\d/.test(old)) continue;
      const token = new RegExp(`(?<![\\w-])${old.replace(/[-]/g, '\\-')}(?![\\w-])`, 'i');
      const fields = Object.entries(corrected) as Array<[keyof Address, string]>;
      if (!fields.some(([, value]) => token.test(value))) continue;
      corrected = Object.fromEntries(fields.map(([key, value]) => [key, value.replace(token, fresh)])) as unknown as Address;
    }
  }
  return corrected;
}

/** Up to `n` comma-separated parts of `text` before `end`, in text order (the first may run to its start). */
function lastParts(text: string, end: number, n: number): string[] {
  const parts: string[] = [];
  while (parts.length < n && end >= 0) {
    const comma = parts.length === n - 1 ? -1 : text.lastIndexOf(',', end - 1);
    parts.unshift(text.slice(comma + 1, end));
    if (comma < 0) break;
    end = comma;
  }
  return parts;
}

/** The street at the end of one part: from the first street number after which only street characters follow. */
function streetIn(part: string): string | undefined {
  let from = part.length;
  while (from > 0 && STREET_CHAR.test(part[from - 1])) from -= 1;
  STREET_NUMBER.lastIndex = from;
  const m = STREET_NUMBER.exec(part);
  return m ? part.slice(m.index).trim() : undefined;
}

export function addressText(a: Address): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.zip}`, a.country].filter((part) => part).join(', ');
}
