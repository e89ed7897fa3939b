// Applies the per-key limit to every admin REST route (/v1/...) before its controller runs, so the
// controllers stay as they are. A missing or unknown key passes through to the controller, which
// answers 401 as before.
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { hashKey } from '../auth/api-key.service';
import { RateLimitService } from './rate-limit.service';

const CACHE_MS = 30_000;
const KEY_FORMAT = /^sb_[A-Za-z0-9_-]{20,120}$/;

interface HttpRequest {
  path?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

@Injectable()
export class RestRateLimitGuard implements CanActivate {
  // Same lifetime as ApiKeyService's cache: a revoked key stops counting within CACHE_MS.
  private readonly keys = new Map<string, { owner: { tenantId: string; keyId: string } | undefined; until: number }>();

  constructor(private readonly repository: ApiKeyRepository, private readonly limits: RateLimitService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const path = request.path ?? request.url ?? '';
    const key = request.headers['x-api-key'];
    if (!path.startsWith('/v1/') || typeof key !== 'string' || !KEY_FORMAT.test(key)) return true;
    const owner = await this.ownerOf(key);
    if (owner) await this.limits.admitCall(owner);
    return true;
  }

  private async ownerOf(key: string): Promise<{ tenantId: string; keyId: string } | undefined> {
    const hash = hashKey(key);
    const cached = this.keys.get(hash);
    if (cached && cached.until > Date.now()) return cached.owner;
    const record = await this.repository.findActiveByHash(hash);
    const owner = record && { tenantId: record.tenantId, keyId: record.id };
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(hash, { owner, until: Date.now() + CACHE_MS });
    return owner;
  }
}
