// Turns a parsed document into the units that are embedded and searched: prose chunks (with their
// section path as context) and FAQ phrasings (each question and alternative, plus the answer).
import { createHash } from 'node:crypto';
import { tokenize } from '@switchboard/text';
import { chunkMarkdown, withSectionContext } from './markdown-chunker';
import type { FaqEntry, ParsedDocument } from './documents/parsed-document';

export interface KnowledgeUnit {
  /** Stable within a document version: `${documentId}#${position}`. */
  id: string;
  position: number;
  /** What the customer is shown and what answers quote: a chunk, or an FAQ's answer. */
  text: string;
  title: string;
  /** What is embedded: the chunk with its headings, or one phrasing of an FAQ question. */
  embedText: string;
  /** Keyword field: tokenizer output joined by spaces. */
  keywords: string;
  faqId: string;
  /** For FAQ units: the entry, so a standard answer can be given as is. */
  faq?: FaqEntry;
}

export function unitsOf(documentId: string, doc: ParsedDocument): KnowledgeUnit[] {
  if (doc.kind === 'faq') return doc.faqs.flatMap((faq, i) => faqUnits(documentId, faq, i * 100, doc.title));
  return chunkMarkdown(documentId, doc.markdown).map((chunk) => {
    const title = [doc.title, ...chunk.sectionPath.filter((s, i) => !(i === 0 && s === doc.title))].join(' > ');
    const embedText = withSectionContext({
      text: chunk.text,
      sectionPath: [doc.title, ...chunk.sectionPath.filter((s, i) => !(i === 0 && s === doc.title))],
    });
    return { id: chunk.id, position: chunk.position, text: chunk.text, title, embedText, keywords: keywordsOf(embedText), faqId: '' };
  });
}

/**
 * One unit per phrasing of the question, and one for the answer: a customer may echo either.
 * Positions leave room for 99 phrasings per entry.
 */
function faqUnits(documentId: string, faq: FaqEntry, base: number, docTitle: string): KnowledgeUnit[] {
  const shown = faq.answer;
  const phrasings = [faq.question, ...faq.altQuestions].slice(0, 98);
  const units = phrasings.map((phrasing, i) => ({
    id: `${documentId}#${base + i}`,
    position: base + i,
    text: shown,
    title: `${docTitle} > ${faq.question}`,
    embedText: phrasing,
    keywords: keywordsOf(`${phrasing} ${faq.question}`),
    faqId: faq.faqId,
    faq,
  }));
  // An answer that only repeats a phrasing (question-only FAQs) is not a second view: counted
  // twice, it would lift its entry above entries whose second view is a real alternative.
  const repeats = phrasings.some((p) => sameText(p, faq.answer));
  if (!repeats)
    units.push({
      id: `${documentId}#${base + 99}`,
      position: base + 99,
      text: shown,
      title: `${docTitle} > ${faq.question}`,
      embedText: faq.answer,
      keywords: keywordsOf(faq.answer),
      faqId: faq.faqId,
      faq,
    });
  return units;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}]+/gu, '');
  return norm(a) === norm(b);
}

const MAX_TRIGRAM_WORD = 40;

/**
 * The keyword field: our tokens, plus character trigrams of longer Latin words so a misspelling
 * ("cancle", "adress") still shares most of its trigrams with the word it meant.
 */
export function keywordsOf(text: string): string {
  const tokens = tokenize(text);
  const trigrams = tokens
    // Lengths first: V8 runs out of stack matching {5,} on a multi-megabyte token, and a "word" of
    // more than 40 letters is no word anyone misspells (its trigrams would only cost memory).
    .filter((t) => t.length >= 5 && t.length <= MAX_TRIGRAM_WORD && /^[a-z]+$/.test(t))
    .flatMap((word) => {
      const padded = `<${word}>`;
      return Array.from({ length: padded.length - 2 }, (_, i) => `~${padded.slice(i, i + 3)}`);
    });
  return [...tokens, ...trigrams].join(' ');
}

/** Identifies an embedding: the same text under the same model never needs embedding again. */
export function contentHash(model: string, embedText: string): string {
  return createHash('sha256').update(model).update('\u0000').update(embedText).digest('hex');
}
