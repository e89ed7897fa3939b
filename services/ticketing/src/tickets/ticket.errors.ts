// Domain errors of ticketing. They extend PermanentError so a request-reply caller gets the code at
// once (no retries), and the gateway maps each code to an HTTP status. The codes are the protos'
// TicketingErrorCode.
import type { ErrorCodeName, TicketingErrorCode } from '@switchboard/contracts';
import { PermanentError } from '@switchboard/messaging';

export type TicketErrorCode = ErrorCodeName<typeof TicketingErrorCode>;

export class TicketError extends PermanentError {
  constructor(
    override readonly code: TicketErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'TicketError';
  }
}
