// Applies the per-key (or per signed-in user) limit to every REST route under /v1/ before its
// controller runs, so the controllers stay as they are. Missing or invalid credentials pass through
// to the controller, which answers 401 saying why.
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AccessTokens } from '../auth/access-tokens';
import { bearerTokenOf } from '../auth/access.service';
import { ApiKeyService } from '../auth/api-key.service';
import { RateLimitService } from './rate-limit.service';

interface HttpRequest {
  path?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

@Injectable()
export class RestRateLimitGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyService, private readonly tokens: AccessTokens, private readonly limits: RateLimitService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const path = request.path ?? request.url ?? '';
    if (!path.startsWith('/v1/')) return true;
    const key = request.headers['x-api-key'];
    if (request.headers.authorization !== undefined) {
      const token = await this.userToken(request.headers);
      if (token) await this.limits.admitCall({ tenantId: token.tenantId, keyId: `user:${token.userId}` });
    } else if (typeof key === 'string') {
      // The same lookup (and cache) the controllers use to authenticate.
      const caller = await this.keys.identify(key);
      if (caller) await this.limits.admitCall(caller);
    }
    return true;
  }

  private async userToken(headers: HttpRequest['headers']) {
    try {
      const token = bearerTokenOf(headers);
      return token === undefined ? undefined : await this.tokens.verify(token);
    } catch {
      return undefined;
    }
  }
}
