// Who a bearer token belongs to, as the gateway says (GET /v1/auth/me). The console cannot check a
// token itself (it has no signing secret, by design), and asking the gateway also catches a session
// that was signed out or a user who was disabled since the token was issued.
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@switchboard/platform';
import type { ConsoleConfig } from '../config';

export interface Identity {
  tenantId: string;
  userId: string;
  role: string;
}

export class IdentityRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

@Injectable()
export class GatewayIdentity {
  constructor(@Inject(CONFIG) private readonly config: ConsoleConfig) {}

  /** The identity, or IdentityRefused(401) for a token the gateway does not accept; 502/504 when it cannot be asked. */
  async verify(authorization: string | undefined): Promise<Identity> {
    if (!authorization || !/^Bearer \S+$/.test(authorization))
      throw new IdentityRefused(401, 'authorization: a "Bearer <access token>" header is required');
    let res: Response;
    try {
      res = await fetch(new URL('/v1/auth/me', this.config.GATEWAY_URL), { headers: { authorization }, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new IdentityRefused(timedOut ? 504 : 502, timedOut ? 'the gateway did not answer in time' : 'the gateway could not be reached');
    }
    if (res.status === 401 || res.status === 403) throw new IdentityRefused(401, 'the gateway did not accept this access token');
    if (!res.ok) throw new IdentityRefused(502, `the gateway answered ${res.status}`);
    const me = (await res.json()) as { tenantId?: unknown; id?: unknown; role?: unknown };
    if (typeof me.tenantId !== 'string' || typeof me.id !== 'string' || typeof me.role !== 'string')
      throw new IdentityRefused(502, 'the gateway answered an unexpected identity');
    return { tenantId: me.tenantId, userId: me.id, role: me.role };
  }
}
