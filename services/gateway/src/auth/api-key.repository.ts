// Tenants and their channel API keys, in the gateway schema.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ApiKeyListing {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** Null: the gateway's default (RATE_LIMIT_KEY_PER_MIN). */
  requestsPerMinute: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  scopes: string[];
  requestsPerMinute?: number;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: DataSource) {}

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const rows: Array<{ id: string; tenant_id: string; scopes: string[]; requests_per_min: number | null }> = await this.db.query(
      'select id, tenant_id, scopes, requests_per_min from gateway.api_keys where key_hash = $1 and revoked_at is null',
      [keyHash],
    );
    return rows[0]
      ? { id: rows[0].id, tenantId: rows[0].tenant_id, scopes: rows[0].scopes, requestsPerMinute: rows[0].requests_per_min ?? undefined }
      : undefined;
  }

  async ensureTenant(id: string, name: string): Promise<void> {
    await this.db.query('insert into gateway.tenants (id, name) values ($1, $2) on conflict (id) do nothing', [id, name]);
  }

  async insertKey(key: {
    id: string;
    tenantId: string;
    keyHash: string;
    keyPrefix: string;
    name: string;
    scopes: string[];
    requestsPerMinute?: number | null;
  }): Promise<void> {
    await this.db.query(
      'insert into gateway.api_keys (id, tenant_id, key_hash, key_prefix, name, scopes, requests_per_min) values ($1, $2, $3, $4, $5, $6, $7)',
      [key.id, key.tenantId, key.keyHash, key.keyPrefix, key.name, key.scopes, key.requestsPerMinute ?? null],
    );
  }

  /** Sets (or, with null, clears) an active key's own limit; false if there is no such active key. */
  async setRequestsPerMinute(tenantId: string, id: string, requestsPerMinute: number | null): Promise<boolean> {
    const result = await this.db.query<unknown[]>(
      'update gateway.api_keys set requests_per_min = $3 where tenant_id = $1 and id = $2 and revoked_at is null returning id',
      [tenantId, id, requestsPerMinute],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as unknown[];
    return rows.length > 0;
  }

  async list(tenantId: string): Promise<ApiKeyListing[]> {
    return this.db.query(
      'select id, name, key_prefix as prefix, scopes, requests_per_min as "requestsPerMinute", created_at as "createdAt", revoked_at as "revokedAt" from gateway.api_keys where tenant_id = $1 order by created_at, id',
      [tenantId],
    );
  }

  /** The key's hash if it was active and is now revoked; undefined if there is no such active key. */
  async revoke(tenantId: string, id: string): Promise<string | undefined> {
    const result = await this.db.query<unknown[]>(
      'update gateway.api_keys set revoked_at = now() where tenant_id = $1 and id = $2 and revoked_at is null returning key_hash',
      [tenantId, id],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<{ key_hash: string }>;
    return rows[0]?.key_hash;
  }
}
