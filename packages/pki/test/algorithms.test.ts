import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ecdsaDerToRaw,
  ecdsaRawToDer,
  type HashName,
  hashDigest,
  parseSignatureAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithmFor,
  signData,
  verifySignature,
} from '../src/algorithms.js';
import { type CryptoProvider, resetCryptoProvider, setCryptoProvider } from '../src/crypto-provider.js';
import { PkiError } from '../src/errors.js';
import { fromHex, toHex } from '../src/internal/bytes.js';
import { Cursor, encodingOf, int, oid, readBitString, readWhole, seq, T, tlv } from '../src/internal/der.js';
import {
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  type KeySpec,
  type PrivateKey,
  type PublicKey,
} from '../src/keys.js';
import { throwsPkiError } from './throws-pki-error.js';

// ---------------------------------------------------------------------------------------------
// OpenSSL harness

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certlab-alg-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => resetCryptoProvider());

function write(name: string, data: string | Uint8Array): string {
  const p = join(dir, `${counter++}-${name}`);
  writeFileSync(p, data);
  return p;
}

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function opensslOk(...args: string[]): boolean {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}

const data = new TextEncoder().encode('The quick brown fox jumps over the lazy dog');
const DGST: Record<HashName, string> = {
  'SHA-1': '-sha1',
  'SHA-256': '-sha256',
  'SHA-384': '-sha384',
  'SHA-512': '-sha512',
};

interface Fixture {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  keyFile: string;
  pubFile: string;
}

const fixtures = new Map<string, Fixture>();
const SPECS: Record<string, KeySpec> = {
  rsa: { type: 'rsa', bits: 2048 },
  p256: { type: 'ec', curve: 'P-256' },
  p384: { type: 'ec', curve: 'P-384' },
  p521: { type: 'ec', curve: 'P-521' },
  ed25519: { type: 'ed25519' },
};

async function fixture(name: string): Promise<Fixture> {
  let f = fixtures.get(name);
  if (!f) {
    const { privateKey, publicKey } = await generateKeyPair(SPECS[name]);
    f = {
      privateKey,
      publicKey,
      keyFile: write(`${name}.key`, await privateKey.toPem()),
      pubFile: write(`${name}.pub`, publicKey.toPem()),
    };
    fixtures.set(name, f);
  }
  return f;
}

/** Splits a certificate into TBSCertificate, signatureAlgorithm and signatureValue (RFC 5280 §4.1). */
function splitCertificate(der: Uint8Array): { tbs: Uint8Array; alg: Uint8Array; sig: Uint8Array } {
  const c = Cursor.of(readWhole(der, T.SEQUENCE));
  const tbs = encodingOf(c.next(T.SEQUENCE));
  const alg = encodingOf(c.next(T.SEQUENCE));
  const sig = readBitString(c.next()).bytes;
  return { tbs, alg, sig };
}

// ---------------------------------------------------------------------------------------------

const EXPECTED_DER: [string, string, HashName | undefined, boolean, string][] = [
  ['rsa', 'sha1WithRSAEncryption', 'SHA-1', false, '300d06092a864886f70d0101050500'],
  ['rsa', 'sha256WithRSAEncryption', 'SHA-256', false, '300d06092a864886f70d01010b0500'],
  ['rsa', 'sha384WithRSAEncryption', 'SHA-384', false, '300d06092a864886f70d01010c0500'],
  ['rsa', 'sha512WithRSAEncryption', 'SHA-512', false, '300d06092a864886f70d01010d0500'],
  [
    'rsa',
    'rsassaPss',
    'SHA-256',
    true,
    '304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
  ],
  [
    'rsa',
    'rsassaPss',
    'SHA-384',
    true,
    '304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130',
  ],
  [
    'rsa',
    'rsassaPss',
    'SHA-512',
    true,
    '304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140',
  ],
  ['p256', 'ecdsa-with-SHA1', 'SHA-1', false, '300906072a8648ce3d0401'],
  ['p256', 'ecdsa-with-SHA256', 'SHA-256', false, '300a06082a8648ce3d040302'],
  ['p384', 'ecdsa-with-SHA384', 'SHA-384', false, '300a06082a8648ce3d040303'],
  ['p521', 'ecdsa-with-SHA512', 'SHA-512', false, '300a06082a8648ce3d040304'],
  ['ed25519', 'Ed25519', undefined, false, '300506032b6570'],
];

describe('signature AlgorithmIdentifiers', () => {
  it.each(EXPECTED_DER)('%s %s %s pss=%s encodes as %s', async (key, name, hash, pss, hex) => {
    const f = await fixture(key);
    const alg = signatureAlgorithmFor(f.privateKey, hash === undefined ? {} : { hash, pss });
    expect(alg.name).toBe(name);
    expect(alg.hash).toBe(hash);
    expect(toHex(alg.der)).toBe(hex);
    expect(signatureAlgorithmFor(f.publicKey, hash === undefined ? {} : { hash, pss })).toBe(alg);
    if (pss)
      expect(alg.pss).toEqual({
        saltLength: { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash!],
        mgfHash: hash,
      });
    else expect(alg.pss).toBeUndefined();
    // Parsing our own encoding gives the same algorithm back.
    const parsed = parseSignatureAlgorithm(fromHex(hex));
    expect(parsed).toEqual(alg);
    expect(toHex(parsed.der)).toBe(hex);
    // The OID in the DER is the `oid` field.
    expect(openssl('asn1parse', '-inform', 'DER', '-in', write('alg.der', alg.der))).toContain(
      pss ? 'rsassaPss' : name === 'Ed25519' ? 'ED25519' : name,
    );
  });

  it('defaults: RSA SHA-256 PKCS#1 v1.5, EC hash by curve, Ed25519', async () => {
    expect(signatureAlgorithmFor((await fixture('rsa')).privateKey).name).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmFor((await fixture('rsa')).privateKey, { pss: true }).pss).toEqual({
      saltLength: 32,
      mgfHash: 'SHA-256',
    });
    expect(signatureAlgorithmFor((await fixture('p256')).privateKey).name).toBe('ecdsa-with-SHA256');
    expect(signatureAlgorithmFor((await fixture('p384')).privateKey).name).toBe('ecdsa-with-SHA384');
    expect(signatureAlgorithmFor((await fixture('p521')).publicKey).name).toBe('ecdsa-with-SHA512');
    expect(signatureAlgorithmFor((await fixture('ed25519')).privateKey)).toMatchObject({
      name: 'Ed25519',
      oid: '1.3.101.112',
      keyType: 'ed25519',
    });
    expect(signatureAlgorithmFor((await fixture('rsa')).privateKey).oid).toBe('1.2.840.113549.1.1.11');
  });

  it('rejects options that do not fit the key with a TypeError', async () => {
    const ec = (await fixture('p256')).privateKey;
    const ed = (await fixture('ed25519')).privateKey;
    expect(() => signatureAlgorithmFor(ec, { pss: true })).toThrow(TypeError);
    expect(() => signatureAlgorithmFor(ed, { pss: true })).toThrow(TypeError);
    expect(() => signatureAlgorithmFor(ed, { hash: 'SHA-256' })).toThrow(TypeError);
    expect(() => signatureAlgorithmFor(ec, { hash: 'SHA-224' as HashName })).toThrow(TypeError);
    expect(() => signatureAlgorithmFor(null as unknown as PrivateKey)).toThrow(TypeError);
  });
});

describe('parseSignatureAlgorithm', () => {
  it('tolerates absent RSA parameters and NULL ECDSA parameters, keeping the exact bytes', () => {
    const rsaNoNull = fromHex('300b06092a864886f70d01010b');
    const a = parseSignatureAlgorithm(rsaNoNull);
    expect(a.name).toBe('sha256WithRSAEncryption');
    expect(toHex(a.der)).toBe(toHex(rsaNoNull));
    const ecNull = fromHex('300c06082a8648ce3d0403020500');
    const b = parseSignatureAlgorithm(ecNull);
    expect(b.name).toBe('ecdsa-with-SHA256');
    expect(toHex(b.der)).toBe(toHex(ecNull));
  });

  it('applies the RSASSA-PSS defaults of RFC 4055 (SHA-1, MGF1-SHA-1, salt 20)', () => {
    const a = parseSignatureAlgorithm(fromHex('300d06092a864886f70d01010a3000'));
    expect(a).toMatchObject({
      name: 'rsassaPss',
      hash: 'SHA-1',
      pss: { saltLength: 20, mgfHash: 'SHA-1' },
      keyType: 'rsa',
    });
    // Hash parameters absent instead of NULL, salt 0, explicit trailerField 1.
    const sha256 = seq(oid('2.16.840.1.101.3.4.2.1'));
    const b = parseSignatureAlgorithm(
      seq(
        oid('1.2.840.113549.1.1.10'),
        seq(
          tlv(0xa0, sha256),
          tlv(0xa1, seq(oid('1.2.840.113549.1.1.8'), sha256)),
          tlv(0xa2, int(0)),
          tlv(0xa3, int(1)),
        ),
      ),
    );
    expect(b).toMatchObject({ hash: 'SHA-256', pss: { saltLength: 0, mgfHash: 'SHA-256' } });
  });

  it('refuses unsupported algorithms naming the OID', () => {
    const cases: [string, string][] = [
      ['300d06092a864886f70d0101040500', '1.2.840.113549.1.1.4'], // md5WithRSAEncryption
      ['300d06092a864886f70d01010e0500', '1.2.840.113549.1.1.14'], // sha224WithRSAEncryption
      ['300a06082a8648ce3d040301', '1.2.840.10045.4.3.1'], // ecdsa-with-SHA224
      ['300906072a8648ce380403', '1.2.840.10040.4.3'], // dsa-with-sha1
      ['300506032b6571', '1.3.101.113'], // Ed448
      ['300b0609608648016503040310', '2.16.840.1.101.3.4.3.16'], // RSA-SHA3-512
      ['300406022a03', '1.2.3'],
    ];
    for (const [hex, oidStr] of cases) {
      const e = throwsPkiError(() => parseSignatureAlgorithm(fromHex(hex)), 'ERR_PKI_ALGORITHM_UNSUPPORTED');
      expect(e.message).toContain(oidStr);
    }
    // PSS with an MGF1 hash different from the message hash: WebCrypto cannot do it.
    throwsPkiError(
      () =>
        parseSignatureAlgorithm(
          fromHex(
            '304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020120',
          ),
        ),
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
    );
  });

  it('refuses malformed identifiers with a PkiError', () => {
    for (const hex of [
      '',
      '30',
      '3000',
      '300506032b657005',
      '300706032b65700500',
      '300d06092a864886f70d01010a',
      '300d06092a864886f70d01010b0101ff',
      '300c06082a8648ce3d0403020400',
    ]) {
      expect(() => parseSignatureAlgorithm(fromHex(hex))).toThrow(PkiError);
    }
    expect(() => parseSignatureAlgorithm('300a' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('mutations give an algorithm with the exact input bytes, or a PkiError', () => {
    const inputs = EXPECTED_DER.map((e) => fromHex(e[4]));
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.nat({ max: 3 }),
        (which, pos, value, kind) => {
          const src = inputs[which % inputs.length]!;
          const p = pos % src.length;
          let m: Uint8Array;
          if (kind === 0) m = src.slice(0, p);
          else if (kind === 1) m = Uint8Array.from([...src.subarray(0, p), value, ...src.subarray(p)]);
          else {
            m = src.slice();
            m[p] = kind === 2 ? value : m[p]! ^ (1 << (value & 7));
          }
          try {
            const a: SignatureAlgorithm = parseSignatureAlgorithm(m);
            expect(toHex(a.der)).toBe(toHex(m));
          } catch (e) {
            if (!(e instanceof PkiError)) throw e;
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('interoperability with OpenSSL', () => {
  const cases: [string, HashName | undefined, boolean][] = [
    ['rsa', 'SHA-256', false],
    ['rsa', 'SHA-384', false],
    ['rsa', 'SHA-512', false],
    ['rsa', 'SHA-1', false],
    ['rsa', 'SHA-256', true],
    ['rsa', 'SHA-384', true],
    ['rsa', 'SHA-512', true],
    ['p256', 'SHA-256', false],
    ['p256', 'SHA-512', false],
    ['p384', 'SHA-384', false],
    ['p521', 'SHA-512', false],
    ['p521', 'SHA-256', false],
    ['ed25519', undefined, false],
  ];

  function pssArgs(alg: SignatureAlgorithm): string[] {
    return alg.pss
      ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${alg.pss.saltLength}`]
      : [];
  }

  it.each(cases)(
    '%s %s pss=%s: OpenSSL certificates carry our AlgorithmIdentifier and their signatures verify',
    async (key, hash, pss) => {
      const f = await fixture(key);
      const alg = signatureAlgorithmFor(f.privateKey, hash === undefined ? {} : { hash, pss });
      const certFile = write('cert.der', '');
      openssl(
        'req',
        '-x509',
        '-key',
        f.keyFile,
        '-subj',
        '/CN=certlab algorithms',
        '-days',
        '1',
        '-outform',
        'DER',
        '-out',
        certFile,
        ...(hash ? [DGST[hash]] : []),
        ...(pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : []),
      );
      const cert = splitCertificate(new Uint8Array(readFileSync(certFile)));
      expect(toHex(cert.alg)).toBe(toHex(alg.der));
      const parsed = parseSignatureAlgorithm(cert.alg);
      expect(parsed).toEqual(alg);
      expect(await verifySignature(f.publicKey, parsed, cert.tbs, cert.sig)).toBe(true);
      const tampered = cert.tbs.slice();
      tampered[tampered.length - 5]! ^= 1;
      expect(await verifySignature(f.publicKey, parsed, tampered, cert.sig)).toBe(false);
    },
  );

  it.each(cases)(
    '%s %s pss=%s: our signatures verify with OpenSSL, and OpenSSL signatures with us',
    async (key, hash, pss) => {
      const f = await fixture(key);
      const alg = signatureAlgorithmFor(f.privateKey, hash === undefined ? {} : { hash, pss });
      const sig = await signData(f.privateKey, alg, data);
      expect(await verifySignature(f.publicKey, alg, data, sig)).toBe(true);
      const dataFile = write('data.bin', data);
      const sigFile = write('sig.bin', sig);
      const outFile = write('osig.bin', '');
      if (alg.keyType === 'ed25519') {
        expect(sig.length).toBe(64);
        expect(
          openssl(
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            f.pubFile,
            '-rawin',
            '-in',
            dataFile,
            '-sigfile',
            sigFile,
          ),
        ).toContain('Signature Verified Successfully');
        openssl('pkeyutl', '-sign', '-inkey', f.keyFile, '-rawin', '-in', dataFile, '-out', outFile);
        // Ed25519 is deterministic (RFC 8032 §5.1.6): OpenSSL makes the very same signature.
        expect(toHex(new Uint8Array(readFileSync(outFile)))).toBe(toHex(sig));
      } else {
        expect(
          openssl(
            'dgst',
            DGST[alg.hash!],
            ...pssArgs(alg),
            '-verify',
            f.pubFile,
            '-signature',
            sigFile,
            dataFile,
          ),
        ).toContain('Verified OK');
        openssl('dgst', DGST[alg.hash!], ...pssArgs(alg), '-sign', f.keyFile, '-out', outFile, dataFile);
      }
      expect(await verifySignature(f.publicKey, alg, data, new Uint8Array(readFileSync(outFile)))).toBe(true);
      if (alg.keyType === 'rsa' && !alg.pss) {
        // PKCS#1 v1.5 is deterministic too.
        expect(toHex(new Uint8Array(readFileSync(outFile)))).toBe(toHex(sig));
      }
      // A bad signature is reported by OpenSSL as well.
      const bad = sig.slice();
      bad[bad.length >> 1]! ^= 0x10;
      expect(
        opensslOk(
          ...(alg.keyType === 'ed25519'
            ? [
                'pkeyutl',
                '-verify',
                '-pubin',
                '-inkey',
                f.pubFile,
                '-rawin',
                '-in',
                dataFile,
                '-sigfile',
                write('bad.bin', bad),
              ]
            : [
                'dgst',
                DGST[alg.hash!],
                ...pssArgs(alg),
                '-verify',
                f.pubFile,
                '-signature',
                write('bad.bin', bad),
                dataFile,
              ]),
        ),
      ).toBe(false);
    },
  );

  it('signs with an RSA key under several hashes and paddings, re-importing it as needed', async () => {
    const file = write('rsa.pem', '');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file);
    const key = await importPrivateKey(readFileSync(file, 'utf8'));
    const pub = await importPublicKey(openssl('pkey', '-in', file, '-pubout'));
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'] as HashName[]) {
      for (const pss of [false, true]) {
        const alg = signatureAlgorithmFor(key, { hash, pss });
        expect(await verifySignature(pub, alg, data, await signData(key, alg, data))).toBe(true);
      }
    }
  });
});

describe('verifySignature', () => {
  it('returns false for wrong or malformed signatures, for every key type', async () => {
    for (const name of Object.keys(SPECS)) {
      const f = await fixture(name);
      const alg = signatureAlgorithmFor(f.privateKey);
      const sig = await signData(f.privateKey, alg, data);
      const other = new TextEncoder().encode('other data');
      expect(await verifySignature(f.publicKey, alg, other, sig)).toBe(false);
      for (const bad of [
        new Uint8Array(0),
        sig.subarray(0, sig.length - 1),
        Uint8Array.from([...sig, 0]),
        new Uint8Array(sig.length),
        fromHex('3006020100020100'),
        fromHex('30060201ff020101'),
      ]) {
        expect(await verifySignature(f.publicKey, alg, data, bad)).toBe(false);
      }
      const flipped = sig.slice();
      flipped[flipped.length - 3]! ^= 4;
      expect(await verifySignature(f.publicKey, alg, data, flipped)).toBe(false);
      // Another key of the same type does not verify.
      const stranger = await generateKeyPair(SPECS[name]);
      expect(await verifySignature(stranger.publicKey, alg, data, sig)).toBe(false);
    }
  });

  it('throws ERR_PKI_ALGORITHM_UNSUPPORTED when the algorithm does not fit the key', async () => {
    const rsa = await fixture('rsa');
    const ec = await fixture('p256');
    const ed = await fixture('ed25519');
    const ecAlg = signatureAlgorithmFor(ec.privateKey);
    await expect(verifySignature(rsa.publicKey, ecAlg, data, new Uint8Array(8))).rejects.toMatchObject({
      code: 'ERR_PKI_ALGORITHM_UNSUPPORTED',
    });
    await expect(
      verifySignature(ed.publicKey, signatureAlgorithmFor(rsa.privateKey), data, new Uint8Array(8)),
    ).rejects.toMatchObject({
      code: 'ERR_PKI_ALGORITHM_UNSUPPORTED',
    });
    await expect(signData(ed.privateKey, ecAlg, data)).rejects.toMatchObject({
      code: 'ERR_PKI_ALGORITHM_UNSUPPORTED',
    });
  });

  it('verifies a P-384 key with a SHA-256 signature (curve and hash are independent)', async () => {
    const f = await fixture('p384');
    const alg = signatureAlgorithmFor(f.privateKey, { hash: 'SHA-256' });
    expect(await verifySignature(f.publicKey, alg, data, await signData(f.privateKey, alg, data))).toBe(true);
  });
});

describe('ECDSA signature conversion', () => {
  it('round-trips r || s through DER for every curve size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(32, 48, 66),
        fc.uint8Array({ minLength: 132, maxLength: 132 }),
        fc.nat({ max: 3 }),
        (size, bytes, zeros) => {
          const raw = bytes.slice(0, size * 2);
          // Exercise leading zeros (shorter INTEGERs) and high bits (a 0x00 sign octet).
          for (let i = 0; i < zeros; i++) raw[i] = 0;
          raw[size] = raw[size]! | 0x80;
          const der = ecdsaRawToDer(raw);
          expect(toHex(ecdsaDerToRaw(der, size))).toBe(toHex(raw));
          expect(der[0]).toBe(0x30);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('encodes minimal INTEGERs', () => {
    const raw = new Uint8Array(64);
    raw[31] = 1;
    raw[32] = 0x80;
    expect(toHex(ecdsaRawToDer(raw))).toBe(`302602010102210080${'00'.repeat(31)}`);
    expect(toHex(ecdsaRawToDer(new Uint8Array(64)))).toBe('3006020100020100');
  });

  it('rejects malformed DER and misuse', () => {
    for (const hex of [
      '3006020200010201013',
      '300702020001020101',
      '30060201ff020101',
      '3007020101020101ff',
      '3103020101',
      `3026020101022100${'ff'.repeat(33)}`,
    ]) {
      const bytes = hex.length % 2 ? fromHex(hex.slice(0, -1)) : fromHex(hex);
      expect(() => ecdsaDerToRaw(bytes, 32)).toThrow(PkiError);
    }
    // r longer than the curve allows.
    expect(() =>
      ecdsaDerToRaw(seq(tlv(2, new Uint8Array(33).fill(1)), tlv(2, Uint8Array.of(1))), 32),
    ).toThrow(PkiError);
    expect(() => ecdsaDerToRaw(fromHex('3006020101020101'), 0)).toThrow(TypeError);
    expect(() => ecdsaRawToDer(new Uint8Array(3))).toThrow(TypeError);
    expect(() => ecdsaRawToDer(new Uint8Array(0))).toThrow(TypeError);
  });
});

describe('hashDigest', () => {
  it.each(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as HashName[])(
    '%s matches node:crypto',
    async (hash) => {
      const expected = createHash(hash.replace('-', '').toLowerCase()).update(data).digest('hex');
      expect(toHex(await hashDigest(hash, data))).toBe(expected);
    },
  );

  it('rejects unknown hashes with a TypeError', async () => {
    await expect(hashDigest('MD5' as HashName, data)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('performance', () => {
  it('imports a key once however many signatures it makes', async () => {
    let imports = 0;
    const native = globalThis.crypto.subtle;
    const counting = new Proxy(native, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (prop === 'importKey') imports++;
          return v.apply(target, args);
        };
      },
    });
    const provider: CryptoProvider = {
      subtle: counting,
      getRandomValues: (a) => globalThis.crypto.getRandomValues(a),
    };
    setCryptoProvider(provider);
    const ecKey = await importPrivateKey(await (await fixture('p256')).privateKey.toPem());
    const rsaKey = await importPrivateKey(await (await fixture('rsa')).privateKey.toPem());
    const afterImport = imports;
    const ecAlg = signatureAlgorithmFor(ecKey);
    const rsaAlg = signatureAlgorithmFor(rsaKey);
    const t = performance.now();
    const sigs = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => signData(ecKey, ecAlg, Uint8Array.of(i & 0xff, i >> 8))),
    );
    for (let i = 0; i < 200; i++) await signData(rsaKey, rsaAlg, Uint8Array.of(i));
    const elapsed = performance.now() - t;
    expect(imports).toBe(afterImport); // signing reused the CryptoKeys made at import
    for (let i = 0; i < 50; i++)
      expect(await verifySignature(ecKey.publicKey, ecAlg, Uint8Array.of(i & 0xff, i >> 8), sigs[i]!)).toBe(
        true,
      );
    expect(imports).toBe(afterImport + 1); // one import of the public key for all verifications
    // A new hash for the RSA key costs one import, then it is cached too.
    const rsa384 = signatureAlgorithmFor(rsaKey, { hash: 'SHA-384' });
    for (let i = 0; i < 10; i++) await signData(rsaKey, rsa384, Uint8Array.of(i));
    expect(imports).toBe(afterImport + 2);
    expect(elapsed).toBeLessThan(20_000);
  });
});
