// Pure DER codecs for key containers: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7 with RFC 3279 for
// RSA/EC and RFC 8410 for Ed25519), PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958),
// PKCS#1 RSAPrivateKey (RFC 8017 §A.1.2) and SEC1 ECPrivateKey (RFC 5915). No WebCrypto here:
// what a key is (type, curve, size) is known synchronously from its bytes.

import { PkiError } from '../errors.js';
import type { KeyType, NamedCurve } from '../keys.js';
import {
  bitString,
  Cursor,
  encodingOf,
  explicit,
  int,
  nul,
  octets,
  oid,
  readBitString,
  readNull,
  readOctetString,
  readOid,
  readSmallInt,
  readUnsignedBytes,
  readWhole,
  seq,
  T,
  type Tlv,
  uintBytes,
} from './der.js';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';

/** The NIST curves WebCrypto implements (FIPS 186-4 / SEC 2 names in RFC 5480 §2.1.1.1). */
export const CURVES: Readonly<Record<NamedCurve, { oid: string; size: number; bits: number }>> = {
  'P-256': { oid: '1.2.840.10045.3.1.7', size: 32, bits: 256 },
  'P-384': { oid: '1.3.132.0.34', size: 48, bits: 384 },
  'P-521': { oid: '1.3.132.0.35', size: 66, bits: 521 },
};

const CURVE_BY_OID = new Map<string, NamedCurve>(
  (Object.keys(CURVES) as NamedCurve[]).map((c) => [CURVES[c].oid, c] as const),
);

/** Names for OIDs we recognise but do not support, so that errors say what the key is. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10046.2.1': 'Diffie-Hellman (X9.42)',
  '1.2.840.113549.1.3.1': 'Diffie-Hellman (PKCS#3)',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS-restricted RSA',
  '1.2.840.113549.1.1.7': 'RSAES-OAEP-restricted RSA',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.113': 'Ed448',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.2.156.10197.1.301': 'SM2',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512)',
};

const SUPPORTED = 'Supported keys are RSA, ECDSA on P-256, P-384 or P-521, and Ed25519.';

function invalid(msg: string): never {
  throw new PkiError('ERR_PKI_KEY_INVALID', msg);
}

function unsupportedAlgorithm(oidStr: string, what: string): never {
  const name = KNOWN_UNSUPPORTED[oidStr];
  throw new PkiError(
    'ERR_PKI_KEY_UNSUPPORTED',
    `${what} uses ${name ? `${name} (OID ${oidStr})` : `algorithm OID ${oidStr}`}, which is not supported. ${SUPPORTED}`,
  );
}

function unsupportedCurve(oidStr: string): never {
  const name = KNOWN_UNSUPPORTED[oidStr];
  throw new PkiError(
    'ERR_PKI_KEY_UNSUPPORTED',
    `The elliptic curve ${name ? `${name} (OID ${oidStr})` : `with OID ${oidStr}`} is not supported: WebCrypto implements P-256, P-384 and P-521 only.`,
  );
}

/** What a key is, known from its DER alone. */
export interface KeyInfo {
  type: KeyType;
  curve?: NamedCurve;
  /** RSA modulus bits; EC field bits (256/384/521); Ed25519 256. */
  bits: number;
}

/** RSA moduli we accept: 512 bits lets old certificates parse; 16384 bounds the work. */
const RSA_MIN_BITS = 512;
const RSA_MAX_BITS = 16384;

function bitLength(mag: Uint8Array): number {
  let i = 0;
  while (i < mag.length && mag[i] === 0) i++;
  if (i === mag.length) return 0;
  return (mag.length - i - 1) * 8 + (32 - Math.clz32(mag[i]!));
}

function checkRsaModulus(n: Uint8Array, e: Uint8Array): number {
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      `An RSA modulus of ${bits} bits is not supported (accepted: ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits).`,
    );
  }
  if ((n[n.length - 1]! & 1) === 0) invalid('The RSA modulus is even, so it is not a valid RSA key.');
  if (bitLength(e) < 2 || (e[e.length - 1]! & 1) === 0)
    invalid('The RSA public exponent is not an odd number above 1.');
  if (bitLength(e) > bits) invalid('The RSA public exponent is larger than the modulus.');
  return bits;
}

// ---------------------------------------------------------------------------------------------
// SubjectPublicKeyInfo

/** A parsed SubjectPublicKeyInfo. */
export interface ParsedSpki extends KeyInfo {
  /** The subjectPublicKey BIT STRING value (without the unused-bits octet). */
  subjectPublicKey: Uint8Array;
  rsa?: { n: Uint8Array; e: Uint8Array };
}

/**
 * Parses an AlgorithmIdentifier of a key (the same syntax in SPKI and PKCS#8) to the key type and
 * curve. RSA parameters must be NULL (RFC 3279 §2.3.1), EC parameters a namedCurve (RFC 5480
 * §2.1.1: implicitCurve and specifiedCurve MUST NOT be used), Ed25519 parameters absent (RFC 8410 §3).
 */
function readKeyAlgorithm(t: Tlv, what: string): { type: KeyType; curve?: NamedCurve } {
  const c = Cursor.of(t, T.SEQUENCE);
  const algOid = readOid(c.next());
  if (algOid === OID_RSA_ENCRYPTION) {
    if (c.done())
      invalid(
        `${what} has an rsaEncryption algorithm identifier without its NULL parameters (RFC 3279 §2.3.1).`,
      );
    readNull(c.next());
    c.end('RSA algorithm identifier');
    return { type: 'rsa' };
  }
  if (algOid === OID_EC_PUBLIC_KEY) {
    if (c.done())
      invalid(`${what} has an id-ecPublicKey algorithm identifier without its curve (RFC 5480 §2.1.1).`);
    const p = c.next();
    if (p.id !== T.OID) {
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        `${what} uses explicit elliptic-curve parameters; only named curves (P-256, P-384, P-521) are supported (RFC 5480 §2.1.1).`,
      );
    }
    const curveOid = readOid(p);
    c.end('EC algorithm identifier');
    const curve = CURVE_BY_OID.get(curveOid);
    if (!curve) unsupportedCurve(curveOid);
    return { type: 'ec', curve };
  }
  if (algOid === OID_ED25519) {
    if (!c.done())
      invalid(
        `${what} has parameters in its Ed25519 algorithm identifier; RFC 8410 §3 requires them to be absent.`,
      );
    return { type: 'ed25519' };
  }
  unsupportedAlgorithm(algOid, what);
}

function ecPointCheck(point: Uint8Array, curve: NamedCurve, what: string): void {
  const size = CURVES[curve].size;
  if ((point[0] === 0x02 || point[0] === 0x03) && point.length === size + 1) {
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      `${what} holds a compressed ${curve} point, which WebCrypto cannot import; export it uncompressed (openssl ec -conv_form uncompressed).`,
    );
  }
  if (point[0] !== 0x04 || point.length !== 1 + 2 * size)
    invalid(`${what} does not hold an uncompressed ${curve} point (SEC 1 §2.3.3).`);
}

/** Parses SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7). */
export function parseSpki(der: Uint8Array): ParsedSpki {
  const what = 'The public key';
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const alg = readKeyAlgorithm(c.next(T.SEQUENCE), what);
  const bs = readBitString(c.next());
  c.end('SubjectPublicKeyInfo');
  if (bs.unusedBits !== 0)
    invalid(`${what} has a subjectPublicKey BIT STRING that is not a whole number of octets.`);
  const key = bs.bytes;
  if (alg.type === 'rsa') {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 3279 §2.3.1)
    const k = Cursor.of(readWhole(key, T.SEQUENCE));
    const n = readUnsignedBytes(k.next());
    const e = readUnsignedBytes(k.next());
    k.end('RSAPublicKey');
    return { type: 'rsa', bits: checkRsaModulus(n, e), subjectPublicKey: key, rsa: { n, e } };
  }
  if (alg.type === 'ec') {
    const curve = alg.curve!;
    ecPointCheck(key, curve, what);
    return { type: 'ec', curve, bits: CURVES[curve].bits, subjectPublicKey: key };
  }
  if (key.length !== 32)
    invalid(`${what} holds ${key.length} bytes where an Ed25519 key has 32 (RFC 8410 §3).`);
  return { type: 'ed25519', bits: 256, subjectPublicKey: key };
}

/** SPKI for an RSA key from its modulus and exponent magnitudes. */
export function rsaSpki(n: Uint8Array, e: Uint8Array): Uint8Array {
  return seq(seq(oid(OID_RSA_ENCRYPTION), nul()), bitString(seq(uintBytes(n), uintBytes(e))));
}

/** SPKI for an EC key from its uncompressed point (0x04 || X || Y). */
export function ecSpki(curve: NamedCurve, point: Uint8Array): Uint8Array {
  return seq(seq(oid(OID_EC_PUBLIC_KEY), oid(CURVES[curve].oid)), bitString(point));
}

/** SPKI for an Ed25519 key from its 32 public bytes (RFC 8410 §4). */
export function ed25519Spki(x: Uint8Array): Uint8Array {
  return seq(seq(oid(OID_ED25519)), bitString(x));
}

// ---------------------------------------------------------------------------------------------
// PrivateKeyInfo (PKCS#8)

/** A parsed PrivateKeyInfo. */
export interface ParsedPkcs8 extends KeyInfo {
  /** The SPKI when it follows from the DER alone (RSA always; EC and Ed25519 when the public key is embedded). */
  spki?: Uint8Array;
  /** The embedded public key bytes (EC point or Ed25519 key), to check against the private key. */
  embeddedPublic?: Uint8Array;
  /** The EC private scalar, left-padded to the curve size (for a JWK import). */
  ecScalar?: Uint8Array;
  /**
   * The same key as PKCS#8 v1 when the input was v2 with a public key: OpenSSL 3.0, and so
   * Node's WebCrypto, cannot read the v2 publicKey field, and v1 is what every tool reads.
   */
  v1?: Uint8Array;
}

const PKCS8_ATTRIBUTES = 0xa0; // [0] IMPLICIT Attributes (constructed SET OF)
const PKCS8_PUBLIC_KEY = 0x81; // [1] IMPLICIT BIT STRING, RFC 5958 §2 (v2 only)

/** Parses PrivateKeyInfo / OneAsymmetricKey DER (RFC 5208 §5, RFC 5958 §2). */
export function parsePkcs8(der: Uint8Array): ParsedPkcs8 {
  const what = 'The private key';
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const version = readSmallInt(c.next());
  if (version !== 0 && version !== 1)
    invalid(`The private key has PKCS#8 version ${version}; only v1 (0) and v2 (1) exist (RFC 5958 §2).`);
  const algTlv = c.next(T.SEQUENCE);
  const alg = readKeyAlgorithm(algTlv, what);
  const inner = readOctetString(c.next());
  const attributes = c.optional(PKCS8_ATTRIBUTES);
  let outerPublic: Uint8Array | undefined;
  let v1: Uint8Array | undefined;
  const pk = c.optional(PKCS8_PUBLIC_KEY);
  if (pk) {
    if (version !== 1)
      invalid('The private key embeds a public key but is not PKCS#8 v2, as RFC 5958 §2 requires.');
    // Reinterpret the [1] IMPLICIT primitive as a BIT STRING.
    const bs = readBitString({ ...pk, id: T.BIT_STRING });
    if (bs.unusedBits !== 0)
      invalid('The public key embedded in the private key is not a whole number of octets.');
    outerPublic = bs.bytes;
    v1 = seq(int(0), encodingOf(algTlv), octets(inner), ...(attributes ? [encodingOf(attributes)] : []));
  }
  c.end('PrivateKeyInfo');

  if (alg.type === 'rsa') {
    const rsa = parseRsaPrivateKey(inner);
    return { type: 'rsa', bits: rsa.bits, spki: rsaSpki(rsa.n, rsa.e), ...(v1 ? { v1 } : {}) };
  }
  if (alg.type === 'ec') {
    const curve = alg.curve!;
    const ec = parseEcPrivateKey(inner);
    if (ec.curveOid !== undefined && ec.curveOid !== CURVES[curve].oid)
      invalid('The EC private key names a different curve inside than outside (RFC 5915 §3).');
    if (ec.d.length > CURVES[curve].size) invalid(`The EC private key is longer than a ${curve} scalar.`);
    const point = ec.publicKey ?? outerPublic;
    const out: ParsedPkcs8 = { type: 'ec', curve, bits: CURVES[curve].bits };
    if (point) {
      ecPointCheck(point, curve, 'The public key embedded in the private key');
      out.spki = ecSpki(curve, point);
      out.embeddedPublic = point;
    }
    const d = new Uint8Array(CURVES[curve].size);
    d.set(ec.d, d.length - ec.d.length);
    out.ecScalar = d;
    if (v1) out.v1 = v1;
    return out;
  }
  // CurvePrivateKey ::= OCTET STRING (RFC 8410 §7)
  const seed = readOctetString(readWhole(inner));
  if (seed.length !== 32)
    invalid(`The Ed25519 private key has ${seed.length} bytes where RFC 8410 §7 requires 32.`);
  const out: ParsedPkcs8 = { type: 'ed25519', bits: 256 };
  if (outerPublic) {
    if (outerPublic.length !== 32)
      invalid('The public key embedded in the Ed25519 private key is not 32 bytes.');
    out.spki = ed25519Spki(outerPublic);
    out.embeddedPublic = outerPublic;
    out.v1 = v1!;
  }
  return out;
}

/** PrivateKeyInfo v1 around an already-encoded private key structure. */
function wrapPkcs8(algorithmIdentifier: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return seq(int(0), algorithmIdentifier, octets(privateKey));
}

// ---------------------------------------------------------------------------------------------
// PKCS#1 RSAPrivateKey and SEC 1 ECPrivateKey ("traditional" OpenSSL formats)

interface RsaPrivate {
  n: Uint8Array;
  e: Uint8Array;
  bits: number;
}

/** RSAPrivateKey (RFC 8017 §A.1.2): two-prime only, as WebCrypto requires. */
export function parseRsaPrivateKey(der: Uint8Array): RsaPrivate {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const version = readSmallInt(c.next());
  if (version === 1)
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      'Multi-prime RSA keys (RFC 8017 §A.1.2 version 1) are not supported by WebCrypto.',
    );
  if (version !== 0) invalid(`The RSA private key has version ${version}; RFC 8017 §A.1.2 defines 0 only.`);
  const n = readUnsignedBytes(c.next());
  const e = readUnsignedBytes(c.next());
  // privateExponent, prime1, prime2, exponent1, exponent2, coefficient: all positive INTEGERs.
  const parts: bigint[] = [];
  for (let i = 0; i < 6; i++) {
    const v = readUnsignedBytes(c.next());
    if (bitLength(v) === 0) invalid('The RSA private key has a zero component.');
    parts.push(toBigInt(v));
  }
  c.end('RSAPrivateKey');
  const bits = checkRsaModulus(n, e);
  // WebCrypto imports inconsistent CRT components without complaint and then signs garbage, so
  // check the relations of RFC 8017 §3.2 here; with bigints this costs microseconds.
  const [d, p, q, dp, dq, qi] = parts as [bigint, bigint, bigint, bigint, bigint, bigint];
  const eb = toBigInt(e);
  if (
    p * q !== toBigInt(n) ||
    p === 1n ||
    q === 1n ||
    d % (p - 1n) !== dp ||
    d % (q - 1n) !== dq ||
    (eb * dp) % (p - 1n) !== 1n ||
    (eb * dq) % (q - 1n) !== 1n ||
    (qi * q) % p !== 1n
  ) {
    invalid(
      'The RSA private key is inconsistent (its components do not fit together, RFC 8017 §3.2): the key is corrupt.',
    );
  }
  return { n, e, bits };
}

function toBigInt(mag: Uint8Array): bigint {
  let hex = '0x0';
  for (let i = 0; i < mag.length; i++) hex += (mag[i]! < 16 ? '0' : '') + mag[i]!.toString(16);
  return BigInt(hex);
}

interface EcPrivate {
  d: Uint8Array;
  curveOid?: string;
  publicKey?: Uint8Array;
}

/** ECPrivateKey (RFC 5915 §3). */
function parseEcPrivateKey(der: Uint8Array): EcPrivate {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  if (readSmallInt(c.next()) !== 1) invalid('The EC private key does not have version 1 (RFC 5915 §3).');
  const d = readOctetString(c.next());
  if (d.length === 0) invalid('The EC private key is empty.');
  const out: EcPrivate = { d };
  const params = c.optional(0xa0);
  if (params) {
    const p = Cursor.of(params);
    const inner = p.next();
    if (inner.id !== T.OID) {
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        'The EC private key uses explicit curve parameters; only named curves (P-256, P-384, P-521) are supported.',
      );
    }
    out.curveOid = readOid(inner);
    p.end('ECParameters');
  }
  const pub = c.optional(0xa1);
  if (pub) {
    const p = Cursor.of(pub);
    const bs = readBitString(p.next());
    p.end('EC public key');
    if (bs.unusedBits !== 0)
      invalid('The public key embedded in the EC private key is not a whole number of octets.');
    out.publicKey = bs.bytes;
  }
  c.end('ECPrivateKey');
  return out;
}

/** Wraps PKCS#1 RSAPrivateKey DER ('RSA PRIVATE KEY') into PKCS#8, as `openssl pkcs8 -topk8 -nocrypt` does. */
export function pkcs1ToPkcs8(der: Uint8Array): Uint8Array {
  parseRsaPrivateKey(der);
  return wrapPkcs8(seq(oid(OID_RSA_ENCRYPTION), nul()), der);
}

/**
 * Wraps SEC 1 ECPrivateKey DER ('EC PRIVATE KEY') into PKCS#8. The curve moves to the outer
 * AlgorithmIdentifier (where RFC 5915 §3 says it then MAY be omitted inside), as OpenSSL does.
 */
export function sec1ToPkcs8(der: Uint8Array): Uint8Array {
  const ec = parseEcPrivateKey(der);
  if (ec.curveOid === undefined)
    invalid(
      'The EC private key does not name its curve, so it cannot be used on its own (RFC 5915 §3 parameters are absent).',
    );
  const curve = CURVE_BY_OID.get(ec.curveOid);
  if (!curve) unsupportedCurve(ec.curveOid);
  if (ec.d.length > CURVES[curve].size) invalid(`The EC private key is longer than a ${curve} scalar.`);
  const inner = seq(int(1), octets(ec.d), ...(ec.publicKey ? [explicit(1, bitString(ec.publicKey))] : []));
  return wrapPkcs8(seq(oid(OID_EC_PUBLIC_KEY), oid(CURVES[curve].oid)), inner);
}

/** Reads PKCS#1 RSAPublicKey DER ('RSA PUBLIC KEY', RFC 8017 §A.1.1) and returns the equivalent SPKI. */
export function rsaPublicKeyToSpki(der: Uint8Array): Uint8Array {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const n = readUnsignedBytes(c.next());
  const e = readUnsignedBytes(c.next());
  c.end('RSAPublicKey');
  checkRsaModulus(n, e);
  return rsaSpki(n, e);
}

/** The shape of a DER key container, told apart by its first elements. */
export type KeyContainer = 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1' | 'sec1' | 'spki' | 'unknown';

/** Tells PKCS#8, EncryptedPrivateKeyInfo, PKCS#1, SEC 1 and SPKI apart without full parsing. */
export function sniffKeyContainer(der: Uint8Array): KeyContainer {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const first = c.next();
  const second = c.done() ? undefined : c.next();
  if (first.id === T.SEQUENCE) {
    if (second?.id === T.OCTET_STRING) return 'encrypted-pkcs8';
    if (second?.id === T.BIT_STRING) return 'spki';
    return 'unknown';
  }
  if (first.id === T.INTEGER && second) {
    const v = encodingOf(first);
    const small = v.length === 3 ? v[2] : -1;
    if ((small === 0 || small === 1) && second.id === T.SEQUENCE) return 'pkcs8';
    if (small === 0 && second.id === T.INTEGER) return 'pkcs1';
    if (small === 1 && second.id === T.OCTET_STRING) return 'sec1';
  }
  return 'unknown';
}
