// createAuthority({ signingWorkers }): submissions decoded, checked and signed on worker threads
// while the calling thread keeps the request database. Under concurrent submissions the
// certificates must chain to the CA, request ids must be given in submission order without
// gaps, serial numbers must be unique, and a bad request must still be denied.

import {
  createCsr,
  generateKeyPair,
  Name,
  parseCsr,
  readCertificates,
  readDerOrPem,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificationAuthority, createAuthority, startCertsrv, UserDirectory } from '../src/index.js';

let ca: CertificationAuthority;
let plain: CertificationAuthority;

async function csrPem(cn: string): Promise<string> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: Name.from([{ CN: cn }]),
    privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: cn }])],
  });
  return csr.toPem();
}

beforeAll(async () => {
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    signingWorkers: 2,
  });
  plain = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
  });
}, 60_000);

afterAll(async () => {
  await ca?.close();
  await plain?.close();
});

describe('createAuthority({ signingWorkers })', () => {
  it('rejects a worker count that is not a small integer', async () => {
    await expect(createAuthority({ name: 'X CA', signingWorkers: 1.5 })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
    await expect(createAuthority({ name: 'X CA', signingWorkers: -1 })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
  });

  it('issues correct certificates under concurrent submissions: chain, ids in order, unique serials', async () => {
    const n = 48;
    const pems = await Promise.all(Array.from({ length: n }, (_, i) => csrPem(`web${i}.contoso.com`)));
    const results = await Promise.all(
      pems.map((pem) => ca.submit(pem, { template: 'WebServer', requester: { name: 'CONTOSO\\alice' } })),
    );
    // Request ids: taken on the calling thread in submission order, no gaps.
    expect(results.map((r) => r.requestId)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const serials = new Set<string>();
    for (const [i, r] of results.entries()) {
      expect(r.disposition, r.message).toBe('issued');
      const cert = r.certificate!;
      expect(cert.subject.toString()).toBe(`CN=web${i}.contoso.com`);
      expect(cert.subjectAltNames).toEqual([{ type: 'dns', value: `web${i}.contoso.com` }]);
      // The certificate is for the request's key and chains to the CA.
      const stored = (await ca.store.getRequest(r.requestId))!;
      expect(cert.publicKey.equals(parseCsr(stored.request).publicKey)).toBe(true);
      expect(await cert.verifySignature(ca.certificate.publicKey)).toBe(true);
      expect(cert.issuer.toString()).toBe(ca.certificate.subject.toString());
      serials.add(r.serialNumber!);
      // The stored row holds the same certificate.
      const back = await ca.retrieve(r.requestId);
      expect(back.serialNumber).toBe(r.serialNumber);
      expect(back.certificate!.der).toEqual(cert.der);
    }
    expect(serials.size).toBe(n);
    expect(await ca.certificate.verifySignature(ca.rootCertificate.publicKey)).toBe(true);
  });

  it('builds the same extensions as the calling-thread path', async () => {
    const pem = await csrPem('same.contoso.com');
    const a = await ca.submit(pem, { template: 'WebServer' });
    const b = await plain.submit(pem, { template: 'WebServer' });
    const oids = (r: typeof a) => r.certificate!.extensions.map((e) => `${e.oid} ${e.critical}`);
    expect(oids(a)).toEqual(oids(b));
    expect(a.certificate!.notAfter.getTime() - a.certificate!.notBefore.getTime()).toBe(
      b.certificate!.notAfter.getTime() - b.certificate!.notBefore.getTime(),
    );
  });

  it('denies what the policy module denies, with the same messages', async () => {
    const pem = await csrPem('bad.contoso.com');
    // A request whose signature no longer matches: flip a byte of the signature.
    const der = readDerOrPem(pem).slice();
    const at = der.length - 5;
    der[at] = der[at]! ^ 0x01;
    const [badSig, badSigPlain] = await Promise.all([
      ca.submit(der, { template: 'WebServer' }),
      plain.submit(der, { template: 'WebServer' }),
    ]);
    expect(badSig.disposition).toBe('denied');
    expect(badSig.message).toBe(badSigPlain.message);
    expect(badSig.hresult).toBe(badSigPlain.hresult);
    const noTemplate = await ca.submit(pem);
    expect(noTemplate.disposition).toBe('denied');
    expect(noTemplate.message).toBe((await plain.submit(pem)).message);
    const garbage = await ca.submit('not a request');
    expect(garbage.disposition).toBe('denied');
    expect(garbage.message).toBe((await plain.submit('not a request')).message);
    const pending = await ca.submit(pem, { template: 'WebServer_Manual' });
    expect(pending.disposition).toBe('pending');
    expect(pending.message).toBe('Taken Under Submission');
    // An officer's approval runs on the calling thread and issues it.
    const approved = await ca.approve(pending.requestId);
    expect(approved.disposition).toBe('issued');
    expect(await approved.certificate!.verifySignature(ca.certificate.publicKey)).toBe(true);
  });

  it('records text holding U+0000 as the calling-thread path does', async () => {
    // A template name in the request (BMPString) and request attributes with a NUL: the text the
    // stores keep is the same whichever thread ran the policy module.
    const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const named = await createCsr({
      subject: Name.from([{ CN: 'web\u0000nul.contoso.com' }]),
      privateKey,
      template: 'Web\u0000Server',
    });
    const shown = (r: Awaited<ReturnType<typeof ca.submit>>) => [
      r.disposition,
      r.hresult,
      r.template,
      r.subject,
      r.attributes,
      r.message,
    ];
    for (const options of [{}, { attributes: 'CertificateTemplate:WebServer\u0000junk\nUserAgent:x' }]) {
      const [a, b] = await Promise.all([
        ca.submit(named.toPem(), options),
        plain.submit(named.toPem(), options),
      ]);
      expect(shown(a)).toEqual(shown(b));
      expect(shown(await ca.retrieve(a.requestId))).toEqual(shown(a));
    }
    const r = await ca.submit(named.toPem());
    expect([r.template, r.subject]).toEqual(['Web\ufffdServer', 'CN=web\\00nul.contoso.com']);
  });

  it('signs with the renewed CA certificate after renew()', async () => {
    await ca.renew({ newKey: true });
    const r = await ca.submit(await csrPem('renewed.contoso.com'), { template: 'WebServer' });
    expect(r.disposition).toBe('issued');
    expect(await r.certificate!.verifySignature(ca.certificate.publicKey)).toBe(true);
    expect(ca.certIndex).toBe(1);
  });

  it('serves certsrv enrollments (submit + download) from concurrent clients', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('alice', 'alice-Passw0rd');
    const server = await startCertsrv({ ca, users, crlSchedule: false });
    try {
      const auth = `Basic ${Buffer.from('alice:alice-Passw0rd').toString('base64')}`;
      const enroll = async (i: number) => {
        const body = new URLSearchParams({
          Mode: 'newreq',
          CertRequest: await csrPem(`http${i}.contoso.com`),
          CertAttrib: 'CertificateTemplate:WebServer\r\n',
        });
        const html = await (
          await fetch(`${server.url}/certsrv/certfnsh.asp`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
            body,
          })
        ).text();
        const id = Number(/certnew\.cer\?ReqID=(\d+)&/.exec(html)?.[1]);
        const pem = await (
          await fetch(`${server.url}/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, {
            headers: { authorization: auth },
          })
        ).text();
        return { id, cert: readCertificates(pem)[0]! };
      };
      const got = await Promise.all(Array.from({ length: 16 }, (_, i) => enroll(i)));
      expect(new Set(got.map((g) => g.id)).size).toBe(16);
      for (const [i, g] of got.entries()) {
        expect(g.cert.subject.toString()).toBe(`CN=http${i}.contoso.com`);
        expect(await g.cert.verifySignature(ca.certificate.publicKey)).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
