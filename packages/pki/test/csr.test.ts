import { describe, expect, it } from 'vitest';
import {
  createCsr,
  extKeyUsage,
  generateKeyPair,
  keyUsage,
  OID,
  PkiError,
  parseCsr,
  readDerOrPem,
  subjectAltName,
} from '../src/index.js';

describe('PKCS #10 requests', () => {
  for (const spec of [
    { type: 'rsa', bits: 2048 },
    { type: 'ec', curve: 'P-256' },
    { type: 'ec', curve: 'P-521' },
    { type: 'ed25519' },
  ] as const) {
    it(`builds, parses and verifies (${spec.type} ${'curve' in spec ? spec.curve : ''})`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(spec);
      const csr = await createCsr({
        subject: 'CN=exch01.contoso.com, OU=Messaging, O=Contoso, C=FR',
        privateKey,
        extensions: [
          subjectAltName([
            { type: 'dns', value: 'exch01.contoso.com' },
            { type: 'dns', value: 'exch01' },
          ]),
          extKeyUsage(['serverAuth']),
          keyUsage(['digitalSignature', 'keyEncipherment']),
        ],
        challengePassword: 'secret',
        template: 'WebServer',
      });
      const p = parseCsr(readDerOrPem(csr.toPem(), 'CERTIFICATE REQUEST'));
      expect(p.subject.toString()).toBe('CN=exch01.contoso.com,OU=Messaging,O=Contoso,C=FR');
      expect(p.publicKey.equals(publicKey)).toBe(true);
      expect(p.subjectAltNames.map((n) => ('value' in n ? n.value : ''))).toEqual([
        'exch01.contoso.com',
        'exch01',
      ]);
      expect(p.getExtension(OID.extKeyUsage)).toBeDefined();
      expect(p.challengePassword).toBe('secret');
      expect(p.template).toBe('WebServer');
      expect(p.nameValuePairs).toEqual({ CertificateTemplate: 'WebServer' });
      expect(p.getExtension(OID.msCertificateTemplateName)).toBeDefined();
      expect(await p.verify()).toBe(true);
    });
  }

  it('detects a tampered request', async () => {
    const { privateKey } = await generateKeyPair();
    const csr = await createCsr({ subject: 'CN=a', privateKey });
    const der = csr.der.slice();
    const i = der.indexOf(0x61); // the 'a' of CN=a
    der[i] = 0x62;
    expect(await parseCsr(der).verify()).toBe(false);
  });

  it('builds a request without attributes', async () => {
    const { privateKey } = await generateKeyPair();
    const csr = await createCsr({ subject: 'CN=a', privateKey });
    expect(csr.attributes).toEqual([]);
    expect(csr.extensions).toEqual([]);
    expect(csr.template).toBeUndefined();
  });

  it('rejects malformed requests with coded errors', () => {
    for (const bad of [
      Uint8Array.of(0x30, 0x00),
      Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00),
      Uint8Array.of(0x31),
    ]) {
      try {
        parseCsr(bad);
        throw new Error('parsed');
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
      }
    }
  });
});
