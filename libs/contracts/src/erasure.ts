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
