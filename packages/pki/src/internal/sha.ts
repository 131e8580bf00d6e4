// Synchronous SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4 §6.1, §6.2, §6.4, §6.5) for the
// PKCS#12 key derivation function (RFC 7292 Appendix B.2), which hashes its own output thousands
// of times (OpenSSL writes MACs with SHA-384/512 too: `openssl pkcs12 -export -macalg sha512`).
// WebCrypto has no such KDF and one `digest()` await per round costs far more than the round
// itself, so the rounds run here, on 32-bit words, without converting the state to bytes in
// between.
// Key identifiers (RFC 5280 §4.2.1.2, SHA-1 of a public key) use it too: one digest per issued
// certificate is cheaper here than a WebCrypto round trip, and so are certificate thumbprints (a store
// loads 100k of them). PBKDF2, HMAC and AES stay on WebCrypto.

/** A FIPS 180-4 hash, computed synchronously. */
export interface SyncHash {
  readonly name: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** Input block size in bytes (`v` in RFC 7292 B.2). */
  readonly blockSize: 64 | 128;
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

// FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80
// primes, as (high, low) 32-bit pairs.
const K512 = Int32Array.from([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc, 0x3956c25b,
  0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118, 0xd807aa98, 0xa3030242,
  0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2, 0x72be5d74, 0xf27b896f, 0x80deb1fe,
  0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694, 0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3,
  0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65, 0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc,
  0xbd41fbd4, 0x76f988da, 0x831153b5, 0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f,
  0xbf597fc7, 0xbeef0ee4, 0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967,
  0x0a0e6e70, 0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b, 0xa2bfe8a1,
  0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30, 0xd192e819, 0xd6ef5218,
  0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8, 0x19a4c116, 0xb8d2d0c8, 0x1e376c08,
  0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8, 0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb,
  0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3, 0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814,
  0xa1f0ab72, 0x8cc70208, 0x1a6439ec, 0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915,
  0xc67178f2, 0xe372532b, 0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f,
  0xee6ed178, 0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c, 0x4cc5d4be,
  0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);

const TWO32 = 4294967296;

// FIPS 180-4 §6.4.2: SHA-512 compression of one 32-word (16 × 64-bit) block into `s`.
function sha512Compress(s: Int32Array, m: Int32Array, w: Int32Array): void {
  for (let i = 0; i < 32; i++) w[i] = m[i]!;
  for (let t = 32; t < 160; t += 2) {
    // σ1(W[t-2]) = ROTR19 ^ ROTR61 ^ SHR6
    const xh = w[t - 4]!;
    const xl = w[t - 3]!;
    const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
    const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
    // σ0(W[t-15]) = ROTR1 ^ ROTR8 ^ SHR7
    const yh = w[t - 30]!;
    const yl = w[t - 29]!;
    const s0h = ((yh >>> 1) | (yl << 31)) ^ ((yh >>> 8) | (yl << 24)) ^ (yh >>> 7);
    const s0l = ((yl >>> 1) | (yh << 31)) ^ ((yl >>> 8) | (yh << 24)) ^ ((yl >>> 7) | (yh << 25));
    const lo = (s1l >>> 0) + (w[t - 13]! >>> 0) + (s0l >>> 0) + (w[t - 31]! >>> 0);
    w[t] = (s1h + w[t - 14]! + s0h + w[t - 32]! + ((lo / TWO32) | 0)) | 0;
    w[t + 1] = lo | 0;
  }
  let ah = s[0]!;
  let al = s[1]!;
  let bh = s[2]!;
  let bl = s[3]!;
  let ch = s[4]!;
  let cl = s[5]!;
  let dh = s[6]!;
  let dl = s[7]!;
  let eh = s[8]!;
  let el = s[9]!;
  let fh = s[10]!;
  let fl = s[11]!;
  let gh = s[12]!;
  let gl = s[13]!;
  let hh = s[14]!;
  let hl = s[15]!;
  for (let t = 0; t < 160; t += 2) {
    // Σ1(e) = ROTR14 ^ ROTR18 ^ ROTR41
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K512[t + 1]! >>> 0) + (w[t + 1]! >>> 0);
    const t1h = (hh + S1h + chh + K512[t]! + w[t]! + ((t1lo / TWO32) | 0)) | 0;
    const t1l = t1lo | 0;
    // Σ0(a) = ROTR28 ^ ROTR34 ^ ROTR39
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    hh = gh;
    hl = gl;
    gh = fh;
    gl = fl;
    fh = eh;
    fl = el;
    const elo = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((elo / TWO32) | 0)) | 0;
    el = elo | 0;
    dh = ch;
    dl = cl;
    ch = bh;
    cl = bl;
    bh = ah;
    bl = al;
    const alo = (t1l >>> 0) + (S0l >>> 0) + (majl >>> 0);
    ah = (t1h + S0h + majh + ((alo / TWO32) | 0)) | 0;
    al = alo | 0;
  }
  const add = (i: number, h: number, l: number) => {
    const lo = (s[i + 1]! >>> 0) + (l >>> 0);
    s[i] = (s[i]! + h + ((lo / TWO32) | 0)) | 0;
    s[i + 1] = lo | 0;
  };
  add(0, ah, al);
  add(2, bh, bl);
  add(4, ch, cl);
  add(6, dh, dl);
  add(8, eh, el);
  add(10, fh, fl);
  add(12, gh, gl);
  add(14, hh, hl);
}

function makeHash(
  name: SyncHash['name'],
  iv: readonly number[],
  compress: Compress,
  scheduleWords: number,
  blockSize: 64 | 128,
  outWords: number,
): SyncHash {
  // SHA-384/512 keep each 64-bit word as two 32-bit words, high first: the block, state and
  // output are big-endian 32-bit words for every member of the family.
  const stateWords = iv.length;
  const blockWords = blockSize / 4;
  const outputSize = outWords * 4;
  // Scratch buffers, reused: the hash is synchronous, so no two calls interleave.
  const state = new Int32Array(stateWords);
  const block = new Int32Array(blockWords);
  const w = new Int32Array(scheduleWords);

  function load(bytes: Uint8Array, o: number): void {
    for (let i = 0; i < blockWords; i++) {
      const p = o + i * 4;
      block[i] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    }
  }

  /** Hashes `data` into `state` (message padding of FIPS 180-4 §5.1.1, §5.1.2). */
  function run(data: Uint8Array): void {
    for (let i = 0; i < stateWords; i++) state[i] = iv[i]!;
    const len = data.length;
    const full = len - (len % blockSize);
    for (let o = 0; o < full; o += blockSize) {
      load(data, o);
      compress(state, block, w);
    }
    const rest = len - full;
    // The length field is 8 bytes (64-byte blocks) or 16 (128-byte blocks); inputs here are far
    // below 2^53 bits, so only its last 8 bytes are ever non-zero.
    const tail = new Uint8Array(rest < blockSize - blockSize / 8 ? blockSize : 2 * blockSize);
    tail.set(data.subarray(full));
    tail[rest] = 0x80;
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
    for (let o = 0; o < n; o += blockSize) {
      load(tail, o);
      compress(state, block, w);
    }
  }

  function output(): Uint8Array {
    const out = new Uint8Array(outputSize);
    for (let i = 0; i < outWords; i++) {
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
    blockSize,
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
        for (let i = 0; i < outWords; i++) block[i] = state[i]!;
        block[outWords] = 0x80000000 | 0;
        for (let i = outWords + 1; i < blockWords - 1; i++) block[i] = 0;
        block[blockWords - 1] = outputSize * 8;
        for (let i = 0; i < stateWords; i++) state[i] = iv[i]!;
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
  64,
  5,
);

/** SHA-256 (FIPS 180-4 §6.2). */
export const sha256: SyncHash = makeHash(
  'SHA-256',
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  sha256Compress,
  64,
  64,
  8,
);

/**
 * SHA-512 (FIPS 180-4 §6.4).
 *
 * @example
 * ```ts
 * const digest = sha512.digest(new TextEncoder().encode('abc')); // ddaf35a1…a54ca49f
 * ```
 */
export const sha512: SyncHash = makeHash(
  'SHA-512',
  [
    0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
    0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
  ],
  sha512Compress,
  160,
  128,
  16,
);

/**
 * SHA-384 (FIPS 180-4 §6.5): SHA-512 with its own initial value, truncated to 48 bytes.
 *
 * @example
 * ```ts
 * const digest = sha384.digest(new TextEncoder().encode('abc')); // cb00753f…a1e7cc2358baeca134c825a7
 * ```
 */
export const sha384: SyncHash = makeHash(
  'SHA-384',
  [
    0xcbbb9d5d, 0xc1059ed8, 0x629a292a, 0x367cd507, 0x9159015a, 0x3070dd17, 0x152fecd8, 0xf70e5939,
    0x67332667, 0xffc00b31, 0x8eb44a87, 0x68581511, 0xdb0c2e0d, 0x64f98fa7, 0x47b5481d, 0xbefa4fa4,
  ],
  sha512Compress,
  160,
  128,
  12,
);
