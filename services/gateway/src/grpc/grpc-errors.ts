// The one place gateway errors become gRPC statuses.
import { status } from '@grpc/grpc-js';
import type { Logger } from '@switchboard/logging';
import { GatewayError } from '../gateway.errors';

export interface GrpcError {
  code: status;
  message: string;
  details: string;
}

export function toGrpcError(error: unknown, log: Logger): GrpcError {
  if (error instanceof GatewayError) return { code: status[error.code], message: error.message, details: error.message };
  log.error({ err: error }, 'unexpected error in a gRPC call');
  return { code: status.INTERNAL, message: 'internal error; it has been logged', details: 'internal error; it has been logged' };
}
