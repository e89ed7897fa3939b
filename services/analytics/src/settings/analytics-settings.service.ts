// A tenant's analytics settings: the time zone its days, weeks and months are counted in (UTC until
// an admin sets one). Questions' "today", the KPI periods and trend buckets all follow it.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnalyticsSettingsSchema, create, Rpcs, type AnalyticsSettings } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';

export const DEFAULT_TIME_ZONE = 'UTC';

@Injectable()
export class AnalyticsSettingsService implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.analyticsSettingsGet, (request) => this.get(request.tenantId), this.log);
    await serveRpc(this.bus, Rpcs.analyticsSettingsPut, (request) => this.put(request), this.log);
  }

  async timeZoneOf(tenantId: string): Promise<string> {
    const [row]: Array<{ time_zone: string }> = await this.db.query(
      'select time_zone from analytics.tenant_settings where tenant_id = $1',
      [tenantId],
    );
    return row?.time_zone ?? DEFAULT_TIME_ZONE;
  }

  async get(tenantId: string): Promise<AnalyticsSettings> {
    return create(AnalyticsSettingsSchema, { tenantId, timeZone: await this.timeZoneOf(tenantId) });
  }

  /** Stores the zone under its canonical name ("asia/shanghai" → "Asia/Shanghai"; the bus checked it is one). */
  async put(settings: AnalyticsSettings): Promise<AnalyticsSettings> {
    const timeZone = new Intl.DateTimeFormat('en', { timeZone: settings.timeZone }).resolvedOptions().timeZone;
    await this.db.query(
      `insert into analytics.tenant_settings (tenant_id, time_zone) values ($1, $2)
       on conflict (tenant_id) do update set time_zone = excluded.time_zone, updated_at = now()`,
      [settings.tenantId, timeZone],
    );
    return create(AnalyticsSettingsSchema, { tenantId: settings.tenantId, timeZone });
  }
}
