import { isCjkChar, STOP_WORDS, stemWord, tokenize } from './tokenizer';

describe('tokenize', () => {
  it('lowercases, splits on punctuation and drops stop words', () => {
    expect(tokenize('How do I return an item?')).toEqual(['return', 'item']);
    expect(tokenize('Can I cancel my ORDER, please!')).toEqual(['cancel', 'order']);
  });

  it('returns nothing for empty, blank or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   \n\t ')).toEqual([]);
    expect(tokenize('?!... -- ** ##')).toEqual([]);
  });

  it('returns nothing for a question made only of stop words', () => {
    expect(tokenize('What is this? Can you help me please?')).toEqual([]);
  });

  it('keeps order ids as one token without the hash', () => {
    expect(tokenize('Where is order #W2378156?')).toEqual(['order', 'w2378156']);
    expect(tokenize('order#W2378156')).toEqual(['order', 'w2378156']);
  });

  it('does not stem tokens that contain digits', () => {
    expect(tokenize('items #W1234ed 2nd')).toEqual(['item', 'w1234ed', '2nd']);
  });

  it('normalises full-width characters to their ASCII forms', () => {
    expect(tokenize('ＲＥＴＵＲＮ　ｏｒｄｅｒ　＃Ｗ２３７８１５６')).toEqual(['return', 'order', 'w2378156']);
    expect(tokenize('ｒｅｆｕｎｄｓ')).toEqual(tokenize('refunds'));
  });

  it('joins apostrophe contractions and possessives instead of leaving one-letter debris', () => {
    expect(tokenize("what's the customer's policy? I don't see it")).toEqual(['customer', 'policy', 'see']);
    expect(tokenize('the customer’s address')).toEqual(['customer', 'address']);
  });

  it('drops single letters but keeps single digits', () => {
    expect(tokenize('size M, e.g. 5 to 7 days')).toEqual([stemWord('size'), '5', '7', 'day']);
  });

  it('keeps "id" because "order id" matters', () => {
    expect(tokenize('confirm the order id')).toEqual(['confirm', 'order', 'id']);
  });

  it('gives query and document wordings of the same idea the same tokens', () => {
    expect(tokenize('cancelled orders')).toEqual(tokenize('cancel order'));
    expect(tokenize('returning items')).toEqual(tokenize('return item'));
    expect(tokenize('Exchanges were exchanged')).toEqual(['exchang', 'exchang']);
  });

  describe('CJK', () => {
    it('emits overlapping character bigrams for a Chinese run', () => {
      expect(tokenize('退货政策')).toEqual(['退货', '货政', '政策']);
    });

    it('emits the single character for a one-character run', () => {
      expect(tokenize('猫')).toEqual(['猫']);
      expect(tokenize('买 猫')).toEqual(['买', '猫']);
    });

    it('drops Chinese function-word bigrams such as 怎么', () => {
      expect(tokenize('怎么退货')).toEqual(['么退', '退货']);
      expect(tokenize('吗')).toEqual([]);
    });

    it('separates CJK from adjacent Latin text and digits', () => {
      expect(tokenize('我要退货order#W2378156')).toEqual(['我要', '要退', '退货', 'order', 'w2378156']);
      expect(tokenize('7天内退款')).toEqual(['7', '天内', '内退', '退款']);
    });

    it('breaks runs at CJK punctuation', () => {
      expect(tokenize('退货，退款。')).toEqual(['退货', '退款']);
    });

    it('normalises full-width digits inside Chinese text', () => {
      expect(tokenize('７天')).toEqual(['7', '天']);
    });

    it('handles Japanese kana (including the long-vowel mark) and Korean Hangul', () => {
      expect(tokenize('スーパー')).toEqual(['スー', 'ーパ', 'パー']);
      expect(tokenize('返品したい')).toEqual(['返品', '品し', 'した', 'たい']);
      expect(tokenize('환불 요청')).toEqual(['환불', '요청']);
    });

    it('keeps characters outside the Basic Multilingual Plane whole', () => {
      expect(tokenize('𠀀𠀁')).toEqual(['𠀀𠀁']);
    });
  });

  it('keeps accented Latin words whole', () => {
    expect(tokenize('Café crème')).toEqual(['café', 'crème']);
  });
});

describe('stemWord', () => {
  it.each([
    ['returns', 'return'],
    ['returned', 'return'],
    ['returning', 'return'],
    ['cancel', 'cancel'],
    ['cancels', 'cancel'],
    ['cancelled', 'cancel'],
    ['canceled', 'cancel'],
    ['cancelling', 'cancel'],
    ['cancellation', 'cancel'],
    ['refunded', 'refund'],
    ['policies', 'policy'],
    ['modified', 'modify'],
    ['modifying', 'modify'],
    ['modification', 'modify'],
    ['shipping', 'ship'],
    ['addresses', 'address'],
    ['boxes', 'box'],
    ['items', 'item'],
    ['confirmation', 'confirm'],
    ['confirmed', 'confirm'],
  ])('%s → %s', (word, stem) => {
    expect(stemWord(word)).toBe(stem);
  });

  it('maps all forms of a word with a silent e to one stem', () => {
    const stems = ['exchange', 'exchanged', 'exchanges', 'exchanging'].map(stemWord);
    expect(new Set(stems).size).toBe(1);
    expect(stemWord('take')).toBe(stemWord('taking'));
  });

  it('leaves words whose ending only looks like a suffix', () => {
    for (const word of ['status', 'address', 'business', 'this', 'need', 'proceed', 'bring', 'string', 'used']) {
      expect(stemWord(word)).toBe(word);
    }
  });

  it('leaves short words, non-ASCII words and words with digits alone', () => {
    expect(stemWord('was')).toBe('was');
    expect(stemWord('cafés')).toBe('cafés');
    expect(stemWord('w123s')).toBe('w123s');
  });
});

describe('STOP_WORDS', () => {
  it('contains function words but not domain words', () => {
    expect(STOP_WORDS.has('the')).toBe(true);
    expect(STOP_WORDS.has('how')).toBe(true);
    expect(STOP_WORDS.has('help')).toBe(true);
    for (const word of ['order', 'return', 'refund', 'id', 'cancel']) expect(STOP_WORDS.has(word)).toBe(false);
  });
});

describe('isCjkChar', () => {
  it('recognises Han, kana and Hangul but not Latin or CJK punctuation', () => {
    for (const c of ['退', 'あ', 'カ', '한']) expect(isCjkChar(c)).toBe(true);
    for (const c of ['a', '1', '。', '，', '']) expect(isCjkChar(c)).toBe(false);
  });
});
