import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCmc,
  OID_CONTENT_TYPE,
  OID_DATA,
  OID_MESSAGE_DIGEST,
  OID_PKI_DATA,
  OID_SIGNED_DATA,
  tcr,
} from '../../../test/support/cmc.js';
import { hashDigest } from '../src/algorithms.js';
import { type Certificate, createCertificate, parseCertificate } from '../src/certificate.js';
import { type CertificationRequest, createCsr } from '../src/csr.js';
import { isPkiError, PkiError } from '../src/errors.js';
import { toHex } from '../src/internal/bytes.js';
import {
  Cursor,
  children,
  encodingOf,
  explicit,
  implicitPrim,
  int,
  octets,
  oid,
  readWhole,
  seq,
  seqOf,
  setOf,
  T,
  tlv,
} from '../src/internal/der.js';
import { generateKeyPair, type PrivateKey } from '../src/keys.js';
import { decodePem } from '../src/pem.js';
import { createCertsOnlyPkcs7, parsePkcs7 } from '../src/pkcs7.js';
import { isSignedRequest, parseSignedRequest } from '../src/signed-request.js';
import { toIndefinite } from './ber.js';
import { mutate, mutation } from './mutation.js';
import { throwsPkiError } from './throws-pki-error.js';

let dir: string;
/** OpenSSL-made renewal requests: the new P-256 request signed with the old certificate. */
const p7: Record<'rsa' | 'ec' | 'rsaNoAttr' | 'rsaKeyId' | 'ecKeyId' | 'rsaPss', Uint8Array> = {} as never;
let newCsrDer: Uint8Array;
let oldRsa: Certificate;
let oldEc: Certificate;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function cmsSign(signer: string, ...extra: string[]): Uint8Array {
  const out = `${signer}-${extra.join('').replace(/[^a-z]/g, '')}.p7`;
  const sign = `cms -sign -in new.der -binary -nodetach -signer ${signer}.pem -inkey ${signer}.key -outform DER`;
  openssl(...sign.split(' '), '-out', out, ...extra);
  return new Uint8Array(readFileSync(join(dir, out)));
}

function pemCert(name: string): Certificate {
  return parseCertificate(decodePem(readFileSync(join(dir, name), 'utf8'))[0]!.bytes);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certlab-signed-request-'));
  // Command lines as text, split on spaces (no argument has one).
  const run = (line: string) => openssl(...line.split(' '));
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes';
  run(
    'req -x509 -newkey rsa:2048 -nodes -keyout old-rsa.key -out old-rsa.pem -subj /O=Contoso/CN=exch01.contoso.com -days 30',
  );
  run(`req -x509 ${ec} -keyout old-ec.key -out old-ec.pem -subj /O=Contoso/CN=lync01.contoso.com -days 30`);
  run(
    `req -new ${ec} -keyout new.key -subj /O=Contoso/OU=Renewed/CN=exch01.contoso.com -outform DER -out new.der`,
  );
  newCsrDer = new Uint8Array(readFileSync(join(dir, 'new.der')));
  oldRsa = pemCert('old-rsa.pem');
  oldEc = pemCert('old-ec.pem');
  p7.rsa = cmsSign('old-rsa');
  p7.ec = cmsSign('old-ec');
  p7.rsaNoAttr = cmsSign('old-rsa', '-noattr');
  p7.rsaKeyId = cmsSign('old-rsa', '-keyid');
  p7.ecKeyId = cmsSign('old-ec', '-keyid');
  p7.rsaPss = cmsSign('old-rsa', '-keyopt', 'rsa_padding_mode:pss');
}, 30_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// --- DER surgery helpers ----------------------------------------------------------------------

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A copy of `der` with one byte of the (unique) occurrence of `part` flipped. */
function flipInside(der: Uint8Array, part: Uint8Array, offset = part.length >> 1): Uint8Array {
  const at = indexOfBytes(der, part);
  expect(at).toBeGreaterThan(0);
  const out = der.slice();
  out[at + offset]! ^= 0x01;
  return out;
}

/** Rebuilds the ContentInfo with the SignedData's top-level fields passed through `edit`. */
function editSignedData(der: Uint8Array, edit: (fields: Uint8Array[]) => Uint8Array[]): Uint8Array {
  const ci = Cursor.of(readWhole(der, T.SEQUENCE));
  const type = encodingOf(ci.next(T.OID));
  const sd = Cursor.of(ci.next(0xa0)).next(T.SEQUENCE);
  return seq(type, explicit(0, seqOf(edit(children(sd).map(encodingOf)))));
}

const withoutCertificates = (der: Uint8Array) =>
  editSignedData(der, (fields) => fields.filter((f) => f[0] !== 0xa0));

let cmcKey: PrivateKey;
let cmcCsr: CertificationRequest;
let cmc: Uint8Array;

beforeAll(async () => {
  cmcKey = (await generateKeyPair({ type: 'ec', curve: 'P-256' })).privateKey;
  cmcCsr = await createCsr({ subject: 'CN=um01.contoso.com, O=Contoso', privateKey: cmcKey });
  cmc = await buildCmc(cmcCsr, cmcKey);
});

// --- PKCS #7 renewal requests made by OpenSSL --------------------------------------------------

describe('PKCS #7 renewal requests (openssl cms -sign)', () => {
  it.each([
    ['RSA old certificate, signed attributes', 'rsa', 'old-rsa'],
    ['P-256 old certificate, signed attributes', 'ec', 'old-ec'],
    ['RSA, -noattr (signature over the content)', 'rsaNoAttr', 'old-rsa'],
    ['RSA, -keyid (subjectKeyIdentifier signer)', 'rsaKeyId', 'old-rsa'],
    ['P-256, -keyid', 'ecKeyId', 'old-ec'],
    ['RSA-PSS', 'rsaPss', 'old-rsa'],
  ] as const)('%s: parses and verifies', async (_, which, signer) => {
    const der = p7[which];
    expect(isSignedRequest(der)).toBe(true);
    const req = parseSignedRequest(der);
    expect(req.format).toBe('pkcs7');
    expect(req.bodyPartId).toBeUndefined();
    expect(toHex(req.der)).toBe(toHex(der));
    expect(toHex(req.request.der)).toBe(toHex(newCsrDer));
    expect(req.request.subject.toString()).toBe('CN=exch01.contoso.com,OU=Renewed,O=Contoso');
    const old = signer === 'old-rsa' ? oldRsa : oldEc;
    expect(req.certificates.map((c) => toHex(c.der))).toEqual([toHex(old.der)]);
    expect(req.signerCertificate?.subject.toString()).toBe(old.subject.toString());
    expect(await req.verify()).toBe(true);
  });

  it('exposes the SignerInfo as OpenSSL wrote it (RFC 5652 §5.3)', () => {
    const [rsa] = parsePkcs7(p7.rsa).signers;
    expect(rsa?.version).toBe(1);
    expect(rsa && 'serialNumber' in rsa.sid && rsa.sid.serialNumber).toBe(oldRsa.serialNumber);
    expect(rsa && 'issuer' in rsa.sid && rsa.sid.issuer.equals(oldRsa.issuer)).toBe(true);
    expect(rsa?.digestAlgorithm).toBe('SHA-256');
    expect(rsa?.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.1'); // rsaEncryption + digest
    expect(rsa?.hasSignedAttributes).toBe(true);
    expect(rsa?.signedAttributes?.[0]).toBe(0x31);
    const [keyId] = parsePkcs7(p7.rsaKeyId).signers;
    expect(keyId?.version).toBe(3);
    expect(keyId && 'subjectKeyIdentifier' in keyId.sid && toHex(keyId.sid.subjectKeyIdentifier)).toBe(
      toHex(oldRsa.subjectKeyIdentifier!),
    );
    const [noAttr] = parsePkcs7(p7.rsaNoAttr).signers;
    expect(noAttr?.hasSignedAttributes).toBe(false);
    expect(noAttr?.signedAttributes).toBeUndefined();
    const [ec] = parsePkcs7(p7.ec).signers;
    expect(ec?.signatureAlgorithmOid).toBe('1.2.840.10045.4.3.2'); // ecdsa-with-SHA256
    expect(parsePkcs7(p7.rsaPss).signers[0]?.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.10');
  });

  it('verifySigner: false for another key, TypeError for a bad index', async () => {
    const p = parsePkcs7(p7.rsa);
    expect(p.signerCertificate(0)?.serialNumber).toBe(oldRsa.serialNumber);
    expect(await p.verifySigner(0, oldRsa.publicKey)).toBe(true);
    expect(await p.verifySigner(0, oldEc.publicKey)).toBe(false);
    expect(await p.verifySigner(0, (await generateKeyPair({ type: 'rsa', bits: 2048 })).publicKey)).toBe(
      false,
    );
    await expect(p.verifySigner(1, oldRsa.publicKey)).rejects.toThrow(TypeError);
    await expect(p.verifySigner(-1, oldRsa.publicKey)).rejects.toThrow(TypeError);
    expect(() => p.signerCertificate(1)).toThrow(TypeError);
    expect(() => p.signerCertificate(0.5)).toThrow(TypeError);
    expect(() => parsePkcs7(createCertsOnlyPkcs7([oldRsa])).signerCertificate(0)).toThrow(TypeError);
  });

  it('finds a -keyid signer by its key identifier even without the SKI extension', async () => {
    // An SKI sid naming the key by RFC 5280 §4.2.1.2 method (1) and a certificate without the extension.
    const k = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const cert = await createCertificate({
      subject: 'CN=no-ski',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      subjectKeyIdentifier: false,
    });
    expect(cert.subjectKeyIdentifier).toBeUndefined();
    const der = await buildCmc(cmcCsr, cmcKey, {
      signingKey: k.privateKey,
      sid: implicitPrim(0, await k.publicKey.keyIdentifier()),
      certificates: [cert],
    });
    const req = parseSignedRequest(der);
    expect(req.signerCertificate?.subject.toString()).toBe('CN=no-ski');
    expect(await req.verify()).toBe(true);
  });

  it.each(['rsa', 'ec', 'rsaNoAttr', 'rsaKeyId', 'rsaPss'] as const)(
    '%s: a flipped signature byte does not verify',
    async (which) => {
      const sig = parsePkcs7(p7[which]).signers[0]!.signature;
      const req = parseSignedRequest(flipInside(p7[which], sig));
      expect(req.signerCertificate).toBeDefined();
      expect(await req.verify()).toBe(false);
    },
  );

  it.each(['rsa', 'ec', 'rsaNoAttr', 'rsaKeyId'] as const)(
    '%s: a flipped byte in the content (the inner request signature) does not verify',
    async (which) => {
      const inner = parseSignedRequest(p7[which]).request.signature;
      const tampered = flipInside(p7[which], inner, inner.length - 1);
      const req = parseSignedRequest(tampered);
      expect(toHex(req.request.der)).not.toBe(toHex(newCsrDer));
      expect(await req.verify()).toBe(false);
    },
  );

  it.each(['rsa', 'ec', 'rsaKeyId', 'ecKeyId'] as const)(
    '%s: without the signer certificate, there is no key and verify() is false',
    async (which) => {
      const req = parseSignedRequest(withoutCertificates(p7[which]));
      expect(req.certificates).toEqual([]);
      expect(req.signerCertificate).toBeUndefined();
      expect(await req.verify()).toBe(false);
    },
  );

  it('does not match a certificate with the right issuer but another serial', async () => {
    const der = editSignedData(p7.rsa, (fields) =>
      fields.map((f) => (f[0] === 0xa0 ? tlv(0xa0, oldEc.der) : f)),
    );
    const req = parseSignedRequest(der);
    expect(req.signerCertificate).toBeUndefined();
    expect(await req.verify()).toBe(false);
  });

  it('rejects the wrong content and the wrong wrapper with coded errors', () => {
    throwsPkiError(
      () => parseSignedRequest(createCertsOnlyPkcs7([oldRsa])),
      'ERR_PKI_PKCS7_INVALID',
      /no encapsulated content/,
    );
    // id-data whose content is not a PKCS #10 request: what parseCsr throws.
    const notCsr = seq(
      oid(OID_SIGNED_DATA),
      explicit(
        0,
        seq(int(1), setOf([]), seq(oid(OID_DATA), explicit(0, octets(Uint8Array.of(1, 2, 3)))), setOf([])),
      ),
    );
    expect(() => parseSignedRequest(notCsr)).toThrow(PkiError);
    try {
      parseSignedRequest(notCsr);
    } catch (e) {
      expect((e as PkiError).code).toMatch(/^ERR_PKI_(CSR|DER)_/);
    }
    throwsPkiError(() => parseSignedRequest(newCsrDer), 'ERR_PKI_PKCS7_INVALID', /bare PKCS #10/);
    throwsPkiError(() => parseSignedRequest(oldRsa.der), 'ERR_PKI_PKCS7_INVALID', /not a PKCS #7 or CMC/);
    throwsPkiError(() => parseSignedRequest(new Uint8Array()), 'ERR_PKI_PKCS7_INVALID', /empty/);
    expect(() => parseSignedRequest('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

// --- CMC Full PKI Requests -----------------------------------------------------------------------

describe('CMC Full PKI Requests (RFC 5272 §3.2)', () => {
  it('signed by the request key (subjectKeyIdentifier sid), bodyPartID and empty controlSequence', async () => {
    expect(isSignedRequest(cmc)).toBe(true);
    const req = parseSignedRequest(cmc);
    expect(req.format).toBe('cmc');
    expect(req.bodyPartId).toBe(1);
    expect(toHex(req.request.der)).toBe(toHex(cmcCsr.der));
    expect(req.request.subject.toString()).toBe('CN=um01.contoso.com,O=Contoso');
    expect(req.certificates).toEqual([]);
    expect(req.signerCertificate).toBeUndefined();
    expect(await req.verify()).toBe(true);
  });

  it('takes the first tcr after crm entries and keeps a large bodyPartID', async () => {
    const other = await createCsr({ subject: 'CN=second', privateKey: cmcKey });
    const der = await buildCmc(cmcCsr, cmcKey, {
      requests: [tlv(0xa1, seq()), tcr(4294967295, cmcCsr.der), tcr(2, other.der)],
    });
    const req = parseSignedRequest(der);
    expect(req.bodyPartId).toBe(4294967295);
    expect(req.request.subject.toString()).toBe('CN=um01.contoso.com,O=Contoso');
    expect(await req.verify()).toBe(true);
  });

  it('signed without signed attributes', async () => {
    const req = parseSignedRequest(await buildCmc(cmcCsr, cmcKey, { noAttrs: true }));
    expect(parsePkcs7(req.der).signers[0]?.hasSignedAttributes).toBe(false);
    expect(await req.verify()).toBe(true);
  });

  it('signed by a certificate: issuerAndSerialNumber (RSA) and subjectKeyIdentifier', async () => {
    const k = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const cert = await createCertificate({
      subject: 'CN=enrollment agent',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
    });
    const ias = seq(cert.issuerDer, int(cert.serialNumberBigInt));
    for (const sid of [ias, implicitPrim(0, cert.subjectKeyIdentifier!)]) {
      const req = parseSignedRequest(
        await buildCmc(cmcCsr, cmcKey, { signingKey: k.privateKey, sid, certificates: [cert] }),
      );
      expect(req.signerCertificate?.subject.toString()).toBe('CN=enrollment agent');
      expect(await req.verify()).toBe(true);
    }
  });

  it('does not verify: signature by another key, unknown SKI, wrong attributes', async () => {
    const other = (await generateKeyPair({ type: 'ec', curve: 'P-256' })).privateKey;
    const sid = implicitPrim(0, await cmcKey.publicKey.keyIdentifier());
    const cases: Uint8Array[] = [
      // The request key's identifier, but signed by another key.
      await buildCmc(cmcCsr, cmcKey, { signingKey: other, sid }),
      // An SKI that names neither the request key nor a certificate.
      await buildCmc(cmcCsr, cmcKey, { sid: implicitPrim(0, new Uint8Array(20).fill(7)) }),
      // content-type attribute saying id-data (RFC 5652 §11.1).
      await buildCmc(cmcCsr, cmcKey, {
        attrs: [
          seq(oid(OID_CONTENT_TYPE), setOf([oid(OID_DATA)])),
          seq(oid(OID_MESSAGE_DIGEST), setOf([octets(new Uint8Array(32))])),
        ],
      }),
      // message-digest attribute missing (RFC 5652 §5.3).
      await buildCmc(cmcCsr, cmcKey, { attrs: [seq(oid(OID_CONTENT_TYPE), setOf([oid(OID_PKI_DATA)]))] }),
      // message-digest attribute wrong.
      await buildCmc(cmcCsr, cmcKey, {
        attrs: [
          seq(oid(OID_CONTENT_TYPE), setOf([oid(OID_PKI_DATA)])),
          seq(oid(OID_MESSAGE_DIGEST), setOf([octets(new Uint8Array(32))])),
        ],
      }),
      // No signer at all.
      editSignedData(cmc, (fields) => [...fields.slice(0, -1), setOf([])]),
    ];
    for (const der of cases) expect(await parseSignedRequest(der).verify()).toBe(false);
    // The content-type attribute check alone: a correct digest but id-data declared.
    const pkiDigest = parsePkcs7(cmc).content!;
    const wrongType = await buildCmc(cmcCsr, cmcKey, {
      attrs: [
        seq(oid(OID_CONTENT_TYPE), setOf([oid(OID_DATA)])),
        seq(oid(OID_MESSAGE_DIGEST), setOf([octets(await hashDigest('SHA-256', pkiDigest))])),
      ],
    });
    expect(await parseSignedRequest(wrongType).verify()).toBe(false);
  });

  it('rejects a CMC request with only CRMF (crm [1]) or no request', async () => {
    const crmOnly = await buildCmc(cmcCsr, cmcKey, { requests: [tlv(0xa1, seq(seq(int(1))))] });
    expect(isSignedRequest(crmOnly)).toBe(true);
    throwsPkiError(
      () => parseSignedRequest(crmOnly),
      'ERR_PKI_PKCS7_INVALID',
      /no PKCS #10 request \(only CRMF\)/,
    );
    const ormOnly = await buildCmc(cmcCsr, cmcKey, { requests: [tlv(0xa2, int(1))] });
    throwsPkiError(() => parseSignedRequest(ormOnly), 'ERR_PKI_PKCS7_INVALID', /only other request formats/);
  });

  it('rejects a malformed PKIData, a bad inner request and another content type', async () => {
    const empty = await buildCmc(cmcCsr, cmcKey, { requests: [] });
    throwsPkiError(() => parseSignedRequest(empty), 'ERR_PKI_PKCS7_INVALID', /reqSequence is empty/);
    const badTag = await buildCmc(cmcCsr, cmcKey, { requests: [int(5)] });
    throwsPkiError(() => parseSignedRequest(badTag), 'ERR_PKI_PKCS7_INVALID', /no TaggedRequest/);
    const badCsr = await buildCmc(cmcCsr, cmcKey, { requests: [tcr(1, seq(int(0)))] });
    expect(() => parseSignedRequest(badCsr)).toThrow(PkiError);
    try {
      parseSignedRequest(badCsr);
    } catch (e) {
      expect((e as PkiError).code).toMatch(/^ERR_PKI_(CSR|DER)_/);
    }
    const response = await buildCmc(cmcCsr, cmcKey, { contentType: '1.3.6.1.5.5.7.12.3' });
    expect(isSignedRequest(response)).toBe(false);
    throwsPkiError(() => parseSignedRequest(response), 'ERR_PKI_PKCS7_INVALID', /CMC response/);
  });
});

describe('isSignedRequest', () => {
  it('is true for PKCS #7 and CMC requests, false for anything else, and never throws', () => {
    expect(isSignedRequest(p7.rsa)).toBe(true);
    expect(isSignedRequest(cmc)).toBe(true);
    expect(isSignedRequest(newCsrDer)).toBe(false);
    expect(isSignedRequest(cmcCsr.der)).toBe(false);
    expect(isSignedRequest(new Uint8Array())).toBe(false);
    expect(isSignedRequest(createCertsOnlyPkcs7([oldRsa]))).toBe(false);
    expect(isSignedRequest(oldRsa.der)).toBe(false);
    expect(isSignedRequest(undefined as unknown as Uint8Array)).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(isSignedRequest(b)).toBe(false);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('accepts BER (indefinite lengths)', () => {
    const ber = toIndefinite(p7.ec, 3);
    expect(ber[1]).toBe(0x80);
    expect(isSignedRequest(ber)).toBe(true);
    expect(parseSignedRequest(ber).request.subject.toString()).toBe(
      'CN=exch01.contoso.com,OU=Renewed,O=Contoso',
    );
  });
});

// --- malformed input ---------------------------------------------------------------------------

describe('malformed signed requests (fast-check, fixed seed)', () => {
  it.each(['pkcs7', 'cmc'] as const)(
    '%s: mutations end in a result whose verify() resolves to a boolean, or a PkiError',
    async (which) => {
      const sample = which === 'pkcs7' ? p7.rsa : cmc;
      const start = performance.now();
      let parsed = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
          const bytes = mutate(sample, ms);
          let req: ReturnType<typeof parseSignedRequest>;
          try {
            req = parseSignedRequest(bytes);
          } catch (e) {
            if (!isPkiError(e)) throw e;
            return;
          }
          parsed++;
          expect(typeof (await req.verify())).toBe('boolean');
        }),
        { seed: which === 'pkcs7' ? 42 : 43, numRuns: 200 },
      );
      expect(parsed).toBeGreaterThan(0);
      expect(performance.now() - start).toBeLessThan(10_000);
    },
  );
});
