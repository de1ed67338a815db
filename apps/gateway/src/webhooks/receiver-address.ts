import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go. Merchants choose the URLs, so without this a merchant could make the
 * gateway POST into its own network (SSRF: loopback, RFC 1918, link-local cloud metadata, …).
 * Only public unicast addresses are allowed unless private networks are allowed by config
 * (development and tests, where receivers listen on localhost).
 */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

/** Why a webhook URL's host is refused before any DNS lookup (an IP literal or localhost), or null. */
export function refusedHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  if (net.isIP(host) && !isPublicAddress(host)) return `${host} is not a public address`;
  return null;
}

/**
 * A `lookup` for outgoing connections that keeps only public addresses, so the address checked is
 * the address connected to (a DNS answer cannot switch to a private one in between).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const allowed = addresses.filter((entry) => isPublicAddress(entry.address));
    if (allowed.length === 0) {
      const refused = Object.assign(new Error(`${hostname} resolves to no public address (${addresses.map((a) => a.address).join(', ')})`), { code: 'ENOTPUBLIC' });
      return callback(refused, '', 0);
    }
    if (options.all) return (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, allowed);
    return callback(null, allowed[0]!.address, allowed[0]!.family);
  });
};
