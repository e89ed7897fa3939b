// AES-256-GCM for text columns holding customer content. A stored value describes itself:
//   enc:v1:<keyId>:<base64(iv[12] | ciphertext | tag[16])>
// and its associated data binds it to the key id, the tenant and the column, so a value copied into
// another tenant's row (or another column) fails to decrypt instead of reading as someone else's.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError } from './crypto.errors';
import { encryptsWrites, keyringFromConfig, Keyring, type EncryptionConfig } from './keyring';

const PREFIX = 'enc:';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value lives: its tenant and its column, e.g. `conversation.messages.content`. */
export interface FieldContext {
  tenantId: string;
  column: string;
}

const associatedData = (keyId: string, ctx: FieldContext) => Buffer.from(JSON.stringify([VERSION, keyId, ctx.tenantId, ctx.column]), 'utf8');

export class FieldCipher {
  /**
   * @param encryptWrites whether `seal` encrypts (ENCRYPTION_AT_REST); `encrypt` always does.
   */
  constructor(readonly keyring: Keyring, readonly encryptWrites = true) {}

  private static readonly byConfig = new WeakMap<object, FieldCipher>();

  /** One cipher per configuration object, built (and validated) on first use. */
  static fromConfig(config: EncryptionConfig): FieldCipher {
    let cipher = FieldCipher.byConfig.get(config);
    if (!cipher) {
      cipher = new FieldCipher(keyringFromConfig(config), encryptsWrites(config));
      FieldCipher.byConfig.set(config, cipher);
    }
    return cipher;
  }

  encrypt(plaintext: string, ctx: FieldContext): string {
    const keyId = this.keyring.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.key(keyId), iv);
    cipher.setAAD(associatedData(keyId, ctx));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${VERSION}:${keyId}:${body.toString('base64')}`;
  }

  /**
   * The value to store. With encryption off, plaintext as is, unless it looks like a ciphertext
   * (then it is encrypted anyway, so reading it back cannot mistake it for one).
   */
  seal(plaintext: string, ctx: FieldContext): string {
    return this.encryptWrites || plaintext.startsWith(PREFIX) ? this.encrypt(plaintext, ctx) : plaintext;
  }

  /** The plaintext of a stored value; a value without the prefix is legacy plaintext and passes through. */
  decrypt(value: string, ctx: FieldContext): string {
    if (!value.startsWith(PREFIX)) return value;
    const { keyId, body } = parse(value);
    if (body.length < IV_BYTES + TAG_BYTES) throw new CryptoError('MALFORMED_CIPHERTEXT', `${ctx.column}: the stored value is too short to be a ciphertext`);
    const decipher = createDecipheriv('aes-256-gcm', this.keyring.key(keyId), body.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId, ctx));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CryptoError('DECRYPTION_FAILED', `${ctx.column}: the value does not decrypt with key "${keyId}" for tenant "${ctx.tenantId}" (altered, or moved from another row)`);
    }
  }

  /** Whether a stored value is plaintext or under a key other than the current one. */
  needsRotation(value: string): boolean {
    return !value.startsWith(this.currentPrefix());
  }

  /** What every value under the current key starts with. */
  currentPrefix(): string {
    return `${PREFIX}${VERSION}:${this.keyring.currentKeyId}:`;
  }
}

/** The key id a stored value names, or undefined for plaintext. */
export function keyIdOf(value: string): string | undefined {
  return value.startsWith(PREFIX) ? parse(value).keyId : undefined;
}

function parse(value: string): { keyId: string; body: Buffer } {
  const parts = value.split(':');
  if (parts.length !== 4 || parts[1] !== VERSION || !parts[2]) {
    throw new CryptoError('MALFORMED_CIPHERTEXT', `a stored value starts with "${PREFIX}" but is not ${PREFIX}${VERSION}:<keyId>:<base64>`);
  }
  return { keyId: parts[2], body: Buffer.from(parts[3], 'base64') };
}
