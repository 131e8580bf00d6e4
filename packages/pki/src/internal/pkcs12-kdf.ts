// The PKCS#12 key derivation function (RFC 7292 Appendix B.2), used for the MAC key of every
// PKCS#12 file (ID 3) and for the key and IV of the legacy pbeWithSHAAnd… ciphers (ID 1 and 2,
// RFC 7292 Appendix C). It iterates a hash over its own output, so every hash runs on a
// synchronous implementation in ./sha.ts (per round in Node 20: SHA-1 about 0.6 µs, SHA-256 0.8,
// SHA-384 and SHA-512 3.7). A WebCrypto `digest()` await per round costs tens of µs: 100,000
// SHA-512 rounds took 6-10 s that way.

import { PkiError } from '../errors.js';
import { type SyncHash, sha1, sha256, sha384, sha512 } from './sha.js';

/**
 * Hashes the PKCS#12 KDF accepts (RFC 7292 Appendix B); a parsed file's MAC reports one.
 *
 * @example
 * ```ts
 * const { mac } = await readPkcs12(pfx, password);
 * const hash: Pkcs12KdfHash | undefined = mac?.hash; // 'SHA-256' for a modern .pfx, 'SHA-1' for a legacy one
 * ```
 */
export type Pkcs12KdfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** RFC 7292 B.3: the purpose byte `ID`. */
export const KDF_KEY = 1;
export const KDF_IV = 2;
export const KDF_MAC = 3;

/** The synchronous hash of each {@link Pkcs12KdfHash}, with `v` (blockSize) and `u` (outputSize). */
const HASHES: Record<Pkcs12KdfHash, SyncHash> = {
  'SHA-1': sha1,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
};

/**
 * The cost of one round of each hash's chain relative to a SHA-1 round, in tenths, measured in
 * Node 20 (SHA-1 0.6 µs, SHA-256 0.8 µs, SHA-384/512 3.7 µs): what the read budget of a PKCS#12
 * file charges per iteration, so that a SHA-512 MAC cannot cost six times what its count says.
 */
export const KDF_ROUND_COST_TENTHS: Record<Pkcs12KdfHash, number> = {
  'SHA-1': 10,
  'SHA-256': 14,
  'SHA-384': 64,
  'SHA-512': 64,
};

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
 * {@link bmpPassword}; empty for a NULL password). Synchronous, for every {@link Pkcs12KdfHash}.
 */
export function pkcs12KdfSync(
  hash: Pkcs12KdfHash,
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number,
): Uint8Array {
  const h = HASHES[hash];
  if (!h) throw new PkiError('ERR_PKI_PKCS12_UNSUPPORTED', `The PKCS#12 KDF does not support ${hash}.`);
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

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
