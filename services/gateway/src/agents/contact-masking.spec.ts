import { create, TicketSchema } from '@switchboard/contracts';
import { maskAccount, maskContactDetails, maskTicket } from './contact-masking';

describe('maskContactDetails', () => {
  it('masks emails, phones, cards and street addresses but keeps the rest of the sentence', () => {
    const masked = maskContactDetails(
      'I am noah.brown7922@example.com, call +1 415-555-0123, card 4242 4242 4242 4242, I live at 986 Sunset Drive, Suite 259. Order #W7678072',
    );
    expect(masked).toBe('I am n•••@example.com, call •••0123, card •••4242, I live at [address]. Order #W7678072');
  });

  it('leaves text without contact details alone', () => {
    expect(maskContactDetails('where is my order #W2378156?')).toBe('where is my order #W2378156?');
  });
});

describe('maskAccount', () => {
  it('keeps who and roughly where, and hides how to reach or charge them', () => {
    const account = {
      name: { first_name: 'Noah', last_name: 'Brown' },
      address: { address1: '986 Sunset Drive', address2: 'Suite 259', city: 'Denver', country: 'USA', state: 'CO', zip: '80279' },
      email: 'noah.brown7922@example.com',
      payment_methods: {
        credit_card_7815826: { source: 'credit_card', brand: 'mastercard', last_four: '9212', id: 'credit_card_7815826' },
        gift_card_1: { source: 'gift_card', balance: 12, id: 'gift_card_1' },
      },
      orders: ['#W7678072'],
    };
    const masked = maskAccount(account);
    expect(masked).toEqual({
      name: { first_name: 'Noah', last_name: 'B.' },
      address: { city: 'Denver', state: 'CO', country: 'USA', address1: '•••', address2: '•••', zip: '•••' },
      email: 'n•••@example.com',
      payment_methods: {
        credit_card_7815826: { id: 'credit_card_7815826', source: 'credit_card', brand: 'mastercard', last_four: '•••' },
        gift_card_1: { id: 'gift_card_1', source: 'gift_card', balance: 12 },
      },
      orders: ['#W7678072'],
    });
    expect(JSON.stringify(masked)).not.toMatch(/Sunset|9212|noah\.brown|80279|Brown/);
  });
});

describe('maskTicket', () => {
  it('masks what a ticket quotes of the customer: summary, notes and a phone or email customer id', () => {
    const ticket = create(TicketSchema, {
      id: 't-1',
      customerId: 'whatsapp:+15551234567',
      summary: 'Customer (mia.lee42@example.com) wants order #W2378156 cancelled',
      notes: [{ id: 'n-1', author: 'lee', text: 'Called back on +1 415-555-0123' }],
    });
    maskTicket(ticket);
    expect(ticket.customerId).toBe('whatsapp:+•••4567');
    expect(ticket.summary).toBe('Customer (m•••@example.com) wants order #W2378156 cancelled');
    expect(ticket.notes[0].text).toBe('Called back on •••0123');
    const byEmail = create(TicketSchema, { customerId: 'mia.lee42@example.com' });
    maskTicket(byEmail);
    expect(byEmail.customerId).toBe('m•••@example.com');
    const opaque = create(TicketSchema, { customerId: 'cust-8f2a' });
    maskTicket(opaque);
    expect(opaque.customerId).toBe('cust-8f2a');
  });
});
