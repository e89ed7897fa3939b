// Intent training examples as a tenant uploads them: CSV with the columns text,label (or
// text,category, as BANKING77 ships). Read with a real CSV parser: quoted fields may hold commas,
// quotes and line breaks.
import { parse } from 'csv-parse/sync';

export interface IntentExample {
  text: string;
  label: string;
}

const LABEL_COLUMNS = ['label', 'category', 'intent'];

/**
 * Parses intent examples; every problem is an Error naming the row and the column. Rows are CSV
 * records counted from the header as row 1: a quoted field with line breaks is one row, and blank
 * lines are skipped, not counted. Extra columns are ignored; text and label are trimmed.
 */
export function parseIntentCsv(csv: string | Buffer): IntentExample[] {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    throw new Error(`not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new Error('empty file: expected a header row with the columns text,label');
  const header = records[0].map((name) => name.trim().toLowerCase());
  const textColumn = header.indexOf('text');
  const labelColumn = header.findIndex((name) => LABEL_COLUMNS.includes(name));
  if (textColumn < 0 || labelColumn < 0) {
    const missing = textColumn < 0 ? 'text' : 'label';
    throw new Error(
      `row 1: missing header column "${missing}": expected the columns text,label (or text,category); found ${JSON.stringify(records[0].join(','))}`,
    );
  }
  const labelName = header[labelColumn];
  return records.slice(1).map((record, i) => {
    const row = i + 2;
    const text = (record[textColumn] ?? '').trim();
    const label = (record[labelColumn] ?? '').trim();
    if (!text) throw new Error(`row ${row}, column "text": ${record[textColumn] === undefined ? 'missing' : 'empty'}`);
    if (!label) throw new Error(`row ${row}, column "${labelName}": ${record[labelColumn] === undefined ? 'missing' : 'empty'}`);
    return { text, label };
  });
}

/** Examples as CSV (text,label), quoting what needs it (RFC 4180), for splits and exports. */
export function formatIntentCsv(examples: readonly IntentExample[], labelColumn: 'label' | 'category' = 'label'): string {
  const field = (value: string) => (/[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value);
  return [`text,${labelColumn}`, ...examples.map((e) => `${field(e.text)},${field(e.label)}`)].join('\n') + '\n';
}
