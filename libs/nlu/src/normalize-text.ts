// Text as customers type it on phones and Chinese keyboards: full-width digits and letters
// ("＃Ｗ２３７８１５６"), ideographic spaces, odd runs of whitespace. Entity patterns are written for
// the plain form; the offset map lets every match point back into the text the customer sent.

export interface NormalizedText {
  /** NFKC per character (full-width -> half-width), whitespace runs collapsed to one space, trimmed. */
  readonly text: string;
  /** `offsets[i]` is where normalised UTF-16 unit `i` came from in the raw text; one extra entry = raw length. */
  readonly offsets: readonly number[];
}

/** The normalised text alone. */
export function normalizeText(raw: string): string {
  return normalizeWithOffsets(raw).text;
}

/**
 * Normalises `raw` one code point at a time (so every output character knows its source), which
 * equals whole-string NFKC except where combining marks would have been composed with a preceding
 * letter — irrelevant to the digits, Latin letters and punctuation entities are made of.
 */
export function normalizeWithOffsets(raw: string): NormalizedText {
  let text = '';
  const offsets: number[] = [];
  let pendingSpace = -1; // raw offset of a whitespace run not yet written
  let index = 0;
  for (const char of raw) {
    const mapped = char.normalize('NFKC');
    if (/^\s+$/u.test(mapped)) {
      if (pendingSpace < 0) pendingSpace = index;
    } else {
      if (pendingSpace >= 0 && text.length > 0) {
        text += ' ';
        offsets.push(pendingSpace);
      }
      pendingSpace = -1;
      for (let k = 0; k < mapped.length; k++) offsets.push(index);
      text += mapped;
    }
    index += char.length;
  }
  offsets.push(pendingSpace >= 0 ? pendingSpace : raw.length);
  return { text, offsets };
}

/** The span of `raw` that normalised span [start, end) came from. */
export function rawSpan(raw: string, normalized: NormalizedText, start: number, end: number): { start: number; end: number } {
  const lastSource = normalized.offsets[end - 1];
  // Just past the raw code point that produced the last normalised unit.
  const width = (raw.codePointAt(lastSource) ?? 0) > 0xffff ? 2 : 1;
  return { start: normalized.offsets[start], end: lastSource + width };
}
