// The one error class of @certlab/lab. Codes are stable API; messages are sentences that say what
// to do next, because the people reading them are trainees in the middle of a procedure.

/**
 * Every error code @certlab/lab can raise.
 *
 * @example
 * ```ts
 * const code: LabErrorCode = 'ERR_LAB_NOT_FOUND';
 * ```
 */
export type LabErrorCode =
  | 'ERR_LAB_NOT_FOUND'
  | 'ERR_LAB_EXISTS'
  | 'ERR_LAB_CONFIG_INVALID'
  | 'ERR_LAB_SCENARIO_UNKNOWN'
  | 'ERR_LAB_OPTION_INVALID'
  | 'ERR_LAB_HOST_UNKNOWN'
  | 'ERR_LAB_CERTIFICATE_NOT_FOUND'
  | 'ERR_LAB_PRIVATE_KEY_MISSING'
  | 'ERR_LAB_UM_STARTUP_MODE'
  | 'ERR_LAB_UM_VERSION'
  | 'ERR_LAB_CERTSRV'
  | 'ERR_LAB_TLS';

/**
 * The error of @certlab/lab: a stable `code`, an actionable message, and the lower-level error as
 * `cause` (a StoreError, CaError or PkiError, or a node error).
 *
 * @example
 * ```ts
 * try {
 *   await um.enableCertificate(thumb, ['UM']);
 * } catch (e) {
 *   if (e instanceof LabError && e.code === 'ERR_LAB_UM_STARTUP_MODE') console.error(e.message);
 * }
 * ```
 */
export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
    this.code = code;
  }
}

/**
 * True when `e` is a {@link LabError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isLabError(e, 'ERR_LAB_NOT_FOUND')) console.log('run certlab lab init first');
 * ```
 */
export function isLabError(e: unknown, code?: LabErrorCode): e is LabError {
  return e instanceof LabError && (code === undefined || e.code === code);
}
