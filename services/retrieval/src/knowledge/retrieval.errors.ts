// Knowledge-base failures, answered to the caller with their code at once (no retries). The codes
// are the protos' RetrievalErrorCode, so a document error the parser adds must be declared there
// (and given an HTTP status at the gateway) before it compiles here.
import type { ErrorCodeName, RetrievalErrorCode } from '@switchboard/contracts';
import { PermanentError } from '@switchboard/messaging';

export class RetrievalError extends PermanentError {
  constructor(
    override readonly code: ErrorCodeName<typeof RetrievalErrorCode>,
    message: string,
  ) {
    super(code, message);
    this.name = 'RetrievalError';
  }
}
