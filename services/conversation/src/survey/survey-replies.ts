// Reading the customer's side of the satisfaction survey out of a chat message: whether it closes
// the conversation ("thanks, that's all" / "谢谢，没有了"), and whether it is a rating ("5",
// "4 - quick and kind", "五星", "3分"). Pure functions; the survey service decides what to do.

export interface ReadRating {
  rating: number;
  /** What the customer wrote after the rating, or '' when nothing. */
  comment: string;
}

const NUMBER: Record<string, number> = {
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
};

// "分钟" is minutes ("3分钟" is not a rating), so 分 counts only when no 钟 follows.
const ZH_RATING = /^(?:我?(?:给|打|评)(?:你们?|您)?)?([1-5一二两三四五])\s*(?:颗星|星|分(?!钟))/u;
// A unit after the number lets a comment follow after a plain space ("5 stars great service").
const EN_RATING =
  /^(?:i(?:'d| would)? (?:give|rate)(?: (?:it|you|this|that))? )?([1-5]|one|two|three|four|five)(?![\d]|[.,]\d|[a-z])(\s*(?:\/\s*5|out of (?:5|five)|stars?|points?)(?![a-z]))?/iu;
const SEPARATOR = /^[\s\-–—:,.;!)、，。！：；）~]+/u;

/**
 * The rating (1-5) a reply to the survey gives, with its comment; undefined when the message is
 * not a rating (then it is an ordinary turn: "5 items are missing", "3分钟前下的单", "10").
 */
export function ratingIn(text: string): ReadRating | undefined {
  const message = text.normalize('NFKC').trim();
  const zh = ZH_RATING.exec(message);
  if (zh) return { rating: NUMBER[zh[1]], comment: commentAfter(message.slice(zh[0].length)) };
  const en = EN_RATING.exec(message);
  if (!en) return undefined;
  const rest = message.slice(en[0].length);
  // Without a unit only punctuation may follow the number: "5 items are missing" is no rating.
  if (!en[2] && rest.trim() !== '' && !/^\s*[-–—:,.;!)、，。！：；]/u.test(rest)) return undefined;
  return { rating: NUMBER[en[1].toLowerCase()], comment: commentAfter(rest) };
}

function commentAfter(rest: string): string {
  return rest.replace(SEPARATOR, '').trim();
}

// A closing message is made only of these words, with at least one that ends the conversation:
// "thanks" alone may come before the next question, "thanks, that's all" does not.
/** The words of thanks: a message of only courtesies with one of these is thanked back. */
const EN_THANKS = [
  'thanks',
  'thank you',
  'thank you so much',
  'thank you very much',
  'thanks a lot',
  'thanks so much',
  'many thanks',
  'cheers',
  'thx',
  'thx a lot',
  'thank u',
  'ty',
  'thanks for your help',
  'thank you for your help',
  'thanks for sorting that out',
  'thanks for that',
  'much appreciated',
  'thank you for bearing with me',
  'thanks for bearing with me',
];
const EN_POLITE = [
  ...EN_THANKS,
  'ok',
  'okay',
  'great',
  'perfect',
  'cool',
  'alright',
  'all right',
  'got it',
  'no',
  'ah',
  'oh',
  'i see',
  'wonderful',
  'excellent',
  'fantastic',
  'awesome',
  'brilliant',
  'lovely',
];
const EN_ENDING = [
  'thats all',
  'that is all',
  'thats all i needed',
  'thats all i need',
  'thats all i wanted',
  'thats all for today',
  'thats all for now',
  'thats it for today',
  'thats it for now',
  'thats everything',
  'that was all i needed',
  'that was everything',
  'thats all sorted',
  'thats all sorted then',
  'that covers it',
  'that sorts it',
  'that answers everything',
  'thats it for me',
  'it was only a question',
  'no thx',
  'nothing else for now',
  'thats it',
  'that is it',
  'never mind',
  'never mind then',
  'nevermind',
  'ill leave it',
  'ill leave it then',
  'i was only asking',
  'i was just asking',
  'just asking',
  'that will be all',
  'thatll be all',
  'nothing else',
  'nothing more',
  'no more questions',
  'no thanks',
  'no thank you',
  'all good',
  'all set',
  'im good',
  'im all set',
  'bye',
  'goodbye',
  'have a nice day',
  'have a good day',
];
const ZH_THANKS = ['谢谢你', '谢谢您', '谢谢', '多谢', '感谢', '太感谢了', '太谢谢了', '非常感谢', '感谢您', '谢啦', '谢了'];
const ZH_POLITE = [...ZH_THANKS, '好的', '好', '嗯', '行', '明白了', '知道了', '太好了'];
const ZH_ENDING = [
  '没有其他问题了',
  '没有别的问题了',
  '没有别的了',
  '没别的了',
  '没别的事了',
  '没有别的事了',
  '没有了',
  '没了',
  '没事了',
  '就这些了',
  '就这些',
  '就这样吧',
  '就这样',
  '不用了',
  '再见',
  '拜拜',
];

/** A closing message is short; anything longer is read as a turn (and no pattern runs on it). */
const MAX_CLOSING_LENGTH = 120;
const EN_WORDS = [...EN_POLITE, ...EN_ENDING].sort((a, b) => b.length - a.length);
const ZH_WORDS = [...ZH_POLITE, ...ZH_ENDING].sort((a, b) => b.length - a.length);

/**
 * The phrases `text` is made of, longest first at each step, or undefined when something else is
 * in it. A plain scan rather than a regex of repeated alternatives, which backtracks exponentially
 * on overlapping phrases ("no thanks" is also "no" + "thanks").
 */
function phrasesOf(text: string, words: string[], spaced: boolean): string[] | undefined {
  const found: string[] = [];
  let at = 0;
  while (at < text.length) {
    const word = words.find((w) => text.startsWith(w, at) && (!spaced || at + w.length === text.length || text[at + w.length] === ' '));
    if (!word) return undefined;
    found.push(word);
    at += word.length + (spaced ? 1 : 0);
  }
  return found;
}

/** The courtesies a short message is made of, or undefined when it says anything else. */
function courtesiesIn(text: string): string[] | undefined {
  const message = text.normalize('NFKC').toLowerCase().trim();
  if (message === '' || message.length > MAX_CLOSING_LENGTH) return undefined;
  const en = message
    .replace(/['’]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const zh = message.replace(/[^\p{L}\p{N}]+/gu, '');
  return phrasesOf(en, EN_WORDS, true) ?? phrasesOf(zh, ZH_WORDS, false);
}

/** The customer says they are done: "thanks, that's all", "no thanks, bye", "谢谢，没有了". */
export function closesConversation(text: string): boolean {
  return courtesiesIn(text)?.some((p) => EN_ENDING.includes(p) || ZH_ENDING.includes(p)) ?? false;
}

/**
 * Only thanks, no goodbye ("thank you!", "好的，谢谢！"): the customer may have more to ask, so it
 * is thanked back with the question whether there is anything else, not searched for.
 */
export function onlyThanks(text: string): boolean {
  return courtesiesIn(text)?.some((p) => EN_THANKS.includes(p) || ZH_THANKS.includes(p)) ?? false;
}
