// The lab's name resolution and HTTP: the CDP and AIA URLs in certificates name lab hosts
// (`http://ca01.contoso.com/CertEnroll/…`). A URL on a host that runs certsrv on loopback is
// fetched over real HTTP; otherwise, the host's IIS folder (the CA directory's CertEnroll, which
// AD CS's IIS serves as /CertEnroll/) is read. Anything else is unreachable, as a CDP on a host
// outside the forest would be (exchange-um-lync.md §6, §7 "CRL unreachable").

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where a lab host serves `/CertEnroll/` from.
 *
 * @example
 * ```ts
 * const e: LabHttpEndpoint = { httpUrl: 'http://127.0.0.1:41234' };
 * const f: LabHttpEndpoint = { certEnrollDir: '/tmp/lab/ca/CertEnroll' };
 * ```
 */
export interface LabHttpEndpoint {
  /** A loopback base URL (certsrv running): URLs are fetched over HTTP. */
  readonly httpUrl?: string;
  /** The folder IIS serves as /CertEnroll/ when no server runs. */
  readonly certEnrollDir?: string;
}

/**
 * Resolves and fetches lab URLs.
 *
 * @example
 * ```ts
 * const net = createLabNetwork({ 'ca01.contoso.com': { httpUrl: server.url } });
 * const crl = await net.fetch('http://ca01.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl');
 * ```
 */
export interface LabNetwork {
  /** The bytes at `url`, or undefined when the host is unknown, down or answers with an error. */
  fetch(url: string): Promise<Uint8Array | undefined>;
  /** Registers (or replaces) a host's endpoint. */
  set(hostname: string, endpoint: LabHttpEndpoint): void;
}

/**
 * Creates the lab network from a host table.
 *
 * @example
 * ```ts
 * const net = createLabNetwork({ 'ca01.contoso.com': { certEnrollDir: join(dir, 'ca', 'CertEnroll') } });
 * ```
 */
export function createLabNetwork(hosts: Record<string, LabHttpEndpoint> = {}): LabNetwork {
  const table = new Map(Object.entries(hosts).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    set(hostname, endpoint) {
      table.set(hostname.toLowerCase(), endpoint);
    },
    async fetch(url) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return undefined;
      }
      if (u.protocol !== 'http:') return undefined; // ldap:/// CDPs only resolve inside a real forest
      const endpoint = table.get(u.hostname.toLowerCase());
      if (!endpoint) return undefined;
      if (endpoint.httpUrl) {
        try {
          const res = await fetch(`${endpoint.httpUrl}${u.pathname}${u.search}`, {
            signal: AbortSignal.timeout(3_000),
          });
          if (!res.ok) return undefined;
          return new Uint8Array(await res.arrayBuffer());
        } catch {
          return undefined;
        }
      }
      if (endpoint.certEnrollDir && u.pathname.toLowerCase().startsWith('/certenroll/')) {
        const name = decodeURIComponent(u.pathname.slice('/CertEnroll/'.length));
        if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return undefined;
        try {
          return new Uint8Array(await readFile(join(endpoint.certEnrollDir, name)));
        } catch {
          return undefined;
        }
      }
      return undefined;
    },
  };
}
