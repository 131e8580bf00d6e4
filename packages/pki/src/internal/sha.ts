// Synchronous SHA-1 and SHA-256 (FIPS 180-4 §6.1, §6.2) for the PKCS#12 key derivation
// function (RFC 7292 Appendix B.2), which hashes its own output thousands of times. WebCrypto
// has no such KDF and one `digest()` await per round costs far more than the round itself, so
// the rounds run here, on 32-bit words, without converting the state to bytes in between.
// Key identifiers (RFC 5280 §4.2.1.2, SHA-1 of a public key) use it too: one digest per issued
// certificate is cheaper here than a WebCrypto round trip, and so are certificate thumbprints (a store
// loads 100k of them). PBKDF2, HMAC and AES stay on WebCrypto.

/** A FIPS 180-4 hash with a 64-byte block, computed synchronously. */
export interface SyncHash {
  readonly name: 'SHA-1' | 'SHA-256';
  /** Input block size in bytes (`v` in RFC 7292 B.2). */
  readonly blockSize: 64;
  /** Output size in bytes (`u` in RFC 7292 B.2). */
  readonly outputSize: number;
  /** The digest of `data`. */
  digest(data: Uint8Array): Uint8Array;
  /** H^count(data): the digest of `data`, then `count - 1` digests of the previous digest. */
  iterate(data: Uint8Array, count: number): Uint8Array;
}

type Compress = (state: Int32Array, block: Int32Array, w: Int32Array) => void;

// FIPS 180-4 §6.1.2: SHA-1 compression of one 16-word block into `s`.
function sha1Compress(s: Int32Array, m: Int32Array, w: Int32Array): void {
  for (let t = 0; t < 16; t++) w[t] = m[t]!;
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let t = 0;
  for (; t < 20; t++) {
    const x = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w[t]! + 0x5a827999) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 40; t++) {
    const x = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! + 0x6ed9eba1) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 60; t++) {
    const x = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w[t]! - 0x70e44324) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 80; t++) {
    const x = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! - 0x359d3e2a) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  s[0] = s[0]! + a;
  s[1] = s[1]! + b;
  s[2] = s[2]! + c;
  s[3] = s[3]! + d;
  s[4] = s[4]! + e;
}

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K256 = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

// FIPS 180-4 §6.2.2: SHA-256 compression of one 16-word block into `s`.
function sha256Compress(s: Int32Array, m: Int32Array, w: Int32Array): void {
  for (let t = 0; t < 16; t++) w[t] = m[t]!;
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let f = s[5]!;
  let g = s[6]!;
  let h = s[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K256[t]! + w[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = s[0]! + a;
  s[1] = s[1]! + b;
  s[2] = s[2]! + c;
  s[3] = s[3]! + d;
  s[4] = s[4]! + e;
  s[5] = s[5]! + f;
  s[6] = s[6]! + g;
  s[7] = s[7]! + h;
}

function makeHash(
  name: 'SHA-1' | 'SHA-256',
  iv: readonly number[],
  compress: Compress,
  scheduleWords: number,
): SyncHash {
  const words = iv.length;
  const outputSize = words * 4;
  // Scratch buffers, reused: the hash is synchronous, so no two calls interleave.
  const state = new Int32Array(words);
  const block = new Int32Array(16);
  const w = new Int32Array(scheduleWords);

  /** Hashes `data` into `state` (message padding of FIPS 180-4 §5.1.1). */
  function run(data: Uint8Array): void {
    for (let i = 0; i < words; i++) state[i] = iv[i]!;
    const len = data.length;
    const full = len - (len % 64);
    for (let o = 0; o < full; o += 64) {
      for (let i = 0; i < 16; i++) {
        const p = o + i * 4;
        block[i] = (data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
      }
      compress(state, block, w);
    }
    const rest = len - full;
    const tail = new Uint8Array(rest < 56 ? 64 : 128);
    tail.set(data.subarray(full));
    tail[rest] = 0x80;
    // The message length in bits as a 64-bit big-endian integer.
    const hi = Math.floor(len / 0x20000000);
    const lo = (len << 3) >>> 0;
    const n = tail.length;
    tail[n - 8] = hi >>> 24;
    tail[n - 7] = (hi >>> 16) & 0xff;
    tail[n - 6] = (hi >>> 8) & 0xff;
    tail[n - 5] = hi & 0xff;
    tail[n - 4] = lo >>> 24;
    tail[n - 3] = (lo >>> 16) & 0xff;
    tail[n - 2] = (lo >>> 8) & 0xff;
    tail[n - 1] = lo & 0xff;
    for (let o = 0; o < n; o += 64) {
      for (let i = 0; i < 16; i++) {
        const p = o + i * 4;
        block[i] = (tail[p]! << 24) | (tail[p + 1]! << 16) | (tail[p + 2]! << 8) | tail[p + 3]!;
      }
      compress(state, block, w);
    }
  }

  function output(): Uint8Array {
    const out = new Uint8Array(outputSize);
    for (let i = 0; i < words; i++) {
      const v = state[i]!;
      out[i * 4] = v >>> 24;
      out[i * 4 + 1] = (v >>> 16) & 0xff;
      out[i * 4 + 2] = (v >>> 8) & 0xff;
      out[i * 4 + 3] = v & 0xff;
    }
    return out;
  }

  return {
    name,
    blockSize: 64,
    outputSize,
    digest(data) {
      run(data);
      return output();
    },
    iterate(data, count) {
      run(data);
      // Each further round hashes the previous digest: one padded block whose first words are
      // the state itself, so the state never leaves 32-bit words.
      for (let r = 1; r < count; r++) {
        for (let i = 0; i < words; i++) block[i] = state[i]!;
        block[words] = 0x80000000 | 0;
        for (let i = words + 1; i < 15; i++) block[i] = 0;
        block[15] = outputSize * 8;
        for (let i = 0; i < words; i++) state[i] = iv[i]!;
        compress(state, block, w);
      }
      return output();
    },
  };
}

/** SHA-1 (FIPS 180-4 §6.1); for legacy PKCS#12 only, where it is what the file specifies. */
export const sha1: SyncHash = makeHash(
  'SHA-1',
  [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
  sha1Compress,
  80,
);

/** SHA-256 (FIPS 180-4 §6.2). */
export const sha256: SyncHash = makeHash(
  'SHA-256',
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  sha256Compress,
  64,
);
