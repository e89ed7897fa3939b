import { isCjkChar } from './tokenizer';

// Block-level structure decides hard breaks before punctuation is even looked at: a list item or
// heading is a unit of meaning even when its author left off the final full stop.
const LIST_MARKER = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const HEADING = /^\s{0,3}#{1,6}(?:\s|$)/;

// CJK terminators end a sentence unconditionally (Chinese puts no space after them); ASCII ones
// only when followed by whitespace, the end of text, or CJK text. Closing quotes/brackets stay
// with the sentence they close.
const TERMINATOR = /[。｡！？；]+[”’"'」』）)\]]*|[.!?]+[”’"')\]]*/gu;
const CJK_TERMINATOR = /^[。｡！？；]/;

// Always abbreviations, whatever follows.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'e.g',
  'i.e',
  'eg',
  'ie',
  'cf',
  'approx',
  'dept',
  'inc',
  'ltd',
  'co',
  'corp',
  'fig',
  'al',
]);
// Words that are abbreviations but also commonly end a sentence ("…and so on, etc.", "the
// answer is no."): only a capitalised next word makes the full stop a sentence end.
const AMBIGUOUS_ABBREVIATIONS = new Set(['etc', 'no']);
const DOTTED_ACRONYM = /^(?:\p{L}\.)+\p{L}$/u;

/**
 * Splits English and Chinese text into sentences, treating Markdown list items and headings as
 * their own sentences and single newlines inside a paragraph as soft wraps (as Markdown renders
 * them). Sentences are trimmed with inner whitespace collapsed; empty ones are dropped.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of splitBlocks(text)) {
    for (const sentence of splitBlock(block)) {
      if (sentence.length > 0) sentences.push(sentence);
    }
  }
  return sentences;
}

function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push(joinLines(current));
    current = [];
  };
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trim();
    if (line.length === 0) {
      flush();
      continue;
    }
    if (LIST_MARKER.test(line) || HEADING.test(line)) flush();
    current.push(line);
    if (HEADING.test(line) || endsWithCjk(line)) flush();
  }
  flush();
  return blocks;
}

// Chinese is rarely hard-wrapped, so a line that ends on a CJK character is taken as complete;
// English lines are soft-wrapped and rejoined with a space.
function endsWithCjk(line: string): boolean {
  const chars = Array.from(line);
  return isCjkChar(chars[chars.length - 1] ?? '');
}

function joinLines(lines: string[]): string {
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

function splitBlock(block: string): string[] {
  const sentences: string[] = [];
  // An ordered-list marker like "1." must not be read as a sentence ending.
  const scanFrom = LIST_MARKER.exec(block)?.[0].length ?? 0;
  let start = 0;
  TERMINATOR.lastIndex = scanFrom;
  for (let match = TERMINATOR.exec(block); match !== null; match = TERMINATOR.exec(block)) {
    const end = match.index + match[0].length;
    if (endsSentence(block, match.index, match[0], end)) {
      sentences.push(block.slice(start, end).trim());
      start = end;
    }
  }
  sentences.push(block.slice(start).trim());
  return sentences;
}

function endsSentence(block: string, index: number, punct: string, end: number): boolean {
  if (CJK_TERMINATOR.test(punct)) return true;
  const next = block.charAt(end);
  if (next === '') return true;
  if (/\s/.test(next)) {
    return !(punct.startsWith('.') && !punct.startsWith('..') && isAbbreviation(block, index, end));
  }
  return /^[!?]/.test(punct) && isCjkChar(next);
}

// The word before the dot and the start of the next one are read locally: matching /(\S+)$/ on
// everything before each dot, and trimming everything after it, made a block full of dots
// quadratic (" . . ." × 32,000: 3.7 s).
function isAbbreviation(block: string, dotIndex: number, afterDot: number): boolean {
  let from = dotIndex;
  while (from > 0 && !/\s/.test(block.charAt(from - 1))) from -= 1;
  const word = block
    .slice(from, dotIndex)
    .replace(/^[^\p{L}]+/u, '')
    .toLowerCase();
  if (word.length === 0) return false;
  if (ABBREVIATIONS.has(word)) return true;
  if (AMBIGUOUS_ABBREVIATIONS.has(word) || DOTTED_ACRONYM.test(word)) {
    // Blocks have their white space collapsed to single spaces (joinLines).
    return !/^\s*\p{Lu}/u.test(block.slice(afterDot, afterDot + 8));
  }
  return false;
}
