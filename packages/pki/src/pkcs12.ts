// PKCS#12 / PFX files (RFC 7292): a private key with its certificate and chain, protected by a
// password. `createPkcs12` writes what Windows, OpenSSL, NSS and Java import; `readPkcs12` reads
// what they write, including the legacy ciphers (3DES, RC2-40) and BER encodings.
//
// Structure (RFC 7292 §4 and §4.1, §4.2):
//   PFX ::= SEQUENCE { version 3, authSafe ContentInfo (data), macData MacData OPTIONAL }
//   authSafe content = AuthenticatedSafe ::= SEQUENCE OF ContentInfo (data | encryptedData)
//   each safe holds SafeContents ::= SEQUENCE OF SafeBag { bagId, [0] bagValue, bagAttributes }
// We write two safes, in OpenSSL's order: an encryptedData safe with the certificate bags, then a
// data safe with one pkcs8ShroudedKeyBag. The leaf certificate bag and the key bag carry the
// same localKeyId (the leaf's SHA-1 thumbprint, as OpenSSL and Windows set it) and an optional
// friendlyName, which is what ties the key to its certificate on import.

import { Certificate, parseCertificate } from './certificate.js';
import { randomBytes, subtleFor } from './crypto-provider.js';
import { PkiError } from './errors.js';
import { berToDer } from './internal/ber.js';
import { concat, equalBytes, toHex } from './internal/bytes.js';
import {
  Cursor,
  contentOf,
  encodingOf,
  explicit,
  int,
  nul,
  octets,
  oid,
  readAlgorithmIdentifier,
  readBigInt,
  readNull,
  readOctetString,
  readOid,
  readString,
  readWhole,
  seq,
  setOf,
  str,
  T,
  type Tlv,
  tlv,
} from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { KDF_MAC, KDF_ROUND_COST_TENTHS, type Pkcs12KdfHash, pkcs12KdfSync } from './internal/pkcs12-kdf.js';

export type { Pkcs12KdfHash };

import {
  type PasswordForms,
  type Pbe,
  parsePbe,
  passwordForms,
  pbeDecrypt,
  pbeEncrypt,
} from './internal/pkcs12-pbe.js';
import { sha1 } from './internal/sha.js';
import { bufferSource, webcrypto } from './internal/webcrypto.js';
import { importPrivateKey, PrivateKey } from './keys.js';
import type { Name } from './names.js';

// PKCS#7 content types (RFC 2315 §14) and PKCS#12 bag types (RFC 7292 §4.2).
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  certificate: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  secret: '1.2.840.113549.1.12.10.1.5',
  safeContents: '1.2.840.113549.1.12.10.1.6',
} as const;
const OID_X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const OID_PBMAC1 = '1.2.840.113549.1.5.14';

/** MAC digest algorithms (RFC 7292 §4 MacData; OIDs from RFC 3279 and NIST CSOR). */
const MAC_HASH: Record<string, Pkcs12KdfHash> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const MAC_HASH_OID: Record<'SHA-1' | 'SHA-256', string> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
};
const HASH_BYTES: Record<Pkcs12KdfHash, number> = {
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/**
 * Iterations for new files when `iterations` is not given: 2048, OpenSSL 3's default
 * (PKCS12_DEFAULT_ITER) for both profiles, which Windows, NSS and Java accept. The password is
 * the real protection of a PFX: raise the count (e.g. 600,000 for PBKDF2-HMAC-SHA256, OWASP
 * 2023) when the file may be exposed, at the cost of slower imports everywhere.
 *
 * @example
 * ```ts
 * const pfx = await createPkcs12({ key, certificate, password, iterations: PKCS12_DEFAULT_ITERATIONS * 100 });
 * ```
 */
export const PKCS12_DEFAULT_ITERATIONS = 2048;

/**
 * The default cap on any one key derivation's iteration count when reading: 2,000,000. The
 * PKCS#12 KDF runs in JavaScript on the calling thread (about 0.5 µs per SHA-1 round in Node 20,
 * so about 1 s per hash chain at the cap) and native PBKDF2-HMAC-SHA256 costs about 0.9 µs per
 * round, so one derivation stays within a second or two. Known writers use 2,000 (Windows),
 * 2048 (OpenSSL), 10,000 to 100,000 (Java) and 600,000 (NSS). The whole file may cost at most
 * {@link PKCS12_BUDGET_FACTOR} times the cap in hash-chain iterations.
 *
 * @example
 * ```ts
 * await readPkcs12(der, password, { maxIterations: PKCS12_DEFAULT_MAX_ITERATIONS * 5 }); // a trusted, slow file
 * ```
 */
export const PKCS12_DEFAULT_MAX_ITERATIONS = 2_000_000;

/**
 * The work budget of one file, in units of `maxIterations`: the iteration count times the number
 * of hash chains of every key derivation (the MAC: one, and one more when an empty password
 * must be tried in its second encoding; a 3DES safe or key: three, two for the key and one for the IV;
 * PBES2: one per PBKDF2 output block), summed, each weighted by the cost of its hash's round
 * relative to SHA-1's (SHA-256 1.4, SHA-384 and SHA-512 6.4; PBKDF2 1). At the defaults a hostile
 * file can cost at most 8,000,000 SHA-1-round equivalents, about 4-5 s in Node 20, whatever its
 * hashes; an NSS legacy export (600,000 iterations, six chains) uses 3,600,000.
 *
 * @example
 * ```ts
 * const worstCase = PKCS12_BUDGET_FACTOR * PKCS12_DEFAULT_MAX_ITERATIONS; // iterations per file
 * ```
 */
export const PKCS12_BUDGET_FACTOR = 4;

/** At most this many encrypted items (safes and shrouded keys) per file: each costs a key derivation. */
const MAX_ENCRYPTED_ITEMS = 256;
/** Nesting limit for safeContentsBags (RFC 7292 §4.2.6). */
const MAX_BAG_DEPTH = 4;

/**
 * The encryption choices of {@link createPkcs12}.
 * - `modern`: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the certificates and the key,
 *   HMAC-SHA256 MAC: what OpenSSL 3 writes by default and Windows' "AES256-SHA256" export;
 *   Windows 10 1709 / Server 2019 and later, OpenSSL 1.1+, NSS and current Java read it.
 * - `legacy`: pbeWithSHAAnd3-KeyTripleDES-CBC for both, HMAC-SHA1 MAC: Windows' "TripleDES-SHA1"
 *   export, for Windows Server 2016 and older and other readers without PBES2.
 *
 * @example
 * ```ts
 * const profile: Pkcs12Profile = needsServer2012 ? 'legacy' : 'modern';
 * ```
 */
export type Pkcs12Profile = 'modern' | 'legacy';

/**
 * A chain certificate of {@link createPkcs12} with the friendlyName of its bag (RFC 7292 §4.2,
 * PKCS #9 friendlyName), which Windows shows as the certificate's Friendly Name after import.
 *
 * @example
 * ```ts
 * const chain: Pkcs12ChainCertificate[] = [{ certificate: issuingCa, friendlyName: 'Contoso Issuing CA 01' }];
 * ```
 */
export interface Pkcs12ChainCertificate {
  certificate: Certificate;
  friendlyName?: string;
}

/**
 * What {@link createPkcs12} needs.
 *
 * @example
 * ```ts
 * const init: Pkcs12Init = { key, certificate: leaf, chain: [issuingCa, root], password, friendlyName: 'exch01' };
 * ```
 */
export interface Pkcs12Init {
  /** The private key; it must belong to `certificate`. */
  key: PrivateKey;
  /** The certificate of the key (the leaf). */
  certificate: Certificate;
  /**
   * Issuer certificates to include, usually issuing CA then root; each may come with its own
   * friendly name (`{ certificate, friendlyName }`), written on its bag.
   */
  chain?: readonly (Certificate | Pkcs12ChainCertificate)[];
  /** The password; an empty string is allowed (as OpenSSL and Windows allow it) but protects nothing. */
  password: string;
  /** Shown by Windows ("Friendly name") and by `openssl pkcs12 -info`; set on the key and leaf bags. */
  friendlyName?: string;
  /** Default `modern`. */
  profile?: Pkcs12Profile;
  /** Iterations for every key derivation in the file (default {@link PKCS12_DEFAULT_ITERATIONS}). */
  iterations?: number;
  /**
   * More private keys, each with its certificate and friendly name, after the first (a Java
   * keystore or a Windows export of several certificates holds several): each pair gets its own
   * localKeyId, as `key` and `certificate` do.
   */
  otherKeys?: readonly Pkcs12OtherKey[];
}

/**
 * A further key of {@link createPkcs12} with its certificate.
 *
 * @example
 * ```ts
 * const other: Pkcs12OtherKey = { key: ecKey, certificate: ecLeaf, friendlyName: 'jec' };
 * ```
 */
export interface Pkcs12OtherKey {
  key: PrivateKey;
  certificate: Certificate;
  friendlyName?: string;
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  // PKCS12Attribute ::= SEQUENCE { attrId, attrValues SET OF } (RFC 7292 §4.2)
  return seq(oid(type), setOf([value]));
}

function safeBag(type: string, value: Uint8Array, attributes?: Uint8Array): Uint8Array {
  // SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF OPTIONAL } (RFC 7292 §4.2)
  return attributes ? seq(oid(type), explicit(0, value), attributes) : seq(oid(type), explicit(0, value));
}

function certBag(cert: Certificate, attributes?: Uint8Array): Uint8Array {
  // CertBag ::= SEQUENCE { certId x509Certificate, certValue [0] EXPLICIT OCTET STRING } (RFC 7292 §4.2.3)
  return safeBag(BAG.certificate, seq(oid(OID_X509_CERTIFICATE), explicit(0, octets(cert.der))), attributes);
}

function dataContentInfo(content: Uint8Array): Uint8Array {
  // ContentInfo ::= SEQUENCE { contentType data, content [0] EXPLICIT OCTET STRING } (RFC 2315 §7, §8)
  return seq(oid(OID_DATA), explicit(0, octets(content)));
}

function encryptedDataContentInfo(algorithm: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  // EncryptedData ::= SEQUENCE { version 0, EncryptedContentInfo } (RFC 2315 §13), with
  // EncryptedContentInfo ::= SEQUENCE { contentType data, algorithm, [0] IMPLICIT OCTET STRING }
  const eci = seq(oid(OID_DATA), algorithm, tlv(0x80, ciphertext));
  return seq(oid(OID_ENCRYPTED_DATA), explicit(0, seq(int(0), eci)));
}

async function hmac(hash: Pkcs12KdfHash, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const subtle = await subtleFor('HMAC');
  return webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `HMAC-${hash} is not available from WebCrypto.`,
    async () => {
      const k = await subtle.importKey('raw', bufferSource(key), { name: 'HMAC', hash }, false, ['sign']);
      return new Uint8Array(await subtle.sign('HMAC', k, bufferSource(data)));
    },
  );
}

/** RFC 7292 §5.1 step 3 / Appendix B.4: the MAC key from the PKCS#12 KDF with ID 3, then HMAC. */
async function computeMac(
  hash: Pkcs12KdfHash,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  data: Uint8Array,
): Promise<Uint8Array> {
  const key = pkcs12KdfSync(hash, password, salt, KDF_MAC, iterations, HASH_BYTES[hash]);
  return hmac(hash, key, data);
}

/**
 * Writes a PKCS#12 (.pfx / .p12) file with a private key, its certificate and an optional
 * chain: PFX v3, password integrity (MAC) and password privacy for the key and the certificates,
 * in DER. `modern` (default) is what OpenSSL 3 writes: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)
 * and an HMAC-SHA256 MAC keyed by the PKCS#12 KDF; `legacy` uses 3DES and HMAC-SHA1 for
 * Windows Server 2016 and older. The key bag and the leaf's bag get a localKeyId (the leaf's
 * SHA-1 thumbprint) and the optional friendlyName.
 *
 * Throws ERR_PKI_KEY_INVALID when the key does not belong to the certificate, a TypeError for
 * misuse (wrong types, iterations out of range).
 *
 * @example
 * ```ts
 * const pfx = await createPkcs12({ key, certificate: leaf, chain: [ca], password: 'S3cret!', friendlyName: 'exch01' });
 * await writeFile('exch01.pfx', pfx); // certutil -importpfx exch01.pfx, or Import-PfxCertificate
 * ```
 */
export async function createPkcs12(init: Pkcs12Init): Promise<Uint8Array> {
  if (typeof init !== 'object' || init === null)
    throw misuse('createPkcs12() needs { key, certificate, password }.');
  const { key, certificate, password, friendlyName } = init;
  const chain = init.chain ?? [];
  const profile = init.profile ?? 'modern';
  const iterations = init.iterations ?? PKCS12_DEFAULT_ITERATIONS;
  if (!(key instanceof PrivateKey)) throw misuse('createPkcs12() needs `key`: a PrivateKey.');
  if (!(certificate instanceof Certificate))
    throw misuse('createPkcs12() needs `certificate`: a Certificate.');
  const isChainEntry = (c: unknown): boolean =>
    c instanceof Certificate ||
    (typeof c === 'object' &&
      c !== null &&
      (c as Pkcs12ChainCertificate).certificate instanceof Certificate &&
      ((c as Pkcs12ChainCertificate).friendlyName === undefined ||
        typeof (c as Pkcs12ChainCertificate).friendlyName === 'string'));
  if (!Array.isArray(chain) || !chain.every(isChainEntry))
    throw misuse(
      'The `chain` option must be an array of Certificates or { certificate, friendlyName? } objects.',
    );
  if (typeof password !== 'string') throw misuse('createPkcs12() needs `password`: a string.');
  if (friendlyName !== undefined && typeof friendlyName !== 'string')
    throw misuse('The `friendlyName` option must be a string.');
  if (profile !== 'modern' && profile !== 'legacy')
    throw misuse(`The profile must be "modern" or "legacy", not ${JSON.stringify(profile)}.`);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PKCS12_DEFAULT_MAX_ITERATIONS)
    throw misuse(`iterations must be an integer from 1 to ${PKCS12_DEFAULT_MAX_ITERATIONS}.`);
  const otherKeys = init.otherKeys ?? [];
  if (
    !Array.isArray(otherKeys) ||
    !otherKeys.every(
      (o) =>
        typeof o === 'object' &&
        o !== null &&
        o.key instanceof PrivateKey &&
        o.certificate instanceof Certificate &&
        (o.friendlyName === undefined || typeof o.friendlyName === 'string'),
    )
  )
    throw misuse('The `otherKeys` option must be an array of { key, certificate, friendlyName? } objects.');
  const pairs = [{ key, certificate, friendlyName }, ...otherKeys];
  for (const p of pairs) {
    let matches = false;
    try {
      matches = p.certificate.publicKey.equals(p.key.publicKey);
    } catch {
      // A certificate key certlab does not support cannot be this key's.
    }
    if (!matches)
      throw new PkiError(
        'ERR_PKI_KEY_INVALID',
        `The private key does not belong to the certificate${p.certificate === certificate ? '' : ` ${p.certificate.subject.toWindowsString()}`} (their public keys differ): pass the key the certificate was issued for.`,
      );
  }
  // localKeyId: the certificate's SHA-1 thumbprint, as OpenSSL (PKCS12_create) and Windows write
  // it; it ties each key bag to its certificate bag (RFC 7292 §4.2, PKCS #9 localKeyId).
  const localKeyIds = pairs.map((p) => sha1.digest(p.certificate.der));
  if (new Set(localKeyIds.map((id) => toHex(id))).size !== pairs.length)
    throw misuse('Each key of createPkcs12() needs its own certificate: a certificate appears twice.');
  const friendlyNameAttribute = (name: string) => attribute(OID_FRIENDLY_NAME, str(T.BMP_STRING, name));
  const [bagAttributes, ...otherAttributes] = pairs.map((p, i) =>
    setOf([
      attribute(OID_LOCAL_KEY_ID, octets(localKeyIds[i]!)),
      ...(p.friendlyName !== undefined ? [friendlyNameAttribute(p.friendlyName)] : []),
    ]),
  );

  // A chain certificate's friendlyName goes on its own bag, without a localKeyId (it has no key),
  // as Windows' PFXExportCertStoreEx and OpenSSL's -CAfile/-caname write them.
  const chainBags = chain.map((c) =>
    c instanceof Certificate
      ? certBag(c)
      : certBag(
          c.certificate,
          c.friendlyName === undefined ? undefined : setOf([friendlyNameAttribute(c.friendlyName)]),
        ),
  );
  const certSafe = seq(
    certBag(certificate, bagAttributes),
    ...otherKeys.map((o, i) => certBag(o.certificate, otherAttributes[i])),
    ...chainBags,
  );
  const pkcs8s = await Promise.all(pairs.map((p) => p.key.toPkcs8()));
  // Independent salts and derivations: PBKDF2 for each may run in parallel off the main thread.
  const [certs, ...shrouded] = await Promise.all([
    pbeEncrypt(profile, certSafe, password, iterations),
    ...pkcs8s.map((pkcs8) => pbeEncrypt(profile, pkcs8, password, iterations)),
  ]);
  for (const pkcs8 of pkcs8s) pkcs8.fill(0);
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData } (RFC 5958 §3)
  const keyBags = shrouded.map((k, i) =>
    safeBag(
      BAG.shroudedKey,
      seq(k.algorithm, octets(k.ciphertext)),
      i === 0 ? bagAttributes : otherAttributes[i - 1],
    ),
  );
  const authSafe = seq(
    encryptedDataContentInfo(certs.algorithm, certs.ciphertext),
    dataContentInfo(seq(...keyBags)),
  );

  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER } (RFC 7292 §4)
  const hash = profile === 'modern' ? 'SHA-256' : 'SHA-1';
  const macSalt = randomBytes(8);
  const mac = await computeMac(hash, passwordForms(password).bmp, macSalt, iterations, authSafe);
  const macData = seq(
    seq(seq(oid(MAC_HASH_OID[hash]), nul()), octets(mac)),
    octets(macSalt),
    int(iterations),
  );
  return seq(int(3), dataContentInfo(authSafe), macData);
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * One bag of a PKCS#12 file, as {@link readPkcs12} found it.
 *
 * @example
 * ```ts
 * for (const bag of (await readPkcs12(der, password)).bags) console.log(bag.type, bag.friendlyName, bag.encryption);
 * ```
 */
export interface Pkcs12Bag {
  /** The bag type (RFC 7292 §4.2); `other` for bag types or certificate types certlab does not read. */
  type: 'key' | 'shrouded-key' | 'certificate' | 'crl' | 'secret' | 'other';
  /** The bag type OID. */
  oid: string;
  friendlyName?: string;
  /** The localKeyId attribute as uppercase hex. */
  localKeyId?: string;
  /**
   * What protects the bag: its safe's scheme, or for a shrouded key its own, e.g.
   * `PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)` or `pbeWithSHAAnd40BitRC2-CBC`; undefined for a
   * bag in a plain data safe.
   */
  encryption?: string;
  /** The iteration count of that scheme. */
  iterations?: number;
  /** For a certificate bag, the certificate. */
  certificate?: Certificate;
  /** For a key bag whose key certlab cannot import, why (ERR_PKI_KEY_UNSUPPORTED's sentence). */
  unsupported?: string;
}

/**
 * One private key of a PKCS#12 file with its certificate, as {@link readPkcs12} pairs them.
 *
 * @example
 * ```ts
 * for (const { key, certificate, friendlyName } of (await readPkcs12(der, password)).keys)
 *   console.log(friendlyName, certificate?.subject.toWindowsString() ?? '(no certificate)', key.type);
 * ```
 */
export interface Pkcs12KeyEntry {
  key: PrivateKey;
  /**
   * The key's certificate: the one with the same localKeyId and public key, else one with the
   * same public key (each certificate paired once), as Windows pairs them; undefined when the file
   * has none.
   */
  certificate?: Certificate;
  /** The key bag's friendlyName, else its certificate's. */
  friendlyName?: string;
  /** The key bag's localKeyId as uppercase hex. */
  localKeyId?: string;
}

/**
 * What {@link readPkcs12} returns.
 *
 * @example
 * ```ts
 * const { key, certificate, chain, friendlyName } = await readPkcs12(der, password);
 * ```
 */
export interface Pkcs12Contents {
  /**
   * The private key of the file, when it has one; with several, the first (in file order) that
   * has a certificate, else the first. Every key is in {@link Pkcs12Contents.keys}.
   */
  key?: PrivateKey;
  /** The certificate of `key` (see {@link Pkcs12KeyEntry.certificate}), if present. */
  certificate?: Certificate;
  /**
   * Every certificate but `certificate`: its issuers first (by name, upwards), then the rest in
   * file order, including the certificates of the other keys.
   */
  chain: Certificate[];
  /** The friendlyName of the key bag of `key`, else that of its certificate. */
  friendlyName?: string;
  /** Every private key of the file in file order, each with its certificate (key types certlab does not handle are left out). */
  keys: Pkcs12KeyEntry[];
  /** Every bag, in file order. */
  bags: Pkcs12Bag[];
  /** The integrity MAC, or undefined when the file has none (then only decryption checks the password). */
  mac?: { hash: Pkcs12KdfHash; iterations: number };
}

/**
 * Options of {@link readPkcs12}.
 *
 * @example
 * ```ts
 * const opts: Pkcs12ReadOptions = { maxIterations: 100_000 }; // stricter, for untrusted uploads
 * ```
 */
export interface Pkcs12ReadOptions {
  /** Highest iteration count accepted for any one key derivation (default {@link PKCS12_DEFAULT_MAX_ITERATIONS}). */
  maxIterations?: number;
  /**
   * Read a file whose keys are all of a type certlab does not import (RSA-PSS, DSA, secp256k1,
   * Ed448…) instead of failing with ERR_PKI_KEY_UNSUPPORTED: `key` is then undefined, and each
   * such key's bag says why in {@link Pkcs12Bag.unsupported}. For inspecting a file and taking
   * its certificates; an importer that needs the key keeps the default (false).
   */
  skipUnsupportedKeys?: boolean;
}

function bad(msg: string): never {
  throw new PkiError('ERR_PKI_PKCS12_INVALID', msg);
}

function unsupported(msg: string): never {
  throw new PkiError('ERR_PKI_PKCS12_UNSUPPORTED', msg);
}

const WRONG_PASSWORD = 'The password is wrong or the file is damaged (MAC mismatch).';

/** Normalises one encoding level (BER from Windows/Java to DER) and reads it as one element. */
function level(bytes: Uint8Array, expectId?: number): Tlv {
  return readWhole(berToDer(bytes), expectId);
}

/**
 * What to do about a file over the iteration limits, for both audiences: library callers have
 * the maxIterations option, CLI users (who do not) can re-export the file where it came from.
 */
const KDF_LIMIT_ADVICE =
  'If you trust the file, re-export it with fewer iterations (openssl pkcs12 -in OLD.pfx -nodes | openssl pkcs12 -export -iter 2048 -macalg sha256 -out NEW.pfx) or, calling readPkcs12() from code, pass a higher maxIterations option.';

/** Counts key-derivation work against the per-use and per-file limits before it is done. */
class Budget {
  /** Work charged so far, in tenths of a SHA-1 round (see KDF_ROUND_COST_TENTHS). */
  #used = 0n;
  #items = 0;
  constructor(readonly max: number) {}

  /**
   * Checks one derivation of `declared` iterations running `chains` hash chains of `hash`, before
   * it runs. PBKDF2 (native, off the main thread) and the SHA-1 PBEs cost one SHA-1 round each.
   */
  charge(declared: bigint, chains: number, what: string, hash: Pkcs12KdfHash = 'SHA-1'): void {
    if (declared > BigInt(this.max)) {
      throw new PkiError(
        'ERR_PKI_KDF_LIMIT',
        `The PKCS#12 file asks for ${declared} iterations for ${what}, above the limit of ${this.max} iterations per key derivation. ${KDF_LIMIT_ADVICE}`,
      );
    }
    if (++this.#items > MAX_ENCRYPTED_ITEMS)
      throw new PkiError(
        'ERR_PKI_KDF_LIMIT',
        `The PKCS#12 file has more than ${MAX_ENCRYPTED_ITEMS} encrypted items, each needing its own key derivation.`,
      );
    this.#used += declared * BigInt(chains) * BigInt(KDF_ROUND_COST_TENTHS[hash]);
    const total = BigInt(this.max) * BigInt(PKCS12_BUDGET_FACTOR);
    if (this.#used > total * 10n) {
      throw new PkiError(
        'ERR_PKI_KDF_LIMIT',
        `The key derivations of the PKCS#12 file add up to more than certlab's limit of ${total} SHA-1-round equivalents per file (${PKCS12_BUDGET_FACTOR} × ${this.max} iterations; a SHA-384 or SHA-512 round counts about 6.4). ${KDF_LIMIT_ADVICE}`,
      );
    }
  }
}

interface MacInfo {
  hash: Pkcs12KdfHash;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  declared: bigint;
}

function readMacData(t: Tlv): MacInfo {
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const c = Cursor.of(t, T.SEQUENCE);
  const di = Cursor.of(c.next(T.SEQUENCE));
  const alg = readAlgorithmIdentifier(di.next(T.SEQUENCE));
  const digest = readOctetString(di.next());
  di.end('DigestInfo');
  const salt = readOctetString(c.next());
  let declared = 1n;
  if (!c.done()) declared = readBigInt(c.next());
  c.end('MacData');
  if (alg.oid === OID_PBMAC1)
    unsupported(
      `The PKCS#12 file uses a PBMAC1 integrity MAC (RFC 9579, OID ${OID_PBMAC1}), which is not supported yet. Re-export it with an HMAC MAC: openssl pkcs12 -in OLD.pfx -nodes | openssl pkcs12 -export -macalg sha256 -out NEW.pfx`,
    );
  const hash = MAC_HASH[alg.oid];
  if (!hash)
    unsupported(
      `The PKCS#12 file uses an unsupported MAC digest (OID ${alg.oid}); SHA-1, SHA-256, SHA-384 and SHA-512 are supported.`,
    );
  if (alg.params) readNull(alg.params);
  if (declared < 1n) bad('The MAC iteration count of the PKCS#12 file is not positive.');
  if (digest.length !== HASH_BYTES[hash])
    bad(`The ${hash} MAC of the PKCS#12 file has ${digest.length} bytes instead of ${HASH_BYTES[hash]}.`);
  return { hash, digest, salt, iterations: declared > 0x7fffffffn ? 0x7fffffff : Number(declared), declared };
}

/** One safe of the AuthenticatedSafe: plain SafeContents, or an encrypted one. */
type Safe = { kind: 'data'; content: Uint8Array } | { kind: 'encrypted'; pbe: Pbe; ciphertext: Uint8Array };

/** The [0] IMPLICIT OCTET STRING of EncryptedContentInfo, primitive or (BER) constructed. */
function implicitOctets(t: Tlv): Uint8Array {
  if (t.id === 0x80) return contentOf(t);
  // BER constructed form (Windows): the normaliser already joined nested chunks.
  const c = Cursor.of(t);
  const parts: Uint8Array[] = [];
  while (!c.done()) parts.push(readOctetString(c.next(T.OCTET_STRING)));
  return concat(parts);
}

function readSafe(t: Tlv): Safe {
  // ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT ANY } (RFC 2315 §7)
  const c = Cursor.of(t, T.SEQUENCE);
  const type = readOid(c.next(T.OID));
  const wrapper = c.next(0xa0);
  c.end('ContentInfo');
  const w = Cursor.of(wrapper);
  const inner = w.next();
  w.end('ContentInfo content');
  if (type === OID_DATA) return { kind: 'data', content: readOctetString(inner) };
  if (type === OID_ENCRYPTED_DATA) {
    // EncryptedData ::= SEQUENCE { version, encryptedContentInfo, unprotectedAttrs [1] OPTIONAL } (RFC 5652 §8)
    const e = Cursor.of(inner, T.SEQUENCE);
    readBigInt(e.next(T.INTEGER));
    const eci = Cursor.of(e.next(T.SEQUENCE));
    e.optional(0xa1);
    e.end('EncryptedData');
    const ctype = readOid(eci.next(T.OID));
    if (ctype !== OID_DATA) bad(`An encrypted safe holds content of type ${ctype} instead of data.`);
    const pbe = parsePbe(eci.next(T.SEQUENCE));
    const ct = eci.done() ? undefined : eci.next();
    eci.end('EncryptedContentInfo');
    if (!ct || (ct.id !== 0x80 && ct.id !== 0xa0)) bad('An encrypted safe has no encrypted content.');
    return { kind: 'encrypted', pbe, ciphertext: implicitOctets(ct) };
  }
  if (type === OID_ENVELOPED_DATA)
    unsupported(
      `The PKCS#12 file uses public-key privacy mode (envelopedData, OID ${OID_ENVELOPED_DATA}), which is not supported; export it with a password instead.`,
    );
  unsupported(`The PKCS#12 file has a safe of unsupported content type ${type}.`);
}

interface RawBag {
  oid: string;
  value: Tlv;
  friendlyName?: string;
  localKeyId?: Uint8Array;
  encryption?: string;
  iterations?: number;
}

function readAttributes(t: Tlv, bag: RawBag): void {
  const c = Cursor.of(t, T.SET);
  while (!c.done()) {
    const a = Cursor.of(c.next(T.SEQUENCE));
    const type = readOid(a.next(T.OID));
    const values = Cursor.of(a.next(T.SET));
    a.end('PKCS12Attribute');
    if (values.done()) continue;
    const v = values.next();
    if (type === OID_FRIENDLY_NAME && bag.friendlyName === undefined) bag.friendlyName = readString(v);
    else if (type === OID_LOCAL_KEY_ID && bag.localKeyId === undefined) bag.localKeyId = readOctetString(v);
  }
}

/** SafeContents ::= SEQUENCE OF SafeBag (RFC 7292 §4.2), with nested safeContentsBags flattened. */
function readBags(
  content: Uint8Array,
  out: RawBag[],
  protection: Pick<RawBag, 'encryption' | 'iterations'>,
  depth = 0,
): void {
  if (depth > MAX_BAG_DEPTH)
    bad(`The PKCS#12 file nests safeContentsBags deeper than ${MAX_BAG_DEPTH} levels.`);
  const c = Cursor.of(level(content, T.SEQUENCE));
  while (!c.done()) {
    const b = Cursor.of(c.next(T.SEQUENCE));
    const bagOid = readOid(b.next(T.OID));
    const wrapper = Cursor.of(b.next(0xa0));
    const value = wrapper.next();
    wrapper.end('SafeBag value');
    const bag: RawBag = { oid: bagOid, value, ...protection };
    if (!b.done()) readAttributes(b.next(T.SET), bag);
    b.end('SafeBag');
    if (bagOid === BAG.safeContents) {
      // The value is itself a SafeContents, already in this encoding level.
      const inner = value.bytes.subarray(value.start, value.end);
      readBags(inner, out, protection, depth + 1);
      continue;
    }
    out.push(bag);
  }
}

/** Chooses the password encoding that the MAC confirms (RFC 7292 B.1, with the NULL-password quirk). */
async function verifyMac(
  mac: MacInfo,
  password: string,
  authSafe: Uint8Array,
  budget: Budget,
): Promise<PasswordForms> {
  const forms = passwordForms(password);
  const candidates: PasswordForms[] = [forms];
  // An empty password may have been applied as "no password" (an empty BMPString without the NUL
  // terminator): OpenSSL tries both when verifying, Windows writes either.
  if (password === '') candidates.push({ bmp: new Uint8Array(0), utf8: forms.utf8 });
  for (const [i, f] of candidates.entries()) {
    // The first computation was charged with the file's other derivations; the second form is
    // charged only when it has to run, so a file that opens with the first is not refused for
    // work that never happens (an NSS export: 600,000 rounds of SHA-512, an empty password).
    if (i > 0) budget.charge(mac.declared, 1, `the ${mac.hash} MAC (empty password, NULL form)`, mac.hash);
    const got = await computeMac(mac.hash, f.bmp, mac.salt, mac.iterations, authSafe);
    if (equalBytes(got, mac.digest)) return f;
  }
  throw new PkiError('ERR_PKI_PKCS12_PASSWORD', WRONG_PASSWORD);
}

/** Runs a reader step and wraps anything that is not a PkiError (the async twin of guard()). */
async function shield<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PkiError) throw e;
    if (e instanceof TypeError && (e as { certlabMisuse?: boolean }).certlabMisuse) throw e;
    throw new PkiError('ERR_PKI_PKCS12_INVALID', 'The PKCS#12 file is malformed.', { cause: e });
  }
}

/**
 * Reads a PKCS#12 (.pfx / .p12) file: the private key, its certificate and the other
 * certificates. Reads what OpenSSL 1.x/3.x, Windows, NSS and Java write: PBES2 (PBKDF2 with
 * HMAC-SHA1/256/384/512; AES-CBC or DES-EDE3-CBC), pbeWithSHAAnd3-KeyTripleDES-CBC,
 * pbeWithSHAAnd2-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC and pbeWithSHAAnd40BitRC2-CBC;
 * HMAC-SHA1/256/384/512 MACs; DER or BER (indefinite lengths, chunked OCTET STRINGs).
 *
 * The MAC is verified before any decrypted byte is used (PBKDF2 derivations start meanwhile, off
 * the main thread), and every iteration count is checked against `maxIterations` before its
 * derivation runs; the whole file may cost {@link PKCS12_BUDGET_FACTOR} times it (in hash chains).
 * Every key of the file is imported and paired with its certificate (`keys`); `key` and
 * `certificate` are the first pair (see {@link Pkcs12Contents.key}); `bags` lists every bag. An
 * empty password is tried both as RFC 7292 says (00 00) and as a NULL password, as OpenSSL does.
 *
 * Errors: ERR_PKI_PKCS12_PASSWORD for a wrong password
 * (or a damaged file), ERR_PKI_KDF_LIMIT for too many iterations, ERR_PKI_PKCS12_UNSUPPORTED naming
 * the OID of an unsupported algorithm or mode, ERR_PKI_PKCS12_INVALID or an ERR_PKI_DER_* code for
 * malformed input, ERR_PKI_KEY_UNSUPPORTED for a key type certlab does not handle (DSA…).
 *
 * @example
 * ```ts
 * const { key, certificate, chain } = await readPkcs12(new Uint8Array(await readFile('exch01.pfx')), password);
 * console.log(certificate?.subject.toWindowsString(), chain.length);
 * ```
 */
export async function readPkcs12(
  der: Uint8Array,
  password: string,
  options: Pkcs12ReadOptions = {},
): Promise<Pkcs12Contents> {
  if (!(der instanceof Uint8Array)) throw misuse('readPkcs12() needs the file bytes as a Uint8Array.');
  if (typeof password !== 'string') throw misuse('readPkcs12() needs the password as a string.');
  const max = options.maxIterations ?? PKCS12_DEFAULT_MAX_ITERATIONS;
  if (!Number.isSafeInteger(max) || max < 1) throw misuse('maxIterations must be a positive integer.');
  return shield(() => read(der, password, new Budget(max), options.skipUnsupportedKeys === true));
}

/** A shrouded key bag's parsed encryption. */
interface Shrouded {
  pbe: Pbe;
  data: Uint8Array;
}

function readShrouded(value: Tlv): Shrouded {
  return guard('ERR_PKI_PKCS12_INVALID', 'A shrouded key bag', () => {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData } (RFC 5958 §3)
    const c = Cursor.of(value, T.SEQUENCE);
    const pbe = parsePbe(c.next(T.SEQUENCE));
    const data = readOctetString(c.next());
    c.end('EncryptedPrivateKeyInfo');
    return { pbe, data };
  });
}

async function read(
  der: Uint8Array,
  password: string,
  budget: Budget,
  skipUnsupportedKeys: boolean,
): Promise<Pkcs12Contents> {
  // 1. The PFX structure, without any cryptography (RFC 7292 §4).
  const { authSafe, mac } = guard('ERR_PKI_PKCS12_INVALID', 'The PKCS#12 file', () => {
    const pfx = Cursor.of(level(der, T.SEQUENCE));
    const version = readBigInt(pfx.next(T.INTEGER));
    if (version !== 3n)
      unsupported(`The PKCS#12 file has version ${version}; only version 3 (RFC 7292) is supported.`);
    const ci = Cursor.of(pfx.next(T.SEQUENCE));
    const type = readOid(ci.next(T.OID));
    if (type === OID_SIGNED_DATA)
      unsupported(
        `The PKCS#12 file uses public-key integrity mode (signedData, OID ${OID_SIGNED_DATA}), which is not supported; export it with a password instead.`,
      );
    if (type !== OID_DATA) bad(`The PKCS#12 authSafe has content type ${type} instead of data.`);
    const w = Cursor.of(ci.next(0xa0));
    const authSafe = readOctetString(w.next());
    w.end('authSafe content');
    ci.end('authSafe');
    const mac = pfx.done() ? undefined : readMacData(pfx.next(T.SEQUENCE));
    pfx.end('PFX');
    return { authSafe, mac };
  });
  // An empty password may take a second MAC computation: verifyMac charges it if it runs.
  if (mac) budget.charge(mac.declared, 1, `the ${mac.hash} MAC`, mac.hash);

  // 2. The authenticated content: safes, the bags of plain safes, and the iteration counts of
  //    everything visible before decryption, checked now. A parse error here waits for the MAC:
  //    when the MAC fails, the file is damaged or the password wrong, and that is the answer.
  let parsed:
    | { safes: Safe[]; bagLists: (RawBag[] | undefined)[]; plainKeys: Map<RawBag, Shrouded | undefined> }
    | undefined;
  let parseError: unknown;
  try {
    parsed = guard('ERR_PKI_PKCS12_INVALID', 'The PKCS#12 content', () => {
      const list = Cursor.of(level(authSafe, T.SEQUENCE));
      const safes: Safe[] = [];
      while (!list.done()) safes.push(readSafe(list.next(T.SEQUENCE)));
      const bagLists = safes.map((s) => {
        if (s.kind !== 'data') return undefined;
        const out: RawBag[] = [];
        readBags(s.content, out, {});
        return out;
      });
      // Every key bag of the plain safes (a Java keystore holds one per entry), not only the first.
      const plainKeys = new Map<RawBag, Shrouded | undefined>();
      for (const b of bagLists.flatMap((l) => l ?? []))
        if (b.oid === BAG.shroudedKey || b.oid === BAG.key)
          plainKeys.set(b, b.oid === BAG.shroudedKey ? readShrouded(b.value) : undefined);
      return { safes, bagLists, plainKeys };
    });
  } catch (e) {
    if (!mac) throw e;
    parseError = e;
  }
  // Without a MAC, an empty password that fails a PKCS#12 PBE is tried again in its NULL form
  // (see decrypt below): such a derivation may run twice, and is charged twice.
  const chainsOf = (pbe: Pbe) => pbe.chains * (!mac && password === '' && pbe.pkcs12 ? 2 : 1);
  if (parsed) {
    for (const s of parsed.safes)
      if (s.kind === 'encrypted')
        budget.charge(s.pbe.declaredIterations, chainsOf(s.pbe), `a ${s.pbe.name} safe`);
    for (const shrouded of parsed.plainKeys.values())
      if (shrouded)
        budget.charge(
          shrouded.pbe.declaredIterations,
          chainsOf(shrouded.pbe),
          `a ${shrouded.pbe.name} key bag`,
        );
  }

  // 3. Start the PBES2 derivations now: PBKDF2 runs off the main thread in WebCrypto while the
  //    MAC's PKCS#12 KDF runs on it. Nothing they return is used before the MAC is verified.
  let forms = passwordForms(password);
  const early = new Map<Uint8Array, Promise<Uint8Array | undefined>>();
  const start = (pbe: Pbe, data: Uint8Array) => {
    if (pbe.kdf !== 'pbkdf2') return;
    const p = pbeDecrypt(pbe, data, forms);
    p.catch(() => undefined); // awaited later, or abandoned when the MAC fails
    early.set(data, p);
  };
  for (const s of parsed?.safes ?? []) if (s.kind === 'encrypted') start(s.pbe, s.ciphertext);
  for (const shrouded of parsed?.plainKeys.values() ?? []) if (shrouded) start(shrouded.pbe, shrouded.data);

  // 4. Integrity (RFC 7292 §5.2), which also tells whether the password is right.
  if (mac) forms = await verifyMac(mac, password, authSafe, budget);
  if (!parsed) throw parseError;
  const { safes, bagLists, plainKeys } = parsed;

  // 5. Decryption. Without a MAC, a failed decryption is the only sign of a wrong password.
  const wrongOrDamaged = (what: string): PkiError =>
    mac
      ? new PkiError(
          'ERR_PKI_PKCS12_INVALID',
          `The ${what} does not decrypt although the MAC is right: the file is damaged or was written by a non-conforming tool.`,
        )
      : new PkiError(
          'ERR_PKI_PKCS12_PASSWORD',
          'The password is wrong or the file is damaged (it has no MAC to tell which).',
        );
  const decrypt = async (pbe: Pbe, data: Uint8Array, what: string): Promise<Uint8Array> => {
    const plain = await (early.get(data) ?? pbeDecrypt(pbe, data, forms));
    if (plain) return plain;
    if (!mac && password === '' && pbe.pkcs12) {
      // No MAC to choose the empty-password form: try the NULL form too (see verifyMac).
      const alt = { bmp: new Uint8Array(0), utf8: forms.utf8 };
      const again = await pbeDecrypt(pbe, data, alt);
      if (again) {
        forms = alt;
        return again;
      }
    }
    throw wrongOrDamaged(what);
  };
  const toKey = async (bag: RawBag, shrouded: Shrouded | undefined): Promise<PrivateKey> => {
    const pkcs8 = shrouded
      ? await decrypt(shrouded.pbe, shrouded.data, `private key (${shrouded.pbe.name})`)
      : encodingOf(bag.value);
    try {
      return await importPrivateKey(guard('ERR_PKI_PKCS12_INVALID', 'A key bag', () => berToDer(pkcs8)));
    } catch (e) {
      if (e instanceof PkiError && e.code === 'ERR_PKI_KEY_UNSUPPORTED') throw e;
      if (!mac && shrouded) throw wrongOrDamaged('private key');
      throw new PkiError(
        'ERR_PKI_PKCS12_INVALID',
        `The private key in the PKCS#12 file is invalid: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    } finally {
      if (shrouded) pkcs8.fill(0);
    }
  };
  // The keys of the plain safes are decrypted and imported while the encrypted safes are.
  const plainKeyPromises = new Map<RawBag, Promise<PrivateKey>>();
  for (const [bag, shrouded] of plainKeys) {
    const p = toKey(bag, shrouded);
    p.catch(() => undefined);
    plainKeyPromises.set(bag, p);
  }
  await Promise.all(
    safes.map(async (s, i) => {
      if (s.kind !== 'encrypted') return;
      const plain = await decrypt(s.pbe, s.ciphertext, `encrypted safe (${s.pbe.name})`);
      const out: RawBag[] = [];
      guard('ERR_PKI_PKCS12_INVALID', 'A decrypted PKCS#12 safe', () => {
        try {
          readBags(plain, out, { encryption: s.pbe.name, iterations: s.pbe.iterations });
        } catch (e) {
          // Without a MAC, garbage after a lucky padding check means a wrong password.
          if (!mac && e instanceof PkiError && e.code.startsWith('ERR_PKI_DER'))
            throw wrongOrDamaged('encrypted safe');
          throw e;
        }
      });
      bagLists[i] = out;
    }),
  );

  // 6. The bags in file order; every key is imported (a file may hold several, each with its
  //    own certificate: a Java keystore with two entries, a Windows export of several certificates).
  const raw = bagLists.flatMap((l) => l ?? []);
  const bags: Pkcs12Bag[] = [];
  const keys: { key: PrivateKey; localKeyId?: Uint8Array; friendlyName?: string }[] = [];
  const certs: { cert: Certificate; localKeyId?: Uint8Array; friendlyName?: string }[] = [];
  let unsupportedKey: PkiError | undefined;
  for (const r of raw) {
    const summary: Pkcs12Bag = { type: 'other', oid: r.oid };
    if (r.friendlyName !== undefined) summary.friendlyName = r.friendlyName;
    if (r.localKeyId) summary.localKeyId = toHex(r.localKeyId, true);
    if (r.encryption) {
      summary.encryption = r.encryption;
      summary.iterations = r.iterations!;
    }
    bags.push(summary);
    if (r.oid === BAG.key || r.oid === BAG.shroudedKey) {
      summary.type = r.oid === BAG.key ? 'key' : 'shrouded-key';
      const plain = plainKeyPromises.get(r);
      const shrouded = plain
        ? plainKeys.get(r)
        : r.oid === BAG.shroudedKey
          ? readShrouded(r.value)
          : undefined;
      if (shrouded) {
        summary.encryption = shrouded.pbe.name;
        summary.iterations = shrouded.pbe.iterations;
      }
      let key: PrivateKey;
      try {
        if (plain) key = await plain;
        else {
          // A key inside an encrypted safe (rare: most writers put keys in a plain one).
          if (shrouded)
            budget.charge(
              shrouded.pbe.declaredIterations,
              chainsOf(shrouded.pbe),
              `a ${shrouded.pbe.name} key bag`,
            );
          key = await toKey(r, shrouded);
        }
      } catch (e) {
        // A key type certlab does not handle (DSA…) next to keys it does: the others are still
        // usable; the bag stays listed. Thrown below when no key at all could be imported.
        if (e instanceof PkiError && e.code === 'ERR_PKI_KEY_UNSUPPORTED') {
          unsupportedKey ??= e;
          summary.unsupported = e.message;
          continue;
        }
        throw e;
      }
      const entry: (typeof keys)[number] = { key };
      if (r.localKeyId) entry.localKeyId = r.localKeyId;
      if (r.friendlyName !== undefined) entry.friendlyName = r.friendlyName;
      keys.push(entry);
    } else if (r.oid === BAG.certificate) {
      const cert = readCertBag(r.value);
      if (!cert) continue;
      summary.type = 'certificate';
      summary.certificate = cert;
      certs.push({ cert, localKeyId: r.localKeyId, friendlyName: r.friendlyName });
    } else if (r.oid === BAG.crl) summary.type = 'crl';
    else if (r.oid === BAG.secret) summary.type = 'secret';
  }
  if (keys.length === 0 && unsupportedKey && !skipUnsupportedKeys) throw unsupportedKey;

  // 7. Each key's certificate, as Windows' PFXImportCertStore pairs them: the certificate with the
  //    same localKeyId (RFC 7292 §4.2, PKCS #9 attribute) first, else one with the same public key;
  //    a certificate is paired once. The public key must match either way.
  const samePublicKey = (c: (typeof certs)[number], k: (typeof keys)[number]): boolean => {
    try {
      return c.cert.publicKey.equals(k.key.publicKey);
    } catch {
      return false;
    }
  };
  const paired = new Map<(typeof keys)[number], (typeof certs)[number]>();
  const taken = new Set<(typeof certs)[number]>();
  for (const k of keys) {
    if (!k.localKeyId) continue;
    const c = certs.find(
      (c) => !taken.has(c) && c.localKeyId && equalBytes(c.localKeyId, k.localKeyId!) && samePublicKey(c, k),
    );
    if (c) {
      paired.set(k, c);
      taken.add(c);
    }
  }
  for (const k of keys) {
    if (paired.has(k)) continue;
    const c = certs.find((c) => !taken.has(c) && samePublicKey(c, k));
    if (c) {
      paired.set(k, c);
      taken.add(c);
    }
  }
  const entries: Pkcs12KeyEntry[] = keys.map((k) => {
    const e: Pkcs12KeyEntry = { key: k.key };
    const c = paired.get(k);
    if (c) e.certificate = c.cert;
    const name = k.friendlyName ?? c?.friendlyName;
    if (name !== undefined) e.friendlyName = name;
    if (k.localKeyId) e.localKeyId = toHex(k.localKeyId, true);
    return e;
  });

  // The key of the single-key fields: the first key that has a certificate, else the first key.
  const chosen = keys.find((k) => paired.has(k)) ?? keys[0];
  const leaf = chosen ? paired.get(chosen) : undefined;
  const rest = certs.filter((c) => c !== leaf).map((c) => c.cert);
  const out: Pkcs12Contents = { chain: orderChain(leaf?.cert, rest), bags, keys: entries };
  if (chosen) out.key = chosen.key;
  if (leaf) out.certificate = leaf.cert;
  const name = chosen?.friendlyName ?? leaf?.friendlyName;
  if (name !== undefined) out.friendlyName = name;
  if (mac) out.mac = { hash: mac.hash, iterations: mac.iterations };
  return out;
}

/** A certificate bag's X.509 certificate, or undefined for other certificate types (sdsiCertificate). */
function readCertBag(value: Tlv): Certificate | undefined {
  return guard('ERR_PKI_PKCS12_INVALID', 'A certificate bag', () => {
    // CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT } (RFC 7292 §4.2.3)
    const c = Cursor.of(value, T.SEQUENCE);
    const certId = readOid(c.next(T.OID));
    const w = Cursor.of(c.next(0xa0));
    const v = w.next();
    w.end('certValue');
    c.end('CertBag');
    if (certId !== OID_X509_CERTIFICATE) return undefined;
    const bytes = readOctetString(v);
    try {
      return parseCertificate(bytes.slice());
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new PkiError(
        'ERR_PKI_PKCS12_INVALID',
        `A certificate bag holds an invalid certificate: ${detail}`,
        {
          cause: e,
        },
      );
    }
  });
}

/** The leaf's issuers first (by issuer name, upwards, stopping at a self-issued one), then the rest in file order. */
function orderChain(leaf: Certificate | undefined, rest: Certificate[]): Certificate[] {
  const left = [...rest];
  const out: Certificate[] = [];
  let cur = leaf;
  while (cur && left.length > 0) {
    let issuerName: Name;
    try {
      if (cur.isSelfIssued) break;
      issuerName = cur.issuer;
    } catch {
      break;
    }
    const i = left.findIndex((c) => {
      try {
        return c.subject.equals(issuerName);
      } catch {
        return false;
      }
    });
    if (i < 0) break;
    cur = left.splice(i, 1)[0]!;
    out.push(cur);
  }
  return out.concat(left);
}
