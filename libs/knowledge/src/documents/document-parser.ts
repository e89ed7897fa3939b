import * as path from 'path';
import { Worker } from 'node:worker_threads';
import { FaqFormat, parseFaqFile } from './faq-file';
import { detectLanguage } from './language';
import { parseAtxHeading } from '../markdown-heading';
import { DocumentError, type DocumentErrorCode, DocumentKind, ParsedDocument } from './parsed-document';
import { extractPdfText, pdfPagesToMarkdown } from './pdf-text';
import { decodeText, withoutNul } from './text-decoding';

export interface DocumentInput {
  fileName: string;
  contentType?: string;
  data: Buffer;
  /** Overrides the title found in the document. */
  title?: string;
}

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** What a file is read as: the document kind, and for FAQs which file format. */
export interface DocumentFormat {
  kind: DocumentKind;
  faq?: FaqFormat;
}

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.md': { kind: 'markdown' },
  '.markdown': { kind: 'markdown' },
  '.html': { kind: 'html' },
  '.htm': { kind: 'html' },
  '.txt': { kind: 'text' },
  '.pdf': { kind: 'pdf' },
  '.docx': { kind: 'docx' },
  '.csv': { kind: 'faq', faq: 'csv' },
  '.json': { kind: 'faq', faq: 'json' },
};

const BY_CONTENT_TYPE: Record<string, DocumentFormat> = {
  'text/markdown': { kind: 'markdown' },
  'text/x-markdown': { kind: 'markdown' },
  'text/html': { kind: 'html' },
  'application/xhtml+xml': { kind: 'html' },
  'text/plain': { kind: 'text' },
  'application/pdf': { kind: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'docx' },
  'text/csv': { kind: 'faq', faq: 'csv' },
  'application/csv': { kind: 'faq', faq: 'csv' },
  'application/json': { kind: 'faq', faq: 'json' },
};

// Say what to do with the formats people most often try, rather than only that they are refused.
const CONVERSION_HINTS: Record<string, string> = {
  '.doc': 'save it as .docx',
  '.rtf': 'save it as .docx',
  '.odt': 'save it as .docx',
  '.pages': 'export it as .docx or PDF',
  '.xlsx': 'save the FAQ sheet as CSV UTF-8',
  '.xls': 'save the FAQ sheet as CSV UTF-8',
};

const SUPPORTED = 'Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt), PDF (.pdf), Word (.docx), FAQ (.csv, .json)';

export interface ParseOptions {
  /** A document that takes longer than this to read is refused (default 60 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// Converters keep whole documents, decoded fonts and DOM trees in memory; a hostile file must not
// take the whole service down with it.
const WORKER_HEAP_MB = 512;

/**
 * Turns an uploaded file into Markdown for the chunker (or FAQ entries), with a title and a
 * language. Every refusal is a `DocumentError` whose message tells the uploader what to fix.
 *
 * Every format is read in a worker thread with a heap limit and a timeout, as PDFs already were:
 * a converter or pattern that is slow or greedy on a hostile file then costs a refused upload,
 * not a blocked event loop (Kafka heartbeats, health checks, every other request).
 */
export async function parseDocument(input: DocumentInput, options: ParseOptions = {}): Promise<ParsedDocument> {
  checkSize(input);
  detectFormat(input.fileName, input.contentType); // refuse unsupported types without a thread
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { entry, evaluate } = workerEntry();
  const worker = new Worker(entry, {
    eval: evaluate,
    workerData: { fileName: input.fileName, contentType: input.contentType, title: input.title, data: new Uint8Array(input.data) },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    // Converters print warnings for many real-world files; they would interleave with the
    // service's JSON logs, so the worker's output is captured (and ignored) instead.
    stdout: true,
    stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = (await new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DocumentError(
              'UNREADABLE',
              `${input.fileName} took longer than ${timeoutMs / 1000} s to read; split it into smaller files`,
            ),
          ),
        timeoutMs,
      );
      worker.once('message', resolve);
      worker.once('error', (error: Error & { code?: string }) =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DocumentError(
                'TOO_LARGE',
                `${input.fileName} needs more than ${WORKER_HEAP_MB} MB of memory to read; split it into smaller files`,
              )
            : new DocumentError('UNREADABLE', `${input.fileName} could not be read (${error.message})`),
        ),
      );
      worker.once('exit', (code) =>
        reject(new DocumentError('UNREADABLE', `${input.fileName} could not be read (the reader stopped with exit code ${code})`)),
      );
    })) as { ok: true; document: ParsedDocument } | { ok: false; code: DocumentErrorCode; message: string; problems: string[] };
    if (reply.ok) return reply.document;
    throw new DocumentError(reply.code, reply.message, reply.problems.length > 0 ? reply.problems : [reply.message]);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/**
 * The worker's script. Built code runs dist/documents/document-worker.js. Run from the TypeScript
 * sources (Jest, ts tooling), the worker compiles them with swc as it loads them and resolves
 * @switchboard/* to libs/*\/src, as Jest does.
 */
function workerEntry(): { entry: string; evaluate: boolean } {
  if (__filename.endsWith('.js')) return { entry: path.join(__dirname, 'document-worker.js'), evaluate: false };
  const root = path.resolve(__dirname, '../../../..');
  const source = `
    const fs = require('node:fs'); const path = require('node:path'); const Module = require('node:module');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    const options = require(${JSON.stringify(path.join(root, 'scripts/swc-options.cjs'))});
    require.extensions['.ts'] = (module, filename) => module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: false }).code, filename);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const lib = request.startsWith('@switchboard/') ? request.slice('@switchboard/'.length) : '';
      const mapped = lib !== '' && !lib.includes('/') ? path.join(${JSON.stringify(path.join(root, 'libs'))}, lib, 'src') : request;
      return resolve.call(this, mapped, ...rest);
    };
    require(${JSON.stringify(path.join(__dirname, 'document-worker.ts'))});
  `;
  return { entry: source, evaluate: true };
}

function checkSize({ fileName, data }: DocumentInput): void {
  if (data.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentError(
      'TOO_LARGE',
      `${fileName} is ${(data.length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB, so split it into smaller files`,
    );
  }
}

/** parseDocument's work, on the calling thread: only for the worker thread it starts. */
export async function parseDocumentHere(input: DocumentInput): Promise<ParsedDocument> {
  const { fileName, data } = input;
  checkSize(input);
  const format = detectFormat(fileName, input.contentType);
  const fallbackTitle = path.parse(fileName).name || fileName;
  const givenTitle = input.title?.trim() || undefined;

  if (format.kind === 'faq') {
    const faqs = parseFaqFile(fileName, decodeText(fileName, data), format.faq ?? 'csv');
    const text = faqs.map((f) => `${f.question}\n${f.answer}`).join('\n');
    return { kind: 'faq', title: givenTitle ?? fallbackTitle, language: detectLanguage(text), markdown: '', faqs };
  }

  const converted = await toMarkdown(format.kind, fileName, data);
  const markdown = withoutNul(converted.markdown);
  const title = converted.title === undefined ? undefined : withoutNul(converted.title);
  if (!/[\p{L}\p{N}]/u.test(markdown)) {
    throw new DocumentError(
      'EMPTY',
      format.kind === 'pdf'
        ? `${fileName} has no text layer (it is probably scanned images); run OCR on it and upload it again`
        : `${fileName} contains no text`,
    );
  }
  return {
    kind: format.kind,
    title: givenTitle ?? title ?? fallbackTitle,
    language: detectLanguage(markdown),
    markdown,
    faqs: [],
  };
}

/**
 * The content type decides when it names a supported format; otherwise the extension does.
 * "application/octet-stream" and "text/plain" are what many clients send for any file, so a
 * known extension refines them: a .csv sent as text/plain is still an FAQ file.
 */
export function detectFormat(fileName: string, contentType?: string): DocumentFormat {
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = path.extname(fileName).toLowerCase();
  const byExtension = BY_EXTENSION[extension];
  const byType = BY_CONTENT_TYPE[mime];
  if (byType !== undefined && !(mime === 'text/plain' && byExtension !== undefined)) return byType;
  if (byExtension !== undefined) return byExtension;
  const hint = CONVERSION_HINTS[extension];
  const what = extension !== '' ? `${extension} files` : mime !== '' ? `${mime} content` : 'files without an extension';
  throw new DocumentError(
    'UNSUPPORTED_TYPE',
    `${fileName}: ${what} are not supported${hint === undefined ? '' : ` (${hint})`}; supported are ${SUPPORTED}`,
  );
}

async function toMarkdown(
  kind: Exclude<DocumentKind, 'faq'>,
  fileName: string,
  data: Buffer,
): Promise<{ markdown: string; title?: string }> {
  switch (kind) {
    case 'markdown': {
      const { body, title } = splitFrontMatter(decodeText(fileName, data));
      return { markdown: body.trim(), title: title ?? firstHeading(body, 1) };
    }
    case 'text':
      // Plain text is read as Markdown: blank lines separate paragraphs either way, and support
      // teams' "text" files often use Markdown headings and lists on purpose.
      return { markdown: decodeText(fileName, data).trim() };
    // The HTML and Word converters (node-html-parser, mammoth) are loaded here, in the worker
    // thread that needs them, not by every process that imports this module: ~0.1 s less for the
    // retrieval service to start.
    case 'html': {
      const { htmlToMarkdown } = await import('./html-to-markdown');
      const { markdown, title } = htmlToMarkdown(decodeText(fileName, data));
      // An <h1> is the document's own title; <title> often carries the site name as well.
      return { markdown, title: firstHeading(markdown, 1) ?? title };
    }
    case 'pdf': {
      const { pages, title } = await extractPdfText(fileName, data);
      const markdown = pdfPagesToMarkdown(pages);
      return { markdown, title: title ?? firstHeading(markdown, 1) };
    }
    case 'docx': {
      const { docxToMarkdown } = await import('./docx-to-markdown');
      const markdown = await docxToMarkdown(fileName, data);
      return { markdown, title: firstHeading(markdown) };
    }
  }
}

/**
 * The first heading of at most `maxLevel`, preferring the highest level found: a document's first
 * H1, else its first H2, and so on. Fenced code is skipped: a "# comment" there is not a heading.
 */
export function firstHeading(markdown: string, maxLevel = 6): string | undefined {
  const found: Array<string | undefined> = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const heading = parseAtxHeading(line);
    const level = heading?.level ?? 0;
    const text = heading?.text.replace(/(\*\*|__|`)/g, '').trim();
    if (level > 0 && level <= maxLevel && text !== undefined && text !== '' && found[level] === undefined) {
      found[level] = text;
    }
  }
  return found.find((title) => title !== undefined);
}

/**
 * YAML front matter is metadata, not content: left in, the chunker would index "title: …" lines
 * as a paragraph. Only its title is used.
 */
export function splitFrontMatter(text: string): { body: string; title?: string } {
  const match = /^---\n([\s\S]*?)\n(?:---|\.\.\.)(?:\n|$)/.exec(text);
  if (match === null) return { body: text };
  // Line by line rather than /^title:[ \t]*(.+?)[ \t]*$/m, whose lazy title retried the trailing
  // blanks from every position (quadratic in the line's length).
  const line = (match[1] ?? '').split('\n').find((l) => l.startsWith('title:'));
  const title = line
    ?.slice('title:'.length)
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  return { body: text.slice(match[0].length), title: title === '' ? undefined : title };
}
