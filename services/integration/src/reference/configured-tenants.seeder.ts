// At start-up, gives each tenant in REFERENCE_TENANTS its reference data if it has none yet, before
// any tool call is served. A missing data folder is logged, not fatal: the other tenants still work.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { IntegrationConfig } from '../config';
import { ReferenceSeeder } from './reference.seeder';

@Injectable()
export class ConfiguredTenantsSeeder implements OnModuleInit {
  constructor(
    private readonly seeder: ReferenceSeeder,
    @Inject(CONFIG) private readonly config: IntegrationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const tenantId of this.config.REFERENCE_TENANTS) {
      try {
        const seeded = await this.seeder.seedIfEmpty(tenantId);
        if (seeded) this.log.info({ tenantId, ...seeded }, 'reference order/CRM data seeded');
      } catch (error) {
        this.log.error(
          { tenantId, err: error },
          `reference data for tenant "${tenantId}" not seeded: ${(error as Error).message}; or set REFERENCE_TENANTS to seed no tenant`,
        );
      }
    }
  }
}
