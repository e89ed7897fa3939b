// The prompt holds only the retrieved passages: the model may answer from them or say it cannot.
import type { ChatMessage } from '../llm/llm.client';
import type { Passage } from './extractive-answerer';

export const NO_ANSWER_MARKER = 'NO_ANSWER';

export function groundedPrompt(question: string, passages: Passage[], locale: string): ChatMessage[] {
  const sources = passages.map((p, i) => `[${i + 1}] ${p.title}\n${p.text}`).join('\n\n');
  return [
    {
      role: 'system',
      content: [
        'You are a customer-service assistant. Answer ONLY from the numbered sources below.',
        'Cite every fact with its source number in square brackets, e.g. [1].',
        `If the sources do not answer the question, reply exactly ${NO_ANSWER_MARKER}.`,
        'Never promise refunds, compensation or timelines the sources do not state.',
        `Reply in the customer's language${locale ? ` (${locale})` : ''}, briefly and politely.`,
        '',
        'Sources:',
        sources || '(none)',
      ].join('\n'),
    },
    { role: 'user', content: question },
  ];
}
