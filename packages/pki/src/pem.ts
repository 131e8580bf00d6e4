// PEM (RFC 7468) and bare Base64. Output is strict RFC 7468 (64 columns, the caller's line
// ending); input is lenient as §3 asks: any whitespace, CRLF or LF, text before and between
// blocks, and Base64 with no armour at all, which certsrv serves for some downloads.

import { PkiError } from './errors.js';
import { notBytes } from './internal/bytes.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62; // base64url, accepted on input
B64_INDEX['_'.charCodeAt(0)] = 63;

/**
 * Encodes bytes as Base64 (RFC 4648 §4) on one line.
 *
 * @example
 * ```ts
 * encodeBase64(new Uint8Array([1, 2, 3])); // 'AQID'
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw notBytes('encodeBase64', bytes);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`;
  }
  return out;
}

/**
 * Decodes Base64, ignoring whitespace (line breaks of any kind). Throws ERR_PKI_BASE64_INVALID
 * for other characters, misplaced padding or a length that cannot be Base64.
 *
 * @example
 * ```ts
 * decodeBase64('AQ\r\nID'); // Uint8Array [1, 2, 3]
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  let pad = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x3d) {
      pad++;
      count++;
      continue;
    }
    const v = c < 256 ? B64_INDEX[c]! : -1;
    if (v < 0)
      throw new PkiError(
        'ERR_PKI_BASE64_INVALID',
        `The text is not valid Base64: unexpected character ${JSON.stringify(text[i])} at position ${i}.`,
      );
    if (pad) throw new PkiError('ERR_PKI_BASE64_INVALID', 'The Base64 text has data after its "=" padding.');
    count++;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Without padding the length may be anything but 1 mod 4; with padding it must be a multiple of 4.
  if (pad > 2 || (pad && count % 4 !== 0) || (!pad && count % 4 === 1))
    throw new PkiError(
      'ERR_PKI_BASE64_INVALID',
      'The Base64 text has a length or padding that Base64 cannot produce.',
    );
  return out.slice(0, o);
}

/**
 * One PEM block.
 *
 * @example
 * ```ts
 * const [block]: PemBlock[] = decodePem(encodePem('CERTIFICATE', cert.der));
 * block.label; // 'CERTIFICATE'
 * ```
 */
export interface PemBlock {
  /** The label between BEGIN and END, e.g. `CERTIFICATE`. */
  label: string;
  /** The decoded bytes. */
  bytes: Uint8Array;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) when present, as legacy encrypted keys have. */
  headers?: Record<string, string>;
}

/**
 * Encodes bytes as a PEM block: RFC 7468 §2, 64 columns, final line ending included.
 *
 * @example
 * ```ts
 * const text = encodePem('CERTIFICATE', der);             // LF line endings
 * const win = encodePem('CERTIFICATE', der, { eol: '\r\n' }); // what certsrv serves
 * ```
 */
export function encodePem(label: string, bytes: Uint8Array, options: { eol?: '\n' | '\r\n' } = {}): string {
  if (!/^[\x21-\x2c\x2e-\x7e]([- ]?[\x21-\x2c\x2e-\x7e])*$/.test(label))
    throw new TypeError(`invalid PEM label: ${label}`);
  if (!(bytes instanceof Uint8Array)) throw notBytes('encodePem', bytes);
  const eol = options.eol ?? '\n';
  const b64 = encodeBase64(bytes);
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += b64.slice(i, i + 64) + eol;
  return `-----BEGIN ${label}-----${eol}${body}-----END ${label}-----${eol}`;
}

// RFC 7468 §3: printable characters, words separated by single spaces or hyphens.
const LABEL = /^([\x21-\x2c\x2e-\x7e]+([- ][\x21-\x2c\x2e-\x7e]+)*)?$/;

/**
 * Decodes every PEM block in a text, in order. Text outside blocks is ignored (RFC 7468 §2:
 * explanatory text). Throws ERR_PKI_PEM_INVALID when there is no block, when BEGIN and END
 * labels differ, or when a block's Base64 is bad.
 *
 * @example
 * ```ts
 * const blocks = decodePem(fileText);
 * const certs = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => b.bytes);
 * ```
 */
export function decodePem(text: string, options: { label?: string } = {}): PemBlock[] {
  if (typeof text !== 'string')
    throw new TypeError(
      'decodePem expects PEM text (a string); decode bytes first: new TextDecoder().decode(bytes).',
    );
  const blocks: PemBlock[] = [];
  // A linear scan with indexOf: a regex over the whole text would rescan to the end for
  // every unmatched BEGIN line, which is quadratic on hostile input.
  let pos = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', pos);
    if (begin < 0) break;
    const labelEnd = text.indexOf('-----', begin + 11);
    if (labelEnd < 0) break;
    const label = text.slice(begin + 11, labelEnd).trim();
    if (!LABEL.test(label)) {
      pos = begin + 11;
      continue;
    }
    const endMarker = text.indexOf('-----END ', labelEnd + 5);
    if (endMarker < 0)
      throw new PkiError(
        'ERR_PKI_PEM_INVALID',
        `The PEM block "${label}" has no END line (truncated file?).`,
      );
    const endLabelEnd = text.indexOf('-----', endMarker + 9);
    if (endLabelEnd < 0)
      throw new PkiError('ERR_PKI_PEM_INVALID', `The PEM block "${label}" has a malformed END line.`);
    const endLabel = text.slice(endMarker + 9, endLabelEnd).trim();
    pos = endLabelEnd + 5;
    if (label !== endLabel) {
      throw new PkiError(
        'ERR_PKI_PEM_INVALID',
        `A PEM block begins with "${label}" but ends with "${endLabel}".`,
      );
    }
    let body = text.slice(labelEnd + 5, endMarker);
    let headers: Record<string, string> | undefined;
    // RFC 1421 headers: "Name: value" lines, then a blank line.
    if (/^\s*[A-Za-z-]+:/.test(body)) {
      headers = {};
      const lines = body.split(/\r?\n/);
      let i = 0;
      while (i < lines.length && lines[i]!.trim() === '') i++;
      for (; i < lines.length; i++) {
        const line = lines[i]!;
        const hm = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
        if (!hm) break;
        headers[hm[1]!] = hm[2]!.trim();
      }
      body = lines.slice(i).join('\n');
    }
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(body);
    } catch (e) {
      throw new PkiError('ERR_PKI_PEM_INVALID', `The PEM block "${label}" does not contain valid Base64.`, {
        cause: e,
      });
    }
    if (options.label === undefined || options.label === label)
      blocks.push(headers ? { label, bytes, headers } : { label, bytes });
  }
  if (blocks.length === 0) {
    throw new PkiError(
      'ERR_PKI_PEM_INVALID',
      options.label
        ? `The text contains no "-----BEGIN ${options.label}-----" block.`
        : 'The text contains no PEM block ("-----BEGIN ...-----").',
    );
  }
  return blocks;
}

/** True when the text has at least one PEM BEGIN line. @example `isPem(text)` */
export function isPem(text: string): boolean {
  return /-----BEGIN [^\r\n]*-----/.test(text);
}

/**
 * Reads bytes from what a user may hand us for one object: DER bytes, PEM text (first block, or
 * the block with `label`), or Base64 text without armour (certsrv's "Base 64 encoded" download
 * without headers). This is the one auto-detecting entry point for user files.
 *
 * @example
 * ```ts
 * const der = readDerOrPem(await readFile('ca.cer'), 'CERTIFICATE');
 * ```
 */
export function readDerOrPem(input: Uint8Array | string, label?: string): Uint8Array {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (!(input instanceof Uint8Array)) throw notBytes('readDerOrPem', input);
  else if (input.length > 0 && input[0] !== 0x30) {
    // DER of everything we read starts with SEQUENCE (0x30); anything else may be text.
    text = new TextDecoder('latin1').decode(input);
  }
  if (text === undefined) return input as Uint8Array;
  if (isPem(text)) {
    const blocks = decodePem(text);
    const match = label
      ? blocks.find((b) => b.label === label || (label === 'CERTIFICATE' && b.label === 'X509 CERTIFICATE'))
      : blocks[0];
    if (!match)
      throw new PkiError(
        'ERR_PKI_PEM_INVALID',
        `The PEM text has no "${label}" block (found: ${blocks.map((b) => b.label).join(', ')}).`,
      );
    return match.bytes;
  }
  const trimmed = text.trim();
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && trimmed.length >= 4) {
    // Every structure read here is a DER SEQUENCE: Base64 of anything else is prose, not a file.
    const der = decodeBase64(trimmed);
    if (der[0] === 0x30) return der;
  }
  throw new PkiError('ERR_PKI_PEM_INVALID', 'The input is neither DER, PEM, nor Base64 text.');
}
