import { withoutPersonalData } from './personal-data';

describe('withoutPersonalData', () => {
  it('removes the customer from an order but keeps what the model needs to answer', () => {
    const order = {
      order_id: '#W2497857',
      user_id: 'yara_li_8961',
      status: 'delivered',
      address: { address1: '555 Main St', city: 'Chicago', zip: '10126' },
      items: [{ name: 'Luggage Set', item_id: '123', price: 10.5 }],
      payment_history: [{ payment_method_id: 'credit_card_1', amount: 10.5 }],
      user: {
        name: { first_name: 'Yara', last_name: 'Li' },
        email: 'yara.li6570@example.com',
        payment_methods: { c: { last_four: '4242' } },
      },
    };
    const shown = withoutPersonalData(JSON.stringify(order));
    for (const secret of ['yara_li_8961', '555 Main St', 'Chicago', '10126', 'Yara', 'yara.li6570@example.com', '4242'])
      expect(shown).not.toContain(secret);
    for (const kept of ['#W2497857', 'delivered', 'Luggage Set', '10.5', 'credit_card_1']) expect(shown).toContain(kept);
  });

  it('withholds a result that is not JSON rather than pass it on', () => {
    expect(withoutPersonalData('Yara Li, 555 Main St')).not.toContain('Yara');
  });
});
