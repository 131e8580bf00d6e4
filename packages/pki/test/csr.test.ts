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

  it('keeps enrollment name-value pairs named like Object.prototype members', async () => {
    // Regression: the pairs were written into a plain object, where "__proto__" set the prototype
    // (a no-op for a string) instead of a key, so the pair vanished from nameValuePairs.
    const bmp = (s: string) => {
      const b = new Uint8Array(2 + 2 * s.length);
      b[0] = 0x1e;
      b[1] = 2 * s.length;
      for (let i = 0; i < s.length; i++) b[3 + 2 * i] = s.charCodeAt(i);
      return b;
    };
    const pair = (name: string, value: string) => {
      const n = bmp(name);
      const v = bmp(value);
      return Uint8Array.of(0x30, n.length + v.length, ...n, ...v);
    };
    const { privateKey } = await generateKeyPair();
    const names = ['__proto__', 'constructor', 'toString'];
    const csr = await createCsr({
      subject: 'CN=a',
      privateKey,
      attributes: [{ oid: OID.msEnrollmentNameValuePair, values: names.map((n) => pair(n, `v-${n}`)) }],
    });
    const p = parseCsr(csr.der);
    expect(Object.keys(p.nameValuePairs).sort()).toEqual([...names].sort());
    for (const n of names) expect(Object.getOwnPropertyDescriptor(p.nameValuePairs, n)?.value).toBe(`v-${n}`);
    expect(p.template).toBeUndefined();
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
