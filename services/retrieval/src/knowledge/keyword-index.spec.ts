import * as fs from 'fs';
import * as path from 'path';
import { KeywordIndex } from './keyword-index';
import { Chunk, chunkMarkdown } from './markdown-chunker';

const WIKI_PATH = path.resolve(__dirname, '../../../..', '..', 'shared', 'data', 'tau-retail', 'wiki.md');
const wiki = fs.readFileSync(WIKI_PATH, 'utf8');

interface Doc {
  id: string;
  text: string;
}

function lastTitle(chunk: Chunk): string | undefined {
  return chunk.sectionPath[chunk.sectionPath.length - 1];
}

describe('KeywordIndex over the retail policy wiki', () => {
  const index = new KeywordIndex<Chunk>();
  index.add(chunkMarkdown('wiki', wiki));

  const topSection = (query: string): string | undefined => {
    const top = index.search(query, 1)[0];
    return top === undefined ? undefined : lastTitle(top.item);
  };

  it('ranks the return section first for a return question', () => {
    expect(topSection('how do I return an item?')).toBe('Return delivered order');
  });

  it('ranks the cancel section first for a cancel question', () => {
    expect(topSection('can I cancel my order')).toBe('Cancel pending order');
    expect(topSection('I need a cancellation of order #W2378156')).toBe('Cancel pending order');
  });

  it('ranks the modify section first for a shipping address change', () => {
    expect(topSection('I want to change the shipping address of my order')).toBe('Modify pending order');
  });

  it('ranks the exchange section first for an exchange question', () => {
    expect(topSection('can I exchange my delivered shoes for another size?')).toBe('Exchange delivered order');
  });

  it('finds gift card refund rules for a gift card refund question', () => {
    const hits = index.search('what is the refund for a gift card', 3);
    expect(hits).toHaveLength(3);
    for (const hit of hits) {
      expect(hit.item.text).toMatch(/gift card/);
      expect(hit.item.text).toMatch(/refund/);
    }
  });

  it('finds the human-agent rule', () => {
    expect(index.search('transfer me to a human', 1)[0]?.item.text).toContain('transfer the user to a human agent');
  });

  it('matches full-width queries like their ASCII form', () => {
    expect(topSection('ＲＥＴＵＲＮ ＩＴＥＭＳ')).toBe('Return delivered order');
  });

  it('returns nothing for an unrelated question', () => {
    expect(index.search("what's the weather in Paris", 5)).toEqual([]);
  });

  it('returns nothing for stop-word-only or empty queries', () => {
    expect(index.search('how do I do it?', 5)).toEqual([]);
    expect(index.search('', 5)).toEqual([]);
  });

  it('returns positive scores sorted descending and honours the limit', () => {
    const hits = index.search('order status payment method refund', 4);
    expect(hits).toHaveLength(4);
    for (let i = 0; i < hits.length; i++) {
      expect(hits[i]?.score).toBeGreaterThan(0);
      if (i > 0) expect(hits[i]?.score).toBeLessThanOrEqual(hits[i - 1]?.score ?? 0);
    }
    expect(index.search('order', 0)).toEqual([]);
    expect(index.search('order', -1)).toEqual([]);
  });

  it('counts section titles through the default field extractor', () => {
    // "Domain basic" appears only as a heading, never in the body.
    expect(topSection('domain basics')).toBe('Domain basic');
    const bodyOnly = new KeywordIndex<Chunk>({ fields: (c) => c.text });
    bodyOnly.add(chunkMarkdown('wiki', wiki));
    expect(bodyOnly.search('domain basics', 1)).toEqual([]);
  });
});

describe('KeywordIndex with Chinese FAQ', () => {
  const faq: Doc[] = [
    { id: 'return', text: '退货政策：商品签收后七天内可以申请退货，退款将原路返回。' },
    { id: 'cancel', text: '取消订单：订单在发货前可以随时取消，发货后请申请退货。' },
    { id: 'shipping', text: '配送时间：下单后一般三到五个工作日送达。' },
    { id: 'giftcard', text: '礼品卡余额不可提现，也不能转让给其他用户。' },
  ];
  const index = new KeywordIndex<Doc>();
  index.add(faq);

  it('finds the returns passage for 怎么退货', () => {
    expect(index.search('怎么退货', 1)[0]?.item.id).toBe('return');
  });

  it('finds the cancel passage for 我想取消订单', () => {
    expect(index.search('我想取消订单', 1)[0]?.item.id).toBe('cancel');
  });

  it('finds the shipping passage for a delivery-time question', () => {
    expect(index.search('几个工作日送达？', 1)[0]?.item.id).toBe('shipping');
  });

  it('finds the gift card passage', () => {
    expect(index.search('礼品卡可以提现吗', 1)[0]?.item.id).toBe('giftcard');
  });

  it('returns nothing for an unrelated Chinese question', () => {
    expect(index.search('巴黎天气怎么样', 5)).toEqual([]);
  });
});

describe('KeywordIndex maintenance', () => {
  it('is empty at first', () => {
    const index = new KeywordIndex<Doc>();
    expect(index.size).toBe(0);
    expect(index.search('anything', 10)).toEqual([]);
  });

  it('removes documents from search results', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'a', text: 'refund to the gift card' },
      { id: 'b', text: 'refund to the credit card' },
    ]);
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.remove('missing')).toBe(false);
    expect(index.has('a')).toBe(false);
    expect(index.size).toBe(1);
    expect(index.search('gift', 5)).toEqual([]);
    expect(index.search('refund', 5).map((h) => h.item.id)).toEqual(['b']);
  });

  it('replaces a document added again under the same id', () => {
    const index = new KeywordIndex<Doc>();
    index.add([{ id: 'a', text: 'old wording about parcels' }]);
    index.add([{ id: 'a', text: 'new wording about refunds' }]);
    expect(index.size).toBe(1);
    expect(index.search('parcels', 5)).toEqual([]);
    expect(index.search('refunds', 5)[0]?.item.text).toBe('new wording about refunds');
  });

  it('clears everything', () => {
    const index = new KeywordIndex<Doc>();
    index.add([{ id: 'a', text: 'refund' }]);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.search('refund', 5)).toEqual([]);
    index.add([{ id: 'b', text: 'refund' }]);
    expect(index.search('refund', 5).map((h) => h.item.id)).toEqual(['b']);
  });

  it('indexes documents with empty text without matching them', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'empty', text: '' },
      { id: 'full', text: 'refund policy' },
    ]);
    expect(index.size).toBe(2);
    expect(index.search('refund', 5).map((h) => h.item.id)).toEqual(['full']);
  });

  it('weights rare terms above common ones', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'common', text: 'order order order shipping' },
      { id: 'rare', text: 'order warranty' },
      { id: 'c2', text: 'order details' },
      { id: 'c3', text: 'order history' },
    ]);
    expect(index.search('order warranty', 4)[0]?.item.id).toBe('rare');
  });

  it('prefers shorter documents for the same term frequency', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'long', text: `warranty ${'filler words about nothing relevant '.repeat(10)}` },
      { id: 'short', text: 'warranty terms' },
      { id: 'other', text: 'unrelated text' },
    ]);
    expect(index.search('warranty', 2).map((h) => h.item.id)).toEqual(['short', 'long']);
  });

  it('breaks score ties by insertion order', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'z', text: 'refund' },
      { id: 'a', text: 'refund' },
      { id: 'm', text: 'other' },
    ]);
    expect(index.search('refund', 5).map((h) => h.item.id)).toEqual(['z', 'a']);
  });

  it('does not let a repeated query word multiply its weight', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'a', text: 'refund card' },
      { id: 'b', text: 'other text' },
    ]);
    expect(index.search('refund refund refund', 1)[0]?.score).toBeCloseTo(index.search('refund', 1)[0]?.score ?? 0);
  });

  it('uses a custom field extractor', () => {
    interface Product extends Doc {
      name: string;
    }
    const index = new KeywordIndex<Product>({ fields: (p) => `${p.name} ${p.text}` });
    index.add([{ id: 'p1', name: 'Espresso machine', text: 'Makes coffee.' }]);
    expect(index.search('espresso', 1)[0]?.item.id).toBe('p1');
  });

  it('finds order ids', () => {
    const index = new KeywordIndex<Doc>();
    index.add([
      { id: 'a', text: 'Order #W2378156 was delivered.' },
      { id: 'b', text: 'Order #W9999999 is pending.' },
    ]);
    expect(index.search('status of w2378156', 5).map((h) => h.item.id)).toEqual(['a']);
  });

  it('stays fast with a few thousand chunks', () => {
    const vocabulary = Array.from({ length: 2000 }, (_, i) => `term${i}`);
    const docs: Doc[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `d${i}`,
      text: Array.from({ length: 80 }, (_, j) => vocabulary[(i * 31 + j * 17) % vocabulary.length]).join(' '),
    }));
    const index = new KeywordIndex<Doc>();
    const started = Date.now();
    index.add(docs);
    for (let q = 0; q < 200; q++) {
      index.search(`term${q} term${q * 7} term${q * 13} unknownword`, 10);
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(index.size).toBe(5000);
  });
});
