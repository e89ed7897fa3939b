// Blind indexes: an exact-match lookup over an encrypted column. The index value is
// HMAC-SHA256(index key, [tenant, purpose, normalised value]), stored in its own indexed column, so
// SQL can find a row by an email without the email being stored anywhere readable. The index key is
// separate from the data keys and must not change with their rotation: every stored index would go
// stale. The caller normalises (e.g. lower-cases an email) before asking.
import { createHash, createHmac } from 'node:crypto';
import { ConfigError, documented, z } from '@switchboard/config';

const KEY_BYTES = 32;

/** Development only: a fixed, public index key, so a laptop stack works without set-up. Never secret. */
const DEVELOPMENT_INDEX_KEY = createHash('sha256').update('switchboard development blind index key - public, not a secret').digest();

/** The variable every service with blind indexes reads (spread into its config shape). */
export const blindIndexConfigShape = {
  // Never rotated with ENCRYPTION_KEYS: changing it needs every index recomputed.
  BLIND_INDEX_KEY: documented(
    z
      .string()
      .default('')
      .describe(
        'base64 of 32 random bytes (`openssl rand -base64 32`), the same for every service: the HMAC key of the blind indexes that find customers by email, name and zip without storing them. Never change it.',
      ),
    { production: 'yes', shownDefault: 'a public development key, outside production only' },
  ),
};

export interface BlindIndexConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  BLIND_INDEX_KEY: string;
}

/** What an index value is bound to: its tenant, and what it indexes, e.g. `integration.users.email_index`. */
export interface BlindIndexContext {
  tenantId: string;
  purpose: string;
}

export class BlindIndex {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`a blind index key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }

  private static readonly byConfig = new WeakMap<object, BlindIndex>();

  /**
   * One index per configuration object, built (and validated) on first use. Outside production,
   * without BLIND_INDEX_KEY, the public development key; production refuses to start without it.
   */
  static fromConfig(config: BlindIndexConfig): BlindIndex {
    let index = BlindIndex.byConfig.get(config);
    if (!index) {
      index = new BlindIndex(indexKeyFromConfig(config));
      BlindIndex.byConfig.set(config, index);
    }
    return index;
  }

  /** The index value (64 hex characters) of an already normalised value. */
  of(normalised: string, ctx: BlindIndexContext): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([ctx.tenantId, ctx.purpose, normalised]), 'utf8')
      .digest('hex');
  }
}

function indexKeyFromConfig(config: BlindIndexConfig): Buffer {
  if (!config.BLIND_INDEX_KEY) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError([
        'BLIND_INDEX_KEY: required in production: lookups over encrypted customer data (email, name and zip) use it; generate one with `openssl rand -base64 32` and never change it',
      ]);
    }
    return DEVELOPMENT_INDEX_KEY;
  }
  const key = Buffer.from(config.BLIND_INDEX_KEY.trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new ConfigError([
      `BLIND_INDEX_KEY: must be ${KEY_BYTES} bytes of base64 (e.g. \`openssl rand -base64 32\`), got ${key.length} bytes`,
    ]);
  return key;
}
