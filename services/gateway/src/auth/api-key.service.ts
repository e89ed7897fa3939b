// Channel adapters authenticate with an API key; the key alone decides the tenant, so no caller
// can name a tenant it does not hold a key for.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GatewayError } from '../gateway.errors';
import { ApiKeyRepository } from './api-key.repository';

const KEY_FORMAT = /^sb_[A-Za-z0-9_-]{20,120}$/;
const CACHE_MS = 30_000;

/** chat: the channel API; kb:admin: managing the tenant (knowledge bases, settings, webhooks, users, keys, audit, privacy). */
export const API_SCOPES = ['chat', 'kb:admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface Caller {
  tenantId: string;
  keyId: string;
  scopes: ApiScope[];
  /** The key's own requests-per-minute limit; absent: the gateway's default. */
  requestsPerMinute?: number;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeyService {
  // Brief cache so each message does not cost a database round trip; a revoked key stops
  // working within CACHE_MS.
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(private readonly keys: ApiKeyRepository) {}

  /** The caller behind `key`, if the key is valid and carries `scope`. */
  async authenticate(key: string | undefined, scope: ApiScope = 'chat'): Promise<Caller> {
    const caller = await this.resolve(key);
    if (!caller.scopes.includes(scope)) throw new GatewayError('PERMISSION_DENIED', `this API key lacks the "${scope}" scope`);
    return caller;
  }

  /** The caller behind `key`, or undefined for a missing or unknown key; never throws. */
  async identify(key: string | undefined): Promise<Caller | undefined> {
    return this.resolve(key).catch((error: unknown) => {
      if (error instanceof GatewayError) return undefined;
      throw error;
    });
  }

  private async resolve(key: string | undefined): Promise<Caller> {
    if (!key) throw new GatewayError('UNAUTHENTICATED', 'missing API key: send it as "x-api-key" (gRPC metadata or HTTP header)');
    if (!KEY_FORMAT.test(key)) throw new GatewayError('UNAUTHENTICATED', 'invalid API key');
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    const record = await this.keys.findActiveByHash(hash);
    if (!record) throw new GatewayError('UNAUTHENTICATED', 'invalid API key');
    const caller: Caller = {
      tenantId: record.tenantId,
      keyId: record.id,
      scopes: record.scopes as ApiScope[],
      ...(record.requestsPerMinute ? { requestsPerMinute: record.requestsPerMinute } : {}),
    };
    this.cache.set(hash, { caller, until: Date.now() + CACHE_MS });
    return caller;
  }

  /** Revokes the key; this instance stops accepting it at once, other gateway instances within CACHE_MS. */
  async revoke(tenantId: string, keyId: string): Promise<boolean> {
    const hash = await this.keys.revoke(tenantId, keyId);
    if (hash !== undefined) this.cache.delete(hash);
    return hash !== undefined;
  }

  /** Changes a key's own limit (null: the default); this instance at once, others within CACHE_MS. */
  async setRequestsPerMinute(tenantId: string, keyId: string, requestsPerMinute: number | null): Promise<boolean> {
    const changed = await this.keys.setRequestsPerMinute(tenantId, keyId, requestsPerMinute);
    if (changed) this.cache.clear();
    return changed;
  }

  /** Creates the tenant if needed and a new key for it; the key is returned once, never stored. */
  async issueKey(tenantId: string, tenantName: string, keyName: string, scopes: ApiScope[] = ['chat']): Promise<string> {
    await this.keys.ensureTenant(tenantId, tenantName);
    return (await this.addKey(tenantId, keyName, scopes)).key;
  }

  /** A new key for an existing tenant: its id, and the key itself, which is shown this once. */
  async addKey(
    tenantId: string,
    keyName: string,
    scopes: ApiScope[],
    requestsPerMinute?: number,
  ): Promise<{ id: string; key: string; prefix: string }> {
    const key = `sb_${tenantId.replace(/[^A-Za-z0-9]/g, '')}_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await this.keys.insertKey({
      id,
      tenantId,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 12),
      name: keyName,
      scopes,
      requestsPerMinute,
    });
    return { id, key, prefix: key.slice(0, 12) };
  }
}
