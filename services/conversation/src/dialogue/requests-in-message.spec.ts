import { requestsIn } from './requests-in-message';

// The message as moderation passes it on (the address masked) and as the customer wrote it.
const mask = (raw: string) => raw.replace(/\d+ [A-Z][a-z]+ (?:Lane|Street|Road)(?:, Apt \d+)?, [A-Z][a-z]+, [A-Z]{2} \d{5}/g, '[ADDRESS]');
const split = (raw: string, likely: string[] = []) => requestsIn(mask(raw), raw, likely);

describe('requestsIn', () => {
  it('takes a cancellation and a new account address from one message, in the order asked, each with its own words', () => {
    const raw =
      "Hi, two things. Could you cancel the desk lamp I ordered? I don't need it anymore. And I've moved, so the address on my account should now be 55 Birch Lane, Apt 4, Portland, ME 04101.";
    expect(split(raw)).toEqual([
      {
        intent: 'cancel_order',
        text: "Hi, two things. Could you cancel the desk lamp I ordered? I don't need it anymore.",
        raw: expect.stringContaining('cancel'),
      },
      {
        intent: 'change_user_address',
        text: "And I've moved, so the address on my account should now be [ADDRESS].",
        raw: "And I've moved, so the address on my account should now be 55 Birch Lane, Apt 4, Portland, ME 04101.",
      },
    ]);
  });

  it('reads a new address given after the request for it as that request, not as a second one', () => {
    const raw = 'hey could u updte the adress on my acount? its now 14 Cedar Lane, Apt 2, Dayton, OH 45402';
    expect(mask(raw)).toContain('[ADDRESS]');
    expect(split(raw, ['change_address'])).toBeUndefined();
    expect(
      split('I moved last month. Could you change the address saved on my profile? The new one is 8 Elm Street, Dayton, OH 45402.'),
    ).toBeUndefined();
  });

  it('keeps the whole message for a later address request that points back at the address ("make it my default")', () => {
    const raw =
      "Hi, two things please. I've moved to 3318 Sweetgum Lane, Apt 5, Chattanooga, TN 37405. Could my order with the tablet and the perfume be shipped there, and could you also make it the default address on my account?";
    const requests = split(raw);
    expect(requests?.map((r) => r.intent)).toEqual(['change_address', 'change_user_address']);
    expect(requests?.[0].text).toContain('the tablet and the perfume be shipped there');
    expect(requests?.[1]).toEqual({
      intent: 'change_user_address',
      text: 'and could you also make it the default address on my account?',
      raw,
    });
  });

  it('splits at "and" only where a request of its own starts, and keeps order numbers with their request', () => {
    expect(split('Please cancel order #W1234567 because I ordered it by mistake and return the boots from order #W7654321')).toEqual([
      { intent: 'cancel_order', text: 'Please cancel order #W1234567 because I ordered it by mistake', raw: expect.any(String) },
      { intent: 'return_item', text: 'and return the boots from order #W7654321', raw: 'and return the boots from order #W7654321' },
    ]);
    expect(split('Please return the boots and the scarf from my last order')).toBeUndefined();
  });

  it('reads exchange or modify from the words and the classifier, and the Chinese connectives', () => {
    expect(
      split('I want to return the kettle. Also could you swap the helmet in my pending order for the white one?', ['modify_order'])?.map(
        (r) => r.intent,
      ),
    ).toEqual(['return_item', 'modify_order']);
    expect(split('帮我把订单#W5208989的地址改为 12 Elm Street, Denver, CO 80203，顺便把默认地址也更新一下')?.map((r) => r.intent)).toEqual([
      'change_address',
      'change_user_address',
    ]);
    expect(split('Please cancel my pending order. And I already returned the shoes from the other one.')).toBeUndefined();
    expect(split('帮我取消订单#W1234567，另外把默认地址改成上海市南京西路100号')?.map((r) => r.intent)).toEqual([
      'cancel_order',
      'change_user_address',
    ]);
  });

  it('is one request when the parts are alternatives, a negation, a statement, or one action said twice', () => {
    expect(split('Can I exchange the lamp for the silver one? If not, I want to return it.')).toBeUndefined();
    expect(split('I want to exchange the lamp. Or return it, whichever is easier.')).toBeUndefined();
    expect(split("I don't want to return it. Please exchange the lamp for the silver one.")).toBeUndefined();
    expect(split("I want to return the kettle. Actually, I'd rather exchange it for the glass one.")).toBeUndefined();
    expect(split('I already returned the shoes last week. Please cancel my pending order.')).toBeUndefined();
    expect(split('Please cancel my order. Cancel it today please.')).toBeUndefined();
    expect(split('Please cancel my order.')).toBeUndefined();
  });
});
