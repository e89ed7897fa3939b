import { chineseIdValid, findPii, luhnValid } from './pii';
import { applyRedactions } from './redaction';

function redactPii(text: string) {
  const findings = findPii(text);
  return { text: applyRedactions(text, findings), findings };
}

const rules = (text: string) => findPii(text).map((f) => `${f.rule}:${text.slice(f.start, f.end)}`);

describe('redactPii', () => {
  it('replaces emails, phones, cards and Chinese ids with placeholders', () => {
    const { text, findings } = redactPii(
      'Mail jane.doe@example.com or call +1 415-555-0134, card 4111 1111 1111 1111, 手机 13812345678, 身份证 11010519491231002X',
    );
    expect(text).toBe('Mail [EMAIL] or call [PHONE], card [CARD], 手机 [PHONE], 身份证 [ID_NUMBER]');
    expect(findings.map((f) => f.rule)).toEqual(['pii.email', 'pii.phone', 'pii.card', 'pii.phone', 'pii.cn_id']);
  });

  it('finds each kind on its own', () => {
    expect(rules('write to sam@example.co.uk')).toEqual(['pii.email:sam@example.co.uk']);
    expect(rules('call (415) 555-0134')).toEqual(['pii.phone:(415) 555-0134']);
    expect(rules('call 1-415-555-0134')).toEqual(['pii.phone:1-415-555-0134']);
    expect(rules('电话+86 13912345678')).toEqual(['pii.phone:+86 13912345678']);
    expect(rules('card 4111-1111-1111-1111')).toEqual(['pii.card:4111-1111-1111-1111']);
    expect(rules('id 11010519491231002x')).toEqual(['pii.cn_id:11010519491231002x']);
  });

  it('redacts US street addresses with their unit, city, state and zip', () => {
    expect(redactPii('Ship it to 123 Main St, Apt 4 please').text).toBe('Ship it to [ADDRESS] please');
    expect(redactPii('986 Sunset Drive, Suite 259, Denver, CO 80279').text).toBe('[ADDRESS]');
    expect(redactPii('send to 42 West 5th Avenue now').text).toBe('send to [ADDRESS] now');
    expect(redactPii('i live at 77 elm st.').text).toBe('i live at [ADDRESS]');
    expect(redactPii('deliver to 986 sunset drive, suite 259 tomorrow').text).toBe('deliver to [ADDRESS] tomorrow');
    expect(redactPii('854 Broadway, Suite 293, Phoenix, AZ 85093').text).toBe('[ADDRESS]');
  });

  it('redacts Chinese addresses from the first place name on', () => {
    expect(redactPii('我住在北京市朝阳区建国路88号').text).toBe('我住在[ADDRESS]');
    expect(redactPii('寄到广东省深圳市南山区科技园路1号3栋201室，谢谢').text).toBe('寄到[ADDRESS]，谢谢');
    expect(redactPii('地址是阳光花园3栋502室').text).toBe('地址是[ADDRESS]');
  });

  it('leaves order numbers, amounts, zip codes and everyday numbers alone', () => {
    for (const input of [
      'Order #W2378156 cost $1234.56; ref 4111 1111 1111 1112; zip 80218',
      'I drove 20 miles down the road and bought 12 roll ct paper towels',
      'My order has 2 Blue T-Shirts and 3 Mugs',
      'I bought 2 hard drive enclosures',
      'we walked 2 blocks down the street',
      'Can I return it within 30 days?',
      '订单号 #W2378156，金额 199.00 元，邮编 100020',
      '地铁1号线到建国路站怎么走',
      '我家在北京市朝阳区',
      '第3号商品缺货',
      'Call us on 1-800-555-0199 or (888) 555-0100',
      '客服热线400-123-4567',
    ]) {
      expect(redactPii(input)).toEqual({ text: input, findings: [] });
    }
  });

  it('checks checksums', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(chineseIdValid('11010519491231002X')).toBe(true);
    expect(chineseIdValid('110105194912310021')).toBe(false);
  });
});
