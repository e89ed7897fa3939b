// REDIS_NAMESPACE is ioredis's `keyPrefix`: the client adds it to the keys of every command it
// sends, so code names keys without it. Two places it does not reach: a SCAN's MATCH pattern, and
// key names Redis sends back (SCAN, XREAD). These helpers cover both.

/** What these helpers need of an ioredis client (its options as given). */
export interface KeyPrefixed {
  options: { keyPrefix?: string };
}

/** A SCAN MATCH pattern for keys named `pattern` within the client's namespace. */
export function namespacedPattern(redis: KeyPrefixed, pattern: string): string {
  // The prefix is matched literally: glob characters in it are escaped.
  return (redis.options.keyPrefix ?? '').replace(/[*?[\]\\]/g, '\\$&') + pattern;
}

/** A key name Redis sent back, as the client's code names it (without the namespace). */
export function withoutNamespace(redis: KeyPrefixed, key: string): string {
  const prefix = redis.options.keyPrefix ?? '';
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}
