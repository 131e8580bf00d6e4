import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Certificate, createCertificate } from '../src/certificate.js';
import { type Crl, createCrl } from '../src/crl.js';
import { isPkiError, PkiError } from '../src/errors.js';
import { basicConstraints } from '../src/extensions.js';
import { berToDer } from '../src/internal/ber.js';
import { concat, toHex } from '../src/internal/bytes.js';
import {
  Cursor,
  encodingOf,
  explicit,
  int,
  octets,
  oid,
  readWhole,
  seq,
  setRaw,
  T,
  tlv,
} from '../src/internal/der.js';
import { generateKeyPair } from '../src/keys.js';
import { decodePem, encodeBase64 } from '../src/pem.js';
import {
  createCertsOnlyPkcs7,
  encodePkcs7Pem,
  parsePkcs7,
  readPkcs7Certificates,
  readPkcs7Crls,
} from '../src/pkcs7.js';
import { toIndefinite } from './ber.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';

let root: Certificate;
let inter: Certificate;
let leaf: Certificate;
let crl: Crl;

beforeAll(async () => {
  const k1 = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const k2 = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const k3 = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const notBefore = new Date('2026-01-01T00:00:00Z');
  root = await createCertificate({
    subject: 'CN=Root, O=Contoso',
    publicKey: k1.publicKey,
    signingKey: k1.privateKey,
    notBefore,
    extensions: [basicConstraints({ ca: true })],
  });
  inter = await createCertificate({
    subject: 'CN=Issuing CA with a longer name, O=Contoso',
    publicKey: k2.publicKey,
    signingKey: k1.privateKey,
    issuer: root,
    notBefore,
    extensions: [basicConstraints({ ca: true, pathLength: 0 })],
  });
  leaf = await createCertificate({
    subject: 'CN=exch01.contoso.com, OU=Messaging, O=Contoso, C=FR',
    publicKey: k3.publicKey,
    signingKey: k2.privateKey,
    issuer: inter,
    notBefore,
  });
  crl = await createCrl({
    issuer: inter,
    signingKey: k2.privateKey,
    crlNumber: 3,
    entries: [{ serialNumber: '0A', revocationDate: notBefore, reason: 'keyCompromise' }],
  });
});

const subjects = (cs: Certificate[]) => cs.map((c) => c.subject.toString());

describe('createCertsOnlyPkcs7', () => {
  it('writes a degenerate SignedData (RFC 5652 §5) with the certificates in the given order', () => {
    const der = createCertsOnlyPkcs7([leaf, inter, root]);
    const ci = Cursor.of(readWhole(der, T.SEQUENCE));
    expect(toHex(encodingOf(ci.next()))).toBe(toHex(oid(OID_SIGNED_DATA)));
    const sd = Cursor.of(Cursor.of(ci.next(0xa0)).next(T.SEQUENCE));
    expect(toHex(encodingOf(sd.next()))).toBe('020101'); // version 1
    expect(toHex(encodingOf(sd.next()))).toBe('3100'); // digestAlgorithms SET {}
    expect(toHex(encodingOf(sd.next()))).toBe(toHex(seq(oid(OID_DATA)))); // id-data, no content
    const certs = sd.next(0xa0);
    expect(toHex(encodingOf(sd.next()))).toBe('3100'); // signerInfos SET {}
    sd.end();
    const got: string[] = [];
    const cc = Cursor.of(certs);
    while (!cc.done()) got.push(toHex(encodingOf(cc.next())));
    expect(got).toEqual([leaf, inter, root].map((c) => toHex(c.der)));
    // The same bytes as a straightforward nested encoding.
    const expected = seq(
      oid(OID_SIGNED_DATA),
      explicit(
        0,
        seq(int(1), tlv(T.SET), seq(oid(OID_DATA)), tlv(0xa0, leaf.der, inter.der, root.der), tlv(T.SET)),
      ),
    );
    expect(toHex(der)).toBe(toHex(expected));
  });

  it("sorts as DER's SET OF with order: 'der', and reads back in file order", () => {
    const der = createCertsOnlyPkcs7([leaf, inter, root], { order: 'der', crls: [crl] });
    const sorted = [leaf, inter, root]
      .map((c) => c.der)
      .sort((a, b) => {
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
        return a.length - b.length;
      });
    expect(readPkcs7Certificates(der).map((c) => toHex(c.der))).toEqual(sorted.map((d) => toHex(d)));
    expect(() => createCertsOnlyPkcs7([leaf], { order: 'x' as 'der' })).toThrow(TypeError);
  });

  it('includes CRLs in [1] and accepts DER bytes', () => {
    const der = createCertsOnlyPkcs7([leaf.der, inter], { crls: [crl.der] });
    const p7 = parsePkcs7(der);
    expect(subjects(p7.certificates)).toEqual(subjects([leaf, inter]));
    expect(p7.crls.map((c) => toHex(c.der))).toEqual([toHex(crl.der)]);
    expect(readPkcs7Crls(der)[0]!.crlNumber).toBe(3n);
    expect(readPkcs7Crls(createCertsOnlyPkcs7([leaf]))).toEqual([]);
  });

  it('omits empty optional fields', () => {
    const der = createCertsOnlyPkcs7([]);
    expect(toHex(der)).toBe(
      toHex(seq(oid(OID_SIGNED_DATA), explicit(0, seq(int(1), tlv(T.SET), seq(oid(OID_DATA)), tlv(T.SET))))),
    );
    const p7 = parsePkcs7(der);
    expect(p7.certificates).toEqual([]);
    expect(p7.crls).toEqual([]);
    expect(p7.isCertsOnly).toBe(true);
  });

  it('refuses what is not a certificate', () => {
    expect(() => createCertsOnlyPkcs7([Uint8Array.of(4, 0)])).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_DER_INVALID' }),
    );
    expect(() => createCertsOnlyPkcs7(['x' as unknown as Uint8Array])).toThrow(TypeError);
    expect(() => createCertsOnlyPkcs7('x' as unknown as Uint8Array[])).toThrow(TypeError);
  });

  it('encodes large bundles (multi-byte lengths) correctly', () => {
    const many = Array.from({ length: 300 }, () => leaf);
    const der = createCertsOnlyPkcs7(many);
    expect(der.length).toBeGreaterThan(65_536);
    expect(readPkcs7Certificates(der)).toHaveLength(300);
  });
});

describe('encodePkcs7Pem', () => {
  it("uses the PKCS7 label by default and certsrv's CERTIFICATE label with CRLF on request", () => {
    const der = createCertsOnlyPkcs7([leaf, inter]);
    const pem = encodePkcs7Pem(der);
    expect(pem.startsWith('-----BEGIN PKCS7-----\n')).toBe(true);
    const certsrv = encodePkcs7Pem(der, { label: 'CERTIFICATE', eol: '\r\n' });
    expect(certsrv.startsWith('-----BEGIN CERTIFICATE-----\r\n')).toBe(true);
    expect(certsrv.split('\r\n').every((l) => l.length <= 64)).toBe(true);
    expect(toHex(decodePem(certsrv)[0]!.bytes)).toBe(toHex(der));
    expect(subjects(readPkcs7Certificates(pem))).toEqual(subjects([leaf, inter]));
    expect(subjects(readPkcs7Certificates(certsrv))).toEqual(subjects([leaf, inter]));
    expect(subjects(readPkcs7Certificates(new TextEncoder().encode(certsrv)))).toEqual(
      subjects([leaf, inter]),
    );
    expect(subjects(readPkcs7Certificates(encodePkcs7Pem(der, { label: 'CMS' })))).toEqual(
      subjects([leaf, inter]),
    );
    expect(parsePkcs7(der).toPem()).toBe(pem);
  });

  it('reads Base64 without armour (certsrv "Base 64 encoded" download)', () => {
    const der = createCertsOnlyPkcs7([leaf, inter, root]);
    const b64 = encodeBase64(der).replace(/.{76}/g, '$&\r\n');
    expect(subjects(readPkcs7Certificates(b64))).toEqual(subjects([leaf, inter, root]));
    expect(() => readPkcs7Certificates('not base64 !')).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_PKCS7_INVALID' }),
    );
    expect(() => readPkcs7Certificates(leaf.toPem())).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_PKCS7_INVALID' }),
    );
  });
});

describe('parsePkcs7', () => {
  it('reads BER with indefinite lengths (streaming encoders) and keeps the certificates byte for byte', () => {
    const der = createCertsOnlyPkcs7([leaf, inter, root], { crls: [crl] });
    const ber = toIndefinite(der, 4);
    expect(ber[1]).toBe(0x80);
    const p7 = parsePkcs7(ber);
    expect(p7.certificates.map((c) => toHex(c.der))).toEqual([leaf, inter, root].map((c) => toHex(c.der)));
    expect(p7.crls.map((c) => toHex(c.der))).toEqual([toHex(crl.der)]);
    expect(toHex(p7.der)).toBe(toHex(der));
  });

  it('reads signed SignedData: signers, digest algorithms, and constructed eContent', () => {
    const sha256 = seq(oid('2.16.840.1.101.3.4.2.1'), tlv(T.NULL));
    const signerInfo = seq(
      int(1),
      seq(seq(), int(1)),
      sha256,
      seq(oid('1.2.840.10045.4.3.2')),
      octets(Uint8Array.of(1)),
    );
    const streamed = concat([
      Uint8Array.of(0xa0, 0x80, 0x24, 0x80),
      octets(new TextEncoder().encode('hel')),
      octets(new TextEncoder().encode('lo')),
      Uint8Array.of(0, 0, 0, 0),
    ]);
    const eci = concat([Uint8Array.of(0x30, 0x80), oid(OID_DATA), streamed, Uint8Array.of(0, 0)]);
    const sd = concat([
      Uint8Array.of(0x30, 0x80),
      int(1),
      setRaw([sha256]),
      eci,
      tlv(0xa0, root.der, leaf.der),
      setRaw([signerInfo]),
      Uint8Array.of(0, 0),
    ]);
    const ber = concat([
      Uint8Array.of(0x30, 0x80),
      oid(OID_SIGNED_DATA),
      Uint8Array.of(0xa0, 0x80),
      sd,
      Uint8Array.of(0, 0, 0, 0),
    ]);
    const p7 = parsePkcs7(ber);
    expect(p7.signerCount).toBe(1);
    expect(p7.isCertsOnly).toBe(false);
    expect(p7.digestAlgorithms).toEqual(['2.16.840.1.101.3.4.2.1']);
    expect(p7.contentType).toBe(OID_DATA);
    expect(new TextDecoder().decode(p7.content)).toBe('hello');
    expect(subjects(p7.certificates)).toEqual(subjects([root, leaf]));
  });

  it('returns PKCS #7 v1.5 content that is not an OCTET STRING as its encoding', () => {
    const inner = seq(oid('1.3.6.1.4.1.311.2.1.4'));
    const der = seq(
      oid(OID_SIGNED_DATA),
      explicit(0, seq(int(1), tlv(T.SET), seq(oid('1.3.6.1.4.1.311.2.1.4'), explicit(0, inner)), tlv(T.SET))),
    );
    expect(toHex(parsePkcs7(der).content!)).toBe(toHex(inner));
  });

  it('skips other CertificateChoices and RevocationInfoChoices but lists the certificates ones', () => {
    const attrCert = tlv(0xa1, int(1));
    const otherRevocation = tlv(0xa1, oid('1.3.6.1.5.5.7.16.2'), seq());
    const der = seq(
      oid(OID_SIGNED_DATA),
      explicit(
        0,
        seq(
          int(1),
          tlv(T.SET),
          seq(oid(OID_DATA)),
          tlv(0xa0, attrCert, leaf.der),
          tlv(0xa1, otherRevocation, crl.der),
          tlv(T.SET),
        ),
      ),
    );
    const p7 = parsePkcs7(der);
    expect(subjects(p7.certificates)).toEqual(subjects([leaf]));
    expect(p7.otherCertificates.map((b) => toHex(b))).toEqual([toHex(attrCert)]);
    expect(p7.crls).toHaveLength(1);
  });

  it('names the content type of other PKCS #7 messages', () => {
    const enveloped = seq(oid('1.2.840.113549.1.7.3'), explicit(0, seq(int(0))));
    expect(() => parsePkcs7(enveloped)).toThrow(/envelopedData/);
    expect(() => parsePkcs7(enveloped)).toThrow(expect.objectContaining({ code: 'ERR_PKI_PKCS7_INVALID' }));
    expect(() => parsePkcs7(seq(oid('1.2.3.4'), explicit(0, seq())))).toThrow(/1\.2\.3\.4/);
  });

  it('says which certificate is broken', () => {
    const broken = leaf.der.slice();
    // Corrupt the first digit of notBefore: Certificate → TBSCertificate → [0], serial, alg, issuer, validity.
    const tbs = Cursor.of(Cursor.of(readWhole(broken)).next());
    for (let i = 0; i < 4; i++) tbs.next();
    const notBefore = Cursor.of(tbs.next(T.SEQUENCE)).next();
    broken[notBefore.valueStart] = 0x41;
    const der = createCertsOnlyPkcs7([root, broken]);
    expect(() => readPkcs7Certificates(der)).toThrow(/^Certificate 2 of the PKCS #7/);
  });

  it('rejects a bad certificates set at parse time', () => {
    const der = seq(
      oid(OID_SIGNED_DATA),
      explicit(0, seq(int(1), tlv(T.SET), seq(oid(OID_DATA)), tlv(0xa0, int(5)), tlv(T.SET))),
    );
    expect(() => parsePkcs7(der)).toThrow(expect.objectContaining({ code: 'ERR_PKI_PKCS7_INVALID' }));
    expect(() => parsePkcs7(3 as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('berToDer', () => {
  it('returns DER input unchanged (same object)', () => {
    const der = createCertsOnlyPkcs7([leaf]);
    expect(berToDer(der)).toBe(der);
  });

  it('fixes non-minimal lengths and flattens constructed OCTET STRINGs', () => {
    expect(toHex(berToDer(Uint8Array.of(0x30, 0x82, 0x00, 0x04, 0x02, 0x81, 0x01, 0x05)))).toBe('3003020105');
    expect(
      toHex(berToDer(Uint8Array.of(0x24, 0x80, 0x04, 0x01, 0xaa, 0x24, 0x03, 0x04, 0x01, 0xbb, 0, 0))),
    ).toBe('0402aabb');
  });

  it('rejects malformed BER with coded errors', () => {
    const bad: [number[], string][] = [
      [[0x04, 0x80, 0, 0], 'ERR_PKI_DER_INVALID'], // primitive indefinite
      [[0x30, 0x80, 0x02, 0x01, 0x00], 'ERR_PKI_DER_TRUNCATED'], // no end-of-contents
      [[0x30, 0x02, 0x00, 0x00], 'ERR_PKI_DER_INVALID'], // EOC in a definite element
      [[0x30, 0x00, 0x01], 'ERR_PKI_DER_INVALID'], // trailing byte
      [[0x24, 0x80, 0x02, 0x01, 0x00, 0, 0], 'ERR_PKI_DER_INVALID'], // not an OCTET STRING segment
      [[0x30, 0xff], 'ERR_PKI_DER_INVALID'],
      [[0x30, 0x85, 1, 0, 0, 0, 0], 'ERR_PKI_DER_INVALID'],
      [[0x30, 0x84, 0, 0, 1], 'ERR_PKI_DER_TRUNCATED'],
    ];
    for (const [b, code] of bad)
      expect(() => berToDer(Uint8Array.from(b))).toThrow(expect.objectContaining({ code }));
  });

  it('ends nesting, element and size bombs fast', () => {
    const nested = new Uint8Array(200_000).map((_, i) => (i % 2 ? 0x80 : 0x30));
    let t = performance.now();
    expect(() => berToDer(nested)).toThrow(expect.objectContaining({ code: 'ERR_PKI_DER_TOO_DEEP' }));
    expect(performance.now() - t).toBeLessThan(200);
    const flat = concat([
      Uint8Array.of(0x30, 0x80),
      new Uint8Array(100_000).map((_, i) => (i % 2 ? 0 : 5)),
      Uint8Array.of(0, 0),
    ]);
    expect(() => berToDer(flat, { maxElements: 1000 })).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_DER_TOO_DEEP' }),
    );
    expect(() => berToDer(flat, { maxSize: 1000 })).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_DER_TOO_DEEP' }),
    );
    t = performance.now();
    expect(toHex(berToDer(flat).subarray(0, 2))).toBe('3083');
    expect(performance.now() - t).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed input: only PkiErrors, never another exception; bombs end fast.

type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; value: number }
  | { kind: 'truncate'; len: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'delete'; pos: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), len: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    pos: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of ms) {
    // Most bytes of a .p7b are inside certificates: aim half the mutations at the envelope.
    const pos = 'pos' in m ? (m.pos % 2 ? m.pos % Math.min(b.length + 1, 64) : m.pos % (b.length + 1)) : 0;
    switch (m.kind) {
      case 'flip':
        if (pos < b.length) b[pos]! ^= 1 << m.bit;
        break;
      case 'set':
        if (pos < b.length) b[pos] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, m.len % (b.length + 1));
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, pos), ...m.bytes, ...b.subarray(pos)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, pos), ...b.subarray(pos + m.count)]);
        break;
    }
  }
  return b;
}

function exercise(input: Uint8Array): void {
  for (const run of [
    () => {
      const p7 = parsePkcs7(input);
      void p7.digestAlgorithms;
      void p7.content;
      void p7.signerCount;
      void p7.otherCertificates;
      for (const c of p7.certificates) void c.subject.toString();
      for (const c of p7.crls) for (const e of c.entries) void e.reason;
    },
    () => readPkcs7Certificates(input),
    () => readPkcs7Crls(input),
  ]) {
    try {
      run();
    } catch (e) {
      if (!isPkiError(e)) throw e;
    }
  }
}

describe('malformed PKCS #7 (fast-check, fixed seed)', () => {
  it('parsePkcs7 / readPkcs7Certificates / readPkcs7Crls throw only PkiErrors (DER, BER and PEM input)', () => {
    const der = createCertsOnlyPkcs7([leaf, inter], { crls: [crl] });
    const samples = [der, toIndefinite(der, 4), new TextEncoder().encode(encodePkcs7Pem(der))];
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
        exercise(mutate(samples[i % samples.length]!, ms));
      }),
      { seed: 42, numRuns: 1500 },
    );
  });

  it('ends a bomb of 100k nested SET/SEQUENCE headers fast with a coded error', () => {
    for (const [a, b] of [
      [0x30, 0x80],
      [0x31, 0x80],
      [0xa0, 0x80],
    ] as const) {
      const bomb = new Uint8Array(200_000).map((_, i) => (i % 2 ? b : a));
      const t = performance.now();
      expect(() => parsePkcs7(bomb)).toThrow(PkiError);
      expect(performance.now() - t).toBeLessThan(500);
    }
    // Definite lengths: 100k nested SETs, each header announcing exactly the rest.
    const n = 100_000;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const rest = (n - i - 1) * 6;
      parts.push(
        Uint8Array.of(0x31, 0x84, rest >>> 24, (rest >> 16) & 0xff, (rest >> 8) & 0xff, rest & 0xff),
      );
    }
    const definite = concat(parts);
    const t = performance.now();
    expect(() => parsePkcs7(definite)).toThrow(PkiError);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
