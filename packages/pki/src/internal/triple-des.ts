// Triple DES (DES-EDE, NIST SP 800-67 with the DES of FIPS 46-3) in CBC mode with PKCS#5
// padding, for the legacy PKCS#12 ciphers pbeWithSHAAnd3-KeyTripleDES-CBC and
// pbeWithSHAAnd2-KeyTripleDES-CBC (RFC 7292 Appendix C) and PBES2 with des-ede3-cbc.
//
// Why it is here: WebCrypto has no DES (W3C WebCrypto registers AES, not DES), so neither
// browsers nor Node's `crypto.subtle` provide it; @peculiar/webcrypto does, but only by wrapping
// node:crypto, which this browser-safe package cannot import, and the provider seam cannot probe
// for it. PKCS#12 payloads are a few kilobytes, so a table-driven implementation is fast enough
// (well under a millisecond per file) and keeps the legacy profile working everywhere.
// Decryption checks the padding, so a wrong key is reported as such with probability 255/256.

import { PkiError } from '../errors.js';

// FIPS 46-3 tables (bit positions are 1-based from the most significant bit).
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
];

/** SP[i][x]: S-box i applied to the 6-bit group x, placed in its nibble and permuted by P. */
const SP: Int32Array[] = S.map((box, i) => {
  const t = new Int32Array(64);
  for (let x = 0; x < 64; x++) {
    // Row from the outer bits (b1 b6), column from the inner four (FIPS 46-3, "The functions S").
    const row = ((x >> 4) & 2) | (x & 1);
    const col = (x >> 1) & 0xf;
    const nibble = box[row * 16 + col]! << (28 - 4 * i);
    let out = 0;
    for (let k = 0; k < 32; k++) if ((nibble >>> (32 - P[k]!)) & 1) out |= 1 << (31 - k);
    t[x] = out;
  }
  return t;
});

/** A 64-bit permutation as per-byte lookup tables: out = OR over bytes of TABLE[byte index][value]. */
function permTables(table: readonly number[]): { hi: Int32Array[]; lo: Int32Array[] } {
  const hi: Int32Array[] = [];
  const lo: Int32Array[] = [];
  for (let b = 0; b < 8; b++) {
    const h = new Int32Array(256);
    const l = new Int32Array(256);
    for (let v = 0; v < 256; v++) {
      let oh = 0;
      let ol = 0;
      for (let k = 0; k < 64; k++) {
        const src = table[k]! - 1; // 0-based input bit, MSB first
        if (src >> 3 !== b) continue;
        if ((v >> (7 - (src & 7))) & 1) {
          if (k < 32) oh |= 1 << (31 - k);
          else ol |= 1 << (63 - k);
        }
      }
      h[v] = oh;
      l[v] = ol;
    }
    hi.push(h);
    lo.push(l);
  }
  return { hi, lo };
}

const FP = (() => {
  const inv = new Array<number>(64);
  for (let k = 0; k < 64; k++) inv[IP[k]! - 1] = k + 1;
  return inv;
})();
const IP_T = permTables(IP);
const FP_T = permTables(FP);

function permute(t: { hi: Int32Array[]; lo: Int32Array[] }, l: number, r: number, out: Int32Array): void {
  let oh = 0;
  let ol = 0;
  for (let b = 0; b < 4; b++) {
    const v = (l >>> (24 - 8 * b)) & 0xff;
    oh |= t.hi[b]![v]!;
    ol |= t.lo[b]![v]!;
  }
  for (let b = 0; b < 4; b++) {
    const v = (r >>> (24 - 8 * b)) & 0xff;
    oh |= t.hi[b + 4]![v]!;
    ol |= t.lo[b + 4]![v]!;
  }
  out[0] = oh;
  out[1] = ol;
}

/** The 16 round keys of one DES key, as 8 six-bit groups per round (128 entries). */
function schedule(key: Uint8Array, offset: number): Uint8Array {
  const bit = (n: number) => (key[offset + ((n - 1) >> 3)]! >> (7 - ((n - 1) & 7))) & 1;
  const cd = PC1.map(bit);
  let c = cd.slice(0, 28);
  let d = cd.slice(28);
  const out = new Uint8Array(128);
  for (let round = 0; round < 16; round++) {
    const s = SHIFTS[round]!;
    c = c.slice(s).concat(c.slice(0, s));
    d = d.slice(s).concat(d.slice(0, s));
    const both = c.concat(d);
    for (let g = 0; g < 8; g++) {
      let v = 0;
      for (let k = 0; k < 6; k++) v = (v << 1) | both[PC2[g * 6 + k]! - 1]!;
      out[round * 8 + g] = v;
    }
  }
  return out;
}

/** The cipher function f(R, K) of FIPS 46-3 with the expansion E done by rotation. */
function f(r: number, k: Uint8Array, o: number): number {
  const x = (r >>> 1) | (r << 31); // rotate right by one: bit 32 leads, then bits 1..31
  return (
    SP[0]![((x >>> 26) & 0x3f) ^ k[o]!]! |
    SP[1]![((x >>> 22) & 0x3f) ^ k[o + 1]!]! |
    SP[2]![((x >>> 18) & 0x3f) ^ k[o + 2]!]! |
    SP[3]![((x >>> 14) & 0x3f) ^ k[o + 3]!]! |
    SP[4]![((x >>> 10) & 0x3f) ^ k[o + 4]!]! |
    SP[5]![((x >>> 6) & 0x3f) ^ k[o + 5]!]! |
    SP[6]![((x >>> 2) & 0x3f) ^ k[o + 6]!]! |
    SP[7]![(((x & 0xf) << 2) | (x >>> 30)) ^ k[o + 7]!]!
  );
}

/** 16 Feistel rounds on (l, r) in place; `decrypt` runs the key schedule backwards. */
function rounds(lr: Int32Array, ks: Uint8Array, decrypt: boolean): void {
  let l = lr[0]!;
  let r = lr[1]!;
  for (let i = 0; i < 16; i++) {
    const t = r;
    r = l ^ f(r, ks, (decrypt ? 15 - i : i) * 8);
    l = t;
  }
  // The last round does not swap (FIPS 46-3: the preoutput block is R16 L16).
  lr[0] = r;
  lr[1] = l;
}

/** A DES-EDE key: three schedules (K1, K2, K3; K3 = K1 for the two-key form). */
interface EdeKey {
  k1: Uint8Array;
  k2: Uint8Array;
  k3: Uint8Array;
}

function edeKey(key: Uint8Array): EdeKey {
  if (key.length !== 24 && key.length !== 16)
    throw new PkiError(
      'ERR_PKI_PKCS12_INVALID',
      `A triple-DES key has ${key.length} bytes instead of 16 or 24.`,
    );
  const k1 = schedule(key, 0);
  const k2 = schedule(key, 8);
  return { k1, k2, k3: key.length === 24 ? schedule(key, 16) : k1 };
}

/** Encrypts or decrypts one block (E_K3(D_K2(E_K1(x))) and its inverse); IP/FP between stages cancel out. */
function block(k: EdeKey, lr: Int32Array, decrypt: boolean, tmp: Int32Array): void {
  permute(IP_T, lr[0]!, lr[1]!, tmp);
  if (decrypt) {
    rounds(tmp, k.k3, true);
    rounds(tmp, k.k2, false);
    rounds(tmp, k.k1, true);
  } else {
    rounds(tmp, k.k1, false);
    rounds(tmp, k.k2, true);
    rounds(tmp, k.k3, false);
  }
  permute(FP_T, tmp[0]!, tmp[1]!, lr);
}

function read32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

function write32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 8)
    throw new PkiError('ERR_PKI_PKCS12_INVALID', `A triple-DES IV has ${iv.length} bytes instead of 8.`);
}

/**
 * DES-EDE-CBC encryption with PKCS#5 padding (RFC 8018 §6.1.1 step 4). `key` is 24 bytes
 * (three-key) or 16 bytes (two-key, K3 = K1); `iv` is 8 bytes.
 */
export function tripleDesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  checkIv(iv);
  const k = edeKey(key);
  const pad = 8 - (plain.length % 8);
  const out = new Uint8Array(plain.length + pad);
  out.set(plain);
  out.fill(pad, plain.length);
  const lr = new Int32Array(2);
  const tmp = new Int32Array(2);
  let c0 = read32(iv, 0);
  let c1 = read32(iv, 4);
  for (let o = 0; o < out.length; o += 8) {
    lr[0] = read32(out, o) ^ c0;
    lr[1] = read32(out, o + 4) ^ c1;
    block(k, lr, false, tmp);
    c0 = lr[0]!;
    c1 = lr[1]!;
    write32(out, o, c0);
    write32(out, o + 4, c1);
  }
  return out;
}

/**
 * DES-EDE-CBC decryption; returns the plaintext without its padding, or undefined when the
 * length or the padding is wrong (a wrong key, or damaged data).
 */
export function tripleDesCbcDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array | undefined {
  checkIv(iv);
  if (data.length === 0 || data.length % 8 !== 0) return undefined;
  const k = edeKey(key);
  const out = new Uint8Array(data.length);
  const lr = new Int32Array(2);
  const tmp = new Int32Array(2);
  let c0 = read32(iv, 0);
  let c1 = read32(iv, 4);
  for (let o = 0; o < data.length; o += 8) {
    const x0 = read32(data, o);
    const x1 = read32(data, o + 4);
    lr[0] = x0;
    lr[1] = x1;
    block(k, lr, true, tmp);
    write32(out, o, lr[0]! ^ c0);
    write32(out, o + 4, lr[1]! ^ c1);
    c0 = x0;
    c1 = x1;
  }
  return unpad(out, 8);
}

/** Removes PKCS#5/#7 padding (RFC 8018 §6.1.1), or returns undefined when it is malformed. */
export function unpad(out: Uint8Array, blockSize: number): Uint8Array | undefined {
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > blockSize || pad > out.length) return undefined;
  for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) return undefined;
  return out.subarray(0, out.length - pad);
}
