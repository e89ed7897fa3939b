import { completeSentencesLength } from './sentence-ends';

const released = (text: string) => text.slice(0, completeSentencesLength(text));

describe('completeSentencesLength', () => {
  it('cuts English text after a sentence end once whitespace follows', () => {
    expect(released('Returns take 30 days [1]. Refunds go')).toBe('Returns take 30 days [1].');
    expect(released('Really? Yes! Done. More')).toBe('Really? Yes! Done.');
    expect(released('Returns take 30 days.')).toBe('');
  });

  it('does not cut inside numbers, addresses or at a stop whose follower is not written yet', () => {
    expect(released('It costs 3.5 dollars and example.com has it')).toBe('');
    expect(released('It costs 3.')).toBe('');
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(released('It says "no returns." Then')).toBe('It says "no returns."');
    expect(released('(See the policy.) Then')).toBe('(See the policy.)');
  });

  it('cuts Chinese text after a full stop, exclamation or question mark without whitespace', () => {
    expect(released('订单已发货。请注意查收！还有问题吗？我')).toBe('订单已发货。请注意查收！还有问题吗？');
    expect(released('他说“好的。”然后')).toBe('他说“好的。”');
    expect(released('订单已发货。')).toBe('');
  });

  it('cuts after a line break', () => {
    expect(released('Steps:\n1) Open the order')).toBe('Steps:\n');
  });

  it('returns 0 when no sentence is complete', () => {
    expect(completeSentencesLength('')).toBe(0);
    expect(completeSentencesLength('Your card 4111 1111')).toBe(0);
  });
});
