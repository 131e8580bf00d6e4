// BER test inputs: DER rewritten with indefinite lengths, as streaming encoders (Windows'
// CryptMsg, OpenSSL's -stream) write them (X.690 §8.1.3.6).
import { concat } from '../src/internal/bytes.js';
import { Cursor, encodingOf, readTlv } from '../src/internal/der.js';

/** Rewrites constructed elements down to `depth` levels in the indefinite-length form (BER). */
export function toIndefinite(der: Uint8Array, depth: number): Uint8Array {
  const t = readTlv(der, 0);
  if (depth === 0 || (t.id & 0x20) === 0) return encodingOf(t);
  const kids: Uint8Array[] = [];
  const c = Cursor.of(t);
  while (!c.done()) kids.push(toIndefinite(encodingOf(c.next()), depth - 1));
  return concat([Uint8Array.of(t.id, 0x80), ...kids, Uint8Array.of(0, 0)]);
}
