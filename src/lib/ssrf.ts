/**
 * Server-side request forgery guard for webhook URLs. Default-deny: an address is reached only
 * when ipaddr.js calls it plain public unicast after unwrapping IPv4-mapped IPv6
 * (`::ffff:127.0.0.1` is 127.0.0.1), and IPv6 only inside global unicast 2000::/3 (ipaddr.js
 * calls the deprecated IPv4-compatible `::127.0.0.1` "unicast"). Everything else (private,
 * loopback, link-local, NAT64 64:ff9b::/96, 6to4, Teredo, reserved …) is refused unless the host
 * or address is on the allow-list (which is also how tests reach their local receiver).
 */
import ipaddr from 'ipaddr.js';

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const parse = (address: string) => (ipaddr.isValid(address) ? ipaddr.process(address) : undefined);

/** True for a plain public unicast address; false for anything else, including non-addresses. */
export const isPublicAddress = (address: string): boolean => {
  const ip = parse(address);
  if (!ip || ip.range() !== 'unicast') return false;
  return ip.kind() === 'ipv4' || ip.match(GLOBAL_UNICAST_V6);
};

/** True for addresses a webhook must not reach: private, loopback, link-local, NAT64, not an address … */
export const isPrivateAddress = (address: string): boolean => !isPublicAddress(address);

const hostKey = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

/**
 * Allow-list entries: host names ("hooks.internal"), addresses ("127.0.0.1", "fd00::5") or CIDRs
 * in IPv4 or IPv6 ("10.1.0.0/16", "fd00::/8"). Strict: an address matches only in its own family,
 * so allowing 127.0.0.1 does not allow its IPv6 wrappings (::ffff:127.0.0.1 must be listed itself);
 * an entry that is none of these matches nothing.
 */
export const isAllowed = (host: string, address: string, allowList: string[]): boolean => {
  const ip = ipaddr.isValid(address) ? ipaddr.parse(address) : undefined;
  return allowList.some((raw) => {
    const entry = hostKey(raw.trim());
    if (entry.includes('/')) {
      if (!ip || !ipaddr.isValidCIDR(entry)) return false;
      const [network, bits] = ipaddr.parseCIDR(entry);
      return network.kind() === ip.kind() && ip.match([network, bits]);
    }
    if (ipaddr.isValid(entry)) {
      const allowed = ipaddr.parse(entry);
      return !!ip && allowed.kind() === ip.kind() && allowed.toNormalizedString() === ip.toNormalizedString();
    }
    return entry === hostKey(host);
  });
};

/**
 * The first address a host resolved to that the guard refuses (none allowed unless every one is:
 * the connection must not depend on which answer is used), or undefined when all may be reached.
 */
export const refusedAddress = (host: string, addresses: string[], allowList: string[]): string | undefined =>
  addresses.find((address) => isPrivateAddress(address) && !isAllowed(host, address, allowList));

/** A refusal's `code` is stable (the admin translates it); `reason` is the English text. */
export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string; code: string };

/** Only http(s), no credentials in the URL. */
export const checkWebhookUrl = (value: string): UrlCheck => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'not a URL', code: 'webhook.url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'only http and https webhooks', code: 'webhook.scheme' };
  if (url.username || url.password)
    return { ok: false, reason: 'no credentials in webhook URLs', code: 'webhook.credentials' };
  return { ok: true, url };
};
