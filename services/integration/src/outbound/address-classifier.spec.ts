// The classifier behind the outbound policy, on the addresses an SSRF probe uses: every spelling of
// loopback, the metadata service, private ranges, IPv6 and IPv4 inside IPv6; public addresses pass.
import { restrictedAddressKind } from './address-classifier';

/** The host as the WHATWG URL parser leaves it, which is what the policy sees for a literal. */
const hostOf = (url: string) => new URL(url).hostname;

it.each([
  ['127.0.0.1', 'loopback address'],
  ['127.255.255.254', 'loopback address'],
  [hostOf('http://0x7f000001/'), 'loopback address'],
  [hostOf('http://2130706433/'), 'loopback address'],
  [hostOf('http://0177.0.0.1/'), 'loopback address'],
  [hostOf('http://127.1/'), 'loopback address'],
  ['::1', 'loopback address'],
  [hostOf('http://[0:0:0:0:0:0:0:1]/'), 'loopback address'],
  [hostOf('http://[::ffff:127.0.0.1]/'), 'loopback address'],
  ['::ffff:7f00:1', 'loopback address'],
  ['::127.0.0.1', 'loopback address'],
  ['64:ff9b::7f00:1', 'loopback address'],
  ['2002:7f00:1::', 'loopback address'],
  ['169.254.169.254', 'cloud metadata address'],
  [hostOf('http://0xa9fea9fe/'), 'cloud metadata address'],
  ['::ffff:169.254.169.254', 'cloud metadata address'],
  ['fd00:ec2::254', 'cloud metadata address'],
  ['169.254.170.2', 'cloud metadata address'],
  ['100.100.100.200', 'cloud metadata address'],
  ['169.254.1.1', 'link-local address'],
  ['fe80::1', 'link-local address'],
  ['fe80::1%eth0', 'link-local address'],
  ['10.0.0.1', 'private address'],
  [hostOf('http://10.1/'), 'private address'],
  ['172.16.0.1', 'private address'],
  ['172.31.255.255', 'private address'],
  ['192.168.1.1', 'private address'],
  ['100.64.0.1', 'private address'],
  ['::ffff:a00:1', 'private address'],
  ['fd12:3456::1', 'private address'],
  ['fc00::1', 'private address'],
  ['0.0.0.0', 'unspecified address'],
  [hostOf('http://0/'), 'unspecified address'],
  ['::', 'unspecified address'],
  ['224.0.0.1', 'multicast address'],
  ['239.255.255.250', 'multicast address'],
  ['ff02::1', 'multicast address'],
  ['255.255.255.255', 'reserved address'],
  ['240.0.0.1', 'reserved address'],
  ['192.0.2.1', 'reserved address'],
  ['2001:db8::1', 'reserved address'],
  ['localhost', 'not an IP address'],
])('%s is a %s', (address, kind) => {
  expect(restrictedAddressKind(address)).toBe(kind);
});

it.each([
  '93.184.215.14',
  '8.8.8.8',
  '172.32.0.1',
  '172.15.255.255',
  '100.128.0.1',
  '169.255.0.1',
  '2606:4700:4700::1111',
  '::ffff:808:808',
  '2a00:1450:4001:81b::200e',
  '[2606:4700::6810:84e5]',
])('%s is a public address', (address) => {
  expect(restrictedAddressKind(address)).toBeUndefined();
});
