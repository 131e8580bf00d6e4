// Turning the `CertRequest` field of a certfnsh.asp POST into request bytes, with the lenient
// rules of certsrv reference §5.2: any `-----BEGIN …-----` armour (also a whole PEM on one
// line), CRLF or LF or no line breaks, spaces standing for `+` (clients that do not form-encode
// `+`), bare Base64 with or without padding. What is not Base64 is still handed to the CA as
// bytes, because AD CS records an unparseable request (and spends a request id on it, §5.3)
// rather than rejecting the POST. Kept free of node: imports.

import { codeUnitsToString } from './form-fields.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard Base64 (RFC 4648 §4 alphabet only: `-`/`_` are not accepted) with optional
 * `=` padding and no whitespace. Returns undefined when the text is not Base64: a character
 * outside the alphabet, padding in the middle or too much of it, or a length that leaves a
 * single dangling character. With `canonical`, the unused low bits of the last character must
 * be zero (what every encoder produces). Never throws; linear time.
 *
 * @example
 * ```ts
 * decodeStandardBase64('TWFu'); // Uint8Array [77, 97, 110]
 * decodeStandardBase64('TWE'); // Uint8Array [77, 97] (padding optional)
 * decodeStandardBase64('TW-u'); // undefined
 * ```
 */
export function decodeStandardBase64(text: string, canonical = false): Uint8Array | undefined {
  let end = text.length;
  let pad = 0;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */ && pad < 3) {
    end--;
    pad++;
  }
  if (pad > 2) return undefined;
  const rem = end % 4;
  if (rem === 1) return undefined;
  // Padding, when present, must complete the last quantum exactly.
  if (pad > 0 && (end + pad) % 4 !== 0) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (canonical && bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out.subarray(0, o);
}

const CLEAN_SECTION = /^[A-Za-z0-9+/=\r\n]*$/;
const LINE_BREAKS = /[\r\n]+/g;

/** The text between PEM armour lines (the armour removed), as separate sections. */
function stripArmour(text: string): string[] {
  const parts: string[] = [];
  let pos = 0;
  let searchFrom = 0;
  const word = (at: number, w: string) =>
    (text.charCodeAt(at) | 0x20) === (w.charCodeAt(0) | 0x20) &&
    text.slice(at, at + w.length).toUpperCase() === w;
  for (;;) {
    const at = text.indexOf('-----', searchFrom);
    if (at < 0) break;
    const isBegin = word(at + 5, 'BEGIN');
    if (!isBegin && !word(at + 5, 'END')) {
      // Skip a long run of dashes at once: only its last five can open an armour line.
      let q = at + 5;
      while (text.charCodeAt(q) === 0x2d) q++;
      searchFrom = Math.max(at + 1, q - 5);
      continue;
    }
    // The label runs to the next five dashes (labels may contain single hyphens, RFC 7468 §3).
    const close = text.indexOf('-----', at + (isBegin ? 10 : 8));
    if (close < 0) break; // broken armour stays, and makes the text undecodable
    parts.push(text.slice(pos, at));
    pos = close + 5;
    // A few more dashes closing the label (`------`) belong to the armour too; five or more
    // are the next armour line of a one-line PEM.
    let run = 0;
    while (run < 5 && text.charCodeAt(pos + run) === 0x2d) run++;
    if (run < 5) pos += run;
    searchFrom = pos;
  }
  parts.push(text.slice(pos));
  return parts;
}

/**
 * The bytes of a request typed or pasted into certsrv (the `CertRequest` field, reference §5.2):
 *
 * 1. any `-----BEGIN <label>-----` / `-----END <label>-----` armour is removed, whatever the
 *    label (`NEW CERTIFICATE REQUEST`, `CERTIFICATE REQUEST`, `PKCS7`, `CMC`…), also when the
 *    whole PEM is on one line;
 * 2. CR, LF, TAB and other whitespace are dropped, and a space inside the Base64 is read as `+`
 *    (clients that do not form-encode `+`). Blanks at the start of the Base64 are separators.
 *    Blanks at the end of the Base64 or of a line are ambiguous (an unencoded `+` that ended a
 *    line, or a separator: `-----BEGIN X----- MIIB… -----END X-----`, editor trailing blanks),
 *    so three readings are tried in turn — spaces there are `+`; blanks at the end of the Base64
 *    are separators; blanks at both ends of every line are separators — and the first that is
 *    valid Base64 wins (canonical Base64 first, then any);
 * 3. what is left is decoded as standard Base64, padding optional.
 *
 * Returns undefined when nothing is left (an empty request). When what is left is not Base64,
 * returns the UTF-8 bytes of the cleaned text (second reading): the CA then records an
 * unparseable request, as AD CS does (every `newreq` that reaches the CA consumes a request id,
 * reference §5.3). Never throws; linear time.
 *
 * @example
 * ```ts
 * requestBytesFromText('-----BEGIN NEW CERTIFICATE REQUEST-----\r\nMIIB\r\n-----END NEW CERTIFICATE REQUEST-----');
 * requestBytesFromText('-----BEGIN CERTIFICATE REQUEST-----MIIB-----END CERTIFICATE REQUEST-----'); // one line
 * requestBytesFromText('MIIB a/9'); // the space is read as '+'
 * requestBytesFromText('  \r\n'); // undefined
 * ```
 */
export function requestBytesFromText(text: string): Uint8Array | undefined {
  const sections = stripArmour(text);
  // Fast path: sections holding nothing but Base64 characters and CR/LF (a clean PEM) give three
  // identical readings, the text without its line breaks; decoded once. Anything else (blanks,
  // other characters, not canonical Base64) takes the general path below.
  let clean = '';
  for (const s of sections) {
    if (!CLEAN_SECTION.test(s)) {
      clean = '';
      break;
    }
    clean += s.replace(LINE_BREAKS, '');
  }
  if (clean !== '') {
    const bytes = decodeStandardBase64(clean, true);
    if (bytes) return bytes;
  }
  let size = 0;
  for (const s of sections) size += s.length;
  const readings = [new Reading(size), new Reading(size), new Reading(size)] as const;
  for (const s of sections) cleanSection(s, readings);
  const [plus, trimmed, perLine] = readings.map((r) => r.toString()) as [string, string, string];
  if (trimmed === '') return undefined; // nothing but blanks and armour
  const candidates = [...new Set([plus, trimmed, perLine])];
  for (const c of candidates) {
    const bytes = decodeStandardBase64(c, true);
    if (bytes) return bytes;
  }
  for (const c of candidates) {
    const bytes = decodeStandardBase64(c, false);
    if (bytes) return bytes;
  }
  // Not Base64: the cleaned text itself, for the CA to record as an unparseable request.
  return new TextEncoder().encode(trimmed);
}

/** A string being built one UTF-16 code unit at a time (linear, no quadratic concatenation). */
class Reading {
  readonly units: Uint16Array;
  length = 0;
  constructor(capacity: number) {
    this.units = new Uint16Array(capacity);
  }
  push(c: number): void {
    this.units[this.length++] = c;
  }
  toString(): string {
    return codeUnitsToString(this.units, this.length);
  }
}

/**
 * Appends one armour-delimited section to the three readings: [0] spaces after the first
 * non-blank are all `+`; [1] the section is trimmed first; [2] every line is trimmed first.
 * Inside, a space is `+` and other whitespace is dropped.
 */
function cleanSection(section: string, [plus, trimmed, perLine]: readonly [Reading, Reading, Reading]): void {
  const n = section.length;
  let first = 0;
  while (first < n && isWhitespace(section.charCodeAt(first))) first++;
  let last = n;
  while (last > first && isWhitespace(section.charCodeAt(last - 1))) last--;
  let lineStart = first;
  while (lineStart < n) {
    let lineEnd = lineStart;
    while (lineEnd < n && !isLineBreak(section.charCodeAt(lineEnd))) lineEnd++;
    let lineFirst = lineStart;
    while (lineFirst < lineEnd && isWhitespace(section.charCodeAt(lineFirst))) lineFirst++;
    let lineLast = lineEnd;
    while (lineLast > lineFirst && isWhitespace(section.charCodeAt(lineLast - 1))) lineLast--;
    for (let i = lineStart; i < lineEnd; i++) {
      const c = section.charCodeAt(i);
      if (c !== 0x20 && isWhitespace(c)) continue;
      const mapped = c === 0x20 ? 0x2b : c;
      plus.push(mapped);
      if (i < last) trimmed.push(mapped);
      if (i >= lineFirst && i < lineLast) perLine.push(mapped);
    }
    lineStart = lineEnd + 1;
  }
}

function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d;
}

/** The characters of JavaScript's `\s`. */
function isWhitespace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
