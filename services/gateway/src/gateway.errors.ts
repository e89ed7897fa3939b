// Domain errors of the gateway; the gRPC edge maps each code to a status.
import type { FieldViolation } from '@switchboard/contracts';
import { describeViolations } from '@switchboard/contracts';

export type GatewayErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNAVAILABLE';

export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  static invalid(violations: FieldViolation[]): GatewayError {
    return new GatewayError('INVALID_ARGUMENT', describeViolations(violations));
  }
}
