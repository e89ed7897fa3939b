// A tenant's automatic assignment setting, in the ticketing schema (no row: the defaults).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface RoutingSettings {
  autoAssign: boolean;
  maxOpenPerAgent: number;
}

/** On, so a team that sets itself online gets work without an admin's step; 5 is a desk's usual load. */
export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { autoAssign: true, maxOpenPerAgent: 5 };

@Injectable()
export class RoutingSettingsRepository {
  constructor(private readonly db: DataSource) {}

  async of(tenantId: string, m?: EntityManager): Promise<RoutingSettings> {
    const rows: Array<{ auto_assign: boolean; max_open_per_agent: number }> = await (m ?? this.db).query(
      'select auto_assign, max_open_per_agent from ticketing.routing_settings where tenant_id = $1',
      [tenantId],
    );
    return rows[0] ? { autoAssign: rows[0].auto_assign, maxOpenPerAgent: rows[0].max_open_per_agent } : DEFAULT_ROUTING_SETTINGS;
  }

  async put(tenantId: string, settings: RoutingSettings): Promise<RoutingSettings> {
    await this.db.query(
      `insert into ticketing.routing_settings (tenant_id, auto_assign, max_open_per_agent) values ($1, $2, $3)
       on conflict (tenant_id) do update set auto_assign = excluded.auto_assign, max_open_per_agent = excluded.max_open_per_agent, updated_at = now()`,
      [tenantId, settings.autoAssign, settings.maxOpenPerAgent],
    );
    return this.of(tenantId);
  }
}
