import { foldText, foldWord, isWordChar } from './text-folding';

describe('foldText', () => {
  it('folds full-width and upper case, mapping each folded character back to the original', () => {
    const t = foldText('ＡＢｃ１２');
    expect(t.folded).toBe('abc12');
    expect(Array.from(t.foldedStart)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(t.foldedEnd)).toEqual([1, 2, 3, 4, 5]);
  });

  it('maps characters that NFKC expands and astral characters to their whole original code point', () => {
    const t = foldText('x\u{1D400}ﬁ');
    expect(t.folded).toBe('xafi');
    expect(Array.from(t.foldedStart)).toEqual([0, 1, 3, 3]);
    expect(Array.from(t.foldedEnd)).toEqual([1, 3, 4, 4]);
  });

  it('drops separators inside words and spaces between Han characters, and collapses white space, in the compact view only', () => {
    const t = foldText('f.u*c-k 傻 逼 so \n far');
    expect(t.folded).toBe('f.u*c-k 傻 逼 so \n far');
    expect(t.compact).toBe('fuck 傻逼 so far');
    expect(t.original.slice(t.compactStart[5], t.compactEnd[6])).toBe('傻 逼');
  });

  it('writes Chinese numerals as digits for word lists, like the houbb lists do', () => {
    expect(foldText('一夜情').compact).toBe('1夜情');
    expect(foldText('一夜情').folded).toBe('一夜情');
  });

  it('folds list entries exactly like text', () => {
    expect(foldWord(' Ｆ.U.C.K ')).toBe('fuck');
    expect(foldWord('出售炸药 电话')).toBe('出售炸药电话');
  });
});

describe('isWordChar', () => {
  it('counts letters and digits of spaced scripts, not CJK or punctuation', () => {
    expect(['a', 'Z', '7', 'é', 'Ж', 'Ａ'].every(isWordChar)).toBe(true);
    expect(['傻', 'カ', '한', ' ', '.', '#'].some(isWordChar)).toBe(false);
  });
});
