import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { chunkMarkdown } from '../markdown-chunker';
import { MAX_DOCUMENT_BYTES, detectFormat, firstHeading, parseDocument, splitFrontMatter } from './document-parser';
import { DocumentError, ParsedDocument } from './parsed-document';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

async function documentError(promise: Promise<ParsedDocument>): Promise<DocumentError> {
  const error = await promise.catch((e: unknown) => e);
  if (error instanceof DocumentError) return error;
  throw new Error(`expected a DocumentError, got ${String(error)}`);
}

async function pdfWithLines(lines: string[], title?: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  if (title !== undefined) doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([420, 600]);
  lines.forEach((text, i) => page.drawText(text, { x: 50, y: 550 - i * 16, size: 11, font }));
  return Buffer.from(await doc.save());
}

describe('detectFormat', () => {
  it.each([
    ['a.md', undefined, 'markdown'],
    ['a.MARKDOWN', undefined, 'markdown'],
    ['a.htm', undefined, 'html'],
    ['a.txt', undefined, 'text'],
    ['a.pdf', undefined, 'pdf'],
    ['a.docx', undefined, 'docx'],
    ['a.csv', undefined, 'faq'],
    ['a.json', undefined, 'faq'],
    // The content type wins when it names a format...
    ['upload', 'text/html; charset=utf-8', 'html'],
    ['a.txt', 'application/pdf', 'pdf'],
    // ...but generic types, which clients send for anything, defer to the extension.
    ['a.csv', 'text/plain', 'faq'],
    ['a.md', 'application/octet-stream', 'markdown'],
  ])('%s (%s) → %s', (fileName, contentType, kind) => {
    expect(detectFormat(fileName, contentType).kind).toBe(kind);
  });

  it('tells CSV and JSON FAQ files apart', () => {
    expect(detectFormat('faq', 'text/csv').faq).toBe('csv');
    expect(detectFormat('faq.json').faq).toBe('json');
  });

  it('refuses unknown types, listing what is supported and how to convert common ones', () => {
    expect(() => detectFormat('notes.doc')).toThrow(
      'notes.doc: .doc files are not supported (save it as .docx); supported are Markdown (.md, .markdown), HTML (.html, .htm), ' +
        'plain text (.txt), PDF (.pdf), Word (.docx), FAQ (.csv, .json)',
    );
    expect(() => detectFormat('photo.png', 'image/png')).toThrow(/^photo\.png: \.png files are not supported; supported are/);
    expect(() => detectFormat('README')).toThrow(/^README: files without an extension are not supported/);
  });
});

describe('parseDocument', () => {
  it('passes Markdown through, taking the title from the first H1 and dropping front matter', async () => {
    const md = '\uFEFF---\nauthor: ops\n---\nIntro line.\n\n# Returns\r\n\r\nReturn within 30 days.\n';
    expect(await parseDocument({ fileName: 'returns.md', data: utf8(md) })).toEqual({
      kind: 'markdown',
      title: 'Returns',
      language: 'en',
      markdown: 'Intro line.\n\n# Returns\n\nReturn within 30 days.',
      faqs: [],
    });
    const titled = await parseDocument({ fileName: 'x.md', data: utf8('---\ntitle: "Refund policy"\n---\n## Cards\n\nText.') });
    expect(titled.title).toBe('Refund policy');
  });

  it('prefers a given title, and falls back to the file name', async () => {
    expect((await parseDocument({ fileName: 'a.md', data: utf8('# H1\n\nText.'), title: ' Mine ' })).title).toBe('Mine');
    expect((await parseDocument({ fileName: 'shipping-faq.v2.txt', data: utf8('Just text.') })).title).toBe('shipping-faq.v2');
  });

  it('drops NUL characters, which mean nothing in a document and Postgres cannot store', async () => {
    const doc = await parseDocument({ fileName: 'junk.txt', data: utf8('Gift\u0000 wrapping is free.\u0000') });
    expect(doc.markdown).toBe('Gift wrapping is free.');
    const faq = await parseDocument({ fileName: 'faq.csv', data: utf8('faq_id,question,answer\ngift,Can I gift\u0000 wrap?,Yes.\n') });
    expect(faq.faqs[0].question).toBe('Can I gift wrap?');
  });

  it('detects Chinese documents', async () => {
    const doc = await parseDocument({ fileName: '退货.md', data: utf8('# 退货政策\n\n您可以在收到商品后三十天内申请退货。') });
    expect(doc.language).toBe('zh');
    expect(doc.title).toBe('退货政策');
  });

  it('converts HTML, preferring the page H1 over <title>', async () => {
    const html = '<html><head><title>Help Center</title></head><body><h1>Returns</h1><p>Within 30 days.</p></body></html>';
    const doc = await parseDocument({ fileName: 'returns.html', data: utf8(html) });
    expect(doc).toMatchObject({ kind: 'html', title: 'Returns', markdown: '# Returns\n\nWithin 30 days.' });
    const noH1 = await parseDocument({ fileName: 'p.html', data: utf8('<title>Help Center</title><p>Text.</p>') });
    expect(noH1.title).toBe('Help Center');
  });

  it('reads a PDF, titled by its metadata or else its first line', async () => {
    const lines = ['Warranty', 'Every device comes with a two-year warranty. Keep your receipt.'];
    const titled = await parseDocument({ fileName: 'w.pdf', data: await pdfWithLines(lines, 'Warranty Terms 2024') });
    expect(titled).toMatchObject({ kind: 'pdf', title: 'Warranty Terms 2024', language: 'en' });
    expect(titled.markdown).toBe(`# Warranty\n\n${lines[1]}`);
    expect((await parseDocument({ fileName: 'w.pdf', data: await pdfWithLines(lines) })).title).toBe('Warranty');
  });

  it('reads a DOCX, titled by its first heading', async () => {
    const docx = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Intro without heading style.' }),
            new Paragraph({ text: 'Exchanges', heading: HeadingLevel.HEADING_2 }),
            new Paragraph({ text: 'Exchange for another size within 14 days.' }),
          ],
        },
      ],
    });
    const doc = await parseDocument({ fileName: 'exchanges.docx', data: await Packer.toBuffer(docx) });
    expect(doc).toMatchObject({
      kind: 'docx',
      title: 'Exchanges',
      markdown: 'Intro without heading style.\n\n## Exchanges\n\nExchange for another size within 14 days.',
    });
  });

  it('reads FAQ files, with language from the questions and answers', async () => {
    const csv =
      'faq_id,question,alt_questions,answer,approved,tags\n"Z-1","如何申请退货？","怎么退货|退货流程","请在订单页面点击""退货""，\n然后选择退货原因。",true,退货\n';
    const doc = await parseDocument({ fileName: '常见问题.csv', contentType: 'text/csv', data: utf8(csv) });
    expect(doc).toEqual({
      kind: 'faq',
      title: '常见问题',
      language: 'zh',
      markdown: '',
      faqs: [
        {
          faqId: 'Z-1',
          question: '如何申请退货？',
          altQuestions: ['怎么退货', '退货流程'],
          answer: '请在订单页面点击"退货"，\n然后选择退货原因。',
          approved: true,
          tags: ['退货'],
        },
      ],
    });
    const en = await parseDocument({ fileName: 'faq.json', data: utf8('[{"id":"1","question":"Hours?","answer":"9 to 5."}]') });
    expect(en).toMatchObject({ kind: 'faq', language: 'en', title: 'faq' });
  });

  it('refuses files over 20 MB before reading them', async () => {
    const error = await documentError(parseDocument({ fileName: 'big.pdf', data: Buffer.alloc(MAX_DOCUMENT_BYTES + 1) }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('big.pdf is 20.0 MB; the limit is 20 MB, so split it into smaller files');
  });

  it('refuses documents without text', async () => {
    const blankPdf = await documentError(parseDocument({ fileName: 'scan.pdf', data: await pdfWithLines([]) }));
    expect(blankPdf.code).toBe('EMPTY');
    expect(blankPdf.message).toMatch(/^scan\.pdf has no text layer .*run OCR/);
    const blankHtml = await documentError(parseDocument({ fileName: 'x.html', data: utf8('<script>only()</script>') }));
    expect(blankHtml.message).toBe('x.html contains no text');
  });

  it('surfaces format errors with the file name', async () => {
    expect((await documentError(parseDocument({ fileName: 'a.pdf', data: utf8('nope') }))).code).toBe('UNREADABLE');
    expect((await documentError(parseDocument({ fileName: 'a.xlsx', data: utf8('x') }))).code).toBe('UNSUPPORTED_TYPE');
    const faq = await documentError(parseDocument({ fileName: 'faq.csv', data: utf8('faq_id,question,answer\nA,,x\n') }));
    expect(faq).toMatchObject({ code: 'INVALID_FAQ', message: 'faq.csv row 2: question is empty' });
  });
});

describe('hostile uploads', () => {
  // "# a", a long run of blanks, then "b": the lazy heading patterns retried the run from every
  // position (~3 s at 40,000 spaces, quadratic; a 1 MB line about half an hour).
  const line = `# a${' '.repeat(1024 * 1024)}b`;

  it('reads a 1 MB heading line, front-matter title and chunker heading in linear time', () => {
    const started = performance.now();
    expect(firstHeading(line)).toBe(`a${' '.repeat(1024 * 1024)}b`);
    expect(splitFrontMatter(`---\ntitle: ${line.slice(2)}\n---\nBody`).title).toBe(line.slice(2));
    expect(chunkMarkdown('d', `${line}\n\nText.`)[0].sectionPath).toEqual([line.slice(2)]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reads every format in a worker with a time limit, so the event loop stays free', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const doc = await parseDocument({ fileName: 'big.md', data: utf8(`# Title\n\n${'Some text. '.repeat(400_000)}`) });
    clearInterval(timer);
    expect(doc.title).toBe('Title');
    expect(ticks).toBeGreaterThan(0);
    const slow = await documentError(parseDocument({ fileName: 'slow.md', data: utf8('# T\n\ntext') }, { timeoutMs: 1 }));
    expect(slow).toMatchObject({ code: 'UNREADABLE', message: 'slow.md took longer than 0.001 s to read; split it into smaller files' });
  });
});

describe('firstHeading', () => {
  it('prefers the highest level and skips code fences', () => {
    expect(firstHeading('```\n# not a heading\n```\n## Second\n# First ##')).toBe('First');
    expect(firstHeading('## Only **H2**')).toBe('Only H2');
    expect(firstHeading('## Only H2', 1)).toBeUndefined();
  });
});
