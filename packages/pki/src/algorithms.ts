// Signature algorithms of X.509 certificates, CRLs and CSRs: their AlgorithmIdentifier DER and the
// WebCrypto calls behind them. Encodings follow RFC 4055 §5 (RSA PKCS#1 v1.5, NULL parameters),
// RFC 4055 §3.1 (RSASSA-PSS), RFC 5758 §3.2 (ECDSA, parameters absent) and RFC 8410 §3 (Ed25519,
// parameters absent) — byte for byte what OpenSSL and Windows write.

import { subtleFor } from './crypto-provider.js';
import { PkiError } from './errors.js';
import { notBytes } from './internal/bytes.js';
import {
  Cursor,
  int,
  nul,
  oid,
  readAlgorithmIdentifier,
  readNull,
  readOid,
  readSmallInt,
  readUnsignedBytes,
  readWhole,
  seq,
  T,
  type Tlv,
  tlv,
  uintBytes,
} from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { CURVES } from './internal/key-der.js';
import { bufferSource, ownerOf, webcrypto } from './internal/webcrypto.js';
import type { KeyType, PrivateKey, PublicKey } from './keys.js';

/**
 * The hashes usable in signatures. SHA-1 remains for verifying old certificates.
 *
 * @example
 * ```ts
 * const alg = signatureAlgorithmFor(key, { hash: 'SHA-384' satisfies HashName });
 * ```
 */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * One signature algorithm as it appears in a certificate's `signatureAlgorithm` field.
 *
 * @example
 * ```ts
 * const alg: SignatureAlgorithm = signatureAlgorithmFor(key);
 * console.log(alg.name, alg.oid, toHex(alg.der)); // 'ecdsa-with-SHA256' '1.2.840.10045.4.3.2' '300a06…'
 * ```
 */
export interface SignatureAlgorithm {
  /** The algorithm OID, e.g. 1.2.840.113549.1.1.11. */
  readonly oid: string;
  /** OpenSSL's long name where there is one: 'sha256WithRSAEncryption', 'rsassaPss', 'ecdsa-with-SHA256', 'Ed25519'. */
  readonly name: string;
  readonly keyType: KeyType;
  /** The message digest; undefined for Ed25519, which hashes internally (RFC 8032). */
  readonly hash?: HashName;
  /** RSASSA-PSS parameters (RFC 4055 §3.1). */
  readonly pss?: { readonly saltLength: number; readonly mgfHash: HashName };
  /** The AlgorithmIdentifier DER. Do not modify. */
  readonly der: Uint8Array;
}

const HASHES: readonly HashName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const HASH_LENGTH: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const HASH_OID: Record<HashName, string> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = new Map(HASHES.map((h) => [HASH_OID[h], h] as const));

/**
 * The hash a digest AlgorithmIdentifier OID names (RFC 3279, NIST CSOR), or undefined for one
 * certlab does not support (MD5, SHA-224…).
 *
 * @example
 * ```ts
 * hashNameOf('2.16.840.1.101.3.4.2.1'); // 'SHA-256'
 * ```
 */
export function hashNameOf(oid: string): HashName | undefined {
  return HASH_BY_OID.get(oid);
}
const SUFFIX: Record<HashName, string> = {
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
};

const RSA_PKCS1_OID: Record<HashName, string> = {
  'SHA-1': '1.2.840.113549.1.1.5',
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_OID: Record<HashName, string> = {
  'SHA-1': '1.2.840.10045.4.1',
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const OID_ED25519 = '1.3.101.112';

/** Signature OIDs we recognise but refuse, so that the error names them. */
const UNSUPPORTED: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '2.16.840.1.101.3.4.3.9': 'ecdsa-with-SHA3-224',
  '2.16.840.1.101.3.4.3.10': 'ecdsa-with-SHA3-256',
  '2.16.840.1.101.3.4.3.11': 'ecdsa-with-SHA3-384',
  '2.16.840.1.101.3.4.3.12': 'ecdsa-with-SHA3-512',
  '2.16.840.1.101.3.4.3.13': 'RSA-SHA3-224',
  '2.16.840.1.101.3.4.3.14': 'RSA-SHA3-256',
  '2.16.840.1.101.3.4.3.15': 'RSA-SHA3-384',
  '2.16.840.1.101.3.4.3.16': 'RSA-SHA3-512',
  '1.3.101.113': 'Ed448',
  '1.3.14.3.2.29': 'sha1WithRSASignature (OIW)',
  '1.2.643.7.1.1.3.2': 'GOST R 34.10-2012 with GOST R 34.11-2012 (256)',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
};

function unsupported(oidStr: string, why?: string): never {
  const name = UNSUPPORTED[oidStr];
  throw new PkiError(
    'ERR_PKI_ALGORITHM_UNSUPPORTED',
    why ??
      `The signature algorithm ${name ? `${name} (OID ${oidStr})` : `with OID ${oidStr}`} is not supported; supported are RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-1/256/384/512, ECDSA with SHA-1/256/384/512, and Ed25519.`,
  );
}

function make(alg: SignatureAlgorithm): SignatureAlgorithm {
  return Object.freeze(alg);
}

function hashAlgId(h: HashName): Uint8Array {
  // RFC 4055 §2.1 allows NULL or absent; OpenSSL and the CA/B Forum BR §7.1.3.2.1 use NULL.
  return seq(oid(HASH_OID[h]), nul());
}

function pssDer(h: HashName, saltLength: number): Uint8Array {
  // RSASSA-PSS-params (RFC 4055 §3.1); trailerField takes its DEFAULT and is omitted (X.690 §11.5).
  return seq(
    oid(OID_RSASSA_PSS),
    seq(tlv(0xa0, hashAlgId(h)), tlv(0xa1, seq(oid(OID_MGF1), hashAlgId(h))), tlv(0xa2, int(saltLength))),
  );
}

const RSA = {} as Record<HashName, SignatureAlgorithm>;
const PSS = {} as Record<HashName, SignatureAlgorithm>;
const ECDSA = {} as Record<HashName, SignatureAlgorithm>;
for (const h of HASHES) {
  RSA[h] = make({
    oid: RSA_PKCS1_OID[h],
    name: `${SUFFIX[h].toLowerCase()}WithRSAEncryption`,
    keyType: 'rsa',
    hash: h,
    der: seq(oid(RSA_PKCS1_OID[h]), nul()),
  });
  PSS[h] = make({
    oid: OID_RSASSA_PSS,
    name: 'rsassaPss',
    keyType: 'rsa',
    hash: h,
    pss: Object.freeze({ saltLength: HASH_LENGTH[h], mgfHash: h }),
    der: pssDer(h, HASH_LENGTH[h]),
  });
  ECDSA[h] = make({
    oid: ECDSA_OID[h],
    name: `ecdsa-with-${SUFFIX[h]}`,
    keyType: 'ec',
    hash: h,
    der: seq(oid(ECDSA_OID[h])),
  });
}
const ED25519 = make({ oid: OID_ED25519, name: 'Ed25519', keyType: 'ed25519', der: seq(oid(OID_ED25519)) });

/** Canonical encodings, looked up by their bytes so that parsing a common identifier allocates nothing. */
const CANONICAL = new Map<string, SignatureAlgorithm>();
function bytesKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
for (const a of [...Object.values(RSA), ...Object.values(PSS), ...Object.values(ECDSA), ED25519])
  CANONICAL.set(bytesKey(a.der), a);

function checkHash(hash: unknown): HashName {
  if (!HASHES.includes(hash as HashName))
    throw misuse(`hash must be one of ${HASHES.join(', ')}, not ${String(hash)}.`);
  return hash as HashName;
}

/**
 * The signature algorithm to sign with `key`. Defaults: RSA → sha256WithRSAEncryption (PKCS#1
 * v1.5); EC → ECDSA with the hash matching the curve (P-256 SHA-256, P-384 SHA-384, P-521
 * SHA-512, per RFC 5480 §4); Ed25519 → Ed25519. `pss: true` selects RSASSA-PSS with MGF1 on the
 * same hash and a salt as long as the hash (RFC 4055 §3.1, CA/B Forum BR §7.1.3.2.1).
 *
 * @example
 * ```ts
 * signatureAlgorithmFor(rsaKey).name;                                // 'sha256WithRSAEncryption'
 * signatureAlgorithmFor(rsaKey, { hash: 'SHA-384', pss: true }).name; // 'rsassaPss'
 * signatureAlgorithmFor(p384Key).name;                              // 'ecdsa-with-SHA384'
 * ```
 */
export function signatureAlgorithmFor(
  key: PrivateKey | PublicKey,
  options: { hash?: HashName; pss?: boolean } = {},
): SignatureAlgorithm {
  if (typeof key !== 'object' || key === null)
    throw misuse('signatureAlgorithmFor() needs a PrivateKey or PublicKey.');
  const hash = options.hash === undefined ? undefined : checkHash(options.hash);
  switch (key.type) {
    case 'rsa':
      return (options.pss ? PSS : RSA)[hash ?? 'SHA-256'];
    case 'ec':
      if (options.pss) throw misuse('RSASSA-PSS needs an RSA key; this is an EC key.');
      return ECDSA[
        hash ?? (key.curve === 'P-521' ? 'SHA-512' : key.curve === 'P-384' ? 'SHA-384' : 'SHA-256')
      ];
    case 'ed25519':
      if (options.pss) throw misuse('RSASSA-PSS needs an RSA key; this is an Ed25519 key.');
      if (hash !== undefined)
        throw misuse(
          'Ed25519 has no hash choice (RFC 8032 uses SHA-512 internally); leave the hash option out.',
        );
      return ED25519;
    default:
      throw misuse('signatureAlgorithmFor() needs a PrivateKey or PublicKey.');
  }
}

function readHashAlgId(t: Tlv): HashName {
  const c = Cursor.of(t, T.SEQUENCE);
  const o = readOid(c.next());
  if (!c.done()) readNull(c.next());
  c.end('hash AlgorithmIdentifier');
  const h = HASH_BY_OID.get(o);
  if (!h)
    unsupported(
      o,
      `RSASSA-PSS with the hash OID ${o} is not supported (SHA-1, SHA-256, SHA-384, SHA-512 are).`,
    );
  return h;
}

function explicitInner(t: Tlv): Tlv {
  const c = Cursor.of(t);
  const inner = c.next();
  c.end('explicitly tagged field');
  return inner;
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with its DEFAULTs: SHA-1, MGF1 with SHA-1, salt 20, trailer 1. */
function parsePssParams(params: Tlv, der: Uint8Array): SignatureAlgorithm {
  const c = Cursor.of(params, T.SEQUENCE);
  let hash: HashName = 'SHA-1';
  let mgfHash: HashName = 'SHA-1';
  let saltLength = 20;
  const h = c.optional(0xa0);
  if (h) hash = readHashAlgId(explicitInner(h));
  const m = c.optional(0xa1);
  if (m) {
    const mc = Cursor.of(explicitInner(m), T.SEQUENCE);
    const mgfOid = readOid(mc.next());
    if (mgfOid !== OID_MGF1)
      unsupported(
        mgfOid,
        `RSASSA-PSS with the mask generation function ${mgfOid} is not supported (only MGF1, RFC 8017 §B.2.1).`,
      );
    mgfHash = readHashAlgId(mc.next(T.SEQUENCE));
    mc.end('MGF1 AlgorithmIdentifier');
  }
  const s = c.optional(0xa2);
  if (s) saltLength = readSmallInt(explicitInner(s));
  const tr = c.optional(0xa3);
  if (tr && readSmallInt(explicitInner(tr)) !== 1)
    unsupported(
      OID_RSASSA_PSS,
      'RSASSA-PSS with a trailerField other than 1 (0xBC) is not supported (RFC 4055 §3.1).',
    );
  c.end('RSASSA-PSS-params');
  if (mgfHash !== hash) {
    unsupported(
      OID_RSASSA_PSS,
      `RSASSA-PSS with MGF1-${mgfHash} over ${hash} messages is not supported: WebCrypto uses the same hash for both.`,
    );
  }
  return make({
    oid: OID_RSASSA_PSS,
    name: 'rsassaPss',
    keyType: 'rsa',
    hash,
    pss: Object.freeze({ saltLength, mgfHash }),
    der,
  });
}

function parseSlow(der: Uint8Array): SignatureAlgorithm {
  const { oid: o, params } = readAlgorithmIdentifier(readWhole(der, T.SEQUENCE));
  for (const h of HASHES) {
    if (o === RSA_PKCS1_OID[h]) {
      // RFC 4055 §5: NULL; absent parameters are tolerated as many verifiers do.
      if (params) readNull(params);
      return make({ ...RSA[h], der });
    }
    if (o === ECDSA_OID[h]) {
      // RFC 5758 §3.2: absent; a NULL written by old encoders is tolerated.
      if (params) readNull(params);
      return make({ ...ECDSA[h], der });
    }
  }
  if (o === OID_ED25519) {
    if (params)
      throw new PkiError(
        'ERR_PKI_DER_INVALID',
        'The Ed25519 algorithm identifier has parameters; RFC 8410 §3 requires them to be absent.',
      );
    return make({ ...ED25519, der });
  }
  if (o === OID_RSASSA_PSS) {
    if (!params)
      throw new PkiError(
        'ERR_PKI_DER_INVALID',
        'The RSASSA-PSS signature algorithm identifier lacks its parameters, which RFC 4055 §3.1 requires.',
      );
    return parsePssParams(params, der);
  }
  unsupported(o);
}

/**
 * Parses a signature AlgorithmIdentifier (DER). Accepts RSA PKCS#1 v1.5 and RSASSA-PSS with
 * SHA-1/256/384/512, ECDSA with SHA-1/256/384/512, and Ed25519; anything else (MD5, SHA-224,
 * DSA, …) gives ERR_PKI_ALGORITHM_UNSUPPORTED naming the OID. `der` of the result has exactly
 * the input bytes.
 *
 * @example
 * ```ts
 * parseSignatureAlgorithm(fromHex('300d06092a864886f70d01010b0500')).name; // 'sha256WithRSAEncryption'
 * ```
 */
export function parseSignatureAlgorithm(algorithmIdentifierDer: Uint8Array): SignatureAlgorithm {
  if (!(algorithmIdentifierDer instanceof Uint8Array))
    throw misuse('parseSignatureAlgorithm() needs the DER bytes as a Uint8Array.');
  if (algorithmIdentifierDer.length <= 80) {
    const hit = CANONICAL.get(bytesKey(algorithmIdentifierDer));
    if (hit) return hit;
  }
  const der = algorithmIdentifierDer.slice();
  return guard('ERR_PKI_DER_INVALID', 'The signature algorithm identifier', () => parseSlow(der));
}

interface WebParams {
  importAlg: RsaHashedImportParams | Algorithm;
  signAlg: RsaPssParams | EcdsaParams | Algorithm;
}

const webParamsCache = new WeakMap<SignatureAlgorithm, WebParams>();

function webParams(alg: SignatureAlgorithm): WebParams {
  let p = webParamsCache.get(alg);
  if (p) return p;
  const hash = alg.hash;
  switch (alg.keyType) {
    case 'rsa':
      if (!hash) unsupported(alg.oid, 'An RSA signature algorithm needs a hash.');
      if (alg.pss) {
        if (alg.pss.mgfHash !== hash)
          unsupported(
            alg.oid,
            'RSASSA-PSS with an MGF1 hash different from the message hash is not supported by WebCrypto.',
          );
        p = {
          importAlg: { name: 'RSA-PSS', hash },
          signAlg: { name: 'RSA-PSS', saltLength: alg.pss.saltLength } as RsaPssParams,
        };
      } else p = { importAlg: { name: 'RSASSA-PKCS1-v1_5', hash }, signAlg: { name: 'RSASSA-PKCS1-v1_5' } };
      break;
    case 'ec':
      if (!hash) unsupported(alg.oid, 'An ECDSA signature algorithm needs a hash.');
      p = { importAlg: { name: 'ECDSA' }, signAlg: { name: 'ECDSA', hash } as EcdsaParams };
      break;
    default:
      p = { importAlg: { name: 'Ed25519' }, signAlg: { name: 'Ed25519' } };
  }
  webParamsCache.set(alg, p);
  return p;
}

function checkPair(key: PrivateKey | PublicKey, alg: SignatureAlgorithm): void {
  if (typeof alg !== 'object' || alg === null || typeof alg.keyType !== 'string')
    throw misuse('A SignatureAlgorithm is required (see signatureAlgorithmFor).');
  if (key.type !== alg.keyType) {
    throw new PkiError(
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
      `The signature algorithm ${alg.name} needs ${alg.keyType === 'ec' ? 'an EC' : alg.keyType === 'rsa' ? 'an RSA' : 'an Ed25519'} key, but the key is ${key.type === 'ec' ? 'EC' : key.type === 'rsa' ? 'RSA' : 'Ed25519'}.`,
    );
  }
}

/**
 * Signs `data` as X.509 expects the signature value: RSA as is, ECDSA converted from WebCrypto's
 * IEEE P1363 `r || s` to the DER Ecdsa-Sig-Value of RFC 3279 §2.2.3, Ed25519 as the 64 bytes of
 * RFC 8032.
 *
 * @example
 * ```ts
 * const alg = signatureAlgorithmFor(caKey);
 * const signature = await signData(caKey, alg, tbsCertificateDer);
 * ```
 */
export async function signData(
  key: PrivateKey,
  alg: SignatureAlgorithm,
  data: Uint8Array,
): Promise<Uint8Array> {
  checkPair(key, alg);
  const p = webParams(alg);
  const ck = await key.cryptoKey(p.importAlg);
  const subtle = ownerOf(ck) ?? (await subtleFor(p.importAlg.name));
  const sig = await webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `WebCrypto could not sign with ${alg.name}.`,
    async () => new Uint8Array(await subtle.sign(p.signAlg, ck, bufferSource(data))),
  );
  return alg.keyType === 'ec' ? ecdsaRawToDer(sig) : sig;
}

/**
 * Verifies an X.509 signature value. Returns false for a wrong or malformed signature; throws
 * ERR_PKI_ALGORITHM_UNSUPPORTED when the algorithm does not fit the key type, and
 * ERR_PKI_KEY_INVALID when WebCrypto rejects the key.
 *
 * @example
 * ```ts
 * const ok = await verifySignature(issuer.publicKey, parseSignatureAlgorithm(algDer), tbsDer, signatureValue);
 * ```
 */
export async function verifySignature(
  key: PublicKey,
  alg: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  checkPair(key, alg);
  const p = webParams(alg);
  const ck = await key.cryptoKey(p.importAlg);
  const subtle = ownerOf(ck) ?? (await subtleFor(p.importAlg.name));
  let sig = signature;
  if (alg.keyType === 'ec') {
    try {
      sig = ecdsaDerToRaw(signature, CURVES[key.curve!].size);
    } catch {
      return false;
    }
  }
  try {
    return await subtle.verify(p.signAlg, ck, bufferSource(sig), bufferSource(data));
  } catch {
    // Implementations throw on some malformed signatures (e.g. a wrong length) instead of returning false.
    return false;
  }
}

/**
 * Converts a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3) to IEEE P1363 `r || s`, each left-padded to
 * `size` bytes (32 for P-256, 48 for P-384, 66 for P-521). Throws ERR_PKI_DER_INVALID for
 * malformed or oversized values.
 *
 * @example
 * ```ts
 * const raw = ecdsaDerToRaw(derSignature, 32); // 64 bytes for WebCrypto
 * ```
 */
export function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > 1024)
    throw misuse('ecdsaDerToRaw() needs the curve size in bytes (32, 48 or 66).');
  return guard('ERR_PKI_DER_INVALID', 'The ECDSA signature', () => {
    const c = Cursor.of(readWhole(sig, T.SEQUENCE));
    const r = readUnsignedBytes(c.next());
    const s = readUnsignedBytes(c.next());
    c.end('Ecdsa-Sig-Value');
    if (r.length > size || s.length > size)
      throw new PkiError(
        'ERR_PKI_DER_INVALID',
        'The ECDSA signature has a value larger than the curve allows.',
      );
    const out = new Uint8Array(size * 2);
    out.set(r, size - r.length);
    out.set(s, 2 * size - s.length);
    return out;
  });
}

/**
 * Converts an IEEE P1363 `r || s` signature (what WebCrypto returns) to the DER Ecdsa-Sig-Value
 * of RFC 3279 §2.2.3 that X.509 carries.
 *
 * @example
 * ```ts
 * const der = ecdsaRawToDer(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data)));
 * ```
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (!(raw instanceof Uint8Array) || raw.length === 0 || raw.length % 2 !== 0)
    throw misuse('ecdsaRawToDer() needs r || s: a non-empty Uint8Array of even length.');
  const half = raw.length / 2;
  return seq(uintBytes(raw.subarray(0, half)), uintBytes(raw.subarray(half)));
}

/**
 * A message digest through the configured WebCrypto provider.
 *
 * @example
 * ```ts
 * const thumbprint = toHex(await hashDigest('SHA-256', certDer));
 * ```
 */
export async function hashDigest(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  checkHash(hash);
  if (!(data instanceof Uint8Array)) throw notBytes('hashDigest', data);
  const subtle = await subtleFor(hash);
  return webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `${hash} is not available from WebCrypto.`,
    async () => new Uint8Array(await subtle.digest(hash, bufferSource(data))),
  );
}
