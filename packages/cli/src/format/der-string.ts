// Reads a DER character string (UTF8String, PrintableString, IA5String, BMPString…) for display.
// Request attributes such as the Windows OS version are single strings; anything more complex
// is left to the hex dump, so this reader stays tiny and only needs to be right or say no.

const LATIN1_TAGS = new Set([0x12, 0x13, 0x14, 0x16, 0x1a]);

/**
 * The text of a DER-encoded character string, or undefined if `der` is not exactly one.
 *
 * @example
 * ```ts
 * derString(Uint8Array.of(0x16, 0x02, 0x68, 0x69)); // 'hi'
 * ```
 */
export function derString(der: Uint8Array): string | undefined {
  if (der.length < 2) return undefined;
  const tag = der[0]!;
  let len = der[1]!;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || der.length < 2 + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    off = 2 + n;
  }
  if (off + len !== der.length) return undefined;
  const body = der.subarray(off);
  if (tag === 0x0c) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return undefined;
    }
  }
  if (tag === 0x1e) {
    if (body.length % 2) return undefined;
    let s = '';
    for (let i = 0; i < body.length; i += 2) s += String.fromCharCode((body[i]! << 8) | body[i + 1]!);
    return s;
  }
  if (LATIN1_TAGS.has(tag)) return String.fromCharCode(...body);
  return undefined;
}
