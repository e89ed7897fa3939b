// tau-bench's `calculate`: an arithmetic expression of numbers, + - * / ** //, parentheses and
// spaces, evaluated with Python's precedence (by a parser, not eval) and rounded to 2 decimals.
import { roundCents } from '../reference/retail-records';
import { Refusal } from './tool.errors';

const ALLOWED = /^[0-9+\-*/(). ]*$/;
const TOKEN = /\s*(\d+\.?\d*|\.\d+|\*\*|\/\/|[+\-*/()])/y;

export function calculate(expression: string): number {
  if (!ALLOWED.test(expression)) throw new Refusal('Error: invalid characters in expression');
  const parser = new Parser(tokenize(expression));
  const value = parser.expression();
  if (!parser.done()) throw syntaxError();
  if (!Number.isFinite(value))
    throw new Refusal(Number.isNaN(value) ? 'Error: the result is not a real number' : 'Error: the result is too large');
  return roundCents(value);
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (expression.slice(TOKEN.lastIndex).trim() !== '') {
    const match = TOKEN.exec(expression);
    if (!match) throw syntaxError();
    tokens.push(match[1]);
  }
  return tokens;
}

const syntaxError = () => new Refusal('Error: invalid syntax');

class Parser {
  private at = 0;

  constructor(private readonly tokens: string[]) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  private take(...wanted: string[]): string | undefined {
    const token = this.tokens[this.at];
    if (token === undefined || !wanted.includes(token)) return undefined;
    this.at += 1;
    return token;
  }

  expression(): number {
    let value = this.term();
    for (let op = this.take('+', '-'); op; op = this.take('+', '-')) value = op === '+' ? value + this.term() : value - this.term();
    return value;
  }

  private term(): number {
    let value = this.factor();
    for (let op = this.take('*', '/', '//'); op; op = this.take('*', '/', '//')) {
      const right = this.factor();
      if (op === '*') value *= right;
      else if (right === 0) throw new Refusal('Error: division by zero');
      else value = op === '/' ? value / right : Math.floor(value / right);
    }
    return value;
  }

  /** Unary signs bind looser than **, as in Python: -2 ** 2 is -4. */
  private factor(): number {
    const sign = this.take('+', '-');
    if (sign) return sign === '-' ? -this.factor() : this.factor();
    const base = this.atom();
    if (!this.take('**')) return base;
    const exponent = this.factor();
    if (base === 0 && exponent < 0) throw new Refusal('Error: 0.0 cannot be raised to a negative power');
    return base ** exponent;
  }

  private atom(): number {
    if (this.take('(')) {
      const value = this.expression();
      if (!this.take(')')) throw syntaxError();
      return value;
    }
    const token = this.tokens[this.at];
    if (token === undefined || !/^[\d.]/.test(token)) throw syntaxError();
    this.at += 1;
    return Number(token);
  }
}
