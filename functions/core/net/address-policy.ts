import { BlockList, isIP } from 'node:net';

/**
 * Which addresses user-supplied URLs (workflow http.request nodes, webhooks) may reach. Checked
 * on the resolved address at connect time, and again for every redirect, by the HTTP adapter.
 * Link-local and cloud metadata addresses are refused everywhere; loopback is allowed only when
 * the policy says so (local mode, so local development works); AWS stages refuse every private range.
 */
export interface AddressPolicy {
  readonly allowLoopback: boolean;
  /**
   * Loopback ports that stay refused even when loopback is allowed: Stepwise's own (its API, DynamoDB
   * Local, the local stores), so a workflow cannot read other tenants' data through them. Local mode's
   * wiring gives them (STEPWISE_RESERVED_PORTS); other loopback ports stay reachable for local development.
   */
  readonly reservedLoopbackPorts?: ReadonlySet<number> | undefined;
}

const always = new BlockList();
// Link-local, including the instance metadata service (169.254.169.254) and its IPv6 twin.
always.addSubnet('169.254.0.0', 16, 'ipv4');
always.addSubnet('fe80::', 10, 'ipv6');
always.addAddress('fd00:ec2::254', 'ipv6');
// "This network", unspecified and broadcast: never a real destination.
always.addSubnet('0.0.0.0', 8, 'ipv4');
always.addAddress('255.255.255.255', 'ipv4');
always.addAddress('::', 'ipv6');

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
privateRanges.addSubnet('fc00::', 7, 'ipv6'); // unique local (ULA)
privateRanges.addSubnet('fec0::', 10, 'ipv6'); // site-local (deprecated, still routed inside some networks)
privateRanges.addSubnet('ff00::', 8, 'ipv6'); // multicast
privateRanges.addSubnet('64:ff9b::', 96, 'ipv6'); // NAT64 can reach any IPv4 address, private ones included
privateRanges.addSubnet('64:ff9b:1::', 48, 'ipv6'); // local-use NAT64 (RFC 8215): the same
privateRanges.addSubnet('2001::', 32, 'ipv6'); // Teredo: tunnels to an IPv4 address it embeds
privateRanges.addSubnet('2001:db8::', 32, 'ipv6'); // documentation
privateRanges.addSubnet('100::', 64, 'ipv6'); // discard-only

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export type AddressVerdict = { allowed: true } | { allowed: false; reason: 'link_local_or_metadata' | 'private' | 'loopback' | 'not_an_ip' | 'reserved_port' };

/**
 * IPv6 forms that carry an IPv4 address are judged as that IPv4 address: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, which the URL parser writes `::a9fe:a9fe`),
 * IPv4-translated (`::ffff:0:a.b.c.d`) and 6to4 (`2002:AABB:CCDD::/48` reaches AA.BB.CC.DD through
 * a relay). `::` and `::1` stay IPv6 (unspecified and loopback).
 */
function unwrap(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return undefined;
  const groups = expandIpv6(bare);
  if (!groups) return { address: bare, family: 'ipv6' };
  const v4 = (hi: number, lo: number) => ({ address: [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'), family: 'ipv4' as const });
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return v4(groups[6]!, groups[7]!);
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return { address: bare, family: 'ipv6' };
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad included); undefined otherwise. */
function expandIpv6(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, '');
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const parts = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (parts.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return parts.map((g) => Number.parseInt(g, 16));
}

export function judgeAddress(address: string, policy: AddressPolicy): AddressVerdict {
  const ip = unwrap(address);
  if (!ip) return { allowed: false, reason: 'not_an_ip' };
  if (always.check(ip.address, ip.family)) return { allowed: false, reason: 'link_local_or_metadata' };
  if (loopback.check(ip.address, ip.family)) return policy.allowLoopback ? { allowed: true } : { allowed: false, reason: 'loopback' };
  if (privateRanges.check(ip.address, ip.family)) return { allowed: false, reason: 'private' };
  return { allowed: true };
}

/** judgeAddress, then the port: a reserved port on a loopback address is refused. */
export function judgeDestination(address: string, port: number, policy: AddressPolicy): AddressVerdict {
  const verdict = judgeAddress(address, policy);
  if (!verdict.allowed || !policy.reservedLoopbackPorts?.has(port)) return verdict;
  const ip = unwrap(address);
  return ip && loopback.check(ip.address, ip.family) ? { allowed: false, reason: 'reserved_port' } : verdict;
}

/**
 * Parses a user URL the way the HTTP client will: WHATWG URL parsing turns decimal
 * (`http://2130706433`), hex (`0x7f.1`) and octal (`0177.0.0.1`) host forms into dotted IPv4,
 * so the check sees the address that will actually be dialled.
 */
export function parseUserUrl(raw: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `scheme ${url.protocol.replace(':', '')} is not allowed (http and https only)` };
  if (url.username || url.password) return { error: 'credentials in the URL are not allowed' };
  return { url };
}
