import { describeMethod, methodNamedIn, type PaymentMethod } from './payment-methods';

const card: PaymentMethod = { id: 'credit_card_3362387', source: 'credit_card', brand: 'mastercard', last_four: '2130' };
const gift: PaymentMethod = { id: 'gift_card_2259499', source: 'gift_card', balance: 30 };
const paypal: PaymentMethod = { id: 'paypal_1', source: 'paypal' };

describe('payment methods in conversation', () => {
  it('spells each method out in both languages', () => {
    expect(describeMethod(card, 'en')).toBe('Mastercard credit card ending 2130');
    expect(describeMethod(gift, 'en')).toBe('gift card (balance $30.00)');
    expect(describeMethod(card, 'zh')).toBe('尾号 2130 的Mastercard信用卡');
  });

  it('finds the method a message names, or none when it is unclear', () => {
    const choices = [card, gift, paypal];
    expect(methodNamedIn('to my gift card please', choices)?.id).toBe(gift.id);
    expect(methodNamedIn('the card ending 2130', choices)?.id).toBe(card.id);
    expect(methodNamedIn('退到礼品卡', choices)?.id).toBe(gift.id);
    expect(methodNamedIn('back to my paypal', choices)?.id).toBe(paypal.id);
    expect(methodNamedIn('the original one', choices, card.id, true)?.id).toBe(card.id);
    expect(methodNamedIn('same as before', choices, card.id, true)?.id).toBe(card.id);
    expect(methodNamedIn('put it on the same card I paid with', choices, card.id)?.id).toBe(card.id);
    expect(methodNamedIn('原路退回就行', choices, card.id)?.id).toBe(card.id);
    // Not asked about the payment: "the same" is about the product.
    expect(methodNamedIn('can I swap it for the same model in blue?', choices, card.id)).toBeUndefined();
    expect(methodNamedIn('the original colour, please', choices, card.id)).toBeUndefined();
    expect(methodNamedIn('换成原来的颜色', choices, card.id)).toBeUndefined();
    expect(methodNamedIn('whatever', choices, card.id)).toBeUndefined();
    // A method turned down is not the one meant.
    expect(methodNamedIn('PayPal is fine, just not my gift card.', choices)?.id).toBe(paypal.id);
    expect(methodNamedIn('onto the gift card rather than the Mastercard', choices)?.id).toBe(gift.id);
    expect(methodNamedIn('用PayPal吧，不要用礼品卡', choices)?.id).toBe(paypal.id);
    expect(methodNamedIn('not the gift card', choices)).toBeUndefined();
  });
});
