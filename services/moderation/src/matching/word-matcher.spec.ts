import { foldText } from './text-folding';
import { outsideAllowed, WordMatcher } from './word-matcher';

const matcher = WordMatcher.build([
  { word: 'ass', value: 'ass' },
  { word: 'fuck', value: 'fuck' },
  { word: 'kill you', value: 'threat' },
  { word: '傻逼', value: 'abuse' },
  { word: '成人电影', value: 'porn' },
  { word: '电影', value: 'film' },
  { word: 'qq出售', value: 'crime' },
  { word: 'FUCK', value: 'fuck-again' },
]);
const find = (text: string) => matcher.find(foldText(text)).map((m) => `${m.value}:${text.slice(m.start, m.end)}`);

describe('WordMatcher', () => {
  it('matches Latin-script entries as whole words only', () => {
    expect(find('kick ass')).toEqual(['ass:ass']);
    expect(find('my class passed the assessment in Scunthorpe')).toEqual([]);
    expect(find('I will kill you.')).toEqual(['threat:kill you']);
    expect(find('skill you have')).toEqual([]);
  });

  it('matches Chinese entries as substrings, overlapping ones included', () => {
    expect(find('我想看成人电影吗')).toEqual(['porn:成人电影', 'film:电影']);
    expect(find('你这个傻逼')).toEqual(['abuse:傻逼']);
  });

  it('needs a boundary only on the Latin side of a mixed entry', () => {
    expect(find('加我qq出售')).toEqual(['crime:qq出售']);
    expect(find('myqq出售')).toEqual([]);
  });

  it('reports offsets in the original text for full-width and separated spellings', () => {
    const text = 'you ＦＵＣＫ and f.u.c.k and 傻*逼 and 傻 逼';
    const found = matcher.find(foldText(text)).filter((m) => m.value !== 'fuck-again');
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(['ＦＵＣＫ', 'f.u.c.k', '傻*逼', '傻 逼']);
    expect(found[0]).toMatchObject({ start: 4, end: 8 });
  });

  it('keeps every value of entries that fold to the same word', () => {
    expect(find('fuck')).toEqual(['fuck:fuck', 'fuck-again:fuck']);
    expect(matcher.size).toBe(7);
  });
});

describe('outsideAllowed', () => {
  it('drops matches inside an allowed span and keeps those that only overlap it', () => {
    const matches = [
      { start: 2, end: 4 },
      { start: 3, end: 7 },
    ];
    expect(outsideAllowed(matches, [{ start: 0, end: 5 }])).toEqual([{ start: 3, end: 7 }]);
  });
});
