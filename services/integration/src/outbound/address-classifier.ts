// Which IP addresses a request made on a tenant's behalf must never reach: the platform's own
// network (loopback, private, link-local), the cloud metadata service, and addresses that are not
// one host (unspecified, multicast, broadcast, reserved). IPv6 forms that carry an IPv4 address
// (IPv4-mapped, NAT64, 6to4) are judged by the IPv4 address inside, so `[::ffff:127.0.0.1]` is
// loopback. Input is an address as DNS or the WHATWG URL parser gives it: the parser already turns
// odd IPv4 spellings (`0x7f000001`, `2130706433`, `0177.1`) into dotted decimal.
import { isIP } from 'node:net';

/** Why the address is refused ("loopback address", …), or undefined for a public unicast address. */
export function restrictedAddressKind(address: string): string | undefined {
  const ip = address.replace(/^\[|\]$/g, '');
  switch (isIP(ip)) {
    case 4:
      return ipv4Kind(ipv4Octets(ip));
    case 6:
      return ipv6Kind(ipv6Words(ip));
    default:
      return 'not an IP address';
  }
}

/** Cloud metadata services answer with credentials; no allow-list opens them. */
export function isMetadataAddress(address: string): boolean {
  return restrictedAddressKind(address) === METADATA;
}

const METADATA = 'cloud metadata address';

/** Ranges in CIDR notation; the first match wins, so the metadata hosts come before their wider ranges. */
const IPV4_RANGES: Array<[cidr: string, kind: string]> = [
  ['169.254.169.254/32', METADATA], // AWS, GCP, Azure, OpenStack, …
  ['169.254.170.2/32', METADATA], // AWS ECS task credentials
  ['100.100.100.200/32', METADATA], // Alibaba Cloud
  ['0.0.0.0/8', 'unspecified address'],
  ['10.0.0.0/8', 'private address'],
  ['100.64.0.0/10', 'private address'], // carrier-grade NAT, often a cluster's pod network
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.0.0/16', 'link-local address'],
  ['172.16.0.0/12', 'private address'],
  ['192.0.0.0/24', 'reserved address'],
  ['192.0.2.0/24', 'reserved address'],
  ['192.88.99.0/24', 'reserved address'],
  ['192.168.0.0/16', 'private address'],
  ['198.18.0.0/15', 'reserved address'],
  ['198.51.100.0/24', 'reserved address'],
  ['203.0.113.0/24', 'reserved address'],
  ['224.0.0.0/4', 'multicast address'],
  ['240.0.0.0/4', 'reserved address'], // includes 255.255.255.255, the broadcast address
];

const IPV4_PARSED = IPV4_RANGES.map(([cidr, kind]) => {
  const [base, bits] = cidr.split('/');
  return { base: toUint32(ipv4Octets(base)), mask: maskOf(Number(bits)), kind };
});

function ipv4Octets(ip: string): number[] {
  return ip.split('.').map(Number);
}

function toUint32(octets: number[]): number {
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function ipv4Kind(octets: number[]): string | undefined {
  const value = toUint32(octets);
  return IPV4_PARSED.find((r) => (value & r.mask) >>> 0 === r.base)?.kind;
}

/** The eight 16-bit words of an IPv6 address (with `::` expanded and a dotted IPv4 tail converted). */
function ipv6Words(ip: string): number[] {
  let text = ip.toLowerCase().replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not part of the address
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((w) => parseInt(w, 16));
}

function embeddedIpv4(words: number[], at: number): number[] {
  return [words[at] >> 8, words[at] & 0xff, words[at + 1] >> 8, words[at + 1] & 0xff];
}

function ipv6Kind(w: number[]): string | undefined {
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified address';
  if (zeroUpTo(7) && w[7] === 1) return 'loopback address';
  // ::ffff:a.b.c.d (IPv4-mapped) and the deprecated ::a.b.c.d (IPv4-compatible)
  if (zeroUpTo(5) && (w[5] === 0xffff || w[5] === 0)) return ipv4Kind(embeddedIpv4(w, 6));
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return ipv4Kind(embeddedIpv4(w, 6)); // NAT64
  if (w[0] === 0x2002) return ipv4Kind(embeddedIpv4(w, 1)); // 6to4
  if (w[0] === 0xfd00 && w[1] === 0x0ec2 && w.slice(2, 7).every((x) => x === 0) && w[7] === 0x254) return METADATA; // AWS over IPv6
  if ((w[0] & 0xffc0) === 0xfe80) return 'link-local address';
  if ((w[0] & 0xffc0) === 0xfec0) return 'private address'; // site-local, deprecated but still routed by some networks
  if ((w[0] & 0xfe00) === 0xfc00) return 'private address'; // unique local
  if ((w[0] & 0xff00) === 0xff00) return 'multicast address';
  if (w[0] === 0x2001 && w[1] === 0x0db8) return 'reserved address'; // documentation
  if (w[0] === 0x0100 && w.slice(1, 4).every((x) => x === 0)) return 'reserved address'; // discard-only
  return undefined;
}
