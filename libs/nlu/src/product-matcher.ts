// Finds catalogue product names in a message despite typos, spacing, hyphens, case and plurals:
// "blutooth speakers", "t shirt", "ofice chair" all name a product of the catalogue.
import { editDistance } from './edit-distance';

export interface ProductMatch {
  /** The catalogue's own spelling. */
  name: string;
  /** Half-open span in the text that was searched. */
  start: number;
  end: number;
}

interface CatalogueEntry {
  name: string;
  /** Lower case, letters and digits only: "T-Shirt" -> "tshirt". */
  keys: string[];
  words: number;
  limit: number;
}

// Common words one edit away from a product name that must not be read as it ("table" is not
// "Tablet", "reader" is not "E-Reader").
const NOT_PRODUCTS = new Set(['table', 'tables', 'reader', 'readers', 'tablets']);
const WORD = /[\p{L}\p{N}]+/gu;

const keyOf = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Singular key plus its English plurals: "tshirt" -> "tshirts"; "bookshelf" -> "bookshelves". */
function keysOf(name: string): string[] {
  const key = keyOf(name);
  const keys = new Set([key, `${key}s`, `${key}es`]);
  if (key.endsWith('f')) keys.add(`${key.slice(0, -1)}ves`);
  if (key.endsWith('y')) keys.add(`${key.slice(0, -1)}ies`);
  return [...keys];
}

/** Typos tolerated: none for very short names, one for short ones, two for long ones. */
function limitFor(key: string): number {
  if (key.length <= 4) return 0;
  return key.length < 9 ? 1 : 2;
}

export class ProductMatcher {
  private readonly entries: CatalogueEntry[];
  private readonly maxWords: number;

  constructor(names: readonly string[]) {
    this.entries = [...new Set(names)]
      .filter((name) => keyOf(name).length > 0)
      .map((name) => {
        const key = keyOf(name);
        return { name, keys: keysOf(name), words: name.match(WORD)?.length ?? 1, limit: limitFor(key) };
      });
    this.maxWords = Math.max(1, ...this.entries.map((e) => e.words));
  }

  /** Non-overlapping matches, closest spelling first, then the longer span, in text order. */
  find(text: string): ProductMatch[] {
    const words = [...text.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
    const candidates: Array<ProductMatch & { distance: number; words: number }> = [];
    for (let first = 0; first < words.length; first++) {
      // One more word than the longest name: "blue tooth speaker" is "Bluetooth Speaker".
      for (let count = 1; count <= this.maxWords + 1 && first + count <= words.length; count++) {
        const window = keyOf(
          words
            .slice(first, first + count)
            .map((w) => w.text)
            .join(''),
        );
        if (window.length < 3 || (count === 1 && NOT_PRODUCTS.has(window))) continue;
        const best = this.closest(window, count);
        if (best)
          candidates.push({
            name: best.name,
            start: words[first].start,
            end: words[first + count - 1].end,
            distance: best.distance,
            words: count,
          });
      }
    }
    candidates.sort((a, b) => a.distance - b.distance || b.end - b.start - (a.end - a.start) || a.start - b.start);
    const chosen: ProductMatch[] = [];
    for (const c of candidates) {
      if (chosen.some((m) => c.start < m.end && m.start < c.end)) continue;
      chosen.push({ name: c.name, start: c.start, end: c.end });
    }
    return chosen.sort((a, b) => a.start - b.start);
  }

  private closest(window: string, words: number): { name: string; distance: number } | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const entry of this.entries) {
      // More words than the name has only for a name split in two ("blue tooth speaker"), spelt
      // right; with typos allowed, "table is" would pass for "tablets".
      const limit = words > entry.words ? 0 : entry.limit;
      for (const key of entry.keys) {
        const distance = editDistance(window, key, limit);
        if (distance <= limit && (!best || distance < best.distance)) best = { name: entry.name, distance };
      }
    }
    return best;
  }
}
