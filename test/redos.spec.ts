// The ReDoS suite: every regular expression that customer or tenant input reaches runs on
// generated adversarial inputs of the largest size the platform accepts, and each must finish in
// under 50 ms. The regexes are not copied here: they are read out of the source files listed in
// SOURCES (every regex literal in them), so a new pattern in one of those files is tested without
// anyone remembering to add it. Patterns built at run time (`new RegExp(...)`) are reached through
// the function that applies them (DETECTORS); a guard fails if a listed file gains one that no
// detector covers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MAX_TEXT } from '@switchboard/contracts';
import { findPii, tokenize } from '@switchboard/text';
import { extractEntities, normalizeText, sentimentOf } from '@switchboard/nlu';
import { chunkMarkdown } from '../libs/knowledge/src/markdown-chunker';
import { foldText } from '../services/moderation/src/matching/text-folding';
import { detectInjection } from '../services/moderation/src/checks/injection-detector';
import { compilePattern } from '../services/moderation/src/policies/policy-patterns';
import { POLICY_LIMITS, policyViolations } from '../services/moderation/src/policies/policy.validator';
import { create, TenantPolicySchema, Action } from '@switchboard/contracts';
import { firstHeading, splitFrontMatter } from '../libs/knowledge/src/documents/document-parser';
import { htmlToMarkdown } from '../libs/knowledge/src/documents/html-to-markdown';
import { addressIn, correctedAddress } from '../services/conversation/src/dialogue/address-parser';
import { givesNewAddress, itemsIn, requestsAction } from '../services/conversation/src/dialogue/order-action.task';
import { methodNamedIn } from '../services/conversation/src/dialogue/payment-methods';
import { actionNamed, changedAction, intentOf } from '../services/conversation/src/dialogue/understanding';
import { requestsIn } from '../services/conversation/src/dialogue/requests-in-message';
import { chooseVariant } from '../services/conversation/src/dialogue/variant-choice';

const root = path.resolve(__dirname, '..');
const BUDGET_MS = 50;
/**
 * RE2 runs in linear time whatever the pattern; what is measured for a tenant's pattern is its cost
 * per 16,000-character reply at the program-size limit, which on a slow day reached 53 ms on this
 * 2-core machine (a fresh-clone run). A backtracking blow-up on such a reply would take seconds.
 */
const RE2_BUDGET_MS = 150;

/** The largest text each kind of input can be, as the code enforces it. */
const LIMITS = {
  /** A customer message (`conversation.inbound.v1`, gRPC `text`). */
  message: MAX_TEXT,
  /** A moderation check: a message or a reply (`moderation.check.v1`: MAX_TEXT × 4). */
  checked: MAX_TEXT * 4,
  /**
   * One line of an uploaded document. Uploads may be 20 MB and a line can be the whole file, which
   * no regex scans in 50 ms; 64 KiB tells linear (about a millisecond) from quadratic (seconds),
   * and the whole upload is bounded by the parser worker's time and heap limits (tested there).
   */
  documentLine: 64 * 1024,
};

/** Prefixes that let a match start, so the run after them reaches the parts that can backtrack. */
const TEXT_SEEDS = [
  '1 Main St Apt',
  '1 main st apt',
  '1 Main Street, ',
  '北京市朝阳区',
  'a@a.',
  '+1 ',
  'ignore all previous',
  '忽略之前的',
  '$1',
  'January 1',
];
const DOCUMENT_SEEDS = ['# a', '## a ', 'title: a', '---\ntitle: a', '[a](', '![a](', '- a', '1. a', '```', '<a ', '<p>a', '| a'];

/** Files whose regexes see customer text, tenant policies or uploaded documents, and how large that input can be. */
const SOURCES: Array<{ dir: string; maxLength: number; seeds: string[]; skip?: RegExp }> = [
  { dir: 'services/moderation/src/matching', maxLength: LIMITS.checked, seeds: TEXT_SEEDS },
  { dir: 'services/moderation/src/checks', maxLength: LIMITS.checked, seeds: TEXT_SEEDS },
  { dir: 'services/moderation/src/policies', maxLength: LIMITS.checked, seeds: TEXT_SEEDS },
  { dir: 'libs/text/src', maxLength: LIMITS.checked, seeds: TEXT_SEEDS },
  // Training-data readers (intent CSVs) never see customer input.
  { dir: 'libs/nlu/src', maxLength: LIMITS.message, seeds: TEXT_SEEDS, skip: /intent-csv|stratified-split|background-examples/ },
  { dir: 'libs/knowledge/src', maxLength: LIMITS.documentLine, seeds: DOCUMENT_SEEDS, skip: /vectors\// },
  // REST fields of the console's APIs (canned responses, notes with @mentions, saved views, …),
  // checked for their size after or before their patterns: held to the largest checked text.
  { dir: 'services/gateway/src', maxLength: LIMITS.checked, seeds: TEXT_SEEDS },
  // The satisfaction survey reads the customer's reply (a rating, or a closing message).
  { dir: 'services/conversation/src/survey', maxLength: LIMITS.message, seeds: TEXT_SEEDS },
  // The order dialogue reads every customer message: requests, items, variants, addresses, orders.
  { dir: 'services/conversation/src/dialogue', maxLength: LIMITS.message, seeds: TEXT_SEEDS },
  // The turn reads it too: hand-off wording, yes/no, the reply's language.
  { dir: 'services/conversation/src/turns', maxLength: LIMITS.message, seeds: TEXT_SEEDS },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(full) ? [full] : [];
  });
}

interface FoundRegex {
  where: string;
  regex: RegExp;
  maxLength: number;
  seeds: string[];
}

/** Every regex literal in the listed files, and the files that build patterns at run time. */
function findRegexes(): { literals: FoundRegex[]; built: string[] } {
  const literals: FoundRegex[] = [];
  const built: string[] = [];
  for (const { dir, maxLength, seeds, skip } of SOURCES) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const relative = path.relative(root, file);
      if (skip?.test(relative)) continue;
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = node.getText(source);
          const slash = text.lastIndexOf('/');
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          literals.push({
            where: `${relative}:${line} ${text}`,
            regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)),
            maxLength,
            seeds,
          });
        } else if (ts.isNewExpression(node) && node.expression.getText(source) === 'RegExp') {
          built.push(relative);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { literals, built: [...new Set(built)] };
}

// --- Adversarial inputs ---------------------------------------------------------------------

/** Characters every pattern is tried with: word, digit, space kinds, CJK, and common punctuation. */
const BASE_POOL = ['a', 'A', '1', ' ', '\t', '\n', '中', '.', '-', '#', '@', '[', '(', '*', '/'];
/** What runs after a seed: the characters long inputs are usually made of. */
const RUNS = [' ', '\t', 'a', 'A', '1', '中', '.', '-'];

/** The base characters and the literal characters a pattern names, so inputs reach the parts that can backtrack. */
function poolOf(regex: RegExp): string[] {
  const literal = regex.source.replace(/\\[pPu]\{[^}]*\}|\\u[0-9a-fA-F]{4}|\\[dDwWsSbBnrt]/g, '').match(/[^\\^$|?*+()[\]{}]/gu) ?? [];
  return [...new Set([...BASE_POOL, ...literal])].slice(0, 24);
}

/**
 * The text a pattern's match must start with ("{{" for /\{\{\s*…/): a seed of its own, since the
 * parts that can backtrack are only reached after it. A quantifier on the last literal takes it off.
 */
function leadingLiteral(regex: RegExp): string {
  const source = regex.source;
  let literal = '';
  let i = source.startsWith('^') ? 1 : 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      if (/[dDwWsSbBnrtpPuxck0-9]/.test(source[i + 1] ?? 'd')) break;
      literal += source[i + 1];
      i += 2;
    } else if ('.[](){}|?*+$^'.includes(c)) break;
    else {
      literal += c;
      i += 1;
    }
  }
  return '?*+{'.includes(source[i] ?? '') && source[i] !== undefined ? literal.slice(0, -1) : literal;
}

/**
 * Seeds of a pattern's own: the literal it starts with, the words it names anywhere ("order" in
 * /\border\s*(?:number…)?\s*[:#]?\s*(\d{7})/) and a run of digits for each \d{n}, so that an input
 * gets past them to the quantifiers that follow (where adjacent \s* … \s* backtrack). Found this
 * way: three entity patterns that took 120-150 ms on 4,000 characters.
 */
function ownSeeds(regex: RegExp): string[] {
  const lead = leadingLiteral(regex);
  const unescaped = regex.source.replace(/\\[pPu]\{[^}]*\}|\\[a-zA-Z]/g, ' ');
  const words = (unescaped.match(/[A-Za-z]{2,}|\p{Script=Han}{2,}/gu) ?? []).slice(0, 4);
  const digits = [...regex.source.matchAll(/\\d\{(\d+)/g)].map((m) => '1'.repeat(Math.min(Number(m[1]), 12))).slice(0, 2);
  return [...new Set([lead, ...words, ...digits].filter((seed) => seed !== ''))];
}

/**
 * Inputs that make backtracking engines blow up, each ending in a character that makes a match
 * fail: long runs of one character or of a pair, and runs after a seed that lets a match start.
 */
function* adversarialInputs(pool: string[], length: number, seeds: string[]): Generator<string> {
  const fit = (text: string) => `${text.slice(0, length - 1)}\u0001`;
  for (const a of pool) yield fit(a.repeat(length));
  for (const a of pool) for (const b of pool) if (a < b) yield fit((a + b).repeat(length / 2));
  for (const seed of seeds) for (const run of RUNS) yield fit(seed + run.repeat(length));
}

function run(regex: RegExp, text: string): void {
  regex.lastIndex = 0;
  if (regex.global) for (const _ of text.matchAll(regex));
  else regex.exec(text);
}

/** CPU time of one call: other work on a shared machine does not count against the pattern. */
function cpuMs(apply: () => void): number {
  const before = process.cpuUsage();
  apply();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Fails on the first input over budget. A time over budget is measured three more times and the
 * fastest counts: a garbage-collection pause or a neighbour's load is not a slow pattern.
 */
function expectFast(apply: (text: string) => unknown, inputs: Iterable<string>, budgetMs = BUDGET_MS): void {
  apply('warm-up');
  for (const input of inputs) {
    if (cpuMs(() => apply(input)) < budgetMs) continue;
    const again = Math.min(...[1, 2, 3].map(() => cpuMs(() => apply(input))));
    if (again >= budgetMs) throw new Error(`${again.toFixed(1)} ms on ${describeInput(input)}`);
  }
}

const describeInput = (input: string) => `${JSON.stringify(input.slice(0, 24))}… (${input.length} chars)`;

/**
 * Fails when the cost of an input grows faster than its length: the least of three runs on a
 * quarter of it and on the whole, where linear work grows 4x and quadratic 16x. Garbage collection
 * on long strings made linear work look 8.3x (text folding, 4.2 → 34.7 ms from 16,000 to 64,000
 * characters; 5.8x the next run), so more than 10x fails. Comparing halves instead, linear work
 * once looked 3.3x. A quarter under `floorMs` is too fast to tell, and fast enough.
 */
function expectLinear(apply: (text: string) => unknown, inputs: Iterable<string>, floorMs: number): void {
  apply('warm-up');
  const cost = (input: string) => Math.min(...[0, 1, 2].map(() => cpuMs(() => apply(input))));
  for (const input of inputs) {
    const quarter = cost(input.slice(0, input.length / 4));
    if (quarter < floorMs) continue;
    const whole = cost(input);
    if (whole > 10 * quarter)
      throw new Error(
        `${quarter.toFixed(1)} ms at ${input.length / 4} characters but ${whole.toFixed(1)} ms at ${input.length} on ${describeInput(input)}`,
      );
  }
}

// --- Functions that apply patterns built at run time, or several patterns together ------------

// A product with three options and a customer's payment methods, for the dialogue's detector.
const LAMP = { item_id: 'l1', options: { color: 'black', brightness: 'medium', 'power source': 'AC adapter' } };
const LAMP_VARIANTS = ['black', 'silver', 'white'].flatMap((color, i) =>
  ['low', 'medium', 'high'].map((brightness, j) => ({
    item_id: `l${i}${j}`,
    options: { color, brightness, 'power source': j === 0 ? 'battery' : 'USB' },
    available: true,
    price: 100 + i + j,
  })),
);
// Two items sharing a last word, and one of a word that runs on ("mat" in "material").
const ORDER_ITEMS = ['Luggage Set', 'Dumbbell Set', 'Yoga Mat'].map((name, i) => ({
  name,
  item_id: `i${i}`,
  product_id: `p${i}`,
  price: 10,
  options: {},
}));
const METHODS = [
  { id: 'credit_card_1', source: 'credit_card', brand: 'visa', last_four: '1234' },
  { id: 'gift_card_1', source: 'gift_card', balance: 50 },
  { id: 'paypal_1', source: 'paypal' },
];

const DETECTORS: Array<{ name: string; files: string[]; maxLength: number; seeds: string[]; apply: (text: string) => unknown }> = [
  { name: 'PII detection', files: ['libs/text/src/pii.ts'], maxLength: LIMITS.checked, seeds: TEXT_SEEDS, apply: (text) => findPii(text) },
  {
    name: 'text folding',
    files: ['services/moderation/src/matching/text-folding.ts'],
    maxLength: LIMITS.checked,
    seeds: TEXT_SEEDS,
    apply: (text) => foldText(text),
  },
  {
    name: 'prompt-injection detection',
    files: ['services/moderation/src/checks/injection-detector.ts'],
    maxLength: LIMITS.checked,
    seeds: TEXT_SEEDS,
    apply: (text) => detectInjection(foldText(text)),
  },
  {
    name: 'entities (e-mail, order id, phone, amount, date, zip, name, product)',
    files: ['libs/nlu/src/entities.ts', 'libs/nlu/src/date-entities.ts', 'libs/nlu/src/sentiment.ts'],
    maxLength: LIMITS.message,
    seeds: TEXT_SEEDS,
    // Asked who they are, a name followed by a bare zip code is read too.
    apply: (text) => [extractEntities(text), extractEntities(text, { expecting: 'email' }), normalizeText(text), sentimentOf(text)],
  },
  {
    name: 'order dialogue (request gate, action named, address, items, variant and payment method named)',
    files: [
      'services/conversation/src/dialogue/order-action.task.ts',
      'services/conversation/src/dialogue/address-parser.ts',
      'services/conversation/src/dialogue/variant-choice.ts',
      'services/conversation/src/dialogue/payment-methods.ts',
      'services/conversation/src/dialogue/understanding.ts',
      'services/conversation/src/dialogue/requests-in-message.ts',
    ],
    maxLength: LIMITS.message,
    seeds: [
      ...TEXT_SEEDS,
      '1 a, a, TX 12345',
      'silver low ',
      'brightness: ',
      'card ending 1234',
      'keep the yoga mat',
      'except ',
      '1升',
      'a, not ',
      '不是',
      '. and could you cancel ',
      '，另外',
      'please ',
      'just ',
      'actually ',
      'is it 1 ',
      '里面有a、',
      "i'd like instead ",
    ],
    apply: (text) => [
      requestsAction(text),
      actionNamed(text, ['return_item', 'change_payment', 'cancel_order']),
      intentOf({ label: 'product_info', confidence: 0.9, alternatives: [{ label: 'modify_order', confidence: 0.1 }] }, text, 0.5),
      intentOf({ label: 'order_status', confidence: 0.9, alternatives: [{ label: 'change_address', confidence: 0.1 }] }, text, 0.5),
      intentOf({ label: 'cancel_order', confidence: 0.9, alternatives: [] }, text, 0.5),
      changedAction(text, 'cancel_order'),
      givesNewAddress('change_address', text),
      addressIn(text),
      correctedAddress({ address1: '1 a', address2: 'a-1', city: 'a', state: 'TX', country: 'USA', zip: '12345' }, text),
      chooseVariant(text, LAMP, LAMP_VARIANTS),
      methodNamedIn(text, METHODS),
      methodNamedIn(text, METHODS, 'paypal_1', true),
      itemsIn(text, ORDER_ITEMS, false),
      requestsIn(text, text, ['exchange_item']),
    ],
  },
  {
    name: 'tokenizer (CJK runs)',
    files: ['libs/text/src/tokenizer.ts'],
    maxLength: LIMITS.checked,
    seeds: TEXT_SEEDS,
    apply: (text) => tokenize(text),
  },
];

/**
 * Whole document parsers, on one 64 KiB line: they do more than match (they build chunks, DOM
 * trees, paragraphs), so the test is that they grow linearly — doubling the input at most about
 * doubles the time — rather than a fixed 50 ms. The parse as a whole runs in a worker thread with
 * a time limit (document-parser.ts).
 */
const DOCUMENT_PARSERS: Array<[string, (text: string) => unknown]> = [
  ['document title (first heading)', (text) => firstHeading(text)],
  ['front-matter title', (text) => splitFrontMatter(`---\ntitle: ${text}\n---\n`)],
  ['Markdown chunker', (text) => chunkMarkdown('redos', text)],
  ['HTML to Markdown', (text) => htmlToMarkdown(text)],
  // Not yet: PDF paragraph joining reads the end of a growing paragraph string, which V8 flattens
  // each time, so many one-letter lines cost ~3.5x per doubling (77 → 271 ms at 32 → 64 KiB). The
  // regexes in pdf-text.ts are tested above, and the whole parse is bounded by the worker.
];

const { literals, built } = findRegexes();

describe('ReDoS suite: regexes on customer, tenant and document input', () => {
  it('finds the regexes by reading the source files', () => {
    // A sanity floor: if the extraction broke, the per-regex tests below would silently shrink.
    expect(literals.length).toBeGreaterThan(120);
  });

  it('covers every pattern built at run time through a detector', () => {
    const covered = new Set(DETECTORS.flatMap((d) => d.files));
    expect(built.filter((file) => !covered.has(file))).toEqual([]);
  });

  it.each(literals.map((r) => [r.where, r] as const))('%s finishes in < 50 ms on adversarial input', (_where, found) => {
    expectFast(
      (text) => run(found.regex, text),
      adversarialInputs(poolOf(found.regex), found.maxLength, [...found.seeds, ...ownSeeds(found.regex)]),
    );
  });

  // Issue #12 item 7: the messages that took 23-51 ms before, at the customer-message limit.
  it.each([
    ['text folding', '中 + spaces + 中', () => foldText(`中${' '.repeat(LIMITS.message - 2)}中`)],
    ['PII street and unit', '"1 Main St Apt" + spaces', () => findPii(`1 Main St Apt${' '.repeat(LIMITS.message - 13)}`)],
    ['PII street and unit, lower case', '"1 main st apt" + spaces', () => findPii(`1 main st apt${' '.repeat(LIMITS.message - 13)}`)],
    ['entity e-mail', 'one 4,000-letter word', () => extractEntities('a'.repeat(LIMITS.message))],
  ])('%s costs < 2 ms on %s (4,000 characters)', (_detector, _input, apply) => {
    apply();
    // The fastest of twenty runs: the cost of the code, not of whatever else the machine is doing.
    const fastest = Math.min(...Array.from({ length: 20 }, () => cpuMs(apply)));
    expect(fastest).toBeLessThan(2);
  });

  // Tenant patterns run on RE2: the shapes that froze JavaScript's engine, as typed and repeated up
  // to the 500-character limit, each accepted by the validator, and patterns at the program-size
  // limit (RE2's linear cost grows with it: ~26 ms measured at size 64 on 16,000 characters).
  const TENANT_SHAPES = [
    '(a|a)+b',
    '(?:a|ab)*c',
    '(\\w|\\d)+!!',
    'a*a*a*a*a*a*a*b',
    '(a+)+$',
    '(.*a){3}x',
    '[a-z]+@[a-z]+\\.com',
    'we (will|shall) compensate',
  ];
  const AT_THE_SIZE_LIMIT = ['a{1,31}b', '\\w{1,31}!', '(?:a|b){1,31}c', '[a-z]{1,14}@[a-z]{1,14}\\.com'];
  const longest = (shape: string) => shape.repeat(Math.floor(POLICY_LIMITS.patternLength / shape.length));
  const accepted = (pattern: string) =>
    policyViolations(create(TenantPolicySchema, { rules: [{ name: 'r', action: Action.BLOCK, patterns: [pattern] }] })).length === 0;
  it('has patterns at the program-size limit among the tenant patterns tested', () => {
    expect(
      AT_THE_SIZE_LIMIT.map((p) => compilePattern(p).size).every(
        (size) => size > POLICY_LIMITS.patternSize - 10 && size <= POLICY_LIMITS.patternSize,
      ),
    ).toBe(true);
    expect(accepted('a{1,32}b')).toBe(false);
  });

  // On the longest checked text (a 16,000-character reply), which is also the worst case.
  it.each([...TENANT_SHAPES, ...TENANT_SHAPES.map(longest).filter(accepted), ...AT_THE_SIZE_LIMIT])(
    `tenant pattern %s finishes in < ${RE2_BUDGET_MS} ms on an adversarial 16,000-character reply (RE2)`,
    (pattern) => {
      expect(accepted(pattern)).toBe(true);
      const regex = compilePattern(pattern);
      expectFast(
        (text) => regex.matches(text),
        adversarialInputs(['a', 'b', '1', ' ', '!', '中'], LIMITS.checked, ['we will ', 'a@a', 'a'.repeat(60)]),
        RE2_BUDGET_MS,
      );
    },
  );

  it.each(DOCUMENT_PARSERS)('%s grows linearly on adversarial 64 KiB input', (_name, apply) => {
    expectLinear(apply, adversarialInputs(BASE_POOL, LIMITS.documentLine, DOCUMENT_SEEDS), 5);
  });

  it.each(DETECTORS.map((d) => [d.name, d] as const))(
    '%s finishes in < 50 ms on adversarial input of the largest size',
    (_name, detector) => {
      expectFast(detector.apply, adversarialInputs(BASE_POOL, detector.maxLength, detector.seeds));
    },
  );

  // Quadratic work can hide under the budget at a customer message's limit (a hedge pattern took
  // 11 ms on 4,000 characters, 44 at 8,000): there the cost at four times the limit must grow like
  // the length. At the checked text's limit, four times longer, the budget itself tells.
  it.each(DETECTORS.filter((d) => d.maxLength === LIMITS.message).map((d) => [d.name, d] as const))(
    '%s grows linearly past the largest size',
    (_name, detector) => {
      expectLinear(detector.apply, adversarialInputs(BASE_POOL, detector.maxLength * 4, detector.seeds), 2);
    },
  );
});
