// Wrapped requests (certsrv reference §5.1: `newreq` takes PKCS #10, CMC or a PKCS #7 renewal):
// a PKCS #10 for the new key wrapped in CMS SignedData by `openssl cms -sign` with the certificate
// being renewed, and a CMC Full PKI Request signed with the request's own key. The CA checks both
// signatures and, for a renewal, that it issued the signing certificate, which must be valid and
// not revoked; on both the one-thread and the signing-worker paths, and through certfnsh.asp.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CertificationAuthority,
  createAuthority,
  manualClock,
  startCertsrv,
  UserDirectory,
} from '@certlab/ca-sim';
import { createCsr, encodePem, generateKeyPair } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCmc } from '../../../test/support/cmc.js';
import { basic, GO, submitFields } from './support/certsrv-fixture.js';
import { makeCsr, put } from './support/csr.js';
import { HAVE_OPENSSL, openssl } from './support/openssl.js';
import { tempDir } from './support/temp.js';

const DAY = 86_400_000;
const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
let dir: string;
let cleanup: () => Promise<void>;
let n = 0;

/** Issues a WebServer certificate for `host` and writes its PEM and key under `dir`. */
async function issueOld(
  ca: CertificationAuthority,
  host: string,
): Promise<{ cert: string; key: string; serial: string }> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await makeCsr({
    subject: `CN=${host}, O=Contoso, C=FR`,
    san: [{ type: 'dns', value: host }],
    privateKey,
  });
  const r = await ca.submit(csr.toPem(), { template: 'WebServer', requester: { name: 'CONTOSO\\alice' } });
  expect(r.disposition).toBe('issued');
  const id = ++n;
  const cert = put(dir, `old-${id}.pem`, r.certificate!.toPem());
  const key = put(dir, `old-${id}.key`, await privateKey.toPem());
  return { cert, key, serial: r.serialNumber! };
}

/** A new P-256 request for `host`, wrapped in SignedData signed with the old certificate. */
async function renewal(
  old: { cert: string; key: string },
  host: string,
  extra: string[] = [],
): Promise<Uint8Array> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await makeCsr({
    subject: `CN=${host}, O=Contoso, C=FR`,
    san: [{ type: 'dns', value: host }],
    privateKey,
  });
  return cmsSign(old, csr.der, extra);
}

/** `openssl cms -sign` of `content` (binary, attached) with the old certificate and key, as DER. */
function cmsSign(old: { cert: string; key: string }, content: Uint8Array, extra: string[] = []): Uint8Array {
  const id = ++n;
  const inFile = put(dir, `content-${id}.der`, content);
  const out = join(dir, `signed-${id}.p7`);
  const sign = '-binary -nodetach -outform DER'.split(' ');
  openssl([
    'cms',
    '-sign',
    '-in',
    inFile,
    '-signer',
    old.cert,
    '-inkey',
    old.key,
    '-out',
    out,
    ...sign,
    ...extra,
  ]);
  return new Uint8Array(readFileSync(out));
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await cleanup();
});

for (const signingWorkers of [0, 1]) {
  describe.skipIf(!HAVE_OPENSSL)(`PKCS #7 renewal requests (signingWorkers: ${signingWorkers})`, () => {
    let ca: CertificationAuthority;
    beforeAll(async () => {
      clock.set(new Date('2026-03-01T08:00:00Z'));
      ca = await createAuthority({
        name: 'Contoso Issuing CA',
        root: { name: 'Contoso Root CA' },
        keyType: 'ec',
        baseUrl: 'http://pki.contoso.com',
        clock,
        ...(signingWorkers ? { signingWorkers } : {}),
      });
    });
    afterAll(async () => {
      await ca.close();
    });

    it('issues for a renewal signed with a certificate it issued, with the new request’s subject and key', async () => {
      const old = await issueOld(ca, 'exch01.contoso.com');
      const p7 = await renewal(old, 'exch01.contoso.com');
      // Base64 with the PKCS7 label, as certreq and the certsrv pages carry it.
      const r = await ca.submit(encodePem('PKCS7', p7), { template: 'WebServer' });
      expect(r.message).toBe('Issued');
      expect(r.disposition).toBe('issued');
      expect(r.certificate!.subject.toString()).toBe('CN=exch01.contoso.com,O=Contoso,C=FR');
      expect(r.certificate!.serialNumber).not.toBe(old.serial);
      // The stored request is the whole SignedData, as AD CS keeps the raw request.
      const row = await ca.store.getRequest(r.requestId);
      expect(Buffer.from(row!.request).equals(Buffer.from(p7))).toBe(true);
      // Signed with -noattr (no signed attributes) and -keyid (SKI signer identifier).
      for (const extra of [['-noattr'], ['-keyid']]) {
        const again = await ca.submit(await renewal(old, 'exch01.contoso.com', extra), {
          template: 'WebServer',
        });
        expect(again.disposition, extra[0]).toBe('issued');
      }
    });

    it('denies a renewal whose CMS signature is broken (NTE_BAD_SIGNATURE)', async () => {
      const old = await issueOld(ca, 'exch02.contoso.com');
      const p7 = await renewal(old, 'exch02.contoso.com');
      const bad = p7.slice();
      bad[bad.length - 5]! ^= 0x01; // inside the SignerInfo's signature value
      const r = await ca.submit(bad, { template: 'WebServer' });
      expect(r.disposition).toBe('denied');
      expect(r.hresult).toBe(0x80090006);
      expect(r.message).toBe(
        'Error Verifying Request Signature or Signing Certificate  Invalid Signature. 0x80090006 (-2146893818 NTE_BAD_SIGNATURE)',
      );
    });

    it('denies a renewal signed with a certificate another CA issued (CERT_E_UNTRUSTEDROOT)', async () => {
      const key = join(dir, `foreign-${signingWorkers}.key`);
      const cert = join(dir, `foreign-${signingWorkers}.pem`);
      const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30'.split(' ');
      openssl(['req', '-x509', ...newKey, '-keyout', key, '-out', cert, '-subj', '/CN=exch03.contoso.com']);
      const r = await ca.submit(await renewal({ cert, key }, 'exch03.contoso.com'), {
        template: 'WebServer',
      });
      expect(r.disposition).toBe('denied');
      expect(r.hresult).toBe(0x800b0109);
      expect(r.message).toContain(
        'Error Verifying Request Signature or Signing Certificate  A certificate chain processed',
      );
    });

    it('denies a renewal signed with a revoked certificate (CRYPT_E_REVOKED), and an expired one (CERT_E_EXPIRED)', async () => {
      const old = await issueOld(ca, 'exch04.contoso.com');
      const p7 = await renewal(old, 'exch04.contoso.com');
      await ca.revoke(old.serial, 'superseded');
      const r = await ca.submit(p7, { template: 'WebServer' });
      expect(r.disposition).toBe('denied');
      expect(r.hresult).toBe(0x80092010);

      const old2 = await issueOld(ca, 'exch05.contoso.com');
      const p7b = await renewal(old2, 'exch05.contoso.com');
      clock.advance(3 * 365 * DAY); // past the 2-year WebServer validity
      try {
        const e = await ca.submit(p7b, { template: 'WebServer' });
        expect(e.disposition).toBe('denied');
        expect(e.hresult).toBe(0x800b0101);
      } finally {
        clock.set(new Date('2026-03-01T08:00:00Z'));
      }
    });

    it('issues for a CMC request signed with its own key, and denies one whose CMS signature is broken', async () => {
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await makeCsr({
        subject: 'CN=um01.contoso.com, O=Contoso, C=FR',
        san: [{ type: 'dns', value: 'um01.contoso.com' }],
        privateKey,
      });
      const cmc = await buildCmc(csr, privateKey);
      const r = await ca.submit(encodePem('CMC', cmc), { template: 'WebServer' });
      expect(r.disposition).toBe('issued');
      expect(r.certificate!.subject.toString()).toBe('CN=um01.contoso.com,O=Contoso,C=FR');
      expect(r.certificate!.subjectAltNames).toEqual([{ type: 'dns', value: 'um01.contoso.com' }]);
      // Signed with another key than the one its SignerIdentifier names.
      const other = (await generateKeyPair({ type: 'ec', curve: 'P-256' })).privateKey;
      const forged = await buildCmc(csr, privateKey, { signingKey: other });
      const d = await ca.submit(forged, { template: 'WebServer' });
      expect(d.disposition).toBe('denied');
      expect(d.hresult).toBe(0x80090006);
    });

    it('denies a renewal whose inner request was tampered with (its own signature fails)', async () => {
      // Sign a request whose PKCS #10 signature is broken: the CMS signature over it still holds.
      const old = await issueOld(ca, 'exch06.contoso.com');
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await createCsr({ subject: 'CN=exch06.contoso.com, O=Contoso, C=FR', privateKey });
      const der = csr.der.slice();
      der[der.length - 3]! ^= 0x01; // inside the request's signature
      const r = await ca.submit(cmsSign(old, der), { template: 'WebServer' });
      expect(r.disposition).toBe('denied');
      expect(r.hresult).toBe(0x80090006);
    });
  });
}

describe.skipIf(!HAVE_OPENSSL)('a PKCS #7 renewal through certfnsh.asp', () => {
  it('pasted with its PKCS7 armour: the issued page, then certnew.cer gives the new certificate', async () => {
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      baseUrl: 'http://pki.contoso.com',
    });
    const users = new UserDirectory('CONTOSO');
    await users.add('alice', 'alice-Passw0rd');
    const server = await startCertsrv({ ca, users, crlSchedule: false });
    try {
      const old = await issueOld(ca, 'lync01.contoso.com');
      const pem = encodePem('PKCS7', await renewal(old, 'lync01.contoso.com'));
      const auth = basic('alice', 'alice-Passw0rd');
      const res = await fetch(`${server.url}/certsrv/certfnsh.asp`, {
        method: 'POST',
        headers: {
          authorization: auth,
          'user-agent': GO,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(submitFields(pem)).toString(),
      });
      const html = await res.text();
      expect(res.status).toBe(200);
      const id = /certnew\.cer\?ReqID=(\d+)&/.exec(html)?.[1];
      expect(id, html.slice(0, 2000)).toBeDefined();
      const cer = await fetch(`${server.url}/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, {
        headers: { authorization: auth, 'user-agent': GO },
      });
      expect(await cer.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    } finally {
      await server.close();
      await ca.close();
    }
  });
});
