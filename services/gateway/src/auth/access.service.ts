// Resolves the credentials of a REST call into a Principal and checks what it may do: admin calls
// take an admin's access token or an API key with the "kb:admin" scope; the agents' desk takes a
// desk role's access token only, because it shows customers' data and acts as a named person.
import { Injectable } from '@nestjs/common';
import { GatewayError } from '../gateway.errors';
import { RateLimitService } from '../limits/rate-limit.service';
import { AccessTokens, principalOf, type VerifiedToken } from './access-tokens';
import { ApiKeyService } from './api-key.service';
import { DESK_ROLES, type Principal } from './roles';

export type RequestHeaders = Record<string, string | string[] | undefined>;

const SIGN_IN = 'sign in with POST /v1/auth/login and send "Authorization: Bearer <accessToken>"';

export function bearerTokenOf(headers: RequestHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/i.exec(value.trim());
  if (!match) throw new GatewayError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <accessToken>"');
  return match[1];
}

@Injectable()
export class AccessService {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly tokens: AccessTokens,
    private readonly limits: RateLimitService,
  ) {}

  /**
   * A signed-in user's verified token (for /v1/auth/me and sign-out, and under every role check).
   * The user's rate limit is counted here, once the token is verified, so a call verifies it once.
   */
  async session(headers: RequestHeaders): Promise<VerifiedToken> {
    const token = bearerTokenOf(headers);
    if (token === undefined) throw new GatewayError('UNAUTHENTICATED', `missing access token: ${SIGN_IN}`);
    const verified = await this.tokens.verify(token);
    await this.limits.admitUser(verified.tenantId, verified.userId);
    return verified;
  }

  /** Managing the tenant: knowledge bases, bot settings, webhooks, users, keys, audit, privacy. */
  async admin(headers: RequestHeaders): Promise<Principal> {
    if (headers.authorization !== undefined) {
      const token = await this.session(headers);
      if (token.role !== 'admin')
        throw new GatewayError('PERMISSION_DENIED', `this needs the admin role; you are signed in as ${token.role}`);
      return principalOf(token);
    }
    const key = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined;
    const caller = await this.keys.authenticate(key, 'kb:admin');
    return { tenantId: caller.tenantId, actor: { kind: 'api_key', id: caller.keyId }, departments: [] };
  }

  /** The tenant's KPIs (analytics): supervisors and admins, or an admin API key. */
  async reports(headers: RequestHeaders): Promise<Principal> {
    if (headers.authorization !== undefined) {
      const token = await this.session(headers);
      if (token.role !== 'supervisor' && token.role !== 'admin')
        throw new GatewayError('PERMISSION_DENIED', `analytics is for supervisors and admins; you are signed in as ${token.role}`);
      return principalOf(token);
    }
    return this.admin(headers);
  }

  /**
   * Who is on the desk now: a supervisor (their departments' people) or an admin (the tenant's,
   * who sets how routing uses it); signed-in users only, since it names people.
   */
  async team(headers: RequestHeaders): Promise<Principal & { role: NonNullable<Principal['role']> }> {
    if (headers.authorization === undefined)
      throw new GatewayError('UNAUTHENTICATED', `the team's presence needs a signed-in user: ${SIGN_IN}`);
    const token = await this.session(headers);
    if (token.role !== 'supervisor' && token.role !== 'admin')
      throw new GatewayError('PERMISSION_DENIED', `the team's presence is for supervisors and admins; you are signed in as ${token.role}`);
    return { ...principalOf(token), role: token.role };
  }

  /** Working tickets and conversations: agents, senior agents and supervisors. */
  async desk(headers: RequestHeaders): Promise<Principal & { role: NonNullable<Principal['role']> }> {
    if (headers.authorization === undefined)
      throw new GatewayError('UNAUTHENTICATED', `the agents' API needs a signed-in agent: ${SIGN_IN}`);
    const token = await this.session(headers);
    if (!DESK_ROLES.includes(token.role))
      throw new GatewayError(
        'PERMISSION_DENIED',
        `the agents' desk is for agents, senior agents and supervisors; you are signed in as ${token.role}`,
      );
    return { ...principalOf(token), role: token.role };
  }
}
