// Connectors to CRM and order systems live here (see docs/architecture.md). Until the order/CRM
// tools land, the service runs the platform only: its schema, health, metrics and bus.
import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import type { IntegrationConfig } from './config';

@Module({})
export class AppModule {
  static register(config: IntegrationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'integration', config, topics: [], database: { schema: 'integration', entities: [], migrations: [] } })],
    };
  }
}
