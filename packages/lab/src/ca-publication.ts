// What AD CS writes to C:\Windows\System32\CertSrv\CertEnroll (served by IIS as /CertEnroll/):
// the CA certificates under `<ServerDNSName>_<CA name>.crt` and the CRLs under `<CA name>.crl`
// and `<CA name>+.crl` (certsrv-protocol.md §6.5). The same layout `certlab ca init` and
// `certlab ca crl` write, so a lab CA created by either is read the same way.

import {
  type CertificationAuthority,
  caCertificateFiles,
  crlFile,
  type PublishedCrl,
  writeCertEnrollFiles,
} from '@certlab/ca-sim';

/**
 * Writes the CA certificates (DER) to a CertEnroll folder.
 *
 * @example
 * ```ts
 * await publishCaCertificates(ca, join(dir, 'ca', 'CertEnroll'));
 * ```
 */
export async function publishCaCertificates(ca: CertificationAuthority, folder: string): Promise<void> {
  await writeCertEnrollFiles(folder, caCertificateFiles(ca));
}

/**
 * Publishes new CRLs (the root's base CRL, the issuing CA's base and delta CRLs) and writes them
 * (DER) to a CertEnroll folder, as the CA's "Publish" action does.
 *
 * @example
 * ```ts
 * await ca.revoke(serial, 'keyCompromise');
 * await publishCrls(ca, join(dir, 'ca', 'CertEnroll'));
 * ```
 */
export async function publishCrls(ca: CertificationAuthority, folder: string): Promise<PublishedCrl[]> {
  const out = await ca.publishAllCrls();
  await writeCertEnrollFiles(folder, out.map(crlFile));
  return out;
}
