// PKCS#12 (RFC 7292): the synchronous hashes and KDF, the legacy ciphers, the BER normaliser,
// round trips of createPkcs12/readPkcs12 for both profiles and three key types, the encodings
// checked against independent implementations (node:crypto, node-forge), compatibility paths
// (BER, empty and NULL passwords, no MAC, plain bags) and hostile input. The real tools
// (OpenSSL, NSS, Java) are exercised in test/interop/pkcs12-tools.test.ts.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes as nodeRandom,
  pbkdf2Sync,
} from 'node:crypto';
import fc from 'fast-check';
import * as forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureAlgorithmFor, signData, verifySignature } from '../src/algorithms.js';
import type { Certificate } from '../src/certificate.js';
import { createCertificate } from '../src/certificate.js';
import { isPkiError, PkiError, type PkiErrorCode } from '../src/errors.js';
import { basicConstraints } from '../src/extensions.js';
import { berToDer } from '../src/internal/ber.js';
import { fromHex, toHex } from '../src/internal/bytes.js';
import {
  Cursor,
  contentOf,
  encodingOf,
  explicit,
  int,
  nul,
  octets,
  oid,
  readOctetString,
  readOid,
  readWhole,
  seq,
  setOf,
  str,
  T,
  type Tlv,
  tlv,
} from '../src/internal/der.js';
import { bmpPassword, pkcs12KdfSync } from '../src/internal/pkcs12-kdf.js';
import { pbeEncrypt } from '../src/internal/pkcs12-pbe.js';
import {
  rc2CbcDecrypt,
  rc2CbcEncrypt,
  rc2DecryptBlock,
  rc2EncryptBlock,
  rc2ExpandKey,
} from '../src/internal/rc2.js';
import { sha1, sha256, sha384, sha512 } from '../src/internal/sha.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../src/internal/triple-des.js';
import { generateKeyPair, type KeyPair, type PrivateKey } from '../src/keys.js';
import {
  createPkcs12,
  PKCS12_BUDGET_FACTOR,
  PKCS12_DEFAULT_ITERATIONS,
  PKCS12_DEFAULT_MAX_ITERATIONS,
  type Pkcs12Profile,
  readPkcs12,
} from '../src/pkcs12.js';

const hex = (b: Uint8Array) => toHex(b, true);
const u8 = (b: Buffer | Uint8Array) => new Uint8Array(b);

// ---------------------------------------------------------------------------------------------
// Independent references

/** RFC 7292 B.2 by node-forge (its own SHA and BMP encoding); `null` is the NULL password. */
function forgeKdf(
  password: string | null,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number,
  hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512',
): Uint8Array {
  const md = {
    'SHA-1': () => forge.md.sha1.create(),
    'SHA-256': () => forge.md.sha256.create(),
    'SHA-384': () => forge.md.sha384.create(),
    'SHA-512': () => forge.md.sha512.create(),
  }[hash]();
  const saltBuf = forge.util.createBuffer(forge.util.binary.raw.encode(salt));
  const out = forge.pkcs12.generateKey(password as string, saltBuf, id, iterations, n, md);
  return u8(Buffer.from(out.getBytes(), 'binary'));
}

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
const MAC_OID = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
} as const;
type MacHash = keyof typeof MAC_OID;

/** MacData computed with node-forge's KDF and node:crypto's HMAC, independently of certlab. */
function macData(
  authSafe: Uint8Array,
  password: string | null,
  opts: { hash?: MacHash; iterations?: number | bigint; salt?: Uint8Array; computeWith?: number } = {},
): Uint8Array {
  const hash = opts.hash ?? 'SHA-256';
  const iterations = opts.iterations ?? 1;
  const salt = opts.salt ?? u8(nodeRandom(8));
  const size = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
  // A hostile count is declared, not computed: `computeWith` keys the MAC with fewer iterations.
  const kdfIter = opts.computeWith ?? (typeof iterations === 'bigint' ? 1 : iterations);
  const key = forgeKdf(password, salt, 3, kdfIter, size, hash);
  const mac = u8(createHmac(NODE_HASH[hash], key).update(authSafe).digest());
  return seq(seq(seq(oid(MAC_OID[hash]), nul()), octets(mac)), octets(salt), int(iterations));
}

// ---------------------------------------------------------------------------------------------
// Crafting PKCS#12 files with our DER writer (RFC 7292 §4, §4.1, §4.2)

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const BAG_KEY = '1.2.840.113549.1.12.10.1.1';
const BAG_SHROUDED = '1.2.840.113549.1.12.10.1.2';
const BAG_CERT = '1.2.840.113549.1.12.10.1.3';
const BAG_CRL = '1.2.840.113549.1.12.10.1.4';
const BAG_SECRET = '1.2.840.113549.1.12.10.1.5';
const BAG_SAFE_CONTENTS = '1.2.840.113549.1.12.10.1.6';
const OID_X509 = '1.2.840.113549.1.9.22.1';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const PBE_3DES = '1.2.840.113549.1.12.1.3';

const attrs = (o: { name?: string; keyId?: Uint8Array }) => {
  const a: Uint8Array[] = [];
  if (o.name !== undefined) a.push(seq(oid(OID_FRIENDLY_NAME), setOf([str(T.BMP_STRING, o.name)])));
  if (o.keyId) a.push(seq(oid(OID_LOCAL_KEY_ID), setOf([octets(o.keyId)])));
  return setOf(a);
};
const bag = (type: string, value: Uint8Array, attributes?: Uint8Array) =>
  attributes ? seq(oid(type), explicit(0, value), attributes) : seq(oid(type), explicit(0, value));
const certBag = (c: Certificate, attributes?: Uint8Array) =>
  bag(BAG_CERT, seq(oid(OID_X509), explicit(0, octets(c.der))), attributes);
const dataSafe = (...bags: Uint8Array[]) => seq(oid(OID_DATA), explicit(0, octets(seq(...bags))));
const encryptedSafe = (algorithm: Uint8Array, ciphertext: Uint8Array) =>
  seq(
    oid(OID_ENCRYPTED_DATA),
    explicit(0, seq(int(0), seq(oid(OID_DATA), algorithm, tlv(0x80, ciphertext)))),
  );
const pkcs12PbeAlg = (algOid: string, iterations: number | bigint, salt = new Uint8Array(8)) =>
  seq(oid(algOid), seq(octets(salt), int(iterations)));

/** A PFX around an AuthenticatedSafe; `mac: false` for none, else MacData by {@link macData}. */
function pfx(
  safes: Uint8Array[],
  password: string | null,
  opts: { mac?: false | Parameters<typeof macData>[2]; version?: number } = {},
): Uint8Array {
  const authSafe = seq(...safes);
  const parts = [int(opts.version ?? 3), seq(oid(OID_DATA), explicit(0, octets(authSafe)))];
  if (opts.mac !== false) parts.push(macData(authSafe, password, opts.mac ?? {}));
  return seq(...parts);
}

/** Replaces the authSafe content of a PFX and recomputes the MAC (1 iteration) so that parsing gets past it. */
function remac(authSafe: Uint8Array, password: string): Uint8Array {
  return seq(int(3), seq(oid(OID_DATA), explicit(0, octets(authSafe))), macData(authSafe, password));
}

/** Splits a PFX into its parts: the authSafe content and the safes. */
function dissect(der: Uint8Array): { authSafe: Uint8Array; safes: Tlv[]; mac?: Tlv } {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  c.next(T.INTEGER);
  const ci = Cursor.of(c.next(T.SEQUENCE));
  ci.next(T.OID);
  const authSafe = readOctetString(Cursor.of(ci.next(0xa0)).next(T.OCTET_STRING));
  const mac = c.done() ? undefined : c.next(T.SEQUENCE);
  const list = Cursor.of(readWhole(authSafe, T.SEQUENCE));
  const safes: Tlv[] = [];
  while (!list.done()) safes.push(list.next(T.SEQUENCE));
  return mac ? { authSafe, safes, mac } : { authSafe, safes };
}

/**
 * Re-encodes DER as BER the way Windows' PFXExportCertStoreEx does: every constructed element
 * with an indefinite length, every OCTET STRING (and the [0] IMPLICIT encryptedContent) longer
 * than `chunk` as a constructed string of `chunk`-byte segments. One level only: the contents
 * of OCTET STRINGs are kept as they are.
 */
function berify(der: Uint8Array, chunk = 64): Uint8Array {
  const out: number[] = [];
  const walk = (t: Tlv) => {
    const constructed = (t.id & 0x20) !== 0;
    const v = contentOf(t);
    if (!constructed) {
      if ((t.id === T.OCTET_STRING || t.id === 0x80) && v.length > chunk) {
        out.push(t.id | 0x20, 0x80);
        for (let o = 0; o < v.length; o += chunk) out.push(...tlv(T.OCTET_STRING, v.subarray(o, o + chunk)));
        out.push(0, 0);
      } else out.push(...encodingOf(t));
      return;
    }
    out.push(t.id, 0x80);
    const c = Cursor.of(t);
    while (!c.done()) walk(c.next());
    out.push(0, 0);
  };
  walk(readWhole(der));
  return Uint8Array.from(out);
}

/** Expects `p` to reject with a PkiError whose code is one of `codes`; returns it. */
async function rejects(p: Promise<unknown>, ...codes: PkiErrorCode[]): Promise<PkiError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof PkiError)) throw new Error(`expected a PkiError, got ${String(e)}`, { cause: e });
    if (codes.length && !codes.includes(e.code))
      throw new Error(`expected ${codes.join('|')}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error('expected a rejection');
}

// ---------------------------------------------------------------------------------------------
// Fixtures: a root → intermediate → leaf chain for three key types

interface Fixture {
  label: string;
  pair: KeyPair;
  leaf: Certificate;
}
let root: Certificate;
let intermediate: Certificate;
const fixtures: Fixture[] = [];
const byLabel = (l: string) => fixtures.find((f) => f.label === l)!;

beforeAll(async () => {
  const rootKey = await generateKeyPair({ type: 'ec', curve: 'P-384' });
  const interKey = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  root = await createCertificate({
    subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
    publicKey: rootKey.publicKey,
    signingKey: rootKey.privateKey,
    extensions: [basicConstraints({ ca: true })],
  });
  intermediate = await createCertificate({
    subject: 'CN=Contoso Issuing CA 01, O=Contoso, C=FR',
    publicKey: interKey.publicKey,
    signingKey: rootKey.privateKey,
    issuer: root,
    extensions: [basicConstraints({ ca: true })],
  });
  for (const [label, spec] of [
    ['RSA', { type: 'rsa', bits: 2048 }],
    ['P-256', { type: 'ec', curve: 'P-256' }],
    ['Ed25519', { type: 'ed25519' }],
  ] as const) {
    const pair = await generateKeyPair(spec);
    const leaf = await createCertificate({
      subject: `CN=exch01-${label}.contoso.com, O=Contoso, C=FR`,
      publicKey: pair.publicKey,
      signingKey: interKey.privateKey,
      issuer: intermediate,
    });
    fixtures.push({ label, pair, leaf });
  }
});

async function signsFor(key: PrivateKey, cert: Certificate): Promise<boolean> {
  const alg = signatureAlgorithmFor(key);
  const data = new TextEncoder().encode('PKCS#12 round trip');
  return verifySignature(cert.publicKey, alg, data, await signData(key, alg, data));
}

// ---------------------------------------------------------------------------------------------

describe('synchronous SHA-1 and SHA-256 (FIPS 180-4)', () => {
  it('match node:crypto at every padding boundary and for large inputs', () => {
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 1000, 4095, 4096, 100_000];
    for (const len of lengths) {
      const d = u8(nodeRandom(len));
      expect(hex(sha1.digest(d)), `SHA-1 ${len}`).toBe(
        createHash('sha1').update(d).digest('hex').toUpperCase(),
      );
      expect(hex(sha256.digest(d)), `SHA-256 ${len}`).toBe(
        createHash('sha256').update(d).digest('hex').toUpperCase(),
      );
    }
  });

  it('iterate() is H applied count times, as node:crypto computes it', () => {
    for (const [h, name] of [
      [sha1, 'sha1'],
      [sha256, 'sha256'],
    ] as const) {
      for (const count of [1, 2, 3, 100]) {
        const seed = u8(nodeRandom(100));
        let x = createHash(name).update(seed).digest();
        for (let i = 1; i < count; i++) x = createHash(name).update(x).digest();
        expect(hex(h.iterate(seed, count))).toBe(x.toString('hex').toUpperCase());
      }
    }
  });
});

describe('synchronous SHA-384 and SHA-512 (FIPS 180-4 §6.4, §6.5)', () => {
  it('match WebCrypto digest() and node:crypto at every padding boundary and for large inputs', async () => {
    const lengths = [...Array.from({ length: 260 }, (_, i) => i), 1000, 4095, 4096, 100_000];
    for (const len of lengths) {
      const d = u8(nodeRandom(len));
      for (const [h, name] of [
        [sha384, 'SHA-384'],
        [sha512, 'SHA-512'],
      ] as const) {
        const web = hex(new Uint8Array(await globalThis.crypto.subtle.digest(name, d)));
        expect(hex(h.digest(d)), `${name} ${len}`).toBe(web);
        expect(web).toBe(createHash(NODE_HASH[name]).update(d).digest('hex').toUpperCase());
      }
    }
  });

  it('give the FIPS 180-4 example digests of "abc"', () => {
    const abc = new TextEncoder().encode('abc');
    expect(hex(sha512.digest(abc))).toBe(
      'DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F',
    );
    expect(hex(sha384.digest(abc))).toBe(
      'CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAECA134C825A7',
    );
  });

  it('iterate() is H applied count times, as WebCrypto computes it', async () => {
    for (const [h, name] of [
      [sha384, 'SHA-384'],
      [sha512, 'SHA-512'],
    ] as const) {
      for (const count of [1, 2, 3, 100]) {
        const seed = u8(nodeRandom(150));
        let x = new Uint8Array(await globalThis.crypto.subtle.digest(name, seed));
        for (let i = 1; i < count; i++) x = new Uint8Array(await globalThis.crypto.subtle.digest(name, x));
        expect(hex(h.iterate(seed, count)), `${name} ${count}`).toBe(hex(x));
      }
    }
  });
});

describe('PKCS#12 KDF (RFC 7292 Appendix B)', () => {
  it('encodes passwords as BMPString with a NUL terminator (B.1), non-BMP characters as surrogate pairs', () => {
    expect(hex(bmpPassword(''))).toBe('0000');
    expect(hex(bmpPassword('ab'))).toBe('006100620000');
    expect(hex(bmpPassword('é😀'))).toBe('00E9D83DDE000000');
  });

  it('reproduces the OpenSSL/BouncyCastle vector ("smeg", ID 1, one iteration)', () => {
    const key = pkcs12KdfSync('SHA-1', bmpPassword('smeg'), fromHex('0A58CF64530D823F'), 1, 1, 24);
    expect(hex(key)).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3');
  });

  it('matches node-forge for SHA-1 and SHA-256, every ID, output sizes across blocks, odd salts and passwords', () => {
    const passwords: (string | null)[] = [null, '', 'pw', 'pässwörd😀', 'x'.repeat(70)];
    const salts = [0, 1, 8, 20, 64, 100].map((n) => u8(nodeRandom(n)));
    for (const hash of ['SHA-1', 'SHA-256'] as const) {
      for (const pw of passwords) {
        for (const salt of salts) {
          for (const [id, n, iter] of [
            [1, 24, 3],
            [2, 8, 1],
            [3, 32, 7],
            [1, 65, 2],
            [1, 16, 20],
          ] as const) {
            const enc = pw === null ? new Uint8Array(0) : bmpPassword(pw);
            expect(
              hex(pkcs12KdfSync(hash, enc, salt, id, iter, n)),
              `${hash} ${pw} ${salt.length} ${id} ${n}`,
            ).toBe(hex(forgeKdf(pw, salt, id, iter, n, hash)));
          }
        }
      }
    }
  });

  it('runs SHA-384 and SHA-512 synchronously (128-byte blocks), as node-forge computes them', async () => {
    const salt = u8(nodeRandom(8));
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      for (const [id, n, iter] of [
        [3, 100, 50],
        [1, 24, 3],
        [2, 8, 1],
        [3, 200, 2],
      ] as const) {
        const got = pkcs12KdfSync(hash, bmpPassword('pw'), salt, id, iter, n);
        expect(hex(got), `${hash} ${id} ${n}`).toBe(hex(forgeKdf('pw', salt, id, iter, n, hash)));
      }
    }
  });

  it('derives SHA-384/512 keys synchronously (no await per round), as node-forge does', () => {
    // Speed is measured in bench/, not asserted here: what matters is that the rounds run in
    // line (a Uint8Array, not a promise) and give the same bytes.
    const salt = new Uint8Array(8).fill(7);
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      const got = pkcs12KdfSync(hash, bmpPassword('pw'), salt, 3, 2_000, 64);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(hex(got), hash).toBe(hex(forgeKdf('pw', salt, 3, 2_000, 64, hash)));
    }
  });
});

describe('triple DES (DES-EDE-CBC)', () => {
  it('matches node:crypto des-ede3-cbc and des-ede-cbc for every padding length', () => {
    for (let len = 0; len < 40; len++) {
      for (const keyLen of [24, 16]) {
        const key = u8(nodeRandom(keyLen));
        const iv = u8(nodeRandom(8));
        const plain = u8(nodeRandom(len));
        const c = createCipheriv(keyLen === 24 ? 'des-ede3-cbc' : 'des-ede-cbc', key, iv);
        const ref = Buffer.concat([c.update(plain), c.final()]);
        const ours = tripleDesCbcEncrypt(key, iv, plain);
        expect(hex(ours)).toBe(hex(ref));
        expect(hex(tripleDesCbcDecrypt(key, iv, ours)!)).toBe(hex(plain));
      }
    }
  });

  it('reports bad padding and bad lengths as undefined', () => {
    const key = u8(nodeRandom(24));
    const iv = new Uint8Array(8);
    const d = createDecipheriv('des-ede3-cbc', key, iv);
    d.setAutoPadding(false);
    // A block whose decryption ends in 0x00 is never valid padding.
    const plain = new Uint8Array(16);
    const c = createCipheriv('des-ede3-cbc', key, iv);
    c.setAutoPadding(false);
    const ct = u8(Buffer.concat([c.update(plain), c.final()]));
    expect(tripleDesCbcDecrypt(key, iv, ct)).toBeUndefined();
    expect(tripleDesCbcDecrypt(key, iv, new Uint8Array(0))).toBeUndefined();
    expect(tripleDesCbcDecrypt(key, iv, new Uint8Array(12))).toBeUndefined();
    expect(() => tripleDesCbcEncrypt(new Uint8Array(20), iv, plain)).toThrow(PkiError);
  });
});

describe('RC2 (RFC 2268)', () => {
  it('passes the test vectors of RFC 2268 §5 both ways', () => {
    const vectors: [string, number, string, string][] = [
      ['0000000000000000', 63, '0000000000000000', 'EBB773F993278EFF'],
      ['FFFFFFFFFFFFFFFF', 64, 'FFFFFFFFFFFFFFFF', '278B27E42E2F0D49'],
      ['3000000000000000', 64, '1000000000000001', '30649EDF9BE7D2C2'],
      ['88', 64, '0000000000000000', '61A8A244ADACCCF0'],
      ['88BCA90E90875A', 64, '0000000000000000', '6CCF4308974C267F'],
      ['88BCA90E90875A7F0F79C384627BAFB2', 64, '0000000000000000', '1A807D272BBE5DB1'],
      ['88BCA90E90875A7F0F79C384627BAFB2', 128, '0000000000000000', '2269552AB0F85CA6'],
      [
        '88BCA90E90875A7F0F79C384627BAFB216F80A6F85920584C42FCEB0BE255DAF1E',
        129,
        '0000000000000000',
        '5B78D3A43DFFF1F1',
      ],
    ];
    const words = (h: string) => {
      const b = fromHex(h);
      return Uint16Array.from([0, 1, 2, 3], (i) => b[2 * i]! | (b[2 * i + 1]! << 8));
    };
    const bytes = (r: Uint16Array) =>
      Uint8Array.from({ length: 8 }, (_, i) => (r[i >> 1]! >> ((i & 1) * 8)) & 0xff);
    for (const [k, bits, p, c] of vectors) {
      const K = rc2ExpandKey(fromHex(k), bits);
      const r = words(p);
      rc2EncryptBlock(K, r);
      expect(hex(bytes(r))).toBe(c);
      rc2DecryptBlock(K, r);
      expect(hex(bytes(r))).toBe(p);
    }
  });

  it('round-trips CBC with padding for RC2-40 and RC2-128', () => {
    for (const [keyLen, bits] of [
      [5, 40],
      [16, 128],
    ] as const) {
      for (let len = 0; len < 30; len++) {
        const key = u8(nodeRandom(keyLen));
        const iv = u8(nodeRandom(8));
        const plain = u8(nodeRandom(len));
        const ct = rc2CbcEncrypt(key, bits, iv, plain);
        expect(ct.length % 8).toBe(0);
        expect(hex(rc2CbcDecrypt(key, bits, iv, ct)!)).toBe(hex(plain));
      }
    }
    expect(rc2CbcDecrypt(new Uint8Array(5), 40, new Uint8Array(8), new Uint8Array(7))).toBeUndefined();
  });
});

describe('BER to DER normaliser', () => {
  const der = seq(
    int(3),
    octets(new Uint8Array(300).fill(7)),
    seq(oid('1.2.3'), explicit(0, octets(Uint8Array.of(1)))),
  );

  it('returns DER input itself, untouched', () => {
    expect(berToDer(der)).toBe(der);
  });

  it('rewrites indefinite lengths and chunked OCTET STRINGs (also nested) to DER', () => {
    expect(hex(berToDer(berify(der, 64)))).toBe(hex(der));
    expect(hex(berToDer(berify(der, 1)))).toBe(hex(der));
    // A constructed OCTET STRING inside another one (X.690 §8.7.3.2 allows nesting).
    const nested = Uint8Array.of(
      0x24,
      0x80,
      0x24,
      0x80,
      0x04,
      0x01,
      0xaa,
      0x00,
      0x00,
      0x04,
      0x01,
      0xbb,
      0x00,
      0x00,
    );
    expect(hex(berToDer(nested))).toBe('0402AABB');
  });

  it('rewrites non-minimal definite lengths', () => {
    expect(hex(berToDer(Uint8Array.of(0x30, 0x81, 0x03, 0x02, 0x01, 0x05)))).toBe('3003020105');
    expect(hex(berToDer(Uint8Array.of(0x04, 0x83, 0x00, 0x00, 0x01, 0x09)))).toBe('040109');
  });

  it('throws only PkiErrors on random input (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          berToDer(b);
        } catch (e) {
          if (!(e instanceof PkiError)) throw e;
        }
      }),
      { seed: 1292, numRuns: 2000 },
    );
  });

  it('calls a cut element truncated, whatever its length form (never a negative count or a misread)', () => {
    for (const cut of [
      Uint8Array.of(1, 2, 3), // short form: 2 bytes announced, 1 left
      Uint8Array.of(0x30, 5, 2, 1, 1), // a SEQUENCE of 5 with 3 left
      Uint8Array.of(0x30, 0x81, 0x90, 2, 1, 1), // long form
    ]) {
      expect(() => berToDer(cut), hex(cut)).toThrow(
        expect.objectContaining({
          code: 'ERR_PKI_DER_TRUNCATED',
          message: expect.stringMatching(/only \d+ remain/),
        }),
      );
    }
    // And every prefix of a valid BER container is truncated or complete, never "invalid".
    const ber = berify(der, 16);
    for (let n = 1; n < ber.length; n++) {
      try {
        berToDer(ber.subarray(0, n));
      } catch (e) {
        expect((e as PkiError).code, `prefix ${n}`).toBe('ERR_PKI_DER_TRUNCATED');
      }
    }
  });
});

describe('createPkcs12 and readPkcs12 round trips', () => {
  for (const label of ['RSA', 'P-256', 'Ed25519']) {
    for (const profile of ['modern', 'legacy'] as const) {
      it(`${label}, ${profile}: same key, certificate and chain; the key signs for the certificate`, async () => {
        const f = byLabel(label);
        const der = await createPkcs12({
          key: f.pair.privateKey,
          certificate: f.leaf,
          chain: [root, intermediate], // out of order on purpose: the reader orders by issuer
          password: 'correct horse',
          friendlyName: `exch01 ${label}`,
          profile,
        });
        const r = await readPkcs12(der, 'correct horse');
        expect(hex(await r.key!.toPkcs8())).toBe(hex(await f.pair.privateKey.toPkcs8()));
        expect(r.certificate!.equals(f.leaf)).toBe(true);
        expect(r.chain.map((c) => c.subject.toWindowsString())).toEqual([
          intermediate.subject.toWindowsString(),
          root.subject.toWindowsString(),
        ]);
        expect(r.friendlyName).toBe(`exch01 ${label}`);
        expect(await signsFor(r.key!, r.certificate!)).toBe(true);
        const thumb = await f.leaf.thumbprint('SHA-1');
        const scheme =
          profile === 'modern'
            ? 'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)'
            : 'pbeWithSHAAnd3-KeyTripleDES-CBC';
        expect(r.bags.map((b) => [b.type, b.encryption, b.iterations, b.localKeyId, b.friendlyName])).toEqual(
          [
            ['certificate', scheme, 2048, thumb, `exch01 ${label}`],
            ['certificate', scheme, 2048, undefined, undefined],
            ['certificate', scheme, 2048, undefined, undefined],
            ['shrouded-key', scheme, 2048, thumb, `exch01 ${label}`],
          ],
        );
        expect(r.mac).toEqual({ hash: profile === 'modern' ? 'SHA-256' : 'SHA-1', iterations: 2048 });
      });
    }
  }

  it('writes DER at every level, in OpenSSL 3 layout, with the profile algorithms', async () => {
    const f = byLabel('P-256');
    for (const profile of ['modern', 'legacy'] as Pkcs12Profile[]) {
      const der = await createPkcs12({
        key: f.pair.privateKey,
        certificate: f.leaf,
        password: 'pw',
        profile,
      });
      // readWhole() is our strict DER reader: it rejects indefinite and non-minimal lengths.
      const { authSafe, safes, mac } = dissect(der);
      expect(berToDer(der)).toBe(der);
      expect(berToDer(authSafe)).toBe(authSafe);
      expect(safes.map((s) => readOid(Cursor.of(s).next(T.OID)))).toEqual([OID_ENCRYPTED_DATA, OID_DATA]);
      const macC = Cursor.of(mac!);
      const di = Cursor.of(macC.next(T.SEQUENCE));
      const macAlg = Cursor.of(di.next(T.SEQUENCE));
      expect(readOid(macAlg.next())).toBe(profile === 'modern' ? MAC_OID['SHA-256'] : MAC_OID['SHA-1']);
      di.next(T.OCTET_STRING);
      expect(readOctetString(macC.next()).length).toBe(8);
      expect(hex(contentOf(macC.next(T.INTEGER)))).toBe('0800');
      // The encrypted safe's [0] IMPLICIT content is primitive (DER), and its scheme is the profile's.
      const ed = Cursor.of(safes[0]!);
      ed.next(T.OID);
      const encData = Cursor.of(Cursor.of(ed.next(0xa0)).next(T.SEQUENCE));
      encData.next(T.INTEGER);
      const info = Cursor.of(encData.next(T.SEQUENCE));
      info.next(T.OID);
      const alg = Cursor.of(info.next(T.SEQUENCE));
      expect(readOid(alg.next())).toBe(profile === 'modern' ? '1.2.840.113549.1.5.13' : PBE_3DES);
      expect(info.next().id).toBe(0x80);
    }
  });

  it('keys the MAC with the BMPString password (RFC 7292 B.1) and PBKDF2 with UTF-8, as OpenSSL does', async () => {
    const f = byLabel('P-256');
    const password = 'pässwörd😀';
    const der = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      password,
      iterations: 3000,
    });
    const { authSafe, safes, mac } = dissect(der);
    // MAC: node-forge's KDF (its own BMP encoding) and node:crypto's HMAC.
    const m = Cursor.of(mac!);
    const di = Cursor.of(m.next(T.SEQUENCE));
    di.next(T.SEQUENCE);
    const digest = readOctetString(di.next());
    const salt = readOctetString(m.next());
    const key = forgeKdf(password, salt, 3, 3000, 32, 'SHA-256');
    expect(hex(u8(createHmac('sha256', key).update(authSafe).digest()))).toBe(hex(digest));
    // Shrouded key: PBKDF2-HMAC-SHA256 over the UTF-8 password, AES-256-CBC, in node:crypto.
    const safe = Cursor.of(safes[1]!);
    safe.next(T.OID);
    const bags = Cursor.of(readWhole(readOctetString(Cursor.of(safe.next(0xa0)).next()), T.SEQUENCE));
    const b = Cursor.of(bags.next(T.SEQUENCE));
    expect(readOid(b.next())).toBe(BAG_SHROUDED);
    const epki = Cursor.of(Cursor.of(b.next(0xa0)).next(T.SEQUENCE));
    const pbes2 = Cursor.of(epki.next(T.SEQUENCE));
    pbes2.next(T.OID);
    const params = Cursor.of(pbes2.next(T.SEQUENCE));
    const kdf = Cursor.of(params.next(T.SEQUENCE));
    kdf.next(T.OID);
    const kp = Cursor.of(kdf.next(T.SEQUENCE));
    const pSalt = readOctetString(kp.next());
    expect(hex(contentOf(kp.next(T.INTEGER)))).toBe('0BB8');
    const enc = Cursor.of(params.next(T.SEQUENCE));
    enc.next(T.OID);
    const iv = readOctetString(enc.next());
    const ct = readOctetString(epki.next());
    const k = pbkdf2Sync(Buffer.from(password, 'utf8'), pSalt, 3000, 32, 'sha256');
    const d = createDecipheriv('aes-256-cbc', k, iv);
    const plain = u8(Buffer.concat([d.update(ct), d.final()]));
    expect(hex(plain)).toBe(hex(await f.pair.privateKey.toPkcs8()));
  });

  it('legacy: the key decrypts with node-forge KDF keys in node:crypto des-ede3-cbc', async () => {
    const f = byLabel('RSA');
    const der = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      password: 'pw',
      profile: 'legacy',
    });
    const { safes } = dissect(der);
    const safe = Cursor.of(safes[1]!);
    safe.next(T.OID);
    const bags = Cursor.of(readWhole(readOctetString(Cursor.of(safe.next(0xa0)).next()), T.SEQUENCE));
    const b = Cursor.of(bags.next(T.SEQUENCE));
    b.next(T.OID);
    const epki = Cursor.of(Cursor.of(b.next(0xa0)).next(T.SEQUENCE));
    const alg = Cursor.of(epki.next(T.SEQUENCE));
    expect(readOid(alg.next())).toBe(PBE_3DES);
    const p = Cursor.of(alg.next(T.SEQUENCE));
    const salt = readOctetString(p.next());
    const ct = readOctetString(epki.next());
    const key = forgeKdf('pw', salt, 1, 2048, 24, 'SHA-1');
    const iv = forgeKdf('pw', salt, 2, 2048, 8, 'SHA-1');
    const d = createDecipheriv('des-ede3-cbc', key, iv);
    expect(hex(u8(Buffer.concat([d.update(ct), d.final()])))).toBe(hex(await f.pair.privateKey.toPkcs8()));
  });

  it('honours iterations, an empty password and the absence of a friendlyName', async () => {
    const f = byLabel('Ed25519');
    const der = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      password: '',
      iterations: 1,
    });
    const r = await readPkcs12(der, '');
    expect(r.mac).toEqual({ hash: 'SHA-256', iterations: 1 });
    expect(r.friendlyName).toBeUndefined();
    expect(r.bags.every((b) => b.friendlyName === undefined && b.iterations === 1)).toBe(true);
    expect(r.chain).toEqual([]);
    await rejects(readPkcs12(der, ' '), 'ERR_PKI_PKCS12_PASSWORD');
  });

  it('writes several keys, each with its certificate and localKeyId (otherKeys)', async () => {
    const ec = byLabel('P-256');
    const ed = byLabel('Ed25519');
    const der = await createPkcs12({
      key: ec.pair.privateKey,
      certificate: ec.leaf,
      otherKeys: [{ key: ed.pair.privateKey, certificate: ed.leaf, friendlyName: 'second' }],
      chain: [intermediate, root],
      password: 'pw',
      friendlyName: 'first',
      iterations: 10,
    });
    const r = await readPkcs12(der, 'pw');
    expect(
      r.keys.map((k) => [k.friendlyName, k.certificate?.equals(k === r.keys[0] ? ec.leaf : ed.leaf)]),
    ).toEqual([
      ['first', true],
      ['second', true],
    ]);
    expect(r.keys[1]!.key.publicKey.equals(ed.pair.publicKey)).toBe(true);
    expect(r.keys[0]!.localKeyId).not.toBe(r.keys[1]!.localKeyId);
    expect(r.chain.map((c) => c.subject.commonName)).toEqual([
      'Contoso Issuing CA 01',
      'Contoso Root CA',
      ed.leaf.subject.commonName,
    ]);
    // A key that is not its certificate's, or one certificate twice, is refused.
    await rejects(
      createPkcs12({
        key: ec.pair.privateKey,
        certificate: ec.leaf,
        otherKeys: [{ key: ec.pair.privateKey, certificate: ed.leaf }],
        password: 'pw',
      }),
      'ERR_PKI_KEY_INVALID',
    );
    await expect(
      createPkcs12({
        key: ec.pair.privateKey,
        certificate: ec.leaf,
        otherKeys: [{ key: ec.pair.privateKey, certificate: ec.leaf }],
        password: 'pw',
      }),
    ).rejects.toThrow(TypeError);
  });

  it('writes a friendlyName on a chain certificate bag when given one ({ certificate, friendlyName })', async () => {
    const f = byLabel('P-256');
    const der = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      chain: [{ certificate: intermediate, friendlyName: 'Contoso Issuing CA 01' }, root],
      password: 'pw',
      friendlyName: 'exch01',
      iterations: 10,
    });
    const r = await readPkcs12(der, 'pw');
    expect(
      r.bags
        .filter((b) => b.type === 'certificate')
        .map((b) => [b.certificate!.subject.commonName, b.friendlyName, b.localKeyId !== undefined]),
    ).toEqual([
      ['exch01-P-256.contoso.com', 'exch01', true],
      ['Contoso Issuing CA 01', 'Contoso Issuing CA 01', false],
      ['Contoso Root CA', undefined, false],
    ]);
    expect(r.chain.map((c) => c.subject.commonName)).toEqual(['Contoso Issuing CA 01', 'Contoso Root CA']);
    await expect(
      createPkcs12({
        key: f.pair.privateKey,
        certificate: f.leaf,
        chain: [{ certificate: intermediate, friendlyName: 5 as unknown as string }],
        password: 'pw',
      }),
    ).rejects.toThrow(TypeError);
  });

  it('rejects misuse with TypeErrors and a foreign key with ERR_PKI_KEY_INVALID', async () => {
    const f = byLabel('P-256');
    const g = byLabel('RSA');
    const base = { key: f.pair.privateKey, certificate: f.leaf, password: 'pw' };
    await rejects(createPkcs12({ ...base, certificate: g.leaf }), 'ERR_PKI_KEY_INVALID');
    for (const bad of [
      { ...base, key: {} },
      { ...base, certificate: f.leaf.der },
      { ...base, password: undefined },
      { ...base, chain: [root.der] },
      { ...base, profile: 'fips' },
      { ...base, iterations: 0 },
      { ...base, iterations: 1.5 },
      { ...base, iterations: PKCS12_DEFAULT_MAX_ITERATIONS + 1 },
      { ...base, friendlyName: 42 },
    ]) {
      await expect(createPkcs12(bad as never)).rejects.toThrow(TypeError);
    }
    await expect(readPkcs12('MII' as never, 'pw')).rejects.toThrow(TypeError);
    await expect(readPkcs12(new Uint8Array(4), undefined as never)).rejects.toThrow(TypeError);
    await expect(readPkcs12(new Uint8Array(4), 'pw', { maxIterations: 0 })).rejects.toThrow(TypeError);
    expect(PKCS12_DEFAULT_ITERATIONS).toBe(2048);
  });
});

describe('readPkcs12: what other writers produce', () => {
  it('reads Windows-style BER: indefinite lengths and chunked OCTET STRINGs at every level', async () => {
    const f = byLabel('RSA');
    const der = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      chain: [intermediate],
      password: 'pw',
      iterations: 10,
    });
    const { safes } = dissect(der);
    // The data safe's SafeContents is BER too; the authSafe is re-MACed over its BER bytes.
    const data = Cursor.of(safes[1]!);
    data.next(T.OID);
    const keyBags = readOctetString(Cursor.of(data.next(0xa0)).next());
    const berData = berify(seq(oid(OID_DATA), explicit(0, octets(berify(keyBags, 100)))), 100);
    const authSafe = berify(seq(encodingOf(safes[0]!), berToDer(berData)), 100);
    const file = berify(
      seq(
        int(3),
        seq(oid(OID_DATA), explicit(0, octets(authSafe))),
        macData(authSafe, 'pw', { iterations: 5 }),
      ),
      1000,
    );
    expect(file[1]).toBe(0x80);
    const r = await readPkcs12(file, 'pw');
    expect(r.certificate!.equals(f.leaf)).toBe(true);
    expect(r.chain[0]!.equals(intermediate)).toBe(true);
    expect(r.key!.publicKey.equals(f.pair.publicKey)).toBe(true);
  });

  it('reads an empty password applied as NULL (no terminator), as some Windows exports do', async () => {
    const f = byLabel('P-256');
    const pkcs8 = await f.pair.privateKey.toPkcs8();
    const der = pfx([dataSafe(certBag(f.leaf), bag(BAG_KEY, pkcs8))], null);
    const r = await readPkcs12(der, '');
    expect(r.key!.publicKey.equals(f.pair.publicKey)).toBe(true);
    await rejects(readPkcs12(der, 'x'), 'ERR_PKI_PKCS12_PASSWORD');
  });

  it('reads files without a MAC; then a wrong password shows as a failed decryption', async () => {
    const f = byLabel('P-256');
    const pkcs8 = await f.pair.privateKey.toPkcs8();
    const enc = await pbeEncrypt('legacy', pkcs8, 'pw', 10);
    const der = pfx(
      [dataSafe(certBag(f.leaf), bag(BAG_SHROUDED, seq(enc.algorithm, octets(enc.ciphertext))))],
      'pw',
      {
        mac: false,
      },
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.mac).toBeUndefined();
    expect(r.certificate!.equals(f.leaf)).toBe(true);
    const e = await rejects(readPkcs12(der, 'wrong'), 'ERR_PKI_PKCS12_PASSWORD');
    expect(e.message).toMatch(/no MAC/);
  });

  it('finds the leaf by public key when localKeyIds are missing or misleading, and lists other bags', async () => {
    const f = byLabel('P-256');
    const other = byLabel('RSA');
    const pkcs8 = await f.pair.privateKey.toPkcs8();
    const id = Uint8Array.of(1, 2, 3);
    const der = pfx(
      [
        dataSafe(
          certBag(other.leaf, attrs({ keyId: id })), // claims the key's id but is another key's certificate
          certBag(root),
          bag(BAG_CRL, seq(oid('1.2.840.113549.1.9.23.1'), explicit(0, octets(Uint8Array.of(0x30, 0))))),
          bag(BAG_SECRET, seq(oid('1.2.3.4'), explicit(0, octets(Uint8Array.of(1))))),
          bag(BAG_CERT, seq(oid('1.2.840.113549.1.9.22.2'), explicit(0, str(T.IA5_STRING, 'sdsi')))),
        ),
        dataSafe(
          bag(BAG_SAFE_CONTENTS, seq(certBag(intermediate), certBag(f.leaf, attrs({ name: 'leaf' })))),
        ),
        dataSafe(bag(BAG_KEY, pkcs8, attrs({ keyId: id }))),
      ],
      'pw',
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.certificate!.equals(f.leaf)).toBe(true);
    expect(r.friendlyName).toBe('leaf');
    expect(r.chain.map((c) => c.subject.toWindowsString())).toEqual([
      intermediate.subject.toWindowsString(),
      root.subject.toWindowsString(),
      other.leaf.subject.toWindowsString(),
    ]);
    expect(r.bags.map((b) => b.type)).toEqual([
      'certificate',
      'certificate',
      'crl',
      'secret',
      'other',
      'certificate',
      'certificate',
      'key',
    ]);
  });

  it('imports every key with its own certificate (keys), the first pair as key/certificate', async () => {
    const rsa = byLabel('RSA');
    const ec = byLabel('P-256');
    const idA = new Uint8Array([1, 2, 3]);
    const idB = new Uint8Array([4, 5, 6]);
    const der = pfx(
      [
        dataSafe(
          bag(BAG_KEY, await rsa.pair.privateKey.toPkcs8(), attrs({ name: 'jrsa', keyId: idA })),
          bag(BAG_KEY, await ec.pair.privateKey.toPkcs8(), attrs({ name: 'jec', keyId: idB })),
          certBag(intermediate),
          certBag(ec.leaf, attrs({ name: 'jec', keyId: idB })),
          certBag(rsa.leaf, attrs({ name: 'jrsa', keyId: idA })),
        ),
      ],
      'pw',
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.keys).toHaveLength(2);
    expect(r.keys.map((k) => [k.friendlyName, k.localKeyId])).toEqual([
      ['jrsa', '010203'],
      ['jec', '040506'],
    ]);
    expect(r.keys[0]!.certificate!.equals(rsa.leaf)).toBe(true);
    expect(r.keys[1]!.certificate!.equals(ec.leaf)).toBe(true);
    expect(r.keys[1]!.key.publicKey.equals(ec.pair.publicKey)).toBe(true);
    expect(await signsFor(r.keys[1]!.key, r.keys[1]!.certificate!)).toBe(true);
    // The single-key fields keep their meaning: the first key, its certificate, the others in chain.
    expect(r.key).toBe(r.keys[0]!.key);
    expect(r.certificate!.equals(rsa.leaf)).toBe(true);
    expect(r.friendlyName).toBe('jrsa');
    expect(r.chain.map((c) => c.subject.commonName)).toEqual([
      'Contoso Issuing CA 01',
      'exch01-P-256.contoso.com',
    ]);
  });

  it('takes the first key that has a certificate when the first key has none', async () => {
    const rsa = byLabel('RSA');
    const ec = byLabel('P-256');
    const der = pfx(
      [
        dataSafe(
          bag(BAG_KEY, await rsa.pair.privateKey.toPkcs8(), attrs({ name: 'orphan' })),
          bag(BAG_KEY, await ec.pair.privateKey.toPkcs8(), attrs({ name: 'web' })),
          certBag(ec.leaf),
        ),
      ],
      'pw',
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.key!.publicKey.equals(ec.pair.publicKey)).toBe(true);
    expect(r.certificate!.equals(ec.leaf)).toBe(true);
    expect(r.friendlyName).toBe('web');
    expect(r.keys.map((k) => [k.friendlyName, k.certificate?.subject.commonName])).toEqual([
      ['orphan', undefined],
      ['web', 'exch01-P-256.contoso.com'],
    ]);
    expect(r.chain).toEqual([]);
  });

  it('pairs by localKeyId first, then by public key, each certificate once', async () => {
    const ec = byLabel('P-256');
    // A renewal with the same key: two certificates for one key; the localKeyId picks the renewed one.
    const renewed = await createCertificate({
      subject: 'CN=exch01-renewed.contoso.com, O=Contoso, C=FR',
      publicKey: ec.pair.publicKey,
      signingKey: ec.pair.privateKey,
    });
    const id = new Uint8Array([9, 9]);
    const der = pfx(
      [
        dataSafe(
          certBag(ec.leaf),
          certBag(renewed, attrs({ keyId: id })),
          bag(BAG_KEY, await ec.pair.privateKey.toPkcs8(), attrs({ keyId: id })),
        ),
      ],
      'pw',
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.certificate!.equals(renewed)).toBe(true);
    expect(r.keys[0]!.certificate!.equals(renewed)).toBe(true);
    expect(r.chain.map((c) => c.subject.commonName)).toEqual(['exch01-P-256.contoso.com']);
    // A localKeyId on a certificate of another key does not pair: the public key must match.
    const rsa = byLabel('RSA');
    const liar = pfx(
      [
        dataSafe(
          certBag(rsa.leaf, attrs({ keyId: id })),
          certBag(ec.leaf),
          bag(BAG_KEY, await ec.pair.privateKey.toPkcs8(), attrs({ keyId: id })),
        ),
      ],
      'pw',
    );
    expect((await readPkcs12(liar, 'pw')).certificate!.equals(ec.leaf)).toBe(true);
  });

  it('decrypts every key bag: a damaged second key behind a valid MAC is ERR_PKI_PKCS12_INVALID', async () => {
    const f = byLabel('Ed25519');
    const pkcs8 = await f.pair.privateKey.toPkcs8();
    const garbage = seq(pkcs12PbeAlg(PBE_3DES, 10), octets(new Uint8Array(16)));
    const der = pfx([dataSafe(bag(BAG_KEY, pkcs8), bag(BAG_SHROUDED, garbage), certBag(f.leaf))], 'pw');
    await rejects(readPkcs12(der, 'pw'), 'ERR_PKI_PKCS12_INVALID');
  });

  it('leaves out a key of a type certlab does not handle next to keys it does, and lists its bag', async () => {
    const f = byLabel('Ed25519');
    // PrivateKeyInfo of a DSA key (RFC 5958 §2, OID 1.2.840.10040.4.1): certlab does not read DSA.
    const dsa = seq(int(0), seq(oid('1.2.840.10040.4.1'), seq(int(23), int(11), int(4))), octets(int(3)));
    const only = pfx([dataSafe(bag(BAG_KEY, dsa))], 'pw');
    await rejects(readPkcs12(only, 'pw'), 'ERR_PKI_KEY_UNSUPPORTED');
    // skipUnsupportedKeys: the file can still be inspected and its certificates taken.
    const withCert = pfx([dataSafe(bag(BAG_KEY, dsa), certBag(f.leaf))], 'pw');
    await rejects(readPkcs12(withCert, 'pw'), 'ERR_PKI_KEY_UNSUPPORTED');
    const inspected = await readPkcs12(withCert, 'pw', { skipUnsupportedKeys: true });
    expect(inspected.key).toBeUndefined();
    expect(inspected.keys).toEqual([]);
    expect(inspected.bags.map((b) => b.type)).toEqual(['key', 'certificate']);
    expect(inspected.bags[0]!.unsupported).toMatch(/1\.2\.840\.10040\.4\.1|DSA/);
    expect(inspected.bags[1]!.certificate!.equals(f.leaf)).toBe(true);
    const der = pfx(
      [dataSafe(bag(BAG_KEY, dsa), bag(BAG_KEY, await f.pair.privateKey.toPkcs8()), certBag(f.leaf))],
      'pw',
    );
    const r = await readPkcs12(der, 'pw');
    expect(r.keys).toHaveLength(1);
    expect(r.certificate!.equals(f.leaf)).toBe(true);
    expect(r.bags.map((b) => b.type)).toEqual(['key', 'key', 'certificate']);
  });

  it('reads a certificate-only file (a trust store): no key, no leaf, all certificates in the chain', async () => {
    const r = await readPkcs12(pfx([dataSafe(certBag(root), certBag(intermediate))], 'pw'), 'pw');
    expect(r.key).toBeUndefined();
    expect(r.certificate).toBeUndefined();
    expect(r.chain).toHaveLength(2);
  });
});

describe('readPkcs12: hostile input', () => {
  let modern: Uint8Array;
  let legacy: Uint8Array;
  let plain: Uint8Array;
  beforeAll(async () => {
    const f = byLabel('P-256');
    modern = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      chain: [intermediate],
      password: 'pw',
      iterations: 1,
    });
    legacy = await createPkcs12({
      key: f.pair.privateKey,
      certificate: f.leaf,
      password: 'pw',
      profile: 'legacy',
      iterations: 1,
    });
    plain = pfx(
      [
        dataSafe(
          certBag(f.leaf, attrs({ name: 'n', keyId: Uint8Array.of(9) })),
          bag(BAG_KEY, await f.pair.privateKey.toPkcs8()),
        ),
      ],
      'pw',
    );
  });

  it('a wrong password is ERR_PKI_PKCS12_PASSWORD with a fixed message that never echoes it', async () => {
    const f = byLabel('RSA');
    const der = await createPkcs12({ key: f.pair.privateKey, certificate: f.leaf, password: 'Tr0ub4dor&3' });
    const e = await rejects(readPkcs12(der, 'hunter2-secret'), 'ERR_PKI_PKCS12_PASSWORD');
    expect(e.message).toBe('The password is wrong or the file is damaged (MAC mismatch).');
    expect(e.message).not.toContain('hunter2');
    expect(e.message).not.toContain('Tr0ub4dor');
  });

  it('any flipped byte of the MAC or of the authenticated content fails the MAC', async () => {
    const { authSafe, mac } = dissect(modern);
    const macEnd = mac!.end;
    // MacData ends with digest (32 bytes), 04 08, salt (8 bytes), 02 01 <iterations>.
    const digest = Array.from({ length: 32 }, (_, i) => macEnd - 45 + i);
    const salt = Array.from({ length: 8 }, (_, i) => macEnd - 11 + i);
    const content = Array.from({ length: authSafe.length }, (_, i) => authSafe.byteOffset + i).filter(
      (_, i) => i % 7 === 0,
    );
    for (const pos of [...digest, ...salt, ...content]) {
      const copy = modern.slice();
      copy[pos]! ^= 0x01;
      await rejects(readPkcs12(copy, 'pw'), 'ERR_PKI_PKCS12_PASSWORD');
    }
  });

  it('a file truncated at any offset gives a coded error', async () => {
    for (const file of [modern, legacy]) {
      for (let n = 0; n < file.length; n++) {
        await rejects(
          readPkcs12(file.subarray(0, n), 'pw'),
          'ERR_PKI_DER_TRUNCATED',
          'ERR_PKI_DER_INVALID',
          'ERR_PKI_PKCS12_INVALID',
        );
      }
    }
  });

  it('authenticated content truncated at any offset (MAC recomputed) gives a coded error', async () => {
    const { authSafe } = dissect(plain);
    const allowed: PkiErrorCode[] = [
      'ERR_PKI_DER_TRUNCATED',
      'ERR_PKI_DER_INVALID',
      'ERR_PKI_PKCS12_INVALID',
    ];
    for (let n = 0; n < authSafe.length; n += 3) {
      await rejects(readPkcs12(remac(authSafe.subarray(0, n), 'pw'), 'pw'), ...allowed);
    }
  });

  it('iteration counts above the limit fail fast with ERR_PKI_KDF_LIMIT, before the MAC and any decryption', async () => {
    const f = byLabel('P-256');
    const pkcs8 = await f.pair.privateKey.toPkcs8();
    const { authSafe } = dissect(plain);
    const huge = [50_000_000, 2n ** 64n];
    for (const n of huge) {
      // In the MAC (the MAC value is then irrelevant: the limit comes first).
      const t0 = performance.now();
      const withMac = seq(
        int(3),
        seq(oid(OID_DATA), explicit(0, octets(authSafe))),
        macData(authSafe, 'pw', { iterations: n, computeWith: 1 }),
      );
      await rejects(readPkcs12(withMac, 'wrong password'), 'ERR_PKI_KDF_LIMIT');
      // In an encrypted safe and in a shrouded key, each behind a valid MAC.
      await rejects(
        readPkcs12(pfx([encryptedSafe(pkcs12PbeAlg(PBE_3DES, n), new Uint8Array(16))], 'pw'), 'wrong'),
        'ERR_PKI_KDF_LIMIT',
      );
      await rejects(
        readPkcs12(
          pfx(
            [dataSafe(bag(BAG_SHROUDED, seq(pkcs12PbeAlg(PBE_3DES, n), octets(new Uint8Array(16)))))],
            'pw',
          ),
          'pw',
        ),
        'ERR_PKI_KDF_LIMIT',
      );
      const pbes2 = seq(
        oid('1.2.840.113549.1.5.13'),
        seq(
          seq(oid('1.2.840.113549.1.5.12'), seq(octets(new Uint8Array(8)), int(n))),
          seq(oid('2.16.840.1.101.3.4.1.42'), octets(new Uint8Array(16))),
        ),
      );
      await rejects(
        readPkcs12(pfx([encryptedSafe(pbes2, new Uint8Array(16))], 'pw'), 'pw'),
        'ERR_PKI_KDF_LIMIT',
      );
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    // The caller's own limit, lower or higher.
    const enc = await pbeEncrypt('legacy', pkcs8, 'pw', 3000);
    const der = pfx(
      [dataSafe(bag(BAG_SHROUDED, seq(enc.algorithm, octets(enc.ciphertext))), certBag(f.leaf))],
      'pw',
    );
    const limited = await rejects(readPkcs12(der, 'pw', { maxIterations: 2999 }), 'ERR_PKI_KDF_LIMIT');
    expect(limited.message).toMatch(/3000 iterations .* above the limit of 2999.*maxIterations/);
    // Useful without the library option too (CLI users): how to re-export, never the password.
    expect(limited.message).toMatch(
      /openssl pkcs12 -in OLD\.pfx -nodes \| openssl pkcs12 -export -iter 2048/,
    );
    expect(limited.message).not.toContain('pw');
    expect((await readPkcs12(der, 'pw', { maxIterations: 3000 })).key).toBeDefined();
  });

  it('bounds the total work of a file: iterations × hash chains summed, and the number of encrypted items', async () => {
    const each = Math.floor(PKCS12_DEFAULT_MAX_ITERATIONS * 0.9);
    const safes = Array.from({ length: PKCS12_BUDGET_FACTOR + 1 }, () =>
      encryptedSafe(pkcs12PbeAlg(PBE_3DES, each), new Uint8Array(8)),
    );
    const t0 = performance.now();
    const e = await rejects(readPkcs12(pfx(safes, 'pw'), 'pw'), 'ERR_PKI_KDF_LIMIT');
    expect(e.message).toMatch(/add up to more than/);
    // Work is iterations × hash chains: an NSS-sized legacy file (600,000 iterations; RC2-40 safe
    // 2 chains, 3DES key 3) passes the budget (it then fails on the MAC, keyed for another password),
    // (3,000,001 of 8,000,000), and the same file with three more 3DES safes (5,400,000) does not.
    const nss = [
      encryptedSafe(pkcs12PbeAlg('1.2.840.113549.1.12.1.6', 600_000), new Uint8Array(8)),
      dataSafe(bag(BAG_SHROUDED, seq(pkcs12PbeAlg(PBE_3DES, 600_000), octets(new Uint8Array(8))))),
    ];
    await rejects(readPkcs12(pfx(nss, 'other'), 'pw'), 'ERR_PKI_PKCS12_PASSWORD');
    const extra = () => encryptedSafe(pkcs12PbeAlg(PBE_3DES, 600_000), new Uint8Array(8));
    await rejects(readPkcs12(pfx([...nss, extra(), extra(), extra()], 'other'), 'pw'), 'ERR_PKI_KDF_LIMIT');
    const many = Array.from({ length: 300 }, () =>
      encryptedSafe(pkcs12PbeAlg(PBE_3DES, 1), new Uint8Array(8)),
    );
    await rejects(readPkcs12(pfx(many, 'pw'), 'pw'), 'ERR_PKI_KDF_LIMIT');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('charges a SHA-384/SHA-512 MAC by its cost per round, not as a SHA-1 chain', async () => {
    const { authSafe } = dissect(plain);
    const file = (hash: MacHash, iterations: number) =>
      seq(
        int(3),
        seq(oid(OID_DATA), explicit(0, octets(authSafe))),
        macData(authSafe, 'pw', { hash, iterations, computeWith: 1 }),
      );
    // 90,000 SHA-512 rounds cost about 6.4 × 90,000 SHA-1 rounds: above a budget of 4 × 100,000.
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      const e = await rejects(
        readPkcs12(file(hash, 90_000), 'pw', { maxIterations: 100_000 }),
        'ERR_PKI_KDF_LIMIT',
      );
      expect(e.message).toMatch(/add up to more than .*400000/);
    }
    // The same count with SHA-1 is within the budget (the MAC, keyed with 1 iteration, then fails).
    await rejects(
      readPkcs12(file('SHA-1', 90_000), 'pw', { maxIterations: 100_000 }),
      'ERR_PKI_PKCS12_PASSWORD',
    );
    // A real SHA-512 MAC within the budget verifies.
    const ok = seq(
      int(3),
      seq(oid(OID_DATA), explicit(0, octets(authSafe))),
      macData(authSafe, 'pw', { hash: 'SHA-512', iterations: 20_000 }),
    );
    expect((await readPkcs12(ok, 'pw')).mac).toEqual({ hash: 'SHA-512', iterations: 20_000 });
  });

  it('charges the second MAC attempt of an empty password (NULL form) to the budget', async () => {
    // With maxIterations 100,000 the file may cost 400,000: an RC2-40 safe (2 chains) at 100,000,
    // a 3DES key (3 chains) at 30,000 and the MAC at 100,000 make 390,000, or 490,000 when the
    // empty password's MAC is computed twice.
    const safes = [
      encryptedSafe(pkcs12PbeAlg('1.2.840.113549.1.12.1.6', 100_000), new Uint8Array(8)),
      dataSafe(bag(BAG_SHROUDED, seq(pkcs12PbeAlg(PBE_3DES, 30_000), octets(new Uint8Array(8))))),
    ];
    const der = pfx(safes, 'other', { mac: { hash: 'SHA-1', iterations: 100_000, computeWith: 1 } });
    const opts = { maxIterations: 100_000 };
    await rejects(readPkcs12(der, 'x', opts), 'ERR_PKI_PKCS12_PASSWORD');
    const e = await rejects(readPkcs12(der, '', opts), 'ERR_PKI_KDF_LIMIT');
    expect(e.message).toMatch(/add up to more than/);
  });

  it('charges the NULL form only when it runs: an empty-password file whose MAC opens with the first is read', async () => {
    // NSS's `pk12util -W '' -M SHA-512` (600,000 rounds) was refused: both forms were charged up
    // front. Here, scaled down: maxIterations 100,000 (budget 400,000); the SHA-512 MAC at
    // 50,000 rounds costs 320,000, and 640,000 if computed twice.
    const { authSafe } = dissect(plain);
    const file = (password: string | null) =>
      seq(
        int(3),
        seq(oid(OID_DATA), explicit(0, octets(authSafe))),
        macData(authSafe, password, { hash: 'SHA-512', iterations: 50_000 }),
      );
    const opts = { maxIterations: 100_000 };
    expect((await readPkcs12(file(''), '', opts)).mac).toEqual({ hash: 'SHA-512', iterations: 50_000 });
    // A file MAC'd with the NULL form needs the second computation: that one is over the budget.
    const e = await rejects(readPkcs12(file(null), '', opts), 'ERR_PKI_KDF_LIMIT');
    expect(e.message).toMatch(/add up to more than/);
  });

  it('charges twice a PKCS#12 PBE that an empty password may retry in its NULL form (no MAC)', async () => {
    // maxIterations 100,000: a budget of 400,000 rounds. An RC2-40 safe (2 chains) at 60,000 and
    // a 3DES key (3 chains) at 40,000 cost 240,000 with a password, 480,000 when each may run
    // twice for the empty password's two forms.
    const safes = [
      encryptedSafe(pkcs12PbeAlg('1.2.840.113549.1.12.1.6', 60_000), new Uint8Array(8)),
      dataSafe(bag(BAG_SHROUDED, seq(pkcs12PbeAlg(PBE_3DES, 40_000), octets(new Uint8Array(8))))),
    ];
    const der = pfx(safes, null, { mac: false });
    const opts = { maxIterations: 100_000 };
    await rejects(readPkcs12(der, 'x', opts), 'ERR_PKI_PKCS12_PASSWORD');
    const e = await rejects(readPkcs12(der, '', opts), 'ERR_PKI_KDF_LIMIT');
    expect(e.message).toMatch(/add up to more than/);
  });

  it('names the OID of unsupported algorithms and modes (ERR_PKI_PKCS12_UNSUPPORTED)', async () => {
    const algs: [Uint8Array, string][] = [
      [pkcs12PbeAlg('1.2.840.113549.1.12.1.1', 1), '1.2.840.113549.1.12.1.1'], // RC4-128
      [pkcs12PbeAlg('1.2.840.113549.1.5.10', 1), '1.2.840.113549.1.5.10'], // PBES1 SHA-1/DES
      [seq(oid('1.2.3.4.5'), nul()), '1.2.3.4.5'],
      [
        seq(
          oid('1.2.840.113549.1.5.13'),
          seq(
            seq(oid('1.3.6.1.4.1.11591.4.11'), seq(octets(new Uint8Array(8)))),
            seq(oid('2.16.840.1.101.3.4.1.42'), octets(new Uint8Array(16))),
          ),
        ),
        '1.3.6.1.4.1.11591.4.11', // scrypt
      ],
      [
        seq(
          oid('1.2.840.113549.1.5.13'),
          seq(
            seq(
              oid('1.2.840.113549.1.5.12'),
              seq(octets(new Uint8Array(8)), int(1), seq(oid('1.2.840.113549.2.8'), nul())),
            ),
            seq(oid('2.16.840.1.101.3.4.1.42'), octets(new Uint8Array(16))),
          ),
        ),
        '1.2.840.113549.2.8', // hmacWithSHA224
      ],
      [
        seq(
          oid('1.2.840.113549.1.5.13'),
          seq(
            seq(oid('1.2.840.113549.1.5.12'), seq(octets(new Uint8Array(8)), int(1))),
            seq(oid('1.2.840.113549.3.2'), octets(new Uint8Array(8))),
          ),
        ),
        '1.2.840.113549.3.2', // RC2-CBC in PBES2
      ],
    ];
    for (const [alg, name] of algs) {
      const e = await rejects(
        readPkcs12(pfx([encryptedSafe(alg, new Uint8Array(16))], 'pw'), 'pw'),
        'ERR_PKI_PKCS12_UNSUPPORTED',
      );
      expect(e.message).toContain(name);
    }
    const { authSafe } = dissect(plain);
    const cases: [Uint8Array, string][] = [
      [pfx([seq(oid('1.2.840.113549.1.7.3'), explicit(0, seq()))], 'pw'), '1.2.840.113549.1.7.3'], // envelopedData
      [seq(int(3), seq(oid('1.2.840.113549.1.7.2'), explicit(0, seq()))), '1.2.840.113549.1.7.2'], // signedData
      [
        seq(
          int(3),
          seq(oid(OID_DATA), explicit(0, octets(authSafe))),
          seq(
            seq(seq(oid('1.2.840.113549.1.5.14'), seq()), octets(new Uint8Array(32))),
            octets(new Uint8Array(8)),
            int(1),
          ),
        ),
        '1.2.840.113549.1.5.14',
      ], // PBMAC1
      [
        seq(
          int(3),
          seq(oid(OID_DATA), explicit(0, octets(authSafe))),
          seq(
            seq(seq(oid('1.2.840.113549.2.5'), nul()), octets(new Uint8Array(16))),
            octets(new Uint8Array(8)),
            int(1),
          ),
        ),
        '1.2.840.113549.2.5',
      ], // MD5
      [pfx([dataSafe()], 'pw', { version: 2 }), 'version 2'],
    ];
    for (const [der, name] of cases) {
      const e = await rejects(readPkcs12(der, 'pw'), 'ERR_PKI_PKCS12_UNSUPPORTED');
      expect(e.message).toContain(name);
    }
  });

  it('rejects nested garbage with PkiErrors', async () => {
    const f = byLabel('P-256');
    let deep = seq(certBag(root));
    for (let i = 0; i < 10; i++) deep = seq(bag(BAG_SAFE_CONTENTS, deep));
    const cases: Uint8Array[] = [
      pfx([seq(oid(OID_DATA), explicit(0, octets(Uint8Array.of(0x30, 0x03, 0x02, 0x01))))], 'pw'),
      pfx(
        [dataSafe(bag(BAG_CERT, seq(oid(OID_X509), explicit(0, octets(Uint8Array.of(0x30, 0x00))))))],
        'pw',
      ),
      pfx([dataSafe(bag(BAG_CERT, octets(Uint8Array.of(1))))], 'pw'),
      pfx([dataSafe(bag(BAG_KEY, seq(int(0))))], 'pw'),
      pfx([dataSafe(bag(BAG_KEY, seq(int(0)), Uint8Array.of(0x31, 0x02, 0x05, 0x00)))], 'pw'),
      pfx([seq(oid(OID_DATA), explicit(0, octets(deep)))], 'pw'),
      pfx([encryptedSafe(pkcs12PbeAlg(PBE_3DES, 1), new Uint8Array(0))], 'pw'),
      pfx(
        [
          seq(
            oid(OID_ENCRYPTED_DATA),
            explicit(0, seq(int(0), seq(oid(OID_DATA), pkcs12PbeAlg(PBE_3DES, 1)))),
          ),
        ],
        'pw',
      ),
      pfx([dataSafe(bag(BAG_SHROUDED, seq(pkcs12PbeAlg(PBE_3DES, 0), octets(new Uint8Array(8)))))], 'pw'),
      pfx([seq(oid(OID_DATA))], 'pw'),
      seq(int(3)),
      seq(int(3), seq(oid(OID_DATA), explicit(0, octets(Uint8Array.of(0x31, 0x00)))), nul()),
      Uint8Array.from([...plain, 0x01]),
    ];
    for (const der of cases) await rejects(readPkcs12(der, 'pw'));
    // A valid file whose key does not match any certificate still reads; the leaf is then unknown.
    const r = await readPkcs12(
      pfx([dataSafe(certBag(root), bag(BAG_KEY, await f.pair.privateKey.toPkcs8()))], 'pw'),
      'pw',
    );
    expect(r.key).toBeDefined();
    expect(r.certificate).toBeUndefined();
  });

  it('mutated files end in a PkiError or a result, never another exception, in bounded time (fast-check, fixed seed)', async () => {
    const { authSafe } = dissect(plain);
    const mutate = fc.tuple(
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('flip', 'set', 'cut', 'insert'),
    );
    const apply = (b: Uint8Array, [pos, v, kind]: [number, number, string]) => {
      const i = pos % Math.max(1, b.length);
      if (kind === 'cut') return b.subarray(0, i);
      if (kind === 'insert') return Uint8Array.from([...b.subarray(0, i), v, ...b.subarray(i)]);
      const c = b.slice();
      c[i] = kind === 'flip' ? c[i]! ^ (1 << (v & 7)) : v;
      return c;
    };
    const check = async (run: () => Promise<unknown>) => {
      const t0 = performance.now();
      try {
        await run();
      } catch (e) {
        if (!(e instanceof PkiError)) throw e;
      }
      expect(performance.now() - t0).toBeLessThan(2000);
    };
    // Whole files (the MAC catches most) and authenticated content with the MAC recomputed.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(modern, legacy, plain),
        fc.array(mutate, { minLength: 1, maxLength: 3 }),
        async (file, ms) => {
          await check(() => readPkcs12(ms.reduce(apply, file), 'pw', { maxIterations: 10_000 }));
        },
      ),
      { seed: 7292, numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutate, { minLength: 1, maxLength: 4 }), async (ms) => {
        await check(() =>
          readPkcs12(remac(ms.reduce(apply, authSafe), 'pw'), 'pw', { maxIterations: 10_000 }),
        );
      }),
      { seed: 7293, numRuns: 400 },
    );
    expect(isPkiError(new PkiError('ERR_PKI_PKCS12_INVALID', 'x'))).toBe(true);
  });
});
