// EncryptedPrivateKeyInfo (RFC 5958 §3) with PBES2 (RFC 8018 §6.2): PBKDF2 (§5.2) and AES-CBC
// (RFC 3565 §4.1 OIDs). This is what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes and what every
// current tool reads. Older key files are read too, never written: the PKCS#12 PBE schemes with
// 3DES or RC2 (RFC 7292 Appendix C; OpenSSL 1.x's `pkcs8 -topk8` wrote pbeWithSHAAnd3-KeyTripleDES-CBC
// by default, `-v1 PBE-SHA1-RC2-40` the weakest) and PBES2 with DES-EDE3-CBC (`-v2 des3`), through
// the PKCS#12 code that .pfx files need anyway. PBES1 (single DES, RC2-64) and RC4 are refused
// with a way out.

import { randomBytes, subtleFor } from '../crypto-provider.js';
import { PkiError } from '../errors.js';
import { utf8 } from './bytes.js';
import {
  Cursor,
  int,
  nul,
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
} from './der.js';
import { parsePkcs8 } from './key-der.js';
import { type Pbe, parsePbe, passwordForms, pbeDecrypt } from './pkcs12-pbe.js';
import { bufferSource, webcrypto } from './webcrypto.js';

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11';

type PrfHash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** PBKDF2 PRFs (RFC 8018 §B.1): hmacWithSHA1 is the DEFAULT when the field is absent. */
const PRF_BY_OID: Record<string, PrfHash> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.8': 'SHA-224',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';

/** AES-CBC with a 16-byte IV as parameters (RFC 3565 §4.1; NIST CSOR OIDs). */
const AES_CBC_BY_OID: Record<string, number> = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 24,
  '2.16.840.1.101.3.4.1.42': 32,
};
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

const REENCRYPT_COMMAND = 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem';
const REENCRYPT = `Re-encrypt it with PBES2 and AES: ${REENCRYPT_COMMAND}`;

/** Legacy schemes we recognise, to name them in the error. */
const LEGACY: Record<string, string> = {
  '1.2.840.113549.1.5.1': 'PBES1 pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'PBES1 pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'PBES1 pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'PBES1 pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'PBES1 pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'PBES1 pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.12.1.1': 'PKCS#12 pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'PKCS#12 pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'PKCS#12 pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'PKCS#12 pbeWithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.3.7': 'DES-EDE3-CBC',
  '1.3.14.3.2.7': 'DES-CBC',
  '1.2.840.113549.3.2': 'RC2-CBC',
  [OID_SCRYPT]: 'scrypt',
};

function unsupported(oidStr: string, what: string): never {
  const name = LEGACY[oidStr];
  throw new PkiError(
    'ERR_PKI_KEY_UNSUPPORTED',
    `The private key is encrypted with ${name ? `${name} (OID ${oidStr})` : `an unsupported ${what} (OID ${oidStr})`}; certlab reads PBES2 with PBKDF2 and AES-CBC or 3DES, and the PKCS #12 schemes with 3DES or RC2. ${REENCRYPT}`,
  );
}

function invalid(msg: string): never {
  throw new PkiError('ERR_PKI_KEY_INVALID', msg);
}

/** The default PBKDF2 iteration count for new files: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;
/** The default cap on iterations when reading, so that a crafted file cannot stall us. */
export const DEFAULT_MAX_ITERATIONS = 10_000_000;

interface Pbes2 {
  salt: Uint8Array;
  iterations: number;
  prf: PrfHash;
  keyBytes: number;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/** Parses EncryptedPrivateKeyInfo and its PBES2 parameters, enforcing `maxIterations` before any work. */
function parseEncrypted(der: Uint8Array, maxIterations: number): Pbes2 {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const scheme = readAlgorithmIdentifier(c.next(T.SEQUENCE));
  const ciphertext = readOctetString(c.next());
  c.end('EncryptedPrivateKeyInfo');
  if (scheme.oid !== OID_PBES2) unsupported(scheme.oid, 'encryption scheme');
  if (!scheme.params) invalid('The encrypted private key lacks its PBES2 parameters (RFC 8018 §A.4).');

  // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme } (RFC 8018 §A.4)
  const p = Cursor.of(scheme.params, T.SEQUENCE);
  const kdf = readAlgorithmIdentifier(p.next(T.SEQUENCE));
  const enc = readAlgorithmIdentifier(p.next(T.SEQUENCE));
  p.end('PBES2-params');

  if (kdf.oid !== OID_PBKDF2) unsupported(kdf.oid, 'key derivation function');
  if (!kdf.params) invalid('The encrypted private key lacks its PBKDF2 parameters (RFC 8018 §A.2).');
  const keyBytes = AES_CBC_BY_OID[enc.oid];
  if (keyBytes === undefined) unsupported(enc.oid, 'cipher');
  if (!enc.params) invalid('The encrypted private key lacks its AES-CBC initialisation vector.');
  const iv = readOctetString(enc.params);
  if (iv.length !== 16)
    invalid(`The AES-CBC initialisation vector has ${iv.length} bytes instead of 16 (RFC 3565 §4.1).`);

  // PBKDF2-params ::= SEQUENCE { salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const k = Cursor.of(kdf.params, T.SEQUENCE);
  const saltTlv = k.next();
  if (saltTlv.id !== T.OCTET_STRING) {
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      `The encrypted private key uses a PBKDF2 salt that is not an OCTET STRING (otherSource), which is not supported. ${REENCRYPT}`,
    );
  }
  const salt = readOctetString(saltTlv);
  // Read as a bigint so that a huge count reports the limit, not a DER error.
  const iterations = readBigInt(k.next());
  if (iterations < 1n) invalid('The PBKDF2 iteration count of the encrypted private key is not positive.');
  if (iterations > BigInt(maxIterations)) {
    throw new PkiError(
      'ERR_PKI_KDF_LIMIT',
      `The encrypted private key asks for ${iterations} PBKDF2 iterations, above the limit of ${maxIterations}. If you trust the file, raise the limit with the maxIterations option.`,
    );
  }
  if (k.peek() === T.INTEGER) {
    const len = readSmallInt(k.next());
    if (len !== keyBytes)
      invalid(`The PBKDF2 key length (${len}) does not match the AES key size (${keyBytes}).`);
  }
  let prf: PrfHash = 'SHA-1';
  if (!k.done()) {
    const alg = readAlgorithmIdentifier(k.next(T.SEQUENCE));
    if (alg.params) readNull(alg.params);
    const hash = PRF_BY_OID[alg.oid];
    if (!hash) {
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        `The encrypted private key uses PBKDF2 with the unsupported PRF OID ${alg.oid}. ${REENCRYPT} -v2prf hmacWithSHA256`,
      );
    }
    prf = hash;
  }
  k.end('PBKDF2-params');
  return { salt, iterations: Number(iterations), prf, keyBytes, iv, ciphertext };
}

/** True when `der` looks like EncryptedPrivateKeyInfo (SEQUENCE { SEQUENCE, OCTET STRING }). */
export function isEncryptedPkcs8(der: Uint8Array): boolean {
  try {
    const c = Cursor.of(readWhole(der, T.SEQUENCE));
    return c.next().id === T.SEQUENCE && c.next().id === T.OCTET_STRING && c.done();
  } catch {
    return false;
  }
}

async function deriveAesKey(
  password: string,
  salt: Uint8Array,
  iterations: number,
  prf: PrfHash,
  keyBytes: number,
  usage: KeyUsage,
): Promise<CryptoKey> {
  const aes = await subtleFor('AES-CBC');
  let raw: Uint8Array;
  if (prf === 'SHA-224') {
    // WebCrypto has no SHA-224, and a PRF in plain JS would make the iteration count a CPU
    // hazard; the PRF is rare enough to ask for a re-encryption instead.
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      'This key is encrypted with PBKDF2-HMAC-SHA224, which WebCrypto does not provide. Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256`.',
    );
  } else {
    const subtle = await subtleFor('PBKDF2');
    raw = await webcrypto(
      'ERR_PKI_CRYPTO_UNAVAILABLE',
      `PBKDF2 with HMAC-${prf} failed in WebCrypto.`,
      async () => {
        const base = await subtle.importKey('raw', bufferSource(utf8(password)), 'PBKDF2', false, [
          'deriveBits',
        ]);
        const bits = await subtle.deriveBits(
          { name: 'PBKDF2', salt: bufferSource(salt), iterations, hash: prf },
          base,
          keyBytes * 8,
        );
        return new Uint8Array(bits);
      },
    );
  }
  return webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    `AES-${keyBytes * 8}-CBC is not available in WebCrypto.`,
    () => aes.importKey('raw', bufferSource(raw), 'AES-CBC', false, [usage]),
  );
}

/** The PKCS#12 PBE schemes read here (RFC 7292 Appendix C); the RC4 ones stay refused. */
const PKCS12_PBE_OIDS = new Set([
  '1.2.840.113549.1.12.1.3',
  '1.2.840.113549.1.12.1.4',
  '1.2.840.113549.1.12.1.5',
  '1.2.840.113549.1.12.1.6',
]);
const OID_DES_EDE3_CBC = '1.2.840.113549.3.7';
/**
 * The PKCS#12 KDF runs in JavaScript on the calling thread (SHA-1, about 0.6 µs a round), once
 * per hash chain (3DES: two for the key, one for the IV): a key file may cost at most this many
 * rounds in all, about 2.5 s, twice one .pfx derivation at its default limit.
 */
const PKCS12_KDF_MAX_ROUNDS = 4_000_000;

/**
 * The scheme of an older encrypted key (PKCS#12 PBE, or PBES2 with 3DES), parsed and checked
 * against the limits before any work; undefined for the PBES2 + AES keys of {@link parseEncrypted}.
 */
function legacyScheme(
  der: Uint8Array,
  maxIterations: number,
): { pbe: Pbe; ciphertext: Uint8Array } | undefined {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const algorithm = c.next(T.SEQUENCE);
  const ciphertext = readOctetString(c.next());
  c.end('EncryptedPrivateKeyInfo');
  const alg = readAlgorithmIdentifier(algorithm);
  let legacy = PKCS12_PBE_OIDS.has(alg.oid);
  if (!legacy && alg.oid === OID_PBES2 && alg.params) {
    try {
      const p = Cursor.of(alg.params, T.SEQUENCE);
      p.next(T.SEQUENCE);
      legacy = readAlgorithmIdentifier(p.next(T.SEQUENCE)).oid === OID_DES_EDE3_CBC;
    } catch {
      // Malformed: parseEncrypted reports it.
    }
  }
  if (!legacy) return undefined;
  let pbe: Pbe;
  try {
    pbe = parsePbe(algorithm);
  } catch (e) {
    const code =
      e instanceof PkiError && e.code === 'ERR_PKI_PKCS12_UNSUPPORTED'
        ? 'ERR_PKI_KEY_UNSUPPORTED'
        : 'ERR_PKI_KEY_INVALID';
    throw new PkiError(code, `The encryption parameters of the private key cannot be used. ${REENCRYPT}`, {
      cause: e,
    });
  }
  // PBKDF2 runs natively (WebCrypto): the caller's limit applies as is.
  const limit =
    pbe.kdf === 'pkcs12'
      ? Math.min(maxIterations, Math.floor(PKCS12_KDF_MAX_ROUNDS / pbe.chains))
      : maxIterations;
  if (pbe.declaredIterations > BigInt(limit))
    throw new PkiError(
      'ERR_PKI_KDF_LIMIT',
      `The encrypted private key asks for ${pbe.declaredIterations} ${pbe.name} iterations, above the limit of ${limit}. If you trust the file, re-encrypt it (${REENCRYPT_COMMAND}).`,
    );
  return { pbe, ciphertext };
}

/**
 * Decrypts EncryptedPrivateKeyInfo to PrivateKeyInfo DER. Throws ERR_PKI_KEY_ENCRYPTED without a
 * password, ERR_PKI_KDF_LIMIT for too many iterations, ERR_PKI_KEY_PASSWORD when the password is
 * wrong (bad padding or a plaintext that is not a private key), ERR_PKI_KEY_UNSUPPORTED for
 * PBES1 and RC4 (the PKCS#12 PBE schemes with 3DES or RC2, and PBES2 with 3DES, are read).
 */
export async function decryptPkcs8(
  der: Uint8Array,
  password: string | undefined,
  maxIterations: number,
): Promise<Uint8Array> {
  const legacy = legacyScheme(der, maxIterations);
  const p = legacy ? undefined : parseEncrypted(der, maxIterations);
  if (password === undefined) {
    throw new PkiError(
      'ERR_PKI_KEY_ENCRYPTED',
      'The private key is encrypted: pass its password (the password option).',
    );
  }
  const wrong = 'The password is wrong, or the encrypted private key is corrupt.';
  let plain: Uint8Array;
  if (legacy) {
    // The PKCS#12 KDF takes the password as a BMPString, PBKDF2 as UTF-8 (RFC 7292 B.1, RFC 8018 §4.2).
    const out = await pbeDecrypt(legacy.pbe, legacy.ciphertext, passwordForms(password));
    if (!out) throw new PkiError('ERR_PKI_KEY_PASSWORD', wrong);
    plain = out;
  } else {
    const key = await deriveAesKey(password, p!.salt, p!.iterations, p!.prf, p!.keyBytes, 'decrypt');
    const aes = await subtleFor('AES-CBC');
    try {
      plain = new Uint8Array(
        await aes.decrypt({ name: 'AES-CBC', iv: bufferSource(p!.iv) }, key, bufferSource(p!.ciphertext)),
      );
    } catch (e) {
      // AES-CBC fails on bad PKCS#7 padding, which is what a wrong key almost always produces.
      throw new PkiError('ERR_PKI_KEY_PASSWORD', wrong, { cause: e });
    }
  }
  try {
    parsePkcs8(plain);
  } catch (e) {
    // A decryptable key of a type we do not support is a real answer; anything else means garbage.
    if (e instanceof PkiError && e.code === 'ERR_PKI_KEY_UNSUPPORTED') throw e;
    throw new PkiError('ERR_PKI_KEY_PASSWORD', wrong, { cause: e });
  }
  return plain;
}

/**
 * Encrypts PrivateKeyInfo DER as EncryptedPrivateKeyInfo: PBES2, PBKDF2-HMAC-SHA256 with a
 * 16-byte random salt (RFC 8018 §4.1 asks for at least 8), AES-256-CBC with a random IV. The
 * encoding matches OpenSSL's (keyLength omitted, PRF parameters NULL).
 */
export async function encryptPkcs8(
  pkcs8: Uint8Array,
  password: string,
  iterations: number,
): Promise<Uint8Array> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = await deriveAesKey(password, salt, iterations, 'SHA-256', 32, 'encrypt');
  const aes = await subtleFor('AES-CBC');
  const ct = await webcrypto(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    'AES-256-CBC encryption failed in WebCrypto.',
    async () =>
      new Uint8Array(await aes.encrypt({ name: 'AES-CBC', iv: bufferSource(iv) }, key, bufferSource(pkcs8))),
  );
  const kdf = seq(oid(OID_PBKDF2), seq(octets(salt), int(iterations), seq(oid(OID_HMAC_SHA256), nul())));
  const enc = seq(oid(OID_AES256_CBC), octets(iv));
  return seq(seq(oid(OID_PBES2), seq(kdf, enc)), octets(ct));
}
