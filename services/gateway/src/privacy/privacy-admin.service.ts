// Erasure and retention for a tenant's admin. An erasure publishes one command that every service
// holding customer data acts on, then waits (ERASURE_WAIT_MS) for their reports; retention periods
// are kept by the conversation service, whose sweep enforces them.
import { Inject, Injectable } from '@nestjs/common';
import {
  create,
  ErasureCommandSchema,
  GetRetentionPolicyRequestSchema,
  PutRetentionPolicyRequestSchema,
  RetentionPolicySchema,
  Rpcs,
  Topics,
  type FieldViolation,
  type CollectedReports,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { CONFIG } from '@switchboard/platform';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import type { GatewayConfig } from '../config';
import { GatewayError } from '../gateway.errors';
import { jsonBody } from '../http/json-body';
import { ErasureWaiter } from './erasure-waiter';

const RPC_TIMEOUT_MS = 15_000;
const MAX_DAYS = 3650;

export type ErasureAnswer = { requestId: string } & CollectedReports;

@Injectable()
export class PrivacyAdminService {
  constructor(
    private readonly bus: KafkaBus,
    private readonly rpc: RpcClient,
    private readonly waiter: ErasureWaiter,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    readonly audit?: AuditTrail,
  ) {}

  /** Body: {"customerId": "…"}. The audit entry names the request id, never the customer. */
  @Audited('privacy.erasure', 'erasure_request', 2)
  async erase(caller: Principal, body: Record<string, unknown>, requestId: string): Promise<ErasureAnswer> {
    const extra = Object.keys(body).filter((k) => k !== 'customerId');
    if (extra.length > 0) throw GatewayError.invalid([{ field: extra[0], problem: 'is not accepted; send only {"customerId": "…"}' }]);
    if (typeof body.customerId !== 'string')
      throw GatewayError.invalid([{ field: 'customerId', problem: "is required: the channel's id of the customer to erase, as a string" }]);
    const command = create(ErasureCommandSchema, {
      tenantId: caller.tenantId,
      requestId: requestId,
      customerId: body.customerId,
      reason: 'customer_request',
      requestedBy: `${caller.actor.kind}:${caller.actor.id}`.slice(0, 128),
      requestedAt: new Date().toISOString(),
    });
    const violations = Topics.erasureCommands.validate(command);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    const collecting = this.waiter.expect(caller.tenantId, requestId);
    try {
      await this.bus.publish(Topics.erasureCommands, command);
    } catch (error) {
      void collecting.wait(0); // stop waiting for reports of a command that never went out
      throw error;
    }
    return { requestId, ...(await collecting.wait(this.config.ERASURE_WAIT_MS)) };
  }

  @Audited('privacy.retention.read', 'retention_policy')
  async getRetention(caller: Principal) {
    const policy = await this.rpc.request(Rpcs.retentionGet, create(GetRetentionPolicyRequestSchema, { tenantId: caller.tenantId }), {
      timeoutMs: RPC_TIMEOUT_MS,
    });
    return jsonBody(RetentionPolicySchema, policy);
  }

  /** Body: {"conversationDays": 365, "attachmentDays": 30}; 0 keeps data for ever. */
  @Audited('privacy.retention.update', 'retention_policy')
  async putRetention(caller: Principal, body: Record<string, unknown>) {
    const problems = retentionProblems(body);
    if (problems.length > 0) throw GatewayError.invalid(problems);
    const request = create(PutRetentionPolicyRequestSchema, {
      tenantId: caller.tenantId,
      policy: {
        tenantId: caller.tenantId,
        conversationDays: body.conversationDays as number,
        attachmentDays: body.attachmentDays as number,
      },
    });
    return jsonBody(RetentionPolicySchema, await this.rpc.request(Rpcs.retentionPut, request, { timeoutMs: RPC_TIMEOUT_MS }));
  }
}

/** What is wrong with a retention body, field by field. */
export function retentionProblems(body: Record<string, unknown>): FieldViolation[] {
  const problems: FieldViolation[] = Object.keys(body)
    .filter((k) => k !== 'conversationDays' && k !== 'attachmentDays')
    .map((field) => ({ field, problem: 'is not accepted; send {"conversationDays": N, "attachmentDays": N}' }));
  for (const field of ['conversationDays', 'attachmentDays']) {
    const value = body[field];
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_DAYS) {
      problems.push({ field, problem: `is required: a whole number of days from 0 (keep for ever) to ${MAX_DAYS}` });
    }
  }
  return problems;
}
