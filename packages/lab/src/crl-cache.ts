// One command's memo of downloaded CRLs. Within one `lab check` the same CDP URL is asked for by
// the status of every candidate certificate and by both sides of the mutual-TLS handshake;
// reading and parsing it again each time only repeats work (CryptoAPI keeps what it downloaded
// in its URL cache the same way). A cache lives for one command, never module-wide: between two
// commands the trainee (or the automated run) republishes CRLs in CertEnroll, and a CRL kept
// from before would hide a revocation.

import type { Crl } from '@certlab/pki';

/**
 * CRLs by URL, for one command over one lab network.
 *
 * @example
 * ```ts
 * const crlCache = createCrlCache();
 * for (const cert of candidates) await certificateStatus(ex01, cert, { network, crlCache });
 * ```
 */
export interface CrlCache {
  /**
   * The CRL at `url`: `load` runs on the first ask only; later and concurrent asks share its
   * result (an unreachable URL stays unreachable for the command, as it would for its duration).
   */
  get(url: string, load: () => Promise<Crl | undefined>): Promise<Crl | undefined>;
}

/**
 * An empty cache: make one per command (one `lab check`, one Get-ExchangeCertificate listing).
 *
 * @example
 * ```ts
 * const { crls } = await fetchChainCrls([leaf, issuing], network, createCrlCache());
 * ```
 */
export function createCrlCache(): CrlCache {
  const entries = new Map<string, Promise<Crl | undefined>>();
  return {
    get(url, load) {
      let crl = entries.get(url);
      if (!crl) {
        crl = load();
        entries.set(url, crl);
      }
      return crl;
    },
  };
}
