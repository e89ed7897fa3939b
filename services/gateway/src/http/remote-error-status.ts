// The HTTP status of every error code a service answers the gateway with. Each table is typed
// over its API's enum in the protos, so a code added there fails `tsc` here until it has a status
// (and a code that is not in the protos cannot be given one).
import {
  ConversationErrorCode,
  ModerationErrorCode,
  RetrievalErrorCode,
  TicketingErrorCode,
  WebhookErrorCode,
  type ErrorCodeName,
} from '@switchboard/contracts';

export type StatusOf<E extends Record<string, string | number>> = Record<ErrorCodeName<E>, number>;

export const RETRIEVAL_STATUS = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  UNSUPPORTED_TYPE: 415,
  UNREADABLE: 422,
  INVALID_FAQ: 422,
  EMPTY: 422,
  TOO_LARGE: 413,
  UNKNOWN_MODEL: 400,
} satisfies StatusOf<typeof RetrievalErrorCode>;

export const TICKETING_STATUS = {
  INVALID_ARGUMENT: 400,
  TICKET_NOT_FOUND: 404,
  // The request is fine but the ticket is not in a state that allows it.
  TICKET_CLAIMED: 409,
  INVALID_TRANSITION: 409,
  // Another agent holds the ticket and only they or a lead may move it.
  NOT_TICKET_HOLDER: 403,
} satisfies StatusOf<typeof TicketingErrorCode>;

export const CONVERSATION_STATUS = {
  INVALID_ARGUMENT: 400,
  CONVERSATION_NOT_FOUND: 404,
  CONVERSATION_HELD: 409,
  NOT_HELD: 409,
  CONVERSATION_CLOSED: 409,
  APPROVAL_NOT_FOUND: 404,
} satisfies StatusOf<typeof ConversationErrorCode>;

export const MODERATION_STATUS = { INVALID_ARGUMENT: 400, RESOURCE_EXHAUSTED: 422 } satisfies StatusOf<typeof ModerationErrorCode>;

export const WEBHOOK_STATUS = { INVALID_ARGUMENT: 400, NOT_FOUND: 404 } satisfies StatusOf<typeof WebhookErrorCode>;

/** Every API's codes in one lookup; a name two APIs share has one status (remote-error-status.spec.ts). */
export const REMOTE_STATUS: Readonly<Record<string, number>> = {
  ...RETRIEVAL_STATUS,
  ...TICKETING_STATUS,
  ...CONVERSATION_STATUS,
  ...MODERATION_STATUS,
  ...WEBHOOK_STATUS,
};

/** The HTTP status of a service's error code; a code no API declares is the service's fault (502). */
export function remoteStatus(code: string): number {
  return Object.hasOwn(REMOTE_STATUS, code) ? REMOTE_STATUS[code] : 502;
}
