// The published event schemas are what the generator makes from today's descriptors (so
// docs/events cannot drift), and real events, serialized as the services serialize them, pass them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConversationEventSchema,
  ConversationLifecycleEventSchema,
  create,
  OutboundEventSchema,
  ReplyDeltaSchema,
  TicketCreatedSchema,
  TicketEventSchema,
  toJsonString,
  TurnOutcomeSchema,
} from '@switchboard/contracts';
import { eventSchemas, renderSchema } from './events.command';

const docs = path.resolve(__dirname, '..', '..', '..', 'docs', 'events');
const generated = eventSchemas();
const committed = (file: string) => JSON.parse(readFileSync(path.join(docs, file), 'utf8'));

it('docs/events holds exactly the schemas the generator makes now (re-run `switchboard events schemas` after changing a proto)', () => {
  expect(
    readdirSync(docs)
      .filter((f) => f.endsWith('.schema.json'))
      .sort(),
  ).toEqual([...generated.keys()].sort());
  for (const [file, schema] of generated) expect(readFileSync(path.join(docs, file), 'utf8')).toBe(renderSchema(schema));
});

/** The subset of JSON Schema 2020-12 the generator emits; returns the problems found. */
function validate(schema: Record<string, any>, value: unknown, root: Record<string, any> = schema, at = '$'): string[] {
  if (schema.$ref) return validate(root.$defs[schema.$ref.replace('#/$defs/', '')], value, root, at);
  const problems: string[] = [];
  if (schema.anyOf && !schema.anyOf.some((s: Record<string, any>) => validate(s, value, root, at).length === 0))
    problems.push(`${at}: matches none of anyOf`);
  if (schema.not && validate(schema.not, value, root, at).length === 0)
    problems.push(`${at}: matches a forbidden schema (two members of one oneof?)`);
  if (schema.required && (typeof value !== 'object' || value === null || !schema.required.every((k: string) => k in value)))
    problems.push(`${at}: lacks one of ${schema.required}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: not one of ${schema.enum}`);
  switch (schema.type) {
    case undefined:
      break;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: not a string`);
      else if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
      break;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: not a number`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: not an integer`);
      else if ((value as number) < schema.minimum || (value as number) > schema.maximum) problems.push(`${at}: out of range`);
      break;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${at}: not an array`);
      else value.forEach((item, i) => problems.push(...validate(schema.items, item, root, `${at}[${i}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${at}: not an object`);
        break;
      }
      for (const [k, v] of Object.entries(value)) {
        const property = schema.properties?.[k] ?? schema.additionalProperties;
        if (property === false || property === undefined) problems.push(`${at}.${k}: not allowed`);
        else if (property !== true) problems.push(...validate(property, v, root, `${at}.${k}`));
      }
      break;
    }
    default:
      problems.push(`${at}: the test validator does not know type ${schema.type}`);
  }
  return problems;
}

const ticketEvent = create(TicketEventSchema, {
  tenantId: 'acme',
  ticketId: '5b1f3c1e-8a51-4f6e-9d55-0d8f6c9c2a11',
  eventId: 'ev-1',
  occurredAt: '2025-01-01T10:00:00.000Z',
  kind: {
    case: 'created',
    value: create(TicketCreatedSchema, {
      conversationId: 'c4c8e0c2-2d4e-4a0e-9a55-1f1f1f1f1f1f',
      department: 'orders',
      priority: 'high',
      summary: 'Parcel lost',
    }),
  },
});
const lifecycleEvent = create(ConversationLifecycleEventSchema, {
  tenantId: 'acme',
  conversationId: 'c4c8e0c2-2d4e-4a0e-9a55-1f1f1f1f1f1f',
  eventId: 'ev-2',
  occurredAt: '2025-01-01T10:00:00.000Z',
  kind: {
    case: 'turnCompleted',
    value: create(TurnOutcomeSchema, { turnId: 't-1', intent: 'order_status', answerMode: 'llm', grounded: true, durationMs: 1234n }),
  },
});
const outboundEvent = create(OutboundEventSchema, {
  tenantId: 'acme',
  event: create(ConversationEventSchema, {
    eventId: 'e-3',
    conversationId: 'c4c8e0c2-2d4e-4a0e-9a55-1f1f1f1f1f1f',
    turnId: 't-1',
    kind: { case: 'delta', value: create(ReplyDeltaSchema, {}) },
  }),
});

it.each([
  ['ticket.events.v1.schema.json', toJsonString(TicketEventSchema, ticketEvent)],
  ['conversation.events.v1.schema.json', toJsonString(ConversationLifecycleEventSchema, lifecycleEvent)],
  ['conversation.outbound.v1.schema.json', toJsonString(OutboundEventSchema, outboundEvent)],
])('a real event validates against %s', (file, json) => {
  expect(validate(committed(file), JSON.parse(json))).toEqual([]);
});

it('describes int64 as a decimal string, and the validator catches what the schema forbids', () => {
  const schema = committed('conversation.events.v1.schema.json');
  const event = JSON.parse(toJsonString(ConversationLifecycleEventSchema, lifecycleEvent));
  expect(event.turnCompleted.durationMs).toBe('1234');
  expect(validate(schema, { ...event, turnCompleted: { ...event.turnCompleted, durationMs: 1234 } })).toEqual([
    '$.turnCompleted.durationMs: not a string',
  ]);
  expect(validate(schema, { ...event, handoffRequested: {} })).toEqual(['$: matches a forbidden schema (two members of one oneof?)']);
  expect(validate(schema, { ...event, tenant_id: 'acme' })).toEqual(['$.tenant_id: not allowed']);
});
