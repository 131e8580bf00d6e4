// Renewing the root CA of a two-tier hierarchy (certutil -renewCert on the root): a new
// self-signed certificate for the same name, with the same key or a new one; the issuing CA keeps
// chaining to the root certificate that signed it until it is renewed itself, and each root key
// keeps its CRL, which the certificates it signed name.

import { decodeMsCaVersion, OID, verifyCertificate } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificationAuthority,
  caCertificateFiles,
  caChainOf,
  certEnrollFiles,
  isCaError,
} from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';

let ca: CertificationAuthority;

async function issue(dns: string) {
  const r = await ca.submit((await makeCsr({ san: [{ type: 'dns', value: dns }] })).toPem(), {
    template: 'WebServer',
  });
  expect(r.disposition).toBe('issued');
  return r.certificate!;
}

const versionOf = (c: { getExtension(oid: string): { value: Uint8Array } | undefined }) =>
  decodeMsCaVersion(c.getExtension(OID.msCaVersion)!.value);

beforeAll(async () => {
  ca = await contosoAuthority('Contoso Issuing CA');
}, 60_000);

afterAll(async () => {
  await ca?.close();
});

describe('renew({ authority: "root" })', () => {
  it('a new key: root V1.1, self-signed, same name; the issuing CA still chains to the old root until renewed', async () => {
    const root0 = ca.rootCertificate;
    const issuing0 = ca.certificate;
    const before = await issue('before.contoso.com');
    const info = await ca.renew({ authority: 'root', newKey: true });
    expect(info).toMatchObject({ authority: 'root', certIndex: 1, keyIndex: 1 });
    const root1 = ca.rootCertificate;
    expect(root1).toBe(info.certificate);
    expect(root1.subject.equals(root0.subject)).toBe(true);
    expect(root1.isSelfIssued).toBe(true);
    expect(await root1.verifySignature(root1.publicKey)).toBe(true);
    expect(await root1.verifySignature(root0.publicKey)).toBe(false);
    expect(versionOf(root1)).toEqual({ certIndex: 1, keyIndex: 1 });
    expect(root1.subjectKeyIdentifier).not.toEqual(root0.subjectKeyIdentifier);
    expect(root1.getExtension('1.3.6.1.4.1.311.21.2')).toBeDefined(); // Previous CA Certificate Hash
    // The issuing CA certificate is the old root key's: its chain names the old root.
    expect(ca.certificate).toBe(issuing0);
    expect(ca.chain).toEqual([issuing0, root0]);
    const crls = await ca.publishAllCrls();
    expect(crls.filter((c) => c.fileName.startsWith('Contoso Root CA')).map((c) => c.fileName)).toEqual([
      'Contoso Root CA(1).crl',
      'Contoso Root CA.crl',
    ]);
    // A leaf issued now still validates against the old root, with the CRLs of every CA key.
    const now = await issue('between.contoso.com');
    for (const leaf of [before, now]) {
      const r = await verifyCertificate(leaf, {
        trustAnchors: [root0],
        intermediates: [issuing0],
        crls: crls.map((c) => c.crl),
        requireRevocation: true,
        purpose: 'serverAuth',
      });
      expect(r.valid, JSON.stringify(r.reasons)).toBe(true);
    }
    const files = (await certEnrollFiles(ca)).map((f) => f.name);
    expect(files).toContain('pki.contoso.com_Contoso Root CA(1).crt');
    expect(files).toContain('Contoso Root CA(1).crl');
    expect(files).toContain('Contoso Root CA.crl');
  });

  it('then renewing the issuing CA gets a certificate the new root key signs, naming its AIA and CRL', async () => {
    const root1 = ca.rootCertificate;
    const info = await ca.renew({ newKey: true });
    const issuing = info.certificate;
    expect(await issuing.verifySignature(root1.publicKey)).toBe(true);
    expect(ca.chain).toEqual([issuing, root1]);
    const aia = caCertificateFiles(ca).map((f) => f.name);
    expect(aia).toContain('pki.contoso.com_Contoso Root CA(1).crt');
    const text = new TextDecoder('latin1').decode(issuing.der);
    expect(text).toContain('Contoso%20Root%20CA(1).crl');
    expect(text).toContain('pki.contoso.com_Contoso%20Root%20CA(1).crt');
    const leaf = await issue('after.contoso.com');
    const crls = (await ca.publishAllCrls()).map((c) => c.crl);
    const r = await verifyCertificate(leaf, {
      trustAnchors: [root1],
      intermediates: [issuing],
      crls,
      requireRevocation: true,
      purpose: 'serverAuth',
    });
    expect(r.valid, JSON.stringify(r.reasons)).toBe(true);
    // Not with the old root alone: the new issuing CA certificate is the new root key's.
    const old = ca.caCertificates('root')[0]!.certificate;
    const o = await verifyCertificate(leaf, {
      trustAnchors: [old],
      intermediates: [issuing],
      purpose: 'serverAuth',
    });
    expect(o.valid).toBe(false);
  });

  it('the same key: V2.1, the same key identifier, and chains through either root certificate', async () => {
    const before = ca.rootCertificate;
    const info = await ca.renew({ authority: 'root' });
    expect(info).toMatchObject({ authority: 'root', certIndex: 2, keyIndex: 1 });
    expect(info.certificate.subjectKeyIdentifier).toEqual(before.subjectKeyIdentifier);
    expect(info.certificate.notAfter.getTime()).toBeGreaterThanOrEqual(before.notAfter.getTime());
    const leaf = await issue('same-key.contoso.com');
    for (const anchor of [before, info.certificate]) {
      const r = await verifyCertificate(leaf, {
        trustAnchors: [anchor],
        intermediates: [ca.certificate],
        purpose: 'serverAuth',
      });
      expect(r.valid, JSON.stringify(r.reasons)).toBe(true);
    }
    expect(ca.chain[1]).toBe(info.certificate); // the newest root certificate of the signing key
    expect(caChainOf(ca, leaf)).toEqual([ca.certificate, info.certificate]); // certnew.p7b's chain too
  });

  it('a standalone CA has no root to renew', async () => {
    const { createAuthority } = await import('../src/index.js');
    const solo = await createAuthority({ name: 'Solo CA', keyType: 'ec' });
    try {
      let error: unknown;
      try {
        await solo.renew({ authority: 'root' });
      } catch (e) {
        error = e;
      }
      expect(isCaError(error) && error.code).toBe('ERR_CA_OPTIONS_INVALID');
    } finally {
      await solo.close();
    }
  });
});
