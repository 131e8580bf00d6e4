// pfx: PKCS #12 export (`createPkcs12`) and import (`readPkcs12`) of a leaf key + certificate and
// one chain certificate (the issuing CA), 2048 iterations, both profiles, P-256 and RSA-2048
// leaves (made by openssl), against the "floor": the bare key derivations and ciphers of the same
// file done with node:crypto, and nothing else (no DER, no parsing, no key import):
//   modern: PBKDF2-HMAC-SHA256 (2048) + AES-256-CBC for the key bag, the same for the certificate
//           safe, the PKCS #12 KDF (RFC 7292 B.2, SHA-256, 2048 rounds) for the MAC key and
//           HMAC-SHA256 over the authSafe;
//   legacy: the PKCS #12 KDF (SHA-1) for key (24 B: two hash chains) and IV (one chain) of 3DES
//           (`des-ede3-cbc`) for both bags, the MAC key (one chain) and HMAC-SHA1.
// node:crypto has no PKCS #12 KDF: the floor iterates node:crypto's one-shot hash (`crypto.hash`)
// or `createHash`, whichever is faster here. For modern, two floors: all synchronous
// (pbkdf2Sync), and PBKDF2 on the libuv thread pool (both derivations in parallel) while the MAC
// key derivation runs on the main thread, which is the fastest node:crypto allows on 2+ cores;
// the target uses the faster of the two. Import floors take salts, IVs, iteration counts and
// ciphertexts pre-extracted from certlab's files and verify the MAC before decrypting, as
// `readPkcs12` does. Peers: node-forge (RSA only; 3DES for export) and the openssl CLI
// (informational, one process per file).

import { execFileSync, spawnSync } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hash as oneShotHash,
  pbkdf2,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type Certificate,
  createPkcs12,
  importPrivateKey,
  type PrivateKey,
  parseCertificate,
  readPkcs12,
} from '@certlab/pki';
import { type Bytes, makeRsaChain, pemToDer } from './fixtures.js';
import {
  type BenchModule,
  type BenchResult,
  bench,
  fmtUs,
  formatResult,
  type Impl,
  rowByLabel,
  type Target,
  writeJson,
} from './harness.js';
import { forge } from './peers.js';

const NAME = 'pfx';
const PASSWORD = 'S3cret!';
const ITERATIONS = 2048;

type Profile = 'modern' | 'legacy';
type KeyKind = 'P-256' | 'RSA-2048';
const PROFILES: readonly Profile[] = ['modern', 'legacy'];
const KEYS: readonly KeyKind[] = ['P-256', 'RSA-2048'];
const variant = (p: Profile, k: KeyKind) => `${p}, ${k}`;

// --- the floor: RFC 7292 B.2 with node:crypto hashes ------------------------------------------

type HashAlg = 'sha1' | 'sha256';
type HashFn = (alg: HashAlg, data: Buffer) => Buffer;

const HASH_FNS: Record<string, HashFn> = {
  'crypto.hash (one-shot)': (alg, d) => oneShotHash(alg, d, 'buffer'),
  createHash: (alg, d) => createHash(alg).update(d).digest(),
};

function chainMs(h: HashFn, alg: HashAlg, n: number): number {
  let a: Buffer = randomBytes(128);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) a = h(alg, a);
  return performance.now() - t0;
}

/** The faster way to iterate a hash with node:crypto on this machine (measured, both algorithms). */
function fastestHash(): { name: string; fn: HashFn; usPerRound: Record<string, Record<HashAlg, number>> } {
  const usPerRound: Record<string, Record<HashAlg, number>> = {};
  for (const [name, fn] of Object.entries(HASH_FNS)) {
    for (const alg of ['sha1', 'sha256'] as const) chainMs(fn, alg, 2 * ITERATIONS); // warm-up
    const per = (alg: HashAlg) => {
      const runs = [0, 1, 2, 3, 4].map(() => chainMs(fn, alg, ITERATIONS));
      return (runs.sort((a, b) => a - b)[2]! * 1000) / ITERATIONS;
    };
    usPerRound[name] = { sha1: per('sha1'), sha256: per('sha256') };
  }
  const [name] = Object.entries(usPerRound).sort(
    ([, a], [, b]) => a.sha1 + a.sha256 - (b.sha1 + b.sha256),
  )[0]!;
  return { name, fn: HASH_FNS[name]!, usPerRound };
}

let H: HashFn = HASH_FNS['crypto.hash (one-shot)']!;

const V = 64; // block size of SHA-1 and SHA-256 (v in RFC 7292 B.2)

/** `src` repeated to fill v·⌈len/v⌉ bytes (RFC 7292 B.2 steps 2, 3). */
function fillBlocks(src: Buffer): Buffer {
  if (src.length === 0) return src;
  const out = Buffer.alloc(V * Math.ceil(src.length / V));
  for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
  return out;
}

/** RFC 7292 B.2: n bytes for purpose `id` (1 key, 2 IV, 3 MAC) from the BMPString password. */
function p12Kdf(
  alg: HashAlg,
  bmp: Buffer,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number,
): Buffer {
  const u = alg === 'sha1' ? 20 : 32;
  const I = Buffer.concat([fillBlocks(Buffer.from(salt)), fillBlocks(bmp)]);
  const D = Buffer.alloc(V, id);
  const out = Buffer.alloc(n);
  for (let o = 0; o < n; o += u) {
    let A = H(alg, Buffer.concat([D, I]));
    for (let r = 1; r < iterations; r++) A = H(alg, A);
    A.copy(out, o, 0, Math.min(u, n - o));
    if (o + u < n) {
      // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes (step 6C).
      for (let j = 0; j < I.length; j += V) {
        let carry = 1;
        for (let k = V - 1; k >= 0; k--) {
          const x = I[j + k]! + A[k % u]! + carry;
          I[j + k] = x & 0xff;
          carry = x >>> 8;
        }
      }
    }
  }
  return out;
}

/** RFC 7292 B.1: UTF-16BE with a two-byte NUL terminator. */
function bmpPassword(pw: string): Buffer {
  const out = Buffer.alloc(pw.length * 2 + 2);
  for (let i = 0; i < pw.length; i++) out.writeUInt16BE(pw.charCodeAt(i), i * 2);
  return out;
}

const nodeSubtle = globalThis.crypto.subtle;
const EC_IMPORT: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const RSA_IMPORT: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

const PW_UTF8 = Buffer.from(PASSWORD, 'utf8');
const PW_BMP = bmpPassword(PASSWORD);

function cipher(name: string, key: Buffer, iv: Uint8Array, data: Uint8Array, decrypt = false): Buffer {
  const c = decrypt ? createDecipheriv(name, key, iv) : createCipheriv(name, key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

const pbkdf2Async = (salt: Uint8Array, iterations: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    pbkdf2(PW_UTF8, salt, iterations, 32, 'sha256', (e, k) => (e ? reject(e) : resolve(k))),
  );

// --- what the import floor needs from a file, extracted once with a minimal DER walker ---------

interface Node {
  tag: number;
  start: number;
  end: number;
}

function node(b: Uint8Array, pos: number): Node {
  const tag = b[pos]!;
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  return { tag, start: p, end: p + len };
}

function kids(b: Uint8Array, n: Node): Node[] {
  const out: Node[] = [];
  for (let p = n.start; p < n.end; ) {
    const c = node(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

const content = (b: Uint8Array, n: Node) => b.subarray(n.start, n.end);
const hex = (b: Uint8Array, n: Node) => Buffer.from(content(b, n)).toString('hex');
const uint = (b: Uint8Array, n: Node) => content(b, n).reduce((a, x) => a * 256 + x, 0);

const OID_HEX = {
  pbes2: '2a864886f70d01050d',
  pbkdf2: '2a864886f70d01050c',
  hmacSha256: '2a864886f70d0209',
  aes256cbc: '60864801650304012a',
  pbeSha1TripleDes: '2a864886f70d010c0103',
  sha1: '2b0e03021a',
  sha256: '608648016503040201',
};

interface Encrypted {
  salt: Uint8Array;
  iterations: number;
  /** PBES2 only: the AES-256-CBC IV. */
  iv?: Uint8Array;
  ciphertext: Uint8Array;
}

interface PfxParts {
  profile: Profile;
  authSafe: Uint8Array;
  mac: { salt: Uint8Array; iterations: number; digest: Uint8Array };
  certSafe: Encrypted;
  keyBag: Encrypted;
}

function readPbe(b: Uint8Array, alg: Node, profile: Profile, ciphertext: Uint8Array): Encrypted {
  const [oid, params] = kids(b, alg);
  if (profile === 'legacy') {
    if (hex(b, oid!) !== OID_HEX.pbeSha1TripleDes)
      throw new Error('floor: not pbeWithSHAAnd3-KeyTripleDES-CBC');
    const [salt, it] = kids(b, params!);
    return { salt: content(b, salt!), iterations: uint(b, it!), ciphertext };
  }
  if (hex(b, oid!) !== OID_HEX.pbes2) throw new Error('floor: not PBES2');
  const [kdf, enc] = kids(b, params!);
  const [kdfOid, kdfParams] = kids(b, kdf!);
  const [salt, it, ...rest] = kids(b, kdfParams!);
  const [encOid, iv] = kids(b, enc!);
  const prf = rest.find((n) => n.tag === 0x30);
  if (
    hex(b, kdfOid!) !== OID_HEX.pbkdf2 ||
    !prf ||
    hex(b, kids(b, prf)[0]!) !== OID_HEX.hmacSha256 ||
    hex(b, encOid!) !== OID_HEX.aes256cbc
  )
    throw new Error('floor: not PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC');
  return { salt: content(b, salt!), iterations: uint(b, it!), iv: content(b, iv!), ciphertext };
}

/** Salts, IVs, iteration counts, ciphertexts and MAC of a file as certlab writes it. */
function pfxParts(der: Uint8Array, profile: Profile): PfxParts {
  const [, authCi, macData] = kids(der, node(der, 0));
  const authSafe = content(der, kids(der, kids(der, authCi!)[1]!)[0]!);
  const [digestInfo, macSalt, macIt] = kids(der, macData!);
  const [macAlg, digest] = kids(der, digestInfo!);
  if (hex(der, kids(der, macAlg!)[0]!) !== (profile === 'modern' ? OID_HEX.sha256 : OID_HEX.sha1))
    throw new Error('floor: unexpected MAC digest');
  const [certCi, keyCi] = kids(authSafe, node(authSafe, 0));
  // certificates: ContentInfo { encryptedData, [0] { SEQUENCE { version, EncryptedContentInfo } } }
  const ed = kids(authSafe, kids(authSafe, certCi!)[1]!)[0]!;
  const [, alg, ct] = kids(authSafe, kids(authSafe, ed)[1]!);
  const certSafe = readPbe(authSafe, alg!, profile, content(authSafe, ct!));
  // key: ContentInfo { data, [0] { OCTET STRING SafeContents { SafeBag { id, [0] { EPKI } } } } }
  const sc = content(authSafe, kids(authSafe, kids(authSafe, keyCi!)[1]!)[0]!);
  const bag = kids(sc, node(sc, 0))[0]!;
  const epki = kids(sc, kids(sc, bag)[1]!)[0]!;
  const [kAlg, kCt] = kids(sc, epki);
  const keyBag = readPbe(sc, kAlg!, profile, content(sc, kCt!));
  return {
    profile,
    authSafe,
    mac: { salt: content(der, macSalt!), iterations: uint(der, macIt!), digest: content(der, digest!) },
    certSafe,
    keyBag,
  };
}

// --- floor operations ----------------------------------------------------------------------

interface Plain {
  pkcs8: Uint8Array;
  certSafe: Uint8Array;
  authSafe: Uint8Array;
}

/** Export, all on the main thread: 2 × (PBKDF2 + AES) or 2 × (3 KDF chains + 3DES), MAC key, HMAC. */
function floorExportSync(profile: Profile, p: Plain): Buffer[] {
  if (profile === 'modern') {
    const enc = (plain: Uint8Array) =>
      cipher(
        'aes-256-cbc',
        pbkdf2Sync(PW_UTF8, randomBytes(16), ITERATIONS, 32, 'sha256'),
        randomBytes(16),
        plain,
      );
    const key = enc(p.pkcs8);
    const certs = enc(p.certSafe);
    const macKey = p12Kdf('sha256', PW_BMP, randomBytes(8), 3, ITERATIONS, 32);
    return [key, certs, createHmac('sha256', macKey).update(p.authSafe).digest()];
  }
  const enc = (plain: Uint8Array) => {
    const salt = randomBytes(8);
    const k = p12Kdf('sha1', PW_BMP, salt, 1, ITERATIONS, 24);
    const iv = p12Kdf('sha1', PW_BMP, salt, 2, ITERATIONS, 8);
    return cipher('des-ede3-cbc', k, iv, plain);
  };
  const key = enc(p.pkcs8);
  const certs = enc(p.certSafe);
  const macKey = p12Kdf('sha1', PW_BMP, randomBytes(8), 3, ITERATIONS, 20);
  return [key, certs, createHmac('sha1', macKey).update(p.authSafe).digest()];
}

/** Modern export with both PBKDF2 runs on the thread pool while the MAC key is derived on the main thread. */
async function floorExportParallel(p: Plain): Promise<Buffer[]> {
  const keyIv = randomBytes(16);
  const certIv = randomBytes(16);
  const derived = Promise.all([
    pbkdf2Async(randomBytes(16), ITERATIONS),
    pbkdf2Async(randomBytes(16), ITERATIONS),
  ]);
  const macKey = p12Kdf('sha256', PW_BMP, randomBytes(8), 3, ITERATIONS, 32);
  const [k1, k2] = await derived;
  const key = cipher('aes-256-cbc', k1, keyIv, p.pkcs8);
  const certs = cipher('aes-256-cbc', k2, certIv, p.certSafe);
  return [key, certs, createHmac('sha256', macKey).update(p.authSafe).digest()];
}

function verifyMacFloor(f: PfxParts): void {
  const sha = f.profile === 'modern' ? 'sha256' : 'sha1';
  const macKey = p12Kdf(sha, PW_BMP, f.mac.salt, 3, f.mac.iterations, sha === 'sha256' ? 32 : 20);
  const got = createHmac(sha, macKey).update(f.authSafe).digest();
  if (!timingSafeEqual(got, f.mac.digest)) throw new Error('floor: MAC mismatch');
}

function decryptLegacy(e: Encrypted): Buffer {
  const k = p12Kdf('sha1', PW_BMP, e.salt, 1, e.iterations, 24);
  const iv = p12Kdf('sha1', PW_BMP, e.salt, 2, e.iterations, 8);
  return cipher('des-ede3-cbc', k, iv, e.ciphertext, true);
}

/** Import, all on the main thread: MAC first, then the two decryptions. */
function floorImportSync(f: PfxParts): [pkcs8: Buffer, certSafe: Buffer] {
  verifyMacFloor(f);
  if (f.profile === 'legacy') return [decryptLegacy(f.keyBag), decryptLegacy(f.certSafe)];
  const dec = (e: Encrypted) =>
    cipher('aes-256-cbc', pbkdf2Sync(PW_UTF8, e.salt, e.iterations, 32, 'sha256'), e.iv!, e.ciphertext, true);
  return [dec(f.keyBag), dec(f.certSafe)];
}

/** Modern import: both PBKDF2 runs on the thread pool while the MAC is verified on the main thread. */
async function floorImportParallel(f: PfxParts): Promise<[Buffer, Buffer]> {
  const derived = Promise.all([
    pbkdf2Async(f.keyBag.salt, f.keyBag.iterations),
    pbkdf2Async(f.certSafe.salt, f.certSafe.iterations),
  ]);
  try {
    verifyMacFloor(f);
  } catch (e) {
    await derived.catch(() => undefined);
    throw e;
  }
  const [k1, k2] = await derived;
  return [
    cipher('aes-256-cbc', k1, f.keyBag.iv!, f.keyBag.ciphertext, true),
    cipher('aes-256-cbc', k2, f.certSafe.iv!, f.certSafe.ciphertext, true),
  ];
}

// --- checks ------------------------------------------------------------------------------------

function opensslReads(label: string, der: Uint8Array, leafDer: Uint8Array): void {
  const r = spawnSync('openssl', ['pkcs12', '-passin', `pass:${PASSWORD}`, '-nodes'], {
    input: der,
    encoding: 'latin1',
  });
  const certs = r.stdout.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  const leafB64 = Buffer.from(leafDer).toString('base64').slice(0, 64);
  if (
    r.status !== 0 ||
    !r.stdout.includes('-----BEGIN PRIVATE KEY-----') ||
    certs !== 2 ||
    !r.stdout.includes(leafB64)
  )
    throw new Error(
      `${label}: openssl pkcs12 does not read the file back:\n${r.stderr}\n${r.stdout.slice(0, 500)}`,
    );
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;
}

interface Material {
  key: PrivateKey;
  keyPem: string;
  keyPemPath: string;
  pkcs8: Bytes;
  leaf: Certificate;
  leafDer: Bytes;
  leafPemPath: string;
}

const LABELS = {
  floorSync: (v: string) => `node:crypto floor, sync (${v})`,
  floorPar: (v: string) => `node:crypto floor, PBKDF2 ∥ thread pool (${v})`,
  floorParKey: (v: string) => `node:crypto floor ∥ + WebCrypto key import (${v})`,
  forge: (v: string) => `node-forge (${v})`,
  openssl: (v: string) => `openssl CLI, spawn per op (${v})`,
};

const mod: BenchModule = {
  name: NAME,
  description:
    'PKCS #12 export and import, modern and legacy, P-256 and RSA-2048, against the node:crypto floor',
  async run() {
    const chain = makeRsaChain();
    const ica = parseCertificate(chain.icaDer);
    const material: Record<KeyKind, Material> = {
      'P-256': {
        key: await importPrivateKey(chain.ecLeafKeyPem),
        keyPem: chain.ecLeafKeyPem,
        keyPemPath: chain.ecLeafKeyPath,
        pkcs8: pemToDer(chain.ecLeafKeyPem),
        leaf: parseCertificate(chain.ecLeafDer),
        leafDer: chain.ecLeafDer,
        leafPemPath: chain.ecLeafPemPath,
      },
      'RSA-2048': {
        key: await importPrivateKey(chain.rsaLeafKeyPem),
        keyPem: chain.rsaLeafKeyPem,
        keyPemPath: chain.rsaLeafKeyPath,
        pkcs8: pemToDer(chain.rsaLeafKeyPem),
        leaf: parseCertificate(chain.leafDer),
        leafDer: chain.leafDer,
        leafPemPath: chain.leafPemPath,
      },
    };

    const fastest = fastestHash();
    H = fastest.fn;

    // --- certlab files, checked by openssl and by the floor (which must verify their MAC and
    //     decrypt them to the same key and certificates), and by readPkcs12.
    const oursExport: Record<string, Impl> = {};
    const oursImport: Record<string, Impl> = {};
    const exportFloors: Record<string, Impl> = {};
    const importFloors: Record<string, Impl> = {};
    const files = new Map<string, Uint8Array>();
    const sizes: string[] = [];
    for (const profile of PROFILES) {
      for (const kk of KEYS) {
        const v = variant(profile, kk);
        const m = material[kk];
        const init = {
          key: m.key,
          certificate: m.leaf,
          chain: [ica],
          password: PASSWORD,
          profile,
          iterations: ITERATIONS,
        };
        const pfx = await createPkcs12(init);
        files.set(v, pfx);
        sizes.push(`${v}: ${pfx.length} B`);
        opensslReads(`certlab (${v})`, pfx, m.leafDer);
        const read = await readPkcs12(pfx, PASSWORD);
        if (
          !read.key ||
          !read.certificate ||
          Buffer.compare(Buffer.from(read.certificate.der), Buffer.from(m.leafDer)) !== 0 ||
          read.chain.length !== 1 ||
          Buffer.compare(Buffer.from(read.chain[0]!.der), Buffer.from(chain.icaDer)) !== 0 ||
          !read.key.publicKey.equals(read.certificate.publicKey)
        )
          throw new Error(`certlab (${v}): readPkcs12 does not give back the key, leaf and chain`);

        const parts = pfxParts(pfx, profile);
        if (parts.mac.iterations !== ITERATIONS || parts.keyBag.iterations !== ITERATIONS)
          throw new Error(`certlab (${v}): iteration counts differ from ${ITERATIONS}`);
        const [pkcs8, certSafe] = floorImportSync(parts);
        if (Buffer.compare(pkcs8, Buffer.from(m.pkcs8)) !== 0)
          throw new Error(`floor (${v}): the decrypted key bag is not the leaf's PKCS #8`);
        if (!contains(certSafe, m.leafDer) || !contains(certSafe, chain.icaDer))
          throw new Error(`floor (${v}): the decrypted certificate safe lacks the certificates`);
        const plain: Plain = { pkcs8, certSafe, authSafe: parts.authSafe };

        oursExport[v] = () => createPkcs12(init);
        oursImport[v] = () => readPkcs12(pfx, PASSWORD);
        exportFloors[LABELS.floorSync(v)] = { fn: () => floorExportSync(profile, plain), vs: v };
        importFloors[LABELS.floorSync(v)] = { fn: () => floorImportSync(parts), vs: v };
        if (profile === 'modern') {
          const [p8] = await floorImportParallel(parts);
          if (Buffer.compare(p8, pkcs8) !== 0) throw new Error(`floor ∥ (${v}): different key bag`);
          exportFloors[LABELS.floorPar(v)] = { fn: () => floorExportParallel(plain), vs: v };
          importFloors[LABELS.floorPar(v)] = { fn: () => floorImportParallel(parts), vs: v };
          // Informational: the same plus what readPkcs12 also returns, a usable CryptoKey.
          const alg = kk === 'P-256' ? EC_IMPORT : RSA_IMPORT;
          importFloors[LABELS.floorParKey(v)] = {
            fn: async () => {
              const [p8, certs] = await floorImportParallel(parts);
              return [await nodeSubtle.importKey('pkcs8', new Uint8Array(p8), alg, true, ['sign']), certs];
            },
            vs: v,
            note: "informational, not the target's floor: the PBKDF2 ∥ floor plus crypto.subtle.importKey('pkcs8') of the decrypted key, the WebCrypto import that readPkcs12 also does (through importPrivateKey).",
          };
        }
        // The export floors use the derivations and ciphers just checked against certlab's file;
        // their outputs must have the sizes of certlab's ciphertexts and MAC.
        const block = profile === 'modern' ? 16 : 8;
        const padded = (n: number) => (Math.floor(n / block) + 1) * block;
        for (const out of [
          floorExportSync(profile, plain),
          ...(profile === 'modern' ? [await floorExportParallel(plain)] : []),
        ]) {
          if (
            out[0]!.length !== padded(pkcs8.length) ||
            out[0]!.length !== parts.keyBag.ciphertext.length ||
            out[1]!.length !== parts.certSafe.ciphertext.length ||
            out[2]!.length !== parts.mac.digest.length
          )
            throw new Error(`floor (${v}): export output sizes differ from certlab's file`);
        }
      }
    }

    // --- node-forge (RSA only): export with 3DES (as `legacy`), import of certlab's RSA files ---
    const rsa = material['RSA-2048'];
    const forgeKey = forge.pki.privateKeyFromPem(rsa.keyPem);
    const forgeCerts = [rsa.leafDer, chain.icaDer].map((d) =>
      forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(d))),
    );
    const forgeExport = () =>
      forge.asn1
        .toDer(
          forge.pkcs12.toPkcs12Asn1(forgeKey, forgeCerts, PASSWORD, { algorithm: '3des', count: ITERATIONS }),
        )
        .getBytes();
    const forgeOut = new Uint8Array(Buffer.from(forgeExport(), 'binary'));
    opensslReads('node-forge export', forgeOut, rsa.leafDer);
    const forgeRead = (bin: string) => () => {
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bin), PASSWORD);
      const keyBags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
        forge.pki.oids.pkcs8ShroudedKeyBag!
      ];
      const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!];
      if (!keyBags?.[0]?.key || certBags?.length !== 2)
        throw new Error('node-forge: key or certificates missing');
      return p12;
    };
    const forgeImports: Record<string, Impl> = {};
    for (const profile of PROFILES) {
      const v = variant(profile, 'RSA-2048');
      const fn = forgeRead(forge.util.binary.raw.encode(files.get(v)!));
      fn();
      forgeImports[LABELS.forge(v)] = { fn, vs: v };
    }

    // --- openssl CLI (informational) --------------------------------------------------------------
    const LEGACY_ARGS = ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'];
    const opensslExport = (profile: Profile) => {
      const args = [
        'pkcs12',
        '-export',
        '-inkey',
        rsa.keyPemPath,
        '-in',
        rsa.leafPemPath,
        '-certfile',
        chain.icaPemPath,
        '-passout',
        `pass:${PASSWORD}`,
        '-iter',
        String(ITERATIONS),
        ...(profile === 'legacy' ? LEGACY_ARGS : []),
      ];
      return () => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    };
    const opensslImport = (pfx: Uint8Array) => () =>
      execFileSync('openssl', ['pkcs12', '-passin', `pass:${PASSWORD}`, '-nodes'], {
        input: pfx,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    const opensslExports: Record<string, Impl> = {};
    const opensslImports: Record<string, Impl> = {};
    for (const profile of PROFILES) {
      const v = variant(profile, 'RSA-2048');
      const ex = opensslExport(profile);
      const out = new Uint8Array(ex());
      opensslReads(`openssl export (${v})`, out, rsa.leafDer);
      const back = await readPkcs12(out, PASSWORD);
      if (!back.key || back.chain.length !== 1) throw new Error(`certlab cannot read openssl's ${v} file`);
      opensslExports[LABELS.openssl(v)] = { fn: ex, vs: v };
      opensslImports[LABELS.openssl(v)] = { fn: opensslImport(files.get(v)!), vs: v };
    }

    // --- floor components, timed once, for the notes ----------------------------------------------
    const timeIt = (fn: () => unknown, n = 20) => {
      fn();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      return (performance.now() - t0) / n;
    };
    const pbkdf2Ms = timeIt(() => pbkdf2Sync(PW_UTF8, randomBytes(16), ITERATIONS, 32, 'sha256'));
    const kdf256Ms = timeIt(() => p12Kdf('sha256', PW_BMP, randomBytes(8), 3, ITERATIONS, 32));
    const kdf1Ms = timeIt(() => p12Kdf('sha1', PW_BMP, randomBytes(8), 3, ITERATIONS, 20));
    const hashNote = Object.entries(fastest.usPerRound)
      .map(([n, u]) => `${n} ${u.sha1.toFixed(2)} µs (SHA-1) / ${u.sha256.toFixed(2)} µs (SHA-256)`)
      .join('; ');

    const commonNotes = [
      `Material made by openssl: a P-256 leaf and an RSA-2048 leaf (~1.2 KB, SAN/EKU/KU/SKI/AKI/CDP/AIA), both issued by an RSA-2048 issuing CA (the one chain certificate). Password "${PASSWORD}", ${ITERATIONS} iterations for every derivation. certlab file sizes: ${sizes.join(', ')}.`,
      `Floor: only the key derivations, ciphers and HMAC in node:crypto (no DER, no certificate or key parsing, no key import). The PKCS #12 KDF (RFC 7292 B.2) iterates ${fastest.name}, the faster way on this machine (per round: ${hashNote}). Measured once: pbkdf2Sync(2048, SHA-256, 32 B) ${pbkdf2Ms.toFixed(2)} ms; one PKCS #12 KDF chain of 2048 rounds ${kdf256Ms.toFixed(2)} ms (SHA-256) / ${kdf1Ms.toFixed(2)} ms (SHA-1). Modern needs 2 PBKDF2 + 1 KDF chain; legacy 7 SHA-1 KDF chains (2 for each 24-byte 3DES key, 1 for each IV, 1 for the MAC key).`,
      'Floor "PBKDF2 ∥ thread pool" (modern only): both PBKDF2 derivations run on the libuv thread pool (crypto.pbkdf2) while the MAC key is derived on the main thread: the fastest schedule node:crypto allows on 2+ cores. The target compares certlab with the faster of the two floors.',
      'certlab ÷ peer is a throughput ratio: 0.61x against a floor means certlab takes 1 / 0.61 = 1.63× the floor’s time, the measure of the target (≤ 1.5×).',
      'node:crypto runs one hash per call through OpenSSL 3 (EVP fetch, context set-up): a few µs per round, while certlab iterates SHA-1 / SHA-256 in JavaScript on 32-bit words (packages/pki/src/internal/sha.ts), so the KDF part of the floor is slower than certlab’s own KDF.',
    ];

    // --- export -----------------------------------------------------------------------------------
    const exportResult = await bench(
      `${NAME}-export`,
      {
        ours: oursExport,
        peers: {
          ...exportFloors,
          [LABELS.forge(variant('legacy', 'RSA-2048'))]: {
            fn: forgeExport,
            vs: variant('legacy', 'RSA-2048'),
            note: 'pkcs12.toPkcs12Asn1(key, [leaf, ca], password, { algorithm: "3des", count: 2048 }) + asn1.toDer: 3DES key bag, SHA-1 MAC, but the certificate safe is NOT encrypted (plain data ContentInfo): 4 KDF chains instead of 7, so it does less work than the legacy row. Key and certificates are forge objects made outside the loop.',
          },
          ...opensslExports,
        },
        notes: [
          'Each op: createPkcs12({ key, certificate: leaf, chain: [issuingCa], password, profile, iterations: 2048 }) with the key imported and the certificates parsed once outside the loop; the output is a complete DER PFX (localKeyId attributes, MAC).',
          'certlab checks before timing: openssl pkcs12 -nodes reads each file (key + 2 certificates); readPkcs12 gives back the key, leaf and chain; the floor verifies each file’s MAC and decrypts its key bag (= the leaf’s PKCS #8) and certificate safe.',
          ...commonNotes,
          'openssl (informational): `openssl pkcs12 -export -inkey … -in leaf -certfile ca -iter 2048` (modern: OpenSSL 3 defaults, PBES2/AES-256-CBC/SHA-256 MAC; legacy: -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1), one process per file, reading the PEM key and certificates each time.',
        ],
      },
      { rounds: 10, roundMs: 200 },
    );

    // --- import -----------------------------------------------------------------------------------
    const importResult = await bench(
      `${NAME}-import`,
      {
        ours: oursImport,
        peers: {
          ...importFloors,
          ...Object.fromEntries(
            Object.entries(forgeImports).map(([k, impl]) => [
              k,
              {
                ...(impl as object),
                note: 'pkcs12FromAsn1(asn1.fromDer(binaryString), password) on certlab’s RSA file (MAC check, both decryptions, forge key and certificate objects), bags looked up; the binary string is made once, outside the loop.',
              } as Impl,
            ]),
          ),
          ...opensslImports,
        },
        notes: [
          'Each op: readPkcs12(certlab’s file, password): DER walk, MAC verified (PKCS #12 KDF + HMAC), PBKDF2 or PKCS #12 KDF and decryption of the key bag and the certificate safe, certificates parsed, key imported into WebCrypto (importPrivateKey), the leaf matched to the key and the chain ordered. The floor does the derivations, MAC check and decryptions only, on salts/IVs/ciphertexts extracted once outside the loop.',
          ...commonNotes,
          'openssl (informational): `openssl pkcs12 -passin … -nodes` on certlab’s RSA file through stdin, one process per file.',
        ],
      },
      { rounds: 10, roundMs: 200 },
    );

    // --- targets ----------------------------------------------------------------------------------
    const targets: Target[] = [];
    const floorOf = (r: BenchResult, v: string) => {
      const rows = [LABELS.floorSync(v), LABELS.floorPar(v)]
        .map((l) => r.rows.find((x) => x.label === l))
        .filter((x) => x !== undefined);
      return rows.sort((a, b) => b.opsPerSec - a.opsPerSec)[0]!;
    };
    for (const [dir, r] of [
      ['export', exportResult],
      ['import', importResult],
    ] as const) {
      for (const profile of PROFILES) {
        const parts: string[] = [];
        let met = true;
        for (const kk of KEYS) {
          const v = variant(profile, kk);
          const ours = rowByLabel(r, `certlab (${v})`);
          const floor = floorOf(r, v);
          const slow = floor.opsPerSec / ours.opsPerSec; // ours time ÷ floor time
          met &&= slow <= 1.5;
          const which = floor.label.includes('∥') ? 'PBKDF2 ∥ floor' : 'sync floor';
          const withKey = r.rows.find((x) => x.label === LABELS.floorParKey(v));
          const keyNote = withKey
            ? `; vs floor + key import ${(withKey.opsPerSec / ours.opsPerSec).toFixed(2)}×`
            : '';
          parts.push(
            `${kk}: ${slow.toFixed(2)}× (${fmtUs(ours.usPerOp)} vs ${fmtUs(floor.usPerOp)}, ${which}; paired ${(1 / floor.pairedRatio!).toFixed(2)}×${keyNote})`,
          );
        }
        targets.push({
          benchmark: NAME,
          goal: `.pfx ${dir} (${profile}): certlab time ≤ 1.5× the node:crypto KDF + cipher floor`,
          measured: parts.join('; '),
          met,
        });
      }
    }
    writeJson(NAME, { export: exportResult, import: importResult, hash: fastest.usPerRound });
    return {
      tables: [formatResult(exportResult), formatResult(importResult)],
      targets,
      data: { export: exportResult, import: importResult },
    };
  },
};

export default mod;
