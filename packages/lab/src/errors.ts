// The one error class of @certlab/lab. Codes are stable API; messages are sentences that say what
// to do next, because the people reading them are trainees in the middle of a procedure, in the
// lab's language (English or French) wherever the error arises inside a known lab.

import type { LabLang, Localized } from './localized.js';

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
 * `cause` (a StoreError, CaError or PkiError, or a node error). Errors a trainee meets during the
 * procedure carry their text in both languages (`localized`); `message` is the text in the
 * language given at construction (the lab's, where the lab is known), else English.
 *
 * @example
 * ```ts
 * try {
 *   await um.enableCertificate(thumb, ['UM']);
 * } catch (e) {
 *   if (e instanceof LabError && e.code === 'ERR_LAB_UM_STARTUP_MODE') console.error(e.messageIn('fr'));
 * }
 * ```
 */
export class LabError extends Error {
  readonly code: LabErrorCode;
  /** The message in English and French, when the error has both. */
  readonly localized: Localized | undefined;
  constructor(
    code: LabErrorCode,
    message: string | Localized,
    options?: { cause?: unknown; lang?: LabLang },
  ) {
    const text = typeof message === 'string' ? message : message[options?.lang ?? 'en'];
    super(text, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.localized = typeof message === 'string' ? undefined : message;
  }

  /**
   * The message in `lang` when the error has it in both languages, else `message`.
   *
   * @example
   * ```ts
   * new LabError('ERR_LAB_UM_VERSION', l10n('Restart the service.', 'Redémarrez le service.')).messageIn('fr');
   * // 'Redémarrez le service.'
   * ```
   */
  messageIn(lang: LabLang): string {
    return this.localized?.[lang] ?? this.message;
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
