// Public and private keys: RSA, ECDSA on the NIST curves, Ed25519. A key is its DER
// (SubjectPublicKeyInfo, RFC 5280 §4.1.2.7; PrivateKeyInfo, RFC 5958) plus a cache of the
// WebCrypto CryptoKeys made from it. WebCrypto fixes an RSA key's hash at import (W3C
// WebCrypto §20.8), so a key used with several hashes or paddings is imported once per
// combination, and signing thousands of certificates with one CA key imports it once.

/// <reference lib="dom" preserve="true" />
// The WebCrypto types (CryptoKey, SubtleCrypto, JsonWebKey…) of the public declarations come
// from the DOM library: declared here so that a Node project without "dom" in its lib checks
// them rather than reading them as `any`.

import { subtleFor } from './crypto-provider.js';
import { PkiError } from './errors.js';
import { equalBytes, fromLatin1 } from './internal/bytes.js';
import { guard, misuse } from './internal/guard.js';
import {
  CURVES,
  ecSpki,
  ed25519Spki,
  type KeyInfo,
  type ParsedSpki,
  parsePkcs8,
  parseSpki,
  pkcs1ToPkcs8,
  rsaPublicKeyToSpki,
  rsaSpki,
  sec1ToPkcs8,
  sniffKeyContainer,
} from './internal/key-der.js';
import {
  defaultImport,
  type ImportParams,
  type NormalizedImport,
  normalizeImport,
} from './internal/key-params.js';
import {
  DEFAULT_ITERATIONS,
  DEFAULT_MAX_ITERATIONS,
  decryptPkcs8,
  encryptPkcs8,
} from './internal/pkcs8-encryption.js';
import { sha1 } from './internal/sha.js';
import { bufferSource, ownerOf, remember, webcrypto } from './internal/webcrypto.js';
import {
  decodeBase64,
  decodePem,
  encodeBase64,
  encodePem,
  isPem,
  type PemBlock,
  readDerOrPem,
} from './pem.js';

/**
 * The key algorithms @certlab/pki supports.
 *
 * @example
 * ```ts
 * const t: KeyType = key.type; // 'rsa' | 'ec' | 'ed25519'
 * ```
 */
export type KeyType = 'rsa' | 'ec' | 'ed25519';

/**
 * The elliptic curves WebCrypto implements (NIST P-curves, RFC 5480).
 *
 * @example
 * ```ts
 * const curve: NamedCurve = 'P-384';
 * ```
 */
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

/**
 * What {@link generateKeyPair} makes. RSA defaults to 2048 bits (NIST SP 800-57 through 2030),
 * EC to P-256.
 *
 * @example
 * ```ts
 * const specs: KeySpec[] = [{ type: 'rsa', bits: 3072 }, { type: 'ec', curve: 'P-384' }, { type: 'ed25519' }];
 * ```
 */
export type KeySpec =
  | { type: 'rsa'; bits?: number }
  | { type: 'ec'; curve?: NamedCurve }
  | { type: 'ed25519' };

// ---------------------------------------------------------------------------------------------
// JWK helpers (RFC 7517, RFC 7518 §6, RFC 8037 §2)

function b64url(b: Uint8Array): string {
  return encodeBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jwkBytes(jwk: JsonWebKey, field: 'n' | 'e' | 'x' | 'y', expectLength?: number): Uint8Array {
  const v = (jwk as Record<string, unknown>)[field];
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]+$/.test(v))
    throw new PkiError('ERR_PKI_KEY_INVALID', `The JWK field "${field}" is missing or not base64url.`);
  const b = decodeBase64(v);
  if (expectLength !== undefined && b.length !== expectLength) {
    throw new PkiError(
      'ERR_PKI_KEY_INVALID',
      `The JWK field "${field}" has ${b.length} bytes where ${expectLength} are required (RFC 7518 §6.2.1).`,
    );
  }
  return b;
}

/** SPKI DER for the public part of a JWK. */
function spkiFromJwk(jwk: JsonWebKey): Uint8Array {
  if (jwk.kty === 'RSA') {
    if ((jwk as { oth?: unknown }).oth !== undefined)
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        'Multi-prime RSA keys (JWK "oth") are not supported by WebCrypto.',
      );
    return rsaSpki(jwkBytes(jwk, 'n'), jwkBytes(jwk, 'e'));
  }
  if (jwk.kty === 'EC') {
    const curve = jwk.crv as NamedCurve;
    if (!Object.hasOwn(CURVES, curve))
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        `The JWK curve "${String(jwk.crv)}" is not supported (P-256, P-384, P-521).`,
      );
    const size = CURVES[curve].size;
    const x = jwkBytes(jwk, 'x', size);
    const y = jwkBytes(jwk, 'y', size);
    const point = new Uint8Array(1 + 2 * size);
    point[0] = 0x04;
    point.set(x, 1);
    point.set(y, 1 + size);
    return ecSpki(curve, point);
  }
  if (jwk.kty === 'OKP') {
    if (jwk.crv !== 'Ed25519')
      throw new PkiError(
        'ERR_PKI_KEY_UNSUPPORTED',
        `The JWK curve "${String(jwk.crv)}" is not supported; of the OKP curves only Ed25519 is (RFC 8037).`,
      );
    return ed25519Spki(jwkBytes(jwk, 'x', 32));
  }
  throw new PkiError(
    'ERR_PKI_KEY_UNSUPPORTED',
    `The JWK key type "${String(jwk.kty)}" is not supported (RSA, EC, OKP/Ed25519).`,
  );
}

/** Key type and curve of a JWK, enough to choose import parameters. */
function jwkInfo(jwk: JsonWebKey): KeyInfo {
  const info = guard('ERR_PKI_KEY_INVALID', 'The JWK', () => parseSpki(spkiFromJwk(jwk)));
  return info.curve
    ? { type: info.type, curve: info.curve, bits: info.bits }
    : { type: info.type, bits: info.bits };
}

/** A JWK without the members that would pin it to one WebCrypto algorithm or usage. */
function neutralJwk(jwk: JsonWebKey): JsonWebKey {
  const out: JsonWebKey = { ...jwk };
  delete out.alg;
  delete out.key_ops;
  delete out.ext;
  delete (out as { use?: unknown }).use;
  return out;
}

function parseJsonJwk(text: string): JsonWebKey {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new PkiError('ERR_PKI_KEY_INVALID', 'The text starts like a JSON Web Key but is not valid JSON.', {
      cause: e,
    });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new PkiError('ERR_PKI_KEY_INVALID', 'The JSON text is not a JSON Web Key object.');
  return v as JsonWebKey;
}

function isJwkObject(input: unknown): input is JsonWebKey {
  return (
    typeof input === 'object' &&
    input !== null &&
    !ArrayBuffer.isView(input) &&
    !(input instanceof ArrayBuffer) &&
    !Array.isArray(input)
  );
}

/** Maps a failed generateKey/importKey to the most useful code. */
function cryptoFailure(
  what: string,
  alg: string,
  e: unknown,
  code: 'ERR_PKI_KEY_INVALID' | 'ERR_PKI_CRYPTO_UNAVAILABLE',
): PkiError {
  if (e instanceof PkiError) return e;
  if (e instanceof Error && e.name === 'NotSupportedError') {
    return new PkiError(
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
      `This WebCrypto implementation does not support ${alg}; provide one that does with setCryptoProvider(globalThis.crypto, { fallback }).`,
      { cause: e },
    );
  }
  const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
  return new PkiError(code, `${what}${detail}`, { cause: e });
}

/** Returns a cached import, or starts one and caches it (forgetting it if it fails, so a retry can work). */
function cachedImport(
  cache: Map<string, Promise<CryptoKey>>,
  n: NormalizedImport,
  run: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  let hit = cache.get(n.cacheKey);
  if (!hit) {
    hit = run();
    cache.set(n.cacheKey, hit);
    hit.catch(() => {
      if (cache.get(n.cacheKey) === hit) cache.delete(n.cacheKey);
    });
  }
  return hit;
}

// Module-private access to class internals (assigned in static blocks below), so that the
// factories in this file can build and seed keys without widening the public API.
let seedPublic: (key: PublicKey, cacheKey: string, cryptoKey: CryptoKey) => void;
let newPrivateKey: (init: PrivateKeyInit) => PrivateKey;

interface PrivateKeyInit {
  info: KeyInfo;
  publicKey: PublicKey;
  /** PrivateKeyInfo DER when known; otherwise exported from `source` on first need. */
  pkcs8?: Uint8Array;
  source?: CryptoKey;
  seeds: [string, CryptoKey][];
}

/**
 * A public key: its SubjectPublicKeyInfo DER and what it is. Parsing is synchronous and pure;
 * WebCrypto is used only when a CryptoKey or digest is needed.
 *
 * @example
 * ```ts
 * const pub = PublicKey.fromSpki(spkiDer);
 * console.log(pub.type, pub.curve ?? pub.bits); // 'ec' 'P-256'
 * const ski = await pub.keyIdentifier();
 * ```
 */
export class PublicKey {
  /** SubjectPublicKeyInfo DER, exactly as given or exported. Do not modify. */
  readonly spki: Uint8Array;
  readonly type: KeyType;
  /** The curve of an EC key; undefined for RSA and Ed25519. */
  readonly curve?: NamedCurve;
  /** RSA modulus bits; EC 256/384/521; Ed25519 256. */
  readonly bits: number;
  readonly #parsed: ParsedSpki;
  readonly #keys = new Map<string, Promise<CryptoKey>>();
  #kid: Uint8Array | undefined;

  static {
    seedPublic = (key, cacheKey, cryptoKey) => {
      key.#keys.set(cacheKey, Promise.resolve(cryptoKey));
    };
  }

  private constructor(spki: Uint8Array, parsed: ParsedSpki) {
    this.spki = spki;
    this.type = parsed.type;
    if (parsed.curve) this.curve = parsed.curve;
    this.bits = parsed.bits;
    this.#parsed = parsed;
  }

  /**
   * Parses SubjectPublicKeyInfo DER: RSA (rsaEncryption, NULL parameters), EC (id-ecPublicKey on
   * P-256/P-384/P-521, uncompressed point), Ed25519. Other algorithms give ERR_PKI_KEY_UNSUPPORTED,
   * malformed DER a PkiError. The bytes are copied.
   *
   * @example
   * ```ts
   * const pub = PublicKey.fromSpki(new Uint8Array(await crypto.subtle.exportKey('spki', cryptoKey)));
   * ```
   */
  static fromSpki(der: Uint8Array): PublicKey {
    if (!(der instanceof Uint8Array))
      throw misuse('PublicKey.fromSpki() needs the DER bytes as a Uint8Array.');
    const copy = der.slice();
    const parsed = guard('ERR_PKI_KEY_INVALID', 'The public key', () => parseSpki(copy));
    return new PublicKey(copy, parsed);
  }

  /**
   * The key as a 'PUBLIC KEY' PEM block (RFC 7468 §13), as `openssl pkey -pubout` writes it.
   *
   * @example
   * ```ts
   * await writeFile('key.pub.pem', pub.toPem());
   * ```
   */
  toPem(): string {
    return encodePem('PUBLIC KEY', this.spki);
  }

  /**
   * The key as a public JWK (RFC 7517): `{ kty: 'RSA', n, e }`, `{ kty: 'EC', crv, x, y }` or
   * `{ kty: 'OKP', crv: 'Ed25519', x }`, with no `alg` so any suitable algorithm may use it.
   *
   * @example
   * ```ts
   * const jwk = await pub.toJwk(); // { kty: 'EC', crv: 'P-256', x: '…', y: '…' }
   * ```
   */
  async toJwk(): Promise<JsonWebKey> {
    const p = this.#parsed;
    if (p.type === 'rsa') return { kty: 'RSA', n: b64url(p.rsa!.n), e: b64url(p.rsa!.e) };
    if (p.type === 'ec') {
      const size = CURVES[p.curve!].size;
      const k = p.subjectPublicKey;
      return {
        kty: 'EC',
        crv: p.curve!,
        x: b64url(k.subarray(1, 1 + size)),
        y: b64url(k.subarray(1 + size)),
      };
    }
    return { kty: 'OKP', crv: 'Ed25519', x: b64url(p.subjectPublicKey) };
  }

  /**
   * True when both keys have the same SubjectPublicKeyInfo bytes.
   *
   * @example
   * ```ts
   * if (!cert.publicKey.equals(privateKey.publicKey)) throw new Error('the key does not match the certificate');
   * ```
   */
  equals(other: PublicKey): boolean {
    return other instanceof PublicKey && equalBytes(this.spki, other.spki);
  }

  /**
   * A CryptoKey for verification with the given WebCrypto parameters (`{ name: 'RSASSA-PKCS1-v1_5',
   * hash: 'SHA-256' }`, `{ name: 'RSA-PSS', hash }`, `{ name: 'ECDSA' }`, `{ name: 'Ed25519' }`),
   * imported once per distinct parameters and cached. A name that does not fit the key gives
   * ERR_PKI_ALGORITHM_UNSUPPORTED.
   *
   * @example
   * ```ts
   * const key = await pub.cryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
   * const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, data);
   * ```
   */
  cryptoKey(algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey> {
    let n: NormalizedImport;
    try {
      n = normalizeImport(this, algorithm);
    } catch (e) {
      return Promise.reject(e);
    }
    return cachedImport(this.#keys, n, async () => {
      const subtle = await subtleFor(n.params.name);
      try {
        // EC and Ed25519 keys import as 'raw' (the point itself): Node's 'spki' path re-parses
        // the DER through createPublicKey and costs about four times as much per import.
        const raw = this.type === 'ec' || this.type === 'ed25519';
        return remember(
          await subtle.importKey(
            raw ? 'raw' : 'spki',
            bufferSource(raw ? this.#parsed.subjectPublicKey : this.spki),
            n.params as ImportParams,
            true,
            ['verify'],
          ),
          subtle,
        );
      } catch (e) {
        throw cryptoFailure(
          'WebCrypto rejected the public key, so it is not a valid key.',
          n.params.name,
          e,
          'ERR_PKI_KEY_INVALID',
        );
      }
    });
  }

  /**
   * The key identifier of RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT
   * STRING value. This is what OpenSSL and Windows put in the Subject Key Identifier extension
   * and match against the Authority Key Identifier; SHA-1 is fine here, as it is an identifier,
   * not a security check.
   *
   * @example
   * ```ts
   * const ski = toHex(await pub.keyIdentifier()); // 40 hex digits
   * ```
   */
  keyIdentifier(): Promise<Uint8Array> {
    // A synchronous SHA-1 of a few hundred bytes costs microseconds; a WebCrypto digest is a
    // round trip through the thread pool, which showed in issuing (one per certificate).
    this.#kid ??= sha1.digest(this.#parsed.subjectPublicKey);
    return Promise.resolve(this.#kid.slice());
  }
}

/**
 * A private key with its public key. Made by {@link generateKeyPair} or {@link importPrivateKey};
 * it holds the PKCS#8 DER and the CryptoKeys imported from it.
 *
 * @example
 * ```ts
 * const key = await importPrivateKey(pemText, { password });
 * const pem = await key.toPem({ password: 'new secret' });
 * ```
 */
export class PrivateKey {
  readonly type: KeyType;
  /** The curve of an EC key; undefined for RSA and Ed25519. */
  readonly curve?: NamedCurve;
  /** RSA modulus bits; EC 256/384/521; Ed25519 256. */
  readonly bits: number;
  readonly publicKey: PublicKey;
  #pkcs8: Promise<Uint8Array> | undefined;
  readonly #source: CryptoKey | undefined;
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  static {
    newPrivateKey = (init) => new PrivateKey(init);
  }

  private constructor(init: PrivateKeyInit) {
    this.type = init.info.type;
    if (init.info.curve) this.curve = init.info.curve;
    this.bits = init.info.bits;
    this.publicKey = init.publicKey;
    if (init.pkcs8) this.#pkcs8 = Promise.resolve(init.pkcs8);
    this.#source = init.source;
    for (const [k, v] of init.seeds) this.#keys.set(k, Promise.resolve(v));
  }

  #der(): Promise<Uint8Array> {
    if (!this.#pkcs8) {
      const src = this.#source!;
      const subtle = ownerOf(src)!;
      this.#pkcs8 = webcrypto(
        'ERR_PKI_CRYPTO_UNAVAILABLE',
        'WebCrypto could not export the private key as PKCS#8.',
        async () => new Uint8Array(await subtle.exportKey('pkcs8', src)),
      );
    }
    return this.#pkcs8;
  }

  /**
   * The PrivateKeyInfo DER (RFC 5208 §5 / RFC 5958 §2), unencrypted.
   *
   * @example
   * ```ts
   * const der = await key.toPkcs8(); // what `openssl pkey -outform DER` reads
   * ```
   */
  async toPkcs8(): Promise<Uint8Array> {
    return (await this.#der()).slice();
  }

  /**
   * The key as PEM: 'PRIVATE KEY' (PKCS#8), or with a password 'ENCRYPTED PRIVATE KEY' (PBES2 with
   * PBKDF2-HMAC-SHA256 and AES-256-CBC, RFC 8018; default 600,000 iterations).
   *
   * @example
   * ```ts
   * const plain = await key.toPem();
   * const locked = await key.toPem({ password: 'correct horse battery staple' });
   * ```
   */
  async toPem(options: { password?: string; iterations?: number } = {}): Promise<string> {
    if (options.password === undefined) {
      if (options.iterations !== undefined)
        throw misuse('The iterations option only applies with a password.');
      return encodePem('PRIVATE KEY', await this.#der());
    }
    return encodePem('ENCRYPTED PRIVATE KEY', await this.toEncryptedPkcs8(options.password, options));
  }

  /**
   * EncryptedPrivateKeyInfo DER (RFC 5958 §3) with PBES2: PBKDF2-HMAC-SHA256 (default 600,000
   * iterations, OWASP 2023), a 16-byte random salt, AES-256-CBC. OpenSSL reads it with
   * `openssl pkey -passin`.
   *
   * @example
   * ```ts
   * const der = await key.toEncryptedPkcs8('secret', { iterations: 1_000_000 });
   * ```
   */
  async toEncryptedPkcs8(password: string, options: { iterations?: number } = {}): Promise<Uint8Array> {
    if (typeof password !== 'string' || password.length === 0)
      throw misuse('Encrypting a private key needs a non-empty password string.');
    const iterations = options.iterations ?? DEFAULT_ITERATIONS;
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > DEFAULT_MAX_ITERATIONS) {
      throw misuse(`iterations must be an integer from 1 to ${DEFAULT_MAX_ITERATIONS}.`);
    }
    return encryptPkcs8(await this.#der(), password, iterations);
  }

  /**
   * The key as a private JWK (RFC 7517/7518/8037) without `alg`, `key_ops` or `ext`.
   *
   * @example
   * ```ts
   * const jwk = await key.toJwk(); // { kty: 'EC', crv: 'P-256', x, y, d }
   * const again = await importPrivateKey(jwk);
   * ```
   */
  async toJwk(): Promise<JsonWebKey> {
    const key = await this.cryptoKey(defaultImport(this).params);
    const subtle = ownerOf(key)!;
    const jwk = await webcrypto(
      'ERR_PKI_CRYPTO_UNAVAILABLE',
      'WebCrypto could not export the private key as a JWK.',
      () => subtle.exportKey('jwk', key),
    );
    return neutralJwk(jwk);
  }

  /**
   * A CryptoKey for signing with the given WebCrypto parameters (`{ name: 'RSASSA-PKCS1-v1_5',
   * hash }`, `{ name: 'RSA-PSS', hash }`, `{ name: 'ECDSA' }`, `{ name: 'Ed25519' }`), cached per
   * parameters. An RSA key wanted with another hash or padding is re-imported from its PKCS#8,
   * because WebCrypto binds the hash to the CryptoKey.
   *
   * @example
   * ```ts
   * const ck = await key.cryptoKey({ name: 'RSA-PSS', hash: 'SHA-384' });
   * const sig = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, ck, data);
   * ```
   */
  cryptoKey(algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey> {
    let n: NormalizedImport;
    try {
      n = normalizeImport(this, algorithm);
    } catch (e) {
      return Promise.reject(e);
    }
    return cachedImport(this.#keys, n, async () => {
      const der = await this.#der();
      const subtle = await subtleFor(n.params.name);
      try {
        return remember(
          await subtle.importKey('pkcs8', bufferSource(der), n.params as ImportParams, true, ['sign']),
          subtle,
        );
      } catch (e) {
        throw cryptoFailure(
          'WebCrypto rejected the private key, so it is not a valid key.',
          n.params.name,
          e,
          'ERR_PKI_KEY_INVALID',
        );
      }
    });
  }
}

/**
 * A private key and its public key.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey }: KeyPair = await generateKeyPair();
 * ```
 */
export interface KeyPair {
  privateKey: PrivateKey;
  publicKey: PublicKey;
}

function generationParams(spec: KeySpec): {
  params: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  info: KeyInfo;
} {
  if (typeof spec !== 'object' || spec === null)
    throw misuse('generateKeyPair() needs a key spec such as { type: "ec", curve: "P-256" }.');
  switch (spec.type) {
    case 'rsa': {
      const bits = spec.bits ?? 2048;
      if (!Number.isInteger(bits) || bits < 1024 || bits > 16384 || bits % 8 !== 0) {
        throw misuse(
          `An RSA key needs a size in bits that is a multiple of 8 from 1024 to 16384 (2048, 3072 or 4096 are usual), not ${String(bits)}.`,
        );
      }
      return {
        params: {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: bits,
          publicExponent: Uint8Array.of(1, 0, 1),
          hash: 'SHA-256',
        },
        info: { type: 'rsa', bits },
      };
    }
    case 'ec': {
      const curve = spec.curve ?? 'P-256';
      if (!Object.hasOwn(CURVES, curve))
        throw misuse(`The curve must be P-256, P-384 or P-521, not ${String(curve)}.`);
      return {
        params: { name: 'ECDSA', namedCurve: curve },
        info: { type: 'ec', curve, bits: CURVES[curve].bits },
      };
    }
    case 'ed25519':
      return { params: { name: 'Ed25519' }, info: { type: 'ed25519', bits: 256 } };
    default:
      throw misuse(
        `The key type must be "rsa", "ec" or "ed25519", not ${JSON.stringify((spec as { type?: unknown }).type)}.`,
      );
  }
}

/**
 * Generates a key pair with WebCrypto, extractable so that it can be saved. Defaults to ECDSA
 * P-256; RSA keys use the public exponent 65537.
 *
 * @example
 * ```ts
 * const ca = await generateKeyPair({ type: 'rsa', bits: 3072 });
 * const leaf = await generateKeyPair(); // P-256
 * ```
 */
export async function generateKeyPair(spec: KeySpec = { type: 'ec', curve: 'P-256' }): Promise<KeyPair> {
  const { params, info } = generationParams(spec);
  const n = defaultImport(info);
  const subtle = await subtleFor(params.name);
  let pair: CryptoKeyPair;
  let spki: Uint8Array;
  try {
    pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
    spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  } catch (e) {
    throw cryptoFailure(
      `WebCrypto could not generate the ${params.name} key.`,
      params.name,
      e,
      'ERR_PKI_CRYPTO_UNAVAILABLE',
    );
  }
  const publicKey = PublicKey.fromSpki(spki);
  seedPublic(publicKey, n.cacheKey, remember(pair.publicKey, subtle));
  const privateKey = newPrivateKey({
    info: publicKey.curve
      ? { type: publicKey.type, curve: publicKey.curve, bits: publicKey.bits }
      : { type: publicKey.type, bits: publicKey.bits },
    publicKey,
    source: remember(pair.privateKey, subtle),
    seeds: [[n.cacheKey, pair.privateKey]],
  });
  return { privateKey, publicKey };
}

/**
 * Builds a PrivateKey from PrivateKeyInfo DER: parses it, imports it once (which validates it
 * and is the CryptoKey for the default algorithm), and finds the public key — from the DER for
 * RSA, from WebCrypto's JWK export for EC and Ed25519, checked against any embedded public key.
 */
async function fromPkcs8(input: Uint8Array, seed?: CryptoKey): Promise<PrivateKey> {
  const parsed = guard('ERR_PKI_KEY_INVALID', 'The private key', () => parsePkcs8(input));
  const der = parsed.v1 ?? input;
  const n = defaultImport(parsed);
  let key = seed;
  // An EC key that carries its public point imports as a JWK with d, x and y: WebCrypto checks
  // that the pair belongs together (Node: "Invalid keyData"), and it costs less than half of a
  // 'pkcs8' import plus the JWK export that would otherwise derive the public key.
  const fastEc = !key && parsed.type === 'ec' && parsed.embeddedPublic && parsed.ecScalar;
  if (fastEc) {
    const size = (parsed.embeddedPublic!.length - 1) / 2;
    const jwk: JsonWebKey = {
      kty: 'EC',
      crv: parsed.curve!,
      d: b64url(parsed.ecScalar!),
      x: b64url(parsed.embeddedPublic!.subarray(1, 1 + size)),
      y: b64url(parsed.embeddedPublic!.subarray(1 + size)),
      ext: true,
    };
    const subtle = await subtleFor(n.params.name);
    try {
      key = remember(await subtle.importKey('jwk', jwk, n.params as ImportParams, true, ['sign']), subtle);
    } catch (e) {
      throw cryptoFailure(
        'WebCrypto rejected the private key: its public key does not belong to it or it is not valid.',
        n.params.name,
        e,
        'ERR_PKI_KEY_INVALID',
      );
    }
  }
  if (!key) {
    const subtle = await subtleFor(n.params.name);
    try {
      key = remember(
        await subtle.importKey('pkcs8', bufferSource(der), n.params as ImportParams, true, ['sign']),
        subtle,
      );
    } catch (e) {
      throw cryptoFailure(
        'WebCrypto rejected the private key, so it is not a valid key.',
        n.params.name,
        e,
        'ERR_PKI_KEY_INVALID',
      );
    }
  }
  let spki = parsed.spki;
  if (parsed.type !== 'rsa' && !fastEc) {
    const k = key;
    const subtle = ownerOf(k)!;
    const jwk = await webcrypto(
      'ERR_PKI_KEY_INVALID',
      'WebCrypto could not derive the public key from the private key.',
      () => subtle.exportKey('jwk', k),
    );
    const derived = spkiFromJwk(jwk);
    if (spki && !equalBytes(spki, derived)) {
      throw new PkiError(
        'ERR_PKI_KEY_INVALID',
        'The public key embedded in the private key does not belong to it; the key file is corrupt.',
      );
    }
    spki = derived;
  }
  const publicKey = PublicKey.fromSpki(spki!);
  return newPrivateKey({ info: parsed, publicKey, pkcs8: der, seeds: [[n.cacheKey, key]] });
}

async function fromJwk(jwk: JsonWebKey): Promise<PrivateKey> {
  const info = jwkInfo(jwk);
  if (typeof jwk.d !== 'string') {
    throw new PkiError(
      'ERR_PKI_KEY_INVALID',
      'The JWK has no private part ("d"): it is a public key, so import it with importPublicKey().',
    );
  }
  const n = defaultImport(info);
  const subtle = await subtleFor(n.params.name);
  let key: CryptoKey;
  let der: Uint8Array;
  try {
    key = remember(
      await subtle.importKey('jwk', neutralJwk(jwk), n.params as ImportParams, true, ['sign']),
      subtle,
    );
    der = new Uint8Array(await subtle.exportKey('pkcs8', key));
  } catch (e) {
    throw cryptoFailure(
      'WebCrypto rejected the JWK, so it is not a valid private key.',
      n.params.name,
      e,
      'ERR_PKI_KEY_INVALID',
    );
  }
  return fromPkcs8(der, key);
}

const REENCRYPT = 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem';

/** Private key from DER of any supported container. */
async function fromDer(
  der: Uint8Array,
  password: string | undefined,
  maxIterations: number,
): Promise<PrivateKey> {
  const kind = guard('ERR_PKI_KEY_INVALID', 'The private key', () => sniffKeyContainer(der));
  switch (kind) {
    case 'pkcs8':
      return fromPkcs8(der.slice());
    case 'encrypted-pkcs8':
      return fromPkcs8(await decryptPkcs8(der, password, maxIterations));
    case 'pkcs1':
      return fromPkcs8(guard('ERR_PKI_KEY_INVALID', 'The RSA private key', () => pkcs1ToPkcs8(der)));
    case 'sec1':
      return fromPkcs8(guard('ERR_PKI_KEY_INVALID', 'The EC private key', () => sec1ToPkcs8(der)));
    case 'spki':
      throw new PkiError(
        'ERR_PKI_KEY_INVALID',
        'This is a public key (SubjectPublicKeyInfo), not a private key; use importPublicKey().',
      );
    default:
      throw new PkiError(
        'ERR_PKI_KEY_INVALID',
        'The data is not a private key in PKCS#8, PKCS#1 or SEC 1 form.',
      );
  }
}

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

function noPrivateKeyBlock(blocks: PemBlock[]): never {
  const labels = blocks.map((b) => b.label);
  if (labels.includes('OPENSSH PRIVATE KEY')) {
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      'OpenSSH private keys are not supported; convert a copy to PKCS#8 with: ssh-keygen -p -m PKCS8 -f COPY_OF_KEY',
    );
  }
  if (labels.includes('DSA PRIVATE KEY'))
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      'DSA keys are not supported. Supported keys are RSA, ECDSA on P-256, P-384 or P-521, and Ed25519.',
    );
  throw new PkiError(
    'ERR_PKI_KEY_INVALID',
    `The PEM text contains no private key (found: ${labels.join(', ')}).`,
  );
}

async function fromText(
  text: string,
  password: string | undefined,
  maxIterations: number,
): Promise<PrivateKey> {
  if (text.trimStart().startsWith('{')) return fromJwk(parseJsonJwk(text));
  if (!isPem(text)) return fromDer(readDerOrPem(text), password, maxIterations);
  const blocks = decodePem(text);
  const block = blocks.find((b) => PRIVATE_LABELS.has(b.label));
  if (!block) noPrivateKeyBlock(blocks);
  if (block.headers && /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '')) {
    throw new PkiError(
      'ERR_PKI_KEY_UNSUPPORTED',
      `The "${block.label}" uses OpenSSL's legacy PEM encryption (DEK-Info), which is not supported; convert it to an encrypted PKCS#8 key with: ${REENCRYPT}`,
    );
  }
  const der = block.bytes;
  switch (block.label) {
    case 'PRIVATE KEY':
      return fromPkcs8(der);
    case 'ENCRYPTED PRIVATE KEY':
      return fromPkcs8(await decryptPkcs8(der, password, maxIterations));
    case 'RSA PRIVATE KEY':
      return fromPkcs8(guard('ERR_PKI_KEY_INVALID', 'The RSA private key', () => pkcs1ToPkcs8(der)));
    default:
      return fromPkcs8(guard('ERR_PKI_KEY_INVALID', 'The EC private key', () => sec1ToPkcs8(der)));
  }
}

/**
 * Imports a private key from PKCS#8 DER; PEM 'PRIVATE KEY'; 'ENCRYPTED PRIVATE KEY' (PBES2 with
 * PBKDF2 HMAC-SHA1/224/256/384/512 and AES-128/192/256-CBC); OpenSSL's traditional 'RSA PRIVATE
 * KEY' (PKCS#1) and 'EC PRIVATE KEY' (RFC 5915); or a JWK (object or JSON text).
 *
 * Errors: ERR_PKI_KEY_ENCRYPTED when a password is needed, ERR_PKI_KEY_PASSWORD when it is
 * wrong, ERR_PKI_KDF_LIMIT when the file asks for more than `maxIterations` (default 10,000,000)
 * PBKDF2 iterations, ERR_PKI_KEY_UNSUPPORTED for other algorithms or legacy encryption,
 * ERR_PKI_KEY_INVALID (or a DER/PEM code) for malformed input.
 *
 * @example
 * ```ts
 * const key = await importPrivateKey(await readFile('ca.key', 'utf8'), { password: process.env.CA_PASS });
 * const fromJwk = await importPrivateKey({ kty: 'OKP', crv: 'Ed25519', x, d });
 * ```
 */
export async function importPrivateKey(
  input: Uint8Array | string | JsonWebKey,
  options: { password?: string; maxIterations?: number } = {},
): Promise<PrivateKey> {
  const { password } = options;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (password !== undefined && typeof password !== 'string')
    throw misuse('The password option must be a string.');
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1)
    throw misuse('maxIterations must be a positive integer.');
  if (input instanceof Uint8Array) {
    if (input.length > 0 && input[0] !== 0x30) return fromText(fromLatin1(input), password, maxIterations);
    return fromDer(input, password, maxIterations);
  }
  if (typeof input === 'string') return fromText(input, password, maxIterations);
  if (isJwkObject(input)) return fromJwk(input);
  throw misuse('importPrivateKey() needs DER bytes (Uint8Array), PEM text, or a JWK object.');
}

function publicFromDer(der: Uint8Array): PublicKey {
  const kind = guard('ERR_PKI_KEY_INVALID', 'The public key', () => sniffKeyContainer(der));
  if (kind === 'spki') return PublicKey.fromSpki(der);
  if (kind === 'pkcs8' || kind === 'encrypted-pkcs8' || kind === 'pkcs1' || kind === 'sec1') {
    throw new PkiError(
      'ERR_PKI_KEY_INVALID',
      'This is a private key, not a public key; import it with importPrivateKey() and use its publicKey.',
    );
  }
  // PKCS#1 RSAPublicKey, as 'RSA PUBLIC KEY' or bare DER.
  return PublicKey.fromSpki(guard('ERR_PKI_KEY_INVALID', 'The public key', () => rsaPublicKeyToSpki(der)));
}

function publicFromText(text: string): PublicKey {
  if (text.trimStart().startsWith('{')) return PublicKey.fromSpki(spkiFromJwk(parseJsonJwk(text)));
  if (!isPem(text)) return publicFromDer(readDerOrPem(text));
  const blocks = decodePem(text);
  const block = blocks.find((b) => b.label === 'PUBLIC KEY' || b.label === 'RSA PUBLIC KEY');
  if (!block) {
    const labels = blocks.map((b) => b.label);
    const hint = labels.some((l) => l.includes('CERTIFICATE'))
      ? ' To use the key of a certificate, parse the certificate and take its public key.'
      : labels.some((l) => PRIVATE_LABELS.has(l))
        ? ' To use the public half of a private key, import it with importPrivateKey() and take its publicKey.'
        : '';
    throw new PkiError(
      'ERR_PKI_KEY_INVALID',
      `The PEM text contains no public key (found: ${labels.join(', ')}).${hint}`,
    );
  }
  if (block.label === 'RSA PUBLIC KEY')
    return PublicKey.fromSpki(
      guard('ERR_PKI_KEY_INVALID', 'The RSA public key', () => rsaPublicKeyToSpki(block.bytes)),
    );
  return PublicKey.fromSpki(block.bytes);
}

/**
 * Imports a public key from SubjectPublicKeyInfo DER, PEM 'PUBLIC KEY' (or PKCS#1 'RSA PUBLIC
 * KEY'), or a JWK (object or JSON text), and checks that WebCrypto accepts it (e.g. that an EC
 * point is on its curve).
 *
 * @example
 * ```ts
 * const pub = await importPublicKey(await readFile('key.pub.pem', 'utf8'));
 * const same = await importPublicKey(await pub.toJwk());
 * ```
 */
export async function importPublicKey(input: Uint8Array | string | JsonWebKey): Promise<PublicKey> {
  let key: PublicKey;
  if (input instanceof Uint8Array) {
    key = input.length > 0 && input[0] !== 0x30 ? publicFromText(fromLatin1(input)) : publicFromDer(input);
  } else if (typeof input === 'string') key = publicFromText(input);
  else if (isJwkObject(input)) key = PublicKey.fromSpki(spkiFromJwk(input));
  else throw misuse('importPublicKey() needs DER bytes (Uint8Array), PEM text, or a JWK object.');
  await key.cryptoKey(defaultImport(key).params);
  return key;
}
