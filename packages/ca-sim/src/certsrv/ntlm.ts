// NTLM (MS-NLMP) for the simulated certsrv site, server side and NTLMv2 only, as an IIS whose
// domain runs LmCompatibilityLevel 5: the three NTLMSSP messages (§2.2.1.1 NEGOTIATE_MESSAGE,
// §2.2.1.2 CHALLENGE_MESSAGE, §2.2.1.3 AUTHENTICATE_MESSAGE), the AV pairs of the target info
// (§2.2.2.1), and the NTLMv2 response check (§3.3.2). A client side (type 1 and type 3 builders)
// is included so that tests and scripts can drive the server without a Windows machine.
//
// MD4 is implemented here (RFC 1320) because Node 20's OpenSSL 3 only offers it through the
// legacy provider, which Node does not load: createHash('md4') throws. HMAC-MD5 is still in the
// default provider, so node:crypto does that part.
//
// Every parser treats its input as hostile (it arrives base64 in an Authorization header): each
// offset/length pair is checked against the message before a byte is read, and malformed input
// raises a CaError ERR_CA_NTLM_INVALID, never a RangeError from a DataView.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CaError } from '../errors.js';
import { hmacMd5, u32le } from './internal/ntlm-bytes.js';
import { Rc4 } from './rc4.js';

/**
 * The NegotiateFlags bits (MS-NLMP §2.2.2.5), under their names in the specification (note
 * `NTLM_NEGOTIATE_OEM`, which the specification spells without "SSP"). Frozen.
 *
 * @example
 * ```ts
 * const unicode = (flags & NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
 * ```
 */
export const NTLM_FLAGS = Object.freeze({
  NTLMSSP_NEGOTIATE_UNICODE: 0x00000001,
  NTLM_NEGOTIATE_OEM: 0x00000002,
  NTLMSSP_REQUEST_TARGET: 0x00000004,
  NTLMSSP_NEGOTIATE_SIGN: 0x00000010,
  NTLMSSP_NEGOTIATE_SEAL: 0x00000020,
  NTLMSSP_NEGOTIATE_DATAGRAM: 0x00000040,
  NTLMSSP_NEGOTIATE_LM_KEY: 0x00000080,
  NTLMSSP_NEGOTIATE_NTLM: 0x00000200,
  NTLMSSP_ANONYMOUS: 0x00000800,
  NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED: 0x00001000,
  NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED: 0x00002000,
  NTLMSSP_NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  NTLMSSP_TARGET_TYPE_DOMAIN: 0x00010000,
  NTLMSSP_TARGET_TYPE_SERVER: 0x00020000,
  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NTLMSSP_NEGOTIATE_IDENTIFY: 0x00100000,
  NTLMSSP_REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  NTLMSSP_NEGOTIATE_TARGET_INFO: 0x00800000,
  NTLMSSP_NEGOTIATE_VERSION: 0x02000000,
  NTLMSSP_NEGOTIATE_128: 0x20000000,
  NTLMSSP_NEGOTIATE_KEY_EXCH: 0x40000000,
  NTLMSSP_NEGOTIATE_56: 0x80000000,
} as const);

const F = NTLM_FLAGS;

/** "NTLMSSP\0", the Signature that opens every message (§2.2.1). */
const SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00] as const;

/** AvId values of §2.2.2.1 used here. */
const AV = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  DNS_COMPUTER_NAME: 3,
  DNS_DOMAIN_NAME: 4,
  DNS_TREE_NAME: 5,
  FLAGS: 6,
  TIMESTAMP: 7,
  TARGET_NAME: 9,
  CHANNEL_BINDINGS: 10,
} as const;

/** Fixed part of a NEGOTIATE_MESSAGE with its DomainNameFields and WorkstationFields (§2.2.1.1). */
const NEGOTIATE_HEADER = 32;
/** Fixed part of a CHALLENGE_MESSAGE including the Version field (§2.2.1.2). */
const CHALLENGE_HEADER = 56;
/** Fixed part of an AUTHENTICATE_MESSAGE up to and including NegotiateFlags (§2.2.1.3). */
const AUTHENTICATE_HEADER = 64;
/** NTProofStr (16) + the fixed part of NTLMv2_CLIENT_CHALLENGE (28, §2.2.2.7). */
const MIN_NTLMV2_RESPONSE = 16 + 28;
/** Milliseconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;

/** What Windows Server 2019 puts in the Version field (§2.2.2.10): 10.0.17763, NTLMSSP_REVISION_W2K3. */
const SERVER_VERSION = { major: 10, minor: 0, build: 17763, revision: 15 } as const;
/** The Version a client of ours announces: Windows 10 2004 (10.0.19041). */
const CLIENT_VERSION = { major: 10, minor: 0, build: 19041, revision: 15 } as const;

function invalid(message: string, cause?: unknown): CaError {
  return new CaError(
    'ERR_CA_NTLM_INVALID',
    `Invalid NTLM message: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

function requireBytes(value: unknown, name: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array.`);
  if (length !== undefined && value.length !== length)
    throw new TypeError(`${name} must be ${length} bytes, not ${value.length}.`);
}

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string.`);
}

/** NegotiateFlags as an unsigned 32-bit number; signed results of `|` on bit 31 are accepted. */
function requireFlags(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff)
    throw new TypeError(`${name} must be a 32-bit integer.`);
  return value >>> 0;
}

/** The parts one after the other, as a plain Uint8Array (not a Buffer) for the public API. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function u16(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >>> 8) & 0xff]);
}

function readU16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * UTF-16LE of the string's code units as they are: Windows hashes and sends WCHARs, so even a
 * lone surrogate is encoded rather than replaced.
 */
function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** OEM strings as ISO-8859-1 (one byte per character); a character above U+00FF is misuse. */
function oem(s: string, name: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new TypeError(`${name} cannot be sent as an OEM (latin1) string.`);
    out[i] = c;
  }
  return out;
}

const utf16Decoder = new TextDecoder('utf-16le', { fatal: true });

function decodeUtf16(bytes: Uint8Array, field: string): string {
  if (bytes.length % 2 !== 0) throw invalid(`${field} has an odd length for UTF-16LE.`);
  try {
    return utf16Decoder.decode(bytes);
  } catch (e) {
    throw invalid(`${field} is not valid UTF-16LE.`, e);
  }
}

/**
 * Latin1 by hand: TextDecoder('latin1') is windows-1252 under the WHATWG Encoding Standard, which
 * would turn 0x80 into "€"; ISO-8859-1 keeps every byte as the code point of the same value.
 */
function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * Upper case as Windows' RtlUpcaseUnicodeString does for NTOWFv2 (§3.3.2): a one-to-one
 * mapping, so a character whose full upper case is longer (ß → SS) is left as it is, where
 * String.prototype.toUpperCase would change the length and the hash.
 */
function upcase(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    // Windows upcases UTF-16 code units: a surrogate (half of an astral character) stays.
    const up = c >= 0xd800 && c <= 0xdfff ? ch : ch.toUpperCase();
    out += up.length === 1 ? up : ch;
  }
  return out;
}

/** FILETIME (100 ns since 1601-01-01 UTC) as 8 little-endian bytes (MS-DTYP §2.3.3). */
function fileTime(date: Date): Uint8Array {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError('now must be a valid Date.');
  const ticks = (BigInt(ms) + FILETIME_EPOCH_OFFSET_MS) * 10_000n;
  if (ticks < 0n) throw new TypeError('now must not be before 1601-01-01.');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}

function versionField(v: { major: number; minor: number; build: number; revision: number }): Uint8Array {
  // §2.2.2.10 VERSION: major, minor, build (LE 16), three reserved zero bytes, NTLM revision.
  return new Uint8Array([v.major, v.minor, v.build & 0xff, v.build >>> 8, 0, 0, 0, v.revision]);
}

function hasSignature(token: Uint8Array): boolean {
  if (token.length < 12) return false;
  for (let i = 0; i < SIGNATURE.length; i++) if (token[i] !== SIGNATURE[i]) return false;
  return true;
}

function requireMessage(token: unknown, type: 1 | 2 | 3, minLength: number): asserts token is Uint8Array {
  requireBytes(token, 'token');
  if (!hasSignature(token)) throw invalid('the NTLMSSP signature is missing.');
  const actual = readU32(token, 8);
  if (actual !== type) throw invalid(`message type ${actual}, expected ${type}.`);
  if (token.length < minLength)
    throw invalid(`${token.length} bytes, shorter than the ${minLength} of a type ${type} message.`);
}

/**
 * The bytes a *_Fields triple (Len 16, MaxLen 16, BufferOffset 32; §2.2.1.1) points at. A field
 * of length 0 is empty whatever its offset (Windows sends offset 0 or the payload end); a
 * non-empty one must lie in the payload, after the fixed header and within the message.
 */
function fieldAt(token: Uint8Array, at: number, headerSize: number, name: string): Uint8Array {
  const len = readU16(token, at);
  const offset = readU32(token, at + 4);
  if (len === 0) return new Uint8Array(0);
  if (offset < headerSize || offset + len > token.length)
    throw invalid(`${name} (offset ${offset}, length ${len}) lies outside the ${token.length}-byte message.`);
  return token.slice(offset, offset + len);
}

// ---------------------------------------------------------------------------------------------
// MD4 (RFC 1320)
// ---------------------------------------------------------------------------------------------

/** RFC 1320 §3.4: the order in which round 2 and round 3 visit the sixteen words of a block. */
const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] as const;
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;
const ROUND1_SHIFTS = [3, 7, 11, 19] as const;
const ROUND2_SHIFTS = [3, 5, 9, 13] as const;
const ROUND3_SHIFTS = [3, 9, 11, 15] as const;

function rotl(x: number, s: number): number {
  return (x << s) | (x >>> (32 - s));
}

/**
 * RFC 1320 MD4, 16 bytes. Only for the NT hash (MS-NLMP §3.3.1 NTOWFv1): MD4 is broken as a
 * general hash, and Node 20 cannot compute it (its OpenSSL 3 keeps MD4 in the legacy provider).
 *
 * @example
 * ```ts
 * Buffer.from(md4(new TextEncoder().encode('abc'))).toString('hex'); // 'a448017aaf21d8525fc10ae87aa6729d'
 * ```
 */
export function md4(data: Uint8Array): Uint8Array {
  requireBytes(data, 'data');
  // §3.1–3.2: append 0x80, zeros up to 56 mod 64, then the bit length as a 64-bit little-endian.
  const blocks = Math.floor((data.length + 8) / 64) + 1;
  const padded = new Uint8Array(blocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (data.length * 8) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(data.length / 0x20000000) >>> 0, true);

  // §3.3: the initial state words A, B, C, D.
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Int32Array(16);
  for (let block = 0; block < blocks; block++) {
    for (let i = 0; i < 16; i++) x[i] = view.getInt32(block * 64 + i * 4, true);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;
    // Round 1: F(X,Y,Z) = XY v not(X) Z, [abcd k s] a = (a + F(b,c,d) + X[k]) <<< s.
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + ((b & c) | (~b & d)) + x[i]!) | 0, ROUND1_SHIFTS[i % 4]!);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 2: G(X,Y,Z) = XY v XZ v YZ, plus the constant 5A827999 (sqrt 2).
    for (let i = 0; i < 16; i++) {
      const t = rotl(
        (a + ((b & c) | (b & d) | (c & d)) + x[ROUND2_ORDER[i]!]! + 0x5a827999) | 0,
        ROUND2_SHIFTS[i % 4]!,
      );
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 3: H(X,Y,Z) = X xor Y xor Z, plus the constant 6ED9EBA1 (sqrt 3).
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + (b ^ c ^ d) + x[ROUND3_ORDER[i]!]! + 0x6ed9eba1) | 0, ROUND3_SHIFTS[i % 4]!);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  // §3.5: the digest is A, B, C, D, each low-order byte first.
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setInt32(0, a, true);
  ov.setInt32(4, b, true);
  ov.setInt32(8, c, true);
  ov.setInt32(12, d, true);
  return out;
}

/**
 * NT one-way function v1 (MS-NLMP §3.3.1 NTOWFv1): MD4 of the UTF-16LE password, 16 bytes — the
 * "NT hash" a domain controller keeps, from which NTLMv2 keys are derived (§3.3.2 NTOWFv2).
 *
 * @example
 * ```ts
 * Buffer.from(ntHash('Password')).toString('hex'); // 'a4f49c406510bdcab6824ee7c30fd852'
 * ```
 */
export function ntHash(password: string): Uint8Array {
  requireString(password, 'password');
  return md4(utf16le(password));
}

/**
 * NT one-way function v2 (MS-NLMP §3.3.2 NTOWFv2): HMAC-MD5(NT hash, UTF-16LE(Uppercase(User) +
 * UserDom)), the NTLMv2 response key (ResponseKeyNT), from which the session base key comes too.
 *
 * @example
 * ```ts
 * const key = ntowfV2(ntHash('Password'), 'User', 'Domain'); // §4.2.4.1.1: 0c868a40…
 * ```
 */
export function ntowfV2(nt: Uint8Array, user: string, domain: string): Uint8Array {
  requireBytes(nt, 'ntHash', 16);
  requireString(user, 'user');
  requireString(domain, 'domain');
  return hmacMd5(nt, utf16le(upcase(user) + domain));
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/**
 * Which NTLMSSP message `token` is (the MessageType after the "NTLMSSP\0" signature, §2.2.1):
 * 1, 2 or 3, or undefined when it is not NTLMSSP at all (a Kerberos or SPNEGO token under
 * `Negotiate`, fewer than 12 bytes, another type). Says nothing about the rest of the message;
 * the parse functions check that. Never throws.
 *
 * @example
 * ```ts
 * ntlmMessageType(buildNegotiateMessage()); // 1
 * ntlmMessageType(new Uint8Array([0x60, 0x82])); // undefined (a SPNEGO token)
 * ```
 */
export function ntlmMessageType(token: Uint8Array): 1 | 2 | 3 | undefined {
  if (!(token instanceof Uint8Array) || !hasSignature(token)) return undefined;
  const type = readU32(token, 8);
  return type === 1 || type === 2 || type === 3 ? type : undefined;
}

/**
 * Parses a NEGOTIATE_MESSAGE (type 1, MS-NLMP §2.2.1.1): its NegotiateFlags and, when the
 * client supplied them (NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED / _WORKSTATION_SUPPLIED), the OEM
 * domain and workstation names. A 16-byte message without the name fields (old clients) is
 * accepted; flags are unsigned. Throws a CaError ERR_CA_NTLM_INVALID when the message is not a
 * well-formed type 1 (TypeError only when `token` is not a Uint8Array).
 *
 * @example
 * ```ts
 * const { flags } = parseNegotiateMessage(token);
 * const unicode = (flags & NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
 * ```
 */
export function parseNegotiateMessage(token: Uint8Array): {
  flags: number;
  domain?: string;
  workstation?: string;
} {
  requireMessage(token, 1, 16);
  const flags = readU32(token, 12);
  const result: { flags: number; domain?: string; workstation?: string } = { flags };
  if (token.length < NEGOTIATE_HEADER) return result;
  // The names are read only when their flag says they are there: otherwise the fields are
  // meant to be zero, and what a client leaves in them is not ours to reject.
  if (flags & F.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED)
    result.domain = decodeLatin1(fieldAt(token, 16, NEGOTIATE_HEADER, 'DomainName'));
  if (flags & F.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED)
    result.workstation = decodeLatin1(fieldAt(token, 24, NEGOTIATE_HEADER, 'Workstation'));
  return result;
}

function avPair(id: number, value: Uint8Array): Uint8Array {
  if (value.length > 0xffff) throw new TypeError(`AV pair ${id} is longer than 65535 bytes.`);
  return concat([u16(id), u16(value.length), value]);
}

function avString(id: number, value: unknown, name: string): Uint8Array {
  requireString(value, name);
  // §2.2.2.1: AV pair strings are always UTF-16LE, whatever the negotiated character set.
  return avPair(id, utf16le(value));
}

/**
 * Builds the CHALLENGE_MESSAGE (type 2, MS-NLMP §2.2.1.2) a Windows Server 2019 IIS answers a
 * NEGOTIATE_MESSAGE with. NegotiateFlags: NTLMSSP_NEGOTIATE_UNICODE when the client asked for
 * it (else NTLM_NEGOTIATE_OEM), REQUEST_TARGET, NEGOTIATE_NTLM, ALWAYS_SIGN, TARGET_TYPE_DOMAIN,
 * EXTENDED_SESSIONSECURITY, TARGET_INFO and VERSION, and NEGOTIATE_128 / 56 / KEY_EXCH / SIGN /
 * SEAL only when the client asked for them (§3.2.5.1.1). TargetName is the NetBIOS domain, in
 * the negotiated character set (UTF-16LE, or latin1 for an OEM client, as §2.2.1.2 requires).
 * TargetInfo holds, in this order, MsvAvNbDomainName, MsvAvNbComputerName, MsvAvDnsDomainName,
 * MsvAvDnsComputerName, MsvAvDnsTreeName (the DNS domain: a one-domain forest), MsvAvTimestamp
 * (the FILETIME of `now`) and MsvAvEOL (§2.2.2.1). Version: 10.0 build 17763, NTLM revision 15.
 * Throws TypeError when `serverChallenge` is not 8 bytes, a name does not fit a 16-bit length
 * or cannot be encoded, or `now` is not a valid Date.
 *
 * @example
 * ```ts
 * const serverChallenge = new Uint8Array(randomBytes(8)); // keep it for verifyNtlmV2
 * const type2 = buildChallengeMessage({
 *   negotiateFlags: parseNegotiateMessage(type1).flags,
 *   serverChallenge,
 *   netbiosDomain: 'CONTOSO',
 *   netbiosComputer: 'PKI',
 *   dnsDomain: 'contoso.com',
 *   dnsComputer: 'pki.contoso.com',
 *   now: new Date(),
 * });
 * res.setHeader('WWW-Authenticate', `NTLM ${Buffer.from(type2).toString('base64')}`);
 * ```
 */
export function buildChallengeMessage(o: {
  negotiateFlags: number;
  serverChallenge: Uint8Array;
  netbiosDomain: string;
  netbiosComputer: string;
  dnsDomain: string;
  dnsComputer: string;
  now: Date;
}): Uint8Array {
  const asked = requireFlags(o.negotiateFlags, 'negotiateFlags');
  requireBytes(o.serverChallenge, 'serverChallenge', 8);
  requireString(o.netbiosDomain, 'netbiosDomain');
  const unicode = (asked & F.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const echoed =
    F.NTLMSSP_NEGOTIATE_128 |
    F.NTLMSSP_NEGOTIATE_56 |
    F.NTLMSSP_NEGOTIATE_KEY_EXCH |
    F.NTLMSSP_NEGOTIATE_SIGN |
    F.NTLMSSP_NEGOTIATE_SEAL;
  const flags =
    ((unicode ? F.NTLMSSP_NEGOTIATE_UNICODE : F.NTLM_NEGOTIATE_OEM) |
      F.NTLMSSP_REQUEST_TARGET |
      F.NTLMSSP_NEGOTIATE_NTLM |
      F.NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
      F.NTLMSSP_TARGET_TYPE_DOMAIN |
      F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
      F.NTLMSSP_NEGOTIATE_TARGET_INFO |
      F.NTLMSSP_NEGOTIATE_VERSION |
      (asked & echoed)) >>>
    0;

  const targetName = unicode ? utf16le(o.netbiosDomain) : oem(o.netbiosDomain, 'netbiosDomain');
  if (targetName.length > 0xffff) throw new TypeError('netbiosDomain is longer than 65535 bytes.');
  const targetInfo = concat([
    avString(AV.NB_DOMAIN_NAME, o.netbiosDomain, 'netbiosDomain'),
    avString(AV.NB_COMPUTER_NAME, o.netbiosComputer, 'netbiosComputer'),
    avString(AV.DNS_DOMAIN_NAME, o.dnsDomain, 'dnsDomain'),
    avString(AV.DNS_COMPUTER_NAME, o.dnsComputer, 'dnsComputer'),
    avString(AV.DNS_TREE_NAME, o.dnsDomain, 'dnsDomain'),
    avPair(AV.TIMESTAMP, fileTime(o.now)),
    avPair(AV.EOL, new Uint8Array(0)),
  ]);
  if (targetInfo.length > 0xffff) throw new TypeError('The target info is longer than 65535 bytes.');

  const targetNameOffset = CHALLENGE_HEADER;
  const targetInfoOffset = targetNameOffset + targetName.length;
  return concat([
    new Uint8Array(SIGNATURE),
    u32le(2),
    u16(targetName.length),
    u16(targetName.length),
    u32le(targetNameOffset),
    u32le(flags),
    o.serverChallenge,
    new Uint8Array(8), // Reserved
    u16(targetInfo.length),
    u16(targetInfo.length),
    u32le(targetInfoOffset),
    versionField(SERVER_VERSION),
    targetName,
    targetInfo,
  ]);
}

/**
 * Parses an AUTHENTICATE_MESSAGE (type 3, MS-NLMP §2.2.1.3). DomainName, UserName and
 * Workstation are decoded as UTF-16LE when NTLMSSP_NEGOTIATE_UNICODE is set in the message's
 * own NegotiateFlags, else as latin1 (OEM). Every field's offset and length are checked against
 * the message (a non-empty field must lie after the 64-byte fixed part and end within the
 * message). The responses are returned as sent: pass `ntResponse` to {@link verifyNtlmV2}. The
 * Version and MIC are not used; EncryptedRandomSessionKey is returned for the session keys
 * (SPNEGO's mechListMIC is signed with them).
 * Throws a CaError ERR_CA_NTLM_INVALID on malformed input (TypeError only when `token` is not a
 * Uint8Array).
 *
 * @example
 * ```ts
 * const msg = parseAuthenticateMessage(type3);
 * const ok = verifyNtlmV2({ ntHash: storedNtHash, user: msg.user, domain: msg.domain, serverChallenge, ntResponse: msg.ntResponse });
 * ```
 */
export function parseAuthenticateMessage(token: Uint8Array): {
  flags: number;
  domain: string;
  user: string;
  workstation: string;
  lmResponse: Uint8Array;
  ntResponse: Uint8Array;
  encryptedRandomSessionKey: Uint8Array;
} {
  requireMessage(token, 3, AUTHENTICATE_HEADER);
  const flags = readU32(token, 60);
  const lmResponse = fieldAt(token, 12, AUTHENTICATE_HEADER, 'LmChallengeResponse');
  const ntResponse = fieldAt(token, 20, AUTHENTICATE_HEADER, 'NtChallengeResponse');
  const domainBytes = fieldAt(token, 28, AUTHENTICATE_HEADER, 'DomainName');
  const userBytes = fieldAt(token, 36, AUTHENTICATE_HEADER, 'UserName');
  const workstationBytes = fieldAt(token, 44, AUTHENTICATE_HEADER, 'Workstation');
  // With NTLMSSP_NEGOTIATE_KEY_EXCH, the session key the client chose, RC4-encrypted (§3.1.5.1.2).
  const encryptedRandomSessionKey = fieldAt(token, 52, AUTHENTICATE_HEADER, 'EncryptedRandomSessionKey');
  const unicode = (flags & F.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const decode = (bytes: Uint8Array, field: string) =>
    unicode ? decodeUtf16(bytes, field) : decodeLatin1(bytes);
  return {
    flags,
    domain: decode(domainBytes, 'DomainName'),
    user: decode(userBytes, 'UserName'),
    workstation: decode(workstationBytes, 'Workstation'),
    lmResponse,
    ntResponse,
    encryptedRandomSessionKey,
  };
}

/**
 * Verifies an NTLMv2 response (MS-NLMP §3.3.2). The key is NTOWFv2 = HMAC-MD5(ntHash,
 * UTF-16LE(Uppercase(user) + domain)) — the user upper-cased (one-to-one, as Windows does), the
 * domain exactly as the client sent it — and the response is NTProofStr (16 bytes) followed by
 * `temp`, the NTLMv2_CLIENT_CHALLENGE (§2.2.2.7); it matches when NTProofStr =
 * HMAC-MD5(NTOWFv2, serverChallenge ‖ temp), compared in constant time. Returns false, never
 * throws, for any response that is not NTLMv2: shorter than 16 + 28 bytes (including the
 * 24-byte NTLMv1 and empty or LM-only answers, refused as with LmCompatibilityLevel 5), or whose
 * temp does not start with RespType 1, HiRespType 1. The timestamp and AV pairs inside temp are
 * not checked here (nor by IIS without Extended Protection; with it, certsrv reads the bindings
 * with {@link authenticateMessageBindings}); replay protection is the caller's: use each server
 * challenge for one answer only. Throws TypeError when `ntHash` is not 16 bytes or
 * `serverChallenge` not 8 (misuse, not a bad response).
 *
 * @example
 * ```ts
 * const msg = parseAuthenticateMessage(type3);
 * if (verifyNtlmV2({ ntHash: ntHash('P@ssw0rd'), user: msg.user, domain: msg.domain, serverChallenge, ntResponse: msg.ntResponse })) {
 *   // signed in
 * }
 * ```
 */
export function verifyNtlmV2(o: {
  ntHash: Uint8Array;
  user: string;
  domain: string;
  serverChallenge: Uint8Array;
  ntResponse: Uint8Array;
}): boolean {
  requireBytes(o.ntHash, 'ntHash', 16);
  requireBytes(o.serverChallenge, 'serverChallenge', 8);
  requireString(o.user, 'user');
  requireString(o.domain, 'domain');
  const response = o.ntResponse;
  if (!(response instanceof Uint8Array) || response.length < MIN_NTLMV2_RESPONSE) return false;
  // §2.2.2.7: RespType and HiRespType are both 1 in every NTLMv2_CLIENT_CHALLENGE so far.
  if (response[16] !== 1 || response[17] !== 1) return false;
  const proof = response.subarray(0, 16);
  const temp = response.subarray(16);
  const expected = hmacMd5(ntowfV2(o.ntHash, o.user, o.domain), o.serverChallenge, temp);
  return timingSafeEqual(expected, proof);
}

/** What a Windows 10 browser asks for in its NEGOTIATE_MESSAGE (0xa2088207). */
const DEFAULT_NEGOTIATE_FLAGS =
  F.NTLMSSP_NEGOTIATE_UNICODE |
  F.NTLM_NEGOTIATE_OEM |
  F.NTLMSSP_REQUEST_TARGET |
  F.NTLMSSP_NEGOTIATE_NTLM |
  F.NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
  F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
  F.NTLMSSP_NEGOTIATE_VERSION |
  F.NTLMSSP_NEGOTIATE_128 |
  F.NTLMSSP_NEGOTIATE_56;

/**
 * Builds a NEGOTIATE_MESSAGE (type 1, MS-NLMP §2.2.1.1) as a client does, with no domain or
 * workstation supplied, and an 8-byte Version (Windows 10.0.19041) when `flags` has
 * NTLMSSP_NEGOTIATE_VERSION. The default flags are those of a Windows 10 browser: UNICODE, OEM,
 * REQUEST_TARGET, NTLM, ALWAYS_SIGN, EXTENDED_SESSIONSECURITY, VERSION, 128 and 56
 * (0xa2088207). Throws TypeError when `flags` is not a 32-bit integer.
 *
 * @example
 * ```ts
 * const header = `NTLM ${Buffer.from(buildNegotiateMessage()).toString('base64')}`;
 * ```
 */
export function buildNegotiateMessage(flags?: number): Uint8Array {
  const f = requireFlags(flags ?? DEFAULT_NEGOTIATE_FLAGS, 'flags');
  // Nothing is supplied, so the OEM_*_SUPPLIED flags would announce names that are not there.
  const sent =
    (f & ~(F.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED | F.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED)) >>> 0;
  return concat([
    new Uint8Array(SIGNATURE),
    u32le(1),
    u32le(sent),
    new Uint8Array(16), // DomainNameFields, WorkstationFields: empty
    sent & F.NTLMSSP_NEGOTIATE_VERSION ? versionField(CLIENT_VERSION) : new Uint8Array(0),
  ]);
}

/** What a client needs from a CHALLENGE_MESSAGE (§2.2.1.2). */
function parseChallengeMessage(token: Uint8Array): {
  flags: number;
  serverChallenge: Uint8Array;
  targetInfo: Uint8Array;
} {
  // 48 bytes: the fixed part without Version, which is only there with NEGOTIATE_VERSION.
  requireMessage(token, 2, 48);
  const flags = readU32(token, 20);
  const headerSize = flags & F.NTLMSSP_NEGOTIATE_VERSION ? CHALLENGE_HEADER : 48;
  if (token.length < headerSize) throw invalid('the CHALLENGE_MESSAGE is cut short.');
  fieldAt(token, 12, headerSize, 'TargetName');
  return {
    flags,
    serverChallenge: token.slice(24, 32),
    targetInfo: fieldAt(token, 40, headerSize, 'TargetInfo'),
  };
}

/** Where the MIC of an AUTHENTICATE_MESSAGE is: after the fixed part and the Version (§2.2.1.3). */
const MIC_OFFSET = 72;

/**
 * The MIC of an AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3) when the client says it sent one: the
 * MsvAvFlags pair of its NTLMv2 response has bit 0x2 (§2.2.2.1); then the 16 bytes after the
 * Version, and the message with them zeroed, which the MIC covers (with the NEGOTIATE and
 * CHALLENGE messages before it, §3.1.5.1.2). Undefined without a MIC or for an NTLMv1 response.
 * `parsed`: the message as {@link parseAuthenticateMessage} read it, when the caller has it.
 *
 * @example
 * ```ts
 * const m = authenticateMessageMic(type3);
 * if (m) ok = timingSafeEqual(m.mic, ntlmMic(exportedSessionKey, type1, type2, m.zeroed));
 * ```
 */
export function authenticateMessageMic(
  type3: Uint8Array,
  parsed: { ntResponse: Uint8Array } = parseAuthenticateMessage(type3),
): { mic: Uint8Array; zeroed: Uint8Array } | undefined {
  const { ntResponse } = parsed;
  // NTProofStr (16), then the NTLMv2_CLIENT_CHALLENGE: 28 bytes before its AV pairs (§2.2.2.7).
  if (ntResponse.length < MIN_NTLMV2_RESPONSE) return undefined;
  const flags = findAvPair(ntResponse.subarray(16 + 28), AV.FLAGS);
  if (flags?.length !== 4 || (readU32(flags, 0) & 0x2) === 0) return undefined;
  if (type3.length < MIC_OFFSET + 16)
    throw invalid('the AUTHENTICATE_MESSAGE announces a MIC but is too short to hold one.');
  const zeroed = type3.slice();
  zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return { mic: type3.slice(MIC_OFFSET, MIC_OFFSET + 16), zeroed };
}

/** The value of AV pair `id` in a TargetInfo (§2.2.2.1), undefined when absent or malformed. */
function findAvPair(targetInfo: Uint8Array, id: number): Uint8Array | undefined {
  let at = 0;
  while (at + 4 <= targetInfo.length) {
    const avId = readU16(targetInfo, at);
    const len = readU16(targetInfo, at + 2);
    if (avId === AV.EOL || at + 4 + len > targetInfo.length) return undefined;
    if (avId === id) return targetInfo.slice(at + 4, at + 4 + len);
    at += 4 + len;
  }
  return undefined;
}

/**
 * What an NTLMv2 response says of the channel and the service the client meant (MS-NLMP
 * §2.2.2.1): its MsvAvChannelBindings (16 bytes when well-formed, the MD5 of the TLS channel
 * bindings; all zeros when the client has none) and its MsvAvTargetName (the SPN, UTF-16LE), each
 * absent when not sent (a target name of odd length too). certsrv's Extended Protection compares
 * them with its own. `parsed`: the message as {@link parseAuthenticateMessage} read it.
 *
 * @example
 * ```ts
 * const { channelBindings, targetName } = authenticateMessageBindings(parseAuthenticateMessage(type3));
 * ```
 */
export function authenticateMessageBindings(parsed: { ntResponse: Uint8Array }): {
  channelBindings?: Uint8Array;
  targetName?: string;
} {
  const { ntResponse } = parsed;
  if (ntResponse.length < MIN_NTLMV2_RESPONSE) return {};
  const pairs = ntResponse.subarray(16 + 28);
  const bindings = findAvPair(pairs, AV.CHANNEL_BINDINGS);
  const target = findAvPair(pairs, AV.TARGET_NAME);
  return {
    // Any length: one that is not 16 bytes is a wrong binding, not a missing one.
    ...(bindings ? { channelBindings: bindings } : {}),
    ...(target && target.length % 2 === 0 ? { targetName: new TextDecoder('utf-16le').decode(target) } : {}),
  };
}

/**
 * Builds the AUTHENTICATE_MESSAGE (type 3, MS-NLMP §2.2.1.3) a client sends in answer to the
 * CHALLENGE_MESSAGE `challenge`, with an NTLMv2 response (§3.3.2): temp = 0x01 0x01, Z(6), the
 * time, the client challenge, Z(4), the server's TargetInfo as received, Z(4). The time is
 * `now` when given, else the server's MsvAvTimestamp, else the current time. As §3.1.5.1.2
 * says, the LmChallengeResponse is Z(24) when the server sent a timestamp and the LMv2 response
 * otherwise. Strings are UTF-16LE when the challenge negotiated Unicode, else latin1. No MIC;
 * no session key exchange (KEY_EXCH is cleared from the flags) unless `randomSessionKey` is given
 * and the challenge offers it (SPNEGO's mechListMIC is then signed with keys from that key).
 * Meant for tests and scripts driving the server. Throws a CaError ERR_CA_NTLM_INVALID when
 * `challenge` is not a well-formed CHALLENGE_MESSAGE, TypeError on misuse (a client challenge
 * that is not 8 bytes, a string that cannot be sent as OEM).
 *
 * @example
 * ```ts
 * const type3 = buildAuthenticateMessage({ challenge: type2, user: 'alice', domain: 'CONTOSO', password: 'P@ssw0rd' });
 * const header = `NTLM ${Buffer.from(type3).toString('base64')}`;
 * ```
 */
export function buildAuthenticateMessage(o: {
  challenge: Uint8Array;
  user: string;
  domain: string;
  password: string;
  workstation?: string;
  clientChallenge?: Uint8Array;
  now?: Date;
  /**
   * With NTLMSSP_NEGOTIATE_KEY_EXCH in the challenge: the 16-byte session key to send,
   * RC4-encrypted with the SessionBaseKey (§3.1.5.1.2), KEY_EXCH kept in the flags.
   */
  randomSessionKey?: Uint8Array;
  /**
   * The NEGOTIATE_MESSAGE sent before `challenge`: with it the message carries a MIC over the
   * three messages (MsvAvFlags 0x2 in the response, the MIC after the Version, §3.1.5.1.2), as
   * Windows and Chromium send it.
   */
  negotiateMessage?: Uint8Array;
  /**
   * MsvAvChannelBindings to send (16 bytes, see {@link ntlmChannelBindingsHash}), as a client does
   * over TLS for Extended Protection; another length is sent as given.
   */
  channelBindings?: Uint8Array;
  /** MsvAvTargetName to send: the SPN the client means to sign in to (`HTTP/ca01.contoso.com`). */
  targetName?: string;
}): Uint8Array {
  requireString(o.user, 'user');
  requireString(o.domain, 'domain');
  requireString(o.password, 'password');
  const workstation = o.workstation ?? '';
  requireString(workstation, 'workstation');
  const clientChallenge = o.clientChallenge ?? new Uint8Array(randomBytes(8));
  requireBytes(clientChallenge, 'clientChallenge', 8);
  const challenge = parseChallengeMessage(o.challenge);

  const serverTime = findAvPair(challenge.targetInfo, AV.TIMESTAMP);
  const time =
    o.now !== undefined ? fileTime(o.now) : serverTime?.length === 8 ? serverTime : fileTime(new Date());
  const key = ntowfV2(ntHash(o.password), o.user, o.domain);
  const withMic = o.negotiateMessage !== undefined;
  if (withMic) requireBytes(o.negotiateMessage, 'negotiateMessage');
  // Any length: a test of a server may send a malformed one.
  if (o.channelBindings !== undefined) requireBytes(o.channelBindings, 'channelBindings');
  if (o.targetName !== undefined) requireString(o.targetName, 'targetName');
  const extra: Uint8Array[] = [];
  if (o.channelBindings !== undefined) extra.push(avPair(AV.CHANNEL_BINDINGS, o.channelBindings));
  if (o.targetName !== undefined) extra.push(avPair(AV.TARGET_NAME, utf16le(o.targetName)));
  const temp = concat([
    new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0]),
    time,
    clientChallenge,
    new Uint8Array(4),
    withMic || extra.length > 0
      ? withAvPairs(challenge.targetInfo, withMic ? 0x2 : 0, extra)
      : challenge.targetInfo,
    new Uint8Array(4),
  ]);
  const ntResponse = concat([hmacMd5(key, challenge.serverChallenge, temp), temp]);
  const lmResponse = serverTime
    ? new Uint8Array(24)
    : concat([hmacMd5(key, challenge.serverChallenge, clientChallenge), clientChallenge]);

  if (o.randomSessionKey !== undefined) requireBytes(o.randomSessionKey, 'randomSessionKey', 16);
  const keyExchange =
    o.randomSessionKey !== undefined && (challenge.flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0;
  let flags = (keyExchange ? challenge.flags : challenge.flags & ~F.NTLMSSP_NEGOTIATE_KEY_EXCH) >>> 0;
  // The MIC sits after the Version: a message with a MIC has one.
  if (withMic) flags = (flags | F.NTLMSSP_NEGOTIATE_VERSION) >>> 0;
  // KXKEY with NTLMv2 is the SessionBaseKey, HMAC-MD5(NTOWFv2, NTProofStr) (§3.3.2, §3.4.5.1).
  const sessionBaseKey = hmacMd5(key, ntResponse.subarray(0, 16));
  const encryptedKey = keyExchange ? new Rc4(sessionBaseKey).update(o.randomSessionKey!) : new Uint8Array(0);
  const unicode = (flags & F.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const encode = (s: string, name: string) => (unicode ? utf16le(s) : oem(s, name));
  const domain = encode(o.domain, 'domain');
  const user = encode(o.user, 'user');
  const ws = encode(workstation, 'workstation');
  const version = flags & F.NTLMSSP_NEGOTIATE_VERSION ? versionField(CLIENT_VERSION) : new Uint8Array(0);
  const micField = new Uint8Array(withMic ? 16 : 0);

  // Payload in the order Windows uses: DomainName, UserName, Workstation, Lm-, NtChallengeResponse.
  const payload = [domain, user, ws, lmResponse, ntResponse, encryptedKey];
  for (const p of payload) if (p.length > 0xffff) throw new TypeError('A field is longer than 65535 bytes.');
  const offsets: number[] = [];
  let at = AUTHENTICATE_HEADER + version.length + micField.length;
  for (const p of payload) {
    offsets.push(at);
    at += p.length;
  }
  const fields = (bytes: Uint8Array, offset: number) =>
    concat([u16(bytes.length), u16(bytes.length), u32le(offset)]);
  const message = concat([
    new Uint8Array(SIGNATURE),
    u32le(3),
    fields(lmResponse, offsets[3]!),
    fields(ntResponse, offsets[4]!),
    fields(domain, offsets[0]!),
    fields(user, offsets[1]!),
    fields(ws, offsets[2]!),
    fields(encryptedKey, offsets[5]!), // EncryptedRandomSessionKey: empty without KEY_EXCH
    u32le(flags),
    version,
    micField,
    ...payload,
  ]);
  if (withMic) {
    // Computed over the message with its MIC field still zero; the key is the exported one.
    const exported = keyExchange ? o.randomSessionKey! : sessionBaseKey;
    message.set(hmacMd5(exported, o.negotiateMessage!, o.challenge, message), MIC_OFFSET);
  }
  return message;
}

/**
 * A TargetInfo with MsvAvFlags (§2.2.2.1) holding `bits` too (when any), and `extra` pairs, placed
 * before MsvAvEOL.
 */
function withAvPairs(targetInfo: Uint8Array, bits: number, extra: readonly Uint8Array[]): Uint8Array {
  const pairs: Uint8Array[] = [];
  let flags = bits;
  let at = 0;
  while (at + 4 <= targetInfo.length) {
    const id = readU16(targetInfo, at);
    const len = readU16(targetInfo, at + 2);
    if (id === AV.EOL || at + 4 + len > targetInfo.length) break;
    if (id === AV.FLAGS && len === 4) flags |= readU32(targetInfo, at + 4);
    else pairs.push(targetInfo.subarray(at, at + 4 + len));
    at += 4 + len;
  }
  const flagPair = flags !== 0 ? [u16(AV.FLAGS), u16(4), u32le(flags >>> 0)] : [];
  return concat([...pairs, ...flagPair, ...extra, u16(AV.EOL), u16(0)]);
}
