// HRESULTs the simulated CA reports, with the winerror.h message texts and the way certsrv
// prints them (certsrv reference §7.1): `<message> 0x<hex> (<signed decimal> <SYMBOL>)` for
// FACILITY_CERT codes, `(WIN32: n SYMBOL)` for Win32 codes, `(ASN: n SYMBOL)` for ASN.1 codes.

/**
 * One HRESULT: unsigned 32-bit value, symbol and winerror.h message.
 *
 * @example
 * ```ts
 * const hr: HResult = HRESULTS.CERTSRV_E_KEY_LENGTH;
 * ```
 */
export interface HResult {
  /** Unsigned value, e.g. 0x80094800. */
  readonly code: number;
  /** winerror.h symbol, e.g. `CERTSRV_E_UNSUPPORTED_CERT_TYPE`; empty for S_OK. */
  readonly symbol: string;
  /** The winerror.h message text. */
  readonly message: string;
  /** How certsrv prints the number part: facility cert (signed decimal), WIN32 or ASN. */
  readonly style: 'cert' | 'win32' | 'asn';
}

function h(code: number, symbol: string, message: string, style: HResult['style'] = 'cert'): HResult {
  return Object.freeze({ code, symbol, message, style });
}

/**
 * The HRESULTs used by the policy module and the CA administration calls (winerror.h; the
 * CERTSRV_E_* codes are documented in [MS-WCCE] §2.2.2.9 and [MS-CSRA]).
 *
 * @example
 * ```ts
 * HRESULTS.CERTSRV_E_UNSUPPORTED_CERT_TYPE.code; // 0x80094800
 * ```
 */
export const HRESULTS = {
  S_OK: h(0, '', 'The operation completed successfully.', 'win32'),
  CERTSRV_E_BAD_REQUESTSUBJECT: h(
    0x80094001,
    'CERTSRV_E_BAD_REQUESTSUBJECT',
    'The request subject name is invalid or too long.',
  ),
  CERTSRV_E_PROPERTY_EMPTY: h(
    0x80094004,
    'CERTSRV_E_PROPERTY_EMPTY',
    'The requested property value is empty.',
  ),
  CERTSRV_E_ENROLL_DENIED: h(
    0x80094011,
    'CERTSRV_E_ENROLL_DENIED',
    'The permissions on this CA do not allow the current user to enroll for certificates.',
  ),
  CERTSRV_E_TEMPLATE_DENIED: h(
    0x80094012,
    'CERTSRV_E_TEMPLATE_DENIED',
    'The permissions on the certificate template do not allow the current user to enroll for this type of certificate.',
  ),
  CERTSRV_E_ADMIN_DENIED_REQUEST: h(
    0x80094014,
    'CERTSRV_E_ADMIN_DENIED_REQUEST',
    'The request was denied by a certificate manager or CA administrator.',
  ),
  CERTSRV_E_UNSUPPORTED_CERT_TYPE: h(
    0x80094800,
    'CERTSRV_E_UNSUPPORTED_CERT_TYPE',
    'The requested certificate template is not supported by this CA.',
  ),
  CERTSRV_E_NO_CERT_TYPE: h(
    0x80094801,
    'CERTSRV_E_NO_CERT_TYPE',
    'The request contains no certificate template information.',
  ),
  CERTSRV_E_SUBJECT_UPN_REQUIRED: h(
    0x8009480d,
    'CERTSRV_E_SUBJECT_UPN_REQUIRED',
    'The UPN is unavailable and cannot be added to the Subject Alternate name.',
  ),
  CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED: h(
    0x8009480e,
    'CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED',
    'The directory GUID is unavailable and cannot be added to the Subject Alternate name.',
  ),
  CERTSRV_E_SUBJECT_DNS_REQUIRED: h(
    0x8009480f,
    'CERTSRV_E_SUBJECT_DNS_REQUIRED',
    'The Domain Name System (DNS) name is unavailable and cannot be added to the Subject Alternate name.',
  ),
  CERTSRV_E_KEY_LENGTH: h(
    0x80094811,
    'CERTSRV_E_KEY_LENGTH',
    'The public key does not meet the minimum size required by the specified certificate template.',
  ),
  CERTSRV_E_SUBJECT_EMAIL_REQUIRED: h(
    0x80094812,
    'CERTSRV_E_SUBJECT_EMAIL_REQUIRED',
    'The email name is unavailable and cannot be added to the Subject or Subject Alternate name.',
  ),
  NTE_BAD_SIGNATURE: h(0x80090006, 'NTE_BAD_SIGNATURE', 'Invalid Signature.'),
  NTE_BAD_ALGID: h(0x80090008, 'NTE_BAD_ALGID', 'Invalid algorithm specified.'),
  CRYPT_E_ASN1_EOD: h(0x80093102, 'CRYPT_E_ASN1_EOD', 'ASN1 unexpected end of data.', 'asn'),
  CRYPT_E_ASN1_BADTAG: h(0x8009310b, 'CRYPT_E_ASN1_BADTAG', 'ASN1 bad tag value met.', 'asn'),
  CRYPT_E_REVOKED: h(0x80092010, 'CRYPT_E_REVOKED', 'The certificate is revoked.'),
  CERT_E_EXPIRED: h(
    0x800b0101,
    'CERT_E_EXPIRED',
    'A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file.',
  ),
  CERT_E_UNTRUSTEDROOT: h(
    0x800b0109,
    'CERT_E_UNTRUSTEDROOT',
    'A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.',
  ),
  ERROR_INVALID_PARAMETER: h(0x80070057, 'ERROR_INVALID_PARAMETER', 'The parameter is incorrect.', 'win32'),
  ERROR_INVALID_DATA: h(0x8007000d, 'ERROR_INVALID_DATA', 'The data is invalid.', 'win32'),
} as const;

/**
 * The name of one entry of {@link HRESULTS}.
 *
 * @example
 * ```ts
 * const name: HResultName = 'CERTSRV_E_KEY_LENGTH';
 * ```
 */
export type HResultName = keyof typeof HRESULTS;

/**
 * The signed 32-bit value Windows prints in parentheses (0x80094800 → -2146875392).
 *
 * @example
 * ```ts
 * signedHresult(0x80094800); // -2146875392
 * ```
 */
export function signedHresult(code: number): number {
  return code | 0;
}

/**
 * `0x80094800` style: lower-case hex, no padding (certsrv reference §7.1; `0x0` for S_OK).
 *
 * @example
 * ```ts
 * hresultHex(0x80094800); // '0x80094800'
 * ```
 */
export function hresultHex(code: number): string {
  return `0x${(code >>> 0).toString(16)}`;
}

/**
 * The LastStatus text certsrv shows for an HRESULT (certsrv reference §7.1).
 *
 * @example
 * ```ts
 * formatHresult(HRESULTS.CERTSRV_E_UNSUPPORTED_CERT_TYPE);
 * // 'The requested certificate template is not supported by this CA. 0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)'
 * formatHresult(HRESULTS.S_OK); // 'The operation completed successfully. 0x0 (WIN32: 0)'
 * ```
 */
export function formatHresult(hr: HResult): string {
  const hex = hresultHex(hr.code);
  if (hr.style === 'win32') {
    // HRESULT_FROM_WIN32: the low 16 bits are the Win32 error code.
    const win32 = hr.code & 0xffff;
    return `${hr.message} ${hex} (WIN32: ${win32}${hr.symbol ? ` ${hr.symbol}` : ''})`;
  }
  if (hr.style === 'asn') {
    // CRYPT_E_ASN1_* are 0x80093000 + n (n = 267 for BADTAG); certsrv prints n.
    return `${hr.message} ${hex} (ASN: ${hr.code - 0x80093000} ${hr.symbol})`;
  }
  return `${hr.message} ${hex} (${signedHresult(hr.code)} ${hr.symbol})`;
}

/**
 * Looks an HRESULT up by its unsigned value; undefined for codes this package never reports.
 *
 * @example
 * ```ts
 * hresultByCode(0x80094811)?.symbol; // 'CERTSRV_E_KEY_LENGTH'
 * ```
 */
export function hresultByCode(code: number): HResult | undefined {
  const c = code >>> 0;
  return Object.values(HRESULTS).find((x) => x.code === c);
}
