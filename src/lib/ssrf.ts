/**
 * Server-side request forgery guard for webhook URLs: an address in a private, loopback,
 * link-local, carrier-grade-NAT or otherwise non-public range is refused unless the host or
 * address is on the allow-list (which is also how tests reach their local receiver).
 */
import { isIP } from 'net';

const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const v4 = (address: string) => address.split('.').reduce((value, part) => (value << 8) + Number(part), 0) >>> 0;

const inV4 = (address: string, [network, bits]: [string, number]) => {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (v4(address) & mask) === (v4(network) & mask);
};

/** True for addresses a webhook must not reach: private, loopback, link-local, multicast, … */
export const isPrivateAddress = (address: string): boolean => {
  const version = isIP(address);
  if (version === 4) return V4_BLOCKED.some((range) => inV4(address, range));
  if (version === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isPrivateAddress(mapped[1]);
    return (
      lower === '::' ||
      lower === '::1' ||
      /^f[cd][0-9a-f]{2}:/.test(lower) || // unique local fc00::/7
      /^fe[89ab][0-9a-f]:/.test(lower) || // link-local fe80::/10
      /^ff[0-9a-f]{2}:/.test(lower) // multicast
    );
  }
  return true; // not an IP address: refuse
};

/** Allow-list entries: host names ("hooks.example.org"), addresses ("127.0.0.1") or IPv4 CIDRs ("10.1.0.0/16"). */
export const isAllowed = (host: string, address: string, allowList: string[]): boolean =>
  allowList.some((entry) => {
    if (entry.includes('/')) {
      const [network, bits] = entry.split('/');
      return isIP(address) === 4 && isIP(network) === 4 && inV4(address, [network, Number(bits)]);
    }
    return entry.toLowerCase() === host.toLowerCase() || entry === address;
  });

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Only http(s), no credentials in the URL. */
export const checkWebhookUrl = (value: string): UrlCheck => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'only http and https webhooks' };
  if (url.username || url.password) return { ok: false, reason: 'no credentials in webhook URLs' };
  return { ok: true, url };
};
