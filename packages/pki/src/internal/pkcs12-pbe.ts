// Password-based encryption inside PKCS#12 files: the PKCS#12 PBE schemes of RFC 7292 Appendix
// C (pbeWithSHAAnd3-KeyTripleDES-CBC and friends, key and IV from the Appendix B KDF with SHA-1)
// and PBES2 (RFC 8018 §6.2, PBKDF2 and a block cipher), for both encrypted safes (EncryptedData)
// and pkcs8ShroudedKeyBags (EncryptedPrivateKeyInfo).
//
// Password encodings differ by scheme, and follow OpenSSL (crypto/pkcs12/p12_decr.c, p12_key.c):
// the PKCS#12 KDF takes the BMPString form with a NUL terminator (RFC 7292 B.1), while PBKDF2
// takes the password's UTF-8 bytes (RFC 8018 §4.2 leaves the encoding to the application; UTF-8
// is what OpenSSL, Windows, Java and current NSS use, and what RFC 9579 §5 recommends).
//
// New files are encrypted with PBES2 through ./pkcs8-encryption.ts (PBKDF2-HMAC-SHA256,
// AES-256-CBC), or for the legacy profile with pbeWithSHAAnd3-KeyTripleDES-CBC.

import { randomBytes, subtleFor } from '../crypto-provider.js';
import { PkiError } from '../errors.js';
import { utf8 } from './bytes.js';
import {
  Cursor,
  contentOf,
  encodingOf,
  int,
  octets,
  oid,
  readAlgorithmIdentifier,
  readBigInt,
  readNull,
  readOctetString,
  readSmallInt,
  readWhole,
  seq,
  T,
  type Tlv,
} from './der.js';
import { encryptPkcs8 } from './pkcs8-encryption.js';
import { bmpPassword, KDF_IV, KDF_KEY, pkcs12KdfSync } from './pkcs12-kdf.js';
import { rc2CbcDecrypt } from './rc2.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './triple-des.js';
import { bufferSource, webcrypto } from './webcrypto.js';

export const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';

/** RFC 7292 Appendix C: the PKCS#12 PBE schemes, all with SHA-1 in the Appendix B KDF. */
const PKCS12_PBE: Record<string, { name: string; cipher: 'des-ede' | 'rc2' | 'rc4'; keyBytes: number }> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4', cipher: 'rc4', keyBytes: 16 },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4', cipher: 'rc4', keyBytes: 5 },
  [OID_PBE_SHA1_3DES]: { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', cipher: 'des-ede', keyBytes: 24 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', cipher: 'des-ede', keyBytes: 16 },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC', cipher: 'rc2', keyBytes: 16 },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', cipher: 'rc2', keyBytes: 5 },
};

/** PBES1 (RFC 8018 §6.1) schemes, named in errors: single DES and RC2-64 are not worth supporting. */
const PBES1: Record<string, string> = {
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
};

type PrfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** PBKDF2 PRFs (RFC 8018 §B.1); hmacWithSHA1 is the DEFAULT. */
const PRF: Record<string, PrfHash> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};
const PRF_BYTES: Record<PrfHash, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const PRF_UNSUPPORTED: Record<string, string> = {
  '1.2.840.113549.2.8': 'hmacWithSHA224',
  '1.2.840.113549.2.12': 'hmacWithSHA512-224',
  '1.2.840.113549.2.13': 'hmacWithSHA512-256',
};

/** PBES2 ciphers: AES-CBC (RFC 3565 §4.1) and DES-EDE3-CBC (RFC 8018 §B.2.2). */
const PBES2_CIPHER: Record<string, { name: string; keyBytes: number; ivBytes: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'AES-128-CBC', keyBytes: 16, ivBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'AES-192-CBC', keyBytes: 24, ivBytes: 16 },
  '2.16.840.1.101.3.4.1.42': { name: 'AES-256-CBC', keyBytes: 32, ivBytes: 16 },
  '1.2.840.113549.3.7': { name: 'DES-EDE3-CBC', keyBytes: 24, ivBytes: 8 },
};

/** Which key derivation a scheme runs, for the iteration limits. */
export type KdfKind = 'pkcs12' | 'pbkdf2';

/** A parsed password-based encryption AlgorithmIdentifier, checked but not yet run. */
export interface Pbe {
  readonly oid: string;
  /** Human-readable, e.g. "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)". */
  readonly name: string;
  readonly kdf: KdfKind;
  readonly iterations: number;
  /** How many times the KDF's hash chain runs (the PKCS#12 KDF repeats it per output block). */
  readonly chains: number;
  /** The declared iteration count, which may exceed 2^31 (checked against the limit later). */
  readonly declaredIterations: bigint;
  readonly salt: Uint8Array;
  readonly pkcs12?: { cipher: 'des-ede' | 'rc2'; keyBytes: number };
  readonly pbes2?: { prf: PrfHash; cipher: string; keyBytes: number; iv: Uint8Array };
}

function unsupported(msg: string): never {
  throw new PkiError('ERR_PKI_PKCS12_UNSUPPORTED', msg);
}

function invalid(msg: string): never {
  throw new PkiError('ERR_PKI_PKCS12_INVALID', msg);
}

const REEXPORT =
  'Re-export the file with current algorithms, e.g. `openssl pkcs12 -legacy -in OLD.pfx -nodes | openssl pkcs12 -export -out NEW.pfx`.';

/** A positive iteration count; huge values are kept as bigints so that the limit, not the DER reader, reports them. */
function readIterations(t: Tlv, what: string): { n: number; declared: bigint } {
  const v = readBigInt(t);
  if (v < 1n) invalid(`The ${what} iteration count is not positive.`);
  return { n: v > 0x7fffffffn ? 0x7fffffff : Number(v), declared: v };
}

/**
 * Parses a PKCS#12 PBE or PBES2 AlgorithmIdentifier. Unsupported schemes give
 * ERR_PKI_PKCS12_UNSUPPORTED naming the OID; malformed parameters ERR_PKI_PKCS12_INVALID.
 */
export function parsePbe(algorithm: Tlv): Pbe {
  const alg = readAlgorithmIdentifier(algorithm);
  const p12 = PKCS12_PBE[alg.oid];
  if (p12) {
    if (p12.cipher === 'rc4')
      unsupported(
        `The PKCS#12 file is encrypted with ${p12.name} (OID ${alg.oid}), which is not supported. ${REEXPORT}`,
      );
    if (!alg.params) invalid(`The ${p12.name} parameters are missing (RFC 7292 Appendix C).`);
    // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 Appendix C)
    const c = Cursor.of(alg.params, T.SEQUENCE);
    const salt = readOctetString(c.next());
    const it = readIterations(c.next(), p12.name);
    c.end('pkcs-12PbeParams');
    // SHA-1 gives 20 bytes per chain: the key needs ceil(keyBytes / 20) chains, the 8-byte IV one.
    const chains = Math.ceil(p12.keyBytes / 20) + 1;
    return {
      oid: alg.oid,
      name: p12.name,
      kdf: 'pkcs12',
      iterations: it.n,
      declaredIterations: it.declared,
      chains,
      salt,
      pkcs12: { cipher: p12.cipher, keyBytes: p12.keyBytes },
    };
  }
  if (alg.oid === OID_PBES2) return parsePbes2(alg.params);
  const pbes1 = PBES1[alg.oid];
  unsupported(
    pbes1
      ? `The PKCS#12 file is encrypted with PBES1 ${pbes1} (OID ${alg.oid}), which is not supported. ${REEXPORT}`
      : `The PKCS#12 file is encrypted with an unsupported algorithm (OID ${alg.oid}). ${REEXPORT}`,
  );
}

function parsePbes2(params: Tlv | undefined): Pbe {
  if (!params) invalid('The PBES2 parameters are missing (RFC 8018 §A.4).');
  // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme } (RFC 8018 §A.4)
  const p = Cursor.of(params, T.SEQUENCE);
  const kdf = readAlgorithmIdentifier(p.next(T.SEQUENCE));
  const enc = readAlgorithmIdentifier(p.next(T.SEQUENCE));
  p.end('PBES2-params');
  if (kdf.oid !== OID_PBKDF2)
    unsupported(
      `The PKCS#12 file uses PBES2 with the key derivation function OID ${kdf.oid}; only PBKDF2 is supported. ${REEXPORT}`,
    );
  const cipher = PBES2_CIPHER[enc.oid];
  if (!cipher)
    unsupported(
      `The PKCS#12 file uses PBES2 with the cipher OID ${enc.oid}; AES-CBC and DES-EDE3-CBC are supported. ${REEXPORT}`,
    );
  if (!enc.params || enc.params.id !== T.OCTET_STRING)
    invalid(`The ${cipher.name} initialisation vector is missing (RFC 8018 §B.2).`);
  const iv = readOctetString(enc.params);
  if (iv.length !== cipher.ivBytes)
    invalid(`The ${cipher.name} initialisation vector has ${iv.length} bytes instead of ${cipher.ivBytes}.`);
  if (!kdf.params) invalid('The PBKDF2 parameters are missing (RFC 8018 §A.2).');
  // PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, otherSource }, iterationCount,
  //   keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 } (RFC 8018 §A.2)
  const k = Cursor.of(kdf.params, T.SEQUENCE);
  const saltTlv = k.next();
  if (saltTlv.id !== T.OCTET_STRING)
    unsupported(`The PKCS#12 file uses a PBKDF2 salt from another source (not an OCTET STRING). ${REEXPORT}`);
  const salt = readOctetString(saltTlv);
  const it = readIterations(k.next(), 'PBKDF2');
  if (k.peek() === T.INTEGER) {
    const len = readSmallInt(k.next());
    if (len !== cipher.keyBytes)
      invalid(
        `The PBKDF2 key length (${len}) does not match the ${cipher.name} key size (${cipher.keyBytes}).`,
      );
  }
  let prf: PrfHash = 'SHA-1';
  if (!k.done()) {
    const a = readAlgorithmIdentifier(k.next(T.SEQUENCE));
    if (a.params) readNull(a.params);
    const h = PRF[a.oid];
    if (!h) {
      const name = PRF_UNSUPPORTED[a.oid];
      unsupported(
        `The PKCS#12 file uses PBKDF2 with ${name ? `${name} (OID ${a.oid})` : `the PRF OID ${a.oid}`}, which WebCrypto does not provide. ${REEXPORT}`,
      );
    }
    prf = h;
  }
  k.end('PBKDF2-params');
  return {
    oid: OID_PBES2,
    name: `PBES2 (PBKDF2-HMAC-${prf}, ${cipher.name})`,
    kdf: 'pbkdf2',
    iterations: it.n,
    declaredIterations: it.declared,
    // PBKDF2 runs one HMAC chain per output block (RFC 8018 §5.2): AES-256 from SHA-1 needs two.
    chains: Math.ceil(cipher.keyBytes / PRF_BYTES[prf]),
    salt,
    pbes2: { prf, cipher: cipher.name, keyBytes: cipher.keyBytes, iv },
  };
}

/** The encodings of one password that the schemes use. */
export interface PasswordForms {
  /** BMPString with NUL terminator for the PKCS#12 KDF (or empty for a NULL password). */
  readonly bmp: Uint8Array;
  /** UTF-8 for PBKDF2. */
  readonly utf8: Uint8Array;
}

/** The standard encodings of `password`. */
export function passwordForms(password: string): PasswordForms {
  return { bmp: bmpPassword(password), utf8: utf8(password) };
}

async function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  hash: PrfHash,
  bytes: number,
): Promise<Uint8Array> {
  const subtle = await subtleFor('PBKDF2');
  return webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `PBKDF2 with HMAC-${hash} failed in WebCrypto.`,
    async () => {
      const base = await subtle.importKey('raw', bufferSource(password), 'PBKDF2', false, ['deriveBits']);
      const bits = await subtle.deriveBits(
        { name: 'PBKDF2', salt: bufferSource(salt), iterations, hash },
        base,
        bytes * 8,
      );
      return new Uint8Array(bits);
    },
  );
}

/**
 * Decrypts `data` with the scheme `pbe`. Returns undefined when the padding is wrong, which
 * means a wrong password or damaged data; the caller decides which to report.
 */
export async function pbeDecrypt(
  pbe: Pbe,
  data: Uint8Array,
  pw: PasswordForms,
): Promise<Uint8Array | undefined> {
  if (pbe.pkcs12) {
    const { cipher, keyBytes } = pbe.pkcs12;
    // RFC 7292 B.2 with ID 1 for the key and ID 2 for the IV; the IV is always 8 bytes here.
    const key = pkcs12KdfSync('SHA-1', pw.bmp, pbe.salt, KDF_KEY, pbe.iterations, keyBytes);
    const iv = pkcs12KdfSync('SHA-1', pw.bmp, pbe.salt, KDF_IV, pbe.iterations, 8);
    return cipher === 'des-ede'
      ? tripleDesCbcDecrypt(key, iv, data)
      : rc2CbcDecrypt(key, keyBytes * 8, iv, data);
  }
  const p = pbe.pbes2!;
  const raw = await pbkdf2(pw.utf8, pbe.salt, pbe.iterations, p.prf, p.keyBytes);
  if (p.cipher === 'DES-EDE3-CBC') return tripleDesCbcDecrypt(raw, p.iv, data);
  if (data.length === 0 || data.length % 16 !== 0) return undefined;
  const aes = await subtleFor('AES-CBC');
  const key = await webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `${p.cipher} is not available in WebCrypto.`,
    () => aes.importKey('raw', bufferSource(raw), 'AES-CBC', false, ['decrypt']),
  );
  try {
    return new Uint8Array(
      await aes.decrypt({ name: 'AES-CBC', iv: bufferSource(p.iv) }, key, bufferSource(data)),
    );
  } catch {
    // WebCrypto reports bad PKCS#7 padding as an OperationError: a wrong key, or damaged data.
    return undefined;
  }
}

/** An encryption result: the AlgorithmIdentifier DER and the ciphertext. */
export interface PbeOutput {
  readonly algorithm: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * Encrypts for a new file. 'modern': PBES2 with PBKDF2-HMAC-SHA256 (16-byte salt) and
 * AES-256-CBC, by the same code as encrypted PKCS#8 keys. 'legacy':
 * pbeWithSHAAnd3-KeyTripleDES-CBC with an 8-byte salt, as OpenSSL's `-legacy` and Windows'
 * "TripleDES-SHA1" export write it.
 */
export async function pbeEncrypt(
  profile: 'modern' | 'legacy',
  plain: Uint8Array,
  password: string,
  iterations: number,
): Promise<PbeOutput> {
  if (profile === 'modern') {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
    const epki = await encryptPkcs8(plain, password, iterations);
    const c = Cursor.of(readWhole(epki, T.SEQUENCE));
    const algorithm = encodingOf(c.next(T.SEQUENCE));
    const ciphertext = contentOf(c.next(T.OCTET_STRING));
    return { algorithm, ciphertext };
  }
  const salt = randomBytes(8);
  const bmp = bmpPassword(password);
  const key = pkcs12KdfSync('SHA-1', bmp, salt, KDF_KEY, iterations, 24);
  const iv = pkcs12KdfSync('SHA-1', bmp, salt, KDF_IV, iterations, 8);
  return {
    algorithm: seq(oid(OID_PBE_SHA1_3DES), seq(octets(salt), int(iterations))),
    ciphertext: tripleDesCbcEncrypt(key, iv, plain),
  };
}
