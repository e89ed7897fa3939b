// The policy's decisions: literal addresses at registration, the allow-list (which never opens the
// metadata service), plain http only in development or to allow-listed addresses, and the DNS
// check done at connect time for names.
import { ConfigError } from '@switchboard/config';
import { OutboundPolicy, RefusedTarget } from './outbound-policy';

const production = (allowed = '') => OutboundPolicy.fromConfig({ NODE_ENV: 'production', OUTBOUND_ALLOWED_ADDRESSES: allowed });
const problemOf = (policy: OutboundPolicy, url: string) => policy.urlProblem(new URL(url));

it('refuses literal internal addresses in any spelling, and accepts public https', () => {
  const policy = production();
  expect(problemOf(policy, 'https://169.254.169.254/latest/meta-data/')).toBe('cloud metadata address');
  expect(problemOf(policy, 'https://0x7f000001:8080/hook')).toBe('loopback address');
  expect(problemOf(policy, 'https://[::1]/hook')).toBe('loopback address');
  expect(problemOf(policy, 'https://[::ffff:10.0.0.1]/hook')).toBe('private address');
  expect(problemOf(policy, 'https://10.0.0.7/hook')).toBe('private address');
  expect(problemOf(policy, 'https://93.184.215.14/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://hooks.example.com/hook')).toBeUndefined(); // a name is judged when it resolves
});

it('opens allow-listed internal ranges, but never the metadata service', () => {
  const policy = production('10.20.0.0/16,127.0.0.1,fd00::/8,169.254.0.0/16');
  expect(problemOf(policy, 'https://10.20.3.4/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://10.21.3.4/hook')).toBe('private address');
  expect(problemOf(policy, 'https://127.0.0.1/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://[::ffff:127.0.0.1]/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://[fd00::5]/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://169.254.1.1/hook')).toBeUndefined();
  expect(problemOf(policy, 'https://169.254.169.254/hook')).toBe('cloud metadata address');
});

it('accepts plain http only in development or to an allow-listed address', () => {
  expect(problemOf(production(), 'http://93.184.215.14/hook')).toMatch(/^plain http/);
  expect(problemOf(production('127.0.0.1'), 'http://127.0.0.1:8080/hook')).toBeUndefined();
  const development = OutboundPolicy.fromConfig({ NODE_ENV: 'development', OUTBOUND_ALLOWED_ADDRESSES: '' });
  expect(problemOf(development, 'http://93.184.215.14/hook')).toBeUndefined();
  expect(problemOf(development, 'http://127.0.0.1/hook')).toBe('loopback address'); // development does not open the platform's network
  expect(problemOf(OutboundPolicy.fromConfig({ NODE_ENV: 'test', OUTBOUND_ALLOWED_ADDRESSES: '' }), 'http://93.184.215.14/hook')).toMatch(
    /^plain http/,
  );
});

it('refuses a name that resolves to a refused address when connecting, unless allow-listed', async () => {
  const resolve = (policy: OutboundPolicy, all: boolean) =>
    new Promise<unknown>((done) => policy.lookupFor('https:')('localhost', { all, family: 4 }, (error, address) => done(error ?? address)));
  const refused = await resolve(production(), false);
  expect(refused).toBeInstanceOf(RefusedTarget);
  expect((refused as Error).message).toBe('refused: loopback address');
  await expect(resolve(production('127.0.0.0/8'), false)).resolves.toBe('127.0.0.1');
  await expect(resolve(production('127.0.0.0/8'), true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
});

it('names the variable and the entry when the allow-list is malformed', () => {
  expect(() => production('10.0.0.0/33')).toThrow(ConfigError);
  expect(() => production('intranet.local')).toThrow(/OUTBOUND_ALLOWED_ADDRESSES: "intranet.local" is not an IP address or CIDR range/);
});
