import { Worker } from 'node:worker_threads';
import { isCjkChar } from '@switchboard/text';
import { DocumentError } from './parsed-document';

export interface PdfText {
  /** Text of each page, lines separated by "\n", as pdf-parse lays it out. */
  pages: string[];
  /** The Title entry of the PDF's Info dictionary, when set. */
  title?: string;
}

export interface PdfExtractOptions {
  /** A PDF that takes longer than this to read is refused (default 60 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// pdf.js keeps decoded fonts and content streams in memory; a hostile file must not take the
// whole service down with it.
const WORKER_HEAP_MB = 512;

// pdf-parse runs pdf.js on the calling thread (Node has no pdf.js worker), so parsing a large or
// hostile PDF would block the event loop, and with it Kafka heartbeats and health checks. It runs
// in a worker thread instead, which can also be killed on a timeout. The worker is plain
// CommonJS given as source, so it needs no build step, and it loads pdf-parse outside any module
// sandbox: pdf.js sets itself up with a dynamic import(), which Jest's VM cannot perform.
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse } = require(workerData.modulePath);
(async () => {
  const parser = new PDFParse({ data: workerData.data, verbosity: 0 });
  try {
    const info = await parser.getInfo();
    const text = await parser.getText();
    const title = info.info && typeof info.info.Title === 'string' ? info.info.Title : undefined;
    parentPort.postMessage({ ok: true, title, pages: text.pages.map((page) => page.text) });
  } catch (error) {
    parentPort.postMessage({ ok: false, name: String(error && error.name), message: String(error && error.message) });
  } finally {
    await parser.destroy();
  }
})();
`;

type WorkerReply = { ok: true; title?: string; pages: string[] } | { ok: false; name: string; message: string };

/** Extracts the text of every page, and the metadata title, from a PDF. */
export async function extractPdfText(fileName: string, data: Buffer, options: PdfExtractOptions = {}): Promise<PdfText> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // A copy, as a plain Uint8Array: pdf.js rejects Node Buffers.
    workerData: { modulePath: require.resolve('pdf-parse'), data: new Uint8Array(data) },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    // pdf.js prints font warnings for many real-world PDFs; they would interleave with the
    // service's JSON logs, so the worker's output is captured (and ignored) instead.
    stdout: true,
    stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PDF reader stopped with exit code ${code}`)));
    }).catch((error: unknown) => {
      const message = (error as Error).message;
      if (message === 'timeout') {
        throw new DocumentError('UNREADABLE', `${fileName} took longer than ${timeoutMs / 1000} s to read; split it into smaller PDFs`);
      }
      throw new DocumentError('UNREADABLE', `${fileName} could not be read as a PDF (${message})`);
    });
    return toPdfText(fileName, reply);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

function toPdfText(fileName: string, reply: unknown): PdfText {
  const r = reply as WorkerReply;
  if (r.ok) {
    const title = r.title?.trim();
    return { pages: r.pages, title: title === undefined || title === '' ? undefined : title };
  }
  if (r.name === 'PasswordException') {
    throw new DocumentError('UNREADABLE', `${fileName} is password-protected; remove the password and upload it again`);
  }
  if (r.name === 'InvalidPDFException' || r.name === 'FormatError') {
    throw new DocumentError('UNREADABLE', `${fileName} is not a valid PDF (damaged, or not a PDF at all); export it to PDF again`);
  }
  throw new DocumentError('UNREADABLE', `${fileName} could not be read as a PDF (${r.message})`);
}

// --- Page text to Markdown -------------------------------------------------------------------

const BULLET = /^(?:[•●▪◦‣∙·*–-]|\(?\d{1,3}[.)])\s+/;
const BULLET_GLYPH = /^[•●▪◦‣∙·*–-]\s+/;
const SENTENCE_END = /[.!?。！？:：]["'”’)\]）」』]*$/;
// A sentence ending anywhere in a line (Chinese full stops need no following space).
const SENTENCE_INSIDE = /[.!?]["'”’)\]]*(?:\s|$)|[。！？]/;
const ANY_END_PUNCTUATION = /[.!?。！？:：,，;；、]["'”’)\]）」』]*$/;
const HEADING_START = /^[\p{Lu}\p{N}\p{Script=Han}]/u;
// Each optional part carries its own spaces: `\s*[-–—]?\s*` backtracked quadratically on a long line
// of spaces (26 s on a 64 KiB first line of a page).
const PAGE_NUMBER = /^(?:(?:page|p\.)\s*)?(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?(?:\s*(?:of|\/)\s*\d{1,4})?\s*$/i;

/** A line narrower than this share of a full line ends its paragraph (if it ends a sentence). */
const SHORT_LINE = 0.85;
/** Headings are at most this share of a full line... */
const HEADING_MAX_WIDTH = 0.6;
const HEADING_MAX_CHARS = 80;
const HEADING_MAX_WORDS = 10;
/** ...and if more than this share of lines look like headings, none are trusted. */
const MAX_HEADING_SHARE = 0.25;
/** A running header/footer appears on at least this share of pages. */
const RUNNING_LINE_SHARE = 0.6;

interface Line {
  text: string;
  width: number;
  /** An empty line preceded this one in the page text. */
  gapBefore: boolean;
}

type Role = 'title' | 'heading' | 'item' | 'row' | 'text';

/**
 * Rebuilds paragraphs from PDF lines. PDFs carry no paragraph marks, only positioned lines, so
 * structure is inferred from the text alone:
 *
 * - wrapped lines are joined back into paragraphs, across page breaks too, so a sentence cut by a
 *   page end stays one sentence; a paragraph ends at a short line that ends a sentence;
 * - a word hyphenated at a line end is rejoined ("un-" + "used" → "unused");
 * - page numbers and running headers/footers are dropped;
 * - a line becomes a heading only when it is short, has no closing punctuation, starts after a
 *   finished sentence and is followed by sentences; the document's first line, if it passes,
 *   is the title ("# "), the rest are sections ("## "). Should more than a quarter of the lines
 *   pass that test (forms, slides, tables), the guess is not trusted and no headings are made.
 */
export function pdfPagesToMarkdown(pages: string[]): string {
  const lines = toLines(pages);
  if (lines.length === 0) return '';
  const fullWidth = percentile(
    lines.map((l) => l.width),
    0.9,
  );
  const roles = assignRoles(lines, fullWidth);
  return renderBlocks(lines, roles, fullWidth);
}

function toLines(pages: string[]): Line[] {
  const pageLines = pages.map((page) =>
    // Spaces are already single when tabs are folded, so ` ?` suffices; ` *` rescanned long runs.
    page.split('\n').map((line) =>
      line
        .replace(/[ \u00a0]+/g, ' ')
        .replace(/ ?\t[\t ]*/g, '\t')
        .trim(),
    ),
  );
  const lines: Line[] = [];
  for (const page of dropPageFurniture(pageLines)) {
    let gap = false;
    for (const text of page) {
      if (text.length === 0) {
        gap = true;
        continue;
      }
      lines.push({ text, width: displayWidth(text), gapBefore: gap });
      gap = false;
    }
  }
  return lines;
}

/**
 * Removes page numbers, and lines repeated at the top or bottom of most pages. They are removed
 * outright rather than blanked, since a blank line would end the paragraph running across pages.
 */
function dropPageFurniture(pages: string[][]): string[][] {
  const removed = pages.map(() => new Set<number>());
  const signature = (line: string): string => line.replace(/\d+/g, '#').toLowerCase();
  for (const fromEnd of [false, true]) {
    const edges = pages.map((page, p) => {
      const kept = page.map((_, i) => i).filter((i) => page[i] !== '' && !removed[p]?.has(i));
      return (fromEnd ? kept[kept.length - 1] : kept[0]) ?? -1;
    });
    const counts = new Map<string, number>();
    pages.forEach((page, p) => {
      const line = page[edges[p] ?? -1];
      if (line !== undefined) counts.set(signature(line), (counts.get(signature(line)) ?? 0) + 1);
    });
    pages.forEach((page, p) => {
      const index = edges[p] ?? -1;
      const line = page[index];
      if (line === undefined) return;
      const running = pages.length >= 3 && (counts.get(signature(line)) ?? 0) >= pages.length * RUNNING_LINE_SHARE;
      if (running || PAGE_NUMBER.test(line)) removed[p]?.add(index);
    });
  }
  return pages.map((page, p) => page.filter((_, i) => !removed[p]?.has(i)));
}

function assignRoles(lines: Line[], fullWidth: number): Role[] {
  const roles: Role[] = lines.map((l) => (l.text.includes('\t') ? 'row' : BULLET.test(l.text) ? 'item' : 'text'));
  const headingLike = lines.map((l, i) => roles[i] === 'text' && looksLikeHeading(l, fullWidth));

  let headings = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!headingLike[i]) continue;
    const previous = lines[i - 1];
    const startsFresh =
      previous === undefined || (lines[i]?.gapBefore ?? false) || SENTENCE_END.test(previous.text) || roles[i - 1] !== 'text';
    let end = i;
    while (headingLike[end]) end += 1;
    const run = end - i;
    // Two heading-like lines in a row can be a title and a section heading; more are a list, an
    // address or a table laid out as lines.
    if (startsFresh && run <= 2 && bodyFollows(lines, roles, end)) {
      for (let k = i; k < end; k++) roles[k] = k === 0 ? 'title' : 'heading';
      headings += run;
    }
    i = end - 1;
  }
  // The share is meaningless for a page or two of text, where a title and a heading are plausible.
  if (headings > Math.max(2, lines.length * MAX_HEADING_SHARE)) {
    return roles.map((r) => (r === 'title' || r === 'heading' ? 'text' : r));
  }
  return roles;
}

function looksLikeHeading(line: Line, fullWidth: number): boolean {
  const text = line.text;
  return (
    line.width <= fullWidth * HEADING_MAX_WIDTH &&
    text.length <= HEADING_MAX_CHARS &&
    text.split(' ').length <= HEADING_MAX_WORDS &&
    HEADING_START.test(text) &&
    !ANY_END_PUNCTUATION.test(text) &&
    (text.match(/\p{L}/gu) ?? []).length >= 2 &&
    !PAGE_NUMBER.test(text)
  );
}

/** Real headings introduce prose: sentences within the next few lines, or a list. */
function bodyFollows(lines: Line[], roles: Role[], from: number): boolean {
  if (roles[from] === 'item') return true;
  for (let i = from; i < Math.min(lines.length, from + 4); i++) {
    if (roles[i] !== 'text') return false;
    if (SENTENCE_INSIDE.test(lines[i]?.text ?? '')) return true;
  }
  return false;
}

function renderBlocks(lines: Line[], roles: Role[], fullWidth: number): string {
  const blocks: string[] = [];
  let paragraph = '';
  let items: string[] = [];
  let rows: string[] = [];
  // Whether the last list item may continue on the next line: only when it ran to the margin.
  let itemOpen = false;
  const flush = (): void => {
    for (const block of [paragraph, items.join('\n'), rows.join('\n')]) if (block !== '') blocks.push(block);
    paragraph = '';
    items = [];
    rows = [];
    itemOpen = false;
  };

  lines.forEach((line, i) => {
    const role = roles[i] ?? 'text';
    const short = line.width < fullWidth * SHORT_LINE;
    if (line.gapBefore) flush();
    if (role === 'title' || role === 'heading') {
      flush();
      blocks.push(`${role === 'title' ? '#' : '##'} ${line.text}`);
    } else if (role === 'row') {
      if (paragraph !== '' || items.length > 0) flush();
      const cells = line.text.split('\t').filter((cell) => cell.length > 0);
      rows.push(cells.join(' | '));
    } else if (role === 'item') {
      if (paragraph !== '' || rows.length > 0) flush();
      items.push(line.text.replace(BULLET_GLYPH, '- '));
      itemOpen = !short;
    } else if (itemOpen) {
      items[items.length - 1] = joinWrapped(items[items.length - 1] ?? '', line.text);
      itemOpen = !short;
    } else {
      if (items.length > 0 || rows.length > 0) flush();
      paragraph = paragraph === '' ? line.text : joinWrapped(paragraph, line.text);
      if (short && SENTENCE_END.test(line.text)) flush();
    }
  });
  flush();
  return blocks.join('\n\n');
}

/** Joins a wrapped line to what came before it. */
function joinWrapped(before: string, after: string): string {
  // "un-" + "used": a word hyphenated only to fit the line. Were the next part capitalised or a
  // number ("COVID-" + "19"), the hyphen belongs to the word and stays.
  // Only the paragraph's last characters are tested: /\p{L}-$/ scanned the whole, growing paragraph.
  if (before.endsWith('-') && /\p{L}$/u.test(before.slice(-3, -1))) {
    return /^\p{Ll}/u.test(after) ? `${before.slice(0, -1)}${after}` : `${before}${after}`;
  }
  // Chinese has no spaces between words, so a wrap inside Chinese text joins without one.
  // The last code point without splitting the whole paragraph, which grows with every line
  // (Array.from on it each time made long paragraphs quadratic).
  const lastStart = before.length >= 2 && /[\udc00-\udfff]/.test(before[before.length - 1]) ? before.length - 2 : before.length - 1;
  const last = before.slice(Math.max(0, lastStart));
  const first = String.fromCodePoint(after.codePointAt(0) ?? 32);
  if ((isCjkChar(last) || /[\u3000-\u303f\uff00-\uffef]/.test(last)) && isCjkChar(first)) return `${before}${after}`;
  return `${before} ${after}`;
}

/** Width in columns: CJK characters are drawn about twice as wide as Latin letters. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isCjkChar(char) ? 2 : 1;
  return width;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
