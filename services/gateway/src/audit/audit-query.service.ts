// Reads a tenant's audit log and has its chain verified, by request-reply to ticketing (which
// stores it). The API key decides the tenant.
import { Injectable } from '@nestjs/common';
import { create, ListAuditEntriesRequestSchema, Rpcs, VerifyAuditChainRequestSchema, type AnyRpcTopic } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { Audited, AuditTrail } from './audit-trail.service';
import { jsonBody } from '../http/json-body';

const TIMEOUT_MS = 30_000;

@Injectable()
export class AuditQueryService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  /** Newest first; `limit` 1-500 (default 100). */
  @Audited('audit.read', 'audit_log')
  async list(caller: Principal, query: { action?: string; actor?: string; since?: string; limit?: string }) {
    const limit = query.limit === undefined || query.limit === '' ? 0 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 0)
      throw GatewayError.invalid([{ field: 'limit', problem: 'must be a whole number between 1 and 500' }]);
    const request = create(ListAuditEntriesRequestSchema, {
      tenantId: caller.tenantId,
      action: query.action ?? '',
      actor: query.actor ?? '',
      since: query.since ?? '',
      limit,
    });
    const violations = (Rpcs.auditList as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    const result = await this.rpc.request(Rpcs.auditList, request, { timeoutMs: TIMEOUT_MS });
    return jsonBody(Rpcs.auditList.response, result);
  }

  /** `{ok, checked, firstBrokenAt?, problem?}` over the tenant's whole chain. */
  @Audited('audit.verify', 'audit_log')
  async verify(caller: Principal) {
    const v = await this.rpc.request(Rpcs.auditVerify, create(VerifyAuditChainRequestSchema, { tenantId: caller.tenantId }), {
      timeoutMs: TIMEOUT_MS,
    });
    return v.ok
      ? { ok: true, checked: Number(v.checked) }
      : { ok: false, checked: Number(v.checked), firstBrokenAt: Number(v.firstBrokenAt), problem: v.problem };
  }
}
