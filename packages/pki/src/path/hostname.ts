// Host-name matching (RFC 6125 / RFC 9525): a DNS name against dNSName SANs with a wildcard
// only as the whole left-most label, an IP address against iPAddress SANs byte for byte, and
// never a fallback to the subject CN (CA/Browser Forum and RFC 9525 §6.3).

import type { GeneralName } from '../general-names.js';
import { equalBytes } from '../internal/bytes.js';
import { parseIp } from '../internal/ip.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * True when `name` is a syntactically valid DNS host name (LDH labels, ASCII, ≤ 253 octets).
 *
 * @example
 * ```ts
 * isValidHostname('ex01.contoso.com'); // true
 * isValidHostname('ex01_contoso.com'); // false (underscore)
 * isValidHostname('*.contoso.com');    // false (a pattern, not a host name)
 * ```
 */
export function isValidHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.split('.').every((l) => LABEL.test(l.toLowerCase()));
}

/** The octets of an IP address given as text, or undefined when it is not one. */
export function ipBytes(text: string): Uint8Array | undefined {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIp(t);
}

/**
 * True when a dNSName SAN pattern (possibly `*.example.com`) matches the host name.
 *
 * @example
 * ```ts
 * matchDnsPattern('*.contoso.com', 'ex01.contoso.com');   // true
 * matchDnsPattern('*.contoso.com', 'a.ex01.contoso.com'); // false: the wildcard covers one label
 * matchDnsPattern('*.contoso.com', 'contoso.com');        // false
 * ```
 */
export function matchDnsPattern(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!isValidHostname(h)) return false;
  if (!p.startsWith('*.')) return isValidHostname(p) && p === h;
  const rest = p.slice(2);
  // The wildcard must cover exactly one label, and leave at least two labels (no `*.com`).
  if (!isValidHostname(rest) || rest.split('.').length < 2) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  return h.slice(dot + 1) === rest;
}

/**
 * Checks a host (DNS name or IP address literal) against the subjectAltName entries. There is
 * no common-name fallback. Returns undefined when it matches, else a sentence saying why not.
 *
 * @example
 * ```ts
 * const sans: GeneralName[] = [{ type: 'dns', value: 'ex01.contoso.com' }, { type: 'ip', value: '10.0.0.5' }];
 * checkHostname(sans, 'ex01.contoso.com'); // undefined (a match)
 * checkHostname(sans, '10.0.0.5');         // undefined (a match)
 * checkHostname(sans, 'ex02.contoso.com'); // "The host name ex02.contoso.com matches none of the certificate's DNS names (ex01.contoso.com)."
 * ```
 */
export function checkHostname(sans: readonly GeneralName[], host: string): string | undefined {
  const ip = ipBytes(host);
  if (ip) {
    const ips = sans.filter((g) => g.type === 'ip');
    if (ips.some((g) => equalBytes(parseIp(g.value) ?? new Uint8Array(), ip))) return undefined;
    return `The IP address ${host} is not among the certificate's iPAddress subject alternative names${ips.length ? ` (${ips.map((g) => g.value).join(', ')})` : ''}.`;
  }
  if (!isValidHostname(host)) return `"${host}" is not a valid host name.`;
  const dns = sans.filter((g) => g.type === 'dns');
  if (dns.some((g) => matchDnsPattern(g.value, host))) return undefined;
  if (dns.length === 0)
    return `The certificate has no dNSName subject alternative name to match ${host} (the subject CN is not used).`;
  return `The host name ${host} matches none of the certificate's DNS names (${dns.map((g) => g.value).join(', ')}).`;
}
