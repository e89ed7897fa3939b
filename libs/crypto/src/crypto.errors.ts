// Errors of encryption at rest. A value that cannot be decrypted will not decrypt on a retry either,
// so they are permanent: `retryable = false` and a `code` make a consumer dead-letter instead of
// retrying and a request-reply handler answer with the code (the shape the bus reads, declared here
// because crypto sits below messaging and does not import it).
export type CryptoErrorCode =
  'DECRYPTION_FAILED' | 'UNKNOWN_ENCRYPTION_KEY' | 'MALFORMED_CIPHERTEXT' | 'PLAINTEXT_REFUSED' | 'UNBOUND_CIPHERTEXT';

export class CryptoError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
