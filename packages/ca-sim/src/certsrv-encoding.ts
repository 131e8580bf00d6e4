// How certsrv (and certreq -retrieve) hands out certificates (reference §6): one certificate, or
// with `chain` a certs-only PKCS #7 in the given order; `bin` is DER, `b64` is Windows'
// CRYPT_STRING_BASE64HEADER: CRLF lines under the CERTIFICATE label, also for PKCS #7.

import { type Certificate, createCertsOnlyPkcs7, encodePem } from '@certlab/pki';

/**
 * Encodes certificates as certnew.cer / certnew.p7b serve them.
 *
 * @example
 * ```ts
 * encodeCertsrvCertificates([leaf, ...caChainOf(ca, leaf)], 'b64', true); // '-----BEGIN CERTIFICATE-----\r\n…'
 * ```
 */
export function encodeCertsrvCertificates(
  certs: readonly Certificate[],
  enc: 'b64' | 'bin',
  chain: boolean,
): string | Uint8Array {
  const der = chain ? createCertsOnlyPkcs7(certs) : certs[0]!.der;
  return enc === 'bin' ? der : encodePem('CERTIFICATE', der, { eol: '\r\n' });
}
