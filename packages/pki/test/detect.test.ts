import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Certificate, createCertificate } from '../src/certificate.js';
import { type Crl, createCrl } from '../src/crl.js';
import { type CertificationRequest, createCsr } from '../src/csr.js';
import { detectFormat, readPkiFile } from '../src/detect.js';
import { PkiError } from '../src/errors.js';
import { basicConstraints } from '../src/extensions.js';
import { concat, toHex } from '../src/internal/bytes.js';
import {
  Cursor,
  contentOf,
  explicit,
  int,
  octets,
  oid,
  readWhole,
  seq,
  T,
  tlv,
} from '../src/internal/der.js';
import { generateKeyPair, type KeyPair } from '../src/keys.js';
import { encodeBase64, encodePem } from '../src/pem.js';
import { createCertsOnlyPkcs7, encodePkcs7Pem } from '../src/pkcs7.js';
import { createPkcs12 } from '../src/pkcs12.js';

let ec: KeyPair;
let rsa: KeyPair;
let cert: Certificate;
let root: Certificate;
let csr: CertificationRequest;
let crl: Crl;
let p7: Uint8Array;
let pkcs8: Uint8Array;
let encPkcs8: Uint8Array;
let pkcs1: Uint8Array;
let sec1: Uint8Array;
let rsaSpki: Uint8Array;
let rsaPublicPkcs1: Uint8Array;

/** The privateKey OCTET STRING of PKCS #8 is the PKCS #1 / SEC 1 key (RFC 5958 §2). */
function innerKey(p8: Uint8Array): Uint8Array {
  const c = Cursor.of(readWhole(p8));
  c.next();
  c.next();
  return contentOf(c.next(T.OCTET_STRING)).slice();
}

beforeAll(async () => {
  ec = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  rsa = await generateKeyPair({ type: 'rsa', bits: 2048 });
  root = await createCertificate({
    subject: 'CN=Root, O=Contoso',
    publicKey: ec.publicKey,
    signingKey: ec.privateKey,
    extensions: [basicConstraints({ ca: true })],
  });
  cert = await createCertificate({
    subject: 'CN=exch01.contoso.com',
    publicKey: rsa.publicKey,
    signingKey: ec.privateKey,
    issuer: root,
  });
  csr = await createCsr({ subject: 'CN=exch01.contoso.com', privateKey: rsa.privateKey });
  crl = await createCrl({
    issuer: root,
    signingKey: ec.privateKey,
    crlNumber: 1,
    entries: [{ serialNumber: '01', revocationDate: new Date(), reason: 'superseded' }],
  });
  p7 = createCertsOnlyPkcs7([cert, root], { crls: [crl] });
  pkcs8 = await ec.privateKey.toPkcs8();
  encPkcs8 = await ec.privateKey.toEncryptedPkcs8('s3cret', { iterations: 1000 });
  pkcs1 = innerKey(await rsa.privateKey.toPkcs8());
  // PKCS #8 drops the curve from ECPrivateKey; a standalone SEC 1 key names it (RFC 5915 §3).
  const inner = Cursor.of(readWhole(innerKey(pkcs8)));
  const [v, d, pub] = [inner.next(), inner.next(), inner.next()].map((t) => t.bytes.subarray(t.start, t.end));
  sec1 = seq(v!, d!, explicit(0, oid('1.2.840.10045.3.1.7')), pub!);
  rsaSpki = rsa.publicKey.spki;
  const spkiC = Cursor.of(readWhole(rsaSpki));
  spkiC.next();
  rsaPublicPkcs1 = contentOf(spkiC.next(T.BIT_STRING)).slice(1);
}, 60_000);

const pfxSkeleton = () =>
  seq(
    int(3),
    seq(oid('1.2.840.113549.1.7.1'), explicit(0, octets(seq()))),
    seq(seq(seq(), octets(new Uint8Array(20))), octets(new Uint8Array(8))),
  );

describe('detectFormat: DER by structure', () => {
  it('recognises every kind', () => {
    const cases: [Uint8Array, string, string?][] = [
      [cert.der, 'certificate'],
      [csr.der, 'csr'],
      [crl.der, 'crl'],
      [p7, 'pkcs7'],
      [pfxSkeleton(), 'pkcs12'],
      [pkcs8, 'private-key', 'pkcs8'],
      [encPkcs8, 'private-key', 'encrypted-pkcs8'],
      [pkcs1, 'private-key', 'pkcs1'],
      [sec1, 'private-key', 'sec1'],
      [rsaSpki, 'public-key', 'spki'],
      [rsaPublicPkcs1, 'public-key', 'pkcs1'],
    ];
    for (const [der, kind, keyFormat] of cases) {
      const d = detectFormat(der);
      expect([d.kind, d.encoding, d.objects.length]).toEqual([kind, 'der', 1]);
      if (keyFormat) expect(d.objects[0]!.keyFormat).toBe(keyFormat);
      expect(d.objects[0]!.der).toBe(der);
    }
    expect(detectFormat(encPkcs8).objects[0]!.encrypted).toBe(true);
    expect(detectFormat(pkcs8).objects[0]!.encrypted).toBe(false);
  });

  it('recognises a v1 certificate, a v1 CRL and a BER PKCS #12', () => {
    const c = Cursor.of(readWhole(cert.der));
    const tbs = Cursor.of(c.next());
    tbs.next(); // drop [0] version
    const rest: Uint8Array[] = [];
    while (!tbs.done()) {
      const t = tbs.next();
      if (t.id !== 0xa3) rest.push(t.bytes.subarray(t.start, t.end));
    }
    const v1 = seq(seq(...rest), seq(oid('1.2.840.10045.4.3.2')), tlv(T.BIT_STRING, Uint8Array.of(0)));
    expect(detectFormat(v1).kind).toBe('certificate');
    const utc = tlv(T.UTC_TIME, new TextEncoder().encode('260101000000Z'));
    const v1crl = seq(
      seq(seq(oid('1.2.840.10045.4.3.2')), seq(), utc),
      seq(oid('1.2.840.10045.4.3.2')),
      tlv(T.BIT_STRING, Uint8Array.of(0)),
    );
    expect(detectFormat(v1crl).kind).toBe('crl');
    // Windows writes PFX files with indefinite lengths.
    const ber = concat([
      Uint8Array.of(0x30, 0x80),
      int(3),
      Uint8Array.of(0x30, 0x80),
      oid('1.2.840.113549.1.7.1'),
      Uint8Array.of(0xa0, 0x80, 0x24, 0x80),
      octets(Uint8Array.of(0x30, 0)),
      Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0),
    ]);
    const d = detectFormat(ber);
    expect(d.kind).toBe('pkcs12');
    expect(d.objects[0]!.der).toBe(ber);
  });

  it('explains DER it does not know', () => {
    const cases: [Uint8Array, RegExp][] = [
      [
        seq(oid('1.2.3.4'), int(1)),
        /This is DER but not a known PKI structure: it begins with a SEQUENCE containing an OID 1\.2\.3\.4, an INTEGER 1/,
      ],
      [seq(oid('1.2.840.113549.1.7.3'), explicit(0, seq())), /envelopedData/],
      [seq(tlv(T.ENUMERATED, Uint8Array.of(0)), explicit(0, seq())), /OCSP response/],
      [seq(seq(oid('2.16.840.1.101.3.4.2.1'), tlv(T.NULL)), octets(new Uint8Array(32))), /DigestInfo/],
      [seq(), /empty/],
    ];
    for (const [der, msg] of cases) {
      expect(() => detectFormat(der)).toThrow(msg);
      expect(() => detectFormat(der)).toThrow(expect.objectContaining({ code: 'ERR_PKI_FORMAT_UNKNOWN' }));
    }
    expect(() => detectFormat(cert.der.subarray(0, 100))).toThrow(
      /begins like DER \(a SEQUENCE\) but is malformed/,
    );
  });
});

describe('detectFormat: PEM and Base64', () => {
  it('maps every label, trusting the structure over the label', async () => {
    const cases: [string, Uint8Array, string, string?][] = [
      ['CERTIFICATE', cert.der, 'certificate'],
      ['X509 CERTIFICATE', cert.der, 'certificate'],
      ['CERTIFICATE REQUEST', csr.der, 'csr'],
      ['NEW CERTIFICATE REQUEST', csr.der, 'csr'],
      ['X509 CRL', crl.der, 'crl'],
      ['PKCS7', p7, 'pkcs7'],
      ['CMS', p7, 'pkcs7'],
      ['CERTIFICATE', p7, 'pkcs7'], // certsrv's certnew.p7b
      ['PRIVATE KEY', pkcs8, 'private-key', 'pkcs8'],
      ['ENCRYPTED PRIVATE KEY', encPkcs8, 'private-key', 'encrypted-pkcs8'],
      ['RSA PRIVATE KEY', pkcs1, 'private-key', 'pkcs1'],
      ['EC PRIVATE KEY', sec1, 'private-key', 'sec1'],
      ['PUBLIC KEY', rsaSpki, 'public-key', 'spki'],
      ['RSA PUBLIC KEY', rsaPublicPkcs1, 'public-key', 'pkcs1'],
    ];
    for (const [label, der, kind, keyFormat] of cases) {
      const d = detectFormat(encodePem(label, der, { eol: '\r\n' }));
      expect([label, d.kind, d.encoding]).toEqual([label, kind, 'pem']);
      expect(d.objects[0]!.label).toBe(label);
      if (keyFormat) expect(d.objects[0]!.keyFormat).toBe(keyFormat);
    }
  });

  it('reads TRUSTED CERTIFICATE (certificate + OpenSSL trust settings)', async () => {
    const aux = seq(seq(oid('1.3.6.1.5.5.7.3.1')));
    const f = await readPkiFile(encodePem('TRUSTED CERTIFICATE', concat([cert.der, aux])));
    expect(f.kind).toBe('certificate');
    if (f.kind === 'certificate') expect(toHex(f.certificates[0]!.der)).toBe(toHex(cert.der));
  });

  it('reads several blocks, lists other kinds and skips parameters', async () => {
    const chain = cert.toPem() + root.toPem();
    const d = detectFormat(`Bag Attributes\n  friendlyName: x\n${chain}`);
    expect(d.objects.map((o) => o.kind)).toEqual(['certificate', 'certificate']);
    const mixed = `${cert.toPem()}${encodePem('EC PARAMETERS', oid('1.2.840.10045.3.1.7'))}${encodePem('PRIVATE KEY', pkcs8)}`;
    const m = detectFormat(mixed);
    expect(m.kind).toBe('certificate');
    expect(m.skippedLabels).toEqual(['EC PARAMETERS']);
    const f = await readPkiFile(mixed);
    expect(f.kind).toBe('certificate');
    expect(f.others.map((o) => o.kind)).toEqual(['private-key']);
    const keyFirst = detectFormat(
      `${encodePem('EC PARAMETERS', oid('1.2.840.10045.3.1.7'))}${encodePem('EC PRIVATE KEY', sec1)}`,
    );
    expect(keyFirst.kind).toBe('private-key');
  });

  it('reads Base64 without armour, text in bytes, and byte order marks', () => {
    const b64 = encodeBase64(p7).replace(/.{64}/g, '$&\r\n');
    expect([detectFormat(b64).kind, detectFormat(b64).encoding]).toEqual(['pkcs7', 'base64']);
    const bytes = new TextEncoder().encode(b64);
    expect(detectFormat(bytes).encoding).toBe('base64');
    const pem = cert.toPem();
    expect(detectFormat(new TextEncoder().encode(pem)).encoding).toBe('pem');
    expect(detectFormat(concat([Uint8Array.of(0xef, 0xbb, 0xbf), new TextEncoder().encode(pem)])).kind).toBe(
      'certificate',
    );
    expect(detectFormat(`\ufeff${pem}`).kind).toBe('certificate');
    const utf16 = new Uint8Array(2 + pem.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < pem.length; i++) utf16[2 + i * 2] = pem.charCodeAt(i);
    expect(detectFormat(utf16).kind).toBe('certificate');
    expect(detectFormat(utf16.subarray(2)).kind).toBe('certificate');
  });

  it('explains what it cannot read', () => {
    const cases: [Uint8Array | string, RegExp][] = [
      [new Uint8Array(0), /empty/],
      ['  \r\n ', /empty/],
      ['hello world, this is a note', /This looks like text but has no PEM block/],
      [
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb user@host',
        /SSH public key; convert it with ssh-keygen -e -m PKCS8/,
      ],
      ['---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----', /SSH2 \(RFC 4716\)/],
      ['PuTTY-User-Key-File-3: ssh-ed25519\n', /PuTTY/],
      ['{"kty":"EC","crv":"P-256"}', /JSON Web Key/],
      ['3082010a0282010100c0ffee00112233445566778899aabbccddeeff', /hex-encoded/],
      [Uint8Array.of(0x50, 0x4b, 3, 4, 20, 0, 0, 0), /ZIP archive/],
      [Uint8Array.of(0x1f, 0x8b, 8, 0), /gzip/],
      [Uint8Array.of(0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2), /Java KeyStore/],
      [Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0x2d), /PDF/],
      [Uint8Array.of(0x04, 0x02, 0x00, 0x01, 0xff), /binary data but not DER: it begins with 0x04 0x02/],
      [encodeBase64(seq(oid('1.2.3.4'))), /This is Base64 text, but what it decodes to is not a PKI file/],
      [encodePem('OPENSSH PRIVATE KEY', Uint8Array.of(1, 2, 3)), /ssh-keygen -p -m PKCS8/],
      [encodePem('FOO', seq(oid('1.2.3.4'))), /"FOO" is not a known PKI object.*OID 1\.2\.3\.4/],
      [encodePem('FOO', tlv(T.SET, int(1))), /it is a SET, and every PKI file is a SEQUENCE/],
      [Uint8Array.of(0x31, 0x03, 0x02, 0x01, 0x01), /binary data but not DER: it begins with 0x31/],
    ];
    for (const [input, msg] of cases) {
      let err: unknown;
      try {
        detectFormat(input);
      } catch (e) {
        err = e;
      }
      expect(err, String(msg)).toBeInstanceOf(PkiError);
      expect((err as PkiError).code).toBe('ERR_PKI_FORMAT_UNKNOWN');
      expect((err as PkiError).message).toMatch(msg);
    }
    expect(() => detectFormat('-----BEGIN CERTIFICATE-----\nMIIB')).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_PEM_INVALID' }),
    );
    expect(() => detectFormat(42 as unknown as string)).toThrow(TypeError);
  });

  it('treats labels named like Object.prototype members as unknown labels', async () => {
    // Regression: "constructor" found Object.prototype.constructor in the label table, so
    // detectFormat returned an object without a kind and readPkiFile resolved to undefined.
    for (const label of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const pem = `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
      expect(() => detectFormat(pem), label).toThrow(
        expect.objectContaining({ code: 'ERR_PKI_FORMAT_UNKNOWN' }),
      );
      await expect(readPkiFile(pem), label).rejects.toMatchObject({ code: 'ERR_PKI_FORMAT_UNKNOWN' });
    }
  });
});

describe('readPkiFile', () => {
  it('parses certificates, requests, CRLs and PKCS #7', async () => {
    const c = await readPkiFile(cert.toPem() + root.toPem());
    expect(c.kind === 'certificate' && c.certificates.map((x) => x.subject.toString())).toEqual([
      'CN=exch01.contoso.com',
      'CN=Root,O=Contoso',
    ]);
    const r = await readPkiFile(csr.der);
    expect(r.kind === 'csr' && r.requests[0]!.subject.toString()).toBe('CN=exch01.contoso.com');
    const l = await readPkiFile(crl.toPem());
    expect(l.kind === 'crl' && l.crls[0]!.lookup('01')?.reason).toBe('superseded');
    const p = await readPkiFile(encodePkcs7Pem(p7, { label: 'CERTIFICATE', eol: '\r\n' }));
    expect(p.kind).toBe('pkcs7');
    if (p.kind === 'pkcs7') {
      expect(p.certificates.map((x) => toHex(x.der))).toEqual([toHex(cert.der), toHex(root.der)]);
      expect(p.crls).toHaveLength(1);
      expect(p.encoding).toBe('pem');
    }
    const pfx = await readPkiFile(pfxSkeleton());
    expect(pfx.kind === 'pkcs12' && pfx.der.length).toBeGreaterThan(0);
  });

  it('detects a PKCS #12 without a password and opens it with one', async () => {
    const pfx = await createPkcs12({
      key: rsa.privateKey,
      certificate: cert,
      chain: [root],
      password: 'pfx-pass',
    });
    const d = detectFormat(pfx);
    expect([d.kind, d.encoding]).toEqual(['pkcs12', 'der']);
    const closed = await readPkiFile(pfx);
    expect(closed.kind === 'pkcs12' && closed.contents).toBeUndefined();
    const open = await readPkiFile(encodeBase64(pfx), { password: 'pfx-pass' });
    expect(open.kind).toBe('pkcs12');
    if (open.kind === 'pkcs12') {
      expect(open.encoding).toBe('base64');
      expect(toHex(open.contents!.certificate!.der)).toBe(toHex(cert.der));
      expect(open.contents!.key?.type).toBe('rsa');
    }
  });

  it('imports private keys only when asked', async () => {
    const plain = await readPkiFile(encodePem('PRIVATE KEY', pkcs8));
    expect(plain.kind === 'private-key' && [plain.keyFormat, plain.encrypted, plain.privateKey]).toEqual([
      'pkcs8',
      false,
      undefined,
    ]);
    const imported = await readPkiFile(encodePem('EC PRIVATE KEY', sec1), { importKey: true });
    expect(imported.kind === 'private-key' && imported.privateKey?.type).toBe('ec');
    const rsaKey = await readPkiFile(pkcs1, { importKey: true });
    expect(rsaKey.kind === 'private-key' && rsaKey.privateKey?.type).toBe('rsa');
    const enc = await readPkiFile(encodePem('ENCRYPTED PRIVATE KEY', encPkcs8));
    expect(enc.kind === 'private-key' && [enc.encrypted, enc.privateKey]).toEqual([true, undefined]);
    const dec = await readPkiFile(encPkcs8, { password: 's3cret' });
    expect(dec.kind === 'private-key' && toHex(await dec.privateKey!.toPkcs8())).toBe(toHex(pkcs8));
    await expect(readPkiFile(encPkcs8, { importKey: true })).rejects.toMatchObject({
      code: 'ERR_PKI_KEY_ENCRYPTED',
    });
    await expect(readPkiFile(encPkcs8, { password: 'wrong' })).rejects.toMatchObject({
      code: 'ERR_PKI_KEY_PASSWORD',
    });
    const legacy = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${encodeBase64(new Uint8Array(48))}\n-----END RSA PRIVATE KEY-----\n`;
    const l = await readPkiFile(legacy);
    expect(l.kind === 'private-key' && [l.keyFormat, l.encrypted]).toEqual(['pkcs1', true]);
    await expect(readPkiFile(legacy, { password: 'x' })).rejects.toMatchObject({
      code: 'ERR_PKI_KEY_UNSUPPORTED',
    });
    await expect(readPkiFile(pkcs8, { password: 5 as unknown as string })).rejects.toThrow(TypeError);
  });

  it('parses public keys (SPKI and PKCS #1)', async () => {
    const a = await readPkiFile(encodePem('PUBLIC KEY', rsaSpki));
    const b = await readPkiFile(encodePem('RSA PUBLIC KEY', rsaPublicPkcs1));
    expect(a.kind === 'public-key' && toHex(a.publicKey.spki)).toBe(toHex(rsaSpki));
    expect(b.kind === 'public-key' && toHex(b.publicKey.spki)).toBe(toHex(rsaSpki));
  });

  it('reports which object of several is broken', async () => {
    const broken = cert.der.slice(0, cert.der.length - 5);
    await expect(readPkiFile(root.toPem() + encodePem('CERTIFICATE', broken))).rejects.toThrow(
      /^Certificate 2 of 2:/,
    );
  });
});

// ---------------------------------------------------------------------------------------------

type Mutation = { pos: number; value: number } | { truncate: number } | { pos: number; insert: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ truncate: fc.nat() }),
  fc.record({ pos: fc.nat(), insert: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
);

function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b: Uint8Array = input.slice();
  for (const m of ms) {
    if ('truncate' in m) b = b.slice(0, m.truncate % (b.length + 1));
    else {
      const pos = m.pos % 2 ? m.pos % Math.min(b.length + 1, 48) : m.pos % (b.length + 1);
      if ('insert' in m) b = concat([b.subarray(0, pos), m.insert, b.subarray(pos)]);
      else if (pos < b.length) b[pos] = m.value;
    }
  }
  return b;
}

describe('malformed files (fast-check, fixed seed)', () => {
  it('detectFormat and readPkiFile throw only PkiErrors', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const samples = [
      cert.der,
      csr.der,
      crl.der,
      p7,
      pfxSkeleton(),
      pkcs8,
      encPkcs8,
      pkcs1,
      sec1,
      rsaSpki,
      rsaPublicPkcs1,
      enc(cert.toPem() + encodePem('PRIVATE KEY', pkcs8)),
      enc(encodeBase64(p7)),
      enc(crl.toPem()),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, ms) => {
        const input = mutate(samples[i % samples.length]!, ms);
        try {
          detectFormat(input);
        } catch (e) {
          if (!(e instanceof PkiError)) throw e;
        }
        try {
          const f = await readPkiFile(input, { importKey: true });
          if (f.kind === 'crl') for (const c of f.crls) for (const e of c.entries) void e.reason;
          if (f.kind === 'certificate') for (const c of f.certificates) void c.subjectAltNames;
        } catch (e) {
          if (!(e instanceof PkiError)) throw e;
        }
      }),
      { seed: 42, numRuns: 1200 },
    );
  }, 120_000);

  it('ends header bombs fast with a coded error', async () => {
    for (const bomb of [
      new Uint8Array(200_000).map((_, i) => (i % 2 ? 0x80 : 0x30)),
      new Uint8Array(200_000).map((_, i) => (i % 2 ? 0x80 : 0x31)),
      concat([
        Uint8Array.of(0x30, 0x84, 0, 3, 0x0d, 0x40),
        new Uint8Array(200_000).map((_, i) => (i % 2 ? 0x80 : 0x31)),
      ]),
    ]) {
      const t = performance.now();
      expect(() => detectFormat(bomb)).toThrow(PkiError);
      // A labelled block is detected by its label; parsing then fails with a coded error.
      await expect(readPkiFile(encodePem('PKCS7', bomb))).rejects.toThrow(PkiError);
      await expect(readPkiFile(encodePem('X509 CRL', bomb))).rejects.toThrow(PkiError);
      expect(performance.now() - t).toBeLessThan(1000);
    }
  });
});

describe('plain prose', () => {
  it('is named as text, not as broken Base64', () => {
    expect(() => detectFormat('this is not a certificate')).toThrow(/plain text/);
  });
});
