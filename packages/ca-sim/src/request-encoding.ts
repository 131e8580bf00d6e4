// Reading a submitted request the way certsrv does (certsrv reference §5.2): PEM with any
// armour label, bare Base64 with or without line breaks, spaces standing for `+`, or DER.

import { CertificationRequest, decodeBase64 } from '@certlab/pki';

/**
 * A request as callers may hand it over: PEM/Base64 text, DER bytes, or a parsed request.
 *
 * @example
 * ```ts
 * const input: RequestInput = await readFile('exch01.req', 'utf8');
 * ```
 */
export type RequestInput = string | Uint8Array | CertificationRequest;

/**
 * The request's bytes. Text: `-----BEGIN …-----`/`-----END …-----` lines removed, spaces turned
 * back into `+` (clients that do not form-encode `+`), other whitespace dropped, then Base64.
 * Bytes starting with 0x30 are DER; other bytes are read as text. Throws a PkiError
 * (ERR_PKI_BASE64_INVALID) for text that is not Base64.
 *
 * @example
 * ```ts
 * decodeRequestInput('-----BEGIN NEW CERTIFICATE REQUEST-----\nMIIB…\n-----END NEW CERTIFICATE REQUEST-----');
 * ```
 */
export function decodeRequestInput(input: RequestInput): Uint8Array {
  if (input instanceof CertificationRequest) return input.der;
  if (input instanceof Uint8Array) {
    if (input.length === 0 || input[0] === 0x30) return input;
    return decodeRequestText(new TextDecoder('latin1').decode(input));
  }
  return decodeRequestText(input);
}

function decodeRequestText(text: string): Uint8Array {
  const body = text
    .replace(/-----(BEGIN|END)[^-]*-----/g, '')
    .replace(/[\r\n\t]/g, '')
    .trim()
    .replace(/ /g, '+');
  return decodeBase64(body);
}
