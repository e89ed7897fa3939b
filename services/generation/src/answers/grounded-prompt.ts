// The prompt holds only what the answer may rest on — the retrieved passages, the facts the
// conversation knows and, later, the results of the tools the model calls — plus the tenant's
// style guide. The model may answer from them, or say it cannot.
import type { StyleGuide } from '@switchboard/contracts';
import type { ChatMessage } from '../llm/llm.client';
import type { Passage } from './extractive-answerer';
import { estimateTokens, fitInBudget, MESSAGE_OVERHEAD_TOKENS } from './token-budget';

export const NO_ANSWER_MARKER = 'NO_ANSWER';

export interface PromptInput {
  question: string;
  locale: string;
  /** Best first; the lowest-ranked are dropped when the prompt would exceed its budget. */
  passages: Passage[];
  facts: Array<{ name: string; value: string }>;
  styleGuide?: StyleGuide;
  toolsOffered: boolean;
}

export interface GroundedPrompt {
  messages: ChatMessage[];
  /** The passages in the prompt, numbered as the model cites them: [1] is passages[0]. */
  passages: Passage[];
  tokens: number;
}

/**
 * Builds the prompt within `maxTokens`, counting `reservedTokens` (the tool definitions) as
 * already spent.
 */
export function groundedPrompt(input: PromptInput, maxTokens: number, reservedTokens = 0): GroundedPrompt {
  const header = systemHeader(input);
  const fixed = estimateTokens(header) + estimateTokens(input.question) + 2 * MESSAGE_OVERHEAD_TOKENS + reservedTokens;
  const sources = fitInBudget(input.passages, (p) => estimateTokens(formatSource(p, 99)), maxTokens - fixed);
  const system = [header, '', 'Sources:', sources.length > 0 ? sources.map((p, i) => formatSource(p, i + 1)).join('\n\n') : '(none)'].join(
    '\n',
  );
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: input.question },
    ],
    passages: sources,
    tokens: estimateTokens(system) + estimateTokens(input.question) + 2 * MESSAGE_OVERHEAD_TOKENS + reservedTokens,
  };
}

function systemHeader(input: PromptInput): string {
  const lines = [
    'You are a customer-service assistant. Answer ONLY from the numbered sources below, the known facts' +
      (input.toolsOffered ? ' and the results of the tools you call' : '') +
      '; never from your own knowledge.',
    'Cite every statement taken from a source with its number in square brackets, e.g. [1].',
    `If they do not answer the question, reply exactly ${NO_ANSWER_MARKER} and nothing else.`,
    'Never promise refunds, compensation or timelines the sources do not state.',
  ];
  if (input.toolsOffered) {
    lines.push(
      "Use the tools to look up the customer's orders and account when the question needs them.",
      "Actions that change an order or account need the customer's explicit confirmation: when a tool refuses one for that reason, say what you would do and ask the customer to confirm.",
    );
  }
  lines.push(`Reply in ${replyLanguage(input.locale, input.question)}, briefly and politely.`);
  const style = styleSection(input.styleGuide);
  if (style.length > 0) lines.push('', 'Style guide:', ...style);
  const facts = input.facts.filter((f) => f.name.trim() !== '' && f.value.trim() !== '');
  if (facts.length > 0) lines.push('', 'Known facts:', ...facts.map((f) => `- ${f.name}: ${f.value}`));
  return lines.join('\n');
}

function styleSection(guide: StyleGuide | undefined): string[] {
  if (!guide) return [];
  const lines: string[] = [];
  if (guide.tone) lines.push(`Tone: ${guide.tone}`);
  if (guide.rules.length > 0) lines.push('Rules:', ...guide.rules.map((r) => `- ${r}`));
  if (guide.forbiddenPromises.length > 0) lines.push('Never promise:', ...guide.forbiddenPromises.map((p) => `- ${p}`));
  if (guide.signOff) lines.push(`End every reply with: ${guide.signOff}`);
  return lines;
}

function formatSource(passage: Passage, n: number): string {
  return `[${n}] ${passage.title}\n${passage.text}`;
}

/** The language to answer in: the locale's when there is one, else what the question is written in. */
export function replyLanguage(locale: string, question: string): string {
  const fromLocale = languageName(locale);
  if (fromLocale) return fromLocale;
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(question)) return 'Japanese';
  if (/\p{Script=Hangul}/u.test(question)) return 'Korean';
  if (/\p{Script=Han}/u.test(question)) return 'Chinese';
  return "the language of the customer's message";
}

function languageName(locale: string): string | undefined {
  if (!locale.trim()) return undefined;
  try {
    const language = new Intl.Locale(locale.trim().replace(/_/g, '-')).language;
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(language);
    return name && name !== language ? name : undefined;
  } catch {
    return undefined; // not a BCP 47 tag; fall back to the question's script
  }
}

/** The passages an answer cites by number, in order of first citation, each once. */
export function citedPassages(text: string, numbered: Passage[]): Passage[] {
  const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => numbered[Number(m[1]) - 1]).filter((p): p is Passage => p !== undefined);
  return [...new Map(cited.map((p) => [p.id, p])).values()];
}

/** True when the model said the sources do not answer, allowing for stray punctuation. */
export function isNoAnswer(text: string): boolean {
  return new RegExp(`^${NO_ANSWER_MARKER}[\\s.!]*$`).test(text.trim());
}

/** True while streamed text could still turn out to be the no-answer marker. */
export function mightBeNoAnswer(text: string): boolean {
  const trimmed = text.trim();
  return NO_ANSWER_MARKER.startsWith(trimmed) || isNoAnswer(trimmed);
}
