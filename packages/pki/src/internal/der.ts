// A lean, strict DER reader and writer (ITU-T X.690 §8 and §10). It is the hot path for
// certificates, CSRs and names: no object per node beyond a small record, no copies of
// values (subarrays), and every length checked against its parent so that malformed input
// ends in a PkiError, never a RangeError, a hang or an allocation sized by the attacker.

import { PkiError } from '../errors.js';
import { concat, fromLatin1, fromUtf8, latin1, toHex, utf8 } from './bytes.js';

/** Identifier octets of the universal types we use (X.680 §8.4 with the class/constructed bits). */
export const T = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One decoded TLV: offsets into `bytes`, never a copy. `id` is the first identifier octet. */
export interface Tlv {
  readonly bytes: Uint8Array;
  /** First identifier octet: class (bits 8-7), constructed (bit 6), tag number or 0x1f. */
  readonly id: number;
  /** Tag number (also for the high-tag-number form). */
  readonly num: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

export const MAX_TAG_NUMBER = 0x1fffff;

function fail(msg: string): never {
  throw new PkiError('ERR_PKI_DER_INVALID', msg);
}

/**
 * Reads the TLV at `pos`, which must end at or before `limit`. Rejects what DER forbids
 * (X.690 §10.1: definite, minimal lengths) so that a parse/re-encode round trip is exact.
 */
export function readTlv(bytes: Uint8Array, pos: number, limit: number = bytes.length): Tlv {
  if (pos >= limit)
    throw new PkiError(
      'ERR_PKI_DER_TRUNCATED',
      'The data ends where another DER element was expected (truncated input).',
    );
  const id = bytes[pos]!;
  let p = pos + 1;
  let num = id & 0x1f;
  if (num === 0x1f) {
    // High-tag-number form (X.690 §8.1.2.4): base-128, minimal, at most 3 octets here.
    num = 0;
    let count = 0;
    for (;;) {
      if (p >= limit) throw new PkiError('ERR_PKI_DER_TRUNCATED', 'The data ends inside a DER tag.');
      const b = bytes[p++]!;
      if (count === 0 && b === 0x80) fail('A DER tag number is not minimally encoded.');
      num = num * 128 + (b & 0x7f);
      if (++count > 3 || num > MAX_TAG_NUMBER) fail('A DER tag number is too large.');
      if ((b & 0x80) === 0) break;
    }
    if (num < 0x1f) fail('A DER tag number uses the long form where the short form was required.');
  }
  if (p >= limit) throw new PkiError('ERR_PKI_DER_TRUNCATED', 'The data ends inside a DER length.');
  let len = bytes[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) fail('Indefinite lengths are BER, not DER: re-encode the data as DER.');
    if (n > 4) fail('A DER length field is larger than any possible input.');
    if (p + n > limit) throw new PkiError('ERR_PKI_DER_TRUNCATED', 'The data ends inside a DER length.');
    if (bytes[p] === 0) fail('A DER length is not minimally encoded.');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++]!;
    if (len < 0x80) fail('A DER length uses the long form where the short form was required.');
  }
  const end = p + len;
  if (end > limit)
    throw new PkiError(
      'ERR_PKI_DER_TRUNCATED',
      `A DER element announces ${len} bytes but only ${limit - p} remain (truncated input).`,
    );
  return { bytes, id, num, start: pos, valueStart: p, end };
}

/**
 * The first element of `bytes` with whatever follows cut off, or `bytes` when no element can be
 * read (the parser then says what is wrong). OpenSSL's TRUSTED CERTIFICATE PEM block is the
 * certificate followed by its trust settings (X509_AUX).
 */
export function leadingTlv(bytes: Uint8Array): Uint8Array {
  try {
    return bytes.subarray(0, readTlv(bytes, 0).end);
  } catch {
    return bytes;
  }
}

/** Reads exactly one TLV spanning all of `bytes` (no trailing data). */
export function readWhole(bytes: Uint8Array, expectId?: number): Tlv {
  const t = readTlv(bytes, 0, bytes.length);
  if (t.end !== bytes.length)
    fail(`There are ${bytes.length - t.end} unexpected bytes after the DER element.`);
  if (expectId !== undefined && t.id !== expectId)
    fail(`Expected DER tag 0x${hex2(expectId)} but found 0x${hex2(t.id)}.`);
  return t;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

export function isConstructed(t: Tlv): boolean {
  return (t.id & 0x20) !== 0;
}

/** The value octets of a TLV (a view, not a copy). */
export function contentOf(t: Tlv): Uint8Array {
  return t.bytes.subarray(t.valueStart, t.end);
}

/** The whole encoding of a TLV (a view, not a copy). */
export function encodingOf(t: Tlv): Uint8Array {
  return t.bytes.subarray(t.start, t.end);
}

/** Iterates the children of a constructed TLV in order. */
export class Cursor {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly limit: number,
  ) {
    this.pos = start;
  }

  static of(t: Tlv, expectId?: number): Cursor {
    if (expectId !== undefined && t.id !== expectId)
      fail(`Expected DER tag 0x${hex2(expectId)} but found 0x${hex2(t.id)}.`);
    if (!isConstructed(t)) fail(`DER tag 0x${hex2(t.id)} should be constructed.`);
    return new Cursor(t.bytes, t.valueStart, t.end);
  }

  done(): boolean {
    return this.pos >= this.limit;
  }

  /** Identifier octet of the next element, or -1 at the end. */
  peek(): number {
    return this.pos < this.limit ? this.bytes[this.pos]! : -1;
  }

  next(expectId?: number): Tlv {
    const t = readTlv(this.bytes, this.pos, this.limit);
    if (expectId !== undefined && t.id !== expectId)
      fail(`Expected DER tag 0x${hex2(expectId)} but found 0x${hex2(t.id)}.`);
    this.pos = t.end;
    return t;
  }

  /** Reads the next element if its identifier octet is `id`. */
  optional(id: number): Tlv | undefined {
    return this.peek() === id ? this.next() : undefined;
  }

  end(what = 'DER structure'): void {
    if (this.pos !== this.limit) fail(`The ${what} has unexpected trailing elements.`);
  }
}

/** All children of a constructed TLV. */
export function children(t: Tlv, expectId?: number): Tlv[] {
  const c = Cursor.of(t, expectId);
  const out: Tlv[] = [];
  while (!c.done()) out.push(c.next());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Primitive decoders

export function readBoolean(t: Tlv): boolean {
  if (t.id !== T.BOOLEAN || t.end - t.valueStart !== 1) fail('A BOOLEAN is malformed.');
  const v = t.bytes[t.valueStart]!;
  // X.690 §11.1: DER encodes TRUE as 0xFF only.
  if (v === 0xff) return true;
  if (v === 0) return false;
  fail('A BOOLEAN is not DER-encoded (TRUE must be 0xFF).');
}

function checkIntegerEncoding(t: Tlv): void {
  const len = t.end - t.valueStart;
  if (len === 0) fail('An INTEGER has no content octets.');
  if (len > 1) {
    const a = t.bytes[t.valueStart]!;
    const b = t.bytes[t.valueStart + 1]!;
    // X.690 §8.3.2: the first nine bits must not all be equal.
    if ((a === 0 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0))
      fail('An INTEGER is not minimally encoded.');
  }
}

/** A two's complement INTEGER as a bigint. */
export function readBigInt(t: Tlv, id: number = T.INTEGER): bigint {
  if (t.id !== id) fail('Expected an INTEGER.');
  checkIntegerEncoding(t);
  return bigIntFromTwosComplement(t.bytes.subarray(t.valueStart, t.end));
}

/** Two's complement big-endian octets to a bigint, in linear time (hex parsing, not shifts). */
export function bigIntFromTwosComplement(v: Uint8Array): bigint {
  if (v.length === 0) return 0n;
  const n = BigInt(`0x${toHex(v)}`);
  return v[0]! & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
}

/** A small non-negative INTEGER (or ENUMERATED) as a number; rejects values above 2^31. */
export function readSmallInt(t: Tlv, id: number = T.INTEGER): number {
  if (t.id !== id) fail('Expected an INTEGER.');
  checkIntegerEncoding(t);
  const len = t.end - t.valueStart;
  if (t.bytes[t.valueStart]! & 0x80) fail('A negative INTEGER was found where a count is expected.');
  if (len > 5 || (len === 5 && t.bytes[t.valueStart] !== 0)) fail('An INTEGER is too large for this field.');
  let v = 0;
  for (let i = t.valueStart; i < t.end; i++) v = v * 256 + t.bytes[i]!;
  if (v > 0x7fffffff) fail('An INTEGER is too large for this field.');
  return v;
}

/** An unsigned INTEGER's magnitude (leading 0x00 removed), e.g. an RSA modulus. */
export function readUnsignedBytes(t: Tlv): Uint8Array {
  if (t.id !== T.INTEGER) fail('Expected an INTEGER.');
  checkIntegerEncoding(t);
  if (t.bytes[t.valueStart]! & 0x80) fail('A negative INTEGER was found where a positive one is required.');
  const v = contentOf(t);
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
}

export function readNull(t: Tlv): null {
  if (t.id !== T.NULL || t.end !== t.valueStart) fail('A NULL is malformed.');
  return null;
}

const oidCache = new Map<string, string>();

/** OBJECT IDENTIFIER to dotted-decimal (X.690 §8.19). */
export function readOid(t: Tlv, id: number = T.OID): string {
  if (t.id !== id) fail('Expected an OBJECT IDENTIFIER.');
  return decodeOidContent(t.bytes, t.valueStart, t.end);
}

/**
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280
 * §4.1.1.2): the OID and the parameters' TLV when present, for the caller to check.
 */
export function readAlgorithmIdentifier(t: Tlv): { oid: string; params?: Tlv } {
  const c = Cursor.of(t, T.SEQUENCE);
  const o = readOid(c.next());
  const params = c.done() ? undefined : c.next();
  c.end('AlgorithmIdentifier');
  return params ? { oid: o, params } : { oid: o };
}

export function decodeOidContent(bytes: Uint8Array, start: number, end: number): string {
  if (end <= start) fail('An OBJECT IDENTIFIER is empty.');
  if (end - start <= 24) {
    // Cache short OIDs by their content octets: the same few dozen recur in every certificate.
    let key = '';
    for (let i = start; i < end; i++) key += String.fromCharCode(bytes[i]!);
    const hit = oidCache.get(key);
    if (hit !== undefined) return hit;
    const s = decodeOidSlow(bytes, start, end);
    if (oidCache.size < 4096) oidCache.set(key, s);
    return s;
  }
  return decodeOidSlow(bytes, start, end);
}

const MAX_OID_ARC_OCTETS = 32;

function decodeOidSlow(bytes: Uint8Array, start: number, end: number): string {
  const arcs: string[] = [];
  let arcLen = 0;
  let v = 0n;
  let small = 0;
  let big = false;
  let first = true;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x80 && (i === start || (bytes[i - 1]! & 0x80) === 0))
      fail('An OBJECT IDENTIFIER arc is not minimally encoded.');
    // An arc of more than 32 octets (224 bits) exceeds any registered OID, even UUID arcs
    // (2.25.x, 128 bits); refusing it keeps decoding linear.
    if (++arcLen > MAX_OID_ARC_OCTETS) fail('An OBJECT IDENTIFIER arc is too long.');
    if (!big && small > 0x3ffffff) {
      big = true;
      v = BigInt(small);
    }
    if (big) v = (v << 7n) | BigInt(b & 0x7f);
    else small = small * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcLen = 0;
      const arc = big ? v : BigInt(small);
      if (first) {
        // X.690 §8.19.4: the first subidentifier packs the first two arcs.
        if (arc < 40n) arcs.push('0', arc.toString());
        else if (arc < 80n) arcs.push('1', (arc - 40n).toString());
        else arcs.push('2', (arc - 80n).toString());
        first = false;
      } else arcs.push(arc.toString());
      v = 0n;
      small = 0;
      big = false;
    } else if (i === end - 1) fail('An OBJECT IDENTIFIER ends in the middle of an arc.');
  }
  return arcs.join('.');
}

export interface BitString {
  unusedBits: number;
  bytes: Uint8Array;
}

export function readBitString(t: Tlv): BitString {
  if (t.id !== T.BIT_STRING) fail('Expected a BIT STRING.');
  const len = t.end - t.valueStart;
  if (len === 0) fail('A BIT STRING has no content octets.');
  const unused = t.bytes[t.valueStart]!;
  if (unused > 7 || (len === 1 && unused !== 0)) fail('A BIT STRING has an invalid unused-bits count.');
  // X.690 §11.2.1: DER requires the unused bits to be zero.
  if (unused && (t.bytes[t.end - 1]! & ((1 << unused) - 1)) !== 0)
    fail('A BIT STRING has non-zero padding bits (not DER).');
  return { unusedBits: unused, bytes: t.bytes.subarray(t.valueStart + 1, t.end) };
}

export function readOctetString(t: Tlv, id: number = T.OCTET_STRING): Uint8Array {
  if (t.id !== id) fail('Expected an OCTET STRING.');
  return contentOf(t);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Decodes any ASN.1 character string type to a JS string, checking its alphabet. */
export function readString(t: Tlv): string {
  const v = contentOf(t);
  switch (t.id) {
    case T.UTF8_STRING:
      return fromUtf8(v);
    case T.PRINTABLE_STRING: {
      const s = fromLatin1(v);
      if (!PRINTABLE.test(s)) fail('A PrintableString contains characters outside its alphabet.');
      return s;
    }
    case T.IA5_STRING:
    case T.VISIBLE_STRING:
    case T.NUMERIC_STRING: {
      for (let i = 0; i < v.length; i++) if (v[i]! > 0x7f) fail('An IA5String contains non-ASCII bytes.');
      return fromLatin1(v);
    }
    case T.TELETEX_STRING:
      // T.61 in practice carries Latin-1 (RFC 5280 §4.1.2.4 notes its use is legacy).
      return fromLatin1(v);
    case T.BMP_STRING: {
      if (v.length % 2) fail('A BMPString has an odd length.');
      let s = '';
      for (let i = 0; i < v.length; i += 2) s += String.fromCharCode((v[i]! << 8) | v[i + 1]!);
      return s;
    }
    case T.UNIVERSAL_STRING: {
      if (v.length % 4) fail('A UniversalString length is not a multiple of 4.');
      let s = '';
      for (let i = 0; i < v.length; i += 4) {
        const cp = ((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0;
        if (cp > 0x10ffff) fail('A UniversalString contains an invalid code point.');
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      fail(`Expected a character string but found tag 0x${hex2(t.id)}.`);
  }
}

export function isStringTag(id: number): boolean {
  return (
    id === T.UTF8_STRING ||
    id === T.PRINTABLE_STRING ||
    id === T.IA5_STRING ||
    id === T.VISIBLE_STRING ||
    id === T.NUMERIC_STRING ||
    id === T.TELETEX_STRING ||
    id === T.BMP_STRING ||
    id === T.UNIVERSAL_STRING
  );
}

// ---------------------------------------------------------------------------------------------
// Writer. Each function returns a complete TLV; nesting copies each level once, which for
// the depth of X.509 (about six levels) is cheaper than a two-pass length computation.

function header(id: number, len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(id, len);
  if (len < 0x100) return Uint8Array.of(id, 0x81, len);
  if (len < 0x10000) return Uint8Array.of(id, 0x82, len >> 8, len & 0xff);
  if (len < 0x1000000) return Uint8Array.of(id, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff);
  return Uint8Array.of(id, 0x84, len >>> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
}

/** Encodes one TLV with a single-octet identifier. */
export function tlv(id: number, ...content: Uint8Array[]): Uint8Array {
  return tlvOf(id, content);
}

/** Like {@link tlv} with the content as an array: no argument-count limit for long lists. */
export function tlvOf(id: number, content: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of content) len += c.length;
  const h = header(id, len);
  const out = new Uint8Array(h.length + len);
  out.set(h, 0);
  let o = h.length;
  for (const c of content) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function seq(...content: Uint8Array[]): Uint8Array {
  return tlvOf(T.SEQUENCE, content);
}

/** SEQUENCE OF from an array of encoded items. */
export function seqOf(items: readonly Uint8Array[]): Uint8Array {
  return tlvOf(T.SEQUENCE, items);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** SET OF: X.690 §11.6 orders the encodings as octet strings. */
export function setOf(items: readonly Uint8Array[]): Uint8Array {
  return tlvOf(T.SET, [...items].sort(compareBytes));
}

/** A SET whose components are already in the order the caller wants (used for round trips). */
export function setRaw(items: readonly Uint8Array[]): Uint8Array {
  return tlvOf(T.SET, items);
}

/** [n] EXPLICIT: a constructed context-specific wrapper. */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, inner);
}

/** [n] IMPLICIT primitive with raw content octets. */
export function implicitPrim(n: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | n, content);
}

/** [n] IMPLICIT constructed, retagging an encoded SEQUENCE/SET: keeps its content. */
export function implicitCons(n: number, ...content: Uint8Array[]): Uint8Array {
  return tlvOf(0xa0 | n, content);
}

export function bool(v: boolean): Uint8Array {
  return Uint8Array.of(T.BOOLEAN, 1, v ? 0xff : 0);
}

export const NULL_DER = Uint8Array.of(T.NULL, 0);

export function nul(): Uint8Array {
  return NULL_DER;
}

/** INTEGER from a bigint or number (two's complement, minimal). */
export function int(v: bigint | number, id: number = T.INTEGER): Uint8Array {
  let n = BigInt(v);
  if (n === 0n) return Uint8Array.of(id, 1, 0);
  const bytes: number[] = [];
  if (n > 0n) {
    while (n > 0n) {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    if (bytes[0]! & 0x80) bytes.unshift(0);
  } else {
    while (n < -1n || bytes.length === 0 || (bytes[0]! & 0x80) === 0) {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
      if (n === -1n && bytes[0]! & 0x80) break;
    }
  }
  return tlv(id, Uint8Array.from(bytes));
}

/** INTEGER from an unsigned big-endian magnitude (adds the 0x00 sign octet when needed). */
export function uintBytes(mag: Uint8Array): Uint8Array {
  let i = 0;
  while (i < mag.length - 1 && mag[i] === 0) i++;
  const m = mag.subarray(i);
  if (m.length === 0) return Uint8Array.of(T.INTEGER, 1, 0);
  return m[0]! & 0x80 ? tlv(T.INTEGER, Uint8Array.of(0), m) : tlv(T.INTEGER, m);
}

const oidEncCache = new Map<string, Uint8Array>();

/** OBJECT IDENTIFIER from dotted-decimal; throws a PkiError for a malformed string. */
export function oid(dotted: string): Uint8Array {
  const hit = oidEncCache.get(dotted);
  if (hit) return hit;
  const enc = tlv(T.OID, oidContent(dotted));
  if (oidEncCache.size < 4096) oidEncCache.set(dotted, enc);
  return enc;
}

export function oidContent(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted))
    throw new PkiError(
      'ERR_PKI_OID_INVALID',
      `"${dotted.slice(0, 60)}" is not a dotted-decimal object identifier such as 2.5.29.17.`,
    );
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs[0]! < 2n && arcs[1]! >= 40n)
    throw new PkiError(
      'ERR_PKI_OID_INVALID',
      `In ${dotted}, the second arc must be below 40 when the first is 0 or 1.`,
    );
  const subs = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    const tmp: number[] = [Number(s & 0x7fn)];
    let v = s >> 7n;
    while (v > 0n) {
      tmp.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...tmp);
  }
  return Uint8Array.from(out);
}

export function octets(v: Uint8Array): Uint8Array {
  return tlv(T.OCTET_STRING, v);
}

export function bitString(v: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(T.BIT_STRING, Uint8Array.of(unusedBits), v);
}

/** Encodes a JS string as the given ASN.1 string type, checking that it fits the alphabet. */
export function str(id: number, s: string): Uint8Array {
  switch (id) {
    case T.UTF8_STRING:
      return tlv(id, utf8(s));
    case T.PRINTABLE_STRING:
      if (!PRINTABLE.test(s))
        throw new PkiError(
          'ERR_PKI_NAME_INVALID',
          `"${s}" cannot be a PrintableString (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?).`,
        );
      return tlv(id, latin1(s));
    case T.IA5_STRING:
    case T.VISIBLE_STRING:
    case T.NUMERIC_STRING:
      if (!/^[\x00-\x7f]*$/.test(s))
        throw new PkiError(
          'ERR_PKI_NAME_INVALID',
          `"${s}" contains non-ASCII characters and cannot be an IA5String.`,
        );
      return tlv(id, latin1(s));
    case T.TELETEX_STRING:
      return tlv(id, latin1(s));
    case T.BMP_STRING: {
      const out = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        out[i * 2] = c >> 8;
        out[i * 2 + 1] = c & 0xff;
      }
      return tlv(id, out);
    }
    case T.UNIVERSAL_STRING: {
      const cps = [...s].map((c) => c.codePointAt(0)!);
      const out = new Uint8Array(cps.length * 4);
      cps.forEach((cp, i) => {
        out[i * 4] = cp >>> 24;
        out[i * 4 + 1] = (cp >> 16) & 0xff;
        out[i * 4 + 2] = (cp >> 8) & 0xff;
        out[i * 4 + 3] = cp & 0xff;
      });
      return tlv(id, out);
    }
    default:
      throw new TypeError(`0x${hex2(id)} is not a string tag`);
  }
}

export function isPrintable(s: string): boolean {
  return PRINTABLE.test(s);
}

export { concat };
