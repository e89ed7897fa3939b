// Collects the erasure reports of one request until every service holding customer data has
// answered, or the wait is over. Reports reach every gateway replica (erasure-reports.consumer.ts),
// and each replica keeps only those of the requests it is waiting for.
import type { ErasureReport } from '@switchboard/contracts';

/** Every service that holds customer data, and so reports on every erasure. */
export const REPORTING_SERVICES = ['conversation', 'ticketing', 'integration', 'gateway'] as const;

export interface ServiceReport {
  removed: Record<string, number>;
  kept: string[];
}

export interface CollectedReports {
  complete: boolean;
  reports: Record<string, ServiceReport>;
  /** Services that had not reported when the wait ended. */
  missing: string[];
}

interface Waiting {
  tenantId: string;
  reports: Map<string, ServiceReport>;
  settle?: () => void;
}

export class ErasureWaiter {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly services: readonly string[] = REPORTING_SERVICES) {}

  /**
   * Starts collecting a request's reports. Call it before publishing the command, so no report can
   * arrive unnoticed; then `wait` for them.
   */
  expect(tenantId: string, requestId: string): { wait: (timeoutMs: number) => Promise<CollectedReports> } {
    const entry: Waiting = { tenantId, reports: new Map() };
    this.waiting.set(requestId, entry);
    return {
      wait: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        if (!this.isComplete(entry)) {
          await new Promise<void>((resolve) => {
            entry.settle = resolve;
            timer = setTimeout(resolve, timeoutMs);
          });
        }
        clearTimeout(timer);
        this.waiting.delete(requestId);
        return this.collected(entry);
      },
    };
  }

  /** A report from the bus; ignored unless this replica waits for its request and tenant. */
  accept(report: ErasureReport): void {
    const entry = this.waiting.get(report.requestId);
    if (!entry || entry.tenantId !== report.tenantId) return;
    entry.reports.set(report.service, {
      removed: Object.fromEntries(Object.entries(report.removed).map(([store, count]) => [store, Number(count)])),
      kept: [...report.kept],
    });
    if (this.isComplete(entry)) entry.settle?.();
  }

  private isComplete(entry: Waiting): boolean {
    return this.services.every((s) => entry.reports.has(s));
  }

  private collected(entry: Waiting): CollectedReports {
    const missing = this.services.filter((s) => !entry.reports.has(s));
    return { complete: missing.length === 0, reports: Object.fromEntries(entry.reports), missing };
  }
}
