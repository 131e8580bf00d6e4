// Certificate serial numbers (RFC 5280 §4.1.2.2): positive INTEGERs of at most 20 octets,
// unique per CA. Random serials carry at least 64 bits of entropy (CA/Browser Forum BR §7.1).

import { randomBytes } from './crypto-provider.js';
import { PkiError } from './errors.js';
import { fromHex, toHex } from './internal/bytes.js';

/**
 * A fresh random serial: `length` octets (default 16, so 127 bits of entropy), positive and
 * minimally encoded (first octet 0x01-0x7F), as uppercase hex.
 *
 * @example
 * ```ts
 * randomSerialNumber(); // '3A5F...' (32 hex digits)
 * ```
 */
export function randomSerialNumber(length = 16): string {
  if (!Number.isInteger(length) || length < 9 || length > 20)
    throw new TypeError('serial length must be 9 to 20 octets');
  const b = randomBytes(length);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return toHex(b, true);
}

/**
 * Normalises a serial given as hex (colons and spaces allowed), bigint or bytes to the content
 * octets of its DER INTEGER, checking RFC 5280 §4.1.2.2: positive and at most 20 octets.
 *
 * @example
 * ```ts
 * serialToBytes('00:A1:B2'); // Uint8Array [0xa1, 0xb2] → encoded as 02 03 00 A1 B2
 * ```
 */
export function serialToBytes(serial: string | bigint | Uint8Array): Uint8Array {
  let mag: Uint8Array;
  if (typeof serial === 'bigint') {
    if (serial <= 0n)
      throw new PkiError(
        'ERR_PKI_SERIAL_INVALID',
        'A serial number must be a positive integer (RFC 5280 §4.1.2.2).',
      );
    let h = serial.toString(16);
    if (h.length % 2) h = `0${h}`;
    mag = fromHex(h);
  } else if (typeof serial === 'string') {
    const clean = serial.replace(/[\s:]/g, '');
    if (!/^[0-9a-fA-F]+$/.test(clean))
      throw new PkiError('ERR_PKI_SERIAL_INVALID', `"${serial}" is not a hexadecimal serial number.`);
    mag = fromHex(clean.length % 2 ? `0${clean}` : clean);
  } else if (serial instanceof Uint8Array) mag = serial;
  else
    throw new TypeError(
      `A serial number is hex text, a bigint or its bytes (Uint8Array), not ${typeof serial} (write 5n or '05', not 5).`,
    );
  let i = 0;
  while (i < mag.length - 1 && mag[i] === 0) i++;
  mag = mag.subarray(i);
  if (mag.length === 0 || (mag.length === 1 && mag[0] === 0))
    throw new PkiError(
      'ERR_PKI_SERIAL_INVALID',
      'A serial number must be a positive integer, not zero (RFC 5280 §4.1.2.2).',
    );
  const octets = mag[0]! & 0x80 ? mag.length + 1 : mag.length;
  if (octets > 20)
    throw new PkiError(
      'ERR_PKI_SERIAL_INVALID',
      `A serial number may have at most 20 octets (RFC 5280 §4.1.2.2); this one has ${octets}.`,
    );
  return mag;
}
