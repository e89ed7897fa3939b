// Tenants' moderation policies in the moderation schema, one row per tenant, as protobuf JSON.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fromJsonString, TenantPolicySchema, toJsonString, type TenantPolicy } from '@switchboard/contracts';

export interface StoredPolicy {
  revision: number;
  policy: TenantPolicy;
}

@Injectable()
export class PolicyRepository {
  constructor(private readonly db: DataSource) {}

  /** Replaces the tenant's policy and returns its new revision. */
  async save(tenantId: string, policy: TenantPolicy): Promise<number> {
    const json = toJsonString(TenantPolicySchema, { ...policy, tenantId });
    // Revisions are timestamps so they only grow, even if a row is deleted and written again.
    const [{ revision }]: Array<{ revision: string }> = await this.db.query(
      `insert into moderation.policies (tenant_id, policy, revision) values ($1, $2::jsonb, (extract(epoch from clock_timestamp()) * 1000)::bigint)
       on conflict (tenant_id) do update set policy = excluded.policy, revision = greatest(moderation.policies.revision + 1, excluded.revision), updated_at = now()
       returning revision`,
      [tenantId, json],
    );
    return Number(revision);
  }

  /** The tenant's revision, or 0 when it has no policy. */
  async revision(tenantId: string): Promise<number> {
    const rows: Array<{ revision: string }> = await this.db.query('select revision from moderation.policies where tenant_id = $1', [
      tenantId,
    ]);
    return rows.length > 0 ? Number(rows[0].revision) : 0;
  }

  async load(tenantId: string): Promise<StoredPolicy | undefined> {
    const rows: Array<{ revision: string; policy: string }> = await this.db.query(
      'select revision, policy::text as policy from moderation.policies where tenant_id = $1',
      [tenantId],
    );
    if (rows.length === 0) return undefined;
    return {
      revision: Number(rows[0].revision),
      policy: fromJsonString(TenantPolicySchema, rows[0].policy, { ignoreUnknownFields: true }),
    };
  }
}
