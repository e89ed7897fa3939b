// Domain errors of agents' take-over. They extend PermanentError so the caller (the gateway's agent
// API) gets the code at once, and maps it to an HTTP status. The codes are the protos'
// ConversationErrorCode.
import type { ConversationErrorCode, ErrorCodeName } from '@switchboard/contracts';
import { PermanentError } from '@switchboard/messaging';

export type AgentDeskErrorCode = Extract<
  ErrorCodeName<typeof ConversationErrorCode>,
  'CONVERSATION_NOT_FOUND' | 'CONVERSATION_HELD' | 'NOT_HELD' | 'CONVERSATION_CLOSED' | 'APPROVAL_NOT_FOUND'
>;

export class AgentDeskError extends PermanentError {
  constructor(
    override readonly code: AgentDeskErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'AgentDeskError';
  }
}
