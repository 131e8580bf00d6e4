/**
 * Every error code @certlab/ca-sim can raise. Codes are stable API: match on `code`, never on
 * the message. Policy outcomes (denied, pending) are not errors: they are dispositions returned
 * by {@link CertificationAuthority.submit}; a CaError means the caller asked for something the CA
 * cannot do (unknown request id, approving a request that is not pending, a broken store…).
 *
 * @example
 * ```ts
 * const code: CaErrorCode = 'ERR_CA_REQUEST_NOT_FOUND';
 * ```
 */
export type CaErrorCode =
  | 'ERR_CA_OPTIONS_INVALID'
  | 'ERR_CA_TEMPLATE_INVALID'
  | 'ERR_CA_TEMPLATE_UNKNOWN'
  | 'ERR_CA_REQUEST_NOT_FOUND'
  | 'ERR_CA_CERTIFICATE_NOT_FOUND'
  | 'ERR_CA_REQUEST_STATE'
  | 'ERR_CA_REVOCATION_STATE'
  | 'ERR_CA_SERIAL_DUPLICATE'
  | 'ERR_CA_STORE'
  | 'ERR_CA_STORE_CLOSED'
  | 'ERR_CA_STORE_IN_USE'
  | 'ERR_CA_STORE_PERMISSIONS'
  | 'ERR_CA_MIGRATION'
  | 'ERR_CA_MISMATCH'
  | 'ERR_CA_NOT_FOUND'
  | 'ERR_CA_ISSUE_FAILED'
  | 'ERR_CA_KEY_LOCKED'
  | 'ERR_CA_KEY_PASSPHRASE'
  | 'ERR_CA_USERS_INVALID'
  | 'ERR_CA_USERS_NOT_FOUND'
  | 'ERR_CA_USERS_IN_USE'
  | 'ERR_CA_BODY_TOO_LARGE'
  | 'ERR_CA_BODY_INCOMPLETE'
  | 'ERR_CA_NTLM_INVALID'
  | 'ERR_CA_ATTRIBUTE_INVALID'
  | 'ERR_CA_EXPIRED';

/**
 * The one error class of @certlab/ca-sim. `code` is machine-readable, `message` tells the
 * person what to do, `cause` keeps the lower-level error (a PkiError, a database error) if any.
 *
 * @example
 * ```ts
 * import { CaError } from '@certlab/ca-sim';
 * try {
 *   await ca.approve(42);
 * } catch (e) {
 *   if (e instanceof CaError && e.code === 'ERR_CA_REQUEST_STATE') console.error(e.message);
 * }
 * ```
 */
export class CaError extends Error {
  readonly code: CaErrorCode;
  constructor(code: CaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaError';
    this.code = code;
  }
}

/**
 * True when `e` is a {@link CaError}, optionally with the given code.
 *
 * @example
 * ```ts
 * try {
 *   await ca.approve(42);
 * } catch (e) {
 *   if (!isCaError(e, 'ERR_CA_REQUEST_NOT_FOUND')) throw e;
 *   console.error('No request 42 in the CA database.');
 * }
 * ```
 */
export function isCaError(e: unknown, code?: CaErrorCode): e is CaError {
  return e instanceof CaError && (code === undefined || e.code === code);
}
