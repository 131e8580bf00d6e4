// A minimal, bounded BER-to-DER normaliser for the certificate containers other tools write in
// BER: CMS / PKCS #7 from streaming encoders (`openssl cms -sign -stream`, Windows CryptMsg with
// CMSG_INDEFINITE_LENGTH, macOS), which .p7b / .p7c / .p7s files may be. It rewrites only what
// our strict DER reader refuses and what such files contain (X.690 §8 to §10):
// - indefinite lengths (§8.1.3.6) become definite, minimal ones (§10.1);
// - non-minimal definite lengths become minimal;
// - constructed OCTET STRINGs (§8.7.3, the streaming form of eContent) become primitive (§10.2).
// It never looks inside a primitive value, and any subtree that is already DER is copied
// verbatim, so signed inner objects (certificates, CRLs) keep their exact bytes. SET OF order is
// left alone (CMS does not require DER there, RFC 5652 §5.1). Depth, element count and size are
// bounded: a "bomb" of nested headers ends quickly in a coded PkiError, and the output is never
// larger than the input plus a few bytes per rewritten header. Linear time: one pass, one copy.

import { PkiError } from '../errors.js';

/** Limits of {@link berToDer}. */
export interface BerLimits {
  /** Maximum nesting of constructed elements (default 64; X.509 and CMS need about 15). */
  readonly maxDepth?: number;
  /** Maximum number of elements (default 2,000,000). */
  readonly maxElements?: number;
  /** Maximum input size in bytes (default 64 MiB). */
  readonly maxSize?: number;
}

const DEFAULTS = { maxDepth: 64, maxElements: 2_000_000, maxSize: 64 * 1024 * 1024 };

interface State {
  readonly b: Uint8Array;
  readonly pieces: Uint8Array[];
  readonly maxDepth: number;
  readonly maxElements: number;
  elements: number;
}

interface Header {
  /** End of the identifier octets (where the length octets start). */
  readonly idEnd: number;
  readonly constructed: boolean;
  readonly valueStart: number;
  /** -1 for the indefinite form. */
  readonly len: number;
  /** Whether the length octets are DER (definite, minimal). */
  readonly minimal: boolean;
}

interface Walked {
  readonly end: number;
  readonly len: number;
  readonly changed: boolean;
}

function invalid(msg: string): never {
  throw new PkiError('ERR_PKI_DER_INVALID', msg);
}

function truncated(msg: string): never {
  throw new PkiError('ERR_PKI_DER_TRUNCATED', msg);
}

/** Reads a BER header leniently (any length form) but with every offset bounds-checked. */
function readHeader(b: Uint8Array, pos: number, limit: number): Header {
  if (pos >= limit) truncated('The data ends where another BER element was expected (truncated input).');
  const id = b[pos]!;
  let p = pos + 1;
  if ((id & 0x1f) === 0x1f) {
    // High-tag-number form (X.690 §8.1.2.4), at most 3 subsequent octets as in the DER reader.
    let count = 0;
    for (;;) {
      if (p >= limit) truncated('The data ends inside a BER tag.');
      const t = b[p++]!;
      if (++count > 3) invalid('A BER tag number is too large.');
      if ((t & 0x80) === 0) break;
    }
  }
  const idEnd = p;
  if (p >= limit) truncated('The data ends inside a BER length.');
  const first = b[p++]!;
  const constructed = (id & 0x20) !== 0;
  let len: number;
  let minimal: boolean;
  if (first < 0x80) {
    len = first;
    minimal = true;
  } else {
    const n = first & 0x7f;
    if (n === 0) {
      // X.690 §8.1.3.2 (a): the indefinite form is for constructed encodings only.
      if (!constructed)
        invalid('A primitive BER element has an indefinite length, which X.690 §8.1.3.2 forbids.');
      return { idEnd, constructed, valueStart: p, len: -1, minimal: false };
    }
    if (n === 0x7f) invalid('A BER length uses the reserved value 0xFF (X.690 §8.1.3.5).');
    if (p + n > limit) truncated('The data ends inside a BER length.');
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + b[p++]!;
      if (len > 0xffffffff) invalid('A BER length is larger than any possible input.');
    }
    minimal = len >= 0x80 && b[idEnd + 1] !== 0;
  }
  // Both length forms are bounds-checked: a cut element must not send the walk past the end of
  // the input (it read undefined octets there and misreported the damage).
  if (p + len > limit)
    truncated(`A BER element announces ${len} bytes but only ${limit - p} remain (truncated input).`);
  return { idEnd, constructed, valueStart: p, len, minimal };
}

function lengthOctets(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  if (len < 0x100) return Uint8Array.of(0x81, len);
  if (len < 0x10000) return Uint8Array.of(0x82, len >> 8, len & 0xff);
  if (len < 0x1000000) return Uint8Array.of(0x83, len >> 16, (len >> 8) & 0xff, len & 0xff);
  return Uint8Array.of(0x84, len >>> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
}

function isEoc(b: Uint8Array, p: number, limit: number): boolean {
  return p + 1 < limit && b[p] === 0 && b[p + 1] === 0;
}

function count(st: State): void {
  if (++st.elements > st.maxElements)
    throw new PkiError(
      'ERR_PKI_DER_TOO_DEEP',
      `The BER data has more than ${st.maxElements} elements; no certificate container has that many.`,
    );
}

function tooDeep(st: State): never {
  throw new PkiError(
    'ERR_PKI_DER_TOO_DEEP',
    `The BER data nests more than ${st.maxDepth} levels deep; no certificate container does (is the file crafted?).`,
  );
}

/**
 * Collects the content octets of a (possibly constructed, possibly indefinite) OCTET STRING
 * (X.690 §8.7.3: the segments are themselves OCTET STRINGs). Returns the element's end.
 */
function collectOctets(st: State, pos: number, limit: number, depth: number, out: Uint8Array[]): number {
  const b = st.b;
  const h = readHeader(b, pos, limit);
  count(st);
  if ((b[pos]! & 0xdf) !== 0x04)
    invalid('A constructed OCTET STRING contains something other than OCTET STRING segments.');
  if (!h.constructed) {
    out.push(b.subarray(h.valueStart, h.valueStart + h.len));
    return h.valueStart + h.len;
  }
  if (depth >= st.maxDepth) tooDeep(st);
  const inner = h.len < 0 ? limit : h.valueStart + h.len;
  let p = h.valueStart;
  for (;;) {
    if (h.len < 0) {
      if (isEoc(b, p, inner)) return p + 2;
      if (p >= inner)
        truncated('An indefinite-length OCTET STRING has no end-of-contents marker (truncated input).');
    } else if (p === inner) return p;
    p = collectOctets(st, p, inner, depth + 1, out);
  }
}

function walk(st: State, pos: number, limit: number, depth: number): Walked {
  const b = st.b;
  const h = readHeader(b, pos, limit);
  count(st);
  // Universal tag 0 is reserved for end-of-contents (X.690 §8.1.5).
  if (b[pos] === 0) invalid('An end-of-contents marker appears outside an indefinite-length element.');
  if (!h.constructed) {
    const end = h.valueStart + h.len;
    if (h.minimal) {
      st.pieces.push(b.subarray(pos, end));
      return { end, len: end - pos, changed: false };
    }
    const lo = lengthOctets(h.len);
    st.pieces.push(b.subarray(pos, h.idEnd), lo, b.subarray(h.valueStart, end));
    return { end, len: h.idEnd - pos + lo.length + h.len, changed: true };
  }
  if (depth >= st.maxDepth) tooDeep(st);
  if (b[pos] === 0x24) {
    // DER (X.690 §10.2) requires the primitive form: join the segments.
    const parts: Uint8Array[] = [];
    const end = collectOctets(st, pos, limit, depth, parts);
    let n = 0;
    for (const x of parts) n += x.length;
    const lo = lengthOctets(n);
    st.pieces.push(Uint8Array.of(0x04), lo, ...parts);
    return { end, len: 1 + lo.length + n, changed: true };
  }
  const mark = st.pieces.length;
  st.pieces.push(b.subarray(pos, h.idEnd), b.subarray(h.idEnd, h.valueStart));
  const inner = h.len < 0 ? limit : h.valueStart + h.len;
  let p = h.valueStart;
  let contentLen = 0;
  let changed = !h.minimal;
  for (;;) {
    if (h.len < 0) {
      if (isEoc(b, p, inner)) {
        p += 2;
        break;
      }
      if (p >= inner)
        truncated('An indefinite-length element has no end-of-contents marker (truncated input).');
    } else if (p === inner) break;
    const r = walk(st, p, inner, depth + 1);
    p = r.end;
    contentLen += r.len;
    if (r.changed) changed = true;
  }
  if (!changed) {
    st.pieces.length = mark;
    st.pieces.push(b.subarray(pos, p));
    return { end: p, len: p - pos, changed: false };
  }
  const lo = lengthOctets(contentLen);
  st.pieces[mark + 1] = lo;
  return { end: p, len: h.idEnd - pos + lo.length + contentLen, changed: true };
}

/**
 * Converts one BER element spanning all of `input` to DER as described above. Returns `input`
 * itself (the same object) when nothing had to change. Throws ERR_PKI_DER_INVALID or
 * ERR_PKI_DER_TRUNCATED for malformed input and ERR_PKI_DER_TOO_DEEP past the limits.
 */
export function berToDer(input: Uint8Array, limits: BerLimits = {}): Uint8Array {
  const maxSize = limits.maxSize ?? DEFAULTS.maxSize;
  if (input.length > maxSize)
    throw new PkiError(
      'ERR_PKI_DER_TOO_DEEP',
      `The BER data is ${input.length} bytes, more than the ${maxSize} bytes allowed for a container.`,
    );
  const st: State = {
    b: input,
    pieces: [],
    maxDepth: limits.maxDepth ?? DEFAULTS.maxDepth,
    maxElements: limits.maxElements ?? DEFAULTS.maxElements,
    elements: 0,
  };
  const r = walk(st, 0, input.length, 0);
  if (r.end !== input.length)
    invalid(`There are ${input.length - r.end} unexpected bytes after the BER element.`);
  if (!r.changed) return input;
  const out = new Uint8Array(r.len);
  let o = 0;
  for (const piece of st.pieces) {
    out.set(piece, o);
    o += piece.length;
  }
  return out;
}
