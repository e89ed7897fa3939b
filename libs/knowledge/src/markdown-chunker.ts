import { splitSentences } from '@switchboard/text';
import { parseAtxHeading } from './markdown-heading';

/**
 * A retrievable slice of one Markdown document.
 *
 * `text` is the section body only: no heading line and no title prefix. Titles live in
 * `sectionPath` instead, because chunk text is quoted verbatim to customers by the extractive
 * answerer (a quoted heading is not an answer) and because `maxChars` should bound the content
 * itself. Consumers that want the title as context (keyword indexing, embeddings) use
 * `sectionPath` — see `withSectionContext`.
 */
export interface Chunk {
  id: string;
  documentId: string;
  text: string;
  sectionPath: string[];
  position: number;
}

export interface ChunkOptions {
  /** Upper bound on `text.length` (default 800). */
  maxChars?: number;
  /** Sentences repeated from the end of the previous chunk of the same section (default 1). */
  overlapSentences?: number;
}

const DEFAULT_MAX_CHARS = 800;
const DEFAULT_OVERLAP_SENTENCES = 1;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

type BlockKind = 'list' | 'paragraph' | 'code';

interface Block {
  kind: BlockKind;
  text: string;
}

interface Section {
  path: string[];
  blocks: Block[];
}

/** Part of a chunk: a whole block, or some sentences of a block too large to keep whole. */
interface Piece {
  text: string;
  sentences: string[];
  kind: BlockKind;
  /** Pieces cut from the same block are glued back with a space rather than a line break. */
  blockId: number;
}

/**
 * Splits Markdown into heading-scoped chunks. Sections larger than `maxChars` are split between
 * blocks (list items, paragraphs, code fences) when possible, otherwise between sentences, and
 * only inside a sentence when that single sentence is longer than `maxChars`.
 */
export function chunkMarkdown(documentId: string, markdown: string, options: ChunkOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const overlapSentences = options.overlapSentences ?? DEFAULT_OVERLAP_SENTENCES;
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  }
  if (!Number.isInteger(overlapSentences) || overlapSentences < 0) {
    throw new RangeError(`overlapSentences must be a non-negative integer, got ${overlapSentences}`);
  }

  const chunks: Chunk[] = [];
  for (const section of parseSections(markdown)) {
    for (const text of packSection(section.blocks, maxChars, overlapSentences)) {
      const position = chunks.length;
      chunks.push({ id: `${documentId}#${position}`, documentId, text, sectionPath: section.path, position });
    }
  }
  return chunks;
}

/** The chunk as it should be embedded or shown out of context: heading path, then body. */
export function withSectionContext(chunk: Pick<Chunk, 'text' | 'sectionPath'>): string {
  return chunk.sectionPath.length > 0 ? `${chunk.sectionPath.join(' > ')}\n\n${chunk.text}` : chunk.text;
}

function parseSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const headings: Array<{ level: number; title: string }> = [];
  let lines: string[] = [];

  const closeSection = (): void => {
    const blocks = parseBlocks(lines);
    if (blocks.length > 0) {
      sections.push({ path: headings.map((h) => h.title).filter((t) => t.length > 0), blocks });
    }
    lines = [];
  };

  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== undefined) {
      if (isFenceClose(line, fence)) fence = undefined;
      lines.push(line);
      continue;
    }
    const fenceOpen = FENCE_OPEN.exec(line);
    if (fenceOpen !== null) {
      fence = fenceOpen[1];
      lines.push(line);
      continue;
    }
    const heading = parseAtxHeading(line);
    if (heading !== undefined) {
      closeSection();
      const level = heading.level;
      while (headings.length > 0 && (headings[headings.length - 1]?.level ?? 0) >= level) headings.pop();
      headings.push({ level, title: cleanHeading(heading.text) });
      continue;
    }
    lines.push(line);
  }
  closeSection();
  return sections;
}

function isFenceClose(line: string, fence: string): boolean {
  const trimmed = line.trim();
  const marker = fence.charAt(0);
  return trimmed.length >= fence.length && [...trimmed].every((c) => c === marker);
}

function cleanHeading(raw: string): string {
  // Link text and target exclude brackets and parentheses, so a scan from one "[" stops at the
  // next one instead of running to the end of the line ("[[[[…" was quadratic).
  return raw
    .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .trim();
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: { kind: BlockKind; lines: string[] } | undefined;
  let fence: string | undefined;

  const flush = (): void => {
    if (current !== undefined) {
      const joined = current.lines.join('\n');
      // Code keeps its indentation; prose is trimmed so chunk text never starts with whitespace.
      const text = current.kind === 'code' ? joined.trimEnd() : joined.trim();
      if (text.trim().length > 0) blocks.push({ kind: current.kind, text });
    }
    current = undefined;
  };

  for (const rawLine of lines) {
    const line = rawLine.trimEnd();
    if (fence !== undefined) {
      current?.lines.push(line);
      if (isFenceClose(line, fence)) {
        fence = undefined;
        flush();
      }
      continue;
    }
    const fenceOpen = FENCE_OPEN.exec(line);
    if (fenceOpen !== null) {
      flush();
      fence = fenceOpen[1];
      current = { kind: 'code', lines: [line] };
      continue;
    }
    if (line.trim().length === 0 || THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      current = { kind: 'list', lines: [line] };
      continue;
    }
    // Lazy continuation: a plain line right after a list item belongs to that item, as in Markdown.
    if (current === undefined) current = { kind: 'paragraph', lines: [] };
    current.lines.push(line);
  }
  flush();
  return blocks;
}

function packSection(blocks: Block[], maxChars: number, overlapSentences: number): string[] {
  const out: string[] = [];
  let current: Piece[] = [];
  let carried: Piece[] = [];

  const emit = (): void => {
    if (current.length > 0) {
      out.push(render(current));
      carried = lastSentences(current, overlapSentences);
    }
    current = [];
  };

  // Carried-over sentences are only ever placed in front of a new piece, so a chunk made purely
  // of overlap cannot be produced.
  const add = (piece: Piece): void => {
    if (current.length > 0 && render([...current, piece]).length <= maxChars) {
      current.push(piece);
      return;
    }
    emit();
    current = [...fitOverlap(carried, piece, maxChars), piece];
  };

  blocks.forEach((block, blockId) => {
    const sentences = block.kind === 'code' ? [block.text] : splitSentences(block.text);
    if (block.text.length <= maxChars) {
      add({ text: block.text, sentences, kind: block.kind, blockId });
      return;
    }
    for (const sentence of sentences) {
      for (const part of hardSplit(sentence, maxChars)) {
        add({ text: part, sentences: [part], kind: block.kind, blockId });
      }
    }
  });
  emit();
  return out;
}

function separator(previous: Piece, next: Piece): string {
  if (previous.blockId === next.blockId) return next.kind === 'code' ? '\n' : ' ';
  return previous.kind === 'list' && next.kind === 'list' ? '\n' : '\n\n';
}

function render(pieces: Piece[]): string {
  let text = '';
  pieces.forEach((piece, i) => {
    const previous = pieces[i - 1];
    text += previous === undefined ? piece.text : `${separator(previous, piece)}${piece.text}`;
  });
  return text;
}

/** The trailing `count` sentences of a chunk, still grouped by the block they came from. */
function lastSentences(pieces: Piece[], count: number): Piece[] {
  const taken: Piece[] = [];
  let remaining = count;
  for (let i = pieces.length - 1; i >= 0 && remaining > 0; i--) {
    const piece = pieces[i];
    if (piece === undefined) continue;
    const sentences = piece.sentences.slice(Math.max(0, piece.sentences.length - remaining));
    remaining -= sentences.length;
    const text = sentences.length === piece.sentences.length ? piece.text : sentences.join(' ');
    taken.unshift({ ...piece, text, sentences });
  }
  return taken;
}

/** Drops the oldest carried sentences until the overlap and the next piece fit together. */
function fitOverlap(carried: Piece[], next: Piece, maxChars: number): Piece[] {
  let overlap = carried;
  while (overlap.length > 0 && render([...overlap, next]).length > maxChars) {
    overlap = dropFirstSentence(overlap);
  }
  return overlap;
}

function dropFirstSentence(pieces: Piece[]): Piece[] {
  const [first, ...rest] = pieces;
  if (first === undefined || first.sentences.length <= 1) return rest;
  const sentences = first.sentences.slice(1);
  return [{ ...first, text: sentences.join(' '), sentences }, ...rest];
}

/**
 * Last resort for a single sentence longer than `maxChars`: cut at the latest line break or
 * space that keeps at least half a chunk, else at exactly `maxChars` (CJK text has no spaces to
 * cut at), never between the two halves of a surrogate pair.
 */
function hardSplit(sentence: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = sentence.trim();
  while (rest.length > maxChars) {
    let limit = maxChars;
    if (isHighSurrogate(rest.charCodeAt(limit - 1))) limit -= 1;
    // A lone astral character with maxChars = 1 cannot be cut; emitting it whole beats looping.
    if (limit === 0) limit = 2;
    // One character past the limit is inspected so a space right at the limit is a clean cut.
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
    if (cut < limit / 2 || cut > limit) cut = limit;
    const part = rest.slice(0, cut).trim();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
