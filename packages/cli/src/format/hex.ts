// Hex renderings the way certutil prints them: a dump with offsets and an ASCII column for
// opaque values, and spaced lowercase bytes for short fields.

/**
 * certutil-style dump: 16 bytes a line, an extra space after the eighth, printable ASCII on the
 * right.
 *
 * @example
 * ```ts
 * hexDump(Uint8Array.of(0x30, 0x03, 0x01, 0x01, 0xff));
 * // ['0000  30 03 01 01 ff                                     0....']
 * ```
 */
export function hexDump(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      const b = row[i];
      hex += b === undefined ? '   ' : `${b.toString(16).padStart(2, '0')} `;
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex}  ${ascii}`);
  }
  if (lines.length === 0) lines.push('(empty)');
  return lines;
}

/**
 * Bytes as lowercase hex pairs separated by spaces, as certutil prints key usage bytes.
 *
 * @example
 * ```ts
 * spacedHex(Uint8Array.of(0xa0)); // 'a0'
 * ```
 */
export function spacedHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
