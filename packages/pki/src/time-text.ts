// Certificate and CRL times in text: ISO 8601 in UTC to the second, as X.509 encodes them.

/**
 * ISO 8601 in UTC to the second, `2026-11-29T22:40:00Z`: certificate and CRL times have no
 * fractions (RFC 5280 §4.1.2.5), so printing `.000` would suggest a precision that is not there.
 *
 * @example
 * ```ts
 * isoSeconds(new Date(Date.UTC(2030, 0, 1))); // '2030-01-01T00:00:00Z'
 * ```
 */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
