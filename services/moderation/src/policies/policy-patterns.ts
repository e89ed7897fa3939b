// Tenant regular expressions: compiled one way for validation and for use, and screened for the
// shapes that backtrack exponentially, since one slow pattern would stall every check.

/** Case-insensitive and Unicode-aware; run on the folded text (NFKC, lower case). */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(pattern, 'giu');
}

/**
 * Whether a quantified group contains a quantifier, as in "(a+)+" or "(\w*\s?)*": the classic
 * catastrophic-backtracking shape. A heuristic: it does not catch every slow pattern.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const groups: boolean[] = []; // per open group: whether it holds a quantifier
  let quantifiedInside = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '[') {
      // Skip a character class; quantifier characters inside it are literals.
      for (i += 1; i < pattern.length && pattern[i] !== ']'; i += 1) if (pattern[i] === '\\') i += 1;
    } else if (ch === '(') {
      groups.push(quantifiedInside);
      quantifiedInside = false;
    } else if (ch === ')') {
      const next = pattern[i + 1];
      const groupQuantified = next === '*' || next === '+' || next === '{';
      if (groupQuantified && quantifiedInside) return true;
      quantifiedInside = (groups.pop() ?? false) || quantifiedInside || groupQuantified;
    } else if (ch === '*' || ch === '+' || (ch === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i)))) {
      quantifiedInside = true;
    }
  }
  return false;
}
