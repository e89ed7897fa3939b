import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { chunkMarkdown } from '../markdown-chunker';
import { docxToMarkdown } from './docx-to-markdown';
import { DocumentError } from './parsed-document';

async function buildDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Shipping Guide', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: 'Delivery times', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('Standard delivery takes '),
              new TextRun({ text: '3–5 business days', bold: true }),
              new TextRun('. Express delivery arrives the next day.'),
            ],
          }),
          new Paragraph({ text: 'Tracking', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'You get a tracking link by email once the parcel ships.' }),
          new Paragraph({ text: 'Open the email.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Tap Track parcel.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Sign in if asked.', bullet: { level: 1 } }),
          new Table({
            rows: [
              new TableRow({ children: ['Zone', 'Price'].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
              new TableRow({ children: ['EU', '€5'].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('docxToMarkdown', () => {
  let markdown: string;
  beforeAll(async () => {
    markdown = await docxToMarkdown('shipping.docx', await buildDocx());
  });

  it('keeps Word headings as Markdown headings, with paragraphs, lists and tables', () => {
    expect(markdown).toBe(
      [
        '# Shipping Guide',
        '# Delivery times',
        'Standard delivery takes 3–5 business days. Express delivery arrives the next day.',
        '## Tracking',
        'You get a tracking link by email once the parcel ships.',
        '- Open the email.\n- Tap Track parcel.\n  - Sign in if asked.',
        'Zone | Price\nEU | €5',
      ].join('\n\n'),
    );
  });

  it('chunks under the Word headings', () => {
    const paths = chunkMarkdown('shipping', markdown).map((c) => c.sectionPath.join(' > '));
    expect(paths).toEqual(['Delivery times', 'Delivery times > Tracking']);
  });

  it('refuses a file that is not a DOCX, naming it', async () => {
    const error = await docxToMarkdown('old.docx', Buffer.from('PK? no, a .doc from 1997')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe('UNREADABLE');
    expect((error as DocumentError).message).toMatch(/^old\.docx is not a readable \.docx file/);
  });

  it('refuses a small DOCX that unpacks to megabytes before converting it (a zip bomb)', async () => {
    // One paragraph of 4 MiB of one letter compresses to a few KiB: the shape of the 13 KiB file
    // that took mammoth 4 s and 413 MiB.
    const bomb = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('a'.repeat(4 * 1024 * 1024))] }] }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const started = performance.now();
    const error = await docxToMarkdown('bomb.docx', bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe('TOO_LARGE');
    expect((error as DocumentError).message).toMatch(/^bomb\.docx unpacks to more than 1\.\d MB/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
