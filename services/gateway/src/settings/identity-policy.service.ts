// A tenant's identity policy: `requireChannelIdentity` makes the bot refuse every order change
// (cancel, return, exchange) unless the channel adapter authenticated the customer as the very
// order-system user they proved to be. The gateway stamps the policy on each accepted message, so
// a turn is judged by the policy in force when it arrived.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { tenantTurnSettings } from './tenant-turn-settings';

export interface IdentityPolicy {
  requireChannelIdentity: boolean;
}

const FIELDS = new Set(['requireChannelIdentity']);

/** The body of PUT /v1/settings/identity, or a 400 naming each wrong, missing or unknown field. */
export function parseIdentityPolicy(body: Record<string, unknown>): IdentityPolicy {
  const violations = Object.keys(body)
    .filter((k) => !FIELDS.has(k))
    .map((field) => ({ field, problem: 'is not a field of the identity policy (only requireChannelIdentity)' }));
  if (typeof body.requireChannelIdentity !== 'boolean')
    violations.push({ field: 'requireChannelIdentity', problem: 'is required: true or false' });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return { requireChannelIdentity: body.requireChannelIdentity as boolean };
}

@Injectable()
export class IdentityPolicyService {
  constructor(
    private readonly db: DataSource,
    readonly audit?: AuditTrail,
  ) {}

  /** The policy a message is accepted under (no tenant row: the default, off). */
  async of(tenantId: string): Promise<IdentityPolicy> {
    return { requireChannelIdentity: (await tenantTurnSettings(this.db, tenantId)).requireChannelIdentity };
  }

  @Audited('identity.policy.read', 'identity_policy')
  async get(caller: Principal): Promise<IdentityPolicy> {
    return this.of(caller.tenantId);
  }

  @Audited('identity.policy.put', 'identity_policy')
  async put(caller: Principal, body: Record<string, unknown>): Promise<IdentityPolicy> {
    const policy = parseIdentityPolicy(body);
    await this.db.query('update gateway.tenants set require_channel_identity = $2 where id = $1', [
      caller.tenantId,
      policy.requireChannelIdentity,
    ]);
    return this.of(caller.tenantId);
  }
}
