import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { DocumentError, FaqEntry } from './parsed-document';

export type FaqFormat = 'csv' | 'json';

/** How many problems the error message spells out; `DocumentError.problems` has them all. */
const PROBLEMS_IN_MESSAGE = 5;
const REQUIRED_COLUMNS = ['faq_id', 'question', 'answer'] as const;
const TRUE_VALUES = new Set(['true', 'yes', '1']);
const FALSE_VALUES = new Set(['false', 'no', '0', '']);

/** An entry before validation, with where it came from so problems can point at it. */
interface RawEntry {
  /** 'row' is a spreadsheet row (header = row 1); 'entry' a 1-based position in a JSON array. */
  unit: 'row' | 'entry';
  number: number;
  faqId: unknown;
  question: unknown;
  altQuestions: unknown;
  answer: unknown;
  approved: unknown;
  tags: unknown;
  /** Set when the entry is not even an object, so none of its fields can be read. */
  notAnObject?: boolean;
}

/**
 * Reads an FAQ file (CSV with a header row, or JSON) into entries. The whole file is checked
 * before anything is returned, and every problem found is reported together, so a support team
 * can fix a spreadsheet in one pass instead of one upload per mistake.
 */
export function parseFaqFile(fileName: string, text: string, format: FaqFormat): FaqEntry[] {
  const raw = format === 'csv' ? readCsv(fileName, text) : readJson(fileName, text);
  if (raw.length === 0) {
    throw new DocumentError(
      'EMPTY',
      format === 'csv' ? `${fileName} has no FAQ rows below the header row` : `${fileName} contains no FAQ entries`,
    );
  }
  return validate(fileName, raw);
}

function readCsv(fileName: string, text: string): RawEntry[] {
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: guessDelimiter(text), relax_column_count: true });
  } catch (error: unknown) {
    if (error instanceof CsvError) {
      throw new DocumentError(
        'INVALID_FAQ',
        `${fileName} line ${error.lines}: ${error.message}. Fields containing commas, quotes or line breaks must be ` +
          'enclosed in double quotes, with quotes inside them doubled ("")',
      );
    }
    throw error;
  }

  const [header, ...rows] = records;
  if (header === undefined) return [];
  const columns = header.map(normaliseColumnName);
  const duplicated = columns.filter((c, i) => c.length > 0 && columns.indexOf(c) !== i);
  if (duplicated.length > 0) {
    throw new DocumentError('INVALID_FAQ', `${fileName}: the header row has the column ${duplicated[0]} more than once`);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new DocumentError(
      'INVALID_FAQ',
      `${fileName}: the header row has no ${missing.join(', ')} column (found: ${columns.join(', ') || 'nothing'}); ` +
        'the first row must name the columns faq_id, question and answer',
    );
  }

  const cell = (row: string[], column: string): string | undefined => {
    const index = columns.indexOf(column);
    return index < 0 ? undefined : row[index];
  };
  const entries: RawEntry[] = [];
  rows.forEach((row, i) => {
    // Spreadsheets often end with blank rows, or rows of nothing but separators; they are not entries.
    if (row.every((value) => value.trim().length === 0)) return;
    entries.push({
      unit: 'row',
      number: i + 2,
      faqId: cell(row, 'faq_id'),
      question: cell(row, 'question'),
      altQuestions: cell(row, 'alt_questions'),
      answer: cell(row, 'answer'),
      approved: cell(row, 'approved'),
      tags: cell(row, 'tags'),
    });
  });
  return entries;
}

/**
 * Excel writes ';' (or tabs) instead of ',' in locales that use a decimal comma. The header row
 * holds only column names, so whichever separator it contains is the file's separator.
 */
function guessDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const headerLine = end < 0 ? text : text.slice(0, end);
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes(';')) return ';';
  if (headerLine.includes('\t')) return '\t';
  return ',';
}

function normaliseColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function readJson(fileName: string, text: string): RawEntry[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error: unknown) {
    throw new DocumentError('INVALID_FAQ', `${fileName} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(root) ? root : isObject(root) && Array.isArray(root['faqs']) ? root['faqs'] : undefined;
  if (list === undefined) {
    throw new DocumentError('INVALID_FAQ', `${fileName} must contain an array of FAQ objects, or an object with a "faqs" array`);
  }
  return list.map((item: unknown, i): RawEntry => {
    const o = isObject(item) ? item : {};
    return {
      unit: 'entry',
      number: i + 1,
      notAnObject: !isObject(item),
      faqId: o['faq_id'] ?? o['id'],
      question: o['question'],
      altQuestions: o['alt_questions'] ?? o['alternatives'],
      answer: o['answer'],
      approved: o['approved'],
      tags: o['tags'],
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(fileName: string, raw: RawEntry[]): FaqEntry[] {
  const problems: string[] = [];
  const entries: FaqEntry[] = [];
  const firstSeen = new Map<string, RawEntry>();

  for (const item of raw) {
    const where = `${fileName} ${item.unit} ${item.number}`;
    if (item.notAnObject === true) {
      problems.push(`${where}: must be an object with faq_id, question and answer`);
      continue;
    }
    const rowProblems: string[] = [];
    const field = (name: string, value: unknown): string => {
      if (value === undefined || value === null) return '';
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && name === 'faq_id') return String(value);
      rowProblems.push(`${name} must be text`);
      return '';
    };

    const faqId = field('faq_id', item.faqId).trim();
    // Questions are matched as one line; answers keep their line breaks (steps, addresses).
    const question = field('question', item.question).replace(/\s+/g, ' ').trim();
    const answer = field('answer', item.answer)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim();
    if (faqId.length === 0) rowProblems.push('faq_id is empty');
    if (question.length === 0) rowProblems.push('question is empty');
    if (answer.length === 0) rowProblems.push('answer is empty');
    const altQuestions = list('alt_questions', item.altQuestions, rowProblems).map((q) => q.replace(/\s+/g, ' '));
    const tags = list('tags', item.tags, rowProblems);
    const approved = flag(item.approved, rowProblems);

    if (faqId.length > 0) {
      const earlier = firstSeen.get(faqId);
      if (earlier === undefined) {
        firstSeen.set(faqId, item);
      } else {
        problems.push(
          `${fileName} ${item.unit === 'row' ? 'rows' : 'entries'} ${earlier.number} and ${item.number}: ` +
            `faq_id "${faqId}" is used twice; every FAQ needs its own id`,
        );
      }
    }
    problems.push(...rowProblems.map((problem) => `${where}: ${problem}`));
    entries.push({
      faqId,
      question,
      altQuestions: unique(altQuestions.filter((q) => q !== question)),
      answer,
      approved,
      tags: unique(tags),
    });
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).join('; ');
    const more = problems.length - PROBLEMS_IN_MESSAGE;
    throw new DocumentError('INVALID_FAQ', more > 0 ? `${shown}; and ${more} more problem(s)` : shown, problems);
  }
  return entries;
}

/** A list field: a JSON array of strings, or one string with items separated by '|'. */
function list(name: string, value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split('|') : Array.isArray(value) ? value : undefined;
  if (items === undefined || !items.every((v): v is string => typeof v === 'string')) {
    problems.push(`${name} must be text separated by "|" or a list of texts`);
    return [];
  }
  return items.map((v) => v.trim()).filter((v) => v.length > 0);
}

function flag(value: unknown, problems: string[]): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
  if (TRUE_VALUES.has(text)) return true;
  if (FALSE_VALUES.has(text)) return false;
  problems.push(`approved must be true/false, yes/no or 1/0, not ${JSON.stringify(value)}`);
  return false;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
