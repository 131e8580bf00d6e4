/**
 * Every error code @certlab/pki can raise. Codes are stable API: match on `code`, never on the
 * message, which is a sentence meant for the person reading it.
 *
 * @example
 * ```ts
 * const code: PkiErrorCode = 'ERR_PKI_PEM_INVALID';
 * if (isPkiError(e, code)) console.log(e.message);
 * ```
 */
export type PkiErrorCode =
  | 'ERR_PKI_DER_INVALID'
  | 'ERR_PKI_DER_TRUNCATED'
  | 'ERR_PKI_DER_TOO_DEEP'
  | 'ERR_PKI_PEM_INVALID'
  | 'ERR_PKI_BASE64_INVALID'
  | 'ERR_PKI_OID_INVALID'
  | 'ERR_PKI_TIME_INVALID'
  | 'ERR_PKI_NAME_INVALID'
  | 'ERR_PKI_EXTENSION_INVALID'
  | 'ERR_PKI_EXTENSION_DUPLICATE'
  | 'ERR_PKI_CERT_INVALID'
  | 'ERR_PKI_CSR_INVALID'
  | 'ERR_PKI_CSR_SIGNATURE'
  | 'ERR_PKI_SERIAL_INVALID'
  | 'ERR_PKI_KEY_INVALID'
  | 'ERR_PKI_KEY_UNSUPPORTED'
  | 'ERR_PKI_KEY_PASSWORD'
  | 'ERR_PKI_KEY_ENCRYPTED'
  | 'ERR_PKI_KDF_LIMIT'
  | 'ERR_PKI_ALGORITHM_UNSUPPORTED'
  | 'ERR_PKI_CRYPTO_UNAVAILABLE'
  | 'ERR_PKI_SIGNATURE_INVALID'
  | 'ERR_PKI_PKCS7_INVALID'
  | 'ERR_PKI_PKCS12_INVALID'
  | 'ERR_PKI_PKCS12_PASSWORD'
  | 'ERR_PKI_PKCS12_UNSUPPORTED'
  | 'ERR_PKI_CRL_INVALID'
  | 'ERR_PKI_FORMAT_UNKNOWN';

/**
 * The one error class of @certlab/pki. `code` says what went wrong in a machine-readable way,
 * `message` says what a user can do about it, `cause` keeps the lower-level error if any.
 *
 * @example
 * ```ts
 * import { parseCertificate, PkiError } from '@certlab/pki';
 * try {
 *   parseCertificate(bytes);
 * } catch (e) {
 *   if (e instanceof PkiError && e.code === 'ERR_PKI_DER_TRUNCATED') console.error(e.message);
 * }
 * ```
 */
export class PkiError extends Error {
  readonly code: PkiErrorCode;
  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}

/** True when `e` is a {@link PkiError}, optionally with the given code. @example `isPkiError(e, 'ERR_PKI_KEY_PASSWORD')` */
export function isPkiError(e: unknown, code?: PkiErrorCode): e is PkiError {
  return e instanceof PkiError && (code === undefined || e.code === code);
}
