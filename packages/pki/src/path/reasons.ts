// Reason codes of path validation (RFC 5280 §6): stable strings a caller can match on, each
// with the index of the certificate it applies to (0 = the end-entity, last = the trust anchor;
// -1 when it applies to the path as a whole).

/**
 * Every code a {@link PathReason} can carry.
 *
 * @example
 * ```ts
 * const code: PathReasonCode = 'ERR_PATH_REVOKED';
 * const revoked = r.reasons.some((x) => x.code === code);
 * ```
 */
export type PathReasonCode =
  | 'ERR_PATH_EXPIRED'
  | 'ERR_PATH_NOT_YET_VALID'
  | 'ERR_PATH_UNTRUSTED_ROOT'
  | 'ERR_PATH_NO_ISSUER'
  | 'ERR_PATH_SIGNATURE'
  | 'ERR_PATH_NOT_CA'
  | 'ERR_PATH_LENGTH'
  | 'ERR_PATH_KEY_USAGE'
  | 'ERR_PATH_EKU'
  | 'ERR_PATH_NAME_CONSTRAINTS'
  | 'ERR_PATH_POLICY'
  | 'ERR_PATH_CRITICAL_EXTENSION'
  | 'ERR_PATH_HOSTNAME'
  | 'ERR_PATH_REVOKED'
  | 'ERR_PATH_REVOCATION_UNKNOWN'
  | 'ERR_PATH_BUDGET'
  | 'ERR_PATH_MALFORMED'
  | 'ERR_PATH_ALGORITHM'
  | 'ERR_PATH_PROFILE';

/**
 * Why a path is not valid.
 *
 * @example
 * ```ts
 * for (const { code, index, message } of r.reasons) console.log(`${code} at ${index}: ${message}`);
 * // ERR_PATH_HOSTNAME at 0: The host name ex02.contoso.com matches none of the certificate's DNS names (ex01.contoso.com).
 * ```
 */
export interface PathReason {
  readonly code: PathReasonCode;
  /** Index in the path (0 = end-entity); -1 for the path as a whole. */
  readonly index: number;
  readonly message: string;
}

/** @internal Thrown inside validation to stop at the first fatal problem of a certificate. */
export class PathFailure extends Error {
  readonly reason: PathReason;
  constructor(code: PathReasonCode, index: number, message: string) {
    super(message);
    this.reason = { code, index, message };
  }
}

/** @internal */
export function reason(code: PathReasonCode, index: number, message: string): PathReason {
  return { code, index, message };
}
