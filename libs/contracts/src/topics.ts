// The typed registry: every Kafka topic and request-reply pair with its payload schema, its
// partition key and its field rules, defined once so a publisher and a consumer cannot disagree.
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import {
  InboundTurnSchema,
  OutboundEventSchema,
  ConversationLifecycleEventSchema,
  GetIntentExamplesRequestSchema,
  GetIntentExamplesResultSchema,
  PutIntentExamplesRequestSchema,
  PutIntentExamplesResultSchema,
} from './gen/switchboard/conversation/v1/conversation_pb';
import {
  CheckRequestSchema,
  CheckResultSchema,
  Direction,
  GetPolicyRequestSchema,
  PutPolicyRequestSchema,
  PutPolicyResultSchema,
  TenantPolicySchema,
} from './gen/switchboard/moderation/v1/moderation_pb';
import {
  ListToolsRequestSchema,
  ListToolsResultSchema,
  ToolCallRequestSchema,
  ToolCallResultSchema,
} from './gen/switchboard/integration/v1/integration_pb';
import {
  SearchRequestSchema,
  SearchResultSchema,
  IngestDocumentRequestSchema,
  IngestDocumentResultSchema,
  CreateKnowledgeBaseRequestSchema,
  KnowledgeBaseSchema,
  ListKnowledgeBasesRequestSchema,
  ListKnowledgeBasesResultSchema,
  ListDocumentsRequestSchema,
  ListChunksRequestSchema,
  ApproveAnswerRequestSchema,
  ApproveAnswerResultSchema,
  ListChunksResultSchema,
  ListDocumentsResultSchema,
  DeleteDocumentRequestSchema,
  DeleteDocumentResultSchema,
} from './gen/switchboard/retrieval/v1/retrieval_pb';
import {
  AnswerRequestSchema,
  AnswerResultSchema,
  GetStyleGuideRequestSchema,
  PutStyleGuideRequestSchema,
  StyleGuideSchema,
  SummarizeRequestSchema,
  FillKpiQueryRequestSchema,
  FillKpiQueryResultSchema,
  SummarizeResultSchema,
} from './gen/switchboard/generation/v1/generation_pb';
import { TicketEventSchema } from './gen/switchboard/ticketing/v1/ticketing_pb';
import {
  CreateWebhookEndpointRequestSchema,
  CreateWebhookEndpointResultSchema,
  DeleteWebhookEndpointRequestSchema,
  DeleteWebhookEndpointResultSchema,
  ListWebhookDeadLettersRequestSchema,
  ListWebhookDeadLettersResultSchema,
  ListWebhookEndpointsRequestSchema,
  ListWebhookEndpointsResultSchema,
  ReplayWebhookDeadLetterRequestSchema,
  ReplayWebhookDeadLetterResultSchema,
} from './gen/switchboard/integration/v1/webhooks_pb';
// Agents' desk: tickets (ticketing) and take-over (conversation).
import {
  AddTicketNoteRequestSchema,
  ChangeTicketStatusRequestSchema,
  ClaimTicketRequestSchema,
  GetRoutingSettingsRequestSchema,
  GetRoutingTableRequestSchema,
  GetTicketRequestSchema,
  ListTicketsRequestSchema,
  ListTicketsResultSchema,
  PutDepartmentsRequestSchema,
  PutRoutingRulesRequestSchema,
  RoutingSettingsSchema,
  RoutingTableSchema,
  TicketSchema,
} from './gen/switchboard/ticketing/v1/ticketing_pb';
import { departmentViolations, ruleViolations } from './routing-table';
import {
  AgentMessageRequestSchema,
  AgentMessageResultSchema,
  AgentSessionRequestSchema,
  AgentSessionResultSchema,
  AutonomyPolicySchema,
  BotConversationCountSchema,
  CountBotConversationsRequestSchema,
  DecideApprovalRequestSchema,
  DecideApprovalResultSchema,
  GetAutonomyPolicyRequestSchema,
  GetTranscriptRequestSchema,
  ListApprovalsRequestSchema,
  ListApprovalsResultSchema,
  PutAutonomyPolicyRequestSchema,
  TranscriptSchema,
} from './gen/switchboard/conversation/v1/conversation_pb';
// Audit log (gateway → ticketing).
import {
  AuditEventSchema,
  ListAuditEntriesRequestSchema,
  ListAuditEntriesResultSchema,
  VerifyAuditChainRequestSchema,
  VerifyAuditChainResultSchema,
} from './gen/switchboard/audit/v1/audit_pb';
// Privacy operations: erasure commands and reports, retention periods.
import {
  ErasureCommandSchema,
  ErasureReportSchema,
  GetRetentionPolicyRequestSchema,
  PutRetentionPolicyRequestSchema,
  RetentionPolicySchema,
} from './gen/switchboard/privacy/v1/privacy_pb';
// Analytics questions and customer ratings.
import {
  AnalyticsSettingsSchema,
  AskRequestSchema,
  AskResultSchema,
  GetAnalyticsSettingsRequestSchema,
} from './gen/switchboard/analytics/v1/analytics_pb';
import { RateConversationCommandSchema, RateConversationOutcomeSchema } from './gen/switchboard/conversation/v1/conversation_pb';
import { FieldRules, FieldViolation } from './validation';

export interface EventTopic<S extends DescMessage> {
  readonly kind: 'event';
  readonly name: string;
  readonly schema: S;
  readonly partitions: number;
  key(message: MessageShape<S>): string;
  tenantOf(message: MessageShape<S>): string;
  validate(message: MessageShape<S>): FieldViolation[];
}

export interface RpcTopic<Req extends DescMessage, Res extends DescMessage> {
  readonly kind: 'rpc';
  readonly name: string;
  readonly request: Req;
  readonly response: Res;
  readonly partitions: number;
  key(message: MessageShape<Req>): string;
  tenantOf(message: MessageShape<Req>): string;
  validate(message: MessageShape<Req>): FieldViolation[];
}

interface TopicOptions<S extends DescMessage> {
  partitions?: number;
  key: (message: MessageShape<S>) => string;
  rules?: (message: MessageShape<S>, rules: FieldRules) => void;
}

type WithTenant = { tenantId: string };

function validator<S extends DescMessage>(options: TopicOptions<S>) {
  return (message: MessageShape<S>): FieldViolation[] => {
    const rules = new FieldRules();
    rules.id('tenantId', (message as unknown as WithTenant).tenantId, 64);
    options.rules?.(message, rules);
    return rules.violations;
  };
}

function event<S extends DescMessage>(name: string, schema: S, options: TopicOptions<S>): EventTopic<S> {
  return {
    kind: 'event',
    name,
    schema,
    partitions: options.partitions ?? 6,
    key: options.key,
    tenantOf: (m) => (m as unknown as WithTenant).tenantId,
    validate: validator(options),
  };
}

/**
 * The key of a read whose requests are independent of each other (a search, a list): a fresh one
 * each time, so one tenant's requests spread over the partitions and run concurrently on every
 * replica. Keyed by tenant they queued one at a time behind each other (a consumer keeps a key's
 * messages in order), whatever the replicas: a busy tenant's searches could not scale out.
 * Writes keep the tenant (or the record) as key, so they apply in the order they were sent.
 */
const spread = (): string => randomUUID();

/** Whether `zone` is an IANA time zone this runtime knows ("UTC", "Asia/Shanghai"). */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function rpc<Req extends DescMessage, Res extends DescMessage>(
  name: string,
  request: Req,
  response: Res,
  options: TopicOptions<Req>,
): RpcTopic<Req, Res> {
  return {
    kind: 'rpc',
    name,
    request,
    response,
    partitions: options.partitions ?? 6,
    key: options.key,
    tenantOf: (m) => (m as unknown as WithTenant).tenantId,
    validate: validator(options),
  };
}

export const MAX_TEXT = 4000;
export const MAX_RATING_COMMENT = 1000;
/** Knowledge-base documents travel inside Kafka messages; the broker allows 32 MB. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
export const KB_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const KB_ID_PROBLEM = 'must be 1-64 lowercase letters, digits, _ or -';
export const DOC_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const DOC_ID_PROBLEM = 'must be 1-200 letters, digits, . _ or -';

export const Topics = {
  inbound: event('conversation.inbound.v1', InboundTurnSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r
        .uuid('conversationId', m.conversationId)
        .uuid('turnId', m.turnId)
        .id('clientMessageId', m.clientMessageId)
        .id('customerId', m.customerId)
        .id('channel', m.channel, 32)
        .text('text', m.text, MAX_TEXT),
  }),
  outbound: event('conversation.outbound.v1', OutboundEventSchema, {
    key: (m) => m.event?.conversationId ?? '',
    rules: (m, r) => {
      r.check('event', m.event !== undefined, 'is required');
      if (m.event)
        r.uuid('event.conversationId', m.event.conversationId)
          .id('event.eventId', m.event.eventId)
          .check('event.kind', m.event.kind.case !== undefined, 'is required');
    },
  }),
  conversationEvents: event('conversation.events.v1', ConversationLifecycleEventSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r
        .uuid('conversationId', m.conversationId)
        .id('eventId', m.eventId)
        .check('kind', m.kind.case !== undefined, 'is required'),
  }),
  ticketEvents: event('ticket.events.v1', TicketEventSchema, {
    key: (m) => m.ticketId,
    rules: (m, r) =>
      r
        .uuid('ticketId', m.ticketId)
        .id('eventId', m.eventId)
        .check('kind', m.kind.case !== undefined, 'is required'),
  }),
  // Audit log: keyed by tenant so one tenant's events reach the chain writer in order.
  auditEvents: event('audit.events.v1', AuditEventSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .id('eventId', m.eventId)
        .check('occurredAt', !Number.isNaN(Date.parse(m.occurredAt)), 'must be an RFC 3339 time')
        .check('actor.kind', ['api_key', 'user', 'agent', 'system'].includes(m.actor?.kind ?? ''), 'must be api_key, user, agent or system')
        .maxLength('actor.id', m.actor?.id ?? '', 128)
        .check(
          'action',
          /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(m.action) && m.action.length <= 64,
          'must be a dotted name such as ticket.claim',
        )
        .maxLength('resource.type', m.resource?.type ?? '', 64)
        .maxLength('resource.id', m.resource?.id ?? '', 256)
        .check('outcome', m.outcome === 'ok' || m.outcome === 'refused', 'must be ok or refused')
        .maxLength('detail', m.detail, 200),
  }),
  // Erasure: one command, every service holding customer data erases its part and reports.
  erasureCommands: event('privacy.erasure.v1', ErasureCommandSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => {
      r.uuid('requestId', m.requestId)
        .check('reason', m.reason === 'customer_request' || m.reason === 'retention', 'must be customer_request or retention')
        .maxLength('requestedBy', m.requestedBy, 128)
        .check('requestedAt', !Number.isNaN(Date.parse(m.requestedAt)), 'must be an RFC 3339 time')
        .check('customerId', (m.customerId === '') !== (m.conversationIds.length === 0), 'or conversationIds is required, not both')
        .check('conversationIds', m.conversationIds.length <= 1000, 'must name at most 1,000 conversations');
      if (m.customerId !== '') r.id('customerId', m.customerId);
      m.conversationIds.forEach((id, i) => r.uuid(`conversationIds[${i}]`, id));
    },
  }),
  erasureReports: event('privacy.erasure.reports.v1', ErasureReportSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .uuid('requestId', m.requestId)
        .id('service', m.service, 32)
        .check('completedAt', !Number.isNaN(Date.parse(m.completedAt)), 'must be an RFC 3339 time'),
  }),
} as const;

export const Rpcs = {
  intentsPut: rpc('conversation.intents.put.v1', PutIntentExamplesRequestSchema, PutIntentExamplesResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => r.check('csv', m.csv.trim().length > 0, 'is required').maxLength('csv', m.csv, 4 * 1024 * 1024),
  }),
  intentsGet: rpc('conversation.intents.get.v1', GetIntentExamplesRequestSchema, GetIntentExamplesResultSchema, {
    partitions: 3,
    key: spread,
  }),
  moderationCheck: rpc('moderation.check.v1', CheckRequestSchema, CheckResultSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) => r.check('direction', m.direction !== Direction.UNSPECIFIED, 'is required').maxLength('text', m.text, MAX_TEXT * 4),
  }),
  retrievalSearch: rpc('retrieval.search.v1', SearchRequestSchema, SearchResultSchema, {
    key: spread,
    rules: (m, r) =>
      r
        .text('query', m.query, MAX_TEXT)
        .range('limit', m.limit, 1, 50)
        .range('accessLevel', m.accessLevel, 0, 100)
        .check('mode', ['', 'hybrid', 'keyword', 'dense'].includes(m.mode), 'must be hybrid, keyword or dense')
        .check(
          'knowledgeBaseIds',
          m.knowledgeBaseIds.every((id) => KB_ID.test(id)),
          KB_ID_PROBLEM,
        ),
  }),
  kbCreate: rpc('kb.create.v1', CreateKnowledgeBaseRequestSchema, KnowledgeBaseSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .maxLength('name', m.name, 200)
        .check('language', ['', 'en', 'zh'].includes(m.language), 'must be en or zh')
        .maxLength('embeddingModel', m.embeddingModel, 64),
  }),
  kbIngest: rpc('kb.ingest.v1', IngestDocumentRequestSchema, IngestDocumentResultSchema, {
    partitions: 3,
    key: (m) => m.documentId,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .check('documentId', DOC_ID.test(m.documentId), DOC_ID_PROBLEM)
        .maxLength('title', m.title, 500)
        .maxLength('contentType', m.contentType, 200)
        .maxLength('fileName', m.fileName, 255)
        .noControl('title', m.title)
        .noControl('fileName', m.fileName)
        .noControl('product', m.product)
        .noControl('tags', m.tags.join(','))
        .check('content', m.content.length > 0 || m.data.length > 0, 'or data is required')
        .check(
          'data',
          m.data.length <= MAX_DOCUMENT_BYTES && m.content.length <= MAX_DOCUMENT_BYTES,
          `must be at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`,
        )
        .range('accessLevel', m.accessLevel, 0, 100)
        .check('tags', m.tags.length <= 20 && m.tags.every((t) => t.length <= 64), 'must be at most 20 tags of 64 characters')
        .maxLength('product', m.product, 200)
        .check('validFrom', m.validFrom === '' || !Number.isNaN(Date.parse(m.validFrom)), 'must be an RFC 3339 time')
        .check('validTo', m.validTo === '' || !Number.isNaN(Date.parse(m.validTo)), 'must be an RFC 3339 time'),
  }),
  kbList: rpc('kb.list.v1', ListKnowledgeBasesRequestSchema, ListKnowledgeBasesResultSchema, { partitions: 3, key: spread }),
  kbDocuments: rpc('kb.documents.v1', ListDocumentsRequestSchema, ListDocumentsResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', m.knowledgeBaseId === '' || KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .check('documentId', m.documentId === '' || DOC_ID.test(m.documentId), DOC_ID_PROBLEM),
  }),
  kbChunks: rpc('kb.chunks.v1', ListChunksRequestSchema, ListChunksResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .check('documentId', DOC_ID.test(m.documentId), DOC_ID_PROBLEM)
        .range('offset', m.offset, 0, 1_000_000)
        .range('limit', m.limit, 1, 200),
  }),
  kbApproveAnswer: rpc('kb.approve_answer.v1', ApproveAnswerRequestSchema, ApproveAnswerResultSchema, {
    partitions: 3,
    key: (m) => m.documentId,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .check('documentId', DOC_ID.test(m.documentId), DOC_ID_PROBLEM)
        .check('faqId', m.faqId.length >= 1 && m.faqId.length <= 200, 'must be 1-200 characters')
        .noControl('faqId', m.faqId),
  }),
  kbDeleteDocument: rpc('kb.delete_document.v1', DeleteDocumentRequestSchema, DeleteDocumentResultSchema, {
    partitions: 3,
    key: (m) => m.documentId,
    rules: (m, r) =>
      r
        .check('knowledgeBaseId', KB_ID.test(m.knowledgeBaseId), KB_ID_PROBLEM)
        .check('documentId', DOC_ID.test(m.documentId), DOC_ID_PROBLEM),
  }),
  // The policy's own fields (names, patterns, sizes) are checked by the moderation service, which
  // owns the rules; a bad policy gets INVALID_ARGUMENT naming the field.
  moderationPolicyPut: rpc('moderation.policy.put.v1', PutPolicyRequestSchema, PutPolicyResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .check('policy', m.policy !== undefined, 'is required')
        .check(
          'policy.tenantId',
          !m.policy || m.policy.tenantId === '' || m.policy.tenantId === m.tenantId,
          'must be empty or equal tenantId',
        ),
  }),
  moderationPolicyGet: rpc('moderation.policy.get.v1', GetPolicyRequestSchema, TenantPolicySchema, {
    partitions: 3,
    key: spread,
  }),
  generationAnswer: rpc('generation.answer.v1', AnswerRequestSchema, AnswerResultSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r
        .text('question', m.question, MAX_TEXT)
        .check('passages', m.passages.length <= 20, 'must hold at most 20 passages')
        .check('facts', m.facts.length <= 50, 'must hold at most 50 facts')
        .check('tools', m.tools.length <= 32, 'must name at most 32 tools'),
  }),
  generationStylePut: rpc('generation.style.put.v1', PutStyleGuideRequestSchema, StyleGuideSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => {
      const guide = m.styleGuide;
      r.check('styleGuide', guide !== undefined, 'is required');
      const short = (items: string[], count: number, chars: number) => items.length <= count && items.every((i) => [...i].length <= chars);
      if (guide) {
        r.check('styleGuide.tenantId', guide.tenantId === '' || guide.tenantId === m.tenantId, 'must be empty or equal tenantId')
          .maxLength('styleGuide.tone', guide.tone, 500)
          .check('styleGuide.rules', short(guide.rules, 20, 300), 'must be at most 20 rules of at most 300 characters')
          .check(
            'styleGuide.forbiddenPromises',
            short(guide.forbiddenPromises, 20, 200),
            'must be at most 20 promises of at most 200 characters',
          )
          .maxLength('styleGuide.signOff', guide.signOff, 200);
      }
    },
  }),
  generationFillKpiQuery: rpc('generation.fill_kpi_query.v1', FillKpiQueryRequestSchema, FillKpiQueryResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .text('question', m.question, 500)
        .check('today', /^\d{4}-\d{2}-\d{2}$/.test(m.today), 'must be a date YYYY-MM-DD')
        .check('time_zone', isTimeZone(m.timeZone), 'must be an IANA time zone')
        .text('query_schema_json', m.querySchemaJson, 20_000),
  }),
  generationSummarize: rpc('generation.summarize.v1', SummarizeRequestSchema, SummarizeResultSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r
        .check('lines', m.lines.length <= 40 && m.lines.every((l) => l.length <= 1000), 'must be at most 40 lines of 1,000 characters')
        .check('facts', m.facts.length <= 50, 'must hold at most 50 facts'),
  }),
  generationStyleGet: rpc('generation.style.get.v1', GetStyleGuideRequestSchema, StyleGuideSchema, {
    partitions: 3,
    key: spread,
  }),
  integrationTool: rpc('integration.tool.v1', ToolCallRequestSchema, ToolCallResultSchema, {
    key: (m) => m.conversationId || m.tenantId,
    rules: (m, r) =>
      r
        .check('operation', /^[a-z][a-z0-9_]{0,63}$/.test(m.operation), 'must be an operation name such as get_order_details')
        .check('argumentsJson', isJsonObject(m.argumentsJson), 'must be a JSON object'),
  }),
  integrationTools: rpc('integration.tools.v1', ListToolsRequestSchema, ListToolsResultSchema, { partitions: 3, key: spread }),
  // Agents' desk (through the gateway's agent API): the ticket's owner checks status names, text
  // lengths and the lifecycle; every id here is scoped to tenantId, so another tenant's is not found.
  ticketList: rpc('ticket.list.v1', ListTicketsRequestSchema, ListTicketsResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .maxLength('status', m.status, 32)
        .maxLength('department', m.department, 64)
        .range('limit', m.limit, 0, 200)
        .check('departments', m.departments.length <= 20 && m.departments.every((d) => d.length <= 64), 'must be at most 20 departments')
        .optionalUuid('conversationId', m.conversationId),
  }),
  ticketGet: rpc('ticket.get.v1', GetTicketRequestSchema, TicketSchema, {
    partitions: 3,
    key: (m) => m.ticketId,
    rules: (m, r) => r.uuid('ticketId', m.ticketId),
  }),
  ticketClaim: rpc('ticket.claim.v1', ClaimTicketRequestSchema, TicketSchema, {
    partitions: 3,
    key: (m) => m.ticketId,
    rules: (m, r) => r.uuid('ticketId', m.ticketId).id('agentId', m.agentId, 64),
  }),
  ticketNote: rpc('ticket.note.v1', AddTicketNoteRequestSchema, TicketSchema, {
    partitions: 3,
    key: (m) => m.ticketId,
    rules: (m, r) =>
      r.uuid('ticketId', m.ticketId).optionalUuid('noteId', m.noteId).id('author', m.author, 64).text('text', m.text, MAX_TEXT),
  }),
  ticketStatus: rpc('ticket.status.v1', ChangeTicketStatusRequestSchema, TicketSchema, {
    partitions: 3,
    key: (m) => m.ticketId,
    rules: (m, r) =>
      r
        .uuid('ticketId', m.ticketId)
        .id('agentId', m.agentId, 64)
        .id('status', m.status, 32)
        .maxLength('resolution', m.resolution, MAX_TEXT),
  }),
  // A tenant's automatic assignment of new tickets to online agents (admins put it; ticketing applies it).
  routingSettingsGet: rpc('ticket.routing.settings.get.v1', GetRoutingSettingsRequestSchema, RoutingSettingsSchema, {
    partitions: 3,
    key: spread,
  }),
  routingSettingsPut: rpc('ticket.routing.settings.put.v1', RoutingSettingsSchema, RoutingSettingsSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => r.range('max_open_per_agent', m.maxOpenPerAgent, 1, 100),
  }),
  // A tenant's departments and ordered routing rules (admins put them; ticketing routes hand-offs by them).
  routingTableGet: rpc('ticket.routing.table.get.v1', GetRoutingTableRequestSchema, RoutingTableSchema, {
    partitions: 3,
    key: spread,
  }),
  departmentsPut: rpc('ticket.departments.put.v1', PutDepartmentsRequestSchema, RoutingTableSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => {
      if (!m.builtIn) r.violations.push(...departmentViolations(m.departments));
    },
  }),
  routingRulesPut: rpc('ticket.routing.rules.put.v1', PutRoutingRulesRequestSchema, RoutingTableSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => {
      if (!m.builtIn) r.violations.push(...ruleViolations(m.rules));
    },
  }),
  conversationTranscript: rpc('conversation.transcript.v1', GetTranscriptRequestSchema, TranscriptSchema, {
    partitions: 3,
    key: (m) => m.conversationId,
    rules: (m, r) => r.uuid('conversationId', m.conversationId),
  }),
  // The overview's "with the bot now" (gateway → conversation); a read, so any replica may answer.
  conversationBotCount: rpc('conversation.bot_count.v1', CountBotConversationsRequestSchema, BotConversationCountSchema, {
    partitions: 3,
    key: spread,
  }),
  conversationTakeOver: rpc('conversation.takeover.v1', AgentSessionRequestSchema, AgentSessionResultSchema, {
    partitions: 3,
    key: (m) => m.conversationId,
    rules: (m, r) => r.uuid('conversationId', m.conversationId).id('agentId', m.agentId, 64),
  }),
  conversationHandBack: rpc('conversation.handback.v1', AgentSessionRequestSchema, AgentSessionResultSchema, {
    partitions: 3,
    key: (m) => m.conversationId,
    rules: (m, r) => r.uuid('conversationId', m.conversationId).id('agentId', m.agentId, 64),
  }),
  conversationAgentMessage: rpc('conversation.agent_message.v1', AgentMessageRequestSchema, AgentMessageResultSchema, {
    partitions: 3,
    key: (m) => m.conversationId,
    rules: (m, r) => r.uuid('conversationId', m.conversationId).id('agentId', m.agentId, 64).text('text', m.text, MAX_TEXT),
  }),
  // A tenant's autonomy bars per order intent (gateway's /v1/autonomy → conversation).
  autonomyPut: rpc('conversation.autonomy.put.v1', PutAutonomyPolicyRequestSchema, AutonomyPolicySchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => {
      r.check('bars', m.bars.length <= 50, 'must list at most 50 intents');
      m.bars.forEach((bar, i) => r.id(`bars[${i}].intent`, bar.intent, 64).range(`bars[${i}].passK`, bar.passK, 0, 1));
      return r;
    },
  }),
  autonomyGet: rpc('conversation.autonomy.get.v1', GetAutonomyPolicyRequestSchema, AutonomyPolicySchema, {
    partitions: 3,
    key: spread,
  }),
  // Actions waiting for a person's approval (gateway's /v1/agent/approvals → conversation).
  approvalsList: rpc('conversation.approvals.list.v1', ListApprovalsRequestSchema, ListApprovalsResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .optionalUuid('approvalId', m.approvalId)
        .check('status', ['', 'pending', 'approved', 'rejected'].includes(m.status), 'must be pending, approved or rejected'),
  }),
  approvalsDecide: rpc('conversation.approvals.decide.v1', DecideApprovalRequestSchema, DecideApprovalResultSchema, {
    partitions: 3,
    key: (m) => m.approvalId,
    rules: (m, r) =>
      r
        .uuid('approvalId', m.approvalId)
        .id('agentId', m.agentId, 64)
        .maxLength('reason', m.reason, MAX_TEXT)
        .noControl('reason', m.reason.replace(/\n/g, ' '))
        .check('reason', m.approve || m.reason.trim() !== '', 'is required to reject (the customer is told it)'),
  }),
  // A customer's rating of their own conversation (gateway's RateConversation → conversation).
  conversationRate: rpc('conversation.rate.v1', RateConversationCommandSchema, RateConversationOutcomeSchema, {
    partitions: 3,
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r
        .uuid('conversationId', m.conversationId)
        .id('customerId', m.customerId)
        .id('channel', m.channel, 32)
        .range('rating', m.rating, 1, 5)
        .maxLength('comment', m.comment, MAX_RATING_COMMENT)
        .noControl('comment', m.comment.replace(/\n/g, ' ')),
  }),
  // Questions about the tenant's KPIs (gateway's /v1/analytics/ask, CLI → analytics).
  analyticsAsk: rpc('analytics.ask.v1', AskRequestSchema, AskResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    // A question, or a structured query (checked field by field by the analytics service).
    rules: (m, r) =>
      (m.queryJson === ''
        ? r.text('question', m.question, 500)
        : r.text('query_json', m.queryJson, 4000).check('question', m.question === '', 'must be empty when query_json is given')
      )
        .check('now', m.now === '' || !Number.isNaN(Date.parse(m.now)), 'must be an RFC 3339 time')
        .check('language', ['', 'en', 'zh'].includes(m.language), 'must be "en" or "zh"'),
  }),
  // A tenant's analytics settings (admins put them, the overview and questions read them).
  analyticsSettingsGet: rpc('analytics.settings.get.v1', GetAnalyticsSettingsRequestSchema, AnalyticsSettingsSchema, {
    partitions: 3,
    key: spread,
  }),
  analyticsSettingsPut: rpc('analytics.settings.put.v1', AnalyticsSettingsSchema, AnalyticsSettingsSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .text('time_zone', m.timeZone, 64)
        .check('time_zone', isTimeZone(m.timeZone), 'must be an IANA time zone, e.g. "Asia/Shanghai" or "UTC"'),
  }),
  // Outgoing webhooks (admin); the integration service checks URLs, event types and secrets, naming the field.
  webhooksCreate: rpc('integration.webhooks.create.v1', CreateWebhookEndpointRequestSchema, CreateWebhookEndpointResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .check('url', webhookUrlProblem(m.url) === undefined, webhookUrlProblem(m.url) ?? '')
        .maxLength('url', m.url, 2000)
        .check(
          'eventTypes',
          m.eventTypes.length <= 32 && m.eventTypes.every((t) => WEBHOOK_EVENT_TYPE.test(t)),
          'must be at most 32 event types such as ticket.created or conversation.*',
        )
        .check(
          'secret',
          m.secret === '' || (m.secret.length >= 16 && m.secret.length <= 256 && !/\s/.test(m.secret)),
          'must be 16-256 characters without whitespace, or empty to have one generated',
        )
        .maxLength('description', m.description, 500),
  }),
  webhooksList: rpc('integration.webhooks.list.v1', ListWebhookEndpointsRequestSchema, ListWebhookEndpointsResultSchema, {
    partitions: 3,
    key: spread,
  }),
  webhooksDelete: rpc('integration.webhooks.delete.v1', DeleteWebhookEndpointRequestSchema, DeleteWebhookEndpointResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => r.uuid('endpointId', m.endpointId),
  }),
  webhooksDeadLetters: rpc(
    'integration.webhooks.dead_letters.v1',
    ListWebhookDeadLettersRequestSchema,
    ListWebhookDeadLettersResultSchema,
    {
      partitions: 3,
      key: (m) => m.tenantId,
      rules: (m, r) => r.range('limit', m.limit, 0, 500),
    },
  ),
  webhooksReplay: rpc('integration.webhooks.replay.v1', ReplayWebhookDeadLetterRequestSchema, ReplayWebhookDeadLetterResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) => r.uuid('deliveryId', m.deliveryId),
  }),
  // Audit log queries (gateway's /v1/audit → ticketing, which holds the chain).
  auditList: rpc('audit.list.v1', ListAuditEntriesRequestSchema, ListAuditEntriesResultSchema, {
    partitions: 3,
    key: spread,
    rules: (m, r) =>
      r
        .maxLength('action', m.action, 64)
        .maxLength('actor', m.actor, 128)
        .range('limit', m.limit, 0, 500)
        .check('since', m.since === '' || !Number.isNaN(Date.parse(m.since)), 'must be an RFC 3339 time'),
  }),
  auditVerify: rpc('audit.verify.v1', VerifyAuditChainRequestSchema, VerifyAuditChainResultSchema, {
    partitions: 3,
    key: (m) => m.tenantId,
  }),
  // Retention periods per tenant, kept by the conversation service, whose job enforces them.
  retentionPut: rpc('privacy.retention.put.v1', PutRetentionPolicyRequestSchema, RetentionPolicySchema, {
    partitions: 3,
    key: (m) => m.tenantId,
    rules: (m, r) =>
      r
        .check('policy', m.policy !== undefined, 'is required')
        .range('policy.conversationDays', m.policy?.conversationDays ?? 0, 0, 3650)
        .range('policy.attachmentDays', m.policy?.attachmentDays ?? 0, 0, 3650),
  }),
  retentionGet: rpc('privacy.retention.get.v1', GetRetentionPolicyRequestSchema, RetentionPolicySchema, {
    partitions: 3,
    key: spread,
  }),
} as const;

/** `conversation.handoff_requested`, `ticket.created`, or every type of a topic: `ticket.*`. */
export const WEBHOOK_EVENT_TYPE = /^(conversation|ticket)\.([a-z][a-z0-9_]{0,63}|\*)$/;

/** Why `url` cannot receive webhooks, or undefined when it can. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https';
  if (parsed.username !== '' || parsed.password !== '') return 'must not contain credentials; sign requests with the secret instead';
  return undefined;
}

function isJsonObject(text: string): boolean {
  if (text === '') return true;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export type AnyEventTopic = EventTopic<DescMessage>;
export type AnyRpcTopic = RpcTopic<DescMessage, DescMessage>;

/** The reply topic a service's request-reply client listens on. */
export function replyTopicOf(service: string): string {
  return `rpc.replies.${service}.v1`;
}

/** Where a poisoned message of `topic` goes, with the reason in its headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
