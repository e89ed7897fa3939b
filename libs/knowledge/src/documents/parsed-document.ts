export type DocumentKind = 'markdown' | 'html' | 'text' | 'pdf' | 'docx' | 'faq';

/** One question-and-answer pair from an FAQ file, as the support team wrote it. */
export interface FaqEntry {
  faqId: string;
  question: string;
  /** Other phrasings of the same question; they match searches but are never shown as the answer. */
  altQuestions: string[];
  answer: string;
  /** Only approved entries may be quoted to customers; unreviewed ones default to false. */
  approved: boolean;
  tags: string[];
}

export interface ParsedDocument {
  kind: DocumentKind;
  title: string;
  /** 'en', 'zh', or 'und' when neither script clearly dominates. */
  language: string;
  /** Markdown for `chunkMarkdown`; '' for FAQ files, whose content is in `faqs`. */
  markdown: string;
  /** [] unless `kind` is 'faq'. */
  faqs: FaqEntry[];
}

/**
 * Why a document was refused. 'TOO_LARGE' is separate from 'UNREADABLE' because the fix differs
 * (split the file, versus repair or re-export it) and callers may map it to HTTP 413.
 */
export type DocumentErrorCode = 'UNSUPPORTED_TYPE' | 'UNREADABLE' | 'INVALID_FAQ' | 'EMPTY' | 'TOO_LARGE';

/**
 * A document that cannot be ingested. The message is meant for the person who uploaded the file:
 * it names the file (and row, for FAQs) and says what to change.
 */
export class DocumentError extends Error {
  /** Every problem found, when there were several (an FAQ file is checked as a whole). */
  readonly problems: string[];

  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    problems: string[] = [message],
  ) {
    super(message);
    this.name = 'DocumentError';
    this.problems = problems;
  }
}
