// The agents' API answers the ticketing and conversation domain codes with their HTTP statuses;
// everything else is mapped as for the rest of the REST API.
import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { RpcRemoteError } from '@switchboard/messaging';
import { HttpErrorsFilter } from '../http/http-errors.filter';

const AGENT_DESK_STATUS: Record<string, number> = {
  TICKET_NOT_FOUND: 404, CONVERSATION_NOT_FOUND: 404,
  // The request is fine but the ticket or conversation is not in a state that allows it.
  TICKET_CLAIMED: 409, INVALID_TRANSITION: 409, CONVERSATION_HELD: 409, NOT_HELD: 409, CONVERSATION_CLOSED: 409,
  // Another agent holds the ticket and only they or a lead may move it.
  NOT_TICKET_HOLDER: 403,
};

interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

@Catch()
@Injectable()
export class AgentsErrorsFilter implements ExceptionFilter {
  constructor(private readonly fallback: HttpErrorsFilter) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const status = error instanceof RpcRemoteError ? AGENT_DESK_STATUS[error.code] : undefined;
    if (status === undefined) return this.fallback.catch(error, host);
    const message = (error as RpcRemoteError).message.replace(/^\S+ failed with \S+: /, '');
    host.switchToHttp().getResponse<HttpResponse>().status(status).json({ error: { code: (error as RpcRemoteError).code, message } });
  }
}
