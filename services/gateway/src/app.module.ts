import path from 'node:path';
import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { PlatformModule } from '@switchboard/platform';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { AgentsController } from './agents/agents.controller';
import { AgentsService } from './agents/agents.service';
import { AuditQueryService } from './audit/audit-query.service';
import { AuditTrail } from './audit/audit-trail.service';
import { AuditController } from './audit/audit.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { AnalyticsAskService } from './analytics/analytics-ask.service';
import { BotConversationsService } from './analytics/bot-conversations.service';
import { ConversationRatingService } from './ratings/conversation-rating.service';
import { AccessTokens } from './auth/access-tokens';
import { AccessService } from './auth/access.service';
import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeyService } from './auth/api-key.service';
import { AuthController } from './auth/auth.controller';
import { CannedResponsesController } from './canned/canned-responses.controller';
import { CannedResponsesService } from './canned/canned-responses.service';
import { DemoTenantSeeder } from './auth/demo-tenant.seeder';
import { PasswordHasher } from './auth/password-hasher';
import { SignInService } from './auth/sign-in.service';
import { UserRepository } from './auth/user.repository';
import type { GatewayConfig } from './config';
import { ChatGrpcController } from './grpc/chat.grpc-controller';
import { HttpErrorsFilter } from './http/http-errors.filter';
import { RateLimitRepository } from './limits/rate-limit.repository';
import { RateLimitService } from './limits/rate-limit.service';
import { RestRateLimitGuard } from './limits/rest-rate-limit.guard';
import { KnowledgeAdminService } from './knowledge/knowledge-admin.service';
import { KnowledgeController } from './knowledge/knowledge.controller';
import { ChatService } from './grpc/chat.service';
import { tolerateUndecodableRequests } from './grpc/undecodable-request';
import { Tenants1732500000000 } from './migrations/1732500000000-tenants';
import { Users1768000000000 } from './migrations/1768000000000-users';
import { ApiKeyRateLimit1784000000000 } from './migrations/1784000000000-api-key-rate-limit';
import { AuditOutbox1770000000000 } from './migrations/1770000000000-audit-outbox';
import { SessionStart1783000000000 } from './migrations/1783000000000-session-start';
import { ConversationOwners1780000000000 } from './migrations/1780000000000-conversation-owners';
import { IdentityPolicy1780000000001 } from './migrations/1780000000001-identity-policy';
import { SurveySetting1786500000004 } from './migrations/1786500000004-survey-setting';
import { CannedResponses1786500000000 } from './migrations/1786500000000-canned-responses';
import { NoteMentions1786500000001 } from './migrations/1786500000001-note-mentions';
import { SuggestionUses1786500000002 } from './migrations/1786500000002-suggestion-uses';
import { SavedViews1786500000003 } from './migrations/1786500000003-saved-views';
import { SavedViewsController } from './views/saved-views.controller';
import { SavedViewsService } from './views/saved-views.service';
import { SuggestionUsesController } from './suggestions/suggestion-uses.controller';
import { SuggestionUsesService } from './suggestions/suggestion-uses.service';
import { MentionsController } from './mentions/mentions.controller';
import { MentionsService } from './mentions/mentions.service';
import { TicketViewersController } from './viewers/ticket-viewers.controller';
import { TicketViewersService } from './viewers/ticket-viewers.service';
import { PresenceController } from './presence/presence.controller';
import { PresenceService } from './presence/presence.service';
import { RoutingSettingsController } from './settings/routing-settings.controller';
import { RoutingSettingsService } from './settings/routing-settings.service';
import { RoutingTableController } from './settings/routing-table.controller';
import { RoutingTableService } from './settings/routing-table.service';
import { IdentityPolicyController } from './settings/identity-policy.controller';
import { IdentityPolicyService } from './settings/identity-policy.service';
import { SurveySettingController } from './settings/survey-setting.controller';
import { SurveySettingService } from './settings/survey-setting.service';
import { ConversationAccess } from './conversations/conversation-access.service';
import { ConversationOwnerRepository } from './conversations/conversation-owner.repository';
import { SubscriptionLimits } from './streams/subscription-limits';
import { ConversationStreamStore } from './streams/conversation-stream.store';
import { BotSettingsController } from './settings/bot-settings.controller';
import { BotSettingsService } from './settings/bot-settings.service';
import { OutboundConsumer } from './streams/outbound.consumer';
import { TurnIntakeService } from './turns/turn-intake.service';
import { WebhooksAdminService } from './webhooks/webhooks-admin.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { ErasureReportsConsumer } from './privacy/erasure-reports.consumer';
import { ErasureWaiter } from './privacy/erasure-waiter';
import { ErasureConsumer } from './privacy/erasure.consumer';
import { GatewayEraser } from './privacy/gateway-eraser';
import { PrivacyAdminService } from './privacy/privacy-admin.service';
import { PrivacyController } from './privacy/privacy.controller';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'gateway',
          config,
          topics: [
            Topics.inbound,
            Topics.outbound,
            Rpcs.kbCreate,
            Rpcs.kbIngest,
            Rpcs.kbList,
            Rpcs.kbDocuments,
            Rpcs.kbChunks,
            Rpcs.kbApproveAnswer,
            Rpcs.kbDeleteDocument,
            Rpcs.retrievalSearch,
            Rpcs.intentsPut,
            Rpcs.intentsGet,
            Rpcs.autonomyPut,
            Rpcs.autonomyGet,
            Rpcs.approvalsList,
            Rpcs.approvalsDecide,
            Rpcs.moderationPolicyPut,
            Rpcs.moderationPolicyGet,
            Rpcs.generationStylePut,
            Rpcs.generationStyleGet,
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
            Rpcs.conversationTranscript,
            Rpcs.integrationTool,
            Rpcs.conversationTakeOver,
            Rpcs.conversationAgentMessage,
            Rpcs.conversationHandBack,
            Rpcs.conversationBotCount,
            Rpcs.webhooksCreate,
            Rpcs.webhooksList,
            Rpcs.webhooksDelete,
            Rpcs.webhooksDeadLetters,
            Rpcs.webhooksReplay,
            Topics.auditEvents,
            Rpcs.auditList,
            Rpcs.auditVerify,
            Topics.erasureCommands,
            Topics.erasureReports,
            Rpcs.retentionPut,
            Rpcs.retentionGet,
            Rpcs.analyticsAsk,
            Rpcs.analyticsSettingsGet,
            Rpcs.analyticsSettingsPut,
            Rpcs.conversationRate,
          ],
          database: {
            schema: 'gateway',
            entities: [],
            migrations: [
              Tenants1732500000000,
              Users1768000000000,
              AuditOutbox1770000000000,
              SessionStart1783000000000,
              ConversationOwners1780000000000,
              IdentityPolicy1780000000001,
              ApiKeyRateLimit1784000000000,
              CannedResponses1786500000000,
              NoteMentions1786500000001,
              SuggestionUses1786500000002,
              SavedViews1786500000003,
              SurveySetting1786500000004,
            ],
            outbox: { cipher: FieldCipher.fromConfig(config) },
          },
          rpcClient: true,
        }),
      ],
      controllers: [
        AuthController,
        AccountsController,
        AgentsController,
        ChatGrpcController,
        KnowledgeController,
        BotSettingsController,
        WebhooksController,
        AuditController,
        PrivacyController,
        AnalyticsController,
        IdentityPolicyController,
        SurveySettingController,
        CannedResponsesController,
        MentionsController,
        TicketViewersController,
        PresenceController,
        RoutingSettingsController,
        RoutingTableController,
        SuggestionUsesController,
        SavedViewsController,
      ],
      providers: [
        AccessTokens,
        AccessService,
        PasswordHasher,
        SignInService,
        UserRepository,
        AccountsService,
        AgentsService,
        HttpErrorsFilter,
        KnowledgeAdminService,
        BotSettingsService,
        WebhooksAdminService,
        ApiKeyRepository,
        ApiKeyService,
        DemoTenantSeeder,
        TurnIntakeService,
        ConversationStreamStore,
        OutboundConsumer,
        ChatService,
        AuditTrail,
        AuditQueryService,
        RateLimitRepository,
        RateLimitService,
        { provide: APP_GUARD, useClass: RestRateLimitGuard },
        ConversationOwnerRepository,
        ConversationAccess,
        SubscriptionLimits,
        IdentityPolicyService,
        SurveySettingService,
        PrivacyAdminService,
        GatewayEraser,
        AnalyticsAskService,
        BotConversationsService,
        ConversationRatingService,
        CannedResponsesService,
        MentionsService,
        TicketViewersService,
        PresenceService,
        RoutingSettingsService,
        RoutingTableService,
        SuggestionUsesService,
        SavedViewsService,
        ErasureConsumer,
        ErasureReportsConsumer,
        { provide: ErasureWaiter, useFactory: () => new ErasureWaiter() },
      ],
    };
  }

  /** Serves ChatGateway on GRPC_PORT next to the HTTP health and metrics endpoints. */
  static async attachGrpc(app: INestApplication, config: GatewayConfig): Promise<void> {
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.GRPC,
        options: {
          package: 'switchboard.chat.v1',
          protoPath: path.join(config.PROTO_DIR, 'switchboard/chat/v1/chat.proto'),
          url: `${config.BIND_HOST}:${config.GRPC_PORT}`,
          loader: { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [config.PROTO_DIR] },
          maxReceiveMessageLength: 256 * 1024,
          onLoadPackageDefinition: tolerateUndecodableRequests,
        },
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
}
