// Tenants and their channel API keys, in the gateway schema.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  scopes: string[];
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: DataSource) {}

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const rows: Array<{ id: string; tenant_id: string; scopes: string[] }> = await this.db.query(
      'select id, tenant_id, scopes from gateway.api_keys where key_hash = $1 and revoked_at is null',
      [keyHash],
    );
    return rows[0] ? { id: rows[0].id, tenantId: rows[0].tenant_id, scopes: rows[0].scopes } : undefined;
  }

  async ensureTenant(id: string, name: string): Promise<void> {
    await this.db.query('insert into gateway.tenants (id, name) values ($1, $2) on conflict (id) do nothing', [id, name]);
  }

  async insertKey(key: { id: string; tenantId: string; keyHash: string; keyPrefix: string; name: string; scopes: string[] }): Promise<void> {
    await this.db.query(
      'insert into gateway.api_keys (id, tenant_id, key_hash, key_prefix, name, scopes) values ($1, $2, $3, $4, $5, $6)',
      [key.id, key.tenantId, key.keyHash, key.keyPrefix, key.name, key.scopes],
    );
  }
}
