// Only English and Chinese are told apart: they are the languages the tokenizer and sentence
// splitter handle, and the language decides which of those rules (and, later, which embedding
// model) a knowledge base uses.

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER = /\p{L}/u;

// One Han character carries about as much as a short English word, so counting raw characters
// would call a Chinese answer that mentions "iPhone 15 Pro Max" English. Three is roughly the
// letters per syllable-word in English support text.
const HAN_WEIGHT = 3;
// A winner needs a clear majority of the weighted letters; mixed text stays undetermined.
const MAJORITY = 0.6;
// Japanese mixes Han with kana; it must not be mistaken for Chinese.
const KANA_SHARE_FOR_JAPANESE = 0.1;

/** 'zh' when Han characters dominate the letters, 'en' when Latin does, otherwise 'und'. */
export function detectLanguage(text: string): 'en' | 'zh' | 'und' {
  let han = 0;
  let latin = 0;
  let kana = 0;
  let other = 0;
  for (const char of text) {
    if (HAN.test(char)) han += 1;
    else if (LATIN.test(char)) latin += 1;
    else if (KANA.test(char)) kana += 1;
    else if (LETTER.test(char)) other += 1;
  }
  const total = han * HAN_WEIGHT + latin + kana + other;
  if (total === 0) return 'und';
  if (han * HAN_WEIGHT >= total * MAJORITY && kana < (han + kana) * KANA_SHARE_FOR_JAPANESE) return 'zh';
  if (latin >= total * MAJORITY) return 'en';
  return 'und';
}
