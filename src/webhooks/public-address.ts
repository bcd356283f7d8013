import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not the public internet (IANA's special-purpose
 * registry): "this network", private networks, shared address space (CGNAT),
 * loopback, link-local (cloud metadata services live at 169.254.169.254),
 * protocol assignments, documentation and benchmarking ranges, 6to4 relays,
 * multicast, and the reserved rest up to the broadcast address.
 */
const V4_NOT_PUBLIC: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['192.175.48.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 is public only inside global unicast (2000::/3), which leaves out
 * loopback, unspecified, IPv4-mapped and -translated, unique-local,
 * link-local and multicast addresses at once; inside it, the IETF's protocol
 * assignments (Teredo among them), documentation and 6to4, which carry or
 * lead to addresses of their own.
 */
const V6_GLOBAL: readonly [string, number] = ['2000::', 3];
const V6_NOT_PUBLIC: readonly (readonly [string, number])[] = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
];

const blockList = (
  family: 'ipv4' | 'ipv6',
  ranges: readonly (readonly [string, number])[],
): BlockList => {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
};

const v4NotPublic = blockList('ipv4', V4_NOT_PUBLIC);
const v6Global = blockList('ipv6', [V6_GLOBAL]);
const v6NotPublic = blockList('ipv6', V6_NOT_PUBLIC);
const loopback = blockList('ipv4', [['127.0.0.0', 8]]);

/** An IP address as written, or as a URL writes it, in brackets (`[::1]`). */
const bare = (address: string): string => address.replace(/^\[(.*)\]$/, '$1');

/** Whether the address is on the public internet: the only place a webhook goes in production. */
export function isPublicAddress(address: string): boolean {
  const ip = bare(address);
  switch (isIP(ip)) {
    case 4:
      return !v4NotPublic.check(ip, 'ipv4');
    case 6:
      return v6Global.check(ip, 'ipv6') && !v6NotPublic.check(ip, 'ipv6');
    default:
      return false;
  }
}

/** Whether the address is this machine's own (127.0.0.0/8, ::1, or 127.x mapped to IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const ip = bare(address);
  switch (isIP(ip)) {
    case 4:
      return loopback.check(ip, 'ipv4');
    case 6:
      return ip === '::1' || loopback.check(ip, 'ipv6');
    default:
      return false;
  }
}
