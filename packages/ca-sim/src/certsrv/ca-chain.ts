// The CA certificates above a certificate, found by key identifier among every CA certificate
// generation (a certificate issued before a CA renewal chains to the older CA certificate).

import type { Certificate } from '@certlab/pki';
import type { CertificationAuthority } from '../authority.js';

/**
 * The CA certificate that signed `cert`, then its parents up to the root (certnew.p7b order).
 *
 * @example
 * ```ts
 * const chain = [leaf, ...caChainOf(ca, leaf)]; // leaf, issuing CA, root
 * ```
 */
export function caChainOf(ca: CertificationAuthority, cert: Certificate): Certificate[] {
  const out: Certificate[] = [];
  let cur = cert;
  for (let depth = 0; depth < 8 && !cur.isSelfIssued; depth++) {
    const parent = ca.issuerOf(cur);
    if (!parent || out.includes(parent)) break;
    out.push(parent);
    cur = parent;
  }
  return out;
}

/**
 * The PEM a TLS server sends: the certificate and the CA certificates above it, without the root
 * (the client has it).
 *
 * @example
 * ```ts
 * const certPem = tlsChainPem(ca, leaf);
 * ```
 */
export function tlsChainPem(ca: CertificationAuthority, cert: Certificate): string {
  const chain = [cert, ...caChainOf(ca, cert)];
  const sendable = chain.length > 1 && chain[chain.length - 1]!.isSelfIssued ? chain.slice(0, -1) : chain;
  return sendable.map((c) => c.toPem()).join('');
}
