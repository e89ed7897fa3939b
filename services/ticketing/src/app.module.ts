import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { PlatformModule } from '@switchboard/platform';
import { AuditConsumer } from './audit/audit.consumer';
import { AuditLogService } from './audit/audit-log.service';
import { AuditRepository } from './audit/audit.repository';
import type { TicketingConfig } from './config';
import { Tickets1732500000000 } from './migrations/1732500000000-tickets';
import { TicketLifecycle1766000000000 } from './migrations/1766000000000-ticket-lifecycle';
import { AuditLog1767000000000 } from './migrations/1767000000000-audit-log';
import { AutoAssignment1786600000000 } from './migrations/1786600000000-auto-assignment';
import { AutoAssigner } from './routing/auto-assigner';
import { RoutingSettingsConsumer } from './routing/routing-settings.consumer';
import { RoutingSettingsRepository } from './routing/routing-settings.repository';
import { RoutingTableConsumer } from './routing/routing-table.consumer';
import { RoutingTableService } from './routing/routing-table.service';
import { RoutingRepository } from './routing/routing.repository';
import { TicketDeskConsumer } from './tickets/ticket-desk.consumer';
import { TicketConsumer } from './tickets/ticket.consumer';
import { TicketRepository } from './tickets/ticket.repository';
import { TicketService } from './tickets/ticket.service';
import { TicketEraser } from './privacy/ticket-eraser';

@Module({})
export class AppModule {
  static register(config: TicketingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'ticketing',
          config,
          topics: [
            Topics.conversationEvents,
            Topics.ticketEvents,
            Rpcs.ticketList,
            Rpcs.ticketGet,
            Rpcs.ticketClaim,
            Rpcs.ticketNote,
            Rpcs.ticketStatus,
            Rpcs.routingSettingsGet,
            Rpcs.routingSettingsPut,
            Rpcs.routingTableGet,
            Rpcs.departmentsPut,
            Rpcs.routingRulesPut,
            Topics.auditEvents,
            Rpcs.auditList,
            Rpcs.auditVerify,
            Topics.erasureCommands,
            Topics.erasureReports,
          ],
          database: {
            schema: 'ticketing',
            entities: [],
            migrations: [Tickets1732500000000, TicketLifecycle1766000000000, AuditLog1767000000000, AutoAssignment1786600000000],
            outbox: { cipher: FieldCipher.fromConfig(config) },
          },
        }),
      ],
      providers: [
        TicketRepository,
        RoutingRepository,
        RoutingSettingsRepository,
        RoutingSettingsConsumer,
        RoutingTableService,
        RoutingTableConsumer,
        AutoAssigner,
        TicketService,
        TicketConsumer,
        TicketDeskConsumer,
        AuditRepository,
        AuditLogService,
        AuditConsumer,
        TicketEraser,
      ],
    };
  }
}
