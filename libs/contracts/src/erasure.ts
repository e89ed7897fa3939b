// What one service did with an erasure command, as the report every service publishes on
// privacy.erasure.reports.v1. Kept here so every service reports in the same shape.
import { create } from '@bufbuild/protobuf';
import { ErasureReportSchema, type ErasureCommand, type ErasureReport } from './gen/switchboard/privacy/v1/privacy_pb';

export interface ErasureOutcome {
  /** Rows or keys removed, by store: "<schema>.<table>" or "redis:<what>". */
  removed: Record<string, number>;
  /** What was deliberately kept, and why, in words an operator can act on. */
  kept: string[];
}

export function erasureReport(command: ErasureCommand, service: string, outcome: ErasureOutcome): ErasureReport {
  return create(ErasureReportSchema, {
    tenantId: command.tenantId,
    requestId: command.requestId,
    service,
    removed: Object.fromEntries(Object.entries(outcome.removed).map(([store, count]) => [store, BigInt(count)])),
    kept: outcome.kept,
    completedAt: new Date().toISOString(),
  });
}

/** Every service that holds customer data, and so reports on every erasure. */
export const REPORTING_SERVICES: readonly string[] = ['conversation', 'ticketing', 'integration', 'gateway', 'analytics'];

/** What the services reported for one request, by service, as the REST API and the CLI show it. */
export interface CollectedReports {
  complete: boolean;
  reports: Record<string, { removed: Record<string, number>; kept: string[] }>;
  /** Services that had not reported when the wait ended. */
  missing: string[];
}

export function collectReports(reports: ErasureReport[], services: readonly string[] = REPORTING_SERVICES): CollectedReports {
  const byService = Object.fromEntries(
    reports.map((r) => [
      r.service,
      { removed: Object.fromEntries(Object.entries(r.removed).map(([store, n]) => [store, Number(n)])), kept: [...r.kept] },
    ]),
  );
  const missing = services.filter((s) => !(s in byService));
  return { complete: missing.length === 0, reports: byService, missing };
}
