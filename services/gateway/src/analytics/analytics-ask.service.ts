// Questions about the tenant's KPIs, answered by the analytics service (request-reply): in words
// (`ask`), or as a structured query (`query`, the console's overview). The caller's token or key
// decides the tenant; the body is checked here, naming the field, and the query's own fields by the
// analytics service.
import { Injectable } from '@nestjs/common';
import {
  AnalyticsSettingsSchema,
  AskRequestSchema,
  create,
  GetAnalyticsSettingsRequestSchema,
  Rpcs,
  type AnyRpcTopic,
  type AskRequest,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

const TIMEOUT_MS = 30_000;

@Injectable()
export class AnalyticsAskService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  /** `{timeZone}`: the IANA zone the tenant's days are counted in ("UTC" until set). */
  async settings(caller: Principal) {
    const settings = await this.rpc.request(
      Rpcs.analyticsSettingsGet,
      create(GetAnalyticsSettingsRequestSchema, { tenantId: caller.tenantId }),
      {
        timeoutMs: TIMEOUT_MS,
      },
    );
    return { timeZone: settings.timeZone };
  }

  /** Sets `{timeZone}` (admins); a zone the runtime does not know is a 400 naming `timeZone`. */
  @Audited('analytics.settings.put', 'analytics_settings')
  async putSettings(caller: Principal, body: unknown) {
    const { timeZone } = (body ?? {}) as { timeZone?: unknown };
    if (typeof timeZone !== 'string')
      throw GatewayError.invalid([{ field: 'timeZone', problem: 'is required: an IANA time zone such as "Asia/Shanghai" or "UTC"' }]);
    const request = create(AnalyticsSettingsSchema, { tenantId: caller.tenantId, timeZone });
    const violations = (Rpcs.analyticsSettingsPut as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0)
      throw GatewayError.invalid(violations.map((v) => ({ field: v.field === 'time_zone' ? 'timeZone' : v.field, problem: v.problem })));
    const stored = await this.rpc.request(Rpcs.analyticsSettingsPut, request, { timeoutMs: TIMEOUT_MS });
    return { timeZone: stored.timeZone };
  }

  /** `{query, rows, answer, chart: {option, svg} | null, definition, filledBy}`; `query` is null when it could not be answered. */
  async ask(caller: Principal, body: unknown) {
    const { question, now } = (body ?? {}) as { question?: unknown; now?: unknown };
    if (typeof question !== 'string') throw GatewayError.invalid([{ field: 'question', problem: 'is required (a string)' }]);
    return this.send(create(AskRequestSchema, { tenantId: caller.tenantId, question, now: optionalTime(now) }));
  }

  /** The same answer for `{query: {metric, group_by?, filters?, from, to, grain?}, now?, language?: "en"|"zh"}`. */
  async query(caller: Principal, body: unknown) {
    const { query, now, language } = (body ?? {}) as { query?: unknown; now?: unknown; language?: unknown };
    if (typeof query !== 'object' || query === null || Array.isArray(query))
      throw GatewayError.invalid([{ field: 'query', problem: 'is required (an object: metric, group_by, filters, from, to, grain)' }]);
    if (language !== undefined && language !== 'en' && language !== 'zh')
      throw GatewayError.invalid([{ field: 'language', problem: 'must be "en" or "zh"' }]);
    return this.send(
      create(AskRequestSchema, {
        tenantId: caller.tenantId,
        queryJson: JSON.stringify(query),
        language: language ?? '',
        now: optionalTime(now),
      }),
    );
  }

  private async send(request: AskRequest) {
    const violations = (Rpcs.analyticsAsk as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    const result = await this.rpc.request(Rpcs.analyticsAsk, request, { timeoutMs: TIMEOUT_MS });
    return {
      query: result.queryJson ? (JSON.parse(result.queryJson) as unknown) : null,
      rows: result.rowsJson ? (JSON.parse(result.rowsJson) as unknown) : [],
      answer: result.answer,
      chart: result.chartJson ? { option: JSON.parse(result.chartJson) as unknown, svg: result.chartSvg } : null,
      definition: result.definition,
      filledBy: result.filledBy,
    };
  }
}

function optionalTime(now: unknown): string {
  if (now !== undefined && typeof now !== 'string') throw GatewayError.invalid([{ field: 'now', problem: 'must be an RFC 3339 time' }]);
  return now ?? '';
}
