// Short-lived access tokens: HS256 JWTs naming the user, tenant, role and departments, checked on
// every call. They are revocable before they expire: signing out lists the token's id in Redis until
// its expiry, and disabling a user (or changing their role) sets a not-before time for all of the
// user's tokens.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { errors, jwtVerify, SignJWT } from 'jose';
import { CONFIG } from '@switchboard/platform';
import type { GatewayConfig } from '../config';
import { GatewayError } from '../gateway.errors';
import { ROLES, type Principal, type Role } from './roles';

const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard-api';
/** Public, in the source: it protects nothing. Used only outside production when JWT_SECRET is unset. */
export const DEVELOPMENT_JWT_SECRET = 'switchboard-development-only-jwt-secret-do-not-use';

export interface TokenSubject {
  tenantId: string;
  userId: string;
  username: string;
  role: Role;
  departments: string[];
  /** The sign-in this token belongs to (its refresh-token family), ended together at sign-out. */
  sessionId: string;
}

export interface VerifiedToken extends TokenSubject {
  tokenId: string;
  expiresAt: number;
}

/** The signing secret for `config`; refuses what production must not run with. */
export function jwtSecretOf(config: Pick<GatewayConfig, 'NODE_ENV' | 'JWT_SECRET'>): Uint8Array {
  const secret = config.JWT_SECRET ?? '';
  if (config.NODE_ENV === 'production') {
    if (secret === '')
      throw new Error('JWT_SECRET: required in production (at least 32 random characters, e.g. `openssl rand -base64 48`)');
    if (secret === DEVELOPMENT_JWT_SECRET) throw new Error('JWT_SECRET: the development secret must not be used in production');
  }
  if (secret !== '' && secret.length < 32) throw new Error('JWT_SECRET: must be at least 32 characters');
  return new TextEncoder().encode(secret === '' ? DEVELOPMENT_JWT_SECRET : secret);
}

const revokedKey = (tenantId: string, tokenId: string) => `t:${tenantId}:auth:revoked:${tokenId}`;
const notBeforeKey = (tenantId: string, userId: string) => `t:${tenantId}:auth:user:${userId}:not-before`;

@Injectable()
export class AccessTokens {
  private readonly secret: Uint8Array;

  constructor(
    private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {
    this.secret = jwtSecretOf(config);
  }

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_S;
  }

  issue(subject: TokenSubject): Promise<string> {
    return new SignJWT({
      tid: subject.tenantId,
      name: subject.username,
      role: subject.role,
      dep: subject.departments,
      sid: subject.sessionId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.userId)
      .setJti(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.ACCESS_TOKEN_TTL_S}s`)
      .sign(this.secret);
  }

  /** The token's subject, or UNAUTHENTICATED saying why (expired, signed out, malformed). */
  async verify(token: string): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new GatewayError('UNAUTHENTICATED', 'access token expired: get a new one from POST /v1/auth/refresh');
      throw new GatewayError('UNAUTHENTICATED', 'invalid access token');
    }
    const token_ = parseClaims(payload);
    const [revoked, notBefore] = await this.redis.mget(
      revokedKey(token_.tenantId, token_.tokenId),
      notBeforeKey(token_.tenantId, token_.userId),
    );
    if (revoked !== null) throw new GatewayError('UNAUTHENTICATED', 'access token revoked (signed out): sign in again');
    if (notBefore !== null && Number(payload.iat) * 1000 < Number(notBefore))
      throw new GatewayError('UNAUTHENTICATED', 'access token no longer valid (account changed): sign in again');
    return token_;
  }

  /** Ends `token` before it expires. */
  async revoke(token: VerifiedToken): Promise<void> {
    const seconds = Math.max(1, Math.ceil(token.expiresAt - Date.now() / 1000));
    await this.redis.set(revokedKey(token.tenantId, token.tokenId), '1', 'EX', seconds);
  }

  /** Ends every access token of the user issued until now (account disabled or changed). */
  async revokeAllOf(tenantId: string, userId: string): Promise<void> {
    // Tokens carry whole seconds; the next second's tokens are the first valid ones.
    const next = (Math.floor(Date.now() / 1000) + 1) * 1000;
    await this.redis.set(notBeforeKey(tenantId, userId), String(next), 'EX', this.config.ACCESS_TOKEN_TTL_S + 60);
  }
}

function parseClaims(p: Record<string, unknown>): VerifiedToken {
  const strings = (v: unknown) => Array.isArray(v) && v.every((d) => typeof d === 'string');
  if (
    typeof p.sub !== 'string' ||
    typeof p.tid !== 'string' ||
    typeof p.name !== 'string' ||
    typeof p.jti !== 'string' ||
    typeof p.sid !== 'string' ||
    !ROLES.includes(p.role as Role) ||
    !strings(p.dep) ||
    typeof p.exp !== 'number'
  ) {
    throw new GatewayError('UNAUTHENTICATED', 'invalid access token');
  }
  return {
    tenantId: p.tid,
    userId: p.sub,
    username: p.name,
    role: p.role as Role,
    departments: p.dep,
    sessionId: p.sid,
    tokenId: p.jti,
    expiresAt: p.exp,
  };
}

export function principalOf(token: VerifiedToken): Principal {
  return { tenantId: token.tenantId, actor: { kind: 'user', id: token.username }, role: token.role, departments: token.departments };
}
