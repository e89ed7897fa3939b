import { extractEntities, type Entity } from './entities';

// Friday 15 March 2024, noon local time.
const now = new Date(2024, 2, 15, 12);
const values = (text: string, type: Entity['type']) =>
  extractEntities(text, { now })
    .filter((e) => e.type === type)
    .map((e) => e.value);

describe('extractEntities', () => {
  it('reads tau-retail order ids however they are typed', () => {
    for (const text of [
      'my order is #W2378156',
      'order W2378156 please',
      'it is w 2378156',
      '#w2378156?',
      '＃Ｗ２３７８１５６ 到哪了',
      'order 2378156 has not arrived',
      'order number is 2378156',
      '订单号2378156',
    ]) {
      expect({ text, ids: values(text, 'order_id') }).toEqual({ text, ids: ['#W2378156'] });
    }
    expect(values('call me on 2378156', 'order_id')).toEqual([]);
    expect(values('W23781567', 'order_id')).toEqual([]);
  });

  it('gives offsets into the raw text, full-width included', () => {
    const text = '你好，＃Ｗ２３７８１５６ 还没到';
    const [entity] = extractEntities(text);
    expect(entity).toEqual({ type: 'order_id', value: '#W2378156', raw: '＃Ｗ２３７８１５６', start: 3, end: 12 });
    expect(text.slice(entity.start, entity.end)).toBe(entity.raw);
  });

  it('lower-cases emails', () => {
    expect(values('reach me at Yusuf.Rossi@Example.COM thanks', 'email')).toEqual(['yusuf.rossi@example.com']);
  });

  it('normalises Chinese mobile, international and US phone numbers to + and digits', () => {
    expect(values('手机13812345678', 'phone')).toEqual(['+8613812345678']);
    expect(values('+86 138 1234 5678', 'phone')).toEqual(['+8613812345678']);
    expect(values('call +44 20 7946 0958', 'phone')).toEqual(['+442079460958']);
    expect(values('my phone is (555) 123-4567', 'phone')).toEqual(['+15551234567']);
    expect(values('my number is 5551234567', 'phone')).toEqual(['+15551234567']);
    expect(values('order #W2378156', 'phone')).toEqual([]);
  });

  it('finds names after "my name is", "I\'m", "this is" and 我叫, but not adjectives', () => {
    expect(values('Hi, my name is Yusuf Rossi and I need help', 'name')).toEqual(['Yusuf Rossi']);
    expect(values('my name is yusuf rossi', 'name')).toEqual(['Yusuf Rossi']);
    expect(values("I'm Yusuf Rossi, zip 19122", 'name')).toEqual(['Yusuf Rossi']);
    expect(values('this is Mei Ling', 'name')).toEqual(['Mei Ling']);
    expect(values('我叫张三，订单到哪了', 'name')).toEqual(['张三']);
    expect(values('我是李四', 'name')).toEqual(['李四']);
    expect(values("I'm very angry", 'name')).toEqual([]);
    expect(values("update it to 815 Lake Terrace, Apt 12B. Oops, it's Apt 21B, not 12B", 'name')).toEqual([]);
    expect(values("sorry, it's Suite 4 not 3", 'name')).toEqual([]);
    expect(values('this is Ridiculous', 'name')).toEqual([]);
    expect(values('我是来退货的', 'name')).toEqual([]);
  });

  it('takes capitalised words before a zip code as the name, and a bare name when one was asked for', () => {
    expect(values("I can't recall the email. Priya Desai, zip 60614", 'name')).toEqual(['Priya Desai']);
    expect(values('Anna Maria Lopez and my zip code is 94110', 'name')).toEqual(['Anna Maria Lopez']);
    expect(values('what is the zip code for returns', 'name')).toEqual([]);
    const asked = (text: string) =>
      extractEntities(text, { expecting: 'name' })
        .filter((e) => e.type === 'name')
        .map((e) => e.value);
    expect(asked('Priya Desai')).toEqual(['Priya Desai']);
    expect(asked("it's priya desai.")).toEqual(['Priya Desai']);
    expect(asked('王小明')).toEqual(['王小明']);
    expect(asked('yes')).toEqual([]);
    expect(asked('I already told you')).toEqual([]);
    expect(asked('谢谢你们')).toEqual([]);
    // Not asked, a bare pair of words is no name.
    expect(values('Priya Desai', 'name')).toEqual([]);
  });

  it('reads a name followed by a bare zip code only when the bot asked who they are', () => {
    const asked = (text: string, expecting: 'email' | 'zip' | 'name' | undefined) =>
      extractEntities(text, { expecting })
        .filter((e) => e.type === 'name' || e.type === 'zip')
        .map((e) => `${e.type}:${e.value}`);
    expect(asked('Lena Okafor, 32124', 'email')).toEqual(['name:Lena Okafor', 'zip:32124']);
    expect(asked('no email on hand - Lena Marie Okafor 32124-0001. thanks', 'email')).toEqual(['name:Lena Marie Okafor', 'zip:32124-0001']);
    expect(asked('Lena Okafor, 32124', 'zip')).toEqual(['name:Lena Okafor', 'zip:32124']);
    // Not asked, or not a name (one word, lower case, a word that is no name), it is not read so.
    expect(asked('Lena Okafor, 32124', undefined)).toEqual([]);
    expect(asked('Okafor 32124', 'email')).toEqual([]);
    expect(asked('the order 32124', 'email')).toEqual([]);
    expect(asked('The Lamp 32124', 'email')).toEqual([]);
  });

  it('takes a zip code only with context or alone, and Chinese postcodes after 邮编', () => {
    expect(values('my zip is 19122', 'zip')).toEqual(['19122']);
    expect(values('zip code: 46201-1234', 'zip')).toEqual(['46201-1234']);
    expect(values(' 19122 ', 'zip')).toEqual(['19122']);
    expect(values('邮编：100080', 'zip')).toEqual(['100080']);
    expect(values('I bought 12345 stickers', 'zip')).toEqual([]);
  });

  it('normalises amounts to two decimals and a currency code', () => {
    expect(values('I paid $12.50', 'amount')).toEqual(['12.50 USD']);
    expect(values('it was 12.5 dollars', 'amount')).toEqual(['12.50 USD']);
    expect(values('USD 30', 'amount')).toEqual(['30.00 USD']);
    expect(values('¥100', 'amount')).toEqual(['100.00 CNY']);
    expect(values('退我100元', 'amount')).toEqual(['100.00 CNY']);
    expect(values('$1,299.99 for a laptop', 'amount')).toEqual(['1299.99 USD']);
    expect(values('＄５', 'amount')).toEqual(['5.00 USD']);
  });

  it('resolves absolute and relative dates against now', () => {
    expect(values('ordered on 2024-03-05', 'date')).toEqual(['2024-03-05']);
    expect(values('on March 5', 'date')).toEqual(['2024-03-05']);
    expect(values('5 March 2023', 'date')).toEqual(['2023-03-05']);
    expect(values('yesterday', 'date')).toEqual(['2024-03-14']);
    expect(values('today or tomorrow', 'date')).toEqual(['2024-03-15', '2024-03-16']);
    expect(values('last Monday', 'date')).toEqual(['2024-03-11']);
    expect(values('last Friday', 'date')).toEqual(['2024-03-08']);
    expect(values('3月5日下的单', 'date')).toEqual(['2024-03-05']);
    expect(values('上周一', 'date')).toEqual(['2024-03-04']);
    expect(values('February 30', 'date')).toEqual([]);
  });

  it('returns several entities in text order without overlaps', () => {
    const entities = extractEntities("I'm Yusuf Rossi, yusuf.rossi@example.com, order #W2378156 from March 5 cost $30", { now });
    expect(entities.map((e) => e.type)).toEqual(['name', 'email', 'order_id', 'date', 'amount']);
  });
});
