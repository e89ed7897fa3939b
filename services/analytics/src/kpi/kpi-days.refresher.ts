// Folds dirty days into the day rollups (kpi-days.ts) every KPI_DAYS_REFRESH_S, tenant by tenant,
// a week of days per transaction so no transaction holds a big tenant for long. Until a day is
// folded in, queries read it from the facts: the refresher decides speed, never correctness. Two
// replicas may run it; a tenant being refreshed elsewhere is skipped (an advisory lock).
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER, RepeatingTask } from '@switchboard/platform';
import type { AnalyticsConfig } from '../config';
import { AnalyticsSettingsService, DEFAULT_TIME_ZONE } from '../settings/analytics-settings.service';
import { refreshKpiDays } from './kpi-days';

@Injectable()
export class KpiDaysRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: RepeatingTask;

  constructor(
    private readonly db: DataSource,
    private readonly settings: AnalyticsSettingsService,
    @Inject(CONFIG) private readonly config: AnalyticsConfig,
    @Inject(LOGGER) log: Logger,
  ) {
    // Until a pass works, the dirty days are read from the facts.
    this.task = new RepeatingTask('day rollups refresh', () => this.pass(), log);
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.KPI_DAYS_REFRESH_S * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One pass over every tenant with dirty days; a pass already under way is joined, not doubled. */
  refreshAll(): Promise<void> {
    return this.task.run();
  }

  private async pass(): Promise<void> {
    // Tenants with dirty days, and tenants whose rollups were cut in a zone they no longer use.
    const tenants: Array<{ tenant_id: string }> = await this.db.query(
      `select tenant_id from analytics.kpi_dirty
       union
       select s.tenant_id from analytics.kpi_day_state s left join analytics.tenant_settings t on t.tenant_id = s.tenant_id
       where s.time_zone <> coalesce(t.time_zone, $1)`,
      [DEFAULT_TIME_ZONE],
    );
    for (const { tenant_id: tenantId } of tenants) {
      const timeZone = await this.settings.timeZoneOf(tenantId);
      let remaining = true;
      while (remaining) {
        const done = await this.db.transaction('REPEATABLE READ', (m) =>
          refreshKpiDays((sql, params) => m.query(sql, params), tenantId, timeZone),
        );
        remaining = done.remaining && done.days.length > 0;
      }
    }
  }
}
