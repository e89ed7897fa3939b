// `switchboard events schemas`: the JSON Schemas (draft 2020-12) of the event topics integrators
// consume, generated from the protobuf descriptors the services publish with, so docs/events
// cannot drift from the wire. Field comments come from the .proto sources (via `buf build`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { fromBinary, ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema, type DescriptorProto, type EnumDescriptorProto, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { Topics, type AnyEventTopic } from '@switchboard/contracts';
import { protoDir, repoRoot } from '../paths';

type JsonSchema = Record<string, unknown>;

/** The topics published for integrators, with how each is keyed. */
export const INTEGRATOR_TOPICS: { topic: AnyEventTopic; key: string; audience: string }[] = [
  {
    topic: Topics.conversationEvents,
    key: 'conversationId',
    audience: 'Conversation lifecycle: turns completed, hand-offs to a person, moderation applied.',
  },
  { topic: Topics.ticketEvents, key: 'ticketId', audience: 'Tickets created from hand-offs, and their later changes.' },
  {
    topic: Topics.outbound,
    key: 'event.conversationId',
    audience: 'Everything said to the customer, as it streams (reply deltas, final replies, hand-off notices).',
  },
];

export const schemaFileName = (topic: string) => `${topic}.schema.json`;

/** Leading comments by full name (`pkg.Message`, `pkg.Message.field`, `pkg.Enum.VALUE`), read from `buf build`. */
export function protoComments(dir = protoDir): Map<string, string> {
  const buf = path.join(repoRoot, 'node_modules', '.bin', 'buf');
  const image = execFileSync(buf, ['build', dir, '--exclude-imports', '-o', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const comments = new Map<string, string>();
  for (const file of fromBinary(FileDescriptorSetSchema, image).file) collectFile(file, comments);
  return comments;
}

function collectFile(file: FileDescriptorProto, out: Map<string, string>): void {
  const byPath = new Map<string, string>();
  for (const location of file.sourceCodeInfo?.location ?? []) {
    const text = location.leadingComments.trim();
    if (text)
      byPath.set(
        location.path.join('.'),
        text
          .split('\n')
          .map((l) => l.trim())
          .join(' '),
      );
  }
  const put = (name: string, p: number[]) => {
    const text = byPath.get(p.join('.'));
    if (text) out.set(name, text);
  };
  const enumIn = (e: EnumDescriptorProto, scope: string, p: number[]) => {
    put(`${scope}.${e.name}`, p);
    e.value.forEach((v, i) => put(`${scope}.${e.name}.${v.name}`, [...p, 2, i]));
  };
  const messageIn = (m: DescriptorProto, scope: string, p: number[]) => {
    const name = `${scope}.${m.name}`;
    put(name, p);
    m.field.forEach((f, i) => put(`${name}.${f.name}`, [...p, 2, i]));
    m.nestedType.forEach((n, i) => messageIn(n, name, [...p, 3, i]));
    m.enumType.forEach((e, i) => enumIn(e, name, [...p, 4, i]));
  };
  file.messageType.forEach((m, i) => messageIn(m, file.package, [4, i]));
  file.enumType.forEach((e, i) => enumIn(e, file.package, [5, i]));
}

const INT32 = new Set([ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32]);
const UINT32 = new Set([ScalarType.UINT32, ScalarType.FIXED32]);
const INT64 = new Set([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64]);
const UINT64 = new Set([ScalarType.UINT64, ScalarType.FIXED64]);

/** The canonical protobuf JSON form of one scalar, as `toJsonString` writes it. */
function scalarSchema(type: ScalarType): JsonSchema {
  if (type === ScalarType.STRING) return { type: 'string' };
  if (type === ScalarType.BOOL) return { type: 'boolean' };
  if (INT32.has(type)) return { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
  if (UINT32.has(type)) return { type: 'integer', minimum: 0, maximum: 4294967295 };
  if (INT64.has(type)) return { type: 'string', pattern: '^-?[0-9]+$', description: '64-bit integer, as a decimal string' };
  if (UINT64.has(type)) return { type: 'string', pattern: '^[0-9]+$', description: '64-bit unsigned integer, as a decimal string' };
  if (type === ScalarType.BYTES) return { type: 'string', contentEncoding: 'base64' };
  // float and double: a JSON number, or "NaN", "Infinity", "-Infinity".
  return { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };
}

class SchemaBuilder {
  readonly defs: Record<string, JsonSchema> = {};

  constructor(private readonly comments: Map<string, string>) {}

  private described(schema: JsonSchema, name: string): JsonSchema {
    const comment = this.comments.get(name);
    return comment ? { description: comment, ...schema } : schema;
  }

  ref(desc: DescMessage | DescEnum): JsonSchema {
    if (!(desc.typeName in this.defs)) {
      this.defs[desc.typeName] = {}; // reserve first: messages may refer to themselves
      this.defs[desc.typeName] = desc.kind === 'enum' ? this.enumSchema(desc) : this.messageSchema(desc);
    }
    return { $ref: `#/$defs/${desc.typeName}` };
  }

  private enumSchema(desc: DescEnum): JsonSchema {
    return this.described({ title: desc.typeName, type: 'string', enum: desc.values.map((v) => v.name) }, desc.typeName);
  }

  private messageSchema(desc: DescMessage): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const field of desc.fields) {
      let schema = this.fieldSchema(field);
      if (field.oneof)
        schema = {
          ...schema,
          $comment: `oneof ${field.oneof.name}: at most one of ${field.oneof.fields.map((f) => f.jsonName).join(', ')}`,
        };
      properties[field.jsonName] = this.described(schema, `${desc.typeName}.${field.name}`);
    }
    const exclusive = desc.oneofs.flatMap((o) => pairs(o.fields.map((f) => f.jsonName))).map((pair) => ({ required: pair }));
    return this.described(
      {
        title: desc.typeName,
        type: 'object',
        properties,
        additionalProperties: false,
        ...(exclusive.length > 0 ? { not: { anyOf: exclusive } } : {}),
      },
      desc.typeName,
    );
  }

  private valueSchema(field: { scalar?: ScalarType; message?: DescMessage; enum?: DescEnum }): JsonSchema {
    if (field.message) return this.ref(field.message);
    if (field.enum) return this.ref(field.enum);
    return scalarSchema(field.scalar!);
  }

  private fieldSchema(field: DescField): JsonSchema {
    switch (field.fieldKind) {
      case 'scalar':
        return scalarSchema(field.scalar);
      case 'enum':
        return this.ref(field.enum);
      case 'message':
        return this.ref(field.message);
      case 'list':
        return { type: 'array', items: this.valueSchema({ scalar: field.scalar, message: field.message, enum: field.enum }) };
      case 'map':
        return {
          type: 'object',
          additionalProperties: this.valueSchema({ scalar: field.scalar, message: field.message, enum: field.enum }),
        };
    }
  }
}

function pairs(names: string[]): [string, string][] {
  return names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b] as [string, string]));
}

/** One JSON Schema per integrator topic: file name → document. */
export function eventSchemas(comments = protoComments()): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const { topic, key, audience } of INTEGRATOR_TOPICS) {
    const builder = new SchemaBuilder(comments);
    const root = builder.ref(topic.schema);
    out.set(schemaFileName(topic.name), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `urn:switchboard:topic:${topic.name}`,
      title: topic.name,
      description: `${audience} The Kafka message value on topic ${topic.name}: a ${topic.schema.typeName} in canonical protobuf JSON (camelCase names; fields at their default value are omitted; 64-bit integers as strings; enums by name). Key: ${key}. Envelope in headers (docs/events/README.md). Generated by \`switchboard events schemas\` from the protobuf descriptors; do not edit.`,
      'x-protobuf-type': topic.schema.typeName,
      'x-kafka-key': key,
      ...root,
      $defs: Object.fromEntries(Object.entries(builder.defs).sort(([a], [b]) => a.localeCompare(b))),
    });
  }
  return out;
}

/** A schema as written to disk: two-space JSON and a final newline. */
export const renderSchema = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;

export function eventsCommand(): Command {
  const events = new Command('events').description(
    'the event topics integrators consume (conversation.events.v1, ticket.events.v1, conversation.outbound.v1)',
  );
  events
    .command('schemas')
    .description('write one JSON Schema (draft 2020-12) per event topic, generated from the protobuf descriptors')
    .option('-o, --out <dir>', 'output folder', path.join(repoRoot, 'docs', 'events'))
    .action((options: { out: string }) => {
      mkdirSync(options.out, { recursive: true });
      for (const [file, schema] of eventSchemas()) {
        writeFileSync(path.join(options.out, file), renderSchema(schema));
        console.log(`wrote ${path.join(options.out, file)}`);
      }
    });
  return events;
}
