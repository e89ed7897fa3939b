import { calculate } from './calculator';

describe('calculate', () => {
  it.each([
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 / 4', 2.5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['2 ** -1', 0.5],
    ['1819.92 - 342.81 - 561.05', 916.06],
    ['0.1 + 0.2', 0.3],
    ['100 / 3', 33.33],
    ['.5 + 1.', 1.5],
  ])('%s = %d, rounded to 2 decimals as Python would', (expression, expected) => {
    expect(calculate(expression)).toBe(expected);
  });

  it.each([
    ['2 + x', 'Error: invalid characters in expression'],
    ['import os', 'Error: invalid characters in expression'],
    ['1 / 0', 'Error: division by zero'],
    ['(1 + 2', 'Error: invalid syntax'],
    ['1 2', 'Error: invalid syntax'],
    ['1.2.3', 'Error: invalid syntax'],
    ['', 'Error: invalid syntax'],
    ['10 ** 400', 'Error: the result is too large'],
  ])('refuses %j with %j', (expression, message) => {
    expect(() => calculate(expression)).toThrow(message);
  });
});
