// Byte helpers shared by the DER, PEM and key code. Uint8Array only: @certlab/pki runs in browsers.

/// <reference lib="dom" preserve="true" />
// The WebCrypto types (CryptoKey, SubtleCrypto, JsonWebKey…) of the public declarations come
// from the DOM library: declared here so that a Node project without "dom" in its lib checks
// them rather than reading them as `any`.

import { misuse } from './guard.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The TypeError for bytes given as something else. Strings, ArrayBuffers and arrays were read
 * as empty or as `undefined` digits, giving a plausible wrong answer.
 *
 * @example
 * ```ts
 * if (!(data instanceof Uint8Array)) throw notBytes('encodeBase64', data);
 * ```
 */
export function notBytes(fn: string, value: unknown): TypeError {
  const what =
    value instanceof ArrayBuffer
      ? 'an ArrayBuffer (wrap it: new Uint8Array(buffer))'
      : ArrayBuffer.isView(value)
        ? `a ${value.constructor.name} (wrap its bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength))`
        : typeof value === 'string'
          ? 'a string'
          : value === null
            ? 'null'
            : typeof value;
  return misuse(`${fn} expects bytes (a Uint8Array), not ${what}.`);
}

/**
 * Encodes bytes as hexadecimal, two digits per byte, lowercase unless `upper` is true.
 *
 * @example
 * ```ts
 * toHex(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)); // '3003020105'
 * toHex(Uint8Array.of(0xde, 0xad, 0xbe, 0xef), true); // 'DEADBEEF'
 * ```
 */
export function toHex(bytes: Uint8Array, upper = false): string {
  if (!(bytes instanceof Uint8Array)) throw notBytes('toHex', bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return upper ? s.toUpperCase() : s;
}

/**
 * Decodes hexadecimal text to bytes, ignoring spaces and colons; throws a TypeError on any other
 * character or an odd number of digits.
 *
 * @example
 * ```ts
 * fromHex('30 03 02 01 05'); // Uint8Array [0x30, 0x03, 0x02, 0x01, 0x05]
 * fromHex('de:ad:be:ef');    // Uint8Array [0xde, 0xad, 0xbe, 0xef]
 * ```
 */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new TypeError(`not a hex string: ${hex.slice(0, 40)}`);
  if (clean.length % 2 !== 0)
    throw new TypeError(`a hex string needs an even number of digits (two per byte): ${hex.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * True when both arrays hold the same bytes. Not constant-time: for public data (names, key
 * identifiers, serial numbers), never for secrets.
 *
 * @example
 * ```ts
 * equalBytes(cert.issuerDer, ca.subjectDer); // true when ca's subject is cert's issuer, byte for byte
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array))
    throw notBytes('equalBytes', a instanceof Uint8Array ? b : a);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const textEncoder = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

/** Decodes UTF-8, throwing on invalid sequences (the caller's guard turns that into a PkiError). */
export function fromUtf8(b: Uint8Array): string {
  // Names and SANs are nearly always short ASCII: skip TextDecoder's per-call overhead then,
  // and build the string in one call so it is flat (no rope of one-character pieces).
  if (b.length <= 64) {
    for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return utf8Strict.decode(b);
    return String.fromCharCode.apply(null, b as unknown as number[]);
  }
  return utf8Strict.decode(b);
}

/** Latin-1 / ASCII bytes to string, one char per byte. */
export function fromLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096)
    s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Copies into a fresh ArrayBuffer-backed array: WebCrypto wants a BufferSource it may own. */
export function toBufferSource(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b) as Uint8Array<ArrayBuffer>;
}
