import { PkiError, type PkiErrorCode } from '../errors.js';

/**
 * Runs a parser and turns anything that is not already a PkiError into one with `code`.
 * Parsers check bounds explicitly; this is the safety net that keeps the public contract
 * ("a coded PkiError, never another exception") even if a check was missed.
 */
export function guard<T>(code: PkiErrorCode, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PkiError) throw e;
    if (e instanceof TypeError && (e as { certlabMisuse?: boolean }).certlabMisuse) throw e;
    throw new PkiError(code, `${what} is not valid DER: the data is malformed.`, { cause: e });
  }
}

/** A TypeError for API misuse, marked so {@link guard} lets it through. */
export function misuse(message: string): TypeError {
  const e = new TypeError(message);
  (e as { certlabMisuse?: boolean }).certlabMisuse = true;
  return e;
}
