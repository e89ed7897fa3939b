// Spelling correction against the tenant's own vocabulary: a word the training examples never use
// ("ordr", "cancle") is replaced by the closest word they do use ("order", "cancel") before the
// text is embedded. Sentence encoders split a misspelt word into unrelated word pieces, so "wher is
// my ordr" lands far from "where is my order"; the domain's vocabulary is small, which keeps the
// guesses few and on topic.
import { editDistance } from './edit-distance';

const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu;
const CORRECTABLE = /^[a-z]+$/;

/** Longest allowed distance for a word of this length; short words are left alone (too ambiguous). */
function allowedDistance(length: number): number {
  if (length < 4) return 0;
  return length < 7 ? 1 : 2;
}

export class VocabularySpeller {
  private constructor(private readonly frequency: ReadonlyMap<string, number>) {}

  static fromTexts(texts: readonly string[]): VocabularySpeller {
    const frequency = new Map<string, number>();
    for (const text of texts) {
      for (const word of text.normalize('NFKC').toLowerCase().match(WORD) ?? []) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    return new VocabularySpeller(frequency);
  }

  /** `text` with each unknown lower-case Latin word replaced by its nearest known word, if close enough. */
  correct(text: string): string {
    return text.normalize('NFKC').replace(WORD, (word) => this.correctWord(word.toLowerCase()) ?? word);
  }

  private correctWord(word: string): string | undefined {
    const limit = allowedDistance(word.length);
    if (limit === 0 || !CORRECTABLE.test(word) || this.frequency.has(word)) return undefined;
    let best: { word: string; distance: number; count: number } | undefined;
    for (const [known, count] of this.frequency) {
      if (known.length < 3 || !CORRECTABLE.test(known)) continue;
      const distance = editDistance(word, known, limit);
      if (distance > limit) continue;
      // Closest first, then the word the examples use most, then alphabetical for determinism.
      if (
        !best ||
        distance < best.distance ||
        (distance === best.distance && (count > best.count || (count === best.count && known < best.word)))
      ) {
        best = { word: known, distance, count };
      }
    }
    return best?.word;
  }
}
