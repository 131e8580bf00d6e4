import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signatureAlgorithmFor, signData, verifySignature } from '../src/algorithms.js';
import {
  type CryptoProvider,
  getCryptoProvider,
  randomBytes,
  resetCryptoProvider,
  setCryptoProvider,
  subtleFor,
} from '../src/crypto-provider.js';
import { isPkiError, PkiError, type PkiErrorCode } from '../src/errors.js';
import { toHex } from '../src/internal/bytes.js';
import { bitString, explicit, int, octets, oid, seq, tlv } from '../src/internal/der.js';
import {
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  type KeySpec,
  type PrivateKey,
  PublicKey,
} from '../src/keys.js';
import { decodePem } from '../src/pem.js';
import { mutate, mutation } from './mutation.js';
import { throwsPkiError } from './throws-pki-error.js';

// ---------------------------------------------------------------------------------------------
// OpenSSL harness

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certlab-keys-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  resetCryptoProvider();
  vi.unstubAllGlobals();
});

function path(name: string): string {
  return join(dir, `${counter++}-${name}`);
}

function write(name: string, data: string | Uint8Array): string {
  const p = path(name);
  writeFileSync(p, data);
  return p;
}

function openssl(...args: string[]): Uint8Array {
  return new Uint8Array(execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

function opensslText(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `openssl genpkey`-style commands writing to a file, returns the file path. */
function opensslFile(name: string, ...args: string[]): string {
  const p = path(name);
  const [command, ...rest] = args;
  execFileSync('openssl', [command!, '-out', p, ...rest], { stdio: ['ignore', 'pipe', 'pipe'] });
  return p;
}

function pemOf(file: string): string {
  return readFileSync(file, 'utf8');
}

function derOf(file: string, label?: string): Uint8Array {
  const blocks = decodePem(pemOf(file));
  return (label ? blocks.find((b) => b.label === label)! : blocks[0]!).bytes;
}

async function rejectsWith(p: Promise<unknown>, code: PkiErrorCode): Promise<PkiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PkiError);
    expect((e as PkiError).code).toBe(code);
    return e as PkiError;
  }
  throw new Error(`expected a PkiError ${code}, but the call succeeded`);
}

const OPENSSL_CURVE: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

// ---------------------------------------------------------------------------------------------

describe('generateKeyPair', () => {
  const specs: [KeySpec, string][] = [
    [{ type: 'rsa' }, 'Private-Key: (2048 bit, 2 primes)'],
    [{ type: 'rsa', bits: 3072 }, 'Private-Key: (3072 bit, 2 primes)'],
    [{ type: 'rsa', bits: 4096 }, 'Private-Key: (4096 bit, 2 primes)'],
    [{ type: 'ec', curve: 'P-256' }, 'NIST CURVE: P-256'],
    [{ type: 'ec', curve: 'P-384' }, 'NIST CURVE: P-384'],
    [{ type: 'ec', curve: 'P-521' }, 'NIST CURVE: P-521'],
    [{ type: 'ed25519' }, 'ED25519 Private-Key:'],
  ];

  it.each(specs)('%o is accepted by openssl pkey', async (spec, expected) => {
    const { privateKey, publicKey } = await generateKeyPair(spec);
    expect(privateKey.publicKey).toBe(publicKey);
    expect(publicKey.type).toBe(spec.type);
    expect(privateKey.type).toBe(spec.type);
    const bits =
      spec.type === 'rsa' ? (spec.bits ?? 2048) : spec.type === 'ec' ? Number(spec.curve!.slice(2)) : 256;
    expect(publicKey.bits).toBe(bits);
    expect(privateKey.bits).toBe(bits);
    expect(publicKey.curve).toBe(spec.type === 'ec' ? spec.curve : undefined);

    const keyFile = write('key.pem', await privateKey.toPem());
    const pubFile = write('pub.pem', publicKey.toPem());
    expect(opensslText('pkey', '-in', keyFile, '-noout', '-text')).toContain(expected);
    // OpenSSL re-derives the public key from ours and reads our SPKI: both equal our bytes.
    expect(toHex(openssl('pkey', '-in', keyFile, '-pubout', '-outform', 'DER'))).toBe(toHex(publicKey.spki));
    expect(toHex(openssl('pkey', '-pubin', '-in', pubFile, '-pubout', '-outform', 'DER'))).toBe(
      toHex(publicKey.spki),
    );
    // `openssl pkey` writes PKCS#8 as PEM (its DER output is the traditional format).
    expect(toHex(decodePem(opensslText('pkey', '-in', keyFile))[0]!.bytes)).toBe(
      toHex(await privateKey.toPkcs8()),
    );
  });

  it('defaults to ECDSA P-256', async () => {
    const { publicKey } = await generateKeyPair();
    expect(publicKey.type).toBe('ec');
    expect(publicKey.curve).toBe('P-256');
  });

  it('rejects bad specs with a TypeError', async () => {
    for (const spec of [
      { type: 'rsa', bits: 512 },
      { type: 'rsa', bits: 2047 },
      { type: 'rsa', bits: 32768 },
      { type: 'rsa', bits: Number.NaN },
      { type: 'ec', curve: 'P-192' },
      { type: 'dsa' },
      null,
    ]) {
      await expect(generateKeyPair(spec as KeySpec)).rejects.toBeInstanceOf(TypeError);
    }
  });

  it('computes the key identifier OpenSSL puts in the Subject Key Identifier', async () => {
    for (const spec of [{ type: 'ec' }, { type: 'ed25519' }, { type: 'rsa' }] as KeySpec[]) {
      const { privateKey, publicKey } = await generateKeyPair(spec);
      const keyFile = write('key.pem', await privateKey.toPem());
      const cert = opensslText('req', '-x509', '-key', keyFile, '-subj', '/CN=ski', '-days', '1');
      const certFile = write('cert.pem', cert);
      const ext = opensslText('x509', '-in', certFile, '-noout', '-ext', 'subjectKeyIdentifier');
      const ski = /([0-9A-F]{2}(:[0-9A-F]{2}){19})/.exec(ext)![1]!.replace(/:/g, '').toLowerCase();
      const kid = await publicKey.keyIdentifier();
      expect(toHex(kid)).toBe(ski);
      // RFC 5280 §4.2.1.2 (1): SHA-1 of the BIT STRING value.
      expect(kid.length).toBe(20);
      kid[0] = 0; // the result is a copy
      expect(toHex(await publicKey.keyIdentifier())).toBe(ski);
    }
  });
});

describe('importPrivateKey from OpenSSL files', () => {
  const algs: [string, string[]][] = [
    ['RSA', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
    ['P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']],
    ['P-521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']],
    ['ED25519', ['-algorithm', 'ED25519']],
  ];

  it.each(algs)(
    'imports unencrypted PKCS#8 from genpkey %s (PEM and DER) byte-identically',
    async (name, args) => {
      const file = opensslFile('key.pem', 'genpkey', ...args);
      const der = derOf(file, 'PRIVATE KEY');
      const spki = openssl('pkey', '-in', file, '-pubout', '-outform', 'DER');
      for (const input of [pemOf(file), der, new TextEncoder().encode(pemOf(file))]) {
        const key = await importPrivateKey(input);
        expect(toHex(await key.toPkcs8())).toBe(toHex(der));
        expect(toHex(key.publicKey.spki)).toBe(toHex(spki));
        expect(key.type).toBe(name === 'RSA' ? 'rsa' : name === 'ED25519' ? 'ed25519' : 'ec');
        if (key.type === 'ec') expect(key.curve).toBe(name);
      }
      // The PEM we write is the PEM OpenSSL wrote.
      const key = await importPrivateKey(pemOf(file));
      expect(await key.toPem()).toBe(pemOf(file));
    },
  );

  it('imports traditional RSA PRIVATE KEY (PKCS#1) as OpenSSL converts it', async () => {
    const file = opensslFile('rsa.pem', 'genrsa', '-traditional', '2048');
    expect(pemOf(file)).toContain('-----BEGIN RSA PRIVATE KEY-----');
    const key = await importPrivateKey(pemOf(file));
    expect(key.type).toBe('rsa');
    expect(key.bits).toBe(2048);
    expect(toHex(key.publicKey.spki)).toBe(toHex(openssl('pkey', '-in', file, '-pubout', '-outform', 'DER')));
    expect(toHex(await key.toPkcs8())).toBe(
      toHex(openssl('pkcs8', '-topk8', '-nocrypt', '-in', file, '-outform', 'DER')),
    );
    // The same as bare DER.
    const key2 = await importPrivateKey(derOf(file));
    expect(key2.publicKey.equals(key.publicKey)).toBe(true);
  });

  it.each(['P-256', 'P-384', 'P-521'])(
    'imports traditional EC PRIVATE KEY on %s, with and without the public key',
    async (curve) => {
      const file = opensslFile('ec.pem', 'ecparam', '-genkey', '-noout', '-name', OPENSSL_CURVE[curve]!);
      expect(pemOf(file)).toContain('-----BEGIN EC PRIVATE KEY-----');
      const spki = openssl('pkey', '-in', file, '-pubout', '-outform', 'DER');
      const key = await importPrivateKey(pemOf(file));
      expect(key.curve).toBe(curve);
      expect(toHex(key.publicKey.spki)).toBe(toHex(spki));
      expect(toHex(await key.toPkcs8())).toBe(
        toHex(openssl('pkcs8', '-topk8', '-nocrypt', '-in', file, '-outform', 'DER')),
      );

      // RFC 5915 makes the public key optional: it is then derived through WebCrypto.
      const noPub = write('nopub.pem', opensslText('ec', '-in', file, '-no_public'));
      const key2 = await importPrivateKey(pemOf(noPub));
      expect(toHex(key2.publicKey.spki)).toBe(toHex(spki));
      const noPub8 = openssl('pkcs8', '-topk8', '-nocrypt', '-in', noPub, '-outform', 'DER');
      const key3 = await importPrivateKey(noPub8);
      expect(toHex(key3.publicKey.spki)).toBe(toHex(spki));
      expect(toHex(await key3.toPkcs8())).toBe(toHex(noPub8));
    },
  );

  it('rejects an EC PRIVATE KEY that does not name its curve', async () => {
    const file = opensslFile('ec.pem', 'ecparam', '-genkey', '-noout', '-name', 'prime256v1');
    const d = derOf(file).subarray(7, 39);
    const bare = seq(int(1), octets(d));
    await rejectsWith(importPrivateKey(bare), 'ERR_PKI_KEY_INVALID');
  });

  it('imports PKCS#8 v2 (RFC 5958) Ed25519 keys with an embedded public key, and checks it', async () => {
    const { privateKey, publicKey } = await generateKeyPair({ type: 'ed25519' });
    const v1 = await privateKey.toPkcs8();
    const seed = v1.subarray(v1.length - 32);
    const pub = publicKey.spki.subarray(publicKey.spki.length - 32);
    const v2 = (p: Uint8Array) =>
      seq(int(1), seq(oid('1.3.101.112')), octets(octets(seed)), tlv(0x81, Uint8Array.of(0), p));
    const key = await importPrivateKey(v2(pub));
    expect(key.publicKey.equals(publicKey)).toBe(true);
    // Stored as v1, which OpenSSL 3.0 (and so Node's WebCrypto) can read.
    expect(toHex(await key.toPkcs8())).toBe(toHex(v1));
    const wrong = pub.slice();
    wrong[5]! ^= 1;
    const e = await rejectsWith(importPrivateKey(v2(wrong)), 'ERR_PKI_KEY_INVALID');
    expect(e.message).toMatch(/does not belong/);
  });

  it('detects an EC key whose embedded public key is not its own', async () => {
    const a = opensslFile('a.pem', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256');
    const b = opensslFile('b.pem', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256');
    const da = derOf(a);
    const pubB = derOf(b).subarray(derOf(b).length - 65);
    const mixed = da.slice();
    mixed.set(pubB, mixed.length - 65);
    await rejectsWith(importPrivateKey(mixed), 'ERR_PKI_KEY_INVALID');
  });

  it('detects an RSA key whose CRT components do not fit together', async () => {
    const file = opensslFile('rsa.pem', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024');
    const der = derOf(file);
    const corrupt = der.slice();
    corrupt[corrupt.length - 1]! ^= 1; // the last byte belongs to the CRT coefficient
    const e = await rejectsWith(importPrivateKey(corrupt), 'ERR_PKI_KEY_INVALID');
    expect(e.message).toMatch(/inconsistent/);
  });

  it('refuses key types WebCrypto cannot use, naming them', async () => {
    const cases: [string, string[], RegExp][] = [
      ['ed448', ['genpkey', '-algorithm', 'ED448'], /Ed448/],
      ['x25519', ['genpkey', '-algorithm', 'X25519'], /X25519/],
      ['pss', ['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:1024'], /RSASSA-PSS/],
      ['k1', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], /secp256k1/],
    ];
    for (const [name, args, re] of cases) {
      const file = opensslFile(`${name}.pem`, ...args);
      const e = await rejectsWith(importPrivateKey(pemOf(file)), 'ERR_PKI_KEY_UNSUPPORTED');
      expect(e.message).toMatch(re);
      const pub = openssl('pkey', '-in', file, '-pubout', '-outform', 'DER');
      expect(throwsPkiError(() => PublicKey.fromSpki(pub), 'ERR_PKI_KEY_UNSUPPORTED').message).toMatch(re);
      await rejectsWith(importPublicKey(pub), 'ERR_PKI_KEY_UNSUPPORTED');
    }
  });

  it('refuses legacy PEM encryption and PBES1 with the openssl command to fix it', async () => {
    const trad = opensslFile('trad.pem', 'genrsa', '-traditional', '-aes256', '-passout', 'pass:x', '1024');
    const e1 = await rejectsWith(importPrivateKey(pemOf(trad), { password: 'x' }), 'ERR_PKI_KEY_UNSUPPORTED');
    expect(e1.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc');

    const plain = opensslFile('ed.pem', 'genpkey', '-algorithm', 'ED25519');
    const legacy = ['-provider', 'legacy', '-provider', 'default'];
    for (const args of [['-v1', 'PBE-MD5-DES', ...legacy], ['-scrypt']]) {
      const file = opensslFile('enc.pem', 'pkcs8', '-topk8', '-in', plain, '-passout', 'pass:x', ...args);
      const e = await rejectsWith(
        importPrivateKey(pemOf(file), { password: 'x' }),
        'ERR_PKI_KEY_UNSUPPORTED',
      );
      expect(e.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc');
      expect(e.message).not.toContain('pass:x');
    }
  });

  it('reads the older encryptions OpenSSL 1.x wrote: PKCS#12 PBE with 3DES or RC2, PBES2 with 3DES', async () => {
    const plain = opensslFile('ed-old.pem', 'genpkey', '-algorithm', 'ED25519');
    const expected = await (await importPrivateKey(pemOf(plain))).toPkcs8();
    const legacy = ['-provider', 'legacy', '-provider', 'default'];
    for (const args of [
      ['-v1', 'PBE-SHA1-3DES'],
      ['-v1', 'PBE-SHA1-2DES'],
      ['-v1', 'PBE-SHA1-RC2-40', ...legacy],
      ['-v1', 'PBE-SHA1-RC2-128', ...legacy],
      ['-v2', 'des3'],
    ]) {
      const file = opensslFile(
        'old.pem',
        'pkcs8',
        '-topk8',
        '-in',
        plain,
        '-passout',
        'pass:s3cret é',
        ...args,
      );
      const key = await importPrivateKey(pemOf(file), { password: 's3cret é' });
      expect(await key.toPkcs8(), args.join(' ')).toEqual(expected);
      const wrong = await rejectsWith(
        importPrivateKey(pemOf(file), { password: 'nope' }),
        'ERR_PKI_KEY_PASSWORD',
      );
      expect(wrong.message).not.toContain('nope');
      await rejectsWith(importPrivateKey(pemOf(file)), 'ERR_PKI_KEY_ENCRYPTED');
    }
    // The PKCS#12 KDF runs in JavaScript: its rounds are capped lower than PBKDF2's iterations.
    const heavy = opensslFile(
      'heavy.pem',
      'pkcs8',
      '-topk8',
      '-in',
      plain,
      '-passout',
      'pass:x',
      '-v1',
      'PBE-SHA1-3DES',
      '-iter',
      '1400000',
    );
    // 3DES runs three hash chains: 1,400,000 iterations are 4,200,000 rounds, over the 4,000,000.
    const e = await rejectsWith(importPrivateKey(pemOf(heavy), { password: 'x' }), 'ERR_PKI_KDF_LIMIT');
    expect(e.message).toContain('1400000');
    expect(e.message).toContain('above the limit of 1333333');
  });

  it('says what it found when the input is not a private key', async () => {
    const { privateKey, publicKey } = await generateKeyPair();
    const e = await rejectsWith(importPrivateKey(publicKey.toPem()), 'ERR_PKI_KEY_INVALID');
    expect(e.message).toContain('PUBLIC KEY');
    await rejectsWith(importPrivateKey(publicKey.spki), 'ERR_PKI_KEY_INVALID');
    await rejectsWith(importPublicKey(await privateKey.toPkcs8()), 'ERR_PKI_KEY_INVALID');
    const e2 = await rejectsWith(importPublicKey(await privateKey.toPem()), 'ERR_PKI_KEY_INVALID');
    expect(e2.message).toMatch(/importPrivateKey/);
    await expect(importPrivateKey(42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
    await expect(importPrivateKey(new Uint8Array(0))).rejects.toBeInstanceOf(PkiError);
    await expect(importPrivateKey('hello')).rejects.toBeInstanceOf(PkiError);
  });
});

describe('encrypted PKCS#8', () => {
  let ec: PrivateKey;
  let rsa: PrivateKey;
  beforeAll(async () => {
    ec = (await generateKeyPair({ type: 'ec', curve: 'P-384' })).privateKey;
    rsa = (await generateKeyPair({ type: 'rsa' })).privateKey;
  });

  it('writes PBES2/PBKDF2-SHA256/AES-256-CBC that openssl decrypts', async () => {
    for (const key of [ec, rsa]) {
      for (const password of ['s3cret', 'pässwörd ☃']) {
        const pem = await key.toPem({ password, iterations: 2048 });
        expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
        const file = write('enc.pem', pem);
        const out = opensslText('pkey', '-in', file, '-passin', `pass:${password}`);
        expect(toHex(decodePem(out)[0]!.bytes)).toBe(toHex(await key.toPkcs8()));
        const parsed = opensslText('asn1parse', '-in', file);
        expect(parsed).toContain('PBES2');
        expect(parsed).toContain('hmacWithSHA256');
        expect(parsed).toContain('aes-256-cbc');
        // Same layout as OpenSSL's own output: same length but for our 16-byte salt (OpenSSL 3.0 uses 8).
        const ref = openssl(
          'pkcs8',
          '-topk8',
          '-in',
          write('p.pem', await key.toPem()),
          '-v2',
          'aes-256-cbc',
          '-v2prf',
          'hmacWithSHA256',
          '-iter',
          '2048',
          '-passout',
          'pass:x',
          '-outform',
          'DER',
        );
        expect(decodePem(pem)[0]!.bytes.length).toBe(ref.length + 8);
      }
    }
  });

  it('uses 600,000 iterations and a 16-byte salt by default', async () => {
    const der = await ec.toEncryptedPkcs8('pw');
    const text = opensslText('asn1parse', '-inform', 'DER', '-in', write('enc.der', der));
    expect(text).toMatch(/INTEGER\s+:0927C0/); // 600000
    expect(text).toMatch(/l=\s*16 prim:\s+OCTET STRING/);
    const back = await importPrivateKey(der, { password: 'pw' });
    expect(back.publicKey.equals(ec.publicKey)).toBe(true);
    // Fresh salt and IV every time.
    const again = await ec.toEncryptedPkcs8('pw', { iterations: 1000 });
    const again2 = await ec.toEncryptedPkcs8('pw', { iterations: 1000 });
    expect(toHex(again)).not.toBe(toHex(again2));
  });

  it.each([
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'],
    ['-v2', 'aes-128-cbc'],
    ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA384'],
    ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512'],
    ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1'],
  ])('imports openssl pkcs8 -topk8 %s %s %s %s', async (...args) => {
    const plain = write('plain.pem', await rsa.toPem());
    const file = opensslFile(
      'enc.pem',
      'pkcs8',
      '-topk8',
      '-in',
      plain,
      '-passout',
      'pass:open sesame',
      ...args,
    );
    const key = await importPrivateKey(pemOf(file), { password: 'open sesame' });
    expect(toHex(await key.toPkcs8())).toBe(toHex(await rsa.toPkcs8()));
    await rejectsWith(importPrivateKey(pemOf(file), { password: 'open sesamE' }), 'ERR_PKI_KEY_PASSWORD');
  });

  it('reports a wrong password, a missing password and an iteration count over the limit', async () => {
    const pem = await ec.toPem({ password: 'right', iterations: 2048 });
    for (const wrong of ['hunter2', '', 'righ', 'right ', 'RIGHT']) {
      const e = await rejectsWith(importPrivateKey(pem, { password: wrong }), 'ERR_PKI_KEY_PASSWORD');
      if (wrong) expect(e.message).not.toContain(wrong);
    }
    const e = await rejectsWith(importPrivateKey(pem), 'ERR_PKI_KEY_ENCRYPTED');
    expect(e.message).toMatch(/password/);
    await rejectsWith(importPrivateKey(pem, { password: 'right', maxIterations: 2047 }), 'ERR_PKI_KDF_LIMIT');
    expect(
      (await importPrivateKey(pem, { password: 'right', maxIterations: 2048 })).publicKey.equals(
        ec.publicKey,
      ),
    ).toBe(true);
  });

  it('refuses 50,000,000 iterations before doing any work', async () => {
    const craft = (iterations: bigint) =>
      seq(
        seq(
          oid('1.2.840.113549.1.5.13'),
          seq(
            seq(
              oid('1.2.840.113549.1.5.12'),
              seq(
                octets(new Uint8Array(16)),
                int(iterations),
                seq(oid('1.2.840.113549.2.9'), tlv(5, new Uint8Array(0))),
              ),
            ),
            seq(oid('2.16.840.1.101.3.4.1.42'), octets(new Uint8Array(16))),
          ),
        ),
        octets(new Uint8Array(64)),
      );
    const crafted = craft(50_000_000n);
    const t = performance.now();
    const e = await rejectsWith(importPrivateKey(crafted, { password: 'x' }), 'ERR_PKI_KDF_LIMIT');
    expect(performance.now() - t).toBeLessThan(200);
    expect(e.message).toContain('50000000');
    expect(e.message).toContain('maxIterations');
    // Even absurd counts report the limit rather than a DER error.
    await rejectsWith(importPrivateKey(craft(2n ** 100n)), 'ERR_PKI_KDF_LIMIT');
  });

  it('validates encryption options', async () => {
    await expect(ec.toPem({ password: '' })).rejects.toBeInstanceOf(TypeError);
    await expect(ec.toPem({ password: 'x', iterations: 0 })).rejects.toBeInstanceOf(TypeError);
    await expect(ec.toPem({ password: 'x', iterations: 1.5 })).rejects.toBeInstanceOf(TypeError);
    await expect(ec.toPem({ iterations: 5 })).rejects.toBeInstanceOf(TypeError);
    await expect(importPrivateKey(await ec.toPem(), { maxIterations: 0 })).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses PBKDF2-HMAC-SHA224 (absent from WebCrypto) with a hint', async () => {
    const plain = write('plain224.pem', await rsa.toPem());
    const file = opensslFile(
      'enc224.pem',
      'pkcs8',
      '-topk8',
      '-in',
      plain,
      '-passout',
      'pass:pw',
      '-v2',
      'aes-256-cbc',
      '-v2prf',
      'hmacWithSHA224',
    );
    await expect(importPrivateKey(pemOf(file), { password: 'pw' })).rejects.toMatchObject({
      code: 'ERR_PKI_KEY_UNSUPPORTED',
      message: /hmacWithSHA256/,
    });
  });
});

describe('JWK', () => {
  it.each([
    { type: 'rsa' },
    { type: 'ec', curve: 'P-256' },
    { type: 'ec', curve: 'P-384' },
    { type: 'ec', curve: 'P-521' },
    { type: 'ed25519' },
  ] as KeySpec[])('round-trips %o', async (spec) => {
    const { privateKey, publicKey } = await generateKeyPair(spec);
    const jwk = await privateKey.toJwk();
    expect(jwk.d).toBeTypeOf('string');
    expect(jwk.alg).toBeUndefined();
    expect(jwk.key_ops).toBeUndefined();
    expect(jwk.ext).toBeUndefined();
    const back = await importPrivateKey(jwk);
    expect(back.publicKey.equals(publicKey)).toBe(true);
    expect(toHex(await back.toPkcs8())).toBe(toHex(await privateKey.toPkcs8()));
    const fromText = await importPrivateKey(JSON.stringify(jwk));
    expect(fromText.publicKey.equals(publicKey)).toBe(true);

    const pubJwk = await publicKey.toJwk();
    expect(pubJwk.d).toBeUndefined();
    // Matches what WebCrypto itself exports.
    const native = await crypto.subtle.exportKey(
      'jwk',
      await publicKey.cryptoKey(
        spec.type === 'rsa'
          ? ({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams)
          : { name: spec.type === 'ec' ? 'ECDSA' : 'Ed25519' },
      ),
    );
    for (const f of ['kty', 'crv', 'n', 'e', 'x', 'y'] as const) expect(pubJwk[f]).toBe(native[f]);
    expect((await importPublicKey(pubJwk)).equals(publicKey)).toBe(true);
    expect((await importPublicKey(JSON.stringify(pubJwk))).equals(publicKey)).toBe(true);
    // A private JWK given to importPublicKey yields its public half.
    expect((await importPublicKey(jwk)).equals(publicKey)).toBe(true);
  });

  it('accepts JWKs that carry alg and key_ops for another algorithm', async () => {
    const { privateKey, publicKey } = await generateKeyPair({ type: 'rsa' });
    const jwk = { ...(await privateKey.toJwk()), alg: 'PS512', key_ops: ['sign'], use: 'sig' } as JsonWebKey;
    expect((await importPrivateKey(jwk)).publicKey.equals(publicKey)).toBe(true);
  });

  it('rejects public, unsupported and malformed JWKs with PkiErrors', async () => {
    const { publicKey } = await generateKeyPair();
    await rejectsWith(importPrivateKey(await publicKey.toJwk()), 'ERR_PKI_KEY_INVALID');
    await rejectsWith(
      importPrivateKey({ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA', d: 'AA' }),
      'ERR_PKI_KEY_UNSUPPORTED',
    );
    await rejectsWith(
      importPrivateKey({ kty: 'OKP', crv: 'Ed448', x: 'AA', d: 'AA' }),
      'ERR_PKI_KEY_UNSUPPORTED',
    );
    await rejectsWith(importPrivateKey({ kty: 'oct', k: 'AAAA' }), 'ERR_PKI_KEY_UNSUPPORTED');
    await rejectsWith(importPublicKey({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }), 'ERR_PKI_KEY_INVALID');
    await rejectsWith(
      importPublicKey({ kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) }),
      'ERR_PKI_KEY_INVALID',
    ); // not on the curve
    await rejectsWith(importPrivateKey('{"kty":'), 'ERR_PKI_KEY_INVALID');
    const pubJwk = await publicKey.toJwk();
    await rejectsWith(importPrivateKey({ ...pubJwk, d: 'A'.repeat(43) }), 'ERR_PKI_KEY_INVALID');
  });
});

describe('PublicKey', () => {
  it('parses SPKI without WebCrypto and keeps the bytes', async () => {
    const file = opensslFile('k.pem', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072');
    const spki = openssl('pkey', '-in', file, '-pubout', '-outform', 'DER');
    const pub = PublicKey.fromSpki(spki);
    expect(pub.type).toBe('rsa');
    expect(pub.bits).toBe(3072);
    expect(pub.curve).toBeUndefined();
    spki[spki.length - 1]! ^= 1; // fromSpki copied its input
    expect(pub.spki[pub.spki.length - 1]).not.toBe(spki[spki.length - 1]);
    expect(pub.toPem()).toBe(opensslText('pkey', '-in', file, '-pubout'));
  });

  it('imports PUBLIC KEY and RSA PUBLIC KEY PEM, DER and Base64', async () => {
    const file = opensslFile('k.pem', 'genrsa', '2048');
    const spki = openssl('pkey', '-in', file, '-pubout', '-outform', 'DER');
    const rsaPub = opensslText('rsa', '-in', file, '-RSAPublicKey_out');
    expect(rsaPub).toContain('BEGIN RSA PUBLIC KEY');
    for (const input of [
      opensslText('pkey', '-in', file, '-pubout'),
      spki,
      rsaPub,
      decodePem(rsaPub)[0]!.bytes,
      Buffer.from(spki).toString('base64'),
    ]) {
      expect(toHex((await importPublicKey(input)).spki)).toBe(toHex(spki));
    }
  });

  it('refuses compressed EC points with a hint', async () => {
    const file = opensslFile('k.pem', 'ecparam', '-genkey', '-noout', '-name', 'prime256v1');
    const compressed = openssl('ec', '-in', file, '-pubout', '-conv_form', 'compressed', '-outform', 'DER');
    expect(throwsPkiError(() => PublicKey.fromSpki(compressed), 'ERR_PKI_KEY_UNSUPPORTED').message).toContain(
      'uncompressed',
    );
  });

  it('caches CryptoKeys per parameters and re-imports RSA keys for other hashes', async () => {
    const { privateKey, publicKey } = await generateKeyPair({ type: 'rsa' });
    const a = await publicKey.cryptoKey({
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
    } as RsaHashedImportParams);
    const b = await publicKey.cryptoKey({
      name: 'rsassa-pkcs1-v1_5',
      hash: { name: 'SHA-256' },
    } as RsaHashedImportParams);
    expect(b).toBe(a);
    const c = await publicKey.cryptoKey({ name: 'RSA-PSS', hash: 'SHA-384' } as RsaHashedImportParams);
    expect(c).not.toBe(a);
    expect((c.algorithm as RsaHashedKeyAlgorithm).hash.name).toBe('SHA-384');
    const s1 = await privateKey.cryptoKey({
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-512',
    } as RsaHashedImportParams);
    expect((s1.algorithm as RsaHashedKeyAlgorithm).hash.name).toBe('SHA-512');
    expect(
      await privateKey.cryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } as RsaHashedImportParams),
    ).toBe(s1);
    expect(s1.usages).toEqual(['sign']);
    await rejectsWith(publicKey.cryptoKey({ name: 'ECDSA' }), 'ERR_PKI_ALGORITHM_UNSUPPORTED');
    await rejectsWith(privateKey.cryptoKey({ name: 'Ed25519' }), 'ERR_PKI_ALGORITHM_UNSUPPORTED');
    await rejectsWith(privateKey.cryptoKey({ name: 'AES-GCM' }), 'ERR_PKI_ALGORITHM_UNSUPPORTED');
    await expect(privateKey.cryptoKey({ name: 'RSA-PSS' })).rejects.toBeInstanceOf(TypeError);
    const ec = await generateKeyPair({ type: 'ec', curve: 'P-384' });
    await rejectsWith(
      ec.publicKey.cryptoKey({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams),
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
    );
    expect((await ec.publicKey.cryptoKey({ name: 'ECDSA' })).algorithm).toMatchObject({
      name: 'ECDSA',
      namedCurve: 'P-384',
    });
  });

  it('compares by SPKI bytes', async () => {
    const a = await generateKeyPair();
    const b = await generateKeyPair();
    expect(a.publicKey.equals(PublicKey.fromSpki(a.publicKey.spki))).toBe(true);
    expect(a.publicKey.equals(b.publicKey)).toBe(false);
  });
});

describe('crypto provider', () => {
  it('uses globalThis.crypto by default and an injected provider when set', async () => {
    expect(getCryptoProvider()).toBe(globalThis.crypto);
    const peculiar = new PeculiarCrypto();
    setCryptoProvider(peculiar);
    expect(getCryptoProvider()).toBe(peculiar);
    expect(await subtleFor('ECDSA')).toBe(peculiar.subtle);
    for (const spec of [{ type: 'ec', curve: 'P-256' }, { type: 'ed25519' }] as KeySpec[]) {
      const { privateKey, publicKey } = await generateKeyPair(spec);
      const alg = signatureAlgorithmFor(privateKey);
      const data = new TextEncoder().encode('peculiar');
      const sig = await signData(privateKey, alg, data);
      // A key made by one implementation keeps working after the provider changes.
      resetCryptoProvider();
      expect(await verifySignature(publicKey, alg, data, sig)).toBe(true);
      const again = await importPrivateKey(await privateKey.toPem());
      expect(await verifySignature(publicKey, alg, data, await signData(again, alg, data))).toBe(true);
      setCryptoProvider(peculiar);
    }
  });

  it('serves an algorithm the primary lacks from the fallback, probing once', async () => {
    const native = globalThis.crypto.subtle;
    let probes = 0;
    const noEd25519 = new Proxy(native, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const alg = args.find(
            (a) => typeof a === 'string' || (typeof a === 'object' && a !== null && 'name' in a),
          ) as string | { name: string } | undefined;
          const name = typeof alg === 'string' ? alg : alg?.name;
          if (prop === 'generateKey') probes++;
          if (name?.toUpperCase() === 'ED25519')
            return Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'));
          return v.apply(target, args);
        };
      },
    });
    const primary: CryptoProvider = {
      subtle: noEd25519,
      getRandomValues: (a) => globalThis.crypto.getRandomValues(a),
    };
    const fallback = new PeculiarCrypto();

    setCryptoProvider(primary);
    await rejectsWith(generateKeyPair({ type: 'ed25519' }), 'ERR_PKI_ALGORITHM_UNSUPPORTED');

    setCryptoProvider(primary, { fallback });
    expect(await subtleFor('Ed25519')).toBe(fallback.subtle);
    expect(await subtleFor('ed25519')).toBe(fallback.subtle);
    expect(await subtleFor('ECDSA')).toBe(noEd25519);
    const before = probes;
    expect(await subtleFor('Ed25519')).toBe(fallback.subtle);
    expect(probes).toBe(before); // cached
    const { privateKey, publicKey } = await generateKeyPair({ type: 'ed25519' });
    const alg = signatureAlgorithmFor(privateKey);
    const data = new TextEncoder().encode('fallback');
    expect(await verifySignature(publicKey, alg, data, await signData(privateKey, alg, data))).toBe(true);
    const ec = await generateKeyPair({ type: 'ec' });
    const ecAlg = signatureAlgorithmFor(ec.privateKey);
    expect(await verifySignature(ec.publicKey, ecAlg, data, await signData(ec.privateKey, ecAlg, data))).toBe(
      true,
    );
  });

  it('reports a missing WebCrypto and rejects non-providers', () => {
    vi.stubGlobal('crypto', undefined);
    expect(throwsPkiError(() => getCryptoProvider(), 'ERR_PKI_CRYPTO_UNAVAILABLE').message).toContain(
      'setCryptoProvider',
    );
    expect(() => randomBytes(4)).toThrow(PkiError);
    vi.unstubAllGlobals();
    expect(() => setCryptoProvider({} as CryptoProvider)).toThrow(TypeError);
    expect(() =>
      setCryptoProvider(globalThis.crypto, { fallback: { subtle: null } as unknown as CryptoProvider }),
    ).toThrow(TypeError);
  });

  it('returns random bytes of any length', () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(200_000);
    expect(big.length).toBe(200_000);
    expect(big.subarray(150_000).some((b) => b !== 0)).toBe(true);
    expect(toHex(randomBytes(16))).not.toBe(toHex(randomBytes(16)));
    expect(() => randomBytes(-1)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed input: every mutation of a valid encoding either still parses or fails with a PkiError.

async function onlyPkiErrors(run: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof PkiError)) throw e;
    expect(isPkiError(e)).toBe(true);
  }
}

describe('malformed input (fast-check)', () => {
  const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });
  let samples: { name: string; pkcs8: Uint8Array; spki: Uint8Array }[];
  let encrypted: Uint8Array;

  beforeAll(async () => {
    samples = [];
    for (const spec of [
      { type: 'rsa' },
      { type: 'ec', curve: 'P-256' },
      { type: 'ec', curve: 'P-521' },
      { type: 'ed25519' },
    ] as KeySpec[]) {
      const { privateKey, publicKey } = await generateKeyPair(spec);
      samples.push({ name: spec.type, pkcs8: await privateKey.toPkcs8(), spki: publicKey.spki });
    }
    encrypted = await (await generateKeyPair()).privateKey.toEncryptedPkcs8('pw', { iterations: 2048 });
  });

  it('mutated PKCS#8 gives a key or a PkiError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (which, ms) => {
        const s = samples[which % samples.length]!;
        await onlyPkiErrors(() => importPrivateKey(mutate(s.pkcs8, ms)));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('mutated SPKI gives a key or a PkiError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (which, ms) => {
        const s = samples[which % samples.length]!;
        const m = mutate(s.spki, ms);
        await onlyPkiErrors(() => PublicKey.fromSpki(m));
        await onlyPkiErrors(() => importPublicKey(m));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('mutated encrypted PKCS#8 gives a key or a PkiError', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        await onlyPkiErrors(() =>
          importPrivateKey(mutate(encrypted, ms), { password: 'pw', maxIterations: 100_000 }),
        );
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('mutated PEM text gives a key or a PkiError', async () => {
    const pem = new TextEncoder().encode(await (await generateKeyPair()).privateKey.toPem());
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        await onlyPkiErrors(() => importPrivateKey(new TextDecoder().decode(mutate(pem, ms))));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('a traditional key with a bad structure is a PkiError', async () => {
    await rejectsWith(
      importPrivateKey('-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n'),
      'ERR_PKI_DER_TRUNCATED',
    );
    await expect(
      importPrivateKey(
        seq(
          int(1),
          octets(new Uint8Array(32)),
          explicit(0, oid('1.2.840.10045.3.1.7')),
          explicit(1, bitString(new Uint8Array(65))),
        ),
      ),
    ).rejects.toBeInstanceOf(PkiError);
  });
});
