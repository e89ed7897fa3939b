// A tenant's automatic assignment of new tickets to online agents (kept and applied by ticketing,
// services/ticketing/src/routing/auto-assigner.ts): on or off, and how many open tickets an agent
// may hold before routing passes them over.
import { Injectable } from '@nestjs/common';
import { create, GetRoutingSettingsRequestSchema, RoutingSettingsSchema, Rpcs, type RoutingSettings } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

const TIMEOUT_MS = 15_000;
const FIELDS = new Set(['autoAssign', 'maxOpenPerAgent']);

export interface RoutingSettingsBody {
  autoAssign: boolean;
  maxOpenPerAgent: number;
}

/** The body of PUT /v1/settings/routing, or a 400 naming each wrong, missing or unknown field. */
export function parseRoutingSettings(body: Record<string, unknown>): RoutingSettingsBody {
  const violations = Object.keys(body)
    .filter((k) => !FIELDS.has(k))
    .map((field) => ({ field, problem: 'is not a field of the routing settings (only autoAssign, maxOpenPerAgent)' }));
  if (typeof body.autoAssign !== 'boolean') violations.push({ field: 'autoAssign', problem: 'is required: true or false' });
  const max = body.maxOpenPerAgent;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100)
    violations.push({ field: 'maxOpenPerAgent', problem: 'is required: a whole number from 1 to 100' });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return { autoAssign: body.autoAssign as boolean, maxOpenPerAgent: max as number };
}

const bodyOf = (s: RoutingSettings): RoutingSettingsBody => ({ autoAssign: s.autoAssign, maxOpenPerAgent: s.maxOpenPerAgent });

@Injectable()
export class RoutingSettingsService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  @Audited('routing.setting.read', 'routing_setting')
  async get(caller: Principal): Promise<RoutingSettingsBody> {
    const request = create(GetRoutingSettingsRequestSchema, { tenantId: caller.tenantId });
    return bodyOf(await this.rpc.request(Rpcs.routingSettingsGet, request, { timeoutMs: TIMEOUT_MS }));
  }

  @Audited('routing.setting.put', 'routing_setting')
  async put(caller: Principal, body: Record<string, unknown>): Promise<RoutingSettingsBody> {
    const request = create(RoutingSettingsSchema, { tenantId: caller.tenantId, ...parseRoutingSettings(body) });
    return bodyOf(await this.rpc.request(Rpcs.routingSettingsPut, request, { timeoutMs: TIMEOUT_MS }));
  }
}
