// Issuing from requests made by `openssl req` and by @certlab/pki, checked with `openssl verify`
// against the CA chain, with the extensions AD CS writes decoded.

import { type CertificationAuthority, createAuthority } from '@certlab/ca-sim';
import {
  decodeCrlDistributionPoints,
  decodeInfoAccess,
  decodeMsCaVersion,
  decodeMsCertificateTemplateName,
  OID,
  toHex,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr, opensslCsr, put } from './support/csr.js';
import { HAVE_OPENSSL, openssl, runOpenssl } from './support/openssl.js';
import { tempDir } from './support/temp.js';

const DAY = 86_400_000;

describe.skipIf(!HAVE_OPENSSL).each(['ec', 'rsa'] as const)(
  'issuing with a %s CA hierarchy, checked by OpenSSL',
  (keyType) => {
    let ca: CertificationAuthority;
    let dir: string;
    let cleanup: () => Promise<void>;
    let rootFile: string;
    let issuingFile: string;

    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir());
      ca = await createAuthority({
        name: 'Contoso Issuing CA',
        root: { name: 'Contoso Root CA' },
        subjectSuffix: 'DC=contoso, DC=com',
        keyType,
        baseUrl: 'http://pki.contoso.com',
      });
      rootFile = put(dir, 'root.pem', ca.rootCertificate.toPem());
      issuingFile = put(dir, 'issuing.pem', ca.certificate.toPem());
    });
    afterAll(async () => {
      await ca?.close();
      await cleanup?.();
    });

    const verify = (leafFile: string, ...extra: string[]) =>
      runOpenssl(['verify', '-CAfile', rootFile, '-untrusted', issuingFile, ...extra, leafFile]);

    it('builds the CA certificates as AD CS does', () => {
      const root = ca.rootCertificate;
      const sub = ca.certificate;
      expect(root.subject.toString()).toBe('CN=Contoso Root CA,DC=contoso,DC=com');
      expect(root.isSelfIssued).toBe(true);
      expect(root.getExtension(OID.basicConstraints)!.critical).toBe(true);
      expect(root.basicConstraints).toEqual({ ca: true });
      expect(root.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
      // CA Version V0.0 is INTEGER 0: 02 01 00.
      expect(toHex(root.getExtension(OID.msCaVersion)!.value)).toBe('020100');
      expect(decodeMsCaVersion(sub.getExtension(OID.msCaVersion)!.value)).toEqual({
        certIndex: 0,
        keyIndex: 0,
      });
      expect(decodeMsCertificateTemplateName(sub.getExtension(OID.msCertificateTemplateName)!.value)).toBe(
        'SubCA',
      );
      expect(toHex(sub.authorityKeyIdentifier!.keyIdentifier!)).toBe(toHex(root.subjectKeyIdentifier!));
      const cdp = decodeCrlDistributionPoints(sub.getExtension(OID.cRLDistributionPoints)!.value);
      expect(cdp[0]!.fullName).toEqual([
        { type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl' },
      ]);
      const aia = decodeInfoAccess(sub.getExtension(OID.authorityInfoAccess)!.value);
      expect(aia[0]!.location).toEqual({
        type: 'uri',
        value: 'http://pki.contoso.com/CertEnroll/pki.contoso.com_Contoso%20Root%20CA.crt',
      });
      expect(verify(issuingFile).stdout).toContain(': OK');
    });

    it('issues a WebServer certificate from an `openssl req` CSR that openssl verify accepts', async () => {
      const pem = opensslCsr(dir, {
        name: `exch-${keyType}`,
        subj: '/C=FR/O=Contoso/CN=exch01.contoso.com',
        key: 'ec',
        san: 'DNS:exch01.contoso.com,DNS:mail.contoso.com',
      });
      const before = Date.now();
      const r = await ca.submit(pem, { template: 'WebServer' });
      expect(r).toMatchObject({ disposition: 'issued', dispositionCode: 3, message: 'Issued', hresult: 0 });
      expect(r.status).toBe('The operation completed successfully. 0x0 (WIN32: 0)');
      const leaf = r.certificate!;
      const leafFile = put(dir, `leaf-${keyType}.pem`, leaf.toPem());
      expect(verify(leafFile).stdout).toContain(`${leafFile}: OK`);
      expect(verify(leafFile, '-purpose', 'sslserver').status).toBe(0);
      expect(leaf.subject.toString()).toBe('CN=exch01.contoso.com,O=Contoso,C=FR');
      expect(leaf.subjectAltNames).toEqual([
        { type: 'dns', value: 'exch01.contoso.com' },
        { type: 'dns', value: 'mail.contoso.com' },
      ]);
      // Extension order of a real AD CS certificate (reference §11.3).
      expect(leaf.extensions.map((e) => e.oid)).toEqual([
        OID.subjectKeyIdentifier,
        OID.authorityKeyIdentifier,
        OID.cRLDistributionPoints,
        OID.authorityInfoAccess,
        OID.msCertificateTemplateName,
        OID.keyUsage,
        OID.extKeyUsage,
        OID.subjectAltName,
      ]);
      const tpl = leaf.getExtension(OID.msCertificateTemplateName)!;
      expect(decodeMsCertificateTemplateName(tpl.value)).toBe('WebServer');
      // A bare BMPString, as real certificates carry it: 1E 12 00 57 00 65 …
      expect(toHex(tpl.value).toUpperCase().startsWith('1E120057006500620053')).toBe(true);
      expect(leaf.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
      expect(leaf.getExtension(OID.keyUsage)!.critical).toBe(true);
      expect(leaf.extKeyUsage).toEqual([OID.serverAuth]);
      expect(toHex(leaf.authorityKeyIdentifier!.keyIdentifier!)).toBe(
        toHex(ca.certificate.subjectKeyIdentifier!),
      );
      expect(
        decodeCrlDistributionPoints(leaf.getExtension(OID.cRLDistributionPoints)!.value)[0]!.fullName,
      ).toEqual([{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl' }]);
      expect(decodeInfoAccess(leaf.getExtension(OID.authorityInfoAccess)!.value)).toEqual([
        {
          method: OID.caIssuers,
          location: {
            type: 'uri',
            value: 'http://pki.contoso.com/CertEnroll/pki.contoso.com_Contoso%20Issuing%20CA.crt',
          },
        },
      ]);
      // 19-octet serial: prefix | request id | 8 random | CA index | request id (reference §11.2).
      const id = r.requestId.toString(16).padStart(8, '0').toUpperCase();
      expect(leaf.serialNumber).toHaveLength(38);
      expect(leaf.serialNumber.slice(2, 10)).toBe(id);
      expect(leaf.serialNumber.slice(26, 30)).toBe('0000');
      expect(leaf.serialNumber.slice(30)).toBe(id);
      expect(leaf.serialNumberBigInt > 0n).toBe(true);
      // WebServer: two years, capped by the CA's ValidityPeriod (two years); notBefore 10 minutes back.
      expect(leaf.notAfter.getTime() - before).toBeGreaterThan(729 * DAY);
      expect(leaf.notAfter.getTime() - before).toBeLessThan(731 * DAY);
      expect(before - leaf.notBefore.getTime()).toBeGreaterThanOrEqual(9 * 60_000);
      const text = openssl(['x509', '-in', leafFile, '-noout', '-text']);
      expect(text).toContain('URI:http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl');
      expect(text).toContain(
        'CA Issuers - URI:http://pki.contoso.com/CertEnroll/pki.contoso.com_Contoso%20Issuing%20CA.crt',
      );
      expect(text).toContain('1.3.6.1.4.1.311.20.2');
    });

    it('issues from an RSA `openssl req` CSR with the template in the attributes text', async () => {
      const pem = opensslCsr(dir, { name: `rsa-${keyType}`, subj: '/CN=lync01.contoso.com', key: 'rsa' });
      const r = await ca.submit(pem, { attributes: 'CertificateTemplate:WebServer\r\nUserAgent:curl/8\r\n' });
      expect(r.disposition).toBe('issued');
      const leafFile = put(dir, `rsa-leaf-${keyType}.pem`, r.certificate!.toPem());
      expect(verify(leafFile).stdout).toContain(': OK');
      expect(r.certificate!.publicKey.bits).toBe(2048);
    });

    it('issues from a @certlab/pki CSR carrying the template name-value pair (as certreq writes it)', async () => {
      const csr = await makeCsr({
        template: 'WebServer',
        san: [{ type: 'dns', value: 'exch01.contoso.com' }],
      });
      const r = await ca.submit(csr.toPem());
      expect(r.disposition).toBe('issued');
      expect(r.template).toBe('WebServer');
      const leafFile = put(dir, `pki-leaf-${keyType}.pem`, r.certificate!.toPem());
      expect(verify(leafFile).stdout).toContain(': OK');
    });

    it('issues a Machine certificate with the subject built from the directory', async () => {
      const csr = await makeCsr({ subject: 'CN=ignored' });
      const r = await ca.submit(csr.der, {
        template: 'Machine',
        requester: { name: 'CONTOSO\\EXCH01$', dnsHostName: 'exch01.contoso.com' },
      });
      expect(r.disposition).toBe('issued');
      const leaf = r.certificate!;
      expect(leaf.subject.toString()).toBe('CN=exch01.contoso.com');
      expect(leaf.subjectAltNames).toEqual([{ type: 'dns', value: 'exch01.contoso.com' }]);
      expect(leaf.extKeyUsage).toEqual([OID.clientAuth, OID.serverAuth]);
      expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBeLessThan(366 * DAY);
      const leafFile = put(dir, `machine-${keyType}.pem`, leaf.toPem());
      expect(verify(leafFile, '-purpose', 'sslclient').status).toBe(0);
    });
  },
);
