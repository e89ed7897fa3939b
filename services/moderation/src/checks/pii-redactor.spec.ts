import { chineseIdValid, luhnValid, redactPii } from './pii-redactor';

describe('redactPii', () => {
  it('replaces emails, phones, cards and Chinese ids with placeholders', () => {
    const { text, findings } = redactPii('Mail jane.doe@example.com or call +1 415-555-0134, card 4111 1111 1111 1111, 手机 13812345678, 身份证 11010519491231002X');
    expect(text).toBe('Mail [EMAIL] or call [PHONE], card [CARD], 手机 [PHONE], 身份证 [ID_NUMBER]');
    expect(findings.map((f) => f.rule)).toEqual(['pii.email', 'pii.phone', 'pii.card', 'pii.phone', 'pii.cn_id']);
  });

  it('leaves order numbers, amounts and invalid card numbers alone', () => {
    const input = 'Order #W2378156 cost $1234.56; ref 4111 1111 1111 1112; zip 80218';
    expect(redactPii(input).text).toBe(input);
  });

  it('checks checksums', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(chineseIdValid('11010519491231002X')).toBe(true);
    expect(chineseIdValid('110105194912310021')).toBe(false);
  });
});
