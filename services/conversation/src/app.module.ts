import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { PlatformModule } from '@switchboard/platform';
import { AgentDeskConsumer } from './agents/agent-desk.consumer';
import { TakeoverRepository } from './agents/takeover.repository';
import { TakeoverService } from './agents/takeover.service';
import type { ConversationConfig } from './config';
import { BotConversationsResponder } from './conversations/bot-conversations.responder';
import { ConversationRepository } from './conversations/conversation.repository';
import { DialogueStateStore } from './dialogue/dialogue-state.store';
import { Understander } from './dialogue/understanding';
import { IntentExamplesRepository } from './intents/intent-examples.repository';
import { IntentModels } from './intents/intent-models';
import { IntentsConsumer } from './intents/intents.consumer';
import { Conversations1732500000000 } from './migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from './migrations/1764000000000-intent-examples';
import { AgentTakeover1766000000000 } from './migrations/1766000000000-agent-takeover';
import { RetentionPolicies1769500000000 } from './migrations/1769500000000-retention-policies';
import { ConversationRatings1785000000001 } from './migrations/1785000000001-conversation-ratings';
import { SurveyOffers1786500000000 } from './migrations/1786500000000-survey-offers';
import { RatingService } from './ratings/rating.service';
import { SurveyConsumer } from './survey/survey.consumer';
import { SurveyService } from './survey/survey.service';
import { ApprovalAttempts1790000000001 } from './migrations/1790000000001-approval-attempts';
import { FlowsRevision1790000000002 } from './migrations/1790000000002-flows-revision';
import { MessagesByTime1790000000003 } from './migrations/1790000000003-messages-by-time';
import { Autonomy1790000000000 } from './migrations/1790000000000-autonomy';
import { ApprovalService } from './autonomy/approval.service';
import { AutonomyConsumer } from './autonomy/autonomy.consumer';
import { AutonomyRepository } from './autonomy/autonomy.repository';
import { AutonomyService } from './autonomy/autonomy.service';
import { ConversationEraser } from './privacy/conversation-eraser';
import { RetentionPolicyRepository } from './privacy/retention-policy.repository';
import { RetentionConsumer } from './privacy/retention.consumer';
import { RetentionSweep } from './privacy/retention-sweep';
import { DownstreamClient } from './turns/downstream.client';
import { TurnConsumer } from './turns/turn.consumer';
import { TurnService } from './turns/turn.service';

@Module({})
export class AppModule {
  static register(config: ConversationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'conversation',
          config,
          topics: [
            Topics.inbound,
            Topics.outbound,
            Topics.conversationEvents,
            Rpcs.moderationCheck,
            Rpcs.retrievalSearch,
            Rpcs.kbList,
            Rpcs.generationAnswer,
            Rpcs.generationSummarize,
            Rpcs.integrationTool,
            Rpcs.intentsPut,
            Rpcs.intentsGet,
            Rpcs.conversationTranscript,
            Rpcs.conversationTakeOver,
            Rpcs.conversationAgentMessage,
            Rpcs.conversationHandBack,
            Rpcs.conversationBotCount,
            Topics.erasureCommands,
            Topics.erasureReports,
            Rpcs.retentionPut,
            Rpcs.retentionGet,
            Rpcs.conversationRate,
            Topics.ticketEvents,
            Rpcs.autonomyPut,
            Rpcs.autonomyGet,
            Rpcs.approvalsList,
            Rpcs.approvalsDecide,
          ],
          database: {
            schema: 'conversation',
            entities: [],
            migrations: [
              Conversations1732500000000,
              IntentExamples1764000000000,
              AgentTakeover1766000000000,
              RetentionPolicies1769500000000,
              ConversationRatings1785000000001,
              SurveyOffers1786500000000,
              Autonomy1790000000000,
              ApprovalAttempts1790000000001,
              FlowsRevision1790000000002,
              MessagesByTime1790000000003,
            ],
            outbox: { cipher: FieldCipher.fromConfig(config) },
          },
          rpcClient: true,
        }),
      ],
      providers: [
        ConversationRepository,
        DialogueStateStore,
        IntentExamplesRepository,
        IntentModels,
        Understander,
        DownstreamClient,
        TurnService,
        TurnConsumer,
        IntentsConsumer,
        TakeoverRepository,
        TakeoverService,
        AgentDeskConsumer,
        BotConversationsResponder,
        ConversationEraser,
        RetentionPolicyRepository,
        RetentionConsumer,
        RetentionSweep,
        RatingService,
        SurveyService,
        SurveyConsumer,
        AutonomyRepository,
        AutonomyService,
        ApprovalService,
        AutonomyConsumer,
      ],
    };
  }
}
