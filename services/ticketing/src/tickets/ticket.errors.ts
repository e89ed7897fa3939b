// Domain errors of ticketing. They extend PermanentError so a request-reply caller gets the code at
// once (no retries), and the gateway maps each code to an HTTP status.
import { PermanentError } from '@switchboard/messaging';

export type TicketErrorCode = 'TICKET_NOT_FOUND' | 'TICKET_CLAIMED' | 'NOT_TICKET_HOLDER' | 'INVALID_TRANSITION' | 'INVALID_ARGUMENT';

export class TicketError extends PermanentError {
  constructor(override readonly code: TicketErrorCode, message: string) {
    super(code, message);
    this.name = 'TicketError';
  }
}
