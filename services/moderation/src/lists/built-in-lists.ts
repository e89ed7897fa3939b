// The built-in word lists as one matcher, built once at start-up: hand-picked seed words, the
// shared community lists, and the allow-list.
import type { Logger } from '@switchboard/logging';
import { Direction } from '@switchboard/contracts';
import type { FoldedText } from '../matching/text-folding';
import { outsideAllowed, WordMatcher, type Span } from '../matching/word-matcher';
import { CATEGORIES, type Category } from './categories';
import { SEED_ALLOW, SEED_WORDS } from './seed-lists';
import { readSharedLists, type ListWord } from './shared-lists';

type ListHit = { allow: true } | { allow: false; category: Category };

export interface ListMatch extends Span {
  category: Category;
}

export class BuiltInLists {
  private constructor(
    private readonly matcher: WordMatcher<ListHit>,
    readonly wordCount: number,
  ) {}

  static fromWords(words: ListWord[], allow: string[]): BuiltInLists {
    const entries: Array<{ word: string; value: ListHit }> = [
      ...words.map((w) => ({ word: w.word, value: { allow: false, category: w.category } satisfies ListHit })),
      ...allow.map((word) => ({ word, value: { allow: true } satisfies ListHit })),
    ];
    return new BuiltInLists(WordMatcher.build(entries), words.length);
  }

  static seedWords(): ListWord[] {
    return Object.entries(SEED_WORDS).flatMap(([category, words]) => words.map((word) => ({ word, category: category as Category })));
  }

  /** Seed lists plus the shared lists in `dir`; only the seed lists, with a warning, when `dir` is missing. */
  static load(dir: string, log: Logger): BuiltInLists {
    const started = Date.now();
    const shared = readSharedLists(dir);
    if (!shared) {
      log.warn(
        { dir },
        'moderation word lists not found; running with the small built-in seed lists only. Set MODERATION_LISTS_DIR to the folder holding houbb-sensitive-word/ and konsheng-sensitive-lexicon/',
      );
    } else if (shared.missing.length > 0) {
      log.warn({ dir, missing: shared.missing }, 'some moderation word lists are missing; running without them');
    }
    const lists = BuiltInLists.fromWords(
      [...BuiltInLists.seedWords(), ...(shared?.words ?? [])],
      [...SEED_ALLOW, ...(shared?.allow ?? [])],
    );
    log.info({ words: lists.wordCount, patterns: lists.matcher.size, ms: Date.now() - started }, 'moderation word lists built');
    return lists;
  }

  get patternCount(): number {
    return this.matcher.size;
  }

  /** List words for this direction, minus any inside an allowed phrase (built-in or `alsoAllowed`). */
  find(text: FoldedText, direction: Direction, alsoAllowed: Span[]): ListMatch[] {
    const denied: ListMatch[] = [];
    const allowed: Span[] = [...alsoAllowed];
    for (const { start, end, value } of this.matcher.find(text)) {
      if (value.allow) allowed.push({ start, end });
      else {
        const wanted = CATEGORIES[value.category].direction;
        if (wanted === Direction.UNSPECIFIED || wanted === direction) denied.push({ start, end, category: value.category });
      }
    }
    return outsideAllowed(denied, allowed);
  }
}
