// What must never reach a log line, removed before pino writes it: values under secret or
// customer-text keys at any depth, the path and query of every URL (webhook URLs are often secrets
// themselves), and what database errors quote of the row (TypeORM's query parameters, Postgres's
// `detail`, a rejected value in the message). Emails and international phone numbers in any string
// are replaced too, as a last net under code that logs something it should not.

// Keys whose values never reach a log line, wherever they appear in the object (compared
// case-insensitively).
export const REDACTED_KEYS = [
  'text',
  'content',
  'password',
  'apiKey',
  'api_key',
  'authorization',
  'x-api-key',
  'token',
  'secret',
  'email',
  'phone',
  'address',
  'summary',
  'question',
  'query',
  'answer',
  'DATABASE_URL',
  'LLM_API_KEY',
  'accessToken',
  'refreshToken',
  'cookie',
  'set-cookie',
  'parameters',
];

// Properties of database errors that quote the row or the statement's values: TypeORM's
// QueryFailedError carries `parameters` and the driver's error; pg's error carries `detail`
// ("Key (tenant_id, phone)=(shop, +15551234567) already exists."), `where` and `internalQuery`.
const ERROR_PROPERTIES_DROPPED = new Set(['parameters', 'detail', 'where', 'internalQuery', 'driverError', 'hint']);

const CENSOR = '[redacted]';
const MAX_DEPTH = 12;
const redactedKeys = new Set(REDACTED_KEYS.map((k) => k.toLowerCase()));

// Every pattern is linear: character classes with bounded repetition, no nested quantifiers.
const URL_PATTERN = /\b([a-z][a-z0-9+.-]{0,30}):\/\/([^\s/?#"'<>`]{0,512})([^\s"'<>`]*)/gi;
const PG_KEY_VALUES = /(Key \([^)]{0,512}\)=)\([^)]{0,2048}\)/g;
const PG_QUOTED_INPUT = /((?:invalid input (?:syntax|value)[^:"]{0,120}|value too long[^:"]{0,120}): )"[^"]{0,4096}"/g;
const LOCAL_PART = /[\w.%+-]/;
const DOMAIN = /[\w.-]/;
const TOP_LEVEL = /\.[A-Za-z]{2,24}$/;
const PHONE = /\+\d[\d ().-]{6,20}\d/g;

/** `text` without URL paths and queries, URL credentials, quoted row values, emails and phone numbers. */
export function redactText(text: string): string {
  const cleaned = text
    .replace(URL_PATTERN, (_url, scheme: string, authority: string, rest: string) => {
      // Credentials in the authority (user:password@host) go; the host stays, to say where a call went.
      const host = authority.slice(authority.lastIndexOf('@') + 1);
      return `${scheme}://${host}${rest.length > 1 ? `/${CENSOR}` : rest}`;
    })
    .replace(PG_KEY_VALUES, `$1(${CENSOR})`)
    .replace(PG_QUOTED_INPUT, `$1${CENSOR}`)
    .replace(PHONE, '[phone]');
  return cleaned.includes('@') ? redactEmails(cleaned) : cleaned;
}

/**
 * Emails become "[email]". Found by scanning out from each "@" rather than by a regex, whose
 * backtracking over a long run of local-part characters without an "@" grew with its length.
 */
function redactEmails(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && at - start < 64 && LOCAL_PART.test(text[start - 1])) start -= 1;
    let end = at + 1;
    while (end < text.length && end - at <= 253 && DOMAIN.test(text[end])) end += 1;
    const domain = text.slice(at + 1, end).replace(/\.+$/, '');
    if (start === at || !TOP_LEVEL.test(domain)) continue;
    out += `${text.slice(copied, start)}[email]`;
    copied = at + 1 + domain.length;
    at = copied - 1;
  }
  return out + text.slice(copied);
}

/** A log-safe copy of `value`: redacted keys censored at any depth, errors flattened, strings cleaned. */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Date) return value;
  // Binary data (buffers, embeddings' Float32Arrays) says nothing useful in a log and is slow to walk.
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = redactedKeys.has(key.toLowerCase()) ? CENSOR : redactValue(item, depth + 1, seen);
  return out;
}

/** An error as pino's serializer would write it (type, message, stack, own properties), minus what quotes data. */
function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: redactText(error.message) };
  if (error.stack) out.stack = redactText(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (ERROR_PROPERTIES_DROPPED.has(key) || key in out) continue;
    out[key] = redactedKeys.has(key.toLowerCase()) ? CENSOR : redactValue(item, depth + 1, seen);
  }
  if (error.cause !== undefined) out.cause = redactValue(error.cause, depth + 1, seen);
  return out;
}
