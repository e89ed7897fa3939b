// The public surface of document parsing; the per-format modules are implementation details.
export { parseDocument, detectFormat, MAX_DOCUMENT_BYTES } from './document-parser';
export type { DocumentInput, DocumentFormat } from './document-parser';
export { DocumentError } from './parsed-document';
export type { DocumentErrorCode, DocumentKind, FaqEntry, ParsedDocument } from './parsed-document';
