// Where streamed reply text may be cut so that each piece is whole sentences: after `.`, `!` or
// `?` once whitespace follows (so "3.5" and "example.com" are not ends), after Chinese and
// Japanese full stops, exclamation and question marks, semicolons and ellipses, and after a line
// break. Closing quotes and brackets stay with their sentence. One linear scan: the text is the
// model's, and it is scanned again as every token arrives.
const LATIN_ENDS = new Set(['.', '!', '?']);
const CJK_ENDS = new Set(['。', '！', '？', '；', '…', '｡']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '）', '」', '』', '】', '》']);

/** How much of `text` ends with a complete sentence (0 when no sentence is complete yet). */
export function completeSentencesLength(text: string): number {
  let cut = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\n') {
      cut = i + 1;
      continue;
    }
    const cjk = CJK_ENDS.has(c);
    if (!cjk && !LATIN_ENDS.has(c)) continue;
    let next = i + 1;
    while (next < text.length && CLOSERS.has(text[next])) next += 1;
    // What follows is not written yet: a closing quote or a digit ("3.5") may still come.
    if (next === text.length) break;
    if (cjk || /\s/.test(text[next])) cut = next;
    i = next - 1;
  }
  return cut;
}
