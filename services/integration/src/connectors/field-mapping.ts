// Turns a company API's JSON into a tau-retail record, by a mapping written in the connector
// config. The mapping has the record's shape; each field says where its value comes from:
//   "customer.firstName"                 a dotted path in the source ("lines.0.sku" indexes a list)
//   { "line1": "…", "city": "…" }        a nested object, mapped from the same source
//   { "from": "state", "values": {"PENDING": "pending"} }   a value renamed (unlisted values pass through)
//   { "from": "lines", "each": { … } }   a list, each element mapped ("each": "sku" picks one field)
//   { "from": "wallet", "each": { … }, "keyBy": "id" }      a list turned into an object keyed by a mapped field
// A field whose source is missing is left out, so optional fields (cancel_reason) appear only when set.
import type { FieldMapping, FieldSource } from './connector-config';

export function mapRecord<T>(mapping: FieldMapping, source: unknown): T {
  const record: Record<string, unknown> = {};
  for (const [field, from] of Object.entries(mapping)) {
    const value = resolve(from, source);
    if (value !== undefined) record[field] = value;
  }
  return record as T;
}

/** The value at a dotted path, or undefined when any step is missing. */
export function valueAt(source: unknown, path: string): unknown {
  let value = source;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function resolve(from: FieldSource, source: unknown): unknown {
  if (typeof from === 'string') return valueAt(source, from);
  if (!isDirective(from)) return mapRecord(from, source);
  const value = valueAt(source, from.from);
  if (value === undefined || value === null) return undefined;
  if (from.values && typeof value === 'string') return Object.hasOwn(from.values, value) ? from.values[value] : value;
  if (!from.each) return value;
  if (!Array.isArray(value)) return undefined;
  const each = from.each;
  const items = value.map((element) =>
    typeof each === 'string' ? valueAt(element, each) : mapRecord<Record<string, unknown>>(each, element),
  );
  if (!from.keyBy) return items;
  const keyBy = from.keyBy;
  return Object.fromEntries(items.map((item) => [String((item as Record<string, unknown>)[keyBy]), item]));
}

function isDirective(from: Exclude<FieldSource, string>): from is Extract<FieldSource, { from: string }> {
  return typeof (from as { from?: unknown }).from === 'string';
}
