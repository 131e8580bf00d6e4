// The CA certificates above a certificate, found by key identifier among every CA certificate
// generation (a certificate issued before a CA renewal chains to the older CA certificate).

import { type Certificate, equalBytes } from '@certlab/pki';
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
  const issuing = ca.caCertificates('issuing').map((i) => i.certificate);
  const roots = ca.standalone ? [] : ca.caCertificates('root').map((i) => i.certificate);
  const all = [...issuing, ...roots];
  const out: Certificate[] = [];
  let cur = cert;
  for (let depth = 0; depth < 8 && !cur.isSelfIssued; depth++) {
    const aki = cur.authorityKeyIdentifier?.keyIdentifier;
    const matches = aki
      ? all.filter((c) => c.subjectKeyIdentifier !== undefined && equalBytes(c.subjectKeyIdentifier, aki))
      : [];
    // Several root certificates of one key (a root renewed with the same key): the newest, as
    // ca.chain takes it, so that a chain never ends in the older, sooner-expiring one. Among
    // issuing CA certificates of one key, the first, as before.
    const bySki = matches.find((c) => !roots.includes(c)) ?? matches.at(-1);
    const parent = bySki ?? all.find((c) => c.subject.equals(cur.issuer));
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
