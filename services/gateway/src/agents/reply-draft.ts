// An extractive draft reply for the agent, from what the knowledge base found for the customer's
// last message: the approved answer when one matched, else the top relevant passage's opening
// sentences. The agent reads, edits and sends it; nothing here reaches the customer by itself.
import type { SearchResult } from '@switchboard/contracts';

const MAX_DRAFT_CHARS = 600;

export function draftReply(result: Pick<SearchResult, 'passages' | 'standardAnswer'>): string {
  if (result.standardAnswer?.answer) return result.standardAnswer.answer.trim();
  const passage = result.passages.find((p) => p.relevant) ?? result.passages[0];
  if (!passage) return '';
  // Headings and list markers are the document's layout, not something to say to a customer.
  const prose = passage.text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .map((line) => line.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim())
    .filter(Boolean)
    .join(' ');
  // Split after each sentence end (one pass), and keep the pieces that end one: a trailing
  // fragment without an end is not a sentence (the whole text is, when nothing ends).
  const ended = prose.split(/(?<=[.!?。！？])(?![.!?。！？])/).filter((piece) => /[.!?。！？]$/.test(piece));
  const sentences = ended.length > 0 ? ended : [prose];
  let draft = '';
  for (const sentence of sentences) {
    if (draft && draft.length + sentence.length > MAX_DRAFT_CHARS) break;
    draft += sentence;
    if (draft.length >= 200) break;
  }
  return draft.trim().slice(0, MAX_DRAFT_CHARS);
}
