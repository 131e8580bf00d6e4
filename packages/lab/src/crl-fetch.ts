// Downloads the CRLs a chain points to (cRLDistributionPoints and freshestCRL, RFC 5280
// §4.2.1.13 and §4.2.1.15) the way CryptoAPI's URL retrieval does: HTTP URLs only, each once
// per chain, and once per command when the command passes its CrlCache.

import {
  type Certificate,
  type Crl,
  decodeCrlDistributionPoints,
  OID,
  parseCrl,
  readPkiFile,
} from '@certlab/pki';
import type { CrlCache } from './crl-cache.js';
import type { LabNetwork } from './lab-network.js';

/**
 * What {@link fetchChainCrls} found.
 *
 * @example
 * ```ts
 * const { crls, unreachable } = await fetchChainCrls(chain, network);
 * ```
 */
export interface FetchedCrls {
  readonly crls: Crl[];
  /** URLs fetched and parsed. */
  readonly fetched: string[];
  /** HTTP URLs that could not be fetched or parsed. */
  readonly unreachable: string[];
}

/**
 * The HTTP URLs of a certificate's CDP (and freshestCRL when `delta`).
 *
 * @example
 * ```ts
 * cdpUrls(leaf); // ['http://ca01.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl']
 * ```
 */
export function cdpUrls(cert: Certificate, delta = true): string[] {
  const out: string[] = [];
  for (const oid of delta ? [OID.cRLDistributionPoints, OID.freshestCRL] : [OID.cRLDistributionPoints]) {
    let ext: ReturnType<Certificate['getExtension']>;
    try {
      ext = cert.getExtension(oid);
    } catch {
      continue;
    }
    if (!ext) continue;
    try {
      for (const dp of decodeCrlDistributionPoints(ext.value))
        for (const g of dp.fullName ?? [])
          if (g.type === 'uri' && /^http:\/\//i.test(g.value)) out.push(g.value);
    } catch {
      // A malformed CDP is the chain engine's business, not the downloader's.
    }
  }
  return out;
}

async function parseAnyCrl(bytes: Uint8Array): Promise<Crl | undefined> {
  try {
    return parseCrl(bytes);
  } catch {
    try {
      const f = await readPkiFile(bytes);
      return f.kind === 'crl' ? f.crls[0] : undefined;
    } catch {
      return undefined;
    }
  }
}

async function downloadCrl(url: string, network: LabNetwork): Promise<Crl | undefined> {
  const bytes = await network.fetch(url);
  return bytes ? parseAnyCrl(bytes) : undefined;
}

/**
 * Fetches every CRL the certificates point to. With `cache`, a URL the command already fetched
 * is neither read nor parsed again.
 *
 * @example
 * ```ts
 * const { crls } = await fetchChainCrls([leaf, issuing], network);
 * const again = await fetchChainCrls([leaf, issuing], network, crlCache);
 * ```
 */
export async function fetchChainCrls(
  certs: readonly Certificate[],
  network: LabNetwork,
  cache?: CrlCache,
): Promise<FetchedCrls> {
  const urls = [...new Set(certs.flatMap((c) => cdpUrls(c)))];
  const crls: Crl[] = [];
  const fetched: string[] = [];
  const unreachable: string[] = [];
  await Promise.all(
    urls.map(async (url) => {
      const crl = await (cache ? cache.get(url, () => downloadCrl(url, network)) : downloadCrl(url, network));
      if (crl) {
        crls.push(crl);
        fetched.push(url);
      } else unreachable.push(url);
    }),
  );
  return { crls, fetched, unreachable };
}
