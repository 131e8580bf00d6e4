// The server's own TLS certificate, issued by its own CA from the Web Server template for
// `localhost`, the loopback addresses and the names given, as an administrator would request
// one for IIS before binding HTTPS on the certsrv site.

import { isIP } from 'node:net';
import { createCsr, type GeneralName, generateKeyPair, Name, subjectAltName } from '@certlab/pki';
import type { CertificationAuthority } from '../authority.js';
import { CaError } from '../errors.js';
import { tlsChainPem } from './ca-chain.js';

/**
 * A key and certificate chain for an HTTPS listener.
 *
 * @example
 * ```ts
 * const { key, cert } = await issueTlsCertificate(ca, ['pki.contoso.com']);
 * ```
 */
export interface TlsCredentials {
  /** PKCS #8 PEM private key (unencrypted: the listener reads it). */
  readonly key: string;
  /** The certificate then the issuing CA certificates, PEM. */
  readonly cert: string;
  /** The request id the CA gave the server certificate. */
  readonly requestId: number;
  /** The names in the certificate's subjectAltName. */
  readonly names: readonly string[];
  readonly notAfter: Date;
}

/**
 * Issues the HTTPS certificate: CN = the first name, SAN = `localhost`, 127.0.0.1, ::1 and the
 * names given (DNS names or IP addresses), P-256 key, Web Server template.
 *
 * @example
 * ```ts
 * const tls = await issueTlsCertificate(ca, ['pki.contoso.com', '192.0.2.10']);
 * https.createServer({ key: tls.key, cert: tls.cert });
 * ```
 */
export async function issueTlsCertificate(
  ca: CertificationAuthority,
  names: readonly string[] = [],
): Promise<TlsCredentials> {
  const all = [...new Set(['localhost', '127.0.0.1', '::1', ...names.map((n) => n.trim()).filter(Boolean)])];
  const san: GeneralName[] = all.map((n) =>
    isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n.toLowerCase() },
  );
  const cn = names.find((n) => !isIP(n)) ?? 'localhost';
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: Name.from([{ CN: cn }]),
    privateKey,
    extensions: [subjectAltName(san)],
  });
  // Requested as the CA host's administrator requests IIS's certificate: a member of Domain Admins
  // and Enterprise Admins, whom AD CS's default Web Server permissions let enroll (a CA that
  // publishes them, as the labs' do, denies anyone else: withDefaultPermissions).
  const r = await ca.submit(csr, {
    template: 'WebServer',
    requester: { name: 'certlab serve', groups: ['Domain Admins', 'Enterprise Admins'] },
  });
  if (r.disposition !== 'issued' || !r.certificate)
    throw new CaError(
      'ERR_CA_ISSUE_FAILED',
      `The CA did not issue the server's TLS certificate (request ${r.requestId}: ${r.message}). Publish an auto-issuing WebServer template.`,
    );
  return {
    key: await privateKey.toPem(),
    cert: tlsChainPem(ca, r.certificate),
    requestId: r.requestId,
    names: all,
    notAfter: r.certificate.notAfter,
  };
}
