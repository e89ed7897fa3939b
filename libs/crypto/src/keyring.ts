// Which keys encrypt and decrypt stored customer content: one current key (new values) and every
// key still needed to read old ones, each with a short id that travels in the value itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, documented, z } from '@switchboard/config';
import { CryptoError } from './crypto.errors';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/** Development only: a fixed, public key, so a laptop stack works without set-up. Never secret. */
export const DEVELOPMENT_KEY_ID = 'dev';
const DEVELOPMENT_KEY = createHash('sha256').update('switchboard development key - public, not a secret').digest();

export class Keyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    readonly currentKeyId: string,
    keys: ReadonlyMap<string, Buffer> | Record<string, Buffer>,
  ) {
    this.keys = keys instanceof Map ? new Map(keys) : new Map(Object.entries(keys));
    for (const [id, key] of this.keys) {
      if (!KEY_ID.test(id)) throw new Error(`encryption key id "${id}" must match ${KEY_ID}`);
      if (key.length !== KEY_BYTES) throw new Error(`encryption key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    if (!this.keys.has(currentKeyId))
      throw new Error(`the current encryption key "${currentKeyId}" is not among the keys (${this.ids().join(', ') || 'none'})`);
  }

  key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key)
      throw new CryptoError(
        'UNKNOWN_ENCRYPTION_KEY',
        `no encryption key with id "${id}" is configured (known: ${this.ids().join(', ')}); add it to ENCRYPTION_KEYS or the key file`,
      );
    return key;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }
}

/** The variables every service that stores customer content reads (spread into its config shape). */
export const encryptionConfigShape = {
  // Empty outside production: the public development key (keyringFrom); production refuses that.
  ENCRYPTION_KEYS: documented(
    z
      .string()
      .default('')
      .describe(
        'AES-256 keys for data at rest, the same for every service: a comma list of `id:base64-of-32-bytes` (`openssl rand -base64 32`), e.g. `k2:…,k1:…`; old keys stay listed until `switchboard security rotate-keys` has moved every value off them (docs/security.md).',
      ),
    { production: 'yes (or `ENCRYPTION_KEY_FILE`)', shownDefault: 'a public development key, outside production only' },
  ),
  ENCRYPTION_KEY_CURRENT: z
    .string()
    .default('')
    .describe("The key id new values are encrypted with; empty: the first of `ENCRYPTION_KEYS` (or the file's `current`)."),
  ENCRYPTION_KEY_FILE: documented(
    z
      .string()
      .default('')
      .describe(
        'Instead of `ENCRYPTION_KEYS`: a JSON file `{"current": "k2", "keys": {"k1": "<base64>", "k2": "<base64>"}}` (e.g. a mounted secret). Setting both is refused.',
      ),
    { production: 'yes (or `ENCRYPTION_KEYS`)' },
  ),
  // Empty is on except under NODE_ENV=test, whose suites compare stored bytes with and without.
  ENCRYPTION_AT_REST: z
    .enum(['on', 'off', ''])
    .default('')
    .describe('`on`: encrypt on write; `off`: store new values as plaintext (reads decrypt either way), refused in production; empty: on.'),
  // The upgrade window from a version that wrote enc:v1; production refuses v1 otherwise (field-cipher.ts).
  ENCRYPTION_ACCEPT_V1: z
    .enum(['on', 'off', ''])
    .default('')
    .describe(
      '`on`: production still reads `enc:v1` values (not bound to their row) until `switchboard security rotate-keys` has rewritten them as v2; empty or `off`: production refuses them (`UNBOUND_CIPHERTEXT`), so a v1 value copied into another row does not read. Outside production they read.',
    ),
};

export interface EncryptionConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  ENCRYPTION_KEYS: string;
  ENCRYPTION_KEY_CURRENT: string;
  ENCRYPTION_KEY_FILE: string;
  ENCRYPTION_AT_REST?: 'on' | 'off' | '';
  ENCRYPTION_ACCEPT_V1?: 'on' | 'off' | '';
}

function decodeKey(variable: string, id: string, base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new ConfigError([
      `${variable}: key "${id}" must be ${KEY_BYTES} bytes of base64 (e.g. \`openssl rand -base64 32\`), got ${key.length} bytes`,
    ]);
  if (!KEY_ID.test(id)) throw new ConfigError([`${variable}: key id "${id}" must match ${KEY_ID}`]);
  return key;
}

function parseKeyList(text: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new ConfigError([`ENCRYPTION_KEYS: "${entry.slice(0, 8)}…" is not id:base64-key`]);
    const id = entry.slice(0, colon);
    if (keys.has(id)) throw new ConfigError([`ENCRYPTION_KEYS: key id "${id}" appears twice`]);
    keys.set(id, decodeKey('ENCRYPTION_KEYS', id, entry.slice(colon + 1)));
  }
  return keys;
}

function readKeyFile(file: string): { current: string; keys: Map<string, Buffer> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`ENCRYPTION_KEY_FILE: cannot read ${file}: ${(error as Error).message}`]);
  }
  const shape = z.object({ current: z.string().default(''), keys: z.record(z.string(), z.string()) }).safeParse(parsed);
  if (!shape.success) throw new ConfigError([`ENCRYPTION_KEY_FILE: ${file} must be {"current": "<id>", "keys": {"<id>": "<base64>"}}`]);
  const keys = new Map(Object.entries(shape.data.keys).map(([id, b64]) => [id, decodeKey('ENCRYPTION_KEY_FILE', id, b64)] as const));
  return { current: shape.data.current, keys };
}

/**
 * The keyring the configuration describes. Outside production, with no keys configured, the public
 * development key; in production that is refused with an error naming the variables to set.
 */
export function keyringFromConfig(config: EncryptionConfig): Keyring {
  if (config.ENCRYPTION_KEYS && config.ENCRYPTION_KEY_FILE)
    throw new ConfigError(['ENCRYPTION_KEYS and ENCRYPTION_KEY_FILE are both set; use one']);
  let current = config.ENCRYPTION_KEY_CURRENT;
  let keys = new Map<string, Buffer>();
  if (config.ENCRYPTION_KEY_FILE) {
    const file = readKeyFile(config.ENCRYPTION_KEY_FILE);
    keys = file.keys;
    current ||= file.current;
  } else if (config.ENCRYPTION_KEYS) {
    keys = parseKeyList(config.ENCRYPTION_KEYS);
  }
  if (keys.size === 0) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError([
        'ENCRYPTION_KEYS: required in production (or ENCRYPTION_KEY_FILE): customer content is encrypted at rest; generate a key with `openssl rand -base64 32`',
      ]);
    }
    if (current && current !== DEVELOPMENT_KEY_ID)
      throw new ConfigError([
        `ENCRYPTION_KEY_CURRENT: "${current}" is set but no keys are configured (ENCRYPTION_KEYS or ENCRYPTION_KEY_FILE)`,
      ]);
    return new Keyring(DEVELOPMENT_KEY_ID, { [DEVELOPMENT_KEY_ID]: DEVELOPMENT_KEY });
  }
  current ||= keys.keys().next().value!;
  if (!keys.has(current))
    throw new ConfigError([`ENCRYPTION_KEY_CURRENT: "${current}" is not among the configured keys (${[...keys.keys()].join(', ')})`]);
  // Outside production the development key still reads (never writes), so rotate-keys can move a
  // development database onto real keys.
  if (config.NODE_ENV !== 'production' && !keys.has(DEVELOPMENT_KEY_ID)) keys.set(DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY);
  return new Keyring(current, keys);
}

/** Whether new values are encrypted (see ENCRYPTION_AT_REST). */
export function encryptsWrites(config: EncryptionConfig): boolean {
  const mode = config.ENCRYPTION_AT_REST ?? '';
  if (mode === 'off' && config.NODE_ENV === 'production') throw new ConfigError(['ENCRYPTION_AT_REST: cannot be off in production']);
  return mode !== 'off';
}
