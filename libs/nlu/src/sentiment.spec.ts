import { sentimentOf } from './sentiment';

describe('sentimentOf', () => {
  it('scores an angry repeat complaint above the hand-off line', () => {
    const s = sentimentOf("This is ridiculous, third time I'm asking! Refund NOW!!!");
    expect(s.frustration).toBeGreaterThanOrEqual(0.7);
    expect(s.polarity).toBeLessThan(-0.5);
    expect(s.signals).toEqual(expect.arrayContaining(['ridiculous', 'third time', 'refund now', 'repeated_punctuation']));
  });

  it('scores Chinese anger the same way', () => {
    const s = sentimentOf('气死我了，垃圾客服，我要投诉！');
    expect(s.frustration).toBeGreaterThanOrEqual(0.7);
    expect(s.signals).toEqual(expect.arrayContaining(['气死', '垃圾', '投诉']));
  });

  it('leaves a calm request at zero, polite Chinese (麻烦你) and appliance names (滚筒) included', () => {
    expect(sentimentOf('where is my order')).toEqual({ frustration: 0, polarity: 0, signals: [] });
    expect(sentimentOf('我的订单到哪了')).toEqual({ frustration: 0, polarity: 0, signals: [] });
    expect(sentimentOf('麻烦帮我查一下滚筒洗衣机的订单').frustration).toBe(0);
  });

  it('reads thanks as positive', () => {
    const s = sentimentOf('thanks, that was really helpful');
    expect(s.frustration).toBe(0);
    expect(s.polarity).toBeGreaterThan(0.5);
  });

  it('turns a negated positive into mild frustration, and a negated negative into nothing', () => {
    const notHappy = sentimentOf("I'm not happy with this");
    expect(notHappy.signals).toEqual(['not happy']);
    expect(notHappy.frustration).toBeGreaterThan(0.2);
    expect(notHappy.frustration).toBeLessThan(0.7);
    expect(notHappy.polarity).toBeLessThan(0);
    expect(sentimentOf('不满意').signals).toEqual(['not 满意']);
    expect(sentimentOf('not bad').frustration).toBe(0);
  });

  it('counts intensifiers, shouting and repeated punctuation', () => {
    expect(sentimentOf('I am so angry').frustration).toBeGreaterThan(sentimentOf('I am angry').frustration);
    expect(sentimentOf('WHERE IS MY REFUND').signals).toContain('all_caps');
    expect(sentimentOf('where is my PIN').signals).not.toContain('all_caps');
    expect(sentimentOf('where is my order？？').signals).toEqual(['repeated_punctuation']);
    expect(sentimentOf('你们太差了！！').frustration).toBeGreaterThan(sentimentOf('你们太差了').frustration);
  });
});
