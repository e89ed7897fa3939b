// Liveness says the process runs; readiness says every dependency it needs answers right now.
import { Controller, Get, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';

export interface HealthCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail: string }>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

@Injectable()
export class HealthService {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  async readiness(): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, { ok: boolean; detail: string }> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        const result = await Promise.race([
          c.check().catch((error: Error) => ({ ok: false, detail: error.message })),
          new Promise<{ ok: boolean; detail: string }>((r) =>
            setTimeout(() => r({ ok: false, detail: 'timed out after 3000 ms' }), 3000).unref(),
          ),
        ]);
        return [c.name, result] as const;
      }),
    );
    const checks = Object.fromEntries(results);
    return { status: results.every(([, r]) => r.ok) ? 'ok' : 'unavailable', checks };
  }
}

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 200 with every check when all pass; 503 with the same body when any fails. */
  @Get('ready')
  async ready() {
    const report = await this.health.readiness();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
