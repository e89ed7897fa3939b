// What English-speaking customers call some tau-retail products by a word that is not the last of
// the product's name ("the vacuum", "my suitcase", "the power bank"; the last word, "the lamp",
// names an item already). Each is a noun no other product's name holds: an item's first word in
// general is not ("send it to my office" names no Office Chair), so the list is explicit.
const EN_NAMES: Record<string, RegExp> = {
  'Vacuum Cleaner': /\b(?:vacuum|vacuums|hoover)\b/,
  'Dumbbell Set': /\bdumbbells?\b/,
  'Luggage Set': /\b(?:luggage|suitcases?)\b/,
  'Makeup Kit': /\bmake-?up\b/,
  'Smart Watch': /\bsmartwatch(?:es)?\b/,
  'Portable Charger': /\bpower ?banks?\b/,
  Bicycle: /\bbikes?\b(?!\s+helmet)/,
  'T-Shirt': /\b(?:t-?shirts?|tees?|shirts?)\b/,
  'E-Reader': /\be-?readers?\b|\be reader\b/,
  'Espresso Machine': /\bespresso (?:maker|machine)s?\b/,
  'Coffee Maker': /\bcoffee (?:machine|maker)s?\b/,
  'Indoor Security Camera': /\bsecurity cam(?:era)?s?\b/,
  'Jigsaw Puzzle': /\bjigsaws?\b/,
};

/** The products among `catalogue` that the (lower-cased) text calls by one of the names above. */
export function productsNamedInEnglish(lower: string, catalogue: readonly string[]): string[] {
  return catalogue.filter((name) => EN_NAMES[name]?.test(lower));
}
