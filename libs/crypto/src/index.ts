// Encryption at rest of customer content: keys (keyring, providers, configuration), the field
// cipher the repositories use, and the re-encryption job key rotation runs.
export * from './blind-index';
export * from './crypto.errors';
export * from './field-cipher';
export * from './keyring';
export * from './rotation';
