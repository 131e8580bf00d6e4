// The test-author API: createTestCA() and ca.issue() give a server what it needs for a real TLS
// handshake, like trustme; PFX export; the library defaults.

import { once } from 'node:events';
import { createServer } from 'node:https';
import { connect } from 'node:tls';
import { createTestCA, isCaError, type TestCA } from '@certlab/ca-sim';
import { readPkcs12 } from '@certlab/pki';
import { afterAll, beforeAll, expect, it } from 'vitest';

let ca: TestCA;
beforeAll(async () => {
  ca = await createTestCA();
});
afterAll(async () => {
  await ca?.close();
});

it('issues a localhost certificate that Node’s TLS stack accepts with only the root as trust anchor', async () => {
  const leaf = await ca.issue({ dns: ['localhost'], ip: ['127.0.0.1'] });
  expect(leaf.certificate.subject.toString()).toBe('CN=localhost');
  expect(leaf.chain.map((c) => c.subject.get('CN'))).toEqual(['localhost', 'Certlab Test Issuing CA']);
  expect(leaf.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  expect(leaf.keyPem).toContain('BEGIN PRIVATE KEY');
  const server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, (_req, res) => res.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    for (const servername of ['localhost', undefined]) {
      const socket = connect({
        host: '127.0.0.1',
        port,
        ca: ca.rootPem,
        ...(servername ? { servername } : {}),
      });
      await once(socket, 'secureConnect');
      expect(socket.authorized).toBe(true);
      socket.end();
    }
  } finally {
    server.close();
  }
});

it('exports a PFX with the key, the leaf and the chain', async () => {
  const leaf = await ca.issue({ dns: ['exch01.contoso.com'], key: { type: 'rsa', bits: 2048 } });
  const pfx = await leaf.pfx('secret');
  const back = await readPkcs12(pfx, 'secret');
  expect(back.certificate!.equals(leaf.certificate)).toBe(true);
  expect(back.chain.map((c) => c.subject.get('CN'))).toEqual([
    'Certlab Test Issuing CA',
    'Certlab Test Root CA',
  ]);
  expect(back.key!.publicKey.equals(leaf.certificate.publicKey)).toBe(true);
});

it('fails loudly when the CA does not issue', async () => {
  await expect(ca.issue({ dns: ['x.contoso.com'], template: 'WebServer_Manual' })).rejects.toSatisfy(
    (e) =>
      isCaError(e, 'ERR_CA_ISSUE_FAILED') && /pending: Taken Under Submission/.test((e as Error).message),
  );
  const pending = (await ca.list({ status: 'pending' }))[0]!;
  expect((await ca.approve(pending.requestId)).disposition).toBe('issued');
  expect((await ca.deny(pending.requestId).catch((e) => e)).code).toBe('ERR_CA_REQUEST_STATE');
});

it('issue() with no name issues for localhost; names given as a string are a TypeError', async () => {
  // It was denied ("subject name is invalid") although every option is optional.
  const leaf = await ca.issue();
  expect(leaf.certificate.subject.toString()).toBe('CN=localhost');
  expect(leaf.certificate.subjectAltNames).toEqual([{ type: 'dns', value: 'localhost' }]);
  const before = (await ca.list()).length;
  for (const bad of [{ dns: 'localhost' }, { ip: [''] }, { email: [1] }])
    await expect(ca.issue(bad as never), JSON.stringify(bad)).rejects.toThrow(TypeError);
  expect((await ca.list()).length).toBe(before);
});

it('exposes the root, the issuing CA and the request database through one object', async () => {
  expect(ca.rootCertificate.subject.toString()).toBe('CN=Certlab Test Root CA');
  expect(ca.issuingCertificate.issuer.equals(ca.rootCertificate.subject)).toBe(true);
  expect(ca.rootPem).toContain('BEGIN CERTIFICATE');
  expect(ca.issuingPem).toContain('BEGIN CERTIFICATE');
  expect(ca.authority.store.kind).toBe('memory');
  expect(ca.rootCertificate.publicKey.curve).toBe('P-256');
  const r = await ca.issue({ email: ['alice@contoso.com'], upn: ['alice@contoso.com'] });
  expect((await ca.retrieve(r.requestId)).certificate!.equals(r.certificate)).toBe(true);
  expect((await ca.revoke(r.serialNumber, 'superseded')).disposition).toBe('revoked');
  const crl = await ca.publishCrl();
  expect(crl.crl.lookup(r.certificate)?.reason).toBe('superseded');
});

it('a standalone CA is its own trust anchor', async () => {
  const s = await createTestCA({ root: undefined, name: 'Certlab Standalone CA' });
  expect(s.authority.standalone).toBe(true);
  expect(s.rootCertificate.equals(s.issuingCertificate)).toBe(true);
  const leaf = await s.issue({ dns: ['localhost'] });
  expect(leaf.chain).toHaveLength(1);
  expect(await leaf.certificate.verifySignature(s.rootCertificate.publicKey)).toBe(true);
  expect(await (await s.publishCrl()).crl.verifySignature(s.rootCertificate)).toBe(true);
  await expect(s.authority.publishCrl({ authority: 'root' })).rejects.toSatisfy((e) =>
    isCaError(e, 'ERR_CA_OPTIONS_INVALID'),
  );
  await s.close();
});
