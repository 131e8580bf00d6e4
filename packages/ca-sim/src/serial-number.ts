// Serial numbers as a modern AD CS writes them ([MS-WCCE] §3.2.1.4.2.1.4.6.3, certsrv reference
// §11.2): 19 octets, positive, carrying the request id and the CA certificate index around a
// random middle, so that they are unique by construction and still unpredictable.

/** Upper-case two-digit hex of every octet (one string per octet instead of three). */
const HEX = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, '0').toUpperCase());

/**
 * A random per-CA first octet, 0x01–0x7F (keeps the INTEGER positive and 19 octets long).
 *
 * @example
 * ```ts
 * const prefix = randomSerialPrefix(); // e.g. 0x64
 * ```
 */
export function randomSerialPrefix(): number {
  const b = new Uint8Array(1);
  crypto.getRandomValues(b);
  return (b[0]! % 0x7f) + 1;
}

/**
 * Builds the serial, printed big-endian as tools show it:
 * `prefix (1) | request id (4) | random (8) | CA certificate index (2) | request id (4)`.
 * Two requests never share a serial (the id is in it); the 64 random bits make it
 * unpredictable (CA/Browser Forum BR §7.1).
 *
 * @example
 * ```ts
 * adcsSerialNumber({ prefix: 0x64, requestId: 5, caCertIndex: 0 }); // '6400000005…00000000000005'
 * ```
 */
export function adcsSerialNumber(v: {
  prefix: number;
  requestId: number;
  caCertIndex: number;
  random?: Uint8Array;
}): string {
  if (!Number.isInteger(v.prefix) || v.prefix < 1 || v.prefix > 0x7f)
    throw new RangeError('The serial prefix must be 0x01 to 0x7F.');
  if (!Number.isSafeInteger(v.requestId) || v.requestId < 1 || v.requestId > 0xffffffff)
    throw new RangeError('The request id must fit in 32 bits.');
  if (!Number.isInteger(v.caCertIndex) || v.caCertIndex < 0 || v.caCertIndex > 0xffff)
    throw new RangeError('The CA certificate index must fit in 16 bits.');
  const random = v.random ?? crypto.getRandomValues(new Uint8Array(8));
  if (random.length !== 8) throw new RangeError('The random part is 8 octets.');
  const b = new Uint8Array(19);
  const view = new DataView(b.buffer);
  b[0] = v.prefix;
  view.setUint32(1, v.requestId);
  b.set(random, 5);
  view.setUint16(13, v.caCertIndex);
  view.setUint32(15, v.requestId);
  let hex = '';
  for (const x of b) hex += HEX[x]!;
  return hex;
}
