// The PKCS#12 key derivation function (RFC 7292 Appendix B.2), used for the MAC key of every
// PKCS#12 file (ID 3) and for the key and IV of the legacy pbeWithSHAAnd… ciphers (ID 1 and 2,
// RFC 7292 Appendix C). It iterates a hash over its own output; SHA-1 and SHA-256 run on the
// synchronous implementation in ./sha.ts, about 0.5 µs per round in Node 20 (a WebCrypto
// `digest()` await per round would cost tens of µs). SHA-384 and SHA-512, which OpenSSL can
// write with `-macalg`, go through WebCrypto one round at a time and so get a lower cap.

import { subtleFor } from '../crypto-provider.js';
import { PkiError } from '../errors.js';
import { type SyncHash, sha1, sha256 } from './sha.js';
import { bufferSource, webcrypto } from './webcrypto.js';

/** Hashes the PKCS#12 KDF accepts. */
export type Pkcs12KdfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** RFC 7292 B.3: the purpose byte `ID`. */
export const KDF_KEY = 1;
export const KDF_IV = 2;
export const KDF_MAC = 3;

const SYNC: Partial<Record<Pkcs12KdfHash, SyncHash>> = { 'SHA-1': sha1, 'SHA-256': sha256 };
const ASYNC_SIZES: Partial<Record<Pkcs12KdfHash, { u: number; v: number }>> = {
  'SHA-384': { u: 48, v: 128 },
  'SHA-512': { u: 64, v: 128 },
};

/**
 * Iterations allowed on the WebCrypto path (SHA-384/512), where every round is an await: at
 * roughly 10-20 µs a round this keeps one derivation under about two seconds.
 */
export const ASYNC_KDF_MAX_ITERATIONS = 100_000;

/**
 * The password as RFC 7292 B.1 wants it: BMPString (UTF-16 big-endian) with a two-byte NUL
 * terminator. Characters outside the BMP become surrogate pairs, as OpenSSL's
 * OPENSSL_utf82uni() produces them. The empty password is therefore 00 00.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[i * 2] = c >> 8;
    out[i * 2 + 1] = c & 0xff;
  }
  return out;
}

/** `src` repeated to fill `v * ceil(len / v)` bytes (RFC 7292 B.2 steps 2 and 3). */
function fill(src: Uint8Array, v: number): Uint8Array {
  if (src.length === 0) return src;
  const out = new Uint8Array(v * Math.ceil(src.length / v));
  for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
  return out;
}

/** I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I (RFC 7292 B.2 step 6C). */
function addBlocks(I: Uint8Array, A: Uint8Array, v: number): void {
  const u = A.length;
  for (let j = 0; j < I.length; j += v) {
    let carry = 1;
    for (let k = v - 1; k >= 0; k--) {
      const x = I[j + k]! + A[k % u]! + carry;
      I[j + k] = x & 0xff;
      carry = x >>> 8;
    }
  }
}

/**
 * Derives `n` bytes with the RFC 7292 B.2 KDF. `password` is already encoded (see
 * {@link bmpPassword}; empty for a NULL password). Synchronous: SHA-1 and SHA-256 only.
 */
export function pkcs12KdfSync(
  hash: 'SHA-1' | 'SHA-256',
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number,
): Uint8Array {
  const h = SYNC[hash]!;
  const v = h.blockSize;
  const u = h.outputSize;
  const I = concat2(fill(salt, v), fill(password, v));
  const input = new Uint8Array(v + I.length);
  input.fill(id, 0, v);
  const out = new Uint8Array(n);
  const rounds = Math.max(1, iterations);
  for (let o = 0; o < n; o += u) {
    input.set(I, v);
    const A = h.iterate(input, rounds);
    out.set(A.subarray(0, Math.min(u, n - o)), o);
    if (o + u < n) addBlocks(I, A, v);
  }
  return out;
}

/** The same KDF for any {@link Pkcs12KdfHash}: SHA-384/512 go through WebCrypto, one await per round. */
export async function pkcs12Kdf(
  hash: Pkcs12KdfHash,
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number,
): Promise<Uint8Array> {
  if (hash === 'SHA-1' || hash === 'SHA-256') return pkcs12KdfSync(hash, password, salt, id, iterations, n);
  const sizes = ASYNC_SIZES[hash];
  if (!sizes) throw new PkiError('ERR_PKI_PKCS12_UNSUPPORTED', `The PKCS#12 KDF does not support ${hash}.`);
  if (iterations > ASYNC_KDF_MAX_ITERATIONS) {
    throw new PkiError(
      'ERR_PKI_KDF_LIMIT',
      `The PKCS#12 file asks for ${iterations} iterations of the ${hash} key derivation, above the limit of ${ASYNC_KDF_MAX_ITERATIONS} for this hash (it cannot be computed quickly in this runtime). Re-export the file with an HMAC-SHA256 MAC.`,
    );
  }
  const { u, v } = sizes;
  const subtle = await subtleFor(hash);
  const digest = (data: Uint8Array) =>
    webcrypto(
      'ERR_PKI_CRYPTO_UNAVAILABLE',
      `${hash} is not available from WebCrypto.`,
      async () => new Uint8Array(await subtle.digest(hash, bufferSource(data))),
    );
  const I = concat2(fill(salt, v), fill(password, v));
  const input = new Uint8Array(v + I.length);
  input.fill(id, 0, v);
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += u) {
    input.set(I, v);
    let A = await digest(input);
    for (let r = 1; r < iterations; r++) A = await digest(A);
    out.set(A.subarray(0, Math.min(u, n - o)), o);
    if (o + u < n) addBlocks(I, A, v);
  }
  return out;
}

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
