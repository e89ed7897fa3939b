// Replaces spans of a text with placeholders such as [EMAIL]. Overlapping spans collapse into the
// first one, so a placeholder never lands inside another.

export interface Redaction {
  start: number;
  end: number;
  placeholder: string;
}

export function applyRedactions(text: string, redactions: Redaction[]): string {
  const ordered = [...redactions].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const r of ordered) {
    if (r.start < cursor) {
      if (r.end > cursor) cursor = r.end; // overlaps the previous placeholder: swallowed by it
      continue;
    }
    out += text.slice(cursor, r.start) + r.placeholder;
    cursor = r.end;
  }
  return out + text.slice(cursor);
}
