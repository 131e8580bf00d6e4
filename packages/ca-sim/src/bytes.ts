// Byte comparison for the few places the CA compares DER (names, serials) byte for byte.

/**
 * True when both arrays hold the same bytes. Not constant-time: for public data only.
 *
 * @example
 * ```ts
 * bytesEqual(cert.issuerDer, ca.subjectDer);
 * ```
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
