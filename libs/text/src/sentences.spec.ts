import { splitSentences } from './sentences';

describe('splitSentences', () => {
  it('splits English on . ! ? followed by whitespace', () => {
    expect(splitSentences('Your order shipped. It arrives Monday! Any questions? Ask us.')).toEqual([
      'Your order shipped.',
      'It arrives Monday!',
      'Any questions?',
      'Ask us.',
    ]);
  });

  it('returns an empty list for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n\t ')).toEqual([]);
  });

  it('returns text without terminal punctuation as one sentence', () => {
    expect(splitSentences('  no punctuation here  ')).toEqual(['no punctuation here']);
  });

  it('does not break after e.g., i.e., Mr. or inside decimals', () => {
    expect(splitSentences('Provide details, e.g. help the user look up order id. Mr. Smith paid 2.50 dollars, i.e. the fee.')).toEqual([
      'Provide details, e.g. help the user look up order id.',
      'Mr. Smith paid 2.50 dollars, i.e. the fee.',
    ]);
  });

  it('does not break on abbreviations wrapped in brackets', () => {
    expect(splitSentences('Pick a colour (e.g. blue) today.')).toEqual(['Pick a colour (e.g. blue) today.']);
  });

  it('breaks after "etc." or "no." only when the next word is capitalised', () => {
    expect(splitSentences('Shoes, shirts etc. are covered. Bags, belts etc. Everything else is not.')).toEqual([
      'Shoes, shirts etc. are covered.',
      'Bags, belts etc.',
      'Everything else is not.',
    ]);
    expect(splitSentences('See item no. 5 today. The answer is no. Sorry.')).toEqual([
      'See item no. 5 today.',
      'The answer is no.',
      'Sorry.',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(splitSentences('He said "stop." Then he left. (It was late.) Fine.')).toEqual([
      'He said "stop."',
      'Then he left.',
      '(It was late.)',
      'Fine.',
    ]);
  });

  it('keeps runs of terminators together', () => {
    expect(splitSentences('Be sure!!! Really?! Wait... ok.')).toEqual(['Be sure!!!', 'Really?!', 'Wait...', 'ok.']);
  });

  it('treats each list item as its own sentence even without a full stop', () => {
    expect(splitSentences('- first item\n- second item. With two sentences\n* third\n+ fourth')).toEqual([
      '- first item',
      '- second item.',
      'With two sentences',
      '* third',
      '+ fourth',
    ]);
  });

  it('does not read an ordered-list marker as a sentence end', () => {
    expect(splitSentences('1. Check the status. 2) Confirm the id\n10. Done')).toEqual([
      '1. Check the status.',
      '2) Confirm the id',
      '10. Done',
    ]);
  });

  it('treats headings as separate sentences', () => {
    expect(splitSentences('## Cancel pending order\nAn order can only be cancelled if pending.')).toEqual([
      '## Cancel pending order',
      'An order can only be cancelled if pending.',
    ]);
  });

  it('joins soft-wrapped English lines and splits on blank lines', () => {
    expect(splitSentences('The refund goes to\nthe original method\n\nA new paragraph')).toEqual([
      'The refund goes to the original method',
      'A new paragraph',
    ]);
  });

  it('joins lazy continuation lines into the list item', () => {
    expect(splitSentences('- The user must confirm\n  the order id.\n- Next item')).toEqual([
      '- The user must confirm the order id.',
      '- Next item',
    ]);
  });

  it('handles CRLF line endings and collapses inner whitespace', () => {
    expect(splitSentences('One   sentence\there.\r\n\r\nTwo.')).toEqual(['One sentence here.', 'Two.']);
  });

  describe('Chinese', () => {
    it('splits on 。！？； without needing spaces', () => {
      expect(splitSentences('商品签收后七天内可以退货。退款将原路返回！有问题吗？请联系客服；谢谢')).toEqual([
        '商品签收后七天内可以退货。',
        '退款将原路返回！',
        '有问题吗？',
        '请联系客服；',
        '谢谢',
      ]);
    });

    it('splits on full-width ！ and ？ and keeps closing quotes', () => {
      expect(splitSentences('他说：“可以！”然后走了？好')).toEqual(['他说：“可以！”', '然后走了？', '好']);
    });

    it('splits on ASCII ! and ? directly followed by Chinese', () => {
      expect(splitSentences('好的!谢谢?再见')).toEqual(['好的!', '谢谢?', '再见']);
    });

    it('treats a line ending in a Chinese character as complete', () => {
      expect(splitSentences('退货政策\n签收后七天内可以退货')).toEqual(['退货政策', '签收后七天内可以退货']);
    });

    it('joins a Chinese line that ends mid-clause with a comma', () => {
      expect(splitSentences('签收后，\n七天内可以退货。')).toEqual(['签收后， 七天内可以退货。']);
    });

    it('handles mixed English and Chinese', () => {
      expect(splitSentences('Order #W1 已发货。It arrives soon.')).toEqual(['Order #W1 已发货。', 'It arrives soon.']);
    });
  });

  it('keeps a very long sentence whole', () => {
    const long = `${'word '.repeat(2000).trim()}.`;
    expect(splitSentences(long)).toEqual([long]);
  });
});
