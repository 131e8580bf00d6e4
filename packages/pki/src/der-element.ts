// One DER element out of bytes that hold several back to back (tools that print certificates one
// after another, such as `certutil -L -n NICK -r` for every certificate of a subject).

import { encodingOf, readTlv } from './internal/der.js';

/**
 * The first DER element of `bytes` (its tag, length and content; a view, not a copy). Throws
 * ERR_PKI_DER_TRUNCATED or ERR_PKI_DER_INVALID when its header is broken or it runs past the end.
 *
 * @example
 * ```ts
 * parseCertificate(firstDerElement(twoCertificatesBackToBack)); // the first one
 * ```
 */
export function firstDerElement(bytes: Uint8Array): Uint8Array {
  return encodingOf(readTlv(bytes, 0));
}
