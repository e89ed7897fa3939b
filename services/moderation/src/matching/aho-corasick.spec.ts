import { AhoCorasick } from './aho-corasick';

function occurrences(automaton: AhoCorasick, patterns: string[], text: string): string[] {
  const found: string[] = [];
  automaton.scan(text, (p, end) => found.push(`${patterns[p]}@${end - patterns[p].length}`));
  return found.sort();
}

function naive(patterns: string[], text: string): string[] {
  const found: string[] = [];
  patterns.forEach((p) => {
    if (p === '') return;
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) found.push(`${p}@${i}`);
  });
  return found.sort();
}

describe('AhoCorasick', () => {
  it('finds overlapping and nested patterns, each at every position', () => {
    const patterns = ['he', 'she', 'his', 'hers'];
    expect(occurrences(AhoCorasick.build(patterns), patterns, 'ushers')).toEqual(['he@2', 'hers@2', 'she@1']);
    const cjk = ['成人', '成人电影', '电影', '人电'];
    expect(occurrences(AhoCorasick.build(cjk), cjk, '看成人电影')).toEqual(['人电@2', '成人@1', '成人电影@1', '电影@3']);
  });

  it('reports a pattern that follows a failed partial match (failure links)', () => {
    const patterns = ['abcd', 'bce'];
    expect(occurrences(AhoCorasick.build(patterns), patterns, 'abce')).toEqual(['bce@1']);
  });

  it('never matches empty patterns and reports duplicates under each index', () => {
    const patterns = ['', 'ab', 'ab'];
    const found: number[] = [];
    AhoCorasick.build(patterns).scan('xab', (p) => found.push(p));
    expect(found.sort()).toEqual([1, 2]);
  });

  it('agrees with a naive search on random texts, small and large alphabets (root table)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const alphabet of ['abc', Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('')]) {
      const word = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
      const patterns = Array.from({ length: alphabet.length > 3 ? 2000 : 30 }, () => word(1 + random(4)));
      const automaton = AhoCorasick.build(patterns);
      const unique = [...new Set(patterns)];
      for (let t = 0; t < 20; t += 1) {
        const text = word(200);
        const found: string[] = [];
        automaton.scan(text, (p, end) => found.push(`${patterns[p]}@${end - patterns[p].length}`));
        // Duplicated patterns report once per index; compare distinct occurrences.
        expect([...new Set(found)].sort()).toEqual(naive(unique, text));
      }
    }
  });
});
