// Signing in, refreshing and signing out. A sign-in starts a session: a family of refresh tokens,
// each usable once and replaced on use; presenting one that was already used means it was copied,
// so the whole family is revoked and the user must sign in again. A session ends SESSION_MAX_AGE_S
// after its sign-in however often it is refreshed.
import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@switchboard/platform';
import type { GatewayConfig } from '../config';
import { AuditTrail } from '../audit/audit-trail.service';
import { GatewayError } from '../gateway.errors';
import { RateLimitService } from '../limits/rate-limit.service';
import { AccessTokens, type VerifiedToken } from './access-tokens';
import { hashKey } from './api-key.service';
import { PasswordHasher } from './password-hasher';
import { UserRepository, type UserRecord } from './user.repository';

const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const REFRESH_TOKEN = /^sbr_[A-Za-z0-9_-]{43}$/;
const FAILED = 'invalid tenant, username or password';

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: PublicUser;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departments: string[];
}

export const publicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  departments: u.departments,
});

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw GatewayError.invalid([{ field: name, problem: 'is required (a string)' }]);
  return value;
}

@Injectable()
export class SignInService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly limits: RateLimitService,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditTrail,
  ) {}

  /** `client` is the caller's address (the peer, or what a trusted proxy says it is). */
  async signIn(body: Record<string, unknown>, client: string): Promise<Session> {
    const tenantId = field(body, 'tenantId');
    const username = field(body, 'username').toLowerCase();
    const password = field(body, 'password');
    if (!TENANT_ID.test(tenantId) || !USERNAME.test(username) || password.length > 1024) throw new GatewayError('UNAUTHENTICATED', FAILED);
    // Counted before the password is checked, so guessing costs attempts whether it succeeds or not.
    const attempt = await this.limits.admitSignIn(tenantId, username, client);
    const user = await this.users.findForSignIn(tenantId, username);
    if (!(await this.passwords.matches(user?.passwordHash, password)) || !user) {
      await this.auditFailure(tenantId, user?.username);
      throw new GatewayError('UNAUTHENTICATED', FAILED);
    }
    await attempt.succeeded();
    return this.startSession(user, randomUUID(), new Date());
  }

  /**
   * A failed sign-in in the tenant's audit log: the account's username when it names an active
   * user (staff, not customers), nothing when it does not (a mistyped username is often a password
   * typed in the wrong field). Never the password, never the client's address. Refusals by the
   * rate limits are not audited: they cost an attacker nothing, so each would be free log spam.
   */
  private async auditFailure(tenantId: string, username: string | undefined): Promise<void> {
    if (username === undefined && !(await this.users.tenantExists(tenantId))) return;
    await this.audit.record({
      tenantId,
      actor: { kind: 'user', id: username ?? '' },
      action: 'auth.sign_in',
      resource: { type: 'user', id: username ?? '' },
      outcome: 'refused',
      detail: username ? 'UNAUTHENTICATED' : 'UNKNOWN_USER',
    });
  }

  async refresh(body: Record<string, unknown>): Promise<Session> {
    const presented = field(body, 'refreshToken');
    if (!REFRESH_TOKEN.test(presented)) throw new GatewayError('UNAUTHENTICATED', 'invalid refresh token');
    const token = await this.users.useRefreshToken(hashKey(presented));
    if (!token) throw new GatewayError('UNAUTHENTICATED', 'invalid refresh token');
    if (token.usedAt !== null || token.revokedAt !== null) {
      await this.users.revokeFamily(token.tenantId, token.familyId);
      throw new GatewayError('UNAUTHENTICATED', 'refresh token already used or revoked: sign in again');
    }
    if (token.expiresAt.getTime() <= Date.now()) throw new GatewayError('UNAUTHENTICATED', 'refresh token expired: sign in again');
    if (this.sessionEnd(token.sessionStartedAt) <= Date.now()) {
      await this.users.revokeFamily(token.tenantId, token.familyId);
      throw new GatewayError('UNAUTHENTICATED', 'session reached its maximum age: sign in again');
    }
    const user = await this.users.find(token.tenantId, token.userId);
    if (!user || user.disabledAt !== null) throw new GatewayError('UNAUTHENTICATED', 'account disabled');
    return this.startSession(user, token.familyId, token.sessionStartedAt);
  }

  /** Ends the session of `token`: its refresh tokens and the access token itself. */
  async signOut(token: VerifiedToken): Promise<void> {
    await this.users.revokeFamily(token.tenantId, token.sessionId);
    await this.tokens.revoke(token);
  }

  private sessionEnd(startedAt: Date): number {
    return startedAt.getTime() + this.config.SESSION_MAX_AGE_S * 1000;
  }

  private async startSession(user: UserRecord, sessionId: string, startedAt: Date): Promise<Session> {
    const refreshToken = `sbr_${randomBytes(32).toString('base64url')}`;
    // A refresh token never outlives its session.
    const expiresAt = Math.min(Date.now() + this.config.REFRESH_TOKEN_TTL_S * 1000, this.sessionEnd(startedAt));
    await this.users.insertRefreshToken({
      id: randomUUID(),
      tenantId: user.tenantId,
      userId: user.id,
      familyId: sessionId,
      sessionStartedAt: startedAt,
      tokenHash: hashKey(refreshToken),
      expiresAt: new Date(expiresAt),
    });
    const accessToken = await this.tokens.issue({
      tenantId: user.tenantId,
      userId: user.id,
      username: user.username,
      role: user.role,
      departments: user.departments,
      sessionId,
    });
    const refreshExpiresIn = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds, refreshToken, refreshExpiresIn, user: publicUser(user) };
  }
}
