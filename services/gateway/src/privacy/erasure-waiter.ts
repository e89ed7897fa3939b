// Collects the erasure reports of one request until every service holding customer data has
// answered, or the wait is over. Reports reach every gateway replica (erasure-reports.consumer.ts),
// and each replica keeps only those of the requests it is waiting for.
import { collectReports, REPORTING_SERVICES, type CollectedReports, type ErasureReport } from '@switchboard/contracts';

interface Waiting {
  tenantId: string;
  /** By service: a service's report seen again replaces the first. */
  reports: Map<string, ErasureReport>;
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
        return collectReports([...entry.reports.values()], this.services);
      },
    };
  }

  /** A report from the bus; ignored unless this replica waits for its request and tenant. */
  accept(report: ErasureReport): void {
    const entry = this.waiting.get(report.requestId);
    if (!entry || entry.tenantId !== report.tenantId) return;
    entry.reports.set(report.service, report);
    if (this.isComplete(entry)) entry.settle?.();
  }

  private isComplete(entry: Waiting): boolean {
    return this.services.every((s) => entry.reports.has(s));
  }
}
