import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, LookupFunction } from 'node:net';

/**
 * The SSRF guard for URLs customers give us (webhook endpoints): which addresses we refuse to call.
 * One place for the rule, used when an endpoint is saved (management) and when it is called (webhooks).
 */
export type AddressClass = 'public' | 'metadata' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'reserved';

/** Checked in this order: the metadata addresses sit inside the link-local and unique-local ranges. */
const RANGES: Array<[Exclude<AddressClass, 'public'>, 'ipv4' | 'ipv6', string, number]> = [
  ['metadata', 'ipv4', '169.254.169.254', 32],
  ['metadata', 'ipv6', 'fd00:ec2::254', 128],
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['private', 'ipv4', '100.64.0.0', 10], // carrier-grade NAT: not reachable from the internet either
  ['private', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['reserved', 'ipv4', '192.0.0.0', 24],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['reserved', 'ipv4', '224.0.0.0', 3], // multicast, reserved, broadcast
  ['reserved', 'ipv6', 'ff00::', 8],
  ['reserved', 'ipv6', 'fec0::', 10], // deprecated site-local
  ['reserved', 'ipv6', '::', 96], // deprecated IPv4-compatible (after :: and ::1 above)
];

const LISTS = RANGES.map(([kind, type, net, prefix]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { kind, type, list };
});

/** The eight 16-bit words of an IPv6 address (a trailing dotted quad included). */
function ipv6Words(ip: string): number[] {
  let text = ip;
  // The lookbehind starts the match at a run's first digit, which keeps the scan linear.
  const quad = /(?<!\d)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const words = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const left = words(head);
  const right = words(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedIpv4(ip: string): string | null {
  const w = ipv6Words(ip);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w[5] === 0xffff) return v4(w[6], w[7]);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return v4(w[6], w[7]);
  if (w[0] === 0x2002) return v4(w[1], w[2]);
  return null;
}

/** What kind of address an IP literal is; anything but `public` is refused unless private targets are allowed. */
export function classifyAddress(address: string): AddressClass {
  const zone = address.indexOf('%'); // an IPv6 zone id (fe80::1%eth0) names no other host
  const ip = zone === -1 ? address : address.slice(0, zone);
  const family = isIP(ip);
  if (family === 0) throw new Error(`${address} is not an IP address`);
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4) return classifyAddress(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find((l) => l.type === type && l.list.check(ip, type))?.kind ?? 'public';
}

/** A URL host that is, or resolves to, an address we do not call. */
export class OutboundAddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundAddressRefused';
  }
}

/**
 * Every address `hostname` (a URL's hostname: a name or an IP literal, IPv6 in brackets or not) stands
 * for, after checking them all: one non-public address refuses the host, unless `allowPrivate`.
 * A name that does not resolve rejects with the resolver's error (ENOTFOUND, EAI_AGAIN…).
 */
export async function resolveOutbound(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await lookup(host, { all: true, verbatim: true });
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind === 'public') continue;
      throw new OutboundAddressRefused(family ? `${host} is a ${kind} address` : `${host} resolves to ${address}, a ${kind} address`);
    }
  }
  return addresses;
}

/**
 * A `lookup` for http(s).request that connects only to checked addresses: the check and the connect
 * use the same resolution, so a name cannot pass the check and then re-resolve elsewhere (DNS
 * rebinding). Node skips `lookup` for IP literals: check those with resolveOutbound first.
 */
export function outboundLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveOutbound(hostname, allowPrivate).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          callback(null, wanted);
        } else {
          callback(null, wanted[0].address, wanted[0].family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/**
 * What a tenant-configured host may reach besides public addresses: everything (`allowPrivate`, for
 * development and tests) or hosts the operator named (`host` or `host:port`, lower-case).
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
  allowedHosts: readonly string[];
}

/** Public addresses only. */
export const PUBLIC_ONLY: OutboundPolicy = { allowPrivate: false, allowedHosts: [] };

/** Whether the operator named this host (an entry without a port allows every port). */
export function isAllowedHost(hostname: string, port: number, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return allowedHosts.some((listed) => {
    const entry = listed.toLowerCase();
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
    const [name, entryPort] = bracketed
      ? [bracketed[1], bracketed[2]]
      : isIP(entry)
        ? [entry, undefined]
        : [entry.replace(/:\d+$/, ''), /:(\d+)$/.exec(entry)?.[1]];
    return name === host && (entryPort === undefined || Number(entryPort) === port);
  });
}

/** Whether `hostname:port` may reach any address under `policy` (named hosts and allowPrivate skip the address check). */
export function skipsAddressCheck(hostname: string, port: number, policy: OutboundPolicy): boolean {
  return policy.allowPrivate || isAllowedHost(hostname, port, policy.allowedHosts);
}

/** resolveOutbound under a policy: the addresses `hostname:port` may be reached at, or OutboundAddressRefused. */
export function resolveUnder(hostname: string, port: number, policy: OutboundPolicy): Promise<LookupAddress[]> {
  return resolveOutbound(hostname, skipsAddressCheck(hostname, port, policy));
}
