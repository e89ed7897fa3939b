import * as fs from 'fs';
import * as path from 'path';
import { splitSentences } from '@switchboard/text';
import { composeExtractiveAnswer, ExtractiveAnswer, Passage, stripMarkdown } from './extractive-answerer';

const WIKI_PATH = path.resolve(__dirname, '../../../..', '..', 'shared', 'data', 'tau-retail', 'wiki.md');
const wiki = fs.readFileSync(WIKI_PATH, 'utf8');

/** The wiki's sections as passages; retrieval is deliberately not imported across services. */
function wikiSections(): Map<string, string> {
  const sections = new Map<string, string>();
  let title = '';
  let body: string[] = [];
  const flush = (): void => {
    if (body.join('').trim().length > 0) sections.set(title, body.join('\n').trim());
    body = [];
  };
  for (const line of wiki.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading !== null) {
      flush();
      title = heading[1] ?? '';
    } else {
      body.push(line);
    }
  }
  flush();
  return sections;
}

const sections = wikiSections();

function passage(title: string, score: number): Passage {
  const text = sections.get(title);
  if (text === undefined) throw new Error(`no wiki section "${title}"`);
  return { id: `wiki:${title}`, text, title, score };
}

const allWikiPassages = (): Passage[] => [...sections.keys()].map((title, i) => passage(title, 10 - i));

/** Lines of the answer after the lead-in, split into sentence and citation number. */
function quoted(answer: ExtractiveAnswer): Array<{ sentence: string; citation: number }> {
  return answer.text
    .split('\n')
    .slice(1)
    .map((line) => {
      const match = /^(.*) \[(\d+)\]$/.exec(line);
      if (match === null) throw new Error(`line without citation marker: ${line}`);
      return { sentence: match[1] ?? '', citation: Number(match[2]) };
    });
}

function expectNoAnswer(answer: ExtractiveAnswer): void {
  expect(answer.grounded).toBe(false);
  expect(answer.citations).toEqual([]);
  expect(answer.text).toMatch(/couldn't find an answer/);
  expect(answer.text).toMatch(/human agent/);
  expect(answer.text).not.toMatch(/\[\d+\]/);
}

function expectWellFormed(answer: ExtractiveAnswer, passages: Passage[]): void {
  expect(answer.grounded).toBe(true);
  expect(answer.text.split('\n')[0]).toBe('Here is what I found in our knowledge base:');
  const lines = quoted(answer);
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(lines.length).toBeLessThanOrEqual(3);
  const used = new Set(lines.map((l) => l.citation));
  // Every marker points at a citation and every citation is used.
  expect([...used].sort()).toEqual(answer.citations.map((_, i) => i + 1));
  for (const { sentence, citation } of lines) {
    const cited = answer.citations[citation - 1];
    const source = passages.find((p) => p.id === cited?.passageId);
    expect(source).toBeDefined();
    // Whole sentences only: each quote is exactly one sentence of the cited passage.
    expect(splitSentences(source?.text ?? '').map(stripMarkdown)).toContain(sentence);
    expect(sentence).not.toMatch(/\*\*|`|^- /);
  }
}

describe('composeExtractiveAnswer on the retail policy', () => {
  it('answers a return question from the return section', () => {
    const passages = [passage('Return delivered order', 3), passage('Exchange delivered order', 2), passage('Cancel pending order', 1)];
    const answer = composeExtractiveAnswer('how do I return an item?', passages);
    expectWellFormed(answer, passages);
    expect(answer.citations[0]).toEqual({ passageId: 'wiki:Return delivered order', title: 'Return delivered order' });
    expect(answer.text).toContain("An order can only be returned if its status is 'delivered'");
  });

  it('answers a cancel question from the cancel section', () => {
    const passages = [passage('Cancel pending order', 3), passage('Domain basic', 2), passage('Modify items', 1)];
    const answer = composeExtractiveAnswer('can I cancel my order', passages);
    expectWellFormed(answer, passages);
    expect(answer.citations.map((c) => c.passageId)).toEqual(['wiki:Cancel pending order']);
    expect(answer.text).toContain("An order can only be cancelled if its status is 'pending'");
  });

  it('answers a gift card refund question with gift card refund rules', () => {
    const passages = [passage('Modify payment', 3), passage('Return delivered order', 2.9), passage('Cancel pending order', 2.5)];
    const answer = composeExtractiveAnswer('what is the refund for a gift card', passages);
    expectWellFormed(answer, passages);
    for (const { sentence } of quoted(answer)) {
      expect(sentence).toMatch(/gift card/);
      expect(sentence).toMatch(/refund/);
    }
  });

  it('keeps document order within a passage', () => {
    const passages = [passage('Return delivered order', 1)];
    const answer = composeExtractiveAnswer('return items order', passages);
    expectWellFormed(answer, passages);
    const source = splitSentences(passages[0]?.text ?? '').map(stripMarkdown);
    const positions = quoted(answer).map((l) => source.indexOf(l.sentence));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('numbers citations by relevance across passages', () => {
    const passages = [passage('Cancel pending order', 1), passage('Modify payment', 5)];
    const answer = composeExtractiveAnswer('is a gift card refunded immediately?', passages);
    expectWellFormed(answer, passages);
    expect(answer.citations[0]?.passageId).toBe('wiki:Modify payment');
  });

  it('honours maxSentences', () => {
    const passages = [passage('Return delivered order', 3), passage('Exchange delivered order', 2)];
    const answer = composeExtractiveAnswer('how do I return an item?', passages, { maxSentences: 1 });
    expect(quoted(answer)).toHaveLength(1);
    expect(answer.citations).toHaveLength(1);
  });

  it('refuses an unrelated question even when given every section', () => {
    expectNoAnswer(composeExtractiveAnswer("what's the weather in Paris", allWikiPassages()));
  });

  it('refuses questions that only brush the policy with filler words', () => {
    const passages = allWikiPassages();
    expectNoAnswer(composeExtractiveAnswer('I need help with the weather', passages));
    expectNoAnswer(composeExtractiveAnswer('can you tell me what it means?', passages));
  });

  it('refuses questions whose only match is a word common to all retrieved passages', () => {
    // What a keyword search for "order" brings back: "order" is in nearly every sentence.
    const passages = [passage('Cancel pending order', 3), passage('Modify pending order', 2), passage('Return delivered order', 1)];
    expectNoAnswer(composeExtractiveAnswer('what is the weather for my order', passages));
    expectNoAnswer(composeExtractiveAnswer('when will my order arrive?', passages));
    expectNoAnswer(composeExtractiveAnswer('tell me a joke about orders', passages));
    // ...while a question about that common topic itself is still answered.
    expect(composeExtractiveAnswer('can I cancel my order', passages).grounded).toBe(true);
  });

  it('does not treat a single passage topic as background', () => {
    const answer = composeExtractiveAnswer('how do I return my blender', [passage('Return delivered order', 1)]);
    expect(answer.grounded).toBe(true);
  });

  it('refuses when there are no passages', () => {
    expectNoAnswer(composeExtractiveAnswer('how do I return an item?', []));
  });

  it('refuses empty and stop-word-only questions', () => {
    expectNoAnswer(composeExtractiveAnswer('', allWikiPassages()));
    expectNoAnswer(composeExtractiveAnswer('hello, can you help me?', allWikiPassages()));
  });

  it('lets minOverlap demand more matching terms', () => {
    const passages = [passage('Return delivered order', 1)];
    expect(composeExtractiveAnswer('how do I return my blender', passages).grounded).toBe(true);
    expectNoAnswer(composeExtractiveAnswer('how do I return my blender', passages, { minOverlap: 2 }));
  });

  it('lets minCoverage be relaxed or tightened', () => {
    // No single sentence speaks of both returning and cancelling.
    const passages = [passage('Return delivered order', 2), passage('Cancel pending order', 1)];
    expect(composeExtractiveAnswer('return or cancel', passages).grounded).toBe(true);
    expectNoAnswer(composeExtractiveAnswer('return or cancel', passages, { minCoverage: 0.9 }));
  });

  it('ignores words the passages never use, unless the question is mostly made of them', () => {
    const passages = [passage('Return delivered order', 1)];
    expect(composeExtractiveAnswer('the blender I got is broken, how do returns work?', passages).grounded).toBe(true);
    expectNoAnswer(composeExtractiveAnswer('is the return desk near the beach, the pier or the harbour?', passages));
  });

  it('considers only the top passages', () => {
    const passages = [passage('Domain basic', 9), passage('Cancel pending order', 8), passage('Return delivered order', 1)];
    expectNoAnswer(composeExtractiveAnswer('can this be returned?', passages, { maxPassages: 2 }));
    const answer = composeExtractiveAnswer('can this be returned?', passages);
    expect(answer.citations.map((c) => c.passageId)).toEqual(['wiki:Return delivered order']);
  });
});

describe('composeExtractiveAnswer formatting', () => {
  it('strips Markdown from quoted sentences', () => {
    const passages: Passage[] = [
      { id: 'p1', title: 'Refunds', score: 1, text: '- **Refunds** are issued within `5` business days.\n- Other *things* here.' },
    ];
    const answer = composeExtractiveAnswer('when are refunds issued', passages);
    expect(answer.text).toBe('Here is what I found in our knowledge base:\nRefunds are issued within 5 business days. [1]');
    expect(answer.citations).toEqual([{ passageId: 'p1', title: 'Refunds' }]);
  });

  it('quotes a sentence repeated by overlapping passages once', () => {
    const shared = 'Refunds go to the original payment method.';
    const passages: Passage[] = [
      { id: 'a', title: 'Refunds', score: 2, text: `Intro line. ${shared}` },
      { id: 'b', title: 'Refunds', score: 1, text: `${shared} Another line.` },
    ];
    const answer = composeExtractiveAnswer('where do refunds go', passages);
    expect(answer.text.split(shared)).toHaveLength(2);
    expect(answer.citations).toEqual([{ passageId: 'a', title: 'Refunds' }]);
  });

  it('quotes a very long sentence whole', () => {
    const long = `Refunds are processed ${'after careful review by the team '.repeat(40)}within seven days.`;
    const passages: Passage[] = [{ id: 'p', title: 'Refunds', score: 1, text: `${long} Unrelated line.` }];
    const answer = composeExtractiveAnswer('how are refunds processed', passages);
    expect(answer.text).toContain(`${long} [1]`);
  });

  it('does not fail on passages with empty or markup-only text', () => {
    const passages: Passage[] = [
      { id: 'e', title: 'Empty', score: 3, text: '' },
      { id: 'm', title: 'Markup', score: 2, text: '- **\n\n---' },
      { id: 'r', title: 'Refunds', score: 1, text: 'Refunds take seven days.' },
    ];
    const answer = composeExtractiveAnswer('refunds', passages);
    expect(answer.grounded).toBe(true);
    expect(answer.citations).toEqual([{ passageId: 'r', title: 'Refunds' }]);
  });

  it('understands full-width questions', () => {
    const passages: Passage[] = [{ id: 'r', title: 'Refunds', score: 1, text: 'Refunds take seven days.' }];
    expect(composeExtractiveAnswer('ＲＥＦＵＮＤＳ？', passages).grounded).toBe(true);
  });
});

describe('composeExtractiveAnswer in Chinese', () => {
  const faq: Passage[] = [
    { id: 'return', title: '退货政策', score: 3, text: '商品签收后七天内可以申请退货。退款将原路返回，一般三到五个工作日到账。' },
    { id: 'cancel', title: '取消订单', score: 2, text: '订单在发货前可以随时取消。发货后无法取消，请在收货后申请退货。' },
    { id: 'gift', title: '礼品卡', score: 1, text: '礼品卡余额不可提现，也不能转让给其他用户。' },
  ];

  it('answers 怎么退货 from the returns passage with a Chinese lead-in', () => {
    const answer = composeExtractiveAnswer('怎么退货', faq);
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]).toEqual({ passageId: 'return', title: '退货政策' });
    expect(answer.text.split('\n')[0]).toBe('以下是我在知识库中找到的相关内容：');
    expect(answer.text).toContain('商品签收后七天内可以申请退货。 [1]');
  });

  it('answers 我想取消订单 from the cancel passage', () => {
    const answer = composeExtractiveAnswer('我想取消订单', faq);
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]?.passageId).toBe('cancel');
    expect(answer.text).toContain('订单在发货前可以随时取消。');
  });

  it('refuses an unrelated Chinese question in Chinese', () => {
    const answer = composeExtractiveAnswer('巴黎天气怎么样？', faq);
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.text).toContain('人工客服');
  });
});

describe('stripMarkdown', () => {
  it.each([
    ['- **Bold** item', 'Bold item'],
    ['* item with `code`', 'item with code'],
    ['1. first step', 'first step'],
    ['> quoted _emphasis_ here', 'quoted emphasis here'],
    ['## Heading', 'Heading'],
    ['See [the policy](https://example.com/p) and ![logo](x.png)', 'See the policy and logo'],
    ['- [x] done task', 'done task'],
    ['keep user_id and 2 * 3 * 4 intact', 'keep user_id and 2 * 3 * 4 intact'],
    ['unpaired **bold start', 'unpaired bold start'],
    ['  spaced   out  ', 'spaced out'],
  ])('%s → %s', (input, expected) => {
    expect(stripMarkdown(input)).toBe(expected);
  });
});

describe('composeExtractiveAnswer with retrieval relevance', () => {
  const section = {
    id: 'p1',
    title: 'Returns',
    score: 1,
    text: 'Items can be returned within 30 days of delivery. Refunds go to the original payment method. Opened software cannot be returned.',
  };

  it('quotes the opening of a passage retrieval found relevant, even without shared words', () => {
    const answer = composeExtractiveAnswer('can I send stuff back?', [{ ...section, relevant: true }]);
    expect(answer.grounded).toBe(true);
    expect(answer.citations).toEqual([{ passageId: 'p1', title: 'Returns' }]);
    expect(answer.text).toContain('Items can be returned within 30 days of delivery. [1]');
  });

  it('still refuses when retrieval did not find the passage relevant', () => {
    expect(composeExtractiveAnswer('can I send stuff back?', [{ ...section, relevant: false }]).grounded).toBe(false);
  });
});
