// The characters names and values the CA keeps may not hold, in one place for the templates and
// the certsrv accounts (not exported from the package).

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * {@link CONTROL_CHARACTERS} and unpaired surrogates, which have no UTF-8 form, so no certificate
 * could carry them: for what goes into certificates and into the request log's text lines.
 */
export const UNPRINTABLE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;
