// The reference order/CRM system (tau-retail data per tenant in the `integration` schema) and its
// tools, served on integration.tool.v1 and integration.tools.v1.
import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import { DataSource } from 'typeorm';
import type { IntegrationConfig } from './config';
import { integrationDatabase } from './reference-system';
import { ConfiguredTenantsSeeder } from './reference/configured-tenants.seeder';
import { ReferenceStore } from './reference/reference.repository';
import { ReferenceSeeder } from './reference/reference.seeder';
import { ToolConsumer } from './tools/tool.consumer';
import { ToolService } from './tools/tool.service';

@Module({})
export class AppModule {
  static register(config: IntegrationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'integration', config, topics: [Rpcs.integrationTool, Rpcs.integrationTools], database: integrationDatabase })],
      providers: [
        { provide: ToolService, inject: [DataSource], useFactory: (db: DataSource) => new ToolService(new ReferenceStore(db)) },
        { provide: ReferenceSeeder, inject: [DataSource], useFactory: (db: DataSource) => new ReferenceSeeder(db, config.REFERENCE_DATA_DIR) },
        ConfiguredTenantsSeeder,
        ToolConsumer,
      ],
    };
  }
}
