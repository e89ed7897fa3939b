import * as fs from 'fs';
import * as path from 'path';
import { splitSentences } from '@switchboard/text';
import { Chunk, chunkMarkdown, withSectionContext } from './markdown-chunker';

const WIKI_PATH = path.resolve(__dirname, '../../..', '..', 'shared', 'data', 'tau-retail', 'wiki.md');
const wiki = fs.readFileSync(WIKI_PATH, 'utf8');

const ROOT = 'Retail agent policy';

function sectionChunks(chunks: Chunk[], title: string): Chunk[] {
  return chunks.filter((c) => c.sectionPath[c.sectionPath.length - 1] === title);
}

describe('chunkMarkdown on the retail policy wiki', () => {
  const chunks = chunkMarkdown('wiki', wiki);

  it('produces chunks with sequential positions and stable ids', () => {
    expect(chunks.length).toBeGreaterThan(5);
    chunks.forEach((chunk, i) => {
      expect(chunk.position).toBe(i);
      expect(chunk.id).toBe(`wiki#${i}`);
      expect(chunk.documentId).toBe('wiki');
    });
    expect(chunkMarkdown('wiki', wiki)).toEqual(chunks);
  });

  it('keeps the heading path of every section', () => {
    const paths = new Set(chunks.map((c) => JSON.stringify(c.sectionPath)));
    expect(paths).toEqual(
      new Set(
        [
          [ROOT],
          [ROOT, 'Domain basic'],
          [ROOT, 'Cancel pending order'],
          [ROOT, 'Modify pending order'],
          [ROOT, 'Modify pending order', 'Modify payment'],
          [ROOT, 'Modify pending order', 'Modify items'],
          [ROOT, 'Return delivered order'],
          [ROOT, 'Exchange delivered order'],
        ].map((p) => JSON.stringify(p)),
      ),
    );
  });

  it('puts section content under the right heading', () => {
    const cancel = sectionChunks(chunks, 'Cancel pending order');
    expect(cancel).toHaveLength(1);
    expect(cancel[0]?.text).toContain("An order can only be cancelled if its status is 'pending'");
    const ret = sectionChunks(chunks, 'Return delivered order');
    expect(ret.map((c) => c.text).join('\n')).toContain('The refund must either go to the original payment method');
  });

  it('never includes heading lines in chunk text', () => {
    for (const chunk of chunks) {
      expect(chunk.text.split('\n').some((line) => /^\s*#/.test(line))).toBe(false);
      expect(chunk.text).toBe(chunk.text.trim());
      expect(chunk.text.length).toBeGreaterThan(0);
    }
  });

  it('respects the default 800 character limit', () => {
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(800);
  });

  it('keeps every list item of the policy whole inside some chunk', () => {
    const bullets = wiki
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('- '));
    expect(bullets.length).toBeGreaterThan(20);
    for (const bullet of bullets) {
      expect(chunks.some((c) => c.text.split('\n').includes(bullet))).toBe(true);
    }
  });

  it('splits the long introduction and repeats one sentence as overlap', () => {
    const intro = sectionChunks(chunks, ROOT);
    expect(intro.length).toBeGreaterThan(1);
    for (let i = 1; i < intro.length; i++) {
      const previous = splitSentences(intro[i - 1]?.text ?? '');
      const current = splitSentences(intro[i]?.text ?? '');
      expect(stripBullet(current[0] ?? '')).toBe(stripBullet(previous[previous.length - 1] ?? ''));
    }
  });

  it('does not overlap when overlapSentences is 0', () => {
    const intro = sectionChunks(chunkMarkdown('wiki', wiki, { overlapSentences: 0 }), ROOT);
    const sentences = intro.flatMap((c) => splitSentences(c.text));
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  it('never overlaps across sections', () => {
    const cancel = sectionChunks(chunks, 'Cancel pending order')[0];
    expect(cancel?.text.startsWith('- An order can only be cancelled')).toBe(true);
  });

  it.each([120, 200, 400])('never cuts a sentence with maxChars=%i', (maxChars) => {
    const small = chunkMarkdown('wiki', wiki, { maxChars });
    const source = new Set(splitSentences(wiki).map(stripBullet));
    for (const chunk of small) {
      // Only sentences longer than the limit itself may be cut.
      for (const sentence of splitSentences(chunk.text)) {
        const whole = source.has(stripBullet(sentence));
        if (!whole) expect([...source].some((s) => s.length > maxChars && s.includes(stripBullet(sentence)))).toBe(true);
      }
      expect(chunk.text.length).toBeLessThanOrEqual(maxChars);
    }
  });

  it('loses no sentence when split small', () => {
    const small = chunkMarkdown('wiki', wiki, { maxChars: 300 });
    const chunkSentences = new Set(small.flatMap((c) => splitSentences(c.text)).map(stripBullet));
    const body = splitSentences(wiki).filter((s) => !s.startsWith('#'));
    for (const sentence of body) expect(chunkSentences.has(stripBullet(sentence))).toBe(true);
  });
});

describe('chunkMarkdown edge cases', () => {
  it('returns nothing for empty or blank input', () => {
    expect(chunkMarkdown('d', '')).toEqual([]);
    expect(chunkMarkdown('d', '  \n\n \t\n')).toEqual([]);
  });

  it('returns nothing for a document with only headings', () => {
    expect(chunkMarkdown('d', '# One\n## Two\n\n### Three\n#\n')).toEqual([]);
  });

  it('drops empty sections but keeps their titles in the path of sub-sections', () => {
    const chunks = chunkMarkdown('d', '# Top\n## Empty\n### Child\nChild text.\n## Sibling\nSibling text.');
    expect(chunks.map((c) => [c.sectionPath, c.text])).toEqual([
      [['Top', 'Empty', 'Child'], 'Child text.'],
      [['Top', 'Sibling'], 'Sibling text.'],
    ]);
  });

  it('handles skipped heading levels and returning to a higher level', () => {
    const chunks = chunkMarkdown('d', '# A\n### A3\ntext a3\n## B\ntext b\n# C\ntext c');
    expect(chunks.map((c) => c.sectionPath)).toEqual([['A', 'A3'], ['A', 'B'], ['C']]);
  });

  it('gives content before the first heading an empty path', () => {
    const chunks = chunkMarkdown('d', 'Preamble text.\n\n# Title\nBody.');
    expect(chunks[0]).toEqual({ id: 'd#0', documentId: 'd', text: 'Preamble text.', sectionPath: [], position: 0 });
    expect(chunks[1]?.sectionPath).toEqual(['Title']);
  });

  it('cleans heading markup from the section path', () => {
    const chunks = chunkMarkdown('d', '## **Return** `policy` [link](http://x) ##\nBody.');
    expect(chunks[0]?.sectionPath).toEqual(['Return policy link']);
  });

  it('does not treat "#" inside code fences or without a space as headings', () => {
    const markdown = '# Real\n```\n# not a heading\n```\n#hashtag text';
    const chunks = chunkMarkdown('d', markdown);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.sectionPath).toEqual(['Real']);
    expect(chunks[0]?.text).toBe('```\n# not a heading\n```\n\n#hashtag text');
  });

  it('drops thematic breaks', () => {
    expect(chunkMarkdown('d', '# T\nOne.\n\n---\n\nTwo.')[0]?.text).toBe('One.\n\nTwo.');
  });

  it('keeps list items intact and breaks between them when a section is too long', () => {
    const items = Array.from({ length: 6 }, (_, i) => `- Item ${i} has a sentence. And another one here.`);
    const chunks = chunkMarkdown('d', `# List\n${items.join('\n')}`, { maxChars: 120, overlapSentences: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    const lines = chunks.flatMap((c) => c.text.split('\n'));
    expect(lines).toEqual(items);
  });

  it('splits a single sentence longer than maxChars at word boundaries', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const chunks = chunkMarkdown('d', `# Huge\n${words.join(' ')}.`, { maxChars: 100, overlapSentences: 0 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(100);
      expect(chunk.sectionPath).toEqual(['Huge']);
    }
    expect(chunks.map((c) => c.text).join(' ')).toBe(`${words.join(' ')}.`);
  });

  it('keeps the limit for a huge sentence with overlap enabled', () => {
    const sentence = `${'lorem ipsum '.repeat(200).trim()}.`;
    const chunks = chunkMarkdown('d', `Short one. ${sentence} Short two.`, { maxChars: 80 });
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(80);
    expect(chunks[0]?.text.startsWith('Short one.')).toBe(true);
    expect(chunks[chunks.length - 1]?.text.endsWith('Short two.')).toBe(true);
  });

  it('cuts an unbroken CJK run at exactly maxChars', () => {
    const run = '退'.repeat(250);
    const chunks = chunkMarkdown('d', run, { maxChars: 100, overlapSentences: 0 });
    expect(chunks.map((c) => c.text.length)).toEqual([100, 100, 50]);
    expect(chunks.map((c) => c.text).join('')).toBe(run);
  });

  it('never splits a surrogate pair', () => {
    const chunks = chunkMarkdown('d', '𠀀'.repeat(10), { maxChars: 5, overlapSentences: 0 });
    for (const chunk of chunks) expect(chunk.text).toMatch(/^(?:𠀀)+$/u);
    expect(chunks.map((c) => c.text).join('')).toBe('𠀀'.repeat(10));
  });

  it('chunks Chinese Markdown by sentence', () => {
    const markdown =
      '# 退货政策\n\n商品签收后七天内可以申请退货。退款将原路返回，一般三到五个工作日到账。\n\n## 取消订单\n\n订单发货前可以随时取消。';
    const chunks = chunkMarkdown('faq', markdown, { maxChars: 30 });
    expect(chunks.map((c) => [c.sectionPath, c.text])).toEqual([
      [['退货政策'], '商品签收后七天内可以申请退货。'],
      [['退货政策'], '退款将原路返回，一般三到五个工作日到账。'],
      [['退货政策', '取消订单'], '订单发货前可以随时取消。'],
    ]);
  });

  it('keeps full-width characters untouched in the text', () => {
    const chunks = chunkMarkdown('d', '# Ｆｕｌｌ\nＲＥＴＵＲＮ within ７ days！');
    expect(chunks[0]?.sectionPath).toEqual(['Ｆｕｌｌ']);
    expect(chunks[0]?.text).toBe('ＲＥＴＵＲＮ within ７ days！');
  });

  it('normalises CRLF line endings', () => {
    expect(chunkMarkdown('d', '# T\r\n- a one\r\n- b two\r\n')[0]?.text).toBe('- a one\n- b two');
  });

  it('rejects nonsensical options', () => {
    expect(() => chunkMarkdown('d', 'x', { maxChars: 0 })).toThrow(RangeError);
    expect(() => chunkMarkdown('d', 'x', { maxChars: 1.5 })).toThrow(RangeError);
    expect(() => chunkMarkdown('d', 'x', { overlapSentences: -1 })).toThrow(RangeError);
  });
});

describe('withSectionContext', () => {
  it('prefixes the heading path', () => {
    expect(withSectionContext({ text: 'Body.', sectionPath: ['A', 'B'] })).toBe('A > B\n\nBody.');
  });

  it('returns the bare text when there is no heading', () => {
    expect(withSectionContext({ text: 'Body.', sectionPath: [] })).toBe('Body.');
  });
});

function stripBullet(sentence: string): string {
  return sentence.replace(/^(?:[-*+]|\d+[.)])\s+/, '');
}
