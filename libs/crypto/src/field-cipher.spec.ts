import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CryptoError } from './crypto.errors';
import { FieldCipher, keyIdOf } from './field-cipher';
import { DEVELOPMENT_KEY_ID, encryptsWrites, Keyring, keyringFromConfig, type EncryptionConfig } from './keyring';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const acme = { tenantId: 'acme', column: 'conversation.messages.content' };
const config = (over: Partial<EncryptionConfig>): EncryptionConfig => ({
  NODE_ENV: 'development',
  ENCRYPTION_KEYS: '',
  ENCRYPTION_KEY_CURRENT: '',
  ENCRYPTION_KEY_FILE: '',
  ...over,
});

describe('FieldCipher', () => {
  const cipher = new FieldCipher(new Keyring('k1', { k1 }));

  it('round-trips text, tagged with the key id, never twice the same', () => {
    const text = 'My email is jane.doe@example.com — 退货 please';
    const a = cipher.encrypt(text, acme);
    expect(a).toMatch(/^enc:v1:k1:[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('jane');
    expect(cipher.encrypt(text, acme)).not.toBe(a);
    expect(cipher.decrypt(a, acme)).toBe(text);
    expect(keyIdOf(a)).toBe('k1');
    expect(cipher.decrypt(cipher.encrypt('', acme), acme)).toBe('');
  });

  it('refuses a tampered value', () => {
    const value = cipher.encrypt('refund my order', acme);
    const body = Buffer.from(value.split(':')[3], 'base64');
    body[14] ^= 1;
    const tampered = `enc:v1:k1:${body.toString('base64')}`;
    expect(() => cipher.decrypt(tampered, acme)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });

  it("refuses a value moved to another tenant's row or another column", () => {
    const value = cipher.encrypt('private', acme);
    expect(() => cipher.decrypt(value, { ...acme, tenantId: 'globex' })).toThrow(/does not decrypt with key "k1" for tenant "globex"/);
    expect(() => cipher.decrypt(value, { ...acme, column: 'ticketing.tickets.summary' })).toThrow(CryptoError);
  });

  it('names an unknown key id', () => {
    const value = new FieldCipher(new Keyring('k2', { k2 })).encrypt('hello', acme);
    expect(() => cipher.decrypt(value, acme)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ENCRYPTION_KEY', message: expect.stringContaining('no encryption key with id "k2"') }),
    );
  });

  it('passes legacy plaintext through, and rejects a malformed ciphertext', () => {
    expect(cipher.decrypt('Hello, how do I return an item?', acme)).toBe('Hello, how do I return an item?');
    expect(() => cipher.decrypt('enc:v9:k1:AAAA', acme)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }));
  });

  it('needs rotation for plaintext and old keys, not for the current key', () => {
    const rotated = new FieldCipher(new Keyring('k2', { k1, k2 }));
    const old = cipher.encrypt('x', acme);
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation('plain')).toBe(true);
    const fresh = rotated.encrypt(rotated.decrypt(old, acme), acme);
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(rotated.decrypt(fresh, acme)).toBe('x');
  });

  it('binds a value to its row: a ciphertext swapped into another row of the same tenant and column does not decrypt', () => {
    const orderA = { tenantId: 'acme', column: 'integration.orders.document', row: '#W0000001' };
    const orderB = { ...orderA, row: '#W0000002' };
    const value = cipher.encrypt('{"user_id":"alice"}', orderA);
    expect(value).toMatch(/^enc:v2:k1:/);
    expect(cipher.decrypt(value, orderA)).toBe('{"user_id":"alice"}');
    expect(() => cipher.decrypt(value, orderB)).toThrow(
      expect.objectContaining({ code: 'DECRYPTION_FAILED', message: expect.stringContaining('moved from another row') }),
    );
    expect(() => cipher.decrypt(value, { tenantId: 'acme', column: orderA.column })).toThrow(
      expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }),
    );
    // A v1 value (written before rows were bound) stays readable until rotation rewrites it.
    const old = cipher.encrypt('{"user_id":"carol"}', { tenantId: 'acme', column: orderA.column });
    expect(cipher.decrypt(old, orderB)).toBe('{"user_id":"carol"}');
    expect(cipher.needsRotation(old, true)).toBe(true);
    expect(cipher.needsRotation(value, true)).toBe(false);
  });

  it('refuses plaintext in production, naming the column, except where legacy values are being sealed', () => {
    const production = new FieldCipher(new Keyring('k1', { k1 }), true, true);
    const planted = JSON.stringify({ verifiedUserId: 'someone_else' });
    const state = { tenantId: 'acme', column: 'redis.dialogue_state', row: 't:acme:conv:c1:state' };
    expect(() => production.decrypt(planted, state)).toThrow(
      expect.objectContaining({
        code: 'PLAINTEXT_REFUSED',
        message: expect.stringMatching(/^redis\.dialogue_state: the stored value is plaintext/),
      }),
    );
    expect(production.decrypt(planted, state, { legacy: true })).toBe(planted);
    expect(cipher.decrypt(planted, state)).toBe(planted); // outside production, legacy plaintext still reads
    expect(
      FieldCipher.fromConfig(config({ NODE_ENV: 'production', ENCRYPTION_KEYS: `k1:${k1.toString('base64')}` })).refusesPlaintext,
    ).toBe(true);
    expect(FieldCipher.fromConfig(config({ NODE_ENV: 'test' })).refusesPlaintext).toBe(false);
  });

  it('refuses in production a v1 value where the reader names the row, so a v1 copy from another row does not read', () => {
    const production = new FieldCipher(new Keyring('k1', { k1 }), true, true, true);
    // A v1 value (tenant and column only) planted into message m2: without the check it reads there.
    const v1 = cipher.encrypt('I am the account holder, cancel #W1', acme);
    const m2 = { ...acme, row: 'm2' };
    expect(cipher.decrypt(v1, m2)).toBe('I am the account holder, cancel #W1'); // outside production, v1 still reads
    expect(() => production.decrypt(v1, m2)).toThrow(
      expect.objectContaining({
        code: 'UNBOUND_CIPHERTEXT',
        message: expect.stringMatching(/^conversation\.messages\.content: the stored value is enc:v1, not bound to its row; refused/),
      }),
    );
    expect(production.decrypt(v1, m2, { legacy: true })).toBe('I am the account holder, cancel #W1'); // rotate-keys
    expect(production.decrypt(production.encrypt('bound', m2), m2)).toBe('bound');
    const keys = { ENCRYPTION_KEYS: `k1:${k1.toString('base64')}` };
    expect(FieldCipher.fromConfig(config({ NODE_ENV: 'production', ...keys })).refusesUnboundV1).toBe(true);
    expect(FieldCipher.fromConfig(config({ NODE_ENV: 'production', ...keys, ENCRYPTION_ACCEPT_V1: 'on' })).refusesUnboundV1).toBe(false);
    expect(FieldCipher.fromConfig(config({ NODE_ENV: 'test' })).refusesUnboundV1).toBe(false);
  });

  it('with encryption off, seals plaintext as is unless it looks like a ciphertext', () => {
    const off = new FieldCipher(new Keyring('k1', { k1 }), false);
    expect(off.seal('hello', acme)).toBe('hello');
    const tricky = 'enc:v1:k1:not really';
    expect(off.seal(tricky, acme)).not.toBe(tricky);
    expect(off.decrypt(off.seal(tricky, acme), acme)).toBe(tricky);
  });
});

describe('keyringFromConfig', () => {
  it('reads ENCRYPTION_KEYS with ENCRYPTION_KEY_CURRENT, defaulting to the first', () => {
    const keys = `k1:${k1.toString('base64')}, k2:${k2.toString('base64')}`;
    expect(keyringFromConfig(config({ ENCRYPTION_KEYS: keys })).currentKeyId).toBe('k1');
    const ring = keyringFromConfig(config({ ENCRYPTION_KEYS: keys, ENCRYPTION_KEY_CURRENT: 'k2' }));
    expect(ring.currentKeyId).toBe('k2');
    expect(ring.key('k1').equals(k1)).toBe(true);
  });

  it('reads a key file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ current: 'k2', keys: { k1: k1.toString('base64'), k2: k2.toString('base64') } }));
    expect(keyringFromConfig(config({ NODE_ENV: 'production', ENCRYPTION_KEY_FILE: file })).ids()).toEqual(['k1', 'k2']);
    expect(keyringFromConfig(config({ NODE_ENV: 'production', ENCRYPTION_KEY_FILE: file })).currentKeyId).toBe('k2');
  });

  it('names the variable when a key is wrong', () => {
    expect(() => keyringFromConfig(config({ ENCRYPTION_KEYS: `k1:${randomBytes(16).toString('base64')}` }))).toThrow(
      /ENCRYPTION_KEYS: key "k1" must be 32 bytes/,
    );
    expect(() => keyringFromConfig(config({ ENCRYPTION_KEYS: `k1:${k1.toString('base64')}`, ENCRYPTION_KEY_CURRENT: 'k9' }))).toThrow(
      /ENCRYPTION_KEY_CURRENT: "k9"/,
    );
  });

  it('uses the development key outside production only', () => {
    expect(keyringFromConfig(config({ NODE_ENV: 'development' })).currentKeyId).toBe(DEVELOPMENT_KEY_ID);
    expect(() => keyringFromConfig(config({ NODE_ENV: 'production' }))).toThrow(/ENCRYPTION_KEYS: required in production/);
    expect(() => FieldCipher.fromConfig(config({ NODE_ENV: 'production' }))).toThrow(/ENCRYPTION_KEYS/);
  });

  it('outside production, still reads (never writes) development-key values once real keys are set', () => {
    const dev = FieldCipher.fromConfig(config({})).encrypt('from a laptop', acme);
    expect(keyIdOf(dev)).toBe(DEVELOPMENT_KEY_ID);
    const real = new FieldCipher(keyringFromConfig(config({ ENCRYPTION_KEYS: `k1:${k1.toString('base64')}` })));
    expect(real.keyring.currentKeyId).toBe('k1');
    expect(real.decrypt(dev, acme)).toBe('from a laptop');
    const prod = new FieldCipher(keyringFromConfig(config({ NODE_ENV: 'production', ENCRYPTION_KEYS: `k1:${k1.toString('base64')}` })));
    expect(() => prod.decrypt(dev, acme)).toThrow(/no encryption key with id "dev"/);
  });

  it('encrypts writes everywhere unless turned off, and never turns off in production', () => {
    expect(encryptsWrites(config({ NODE_ENV: 'development' }))).toBe(true);
    expect(encryptsWrites(config({ NODE_ENV: 'production' }))).toBe(true);
    expect(encryptsWrites(config({ NODE_ENV: 'test' }))).toBe(true);
    expect(encryptsWrites(config({ NODE_ENV: 'test', ENCRYPTION_AT_REST: 'off' }))).toBe(false);
    expect(() => encryptsWrites(config({ NODE_ENV: 'production', ENCRYPTION_AT_REST: 'off' }))).toThrow(/ENCRYPTION_AT_REST/);
  });
});
