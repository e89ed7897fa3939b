import { formatIntentCsv, parseIntentCsv } from './intent-csv';

describe('parseIntentCsv', () => {
  it('reads text,label rows, trimming both', () => {
    expect(parseIntentCsv('text,label\n where is my order , order_status \nhi,greeting\n')).toEqual([
      { text: 'where is my order', label: 'order_status' },
      { text: 'hi', label: 'greeting' },
    ]);
  });

  it('accepts BANKING77 columns (text,category), a BOM, a Buffer and extra columns', () => {
    const csv = Buffer.from('\uFEFFid,Text,Category\n1,I am still waiting on my card?,card_arrival\n');
    expect(parseIntentCsv(csv)).toEqual([{ text: 'I am still waiting on my card?', label: 'card_arrival' }]);
  });

  it('keeps quoted commas, quotes and line breaks inside one example', () => {
    const csv = 'text,label\n"Hi, my card\nhas not ""arrived""",card_arrival\nnext,other\n';
    expect(parseIntentCsv(csv)).toEqual([
      { text: 'Hi, my card\nhas not "arrived"', label: 'card_arrival' },
      { text: 'next', label: 'other' },
    ]);
  });

  it('names the row and column of an empty or missing label or text', () => {
    // Row 3 is the second example: the quoted line break keeps row 2 one row.
    expect(() => parseIntentCsv('text,label\n"a\nb",x\nc,\n')).toThrow('row 3, column "label": empty');
    expect(() => parseIntentCsv('text,category\nc\n')).toThrow('row 2, column "category": missing');
    expect(() => parseIntentCsv('text,label\nfine,x\n  ,y\n')).toThrow('row 3, column "text": empty');
  });

  it('rejects a file without the header columns, naming what is missing', () => {
    expect(() => parseIntentCsv('where is my order,order_status\n')).toThrow('row 1: missing header column "text"');
    expect(() => parseIntentCsv('text,intent_name\nhi,greeting\n')).toThrow('row 1: missing header column "label"');
    expect(() => parseIntentCsv('')).toThrow('empty file');
  });

  it('reports broken CSV as such', () => {
    expect(() => parseIntentCsv('text,label\n"unclosed,x\n')).toThrow(/^not valid CSV: /);
  });
});

describe('formatIntentCsv', () => {
  it('writes CSV that parses back to the same examples', () => {
    const examples = [
      { text: 'plain', label: 'a' },
      { text: 'with, comma and "quotes"', label: 'b' },
      { text: 'two\nlines', label: 'c' },
    ];
    const csv = formatIntentCsv(examples);
    expect(csv.startsWith('text,label\nplain,a\n"with, comma and ""quotes""",b\n')).toBe(true);
    expect(parseIntentCsv(csv)).toEqual(examples);
  });
});
