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
privateRanges.addSubnet('ff00::', 8, 'ipv6'); // multicast
privateRanges.addSubnet('64:ff9b::', 96, 'ipv6'); // NAT64 can reach any IPv4 address, private ones included

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export type AddressVerdict = { allowed: true } | { allowed: false; reason: 'link_local_or_metadata' | 'private' | 'loopback' | 'not_an_ip' | 'reserved_port' };

/** IPv4-mapped and IPv4-compatible IPv6 addresses are judged as the IPv4 address they carry. */
function unwrap(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return undefined;
  const mapped = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(bare.replace(/^::/, '0:'));
  if (mapped?.[1] && isIP(mapped[1]) === 4) return { address: mapped[1], family: 'ipv4' };
  const hexMapped = /^(?:0{0,4}:){0,5}ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare.replace(/^::/, '0:'));
  if (hexMapped?.[1] && hexMapped[2]) {
    const hi = Number.parseInt(hexMapped[1], 16);
    const lo = Number.parseInt(hexMapped[2], 16);
    return { address: [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'), family: 'ipv4' };
  }
  return { address: bare, family: 'ipv6' };
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
