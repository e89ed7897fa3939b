// Owns the audit log: appends each audit.events.v1 event to its tenant's hash chain (once, under
// the tenant's lock), and answers the admins' list and verify requests.
import { Injectable } from '@nestjs/common';
import {
  AuditActorSchema,
  AuditEntrySchema,
  AuditEventSchema,
  AuditResourceSchema,
  create,
  VerifyAuditChainResultSchema,
  type AuditEntry,
  type AuditEvent,
  type ListAuditEntriesRequest,
  type VerifyAuditChainResult,
} from '@switchboard/contracts';
import { chainHash, GENESIS_HASH, verifyChain, type ChainedRow } from './audit-chain';
import { AuditRepository } from './audit.repository';

@Injectable()
export class AuditLogService {
  constructor(private readonly audit: AuditRepository) {}

  /** Idempotent: a redelivered event (same event id) is not appended twice. */
  async append(event: AuditEvent): Promise<void> {
    await this.audit.withTenantChain(event.tenantId, async (m) => {
      if (await this.audit.hasEvent(m, event.tenantId, event.eventId)) return;
      const head = await this.audit.head(m, event.tenantId);
      const prevHash = head?.hash ?? GENESIS_HASH;
      const fields = {
        tenantId: event.tenantId,
        seq: (head?.seq ?? 0) + 1,
        eventId: event.eventId,
        occurredAt: event.occurredAt,
        actorKind: event.actor?.kind ?? '',
        actorId: event.actor?.id ?? '',
        action: event.action,
        resourceType: event.resource?.type ?? '',
        resourceId: event.resource?.id ?? '',
        outcome: event.outcome,
        detail: event.detail,
      };
      await this.audit.append(m, { ...fields, prevHash, hash: chainHash(prevHash, fields) });
    });
  }

  async list(r: ListAuditEntriesRequest): Promise<AuditEntry[]> {
    const rows = await this.audit.list(r.tenantId, {
      action: r.action || undefined,
      actor: r.actor || undefined,
      since: r.since || undefined,
      limit: r.limit || 100,
    });
    return rows.map(toEntry);
  }

  async verify(tenantId: string): Promise<VerifyAuditChainResult> {
    const v = verifyChain(await this.audit.chain(tenantId));
    return create(VerifyAuditChainResultSchema, {
      ok: v.ok,
      checked: BigInt(v.checked),
      firstBrokenAt: BigInt(v.firstBrokenAt),
      problem: v.problem,
    });
  }
}

function toEntry(r: ChainedRow): AuditEntry {
  const event = create(AuditEventSchema, {
    tenantId: r.tenantId,
    eventId: r.eventId,
    occurredAt: r.occurredAt,
    actor: create(AuditActorSchema, { kind: r.actorKind, id: r.actorId }),
    action: r.action,
    resource: create(AuditResourceSchema, { type: r.resourceType, id: r.resourceId }),
    outcome: r.outcome,
    detail: r.detail,
  });
  return create(AuditEntrySchema, { event, seq: BigInt(r.seq), prevHash: r.prevHash, hash: r.hash });
}
