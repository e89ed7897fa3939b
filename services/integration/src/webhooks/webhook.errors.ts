// Webhook admin failures, answered to the caller with their code (the gateway maps them to HTTP).
// The codes are the protos' WebhookErrorCode.
import type { ErrorCodeName, WebhookErrorCode } from '@switchboard/contracts';
import { PermanentError } from '@switchboard/messaging';

export class WebhookError extends PermanentError {
  constructor(
    override readonly code: ErrorCodeName<typeof WebhookErrorCode>,
    message: string,
  ) {
    super(code, message);
    this.name = 'WebhookError';
  }

  static notFound(what: string): WebhookError {
    return new WebhookError('NOT_FOUND', what);
  }

  static invalid(field: string, problem: string): WebhookError {
    return new WebhookError('INVALID_ARGUMENT', `${field} ${problem}`);
  }
}
