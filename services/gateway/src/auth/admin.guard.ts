// Authenticates a tenant admin before the route runs, for routes whose interceptors would
// otherwise read the request body first (multipart uploads): Nest runs guards before
// interceptors, so a caller without credentials gets its 401 before a byte of the body is read.
import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AccessService, type RequestHeaders } from './access.service';
import type { Principal } from './roles';

const CALLER = Symbol('admin caller');

type AuthenticatedRequest = { headers: RequestHeaders; [CALLER]?: Principal };

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly access: AccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      request[CALLER] = await this.access.admin(request.headers);
    } catch (error) {
      // The refused body is still on its way: closing the connection after the answer stops it,
      // where keep-alive would have the server read and discard all of it.
      context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('connection', 'close');
      throw error;
    }
    return true;
  }
}

/** The admin AdminGuard authenticated for this request. */
export const AdminCaller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>()[CALLER];
  if (caller === undefined) throw new Error('AdminCaller used on a route without AdminGuard');
  return caller;
});
