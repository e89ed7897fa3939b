import { csvRowRange, rowOf } from './csv-rows';

describe('csvRowRange', () => {
  const at = (csv: string, row: number) => {
    const range = csvRowRange(csv, row);
    return range && csv.slice(...range);
  };

  it('counts the header as row 1 and skips blank lines', () => {
    const csv = 'text,label\nwhere is it,order_status\n\n\nrefund please,\r\nhi,greeting';
    expect(at(csv, 1)).toBe('text,label');
    expect(at(csv, 2)).toBe('where is it,order_status');
    expect(at(csv, 3)).toBe('refund please,');
    expect(at(csv, 4)).toBe('hi,greeting');
    expect(csvRowRange(csv, 5)).toBeUndefined();
  });

  it('keeps a quoted line break inside its row', () => {
    const csv = 'text,label\n"two\nlines, one row",order_status\nlast,';
    expect(at(csv, 2)).toBe('"two\nlines, one row",order_status');
    expect(at(csv, 3)).toBe('last,');
  });
});

describe('rowOf', () => {
  it('reads the row a problem names', () => {
    expect(rowOf('row 3, column "label": empty')).toBe(3);
    expect(rowOf('needs examples of at least two labels')).toBeUndefined();
  });
});
