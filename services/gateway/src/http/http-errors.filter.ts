// The one place errors become HTTP statuses for the REST API: a JSON body that says what went
// wrong and, for bad input, which field. Services' codes get the status their API's enum in the
// protos is mapped to (remote-error-status.ts).
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { RpcRemoteError, RpcTimeoutError } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { GatewayError, type GatewayErrorCode } from '../gateway.errors';
import { RateLimitedError } from '../limits/rate-limit.errors';
import { remoteStatus } from './remote-error-status';

const GATEWAY_STATUS: Record<GatewayErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  UNAVAILABLE: 503,
};

interface HttpResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const [status, code, message] = this.map(error);
    if (error instanceof RateLimitedError) response.setHeader('retry-after', String(error.retryAfterSeconds));
    response.status(status).json({ error: { code, message } });
  }

  private map(error: unknown): [number, string, string] {
    if (error instanceof RateLimitedError) return [429, 'RATE_LIMITED', error.message];
    if (error instanceof GatewayError) return [GATEWAY_STATUS[error.code], error.code, error.message];
    if (error instanceof RpcRemoteError) return [remoteStatus(error.code), error.code, error.message.replace(/^\S+ failed with \S+: /, '')];
    if (error instanceof RpcTimeoutError) return [504, 'TIMEOUT', error.message];
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? error.message);
      return [error.getStatus(), 'HTTP_ERROR', Array.isArray(message) ? message.join('; ') : message];
    }
    this.log.error({ err: error }, 'unexpected error in a REST call');
    return [500, 'INTERNAL', 'internal error; it has been logged'];
  }
}
