import { addressIn, addressText, correctedAddress } from './address-parser';

describe('addressIn', () => {
  it('splits a one-line US address into the order system fields', () => {
    expect(addressIn('It should go to 12 Oak Road, Apt 3, Springfield, IL 62701')).toEqual({
      address1: '12 Oak Road',
      address2: 'Apt 3',
      city: 'Springfield',
      state: 'IL',
      country: 'USA',
      zip: '62701',
    });
    expect(addressIn('新地址是 88 Lake Ave, Madison, wi 53703, USA')).toEqual({
      address1: '88 Lake Ave',
      address2: '',
      city: 'Madison',
      state: 'WI',
      country: 'USA',
      zip: '53703',
    });
  });

  it('does not take an order number for a street number, nor accept a partial address', () => {
    expect(addressIn('ship #W2273069 to 9 Elm St, Austin, TX 78701')?.address1).toBe('9 Elm St');
    expect(addressIn('123 Main Street, Austin')).toBeUndefined();
    expect(addressIn('Hi, I moved, so: 40 Pine Ct, Unit 7, Boise, ID, 83702. Thanks')).toMatchObject({
      address1: '40 Pine Ct',
      address2: 'Unit 7',
      city: 'Boise',
      state: 'ID',
      zip: '83702',
    });
    expect(addressIn('order 2, box 12, NY 10001')).toBeUndefined(); // no street
  });

  it('takes a part with a street of its own for the street, not for a second line after a texted "2"', () => {
    expect(addressIn('hey need 2 update my acct adress, new one is 2291 Redwood Hollow Drive, Santa Rosa, CA 95404')).toEqual({
      address1: '2291 Redwood Hollow Drive',
      address2: '',
      city: 'Santa Rosa',
      state: 'CA',
      country: 'USA',
      zip: '95404',
    });
    // A second line by name keeps its number: "Unit 12 B" is no street.
    expect(addressIn('40 Pine Ct, Unit 12 B, Boise, ID 83702')).toMatchObject({ address1: '40 Pine Ct', address2: 'Unit 12 B' });
    expect(addressIn('3305 Juniper Court, Suite 210, Bloomington, IN 47401')).toMatchObject({
      address1: '3305 Juniper Court',
      address2: 'Suite 210',
    });
  });

  it('reads a city with no comma before the state, and a second line at the end of the street', () => {
    expect(addressIn('4410 Birch Hollow Rd apt 12, Austin TX 78745')).toEqual({
      address1: '4410 Birch Hollow Rd',
      address2: 'Apt 12',
      city: 'Austin',
      state: 'TX',
      country: 'USA',
      zip: '78745',
    });
    expect(addressIn('my new place: 77 Cedar Court, Suite 210, Tulsa OK 74103')).toMatchObject({
      address1: '77 Cedar Court',
      address2: 'Suite 210',
      city: 'Tulsa',
      state: 'OK',
    });
    expect(addressIn('9 Elm St unit 4B, Santa Rosa CA 95404')).toMatchObject({
      address1: '9 Elm St',
      address2: 'Unit 4B',
      city: 'Santa Rosa',
    });
    // Street and city with no comma between them cannot be told apart; nor is "Apt 3" alone a street.
    expect(addressIn('9 Elm St Austin TX 78701')).toBeUndefined();
    expect(addressIn('Apt 3, Austin TX 78701')).toBeUndefined();
    expect(addressIn('I ordered 2 lamps, send them to Austin TX 78701')).toBeUndefined();
    expect(addressIn('12 Apt 3, Austin, TX 78701')).toMatchObject({ address1: '12 Apt 3', address2: '' });
  });

  it('writes the address back on one line', () => {
    expect(addressText({ address1: '9 Elm St', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '78701' })).toBe(
      '9 Elm St, Austin, TX 78701, USA',
    );
  });
});

describe('correctedAddress', () => {
  const address = { address1: '77 Cedar Court', address2: 'Suite 210', city: 'Tulsa', state: 'OK', country: 'USA', zip: '74103' };
  it.each([
    ['oops, the suite is 201, not 210', { address2: 'Suite 201' }],
    ['zip 74104 instead of 74103, sorry', { zip: '74104' }],
    ['写错了，是201不是210', { address2: 'Suite 201' }],
    ['不是74103，是74104', { zip: '74104' }],
  ])('applies a correction of one part: %s', (text, change) => {
    expect(correctedAddress(address, text)).toEqual({ ...address, ...change });
  });

  it('changes nothing the correction does not name, nor for words that are not in the address', () => {
    expect(correctedAddress(address, 'send it there, not to my office')).toEqual(address);
    expect(correctedAddress(address, 'yes, not a problem')).toEqual(address);
    const apartmentA = { ...address, address2: 'Apt A' };
    expect(correctedAddress(apartmentA, "that's fine, not a problem")).toEqual(apartmentA);
  });
});
