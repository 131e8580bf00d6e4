// The characters names and values the CA keeps may not hold, in one place for the templates and
// the certsrv accounts, and the text the CA writes to its database (not exported from the
// package).

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * {@link CONTROL_CHARACTERS} and unpaired surrogates, which have no UTF-8 form, so no certificate
 * could carry them: for what goes into certificates and into the request log's text lines.
 */
export const UNPRINTABLE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/** U+0000 or a surrogate (paired or not): the fast test before the exact work below. */
export const NUL_OR_SURROGATE = /[\u0000\ud800-\udfff]/;
/** Unpaired surrogates (a surrogate pair is one character, kept). */
export const UNPAIRED_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` as every request store can hold it: U+0000 and unpaired surrogates become U+FFFD, the
 * replacement character (Unicode §23.8: it stands for a character that cannot be represented).
 * A PostgreSQL `text` value cannot hold U+0000 (PostgreSQL manual §8.3, "Character Types": "the
 * character with code zero (sometimes called NUL)" cannot be stored) and UTF-8 has no form for
 * an unpaired surrogate, which the PGlite and pg drivers' UTF-8 encoders already write as U+FFFD.
 * For the text the CA derives from a submission (subject, template name, disposition message):
 * the submitted request itself is kept byte for byte, so nothing of it is lost.
 *
 * @example
 * ```ts
 * storableText('Web\u0000Server'); // 'Web\uFFFDServer'
 * ```
 */
export function storableText(text: string): string {
  if (!NUL_OR_SURROGATE.test(text)) return text;
  return text.replaceAll('\u0000', '\uFFFD').replace(UNPAIRED_SURROGATES, '\uFFFD');
}

/**
 * The text up to its first U+0000. Request attributes reach AD CS as a NUL-terminated wide
 * string ([MS-WCCE] §3.2.1.4.2.1 and §3.2.1.4.3.1: `pwszAttributes` is a `[string] wchar_t
 * const *`; [MS-ICPR] §3.2.4.1.1: a "null-terminated string"): whatever follows the first NUL is
 * never seen by the CA, whether it came from certreq, certsrv's `CertAttrib` or a script.
 *
 * @example
 * ```ts
 * untilNul('CertificateTemplate:Web\u0000Server'); // 'CertificateTemplate:Web'
 * ```
 */
export function untilNul(text: string): string {
  const i = text.indexOf('\u0000');
  return i < 0 ? text : text.slice(0, i);
}
