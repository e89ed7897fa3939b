// Where a CSV row the gateway names ("row 3, column "label": empty") stands in the text being
// edited, so the Intents screen can select it. Rows count as the conversation service's parser
// counts them (libs/nlu/src/intent-csv.ts): records from the header as row 1, a quoted field's line
// breaks inside its record, blank lines skipped.

/** The start and end offsets of record `row` in `csv` (without its line break), if it has one. */
export function csvRowRange(csv: string, row: number): [number, number] | undefined {
  let seen = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= csv.length; i++) {
    const c = csv[i];
    if (c === '"') quoted = !quoted;
    else if (i === csv.length || (c === '\n' && !quoted)) {
      const end = csv[i - 1] === '\r' ? i - 1 : i;
      if (csv.slice(start, end).trim() !== '' && ++seen === row) return [start, end];
      start = i + 1;
    }
  }
  return undefined;
}

/** The row a problem names ("row 3, column …"), if any. */
export const rowOf = (problem: string | undefined) => {
  const match = /\brow (\d+)\b/.exec(problem ?? '');
  return match ? Number(match[1]) : undefined;
};
