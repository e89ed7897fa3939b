// Webhook admin failures, answered to the caller with their code (the gateway maps them to HTTP).
import { PermanentError } from '@switchboard/messaging';

export class WebhookError extends PermanentError {
  static notFound(what: string): WebhookError {
    return new WebhookError('NOT_FOUND', what);
  }

  static invalid(field: string, problem: string): WebhookError {
    return new WebhookError('INVALID_ARGUMENT', `${field} ${problem}`);
  }
}
