// ATX headings ("## Title ##") read without regular expressions. The patterns this replaces had a
// lazy title followed by optional trailing blanks, which retried the blank run from every
// position: "# a" + 40,000 spaces + "b" took seconds, growing with the square of the line.

export interface AtxHeading {
  level: number;
  /** The heading's text, trimmed, without the optional closing run of "#". */
  text: string;
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** The heading on this line, as CommonMark reads it (up to three spaces of indent), or undefined. */
export function parseAtxHeading(line: string): AtxHeading | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i += 1;
  let level = 0;
  while (line[i + level] === '#') level += 1;
  if (level < 1 || level > 6) return undefined;
  const start = i + level;
  if (start < line.length && !isBlank(line[start])) return undefined;
  let from = start;
  let to = line.length;
  while (from < to && isBlank(line[from])) from += 1;
  while (to > from && isBlank(line[to - 1])) to -= 1;
  // A closing sequence is a run of "#" that is the whole text or follows a blank.
  let hashes = to;
  while (hashes > from && line[hashes - 1] === '#') hashes -= 1;
  if (hashes === from) to = from;
  else if (hashes < to && isBlank(line[hashes - 1])) {
    to = hashes;
    while (to > from && isBlank(line[to - 1])) to -= 1;
  }
  return { level, text: line.slice(from, to) };
}
