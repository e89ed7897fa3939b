// Finds personal data in free text, so it is replaced with placeholders before the text reaches a
// model, a log or an analytics event. Patterns are strict where a checksum exists (cards: Luhn;
// Chinese resident ids: ISO 7064) and addresses need a street and a house number, so order
// numbers, amounts and zip codes alone are not mistaken for PII.

export interface PiiFinding {
  rule: string;
  start: number;
  end: number;
  placeholder: string;
}

interface Detector {
  rule: string;
  placeholder: string;
  pattern: RegExp;
  /** A cheap test that must pass before the pattern runs: long messages without it cost nothing. */
  needs: RegExp;
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

// Toll-free and Chinese 400/800 service numbers belong to businesses (a shop's own hotline in a
// reply), not to people.
function businessNumber(phone: string): boolean {
  const digits = phone.replace(/\D/g, '');
  return /^1?8(?:00|33|44|55|66|77|88)\d{7}$/.test(digits) || /^(?:400|800)\d{7}$/.test(digits);
}

// US street addresses: house number, one to three street-name words, a street type (or
// "Broadway"). Capitalised names take any street type. Typed in lower case, a word like "road" or
// "drive" is everyday English ("20 miles down the road", "2 hard drive"), so it counts only with a
// unit after it ("…, apt 4"); unambiguous types and abbreviations count alone — except "ct", which
// is a pack size ("12 roll ct"). "City, ST 12345" is taken along when it follows.
const STREET_TYPES =
  'Street|Avenue|Road|Boulevard|Drive|Lane|Way|Court|Place|Terrace|Circle|Parkway|Highway|Square|Trail|Alley|Plaza|St|Ave|Rd|Blvd|Dr|Ln|Ct|Pl|Ter|Cir|Pkwy|Hwy|Sq';
const LOWER_CASE_TYPES = 'avenue|boulevard|parkway|terrace|st|ave|rd|blvd|ln|pkwy|hwy';
// One white-space run on each side of the optional "#": two adjacent `\s*` could split a long run of
// spaces every possible way, which made "1 Main St Apt" + 4,000 spaces cost ~100 ms.
const UNIT = String.raw`,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|#)\.?\s*(?:#\s*)?[A-Za-z0-9-]{1,6}\b`;
const CITY_STATE_ZIP = String.raw`(?:,\s*[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+){0,2},?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?\b)?`;
const US_STREET_CAPITALISED = new RegExp(
  String.raw`\b\d{1,6}\s+(?:(?:[NSEW]|North|South|East|West)\.?\s+)?(?:(?:(?:[A-Z][a-zA-Z'-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,3}(?:${STREET_TYPES})\b\.?|Broadway\b)` +
    `(?:${UNIT})?${CITY_STATE_ZIP}`,
  'g',
);
const US_STREET_TYPED = new RegExp(
  String.raw`\b\d{1,6}\s+(?:[a-z][a-z'-]*\s+){1,3}(?:(?:${LOWER_CASE_TYPES})\b\.?(?:${UNIT})?|(?:${STREET_TYPES})\b\.?${UNIT})`,
  'gi',
);

// Chinese addresses: optional 省/市/区/县/镇 parts, then a road (路/街/大道/巷/弄/胡同) with a
// house number and 号, or a residential compound with a building number. Name characters exclude
// units and filler such as 在/到/是, so "我住在北京市…" redacts from 北京 on.
const NAME = String.raw`(?:(?![在到是的我你他她住寄送往发址为了和与省市区县镇乡路街道号])[\u4e00-\u9fff])`;
const CN_ADMIN = String.raw`(?:${NAME}{2,3}省)?(?:${NAME}{2,4}市)?(?:${NAME}{1,4}(?:区|县))?(?:${NAME}{1,6}(?:镇|乡|街道))?`;
const CN_NUMBER = '[0-9０-９一二三四五六七八九十百零]{1,5}';
const CN_BUILDING = String.raw`(?:[0-9０-９A-Za-z一二三四五六七八九十]{1,5}(?:号楼|栋|幢|座|单元|楼|层|室|号))`;
const CN_ROAD = new RegExp(
  String.raw`${CN_ADMIN}${NAME}{1,8}(?:大道|大街|路|街|巷|弄|胡同)${CN_NUMBER}号(?![线码位])${CN_BUILDING}{0,4}`,
  'g',
);
const CN_COMPOUND = new RegExp(String.raw`${CN_ADMIN}${NAME}{1,8}(?:小区|花园|公寓|大厦|家园)${CN_BUILDING}{1,4}`, 'g');

const DIGIT = /\d/;
const DETECTORS: Detector[] = [
  // Local part and domain are bounded (RFC 5321 limits), so a long run without "@" stays linear.
  {
    rule: 'pii.email',
    placeholder: '[EMAIL]',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g,
    needs: /@/,
  },
  {
    rule: 'pii.cn_id',
    placeholder: '[ID_NUMBER]',
    pattern: /(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g,
    needs: DIGIT,
    accept: chineseIdValid,
  },
  {
    rule: 'pii.card',
    placeholder: '[CARD]',
    pattern: /(?<![0-9])(?:\d[ -]?){12,18}\d(?![0-9])/g,
    needs: DIGIT,
    accept: (m) => luhnValid(m.replace(/[ -]/g, '')),
  },
  { rule: 'pii.phone', placeholder: '[PHONE]', pattern: /(?<![0-9#])(?:(?:\+|00)86[ -]?)?1[3-9]\d{9}(?![0-9])/g, needs: DIGIT },
  {
    rule: 'pii.phone',
    placeholder: '[PHONE]',
    pattern: /(?<![\w#])\+\d{1,3}[ -]?(?:\(\d{1,4}\)[ -]?)?\d{2,4}(?:[ -]?\d{2,4}){1,3}(?!\d)/g,
    needs: /\+/,
    accept: (m) => !businessNumber(m),
  },
  {
    rule: 'pii.phone',
    placeholder: '[PHONE]',
    pattern: /(?<![\w#])(?:1[ .-])?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/g,
    needs: DIGIT,
    accept: (m) => !businessNumber(m),
  },
  { rule: 'pii.address', placeholder: '[ADDRESS]', pattern: US_STREET_CAPITALISED, needs: /\d\s/ },
  { rule: 'pii.address', placeholder: '[ADDRESS]', pattern: US_STREET_TYPED, needs: /\d\s/ },
  { rule: 'pii.address', placeholder: '[ADDRESS]', pattern: CN_ROAD, needs: /号/ },
  { rule: 'pii.address', placeholder: '[ADDRESS]', pattern: CN_COMPOUND, needs: /小区|花园|公寓|大厦|家园/ },
];

/** Every piece of personal data, in text order; a span claimed by an earlier detector is not reported twice. */
export function findPii(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const taken = (start: number, end: number) => findings.some((f) => start < f.end && end > f.start);
  for (const detector of DETECTORS) {
    if (!detector.needs.test(text)) continue;
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (end === start || taken(start, end) || (detector.accept && !detector.accept(match[0]))) continue;
      findings.push({ rule: detector.rule, start, end, placeholder: detector.placeholder });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}
