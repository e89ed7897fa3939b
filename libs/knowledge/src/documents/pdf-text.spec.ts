import { PDFDocument, PDFFont, StandardFonts } from 'pdf-lib';
import { splitSentences } from '@switchboard/text';
import { chunkMarkdown } from '../markdown-chunker';
import { DocumentError } from './parsed-document';
import { extractPdfText, pdfPagesToMarkdown } from './pdf-text';

interface PdfBlock {
  kind: 'title' | 'heading' | 'paragraph' | 'bullet';
  text: string;
}

const PAGE_WIDTH = 420;
const MARGIN = 50;

/**
 * Lays out real PDF pages the way a word processor would (wrapped lines, page breaks wherever the
 * page is full, page numbers in the footer), so the heuristics are tested on genuine pdf.js output.
 */
async function buildPdf(blocks: PdfBlock[], options: { title?: string; pageHeight?: number } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  if (options.title !== undefined) doc.setTitle(options.title);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pageHeight = options.pageHeight ?? 600;
  let page = doc.addPage([PAGE_WIDTH, pageHeight]);
  let y = pageHeight - MARGIN;
  const draw = (text: string, font: PDFFont, size: number, x = MARGIN): void => {
    if (y < MARGIN + size) {
      page = doc.addPage([PAGE_WIDTH, pageHeight]);
      y = pageHeight - MARGIN;
    }
    page.drawText(text, { x, y, size, font });
    y -= size * 1.4;
  };
  for (const block of blocks) {
    if (block.kind === 'title') {
      draw(block.text, bold, 20);
    } else if (block.kind === 'heading') {
      y -= 6;
      draw(block.text, bold, 14);
    } else {
      const indent = block.kind === 'bullet' ? 12 : 0;
      const text = block.kind === 'bullet' ? `• ${block.text}` : block.text;
      for (const line of wrap(text, regular, 11, PAGE_WIDTH - 2 * MARGIN - indent)) draw(line, regular, 11, MARGIN + indent);
      if (block.kind === 'paragraph') y -= 6;
    }
  }
  doc.getPages().forEach((p, i) => p.drawText(String(i + 1), { x: PAGE_WIDTH / 2, y: 20, size: 9, font: regular }));
  return Buffer.from(await doc.save());
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (current !== '' && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

const RETURNING =
  'You can return most items within 30 days of delivery. The item must be unused and in its original packaging, ' +
  'with all accessories included. Start a return from the Orders page in your account. We email a prepaid ' +
  'shipping label within one business day.';
const FINAL_SALE = 'Items marked as final sale cannot be returned. Gift cards are not refundable either.';
const REFUNDS =
  'Refunds go to the original payment method. Card refunds take five to ten business days to appear on your ' +
  'statement. Store credit is added to your account as soon as the return is scanned at our warehouse. If you ' +
  'paid with a gift card, the refund goes back to a new gift card.';

const POLICY: PdfBlock[] = [
  { kind: 'title', text: 'Returns Policy' },
  { kind: 'heading', text: 'Returning an item' },
  { kind: 'paragraph', text: RETURNING },
  { kind: 'paragraph', text: FINAL_SALE },
  { kind: 'bullet', text: 'Open the order.' },
  { kind: 'bullet', text: 'Choose the items you want to send back and tell us why, so that we can improve our products.' },
  { kind: 'heading', text: 'Refunds' },
  { kind: 'paragraph', text: REFUNDS },
];

describe('extractPdfText + pdfPagesToMarkdown on a generated two-page PDF', () => {
  let pages: string[];
  let title: string | undefined;
  let markdown: string;

  beforeAll(async () => {
    // A short page forces a page break in the middle of a list item.
    ({ pages, title } = await extractPdfText('policy.pdf', await buildPdf(POLICY, { title: 'Returns Policy', pageHeight: 300 })));
    markdown = pdfPagesToMarkdown(pages);
  });

  it('reads both pages and the metadata title', () => {
    expect(pages).toHaveLength(2);
    expect(title).toBe('Returns Policy');
  });

  it('turns the title and section headings into Markdown headings', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual(['# Returns Policy', '## Returning an item', '## Refunds']);
  });

  it('rebuilds paragraphs and list items in order, across the page break, without page numbers', () => {
    expect(markdown).toBe(
      [
        '# Returns Policy',
        '## Returning an item',
        RETURNING,
        FINAL_SALE,
        '- Open the order.\n- Choose the items you want to send back and tell us why, so that we can improve our products.',
        '## Refunds',
        REFUNDS,
      ].join('\n\n'),
    );
  });

  it('chunks into one section per heading with every sentence intact', () => {
    const chunks = chunkMarkdown('policy', markdown, { maxChars: 300 });
    expect(new Set(chunks.map((c) => c.sectionPath.join(' > ')))).toEqual(
      new Set(['Returns Policy > Returning an item', 'Returns Policy > Refunds']),
    );
    const chunkSentences = new Set(chunks.flatMap((c) => splitSentences(c.text)));
    for (const sentence of splitSentences([RETURNING, FINAL_SALE, REFUNDS].join(' '))) {
      expect(chunkSentences).toContain(sentence);
    }
    const refunds = chunks
      .filter((c) => c.sectionPath.includes('Refunds'))
      .map((c) => c.text)
      .join(' ');
    expect(refunds).toContain('Refunds go to the original payment method.');
    expect(refunds).not.toContain('Open the order');
  });

  it('leaves the title to the first line when the PDF has no metadata title', async () => {
    const result = await extractPdfText('untitled.pdf', await buildPdf(POLICY));
    expect(result.title).toBeUndefined();
    expect(pdfPagesToMarkdown(result.pages).split('\n')[0]).toBe('# Returns Policy');
  });
});

describe('extractPdfText failures', () => {
  it('refuses a file that is not a PDF', async () => {
    const error = await extractPdfText('notes.pdf', Buffer.from('just some text, not a PDF')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe('UNREADABLE');
    expect((error as DocumentError).message).toMatch(/^notes\.pdf is not a valid PDF/);
  });

  it('gives up on a PDF that takes too long', async () => {
    const pdf = await buildPdf(POLICY);
    const error = await extractPdfText('slow.pdf', pdf, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect((error as DocumentError).message).toMatch(/^slow\.pdf took longer than/);
  });
});

describe('pdfPagesToMarkdown heuristics', () => {
  const full = 'The quick brown fox jumps over the lazy dog and keeps on running';

  it('joins words hyphenated at a line end and keeps real hyphens', () => {
    const markdown = pdfPagesToMarkdown([`${full} to the un-\nused barn near the COVID-\n19 testing site.`]);
    expect(markdown).toBe(`${full} to the unused barn near the COVID-19 testing site.`);
  });

  it('drops running headers and page numbers, and joins a sentence split by a page break', () => {
    const pages = [1, 2, 3].map((n) => `ACME Support Handbook\n${full} and then\nstops at page ${n} for a rest before it\nPage ${n} of 3`);
    const markdown = pdfPagesToMarkdown(pages);
    expect(markdown).not.toMatch(/ACME|Page \d of 3/);
    expect(markdown).toContain('for a rest before it The quick brown fox');
  });

  it('does not turn a run of short lines (an address, a list) into headings', () => {
    const markdown = pdfPagesToMarkdown([
      `Send returns to our warehouse at the address below, using the label we email you.\nACME Returns\n1 Harbour Road\nSpringfield\n${full}. ${full}.`,
    ]);
    expect(markdown).not.toMatch(/^#/m);
  });

  it('trusts no headings when most lines look like them', () => {
    const markdown = pdfPagesToMarkdown(['Name\nAlice Smith\nOrder\nA-1001\nStatus\nShipped today.']);
    expect(markdown).not.toMatch(/^#/m);
  });

  it('joins wrapped Chinese lines without a space and keeps table rows as lines', () => {
    const markdown = pdfPagesToMarkdown([
      '退货政策\n您可以在收到商品后三十天内申请退货，商品必须保持\n未使用状态。退款将原路返回。\n方式\t时效\n银行卡\t五到十个工作日',
    ]);
    expect(markdown).toBe(
      '# 退货政策\n\n您可以在收到商品后三十天内申请退货，商品必须保持未使用状态。退款将原路返回。\n\n方式 | 时效\n银行卡 | 五到十个工作日',
    );
  });
});
