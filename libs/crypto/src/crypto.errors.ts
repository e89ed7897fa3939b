// Errors of encryption at rest. A value that cannot be decrypted will not decrypt on a retry either,
// so they are permanent (a consumer dead-letters instead of retrying).
import { PermanentError } from '@switchboard/messaging';

export type CryptoErrorCode = 'DECRYPTION_FAILED' | 'UNKNOWN_ENCRYPTION_KEY' | 'MALFORMED_CIPHERTEXT' | 'PLAINTEXT_REFUSED';

export class CryptoError extends PermanentError {
  constructor(override readonly code: CryptoErrorCode, message: string) {
    super(code, message);
    this.name = 'CryptoError';
  }
}
