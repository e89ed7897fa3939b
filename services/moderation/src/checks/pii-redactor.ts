// Finds personal data in free text and replaces it with placeholders before the text reaches a
// model, a log or an analytics event. Patterns are strict where a checksum exists (cards: Luhn;
// Chinese resident ids: ISO 7064) so order numbers and amounts are not mistaken for PII.

export interface PiiFinding {
  rule: string;
  start: number;
  end: number;
}

interface Detector {
  rule: string;
  placeholder: string;
  pattern: RegExp;
  accept?: (match: string) => boolean;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

export function chineseIdValid(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checks = '10X98765432';
  const upper = id.toUpperCase();
  const sum = weights.reduce((acc, w, i) => acc + w * Number(upper[i]), 0);
  return checks[sum % 11] === upper[17];
}

const DETECTORS: Detector[] = [
  { rule: 'pii.email', placeholder: '[EMAIL]', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  { rule: 'pii.cn_id', placeholder: '[ID_NUMBER]', pattern: /(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g, accept: chineseIdValid },
  { rule: 'pii.card', placeholder: '[CARD]', pattern: /(?<![0-9])(?:\d[ -]?){12,18}\d(?![0-9])/g, accept: (m) => luhnValid(m.replace(/[ -]/g, '')) },
  { rule: 'pii.phone', placeholder: '[PHONE]', pattern: /(?<![0-9#])(?:(?:\+|00)86[ -]?)?1[3-9]\d{9}(?![0-9])/g },
  { rule: 'pii.phone', placeholder: '[PHONE]', pattern: /(?<![\w#])\+\d{1,3}[ -]?(?:\(\d{1,4}\)[ -]?)?\d{2,4}(?:[ -]?\d{2,4}){1,3}(?!\d)/g },
  { rule: 'pii.phone', placeholder: '[PHONE]', pattern: /(?<![\w#])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/g },
];

export function redactPii(text: string): { text: string; findings: PiiFinding[] } {
  const findings: Array<PiiFinding & { placeholder: string }> = [];
  const taken = (start: number, end: number) => findings.some((f) => start < f.end && end > f.start);
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken(start, end) || (detector.accept && !detector.accept(match[0]))) continue;
      findings.push({ rule: detector.rule, start, end, placeholder: detector.placeholder });
    }
  }
  findings.sort((a, b) => a.start - b.start);
  let redacted = '';
  let cursor = 0;
  for (const f of findings) {
    redacted += text.slice(cursor, f.start) + f.placeholder;
    cursor = f.end;
  }
  redacted += text.slice(cursor);
  return { text: redacted, findings: findings.map(({ rule, start, end }) => ({ rule, start, end })) };
}
