// The typed registry: every Kafka topic and request-reply pair with its payload schema, its
// partition key and its field rules, defined once so a publisher and a consumer cannot disagree.
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { InboundTurnSchema, OutboundEventSchema, ConversationLifecycleEventSchema } from './gen/switchboard/conversation/v1/conversation_pb';
import { CheckRequestSchema, CheckResultSchema, Direction } from './gen/switchboard/moderation/v1/moderation_pb';
import { SearchRequestSchema, SearchResultSchema, IngestDocumentRequestSchema, IngestDocumentResultSchema } from './gen/switchboard/retrieval/v1/retrieval_pb';
import { AnswerRequestSchema, AnswerResultSchema } from './gen/switchboard/generation/v1/generation_pb';
import { TicketEventSchema } from './gen/switchboard/ticketing/v1/ticketing_pb';
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

function rpc<Req extends DescMessage, Res extends DescMessage>(name: string, request: Req, response: Res, options: TopicOptions<Req>): RpcTopic<Req, Res> {
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

export const Topics = {
  inbound: event('conversation.inbound.v1', InboundTurnSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) =>
      r.uuid('conversationId', m.conversationId).uuid('turnId', m.turnId).id('clientMessageId', m.clientMessageId)
        .id('customerId', m.customerId).id('channel', m.channel, 32).text('text', m.text, MAX_TEXT),
  }),
  outbound: event('conversation.outbound.v1', OutboundEventSchema, {
    key: (m) => m.event?.conversationId ?? '',
    rules: (m, r) => {
      r.check('event', m.event !== undefined, 'is required');
      if (m.event) r.uuid('event.conversationId', m.event.conversationId).id('event.eventId', m.event.eventId).check('event.kind', m.event.kind.case !== undefined, 'is required');
    },
  }),
  conversationEvents: event('conversation.events.v1', ConversationLifecycleEventSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) => r.uuid('conversationId', m.conversationId).id('eventId', m.eventId).check('kind', m.kind.case !== undefined, 'is required'),
  }),
  ticketEvents: event('ticket.events.v1', TicketEventSchema, {
    key: (m) => m.ticketId,
    rules: (m, r) => r.uuid('ticketId', m.ticketId).id('eventId', m.eventId).check('kind', m.kind.case !== undefined, 'is required'),
  }),
} as const;

export const Rpcs = {
  moderationCheck: rpc('moderation.check.v1', CheckRequestSchema, CheckResultSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) => r.check('direction', m.direction !== Direction.UNSPECIFIED, 'is required').maxLength('text', m.text, MAX_TEXT * 4),
  }),
  retrievalSearch: rpc('retrieval.search.v1', SearchRequestSchema, SearchResultSchema, {
    key: (m) => m.tenantId,
    rules: (m, r) => r.text('query', m.query, MAX_TEXT).range('limit', m.limit, 1, 50),
  }),
  kbIngest: rpc('kb.ingest.v1', IngestDocumentRequestSchema, IngestDocumentResultSchema, {
    partitions: 3,
    key: (m) => m.documentId,
    rules: (m, r) =>
      r.id('knowledgeBaseId', m.knowledgeBaseId).id('documentId', m.documentId, 256).required('title', m.title)
        .check('contentType', ['text/markdown', 'text/plain'].includes(m.contentType), 'must be text/markdown or text/plain')
        .required('content', m.content).maxLength('content', m.content, 5_000_000),
  }),
  generationAnswer: rpc('generation.answer.v1', AnswerRequestSchema, AnswerResultSchema, {
    key: (m) => m.conversationId,
    rules: (m, r) => r.text('question', m.question, MAX_TEXT).check('passages', m.passages.length <= 20, 'must hold at most 20 passages'),
  }),
} as const;

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
