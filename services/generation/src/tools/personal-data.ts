// Order-system results carry the customer's name, address and contact details; the model needs
// none of them to say where an order is, and no personal data may reach an LLM endpoint. Fields
// that hold it are replaced before a result is shown to the model.
const PERSONAL_FIELDS = new Set([
  'user_id',
  'email',
  'phone',
  'address',
  'address1',
  'address2',
  'city',
  'state',
  'zip',
  'country',
  'first_name',
  'last_name',
  'last_four',
]);

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    // A person's `name` is an object ({first_name, last_name}); a product's is a string.
    out[key] = PERSONAL_FIELDS.has(key) || (key === 'name' && typeof field === 'object' && field !== null) ? '[REDACTED]' : scrub(field);
  }
  return out;
}

/** The result JSON without personal fields; text that is not JSON is withheld entirely. */
export function withoutPersonalData(resultJson: string): string {
  try {
    return JSON.stringify(scrub(JSON.parse(resultJson)));
  } catch {
    return JSON.stringify({ note: 'the result could not be read' });
  }
}
