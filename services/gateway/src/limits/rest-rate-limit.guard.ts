// Applies the per-key limit to every REST route under /v1/ called with an API key, before its
// controller runs, so the controllers stay as they are. Missing or invalid keys pass through to the
// controller, which answers 401 saying why. Signed-in users are counted by AccessService, where
// their token is verified anyway. The route is judged by the pattern Express matched, not the
// request's path: Express routes case-insensitively, so `/V1/api-keys` reaches the `/v1/api-keys`
// handler and must count the same.
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeyService } from '../auth/api-key.service';
import { RateLimitService } from './rate-limit.service';

interface HttpRequest {
  /** The matched route; its path is the pattern as declared (e.g. `/v1/api-keys/:id`). */
  route?: { path?: unknown };
  path?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

@Injectable()
export class RestRateLimitGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const declared = request.route?.path;
    const path = typeof declared === 'string' ? declared : (request.path ?? request.url ?? '').toLowerCase();
    if (!path.startsWith('/v1/')) return true;
    const key = request.headers['x-api-key'];
    if (request.headers.authorization === undefined && typeof key === 'string') {
      // The same lookup (and cache) the controllers use to authenticate.
      const caller = await this.keys.identify(key);
      if (caller) await this.limits.admitCall(caller);
    }
    return true;
  }
}
