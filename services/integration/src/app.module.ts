// The reference order/CRM system (tau-retail data per tenant in the `integration` schema), the
// connectors to companies' own order/CRM APIs, and the tools over both, served on
// integration.tool.v1 and integration.tools.v1; outgoing webhooks; and this service's part of
// erasure (privacy.erasure.v1).
import { DynamicModule, Module, type OnModuleDestroy } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { LOGGER, PlatformModule } from '@switchboard/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { IntegrationConfig } from './config';
import { loadConnectorConfig } from './connectors/connector-config';
import { OrderSystems } from './connectors/order-systems';
import { OutboundPolicy } from './outbound/outbound-policy';
import { ErasureConsumer } from './privacy/erasure.consumer';
import { IntegrationEraser } from './privacy/integration-eraser';
import { integrationDatabase } from './reference-system';
import { ConfiguredTenantsSeeder } from './reference/configured-tenants.seeder';
import { LegacyRowsSealer } from './reference/legacy-rows.sealer';
import { ReferenceSealing } from './reference/reference-sealing';
import { ReferenceStore } from './reference/reference.repository';
import { ReferenceSeeder } from './reference/reference.seeder';
import { ToolConsumer } from './tools/tool.consumer';
import { ToolService } from './tools/tool.service';
import { WebhookModule, webhookTopics } from './webhooks/webhook.module';
import { WebhookRepository } from './webhooks/webhook.repository';

/** Stops the connectors' breaker timers with the application. */
class OrderSystemsLifecycle implements OnModuleDestroy {
  constructor(private readonly systems: OrderSystems) {}
  onModuleDestroy(): void {
    this.systems.close();
  }
}

@Module({})
export class AppModule {
  static register(config: IntegrationConfig): DynamicModule {
    // Parsed before anything connects, so a bad connector config stops start-up with its variable named.
    const outbound = OutboundPolicy.fromConfig(config);
    const connectors = loadConnectorConfig(config, outbound);
    const sealing = ReferenceSealing.fromConfig(config);
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'integration',
          config,
          topics: [Rpcs.integrationTool, Rpcs.integrationTools, ...webhookTopics, Topics.erasureCommands, Topics.erasureReports],
          database: integrationDatabase,
        }),
        WebhookModule.register(config),
      ],
      providers: [
        { provide: ReferenceStore, inject: [DataSource], useFactory: (db: DataSource) => new ReferenceStore(db, sealing) },
        {
          provide: OrderSystems,
          inject: [ReferenceStore, Redis, LOGGER],
          useFactory: (store: ReferenceStore, redis: Redis, log: Logger) => new OrderSystems(store, connectors, outbound, redis, log),
        },
        {
          provide: OrderSystemsLifecycle,
          inject: [OrderSystems],
          useFactory: (systems: OrderSystems) => new OrderSystemsLifecycle(systems),
        },
        { provide: ToolService, inject: [OrderSystems], useFactory: (systems: OrderSystems) => new ToolService(systems.for) },
        {
          provide: ReferenceSeeder,
          inject: [DataSource],
          useFactory: (db: DataSource) => new ReferenceSeeder(db, sealing, config.REFERENCE_DATA_DIR),
        },
        LegacyRowsSealer,
        ConfiguredTenantsSeeder,
        ToolConsumer,
        {
          provide: IntegrationEraser,
          inject: [WebhookRepository, Redis],
          useFactory: (webhooks: WebhookRepository, redis: Redis) => new IntegrationEraser(webhooks, redis),
        },
        ErasureConsumer,
      ],
    };
  }
}
