// How `ca init` and `ca renew` show a CA certificate: the fields (JSON) and the certutil-like
// lines (text), with its CertEnroll file and CRLs.

import {
  type CaCertificateInfo,
  type CertificationAuthority,
  caCertificateFileName,
  certEnrollUrl,
  type PublishedCrl,
} from '@certlab/ca-sim';
import { CERT_ENROLL_DIR } from './ca-support.js';
import { isoSeconds } from './format/dates.js';
import { describeKey } from './key-spec.js';

/** A CA certificate as `ca init` and `ca renew` print it. */
export interface CaCertSummary {
  readonly name: string;
  readonly subject: string;
  readonly thumbprint: string;
  readonly sha256: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly key: string;
  readonly certificateFile: string;
  readonly certificateUrl: string;
  readonly crlFile: string | null;
  readonly crlUrl: string | null;
  readonly crlNumber: number | null;
  readonly deltaCrlFile: string | null;
  readonly deltaCrlUrl: string | null;
}

/**
 * The summary of one CA certificate of `ca` (named `caName`), with the base and delta CRLs to
 * show beside it.
 *
 * @example
 * ```ts
 * const s = await caCertSummary(ca, ca.name, ca.caCertificates().at(-1)!, await ca.latestCrl());
 * s.certificateFile; // 'CertEnroll/pki.contoso.com_Contoso Issuing CA.crt'
 * ```
 */
export async function caCertSummary(
  ca: CertificationAuthority,
  caName: string,
  info: CaCertificateInfo,
  base?: PublishedCrl,
  delta?: PublishedCrl,
): Promise<CaCertSummary> {
  const cert = info.certificate;
  const crtFile = caCertificateFileName(ca.points.serverDnsName, caName, info.certIndex);
  return {
    name: caName,
    subject: cert.subject.toWindowsString(),
    thumbprint: await cert.thumbprint(),
    sha256: await cert.thumbprint('SHA-256'),
    serialNumber: cert.serialNumber,
    notBefore: isoSeconds(cert.notBefore),
    notAfter: isoSeconds(cert.notAfter),
    key: describeKey(cert.publicKey),
    certificateFile: `${CERT_ENROLL_DIR}/${crtFile}`,
    certificateUrl: certEnrollUrl(ca.points.baseUrl, crtFile),
    crlFile: base ? `${CERT_ENROLL_DIR}/${base.fileName}` : null,
    crlUrl: base?.url ?? null,
    crlNumber: base?.crlNumber ?? null,
    deltaCrlFile: delta ? `${CERT_ENROLL_DIR}/${delta.fileName}` : null,
    deltaCrlUrl: delta?.url ?? null,
  };
}

/**
 * The certificate's lines (thumbprints, serial, validity, key, file), indented under a title.
 *
 * @example
 * ```ts
 * lines.push(`Root CA: ${s.subject}`, ...caCertLines(s), ...caCrlLines(s));
 * ```
 */
export function caCertLines(s: CaCertSummary): string[] {
  return [
    `  Cert Hash(sha1):   ${s.thumbprint}`,
    `  Cert Hash(sha256): ${s.sha256}`,
    `  Serial Number:     ${s.serialNumber}`,
    `  Validity:          ${s.notBefore} to ${s.notAfter}`,
    `  Key:               ${s.key}`,
    `  Certificate:       ${s.certificateFile}`,
  ];
}

/**
 * The CRL lines of a summary (none when no CRL goes with it).
 *
 * @example
 * ```ts
 * caCrlLines(s); // ['  CRL:               CertEnroll/Contoso Issuing CA.crl (CRL Number 1)', …]
 * ```
 */
export function caCrlLines(s: CaCertSummary): string[] {
  return [
    ...(s.crlFile ? [`  CRL:               ${s.crlFile} (CRL Number ${s.crlNumber})`] : []),
    ...(s.deltaCrlFile ? [`  Delta CRL:         ${s.deltaCrlFile}`] : []),
    ...(s.crlUrl ? [`  CDP URL:           ${s.crlUrl}`] : []),
  ];
}
