import mammoth from 'mammoth';
import { htmlToMarkdown } from './html-to-markdown';
import { DocumentError } from './parsed-document';
import { checkUnpackedSize } from './zip-budget';

// Mammoth's default style map already turns "Heading 1".."Heading 6" into <h1>..<h6>; Word's
// "Title" style is not in it and would otherwise come out as a plain paragraph.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

/**
 * DOCX → HTML (mammoth, which maps Word styles to semantic elements) → Markdown, so that Word
 * headings become Markdown headings and the chunker can scope chunks by section.
 */
export async function docxToMarkdown(fileName: string, data: Buffer): Promise<string> {
  checkUnpackedSize(fileName, data);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      {
        styleMap: STYLE_MAP,
        // Images are dropped from the Markdown anyway; returning no source stops mammoth from
        // base64-encoding every picture into the HTML first.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        // Uploaded files are untrusted: never follow links to files outside the document.
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch {
    // Mammoth's own messages are about zip internals (and carry a jszip URL), which tells the
    // uploader nothing; the usual causes are a damaged file or an old .doc renamed to .docx.
    throw new DocumentError(
      'UNREADABLE',
      `${fileName} is not a readable .docx file (damaged, or an older .doc renamed); ` +
        'open it in Word or LibreOffice, save it as .docx and upload it again',
    );
  }
  return htmlToMarkdown(html).markdown;
}
