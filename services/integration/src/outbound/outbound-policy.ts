// Where the platform may send a request on a tenant's behalf (webhooks, a company's order API).
// The address is judged when the socket connects, after DNS: a name that resolves to a public
// address at registration and to 127.0.0.1 at delivery (DNS rebinding) is refused then. Literal
// addresses are also refused at registration, so a tenant learns at once. The operator may open
// internal targets with OUTBOUND_ALLOWED_ADDRESSES; the cloud metadata service stays closed.
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { ConfigError, z } from '@switchboard/config';
import { isMetadataAddress, restrictedAddressKind } from './address-classifier';

export const outboundConfigShape = {
  OUTBOUND_ALLOWED_ADDRESSES: z
    .string()
    .default('')
    .describe(
      'Comma list of addresses or CIDR ranges (IPv4 or IPv6) that webhooks and order connectors may reach although they are private, loopback or link-local, e.g. `10.20.0.0/16,127.0.0.1`. Plain http outside development is accepted only to these. Metadata addresses cannot be opened.',
    ),
};

export interface OutboundConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  OUTBOUND_ALLOWED_ADDRESSES: string;
}

/** A target the policy refuses; its message is what a tenant may see ("refused: loopback address"). */
export class RefusedTarget extends Error {
  readonly code = 'ETARGETREFUSED';
  constructor(readonly reason: string) {
    super(`refused: ${reason}`);
    this.name = 'RefusedTarget';
  }
}

const PLAIN_HTTP = "plain http to an address not on the operator's allow-list (use https)";

export class OutboundPolicy {
  /** @param plainHttpAnywhere development only: http to any address the rules let through. */
  constructor(
    private readonly allowed: BlockList,
    private readonly plainHttpAnywhere: boolean,
  ) {}

  static fromConfig(config: OutboundConfig): OutboundPolicy {
    return new OutboundPolicy(parseAllowList(config.OUTBOUND_ALLOWED_ADDRESSES), config.NODE_ENV === 'development');
  }

  /** Why a connection to `address` is refused, or undefined. */
  addressProblem(address: string, protocol: string): string | undefined {
    const kind = restrictedAddressKind(address);
    const allowListed = !isMetadataAddress(address) && this.isAllowListed(address);
    if (kind !== undefined && !allowListed) return kind;
    if (protocol === 'http:' && !this.plainHttpAnywhere && !allowListed) return PLAIN_HTTP;
    return undefined;
  }

  /**
   * What can be known without DNS: the scheme, and the host when it is a literal address (the URL
   * parser has already normalised `0x7f000001`, `2130706433` and `[::ffff:7f00:1]`).
   */
  urlProblem(url: URL): string | undefined {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not http or https';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return this.addressProblem(host, url.protocol);
    return undefined;
  }

  /** A `lookup` for sockets to `protocol` URLs: every address a name resolves to must pass, or none is used. */
  lookupFor(protocol: string): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', undefined);
        for (const { address } of addresses) {
          const problem = this.addressProblem(address, protocol);
          if (problem) return callback(new RefusedTarget(problem), '', undefined);
        }
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }

  private isAllowListed(address: string): boolean {
    const ip = address.replace(/^\[|\]$/g, '');
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    return this.allowed.check(ip, family);
  }
}

function parseAllowList(text: string): BlockList {
  const list = new BlockList();
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)))
    ) {
      problems.push(`OUTBOUND_ALLOWED_ADDRESSES: "${entry}" is not an IP address or CIDR range (e.g. 10.20.0.0/16, fd00::/8, 127.0.0.1)`);
      continue;
    }
    if (prefix === undefined) list.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
    else list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return list;
}
