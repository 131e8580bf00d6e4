import { describe, expect, it } from 'vitest';
import {
  basicConstraints,
  Certificate,
  createCertificate,
  createCrl,
  createCsr,
  decodePem,
  encodePem,
  extKeyUsage,
  fromHex,
  generateKeyPair,
  keyUsage,
  Name,
  OID,
  PkiError,
  parseCertificate,
  readCertificates,
  subjectAltName,
  toHex,
  verifyCertificate,
} from '../src/index.js';

const notBefore = new Date('2026-01-01T00:00:00Z');

async function hierarchy(type: 'ec' | 'rsa' | 'ed25519' = 'ec') {
  const spec =
    type === 'rsa'
      ? ({ type: 'rsa', bits: 2048 } as const)
      : type === 'ec'
        ? ({ type: 'ec', curve: 'P-256' } as const)
        : ({ type: 'ed25519' } as const);
  const rootKeys = await generateKeyPair(spec);
  const root = await createCertificate({
    subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore,
    days: 3650,
    serialNumber: '01',
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leafKeys = await generateKeyPair(spec);
  const leaf = await createCertificate({
    subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
    publicKey: leafKeys.publicKey,
    signingKey: rootKeys.privateKey,
    issuer: root,
    notBefore,
    notAfter: new Date('2027-01-01T00:00:00Z'),
    extensions: [
      basicConstraints({ ca: false }),
      keyUsage(['digitalSignature', 'keyEncipherment']),
      extKeyUsage(['serverAuth', 'clientAuth']),
      subjectAltName([
        { type: 'dns', value: 'exch01.contoso.com' },
        { type: 'ip', value: '10.0.0.5' },
      ]),
    ],
  });
  return { rootKeys, root, leafKeys, leaf };
}

describe('certificates', () => {
  for (const type of ['ec', 'rsa', 'ed25519'] as const) {
    it(`builds, parses and verifies a root and a leaf (${type})`, async () => {
      const { root, leaf, leafKeys } = await hierarchy(type);
      expect(root.version).toBe(3);
      expect(root.isSelfIssued).toBe(true);
      expect(root.isCA).toBe(true);
      expect(root.serialNumber).toBe('01');
      expect(await root.verifySignature()).toBe(true);
      const p = parseCertificate(leaf.der);
      expect(p.subject.toWindowsString()).toBe('CN=exch01.contoso.com, O=Contoso, C=FR');
      expect(p.issuer.equals(root.subject)).toBe(true);
      expect(p.subjectAltNames).toEqual([
        { type: 'dns', value: 'exch01.contoso.com' },
        { type: 'ip', value: '10.0.0.5' },
      ]);
      expect(p.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
      expect(p.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
      expect(p.basicConstraints).toEqual({ ca: false });
      expect(toHex(p.authorityKeyIdentifier!.keyIdentifier!)).toBe(toHex(root.subjectKeyIdentifier!));
      expect(toHex(p.subjectKeyIdentifier!)).toBe(toHex(await leafKeys.publicKey.keyIdentifier()));
      expect(p.publicKey.equals(leafKeys.publicKey)).toBe(true);
      expect(p.notBefore.toISOString()).toBe('2026-01-01T00:00:00.000Z');
      expect(p.notAfter.toISOString()).toBe('2027-01-01T00:00:00.000Z');
      expect(await p.verifySignature(root.publicKey)).toBe(true);
      expect(await p.verifySignature(leafKeys.publicKey)).toBe(false);
    });
  }

  it("refuses a signing key that is not the issuer certificate's, and a missing one", async () => {
    const { root, leafKeys } = await hierarchy();
    await expect(
      createCertificate({
        subject: 'CN=x',
        publicKey: leafKeys.publicKey,
        signingKey: leafKeys.privateKey, // not the root's key
        issuer: root,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_PKI_CERT_INVALID',
      message: expect.stringContaining(
        'signingKey is not the key of the issuer certificate "CN=Contoso Root CA, O=Contoso, C=FR"',
      ),
    });
    await expect(
      createCertificate({ subject: 'CN=x', publicKey: leafKeys.publicKey } as unknown as Parameters<
        typeof createCertificate
      >[0]),
    ).rejects.toThrow(
      new TypeError(
        "createCertificate needs signingKey: the issuer's private key, or the subject's own for a self-signed certificate.",
      ),
    );
  });

  it('answers misuse with a TypeError a user can act on', async () => {
    await expect(verifyCertificate('x' as unknown as Uint8Array, { trustAnchors: [] })).rejects.toThrow(
      new TypeError(
        'verifyCertificate expects the certificate as a Certificate or its DER bytes (Uint8Array).',
      ),
    );
    expect(() => keyUsage(['signing' as 'digitalSignature'])).toThrow(
      /^unknown key usage signing: use digitalSignature, /,
    );
    expect(() => fromHex('abc')).toThrow('a hex string needs an even number of digits (two per byte): abc');
    expect(() => fromHex('zz')).toThrow('not a hex string: zz');
  });

  it('uses SHA-256 or better by default and honours an explicit hash', async () => {
    const { root } = await hierarchy('rsa');
    expect(root.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    const k = await generateKeyPair({ type: 'ec', curve: 'P-384' });
    const c = await createCertificate({
      subject: 'CN=x',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      notBefore,
    });
    expect(c.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    const r = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const pss = await createCertificate({
      subject: 'CN=x',
      publicKey: r.publicKey,
      signingKey: r.privateKey,
      notBefore,
      signature: { hash: 'SHA-512', pss: true },
    });
    expect(pss.signatureAlgorithm.pss).toBeDefined();
    expect(await pss.verifySignature()).toBe(true);
  });

  it('gives SHA-1 and SHA-256 thumbprints in uppercase hex', async () => {
    const { root } = await hierarchy();
    const sha1 = await root.thumbprint();
    expect(sha1).toMatch(/^[0-9A-F]{40}$/);
    const { createHash } = await import('node:crypto');
    expect(sha1).toBe(createHash('sha1').update(root.der).digest('hex').toUpperCase());
    expect(await root.thumbprint('SHA-256')).toBe(
      createHash('sha256').update(root.der).digest('hex').toUpperCase(),
    );
  });

  it('encodes serials as positive integers up to 20 octets', async () => {
    const k = await generateKeyPair();
    const mk = (serialNumber: string | bigint) =>
      createCertificate({
        subject: 'CN=x',
        publicKey: k.publicKey,
        signingKey: k.privateKey,
        notBefore,
        serialNumber,
      });
    expect((await mk('80')).serialNumber).toBe('0080');
    expect((await mk(2n ** 150n)).serialNumberBigInt).toBe(2n ** 150n);
    expect((await mk('7F'.repeat(20))).serialNumber).toBe('7F'.repeat(20));
    await expect(mk('FF'.repeat(20))).rejects.toMatchObject({ code: 'ERR_PKI_SERIAL_INVALID' });
    await expect(mk('00')).rejects.toMatchObject({ code: 'ERR_PKI_SERIAL_INVALID' });
    const random = await createCertificate({
      subject: 'CN=x',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
    });
    expect(random.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it('writes GeneralizedTime after 2049 and reads it back', async () => {
    const k = await generateKeyPair();
    const c = await createCertificate({
      subject: 'CN=x',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      notBefore,
      notAfter: new Date('2060-06-01T12:00:00Z'),
    });
    expect(parseCertificate(c.der).notAfter.toISOString()).toBe('2060-06-01T12:00:00.000Z');
    expect(toHex(c.der)).toContain(toHex(new TextEncoder().encode('20600601120000Z')));
  });

  it('reads every certificate of a PEM bundle, DER, or bare Base64', async () => {
    const { root, leaf } = await hierarchy();
    const pem = leaf.toPem() + root.toPem({ eol: '\r\n' });
    expect(readCertificates(pem).map((c) => c.subject.commonName)).toEqual([
      'exch01.contoso.com',
      'Contoso Root CA',
    ]);
    expect(readCertificates(root.der)[0]!.equals(root)).toBe(true);
    const b64 = root.toPem().split('\n').slice(1, -2).join('\r\n');
    expect(readCertificates(b64)[0]!.equals(root)).toBe(true);
    // OpenSSL's `x509 -trustout`: the certificate, then its trust settings (X509_AUX: here
    // trusted for serverAuth), in a TRUSTED CERTIFICATE block. It was "14 unexpected bytes".
    const aux = Uint8Array.from([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 6, 1, 5, 5, 7, 3, 1]);
    const trusted = encodePem('TRUSTED CERTIFICATE', Uint8Array.from([...root.der, ...aux]));
    expect(readCertificates(trusted).map((c) => c.equals(root))).toEqual([true]);
  });

  it("misuse is a TypeError saying what to pass, not an internal message ('mag.subarray is not a function')", async () => {
    const { rootKeys, root } = await hierarchy();
    const base = { subject: 'CN=x', publicKey: rootKeys.publicKey, signingKey: rootKeys.privateKey };
    for (const bad of [
      { ...base, serialNumber: 5 },
      { ...base, publicKey: root.publicKey.spki },
    ])
      await expect(createCertificate(bad as never)).rejects.toThrow(TypeError);
    await expect(createCsr({ subject: 'CN=x', privateKey: rootKeys.publicKey } as never)).rejects.toThrow(
      /createCsr needs privateKey/,
    );
    await expect(root.verifySignature(root.der as never)).rejects.toThrow(/issuer's PublicKey/);
    const crl = await createCrl({ issuer: root, signingKey: rootKeys.privateKey, crlNumber: 1 });
    await expect(crl.verifySignature(undefined as never)).rejects.toThrow(TypeError);
    expect(() => readCertificates(undefined as never)).toThrow(TypeError);
    expect(() => decodePem(undefined as never)).toThrow(/decodePem expects PEM text/);
  });

  it('rejects structural errors with coded PkiErrors', async () => {
    const { leaf } = await hierarchy();
    const der = leaf.der;
    const expectCode = (b: Uint8Array) => {
      try {
        const c = parseCertificate(b);
        void c.subject;
        void c.extensions;
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
        return (e as PkiError).code;
      }
      return 'ok';
    };
    expect(expectCode(der.subarray(0, der.length - 1))).toMatch(/^ERR_PKI_DER_/);
    expect(expectCode(Uint8Array.of(...der, 0))).toBe('ERR_PKI_DER_INVALID');
    expect(expectCode(new Uint8Array([0x30, 0x80, 0, 0]))).toBe('ERR_PKI_DER_INVALID');
    expect(() => parseCertificate('x' as unknown as Uint8Array)).toThrow(TypeError);
    await expect(
      createCertificate({
        subject: 'CN=x',
        publicKey: (await generateKeyPair()).publicKey,
        signingKey: (await generateKeyPair()).privateKey,
        notBefore,
        notAfter: new Date('2020-01-01Z'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_PKI_CERT_INVALID' });
  });

  it('keeps the subject Name object reusable across certificates', async () => {
    const { leaf } = await hierarchy();
    expect(leaf).toBeInstanceOf(Certificate);
    const n = Name.fromDer(leaf.subject.der);
    expect(n.equals(leaf.subject)).toBe(true);
  });
});
