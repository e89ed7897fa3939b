// The JSON Schema subset the operations' arguments use (OpenAI function `parameters`), and the check
// that holds a call to it, naming the field that is wrong.

export interface StringSchema {
  type: 'string';
  description: string;
  enum?: readonly string[];
}

export interface StringListSchema {
  type: 'array';
  description: string;
  items: { type: 'string' };
  minItems: number;
}

export interface ArgumentsSchema {
  type: 'object';
  properties: Record<string, StringSchema | StringListSchema>;
  required: readonly string[];
  additionalProperties: false;
}

/** Every property is required and nothing else is allowed, as OpenAI's strict mode wants. */
export function argumentsSchema(properties: ArgumentsSchema['properties']): ArgumentsSchema {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** What is wrong with `value` as arguments of `schema`; empty when nothing is. */
export function argumentProblems(schema: ArgumentsSchema, value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['arguments must be a JSON object'];
  const args = value as Record<string, unknown>;
  const problems = Object.keys(args)
    .filter((name) => !Object.hasOwn(schema.properties, name))
    .map((name) => `"${name}" is not an argument of this operation`);
  for (const name of schema.required) {
    if (!Object.hasOwn(args, name)) problems.push(`"${name}" is required`);
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    if (Object.hasOwn(args, name)) problems.push(...propertyProblems(name, property, args[name]));
  }
  return problems;
}

function propertyProblems(name: string, schema: StringSchema | StringListSchema, value: unknown): string[] {
  if (schema.type === 'string') {
    if (typeof value !== 'string') return [`"${name}" must be a string`];
    if (schema.enum && !schema.enum.includes(value))
      return [`"${name}" must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`];
    return [];
  }
  if (!Array.isArray(value)) return [`"${name}" must be an array of strings`];
  const problems = value.flatMap((item, i) => (typeof item === 'string' ? [] : [`"${name}[${i}]" must be a string`]));
  if (value.length < schema.minItems)
    problems.push(`"${name}" must hold at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  return problems;
}
