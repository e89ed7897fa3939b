// Channel adapters authenticate with an API key; the key alone decides the tenant, so no caller
// can name a tenant it does not hold a key for.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GatewayError } from '../gateway.errors';
import { ApiKeyRepository } from './api-key.repository';

const KEY_FORMAT = /^sb_[A-Za-z0-9_-]{20,120}$/;
const CACHE_MS = 30_000;

/** chat: the channel API; kb:admin: managing knowledge bases; agent: the agents' API (tickets, take-over). */
export type ApiScope = 'chat' | 'kb:admin' | 'agent';

export interface Caller {
  tenantId: string;
  keyId: string;
  scopes: ApiScope[];
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
    const caller = { tenantId: record.tenantId, keyId: record.id, scopes: record.scopes as ApiScope[] };
    this.cache.set(hash, { caller, until: Date.now() + CACHE_MS });
    return caller;
  }

  /** Creates the tenant if needed and a new key for it; the key is returned once, never stored. */
  async issueKey(tenantId: string, tenantName: string, keyName: string, scopes: ApiScope[] = ['chat']): Promise<string> {
    await this.keys.ensureTenant(tenantId, tenantName);
    const key = `sb_${tenantId.replace(/[^A-Za-z0-9]/g, '')}_${randomBytes(24).toString('base64url')}`;
    await this.keys.insertKey({ id: randomUUID(), tenantId, keyHash: hashKey(key), keyPrefix: key.slice(0, 12), name: keyName, scopes });
    return key;
  }
}
