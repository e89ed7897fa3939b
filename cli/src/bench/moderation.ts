// Benchmark: the moderation check in-process, exactly what the service runs per message (folding,
// the Aho–Corasick word lists, PII, prompt injection, a tenant policy), over real customer-style
// messages: BANKING77 (English), the Chinese retail FAQ and queries, and shop replies. Prints list
// build time and memory, per-message latency percentiles, and how often the service's built-in
// lists stopped or changed these benign messages (their false-positive rate).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { Action, create, Direction, TenantPolicySchema, type CheckResult } from '@switchboard/contracts';
import { builtInLists, compiledPolicy, messageChecker, sharedLists, textFolding, wordMatcher } from '@switchboard/moderation-service';
import { repoRoot, sharedDataDir } from '../paths';
import { percentile } from './percentile';

type BuiltInLists = builtInLists.BuiltInLists;
type CompiledPolicy = compiledPolicy.CompiledPolicy;

/** The moderation service's own modules, so the benchmark measures exactly what the service runs. */
function moderation() {
  return {
    lists: builtInLists,
    shared: sharedLists,
    checker: messageChecker,
    policy: compiledPolicy,
    matcher: wordMatcher,
    folding: textFolding,
  };
}

interface Message {
  corpus: string;
  language: 'en' | 'zh';
  direction: Direction;
  text: string;
}

function messages(): Message[] {
  const csv = (file: string) => parse<Record<string, string>>(readFileSync(file), { columns: true });
  const evalDir = path.join(repoRoot, 'eval');
  const faqZh = csv(path.join(evalDir, 'retail-faq-zh.csv'));
  const faqEn = csv(path.join(evalDir, 'retail-faq-en.csv'));
  const of = (corpus: string, language: 'en' | 'zh', direction: Direction, texts: string[]): Message[] =>
    texts
      .map((t) => t.trim())
      .filter((t) => t.length > 0)
      .map((text) => ({ corpus, language, direction, text }));
  return [
    ...of(
      'banking77 (customer, en)',
      'en',
      Direction.INPUT,
      csv(path.join(sharedDataDir, 'banking77', 'train.csv')).map((r) => r.text),
    ),
    ...of('retail FAQ + queries (customer, zh)', 'zh', Direction.INPUT, [
      ...faqZh.flatMap((r) => [r.question, ...r.alt_questions.split('|')]),
      ...csv(path.join(evalDir, 'retail-queries-zh.csv')).map((r) => r.query),
    ]),
    ...of(
      'retail FAQ answers (reply, zh)',
      'zh',
      Direction.OUTPUT,
      faqZh.map((r) => r.answer),
    ),
    ...of('retail FAQ answers + policy (reply, en)', 'en', Direction.OUTPUT, [
      ...faqEn.map((r) => r.answer),
      ...readFileSync(path.join(sharedDataDir, 'tau-retail', 'wiki.md'), 'utf8').split(/\n\s*\n/),
    ]),
  ];
}

/** 10,000 entries: 6,000 categorised Chinese words, 4,000 Latin-script ones (words and domains). */
function tenThousandWords(mod: ReturnType<typeof moderation>, listsDir: string) {
  const shared = mod.shared.readSharedLists(listsDir);
  if (!shared)
    throw new Error(
      `no word lists in ${listsDir}; point --lists-dir (or MODERATION_LISTS_DIR) at the folder holding houbb-sensitive-word/ and konsheng-sensitive-lexicon/`,
    );
  const latin = [
    ...new Set(
      ['零时-Tencent.txt', '非法网址.txt']
        .flatMap((f) => readFileSync(path.join(listsDir, mod.shared.KONSHENG_DIR, f), 'utf8').split(/\r?\n/))
        .map((w) => w.trim())
        .filter((w) => /^[\x21-\x7e]{3,}$/.test(w)),
    ),
  ];
  const chinese = shared.words.filter((w) => /[\u4e00-\u9fff]/.test(w.word));
  const every = <T>(items: T[], count: number) => Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
  // Latin entries count as a review category: they produce findings without stopping messages.
  return [...every(chinese, 6000), ...every(latin, 4000).map((word) => ({ word, category: 'politics' as const }))];
}

const SAMPLE_POLICY = create(TenantPolicySchema, {
  wordLists: [
    {
      name: 'competitors',
      category: 'competitors',
      action: Action.REDACT,
      words: ['MegaMart', 'ShopFast', '某东', '某宝'],
      direction: Direction.OUTPUT,
    },
  ],
  allowWords: ['生日快乐'],
  rules: [
    {
      name: 'no-refund-promises',
      direction: Direction.OUTPUT,
      keywords: ['guaranteed refund', '保证退款', '一定退款'],
      patterns: ['we (will|shall) (compensate|refund you in full)'],
      action: Action.BLOCK,
    },
    { name: 'legal-threats', direction: Direction.INPUT, keywords: ['lawyer', 'sue you', '律师', '起诉'], action: Action.ESCALATE },
  ],
});

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

function memoryMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 1024 / 1024;
}

function build(label: string, make: () => BuiltInLists): BuiltInLists {
  const before = memoryMb();
  const started = process.hrtime.bigint();
  const lists = make();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `${label}: ${lists.wordCount.toLocaleString('en')} words (${lists.patternCount.toLocaleString('en')} distinct after folding), build ${ms.toFixed(0)} ms, memory +${(memoryMb() - before).toFixed(1)} MB (heap + typed arrays, after GC)`,
  );
  return lists;
}

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(3)} ms, p95 ${percentile(sorted, 95).toFixed(3)} ms, p99 ${percentile(sorted, 99).toFixed(3)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
};

function time(
  checker: typeof messageChecker,
  all: Message[],
  lists: BuiltInLists,
  policy: CompiledPolicy | undefined,
  rounds: number,
): void {
  for (const m of all.slice(0, 2000)) checker.checkMessage(m, lists, policy); // warm-up
  const byLanguage: Record<string, number[]> = { en: [], zh: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const m of all) {
      const started = process.hrtime.bigint();
      checker.checkMessage(m, lists, policy);
      byLanguage[m.language].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  console.log(`  full check per message: ${summary([...byLanguage.en, ...byLanguage.zh])}   (target: p95 ≤ 2 ms)`);
  console.log(`    English: ${summary(byLanguage.en)}`);
  console.log(`    Chinese: ${summary(byLanguage.zh)}`);
}

function falsePositives(checker: typeof messageChecker, all: Message[], lists: BuiltInLists): void {
  console.log('benign messages the built-in lists acted on (no tenant policy):');
  const corpora = [...new Set(all.map((m) => m.corpus))];
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(2)}% (${n})`;
  for (const corpus of corpora) {
    const results: CheckResult[] = all.filter((m) => m.corpus === corpus).map((m) => checker.checkMessage(m, lists));
    const stopped = results.filter((r) => r.action === Action.BLOCK || r.action === Action.ESCALATE);
    const redacted = results.filter((r) => r.action === Action.REDACT);
    const review = results.filter((r) => r.action === Action.ALLOW && r.findings.length > 0);
    const rules = new Map<string, number>();
    for (const r of results) for (const f of r.findings) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    const fired =
      [...rules]
        .sort((a, b) => b[1] - a[1])
        .map(([rule, n]) => `${rule} ×${n}`)
        .join(', ') || 'none';
    console.log(
      `  ${corpus}: ${results.length} messages; blocked or escalated ${pct(stopped.length, results.length)}, redacted ${pct(redacted.length, results.length)}, review-only findings ${pct(review.length, results.length)}; rules: ${fired}`,
    );
  }
}

/** What each shared list file (houbb: each tag) would hit if it were loaded whole, as the service does not. */
function hitsByList(mod: ReturnType<typeof moderation>, all: Message[], listsDir: string): void {
  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .flatMap((l) => l.split(/[,，]/))
      .map((w) => w.trim())
      .filter((w) => w.length > 0);
  const entries: Array<{ word: string; value: string }> = [];
  const houbb = path.join(listsDir, mod.shared.HOUBB_DIR);
  const tags: Record<string, string> = { 0: 'politics', 1: 'drugs', 2: 'porn', 3: 'gambling', 4: 'crime' };
  for (const line of readFileSync(path.join(houbb, 'sensitive_word_tags.txt'), 'utf8').split(/\r?\n/)) {
    const tagged = /^(.+?)\s+([\d,]+)$/.exec(line.trim());
    if (tagged) for (const code of tagged[2].split(',')) entries.push({ word: tagged[1], value: `houbb tag ${code} (${tags[code]})` });
  }
  for (const word of lines(path.join(houbb, 'sensitive_word_dict.txt')))
    entries.push({ word, value: 'houbb sensitive_word_dict.txt (untagged)' });
  const konsheng = path.join(listsDir, mod.shared.KONSHENG_DIR);
  for (const file of readdirSync(konsheng))
    for (const word of lines(path.join(konsheng, file))) entries.push({ word, value: `konsheng ${file}` });
  const matcher = mod.matcher.WordMatcher.build(entries);
  console.log('benign messages each list would hit if loaded whole, every entry, any length (the service does not do this):');
  for (const corpus of [...new Set(all.map((m) => m.corpus))]) {
    const texts = all.filter((m) => m.corpus === corpus);
    const hits = new Map<string, { messages: number; words: Map<string, number> }>();
    for (const m of texts) {
      const found = matcher.find(mod.folding.foldText(m.text));
      for (const list of new Set(found.map((f) => f.value))) {
        const entry = hits.get(list) ?? { messages: 0, words: new Map<string, number>() };
        entry.messages += 1;
        for (const f of found.filter((x) => x.value === list))
          entry.words.set(m.text.slice(f.start, f.end), (entry.words.get(m.text.slice(f.start, f.end)) ?? 0) + 1);
        hits.set(list, entry);
      }
    }
    console.log(`  ${corpus} (${texts.length} messages):`);
    for (const [list, { messages: n, words }] of [...hits].sort((a, b) => b[1].messages - a[1].messages)) {
      const examples = [...words]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([w, k]) => `${w}×${k}`)
        .join(' ');
      console.log(`    ${list}: ${((100 * n) / texts.length).toFixed(2)}% (${n}), e.g. ${examples}`);
    }
  }
}

async function benchModeration(options: { rounds: string; listsDir: string; byList?: boolean }): Promise<void> {
  const rounds = Number(options.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number of at least 1');
  const mod = moderation();
  const all = messages();
  console.log(
    `moderation check, in-process: ${all.length} messages × ${rounds} rounds (${all.filter((m) => m.language === 'en').length} English, ${all.filter((m) => m.language === 'zh').length} Chinese; ${all.filter((m) => m.direction === Direction.OUTPUT).length} of them replies)`,
  );

  const words = tenThousandWords(mod, options.listsDir);
  const benchLists = build('bench list', () => mod.lists.BuiltInLists.fromWords(words, []));
  const policy = mod.policy.CompiledPolicy.compile(SAMPLE_POLICY, 1);
  console.log('  + PII, prompt injection and a tenant policy (2 lists, 2 rules, a pattern)');
  time(mod.checker, all, benchLists, policy, rounds);

  const quiet = { info: () => undefined, warn: (o: object, m: string) => console.warn(m, o) } as unknown as Parameters<
    typeof builtInLists.BuiltInLists.load
  >[1];
  const serviceLists = build("service's built-in lists", () => mod.lists.BuiltInLists.load(options.listsDir, quiet));
  time(mod.checker, all, serviceLists, undefined, rounds);
  falsePositives(mod.checker, all, serviceLists);
  if (options.byList) hitsByList(mod, all, options.listsDir);
}

export function moderationBenchCommand(): Command {
  return new Command('moderation')
    .description(
      'moderation check latency per message (word lists, PII, injection, tenant policy), list build time and memory, and false positives on benign messages; in-process, no services needed',
    )
    .option('-r, --rounds <n>', 'passes over the messages', '3')
    .option(
      '--lists-dir <dir>',
      'folder holding houbb-sensitive-word/ and konsheng-sensitive-lexicon/',
      process.env.MODERATION_LISTS_DIR ?? path.join(sharedDataDir, 'moderation'),
    )
    .option('--by-list', 'also show what every shared list file would hit if loaded whole (why most are not)')
    .action((options: { rounds: string; listsDir: string; byList?: boolean }) => benchModeration(options));
}
