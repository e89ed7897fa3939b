import { DEVELOPMENT_JWT_SECRET, jwtSecretOf } from './access-tokens';

describe('jwtSecretOf', () => {
  it('refuses to run production without a secret of its own', () => {
    expect(() => jwtSecretOf({ NODE_ENV: 'production', JWT_SECRET: undefined })).toThrow(/JWT_SECRET: required in production/);
    expect(() => jwtSecretOf({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(
      /development secret must not be used in production/,
    );
    expect(() => jwtSecretOf({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(new TextDecoder().decode(jwtSecretOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }))).toBe('x'.repeat(40));
  });

  it('uses the public development secret elsewhere when none is set', () => {
    expect(new TextDecoder().decode(jwtSecretOf({ NODE_ENV: 'development', JWT_SECRET: undefined }))).toBe(DEVELOPMENT_JWT_SECRET);
  });
});
