// The one error class of @certlab/store-sim. Codes are stable API; messages are sentences for
// people. Where Windows has an HRESULT for the same failure, the error carries it.

/**
 * Every error code @certlab/store-sim can raise.
 *
 * @example
 * ```ts
 * const code: StoreErrorCode = 'ERR_STORE_NOT_FOUND';
 * ```
 */
export type StoreErrorCode =
  | 'ERR_STORE_LOCATION_UNKNOWN'
  | 'ERR_STORE_NAME_INVALID'
  | 'ERR_STORE_THUMBPRINT_INVALID'
  | 'ERR_STORE_NOT_FOUND'
  | 'ERR_STORE_EXISTS'
  | 'ERR_STORE_IMPORT_INVALID'
  | 'ERR_STORE_IMPORT_UNSUPPORTED'
  | 'ERR_STORE_IMPORT_EMPTY'
  | 'ERR_STORE_PASSWORD_REQUIRED'
  | 'ERR_STORE_CANCELLED'
  | 'ERR_STORE_KEY_MISSING'
  | 'ERR_STORE_KEY_NOT_EXPORTABLE'
  | 'ERR_STORE_EXPORT_INVALID'
  | 'ERR_STORE_IO'
  | 'ERR_STORE_CORRUPT'
  | 'ERR_STORE_UNSUPPORTED'
  | 'ERR_STORE_TOOL_MISSING'
  | 'ERR_STORE_TRANSCRIPT_MISMATCH';

/** The Windows HRESULT of the codes that have one (CRYPT_E_NOT_FOUND, CRYPT_E_EXISTS, ERROR_CANCELLED). */
const HRESULTS: Partial<Record<StoreErrorCode, number>> = {
  ERR_STORE_NOT_FOUND: 0x80092004,
  ERR_STORE_EXISTS: 0x80092005,
  ERR_STORE_CANCELLED: 0x800704c7,
  ERR_STORE_PASSWORD_REQUIRED: 0x80070056,
  ERR_STORE_KEY_NOT_EXPORTABLE: 0x8009000b,
};

/**
 * The error of @certlab/store-sim: a stable `code`, a readable `message`, the lower-level error
 * as `cause` (often a PkiError from @certlab/pki), and the Windows HRESULT when one applies.
 *
 * @example
 * ```ts
 * try {
 *   machine.store('LocalMachine', 'My').get('00');
 * } catch (e) {
 *   if (e instanceof StoreError && e.code === 'ERR_STORE_THUMBPRINT_INVALID') console.error(e.message);
 * }
 * ```
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** The HRESULT Windows would return for the same failure, when there is one. */
  readonly hresult: number | undefined;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.hresult = HRESULTS[code];
  }
}

/**
 * True when `e` is a {@link StoreError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isStoreError(e, 'ERR_STORE_EXISTS')) console.log('already there');
 * ```
 */
export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
