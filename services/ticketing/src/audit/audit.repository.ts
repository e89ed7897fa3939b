// The audit_events table. Only inserts and reads: there is no update or delete path, and a trigger
// refuses them anyway. Every query is scoped to a tenant.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ChainedRow } from './audit-chain';

interface AuditRow {
  tenant_id: string;
  seq: string;
  event_id: string;
  occurred_at: string;
  actor_kind: string;
  actor_id: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS =
  'tenant_id, seq, event_id, occurred_at, actor_kind, actor_id, action, resource_type, resource_id, outcome, detail, prev_hash, hash';

const toRow = (r: AuditRow): ChainedRow => ({
  tenantId: r.tenant_id,
  seq: Number(r.seq),
  eventId: r.event_id,
  occurredAt: r.occurred_at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  outcome: r.outcome,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface AuditFilter {
  action?: string;
  actor?: string;
  since?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /** Runs `work` holding the tenant's chain lock (a transaction-scoped advisory lock), so two writers cannot both extend the same head. */
  async withTenantChain<T>(tenantId: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (m) => {
      await m.query(`select pg_advisory_xact_lock(hashtext('ticketing.audit_events'), hashtext($1))`, [tenantId]);
      return work(m);
    });
  }

  async hasEvent(m: EntityManager, tenantId: string, eventId: string): Promise<boolean> {
    const rows: unknown[] = await m.query('select 1 from ticketing.audit_events where tenant_id = $1 and event_id = $2', [
      tenantId,
      eventId,
    ]);
    return rows.length > 0;
  }

  async head(m: EntityManager, tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
    const rows: Array<{ seq: string; hash: string }> = await m.query(
      'select seq, hash from ticketing.audit_events where tenant_id = $1 order by seq desc limit 1',
      [tenantId],
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
  }

  async append(m: EntityManager, row: ChainedRow): Promise<void> {
    await m.query(`insert into ticketing.audit_events (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, [
      row.tenantId,
      row.seq,
      row.eventId,
      row.occurredAt,
      row.actorKind,
      row.actorId,
      row.action,
      row.resourceType,
      row.resourceId,
      row.outcome,
      row.detail,
      row.prevHash,
      row.hash,
    ]);
  }

  /** Newest first. */
  async list(tenantId: string, filter: AuditFilter): Promise<ChainedRow[]> {
    const rows: AuditRow[] = await this.db.query(
      `select ${COLUMNS} from ticketing.audit_events
       where tenant_id = $1 and ($2::text is null or action = $2) and ($3::text is null or actor_id = $3) and ($4::timestamptz is null or occurred_at::timestamptz >= $4)
       order by seq desc limit $5`,
      [tenantId, filter.action ?? null, filter.actor ?? null, filter.since ?? null, filter.limit],
    );
    return rows.map(toRow);
  }

  /** The whole chain in stored order, for verification. */
  async chain(tenantId: string): Promise<ChainedRow[]> {
    const rows: AuditRow[] = await this.db.query(`select ${COLUMNS} from ticketing.audit_events where tenant_id = $1 order by seq`, [
      tenantId,
    ]);
    return rows.map(toRow);
  }
}
