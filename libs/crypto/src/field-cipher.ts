// AES-256-GCM for text columns holding customer content. A stored value describes itself:
//   enc:v1:<keyId>:<base64(iv[12] | ciphertext | tag[16])>   tenant + column
//   enc:v2:<keyId>:<base64(…)>                                tenant + column + row
// and its associated data binds it to the key id, the tenant, the column and (v2) the row, so a
// value copied into another tenant's row, another column or (v2) another row of the same tenant
// fails to decrypt instead of reading as someone else's. v1 values stay readable until
// `switchboard security rotate-keys` rewrites them as v2 (columns whose callers name the row).
// In production a value without the prefix is refused, not read as plaintext: someone able to write
// the database or Redis could otherwise plant content of their choosing. So is a v1 value where the
// reader names the row (unless ENCRYPTION_ACCEPT_V1=on during an upgrade): copied from another row
// of the same tenant and column, it would otherwise read.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError } from './crypto.errors';
import { encryptsWrites, keyringFromConfig, Keyring, type EncryptionConfig } from './keyring';

const PREFIX = 'enc:';
const V1 = 'v1';
const V2 = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value lives: its tenant and its column, e.g. `conversation.messages.content`. */
export interface FieldContext {
  tenantId: string;
  column: string;
  /**
   * The row's identity within the tenant (its key after tenant_id, joined by "/", or the Redis key).
   * Given, the value is written as v2 and only decrypts for this row. A column's readers, writers and
   * its rotation entry (`rowBound`) must agree on it.
   */
  row?: string;
}

export interface DecryptOptions {
  /** Read legacy values even in production (plaintext, and v1 where a row is named): sealing legacy rows and rotation only. */
  legacy?: boolean;
}

const associatedData = (version: string, keyId: string, ctx: FieldContext) =>
  Buffer.from(
    JSON.stringify(version === V1 ? [V1, keyId, ctx.tenantId, ctx.column] : [V2, keyId, ctx.tenantId, ctx.column, ctx.row]),
    'utf8',
  );

export class FieldCipher {
  /**
   * @param encryptWrites whether `seal` encrypts (ENCRYPTION_AT_REST); `encrypt` always does.
   * @param refusesPlaintext whether a value without the prefix is refused (production).
   * @param refusesUnboundV1 whether a v1 value is refused where the reader names the row (production, unless ENCRYPTION_ACCEPT_V1=on).
   */
  constructor(
    readonly keyring: Keyring,
    readonly encryptWrites = true,
    readonly refusesPlaintext = false,
    readonly refusesUnboundV1 = false,
  ) {}

  private static readonly byConfig = new WeakMap<object, FieldCipher>();

  /** One cipher per configuration object, built (and validated) on first use. */
  static fromConfig(config: EncryptionConfig): FieldCipher {
    let cipher = FieldCipher.byConfig.get(config);
    if (!cipher) {
      const production = config.NODE_ENV === 'production';
      cipher = new FieldCipher(
        keyringFromConfig(config),
        encryptsWrites(config),
        production,
        production && config.ENCRYPTION_ACCEPT_V1 !== 'on',
      );
      FieldCipher.byConfig.set(config, cipher);
    }
    return cipher;
  }

  encrypt(plaintext: string, ctx: FieldContext): string {
    const keyId = this.keyring.currentKeyId;
    const version = ctx.row === undefined ? V1 : V2;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.key(keyId), iv);
    cipher.setAAD(associatedData(version, keyId, ctx));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${version}:${keyId}:${body.toString('base64')}`;
  }

  /**
   * The value to store. With encryption off, plaintext as is, unless it looks like a ciphertext
   * (then it is encrypted anyway, so reading it back cannot mistake it for one).
   */
  seal(plaintext: string, ctx: FieldContext): string {
    return this.encryptWrites || plaintext.startsWith(PREFIX) ? this.encrypt(plaintext, ctx) : plaintext;
  }

  /**
   * The plaintext of a stored value. A value without the prefix is legacy plaintext: passed through
   * outside production, refused in production unless `legacy` (sealing and rotation); so is a v1
   * value where `ctx.row` is named, if `refusesUnboundV1`.
   */
  decrypt(value: string, ctx: FieldContext, options: DecryptOptions = {}): string {
    if (!value.startsWith(PREFIX)) {
      if (this.refusesPlaintext && !options.legacy) {
        throw new CryptoError(
          'PLAINTEXT_REFUSED',
          `${ctx.column}: the stored value is plaintext where a ciphertext is expected; refused in production (legacy values are sealed by \`switchboard security rotate-keys\`)`,
        );
      }
      return value;
    }
    const { version, keyId, body } = parse(value);
    if (body.length < IV_BYTES + TAG_BYTES)
      throw new CryptoError('MALFORMED_CIPHERTEXT', `${ctx.column}: the stored value is too short to be a ciphertext`);
    if (version === V2 && ctx.row === undefined)
      throw new CryptoError('MALFORMED_CIPHERTEXT', `${ctx.column}: the stored value is bound to a row, but its reader names none`);
    if (version === V1 && ctx.row !== undefined && this.refusesUnboundV1 && !options.legacy)
      throw new CryptoError(
        'UNBOUND_CIPHERTEXT',
        `${ctx.column}: the stored value is enc:v1, not bound to its row; refused in production (\`switchboard security rotate-keys\` rewrites such values as v2; ENCRYPTION_ACCEPT_V1=on reads them until it has)`,
      );
    const decipher = createDecipheriv('aes-256-gcm', this.keyring.key(keyId), body.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(version, keyId, ctx));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CryptoError(
        'DECRYPTION_FAILED',
        `${ctx.column}: the value does not decrypt with key "${keyId}" for tenant "${ctx.tenantId}" (altered, or moved from another row)`,
      );
    }
  }

  /** Whether a stored value is plaintext, under a key other than the current one, or (row-bound columns) not yet bound to its row. */
  needsRotation(value: string, rowBound = false): boolean {
    return !value.startsWith(this.currentPrefix(rowBound));
  }

  /** What every value under the current key starts with (v2 for a column whose values name their row). */
  currentPrefix(rowBound = false): string {
    return `${PREFIX}${rowBound ? V2 : V1}:${this.keyring.currentKeyId}:`;
  }
}

/** The key id a stored value names, or undefined for plaintext. */
export function keyIdOf(value: string): string | undefined {
  return value.startsWith(PREFIX) ? parse(value).keyId : undefined;
}

function parse(value: string): { version: string; keyId: string; body: Buffer } {
  const parts = value.split(':');
  if (parts.length !== 4 || (parts[1] !== V1 && parts[1] !== V2) || !parts[2]) {
    throw new CryptoError('MALFORMED_CIPHERTEXT', `a stored value starts with "${PREFIX}" but is not ${PREFIX}v1|v2:<keyId>:<base64>`);
  }
  return { version: parts[1], keyId: parts[2], body: Buffer.from(parts[3], 'base64') };
}
