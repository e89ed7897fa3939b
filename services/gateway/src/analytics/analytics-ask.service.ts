// Questions about the tenant's KPIs, answered by the analytics service (request-reply). The
// caller's token or key decides the tenant; the body is checked here, naming the field.
import { Injectable } from '@nestjs/common';
import { AskRequestSchema, create, Rpcs, type AnyRpcTopic } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

const TIMEOUT_MS = 30_000;

@Injectable()
export class AnalyticsAskService {
  constructor(private readonly rpc: RpcClient) {}

  /** `{query, rows, answer, chart: {option, svg} | null, definition}`; `query` is null when it could not be answered. */
  async ask(caller: Principal, body: unknown) {
    const { question, now } = (body ?? {}) as { question?: unknown; now?: unknown };
    if (typeof question !== 'string') throw GatewayError.invalid([{ field: 'question', problem: 'is required (a string)' }]);
    if (now !== undefined && typeof now !== 'string') throw GatewayError.invalid([{ field: 'now', problem: 'must be an RFC 3339 time' }]);
    const request = create(AskRequestSchema, { tenantId: caller.tenantId, question, now: now ?? '' });
    const violations = (Rpcs.analyticsAsk as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    const result = await this.rpc.request(Rpcs.analyticsAsk, request, { timeoutMs: TIMEOUT_MS });
    return {
      query: result.queryJson ? (JSON.parse(result.queryJson) as unknown) : null,
      rows: result.rowsJson ? (JSON.parse(result.rowsJson) as unknown) : [],
      answer: result.answer,
      chart: result.chartJson ? { option: JSON.parse(result.chartJson) as unknown, svg: result.chartSvg } : null,
      definition: result.definition,
    };
  }
}
