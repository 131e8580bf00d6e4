// Downloads the CRLs a chain points to (cRLDistributionPoints and freshestCRL, RFC 5280
// §4.2.1.13 and §4.2.1.15) the way CryptoAPI's URL retrieval does: HTTP URLs only, each once
// per chain, and once per command when the command passes its CrlCache. A base CRL's own
// freshestCRL extension (RFC 5280 §5.2.6) is followed too: AD CS announces its delta CRLs there
// ("Include in CRLs. Clients use this to find Delta CRL locations."), not in the certificates, so
// a revocation published only in a delta CRL is seen, and an unreachable delta (IIS rejecting the
// `+` of its name, certsrv-protocol.md §6.5) is reported as the CDP it is.

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
  /** The CRLs to judge with: a base CRL none of whose announced delta locations answered is left out. */
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
  return httpUrls(cert, delta ? [OID.cRLDistributionPoints, OID.freshestCRL] : [OID.cRLDistributionPoints]);
}

/**
 * The HTTP URLs of a base CRL's freshestCRL extension: where its delta CRLs are (RFC 5280 §5.2.6).
 *
 * @example
 * ```ts
 * deltaCrlUrls(baseCrl); // ['http://ca01.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl']
 * ```
 */
export function deltaCrlUrls(crl: Crl): string[] {
  return httpUrls(crl, [OID.freshestCRL]);
}

function httpUrls(source: Pick<Certificate | Crl, 'getExtension'>, oids: readonly string[]): string[] {
  const out: string[] = [];
  for (const oid of oids) {
    let ext: ReturnType<Certificate['getExtension']>;
    try {
      ext = source.getExtension(oid);
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
  const crl = bytes ? await parseAnyCrl(bytes) : undefined;
  return crl && readable(crl) ? crl : undefined;
}

/**
 * Whether the fields fetchChainCrls reads from a downloaded CRL can be read. parseCrl decodes
 * the extensions only when first asked for, so a CRL whose extensions are malformed parses and
 * then throws PkiError ERR_PKI_DER_INVALID from isDelta or getExtension; read here, per URL, that
 * makes the URL unreachable like any other answer that is not a CRL, instead of aborting the
 * whole chain judgement. (The chain engine guards the fields it reads itself.)
 */
function readable(crl: Crl): boolean {
  try {
    // isDelta and deltaCrlUrls read nothing but the extensions, which the Crl keeps once decoded.
    void crl.extensions;
    return true;
  } catch {
    return false;
  }
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
  const crls: Crl[] = [];
  const fetched: string[] = [];
  const unreachable: string[] = [];
  const seen = new Set<string>();
  const fetchAll = async (urls: readonly string[]) => {
    const fresh = [...new Set(urls)].filter((u) => !seen.has(u));
    for (const u of fresh) seen.add(u);
    const got: Crl[] = [];
    await Promise.all(
      fresh.map(async (url) => {
        const crl = await (cache
          ? cache.get(url, () => downloadCrl(url, network))
          : downloadCrl(url, network));
        if (crl) {
          crls.push(crl);
          got.push(crl);
          fetched.push(url);
        } else unreachable.push(url);
      }),
    );
    return got;
  };
  const bases = await fetchAll(certs.flatMap((c) => cdpUrls(c)));
  // One level: the deltas the base CRLs announce (a delta CRL's own freshestCRL is not followed).
  const announced = new Map(bases.filter((c) => !c.isDelta).map((c) => [c, deltaCrlUrls(c)] as const));
  await fetchAll([...announced.values()].flat());
  // A base CRL whose announced delta could not be fetched from any of its locations is not used
  // on its own: CryptoAPI then reports the revocation status offline (CRYPT_E_REVOCATION_OFFLINE)
  // rather than trusting a base that may predate the revocation (exchange-um-lync.md §7, "delta
  // CRL blocked by IIS"). One reachable location is enough, as CryptoAPI takes the first that works.
  const usable = crls.filter((c) => {
    const deltas = announced.get(c) ?? [];
    return deltas.length === 0 || deltas.some((u) => fetched.includes(u));
  });
  return { crls: usable, fetched, unreachable };
}
