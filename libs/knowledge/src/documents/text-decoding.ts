import { DocumentError } from './parsed-document';

/**
 * Decodes an uploaded text file. UTF-8 is expected; a byte-order mark is dropped (Excel and
 * Notepad write one, and it would otherwise end up in the first CSV header or heading). UTF-16
 * with a BOM is accepted too because Excel's "Unicode Text" export produces it.
 *
 * Invalid UTF-8 is refused rather than decoded with replacement characters: the usual cause is a
 * Chinese file saved as GBK, and silently ingesting mojibake would be far worse than asking for
 * a re-save. Line endings are normalised to "\n".
 */
export function decodeText(fileName: string, data: Buffer): string {
  let text: string;
  if (data[0] === 0xff && data[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(data.subarray(2));
  } else if (data[0] === 0xfe && data[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(data.subarray(2));
  } else {
    try {
      // ignoreBOM: false (the default) makes the decoder strip a UTF-8 BOM itself.
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      throw new DocumentError(
        'UNREADABLE',
        `${fileName} is not valid UTF-8 text; save it with UTF-8 encoding (in Excel: "CSV UTF-8") and upload it again`,
      );
    }
  }
  return withoutNul(text.replace(/\r\n?/g, '\n'));
}

/**
 * U+0000 means nothing in a document and Postgres text cannot hold it: a NUL in a file (binary junk
 * in a .txt, an unmapped glyph in a PDF) is dropped rather than failing the whole ingest.
 */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
