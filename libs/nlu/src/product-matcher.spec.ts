import { ProductMatcher } from './product-matcher';

// Product names as an order's items carry them (tau-bench retail spellings).
const matcher = new ProductMatcher([
  'T-Shirt',
  'Bluetooth Speaker',
  'Office Chair',
  'Laptop',
  'Bookshelf',
  'Smart Watch',
  'Wristwatch',
  'Desk Lamp',
]);
const names = (text: string) => matcher.find(text).map((m) => m.name);

describe('ProductMatcher', () => {
  it('matches catalogue names through typos, spacing, hyphens, case and plurals', () => {
    expect(names('I want to return the t-shirts')).toEqual(['T-Shirt']);
    expect(names('my TSHIRT is torn')).toEqual(['T-Shirt']);
    expect(names('the blutooth speker stopped working')).toEqual(['Bluetooth Speaker']);
    expect(names('the ofice chair wobbles')).toEqual(['Office Chair']);
    expect(names('is the labtop in stock')).toEqual(['Laptop']);
    expect(names('two bookshelves')).toEqual(['Bookshelf']);
    expect(names('a Smart Watch and a wristwatch')).toEqual(['Smart Watch', 'Wristwatch']);
  });

  it('does not read ordinary words as products', () => {
    expect(names('the table is nice and the order is late')).toEqual([]);
    expect(names('the desk is fine, the lamp is not')).toEqual([]);
  });

  it('gives the span it matched in the text searched', () => {
    const [match] = matcher.find('my desk lamps flicker');
    expect('my desk lamps flicker'.slice(match.start, match.end)).toBe('desk lamps');
  });
});
