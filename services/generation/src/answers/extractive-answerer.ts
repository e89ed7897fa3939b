import { isCjkChar, splitSentences, tokenize } from '@switchboard/text';

export interface Passage {
  id: string;
  text: string;
  title: string;
  score: number;
  /**
   * Retrieval found the passage semantically close to the question (embedding similarity above
   * the model's floor). A paraphrase can share no words with the passage it asks about; then the
   * passage's opening sentences are quoted instead of refusing.
   */
  relevant?: boolean;
}

export interface ExtractiveAnswer {
  text: string;
  citations: Array<{ passageId: string; title: string }>;
  grounded: boolean;
}

export interface ExtractiveAnswerOptions {
  /** Most sentences quoted (default 3; values below 1 count as 1). */
  maxSentences?: number;
  /**
   * Distinct informative query terms (see `informativeTerms`) a sentence must contain to be
   * quoted (default 1; values below 1 count as 1, because a sentence sharing nothing with the
   * question can never ground an answer).
   */
  minOverlap?: number;
  /**
   * Share of the informative query terms a sentence must contain (default 0.5), so a question
   * that brushes the knowledge base with one word out of several is not answered with it.
   */
  minCoverage?: number;
  /** Highest-scoring passages considered (default 3). */
  maxPassages?: number;
}

const DEFAULT_MAX_SENTENCES = 3;
const DEFAULT_MIN_OVERLAP = 1;
const DEFAULT_MIN_COVERAGE = 0.5;
const DEFAULT_MAX_PASSAGES = 3;
// Supporting sentences must be at least this good relative to the best one, so a strong answer
// is not padded with sentences that only share a common word with the question.
const SUPPORTING_SCORE_RATIO = 0.5;
// Sentences this similar (token Jaccard) say the same thing, e.g. a rule repeated per section.
const DUPLICATE_SIMILARITY = 0.8;
// A query term in more than this share of candidate sentences is background (see informativeTerms);
// with too few sentences that share means nothing.
const BACKGROUND_SHARE = 0.5;
const MIN_SENTENCES_FOR_BACKGROUND = 4;
// How many words the knowledge base has never seen a question may carry per informative word it
// knows before it counts as being about something else.
const UNKNOWN_PER_KNOWN = 3;
const MIN_PASSAGES_FOR_BACKGROUND = 2;
// Title matches make a sentence more likely to be on topic, but the sentence itself is quoted,
// so they count for less than words actually in it.
const TITLE_WEIGHT = 0.5;

const MESSAGES = {
  en: {
    leadIn: 'Here is what I found in our knowledge base:',
    noAnswer:
      "I'm sorry, I couldn't find an answer to that in our knowledge base, and I don't want to guess. " +
      'Would you like me to connect you with a human agent?',
  },
  zh: {
    leadIn: '以下是我在知识库中找到的相关内容：',
    noAnswer: '抱歉，我在知识库中没有找到这个问题的答案，不想随意猜测。需要为您转接人工客服吗？',
  },
} as const;

interface Candidate {
  passage: Passage;
  passageRank: number;
  sentenceIndex: number;
  text: string;
  terms: Set<string>;
  matched: number;
  score: number;
}

/**
 * Answers a question by quoting the passages' most relevant sentences with numbered citations,
 * for when no LLM is configured. It never paraphrases: either it quotes whole sentences that
 * share enough terms with the question, or it says it has no answer and offers a human.
 */
export function composeExtractiveAnswer(question: string, passages: Passage[], options: ExtractiveAnswerOptions = {}): ExtractiveAnswer {
  const maxSentences = Math.max(1, Math.floor(options.maxSentences ?? DEFAULT_MAX_SENTENCES));
  const minOverlap = Math.max(1, Math.floor(options.minOverlap ?? DEFAULT_MIN_OVERLAP));
  const minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const maxPassages = Math.max(1, Math.floor(options.maxPassages ?? DEFAULT_MAX_PASSAGES));
  const messages = MESSAGES[detectLanguage(question)];
  const noAnswer: ExtractiveAnswer = { text: messages.noAnswer, citations: [], grounded: false };

  const queryTerms = [...new Set(tokenize(question))];
  const topPassages = [...passages].sort((x, y) => y.score - x.score).slice(0, maxPassages);
  const candidates = collectCandidates(topPassages);
  if (queryTerms.length === 0 || candidates.length === 0) return noAnswer;

  const df = new Map<string, number>();
  for (const term of queryTerms) df.set(term, candidates.filter((c) => c.terms.has(term)).length);
  const passageCount = new Set(candidates.map((c) => c.passage.id)).size;
  const informative = informativeTerms(queryTerms, df, candidates.length, passageCount);
  const semanticFallback = (): ExtractiveAnswer => {
    const top = topPassages[0];
    if (!top?.relevant) return noAnswer;
    const lead = candidates.filter((c) => c.passage === top).slice(0, Math.min(2, maxSentences));
    return lead.length > 0 ? formatAnswer(lead, messages.leadIn) : noAnswer;
  };
  if (informative.size === 0) return semanticFallback();

  const n = candidates.length;
  const idf = (term: string): number => {
    const freq = df.get(term) ?? 0;
    return Math.log(1 + (n - freq + 0.5) / (freq + 0.5));
  };
  const maxPassageScore = Math.max(0, ...topPassages.map((p) => p.score));
  const titleTerms = new Map(topPassages.map((p) => [p.id, new Set(tokenize(p.title))]));

  for (const candidate of candidates) {
    const titles = titleTerms.get(candidate.passage.id) ?? new Set<string>();
    let termScore = 0;
    for (const term of queryTerms) {
      if (candidate.terms.has(term)) {
        if (informative.has(term)) candidate.matched += 1;
        termScore += idf(term);
      } else if (titles.has(term)) {
        termScore += TITLE_WEIGHT * idf(term);
      }
    }
    // Retrieval rank only nudges: the sentence's own overlap with the question dominates.
    const retrieval = maxPassageScore > 0 ? Math.max(0, candidate.passage.score) / maxPassageScore : 1;
    candidate.score = termScore * (0.8 + 0.2 * retrieval);
  }

  const qualified = candidates
    .filter((c) => c.matched >= minOverlap && c.matched / informative.size >= minCoverage)
    .sort((x, y) => y.score - x.score || x.passageRank - y.passageRank || x.sentenceIndex - y.sentenceIndex);
  const best = qualified[0];
  if (best === undefined) return semanticFallback();

  const chosen: Candidate[] = [best];
  for (const candidate of qualified.slice(1)) {
    if (chosen.length >= maxSentences) break;
    if (candidate.score < SUPPORTING_SCORE_RATIO * best.score) break;
    if (chosen.some((c) => jaccard(c.terms, candidate.terms) >= DUPLICATE_SIMILARITY)) continue;
    chosen.push(candidate);
  }
  return formatAnswer(chosen, messages.leadIn);
}

/**
 * The query terms that can show a sentence answers the question; coverage is measured over
 * these only.
 *
 * Terms found nowhere in the passages do not count against coverage: customers wrap a question
 * in their own story ("I got my order last week but the shoes are too small, how do returns
 * work?"), and those words are not what they ask about. But a question made mostly of such words
 * is about something the knowledge base does not cover ("what's the weather in Paris"), so more
 * than UNKNOWN_PER_KNOWN unknown words per informative known term means no answer. (CJK bigrams
 * found nowhere most likely straddle two words, "我想取消" → "想取", and are simply ignored.)
 *
 * A term in most candidate sentences ("order" in an order policy) is background: matching it
 * proves nothing, so "what's the weather for my order?" must not be answered with order rules.
 * When every term is background and nothing else was asked, the question is about the common
 * topic itself and all count.
 */
function informativeTerms(queryTerms: string[], df: Map<string, number>, sentenceCount: number, passageCount: number): Set<string> {
  const known = queryTerms.filter((t) => (df.get(t) ?? 0) > 0);
  const unknown = queryTerms.filter((t) => !isCjkTerm(t) && (df.get(t) ?? 0) === 0);
  // One passage is about one topic, so its topic words are everywhere in it without being
  // background; only several passages together show what is common to the whole knowledge base.
  const judgeBackground = passageCount >= MIN_PASSAGES_FOR_BACKGROUND && sentenceCount >= MIN_SENTENCES_FOR_BACKGROUND;
  const specific = judgeBackground ? known.filter((t) => (df.get(t) ?? 0) / sentenceCount <= BACKGROUND_SHARE) : known;
  if (specific.length === 0) return new Set(unknown.length > 0 ? [] : known);
  if (unknown.length > UNKNOWN_PER_KNOWN * specific.length) return new Set();
  return new Set(specific);
}

function collectCandidates(passages: Passage[]): Candidate[] {
  const candidates: Candidate[] = [];
  // Overlapping chunks repeat sentences; quoting the same line twice would look broken.
  const seen = new Set<string>();
  passages.forEach((passage, passageRank) => {
    splitSentences(passage.text).forEach((raw, sentenceIndex) => {
      const text = stripMarkdown(raw);
      if (!/[\p{L}\p{N}]/u.test(text)) return;
      const key = text.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      candidates.push({ passage, passageRank, sentenceIndex, text, terms: new Set(tokenize(text)), matched: 0, score: 0 });
    });
  });
  return candidates;
}

/**
 * Citations are numbered by each passage's strongest sentence; within a passage the sentences
 * keep their document order so the quote reads as the source does.
 */
function formatAnswer(chosen: Candidate[], leadIn: string): ExtractiveAnswer {
  const byPassage = new Map<string, Candidate[]>();
  for (const candidate of chosen) {
    const group = byPassage.get(candidate.passage.id);
    if (group === undefined) byPassage.set(candidate.passage.id, [candidate]);
    else group.push(candidate);
  }
  const citations: ExtractiveAnswer['citations'] = [];
  const lines = [leadIn];
  for (const group of byPassage.values()) {
    const first = group[0];
    if (first === undefined) continue;
    citations.push({ passageId: first.passage.id, title: first.passage.title });
    const marker = `[${citations.length}]`;
    for (const candidate of [...group].sort((x, y) => x.sentenceIndex - y.sentenceIndex)) {
      lines.push(`${candidate.text} ${marker}`);
    }
  }
  return { text: lines.join('\n'), citations, grounded: true };
}

/** Removes Markdown syntax so quoted sentences read as plain prose. */
export function stripMarkdown(sentence: string): string {
  return (
    sentence
      .replace(/^\s*(?:>\s*)+/, '')
      .replace(/^\s*#{1,6}\s+/, '')
      .replace(/^\s*(?:[-*+•]|\d{1,9}[.)])\s+/, '')
      .replace(/^\s*\[[ xX]\]\s+/, '')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/`+/g, '')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}*_])[*_]([^*_\s](?:[^*_]*[^*_\s])?)[*_](?=[^\p{L}\p{N}*_]|$)/gu, '$1$2')
      // A bold span that crossed a sentence boundary leaves an unpaired marker in each half.
      .replace(/\*\*|__/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function isCjkTerm(term: string): boolean {
  return Array.from(term).every(isCjkChar);
}

function detectLanguage(question: string): keyof typeof MESSAGES {
  const chars = Array.from(question.normalize('NFKC'));
  const han = chars.filter((c) => /\p{Script=Han}/u.test(c)).length;
  const latin = chars.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  const kanaOrHangul = chars.some((c) => /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(c));
  return han > 0 && !kanaOrHangul && han >= latin ? 'zh' : 'en';
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}
