// The one place gateway errors become gRPC statuses.
import { Metadata, status } from '@grpc/grpc-js';
import type { Logger } from '@switchboard/logging';
import { GatewayError } from '../gateway.errors';
import { RateLimitedError } from '../limits/rate-limit.errors';

export interface GrpcError {
  code: status;
  message: string;
  details: string;
  /** Sent as trailers; `retry-after` (seconds) on RESOURCE_EXHAUSTED. */
  metadata?: Metadata;
}

export function toGrpcError(error: unknown, log: Logger): GrpcError {
  if (error instanceof RateLimitedError) {
    const metadata = new Metadata();
    metadata.set('retry-after', String(error.retryAfterSeconds));
    return { code: status.RESOURCE_EXHAUSTED, message: error.message, details: error.message, metadata };
  }
  if (error instanceof GatewayError) return { code: status[error.code], message: error.message, details: error.message };
  log.error({ err: error }, 'unexpected error in a gRPC call');
  return { code: status.INTERNAL, message: 'internal error; it has been logged', details: 'internal error; it has been logged' };
}
