// Reads the community word lists from the shared data folder (never copied into the repository):
// houbb/sensitive-word (tagged by category) and konsheng/Sensitive-lexicon (one file per category).
// Both are noisy, so only the categorised files are read, and entries shorter than three
// characters (four for "crime") are skipped: in Chinese, two characters are usually an everyday
// word (妈妈, 丝袜, 签证, 彩票 are all tagged). docs/moderation.md has the measurements.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { foldWord } from '../matching/text-folding';
import type { Category } from './categories';

export interface ListWord {
  word: string;
  category: Category;
}

export interface SharedLists {
  words: ListWord[];
  allow: string[];
  /** Files that should be there but are not. */
  missing: string[];
}

// houbb's tag codes, most specific first: a word tagged "1,4" (drugs, crime) counts as drugs.
const HOUBB_TAGS: Array<[string, Category]> = [
  ['2', 'porn'],
  ['1', 'drugs'],
  ['3', 'gambling'],
  ['4', 'crime'],
  ['0', 'politics'],
];

// The other konsheng files (Tencent, GFW, NetEase, ads, livelihood, COVID…) are uncategorised or
// broad: on banking77 the Tencent list alone fires on 24% of messages ("is", "item").
const KONSHENG_FILES: Array<[string, Category]> = [
  ['色情词库.txt', 'porn'],
  ['色情类型.txt', 'porn'],
  ['涉枪涉爆.txt', 'weapons'],
  ['暴恐词库.txt', 'terror'],
  ['政治类型.txt', 'politics'],
  ['反动词库.txt', 'politics'],
];

const MIN_LENGTH: Partial<Record<Category, number>> = { crime: 4 };
const DEFAULT_MIN_LENGTH = 3;

export const HOUBB_DIR = 'houbb-sensitive-word';
export const KONSHENG_DIR = path.join('konsheng-sensitive-lexicon', 'Vocabulary');

function longEnough(word: string, category: Category): boolean {
  return [...foldWord(word)].length >= (MIN_LENGTH[category] ?? DEFAULT_MIN_LENGTH);
}

/** One word per line; a few konsheng lines hold several, separated by commas. */
function wordsOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .flatMap((line) => line.split(/[,，]/))
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

/** Undefined when `dir` does not exist. */
export function readSharedLists(dir: string): SharedLists | undefined {
  if (!existsSync(dir)) return undefined;
  const words: ListWord[] = [];
  const missing: string[] = [];
  const read = (relative: string, use: (file: string) => void) => {
    const file = path.join(dir, relative);
    if (existsSync(file)) use(file);
    else missing.push(relative);
  };

  read(path.join(HOUBB_DIR, 'sensitive_word_tags.txt'), (file) => {
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const tagged = /^(.+?)\s+([\d,]+)$/.exec(line.trim());
      if (!tagged) continue;
      const codes = tagged[2].split(',');
      const category = HOUBB_TAGS.find(([code]) => codes.includes(code))?.[1];
      if (category && longEnough(tagged[1], category)) words.push({ word: tagged[1], category });
    }
  });
  for (const [name, category] of KONSHENG_FILES) {
    read(path.join(KONSHENG_DIR, name), (file) => {
      for (const word of wordsOf(file)) if (longEnough(word, category)) words.push({ word, category });
    });
  }
  let allow: string[] = [];
  read(path.join(HOUBB_DIR, 'sensitive_word_allow.txt'), (file) => (allow = wordsOf(file)));
  return { words, allow, missing };
}
