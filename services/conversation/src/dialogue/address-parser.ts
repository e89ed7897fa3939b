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

const STREET =
  /(?<![\w#])(\d+[A-Za-z]?\s+[A-Za-z0-9 .'-]+?)\s*,\s*((?:[^,]+?)\s*,\s*)?([A-Za-z][A-Za-z .'-]*?)\s*,\s*([A-Za-z]{2})\s*,?\s*(\d{5}(?:-\d{4})?)(?:\s*,?\s*(USA|US|U\.S\.A?\.?|United States(?: of America)?))?(?![\w-])/i;

/** The address in `text`, or undefined when it holds no complete one (street, city, state, zip). */
export function addressIn(text: string): Address | undefined {
  const m = STREET.exec(text);
  if (!m) return undefined;
  let [, address1, second, city] = m;
  const [, , , , state, zip] = m;
  // A part between street and city is the second line ("Apt 4", "Suite 991").
  second = second?.replace(/\s*,\s*$/, '').trim();
  address1 = address1.trim();
  city = city.trim();
  return { address1, address2: second ?? '', city, state: state.toUpperCase(), country: 'USA', zip };
}

export function addressText(a: Address): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.zip}`, a.country].filter((part) => part).join(', ');
}
