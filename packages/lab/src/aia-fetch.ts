// Authority Information Access retrieval (RFC 5280 §4.2.2.1): when a peer sent only its own
// certificate, the Windows chain engine downloads the issuer from the caIssuers URL (AD CS puts
// `http://<CA host>/CertEnroll/<host>_<CA name>.crt` there) before giving up on a partial chain.

import { type Certificate, decodeInfoAccess, OID, readPkiFile } from '@certlab/pki';
import type { LabNetwork } from './lab-network.js';

/**
 * The HTTP caIssuers URLs of a certificate.
 *
 * @example
 * ```ts
 * caIssuerUrls(leaf); // ['http://ca01.contoso.com/CertEnroll/ca01.contoso.com_Contoso%20Issuing%20CA.crt']
 * ```
 */
export function caIssuerUrls(cert: Certificate): string[] {
  try {
    const ext = cert.getExtension(OID.authorityInfoAccess);
    if (!ext) return [];
    return decodeInfoAccess(ext.value)
      .filter((a) => a.method === OID.caIssuers) // decodeInfoAccess gives OIDs
      .flatMap((a) => (a.location.type === 'uri' ? [a.location.value] : []))
      .filter((u) => /^http:\/\//i.test(u));
  } catch {
    return [];
  }
}

/**
 * Downloads the issuer certificates a certificate's AIA points to.
 *
 * @example
 * ```ts
 * const issuers = await fetchAiaIssuers(leaf, network);
 * ```
 */
export async function fetchAiaIssuers(cert: Certificate, network: LabNetwork): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const url of caIssuerUrls(cert)) {
    const bytes = await network.fetch(url);
    if (!bytes) continue;
    try {
      const f = await readPkiFile(bytes);
      if (f.kind === 'certificate' || f.kind === 'pkcs7') out.push(...f.certificates);
    } catch {
      // Not a certificate: as CryptoAPI, ignore and keep the partial chain.
    }
  }
  return out;
}
