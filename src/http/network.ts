import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a request comes from, as the shield and the enrolment rule compare them: the
 * IPv4 /24 or the IPv6 /48 (a household or a site keeps its prefix when its last bits
 * change). Plumbing, so that access and the shield share it without importing each other.
 */
export function networkOf(ip: string): string {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => Number.parseInt(g || '0', 16).toString(16)).join(':')}::/48`;
}
