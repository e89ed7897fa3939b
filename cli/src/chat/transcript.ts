// Prints a turn the way a support lead would want to read it.
import type { ChatEvent } from './chat.client';

const wrap = (text: string, indent: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? line : indent + line))
    .join('\n');

export function printTurn(customerText: string, events: ChatEvent[], write: (line: string) => void = console.log): void {
  write(`Customer    › ${customerText}`);
  for (const e of events) {
    if (e.kind === 'reply' && e.reply) {
      write(`Switchboard ‹ ${wrap(e.reply.text, '              ')}`);
      const label = e.reply.grounded ? `grounded, ${e.reply.mode}` : `not grounded, ${e.reply.mode}`;
      const sources = e.reply.sources.map((s, i) => `[${i + 1}] ${s.title}`).join('; ');
      write(`              (${label}${sources ? ` — sources: ${sources}` : ''})`);
    } else if (e.kind === 'handoff' && e.handoff) {
      write(`              → handed off to a human (${e.handoff.reason})`);
    } else if (e.kind === 'completed' && e.completed) {
      write(`              [turn completed in ${e.completed.durationMs} ms]`);
    }
  }
  write('');
}
