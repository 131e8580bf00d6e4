// The other default templates of an Enterprise CA (certsrv reference §12): Administrator, EFS,
// EFSRecovery, DomainController, DomainControllerAuthentication, KerberosAuthentication and
// DirectoryEmailReplication, with subjects and SANs built from the directory.

import {
  ADMINISTRATOR_TEMPLATE,
  BUILT_IN_TEMPLATES,
  type CertificationAuthority,
  createAuthority,
  KERBEROS_AUTHENTICATION_TEMPLATE,
  parseTemplate,
  type RequesterIdentity,
  STANDARD_TEMPLATES,
  WEB_SERVER_TEMPLATE,
} from '@certlab/ca-sim';
import {
  type Certificate,
  decodeMsCertificateTemplate,
  decodeMsCertificateTemplateName,
  OID,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr, put } from './support/csr.js';
import { HAVE_OPENSSL, runOpenssl } from './support/openssl.js';
import { tempDir } from './support/temp.js';

const DAY = 86_400_000;
const GUID = '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}';
// Microsoft's byte order: the first three fields little-endian (MS-DTYP §2.3.4.2).
const GUID_BYTES = [
  0x4d, 0x3c, 0x1b, 0x2f, 0x6f, 0x5e, 0x7b, 0x4a, 0x8c, 0x9d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d,
];
const GUID_NAME = {
  type: 'otherName',
  oid: '1.3.6.1.4.1.311.25.1',
  value: Uint8Array.of(0x04, 0x10, ...GUID_BYTES),
};
const DC: RequesterIdentity = {
  name: 'CONTOSO\\DC01$',
  dnsHostName: 'dc01.contoso.com',
  objectGuid: GUID,
  dn: 'CN=DC01,OU=Domain Controllers,DC=contoso,DC=com',
};
const ADMIN: RequesterIdentity = {
  name: 'CONTOSO\\Administrator',
  dn: 'CN=Administrator,CN=Users,DC=contoso,DC=com',
  upn: 'administrator@contoso.com',
  email: 'administrator@contoso.com',
};

let ca: CertificationAuthority;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    templates: BUILT_IN_TEMPLATES,
  });
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await ca.close();
  await cleanup();
});

async function issue(template: string, requester: RequesterIdentity): Promise<Certificate> {
  const r = await ca.submit((await makeCsr({ subject: 'CN=ignored' })).der, { template, requester });
  expect(r.message).toBe('Issued');
  return r.certificate!;
}

function sanCritical(c: Certificate): boolean | undefined {
  return c.extensions.find((e) => e.oid === OID.subjectAltName)?.critical;
}

function templateInfo(c: Certificate) {
  const v2 = c.extensions.find((e) => e.oid === OID.msCertificateTemplate);
  if (v2) return decodeMsCertificateTemplate(v2.value);
  return decodeMsCertificateTemplateName(
    c.extensions.find((e) => e.oid === OID.msCertificateTemplateName)!.value,
  );
}

describe('the default templates of an Enterprise CA', () => {
  it('publishes the lab set by default and knows the others', () => {
    expect(STANDARD_TEMPLATES.map((t) => t.name)).toEqual([
      'WebServer',
      'WebServer_Manual',
      'Machine',
      'User',
      'SubCA',
    ]);
    expect(BUILT_IN_TEMPLATES.map((t) => t.name).slice(5)).toEqual([
      'Administrator',
      'EFS',
      'EFSRecovery',
      'DomainController',
      'DomainControllerAuthentication',
      'KerberosAuthentication',
      'DirectoryEmailReplication',
    ]);
  });

  it('DomainController: CN = DNS name, SAN DS Object Guid + DNS name, client and server authentication', async () => {
    const c = await issue('DomainController', DC);
    expect(c.subject.toString()).toBe('CN=dc01.contoso.com');
    expect(c.subjectAltNames).toEqual([GUID_NAME, { type: 'dns', value: 'dc01.contoso.com' }]);
    expect(sanCritical(c)).toBe(false);
    expect(c.extKeyUsage).toEqual([OID.clientAuth, OID.serverAuth]);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(templateInfo(c)).toBe('DomainController');
  });

  it('DomainController without the account GUID: denied with CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED', async () => {
    const r = await ca.submit((await makeCsr()).der, {
      template: 'DomainController',
      requester: { ...DC, objectGuid: undefined } as RequesterIdentity,
    });
    expect(r.disposition).toBe('denied');
    expect(r.message).toBe(
      'Denied by Policy Module  0x8009480e, The directory GUID is unavailable and cannot be added to the Subject Alternate name.',
    );
  });

  it('KerberosAuthentication: empty subject, critical SAN with the DNS name and the domain, KDC Authentication', async () => {
    const c = await issue('KerberosAuthentication', DC);
    expect(c.subject.isEmpty).toBe(true);
    expect(c.subjectAltNames).toEqual([
      { type: 'dns', value: 'dc01.contoso.com' },
      { type: 'dns', value: 'contoso.com' },
      { type: 'dns', value: 'CONTOSO' },
    ]);
    expect(sanCritical(c)).toBe(true);
    expect(c.extKeyUsage).toEqual([OID.clientAuth, OID.serverAuth, OID.msSmartcardLogin, OID.kpKdc]);
    expect(templateInfo(c)).toEqual({
      templateId: '1.3.6.1.4.1.311.21.8.7638725.13898300.1985460.3383425.7519116.119.1.33',
      majorVersion: 110,
      minorVersion: 0,
    });
    // The domain comes from the directory when it knows it.
    const other = await issue('KerberosAuthentication', { ...DC, domainDnsName: 'corp.contoso.com' });
    expect(other.subjectAltNames[1]).toEqual({ type: 'dns', value: 'corp.contoso.com' });
    // Without a DNS name there is nothing to put in the SAN.
    const r = await ca.submit((await makeCsr()).der, {
      template: 'KerberosAuthentication',
      requester: { name: 'CONTOSO\\bob' },
    });
    expect(r.message).toContain('0x8009480f');
  });

  it('DomainControllerAuthentication and DirectoryEmailReplication: empty subject, names in the SAN', async () => {
    const dca = await issue('DomainControllerAuthentication', DC);
    expect(dca.subject.isEmpty).toBe(true);
    expect(dca.subjectAltNames).toEqual([{ type: 'dns', value: 'dc01.contoso.com' }]);
    expect(dca.extKeyUsage).toEqual([OID.clientAuth, OID.serverAuth, OID.msSmartcardLogin]);
    const der = await issue('DirectoryEmailReplication', DC);
    expect(der.subject.isEmpty).toBe(true);
    expect(der.subjectAltNames).toEqual([GUID_NAME, { type: 'dns', value: 'dc01.contoso.com' }]);
    expect(sanCritical(der)).toBe(true);
    expect(der.extKeyUsage).toEqual(['1.3.6.1.4.1.311.21.19']);
  });

  it('Administrator, EFS and EFSRecovery: the directory DN with UPN (and e-mail)', async () => {
    const admin = await issue('Administrator', ADMIN);
    expect(admin.subject.toString()).toBe('CN=Administrator,CN=Users,DC=contoso,DC=com');
    // AD CS's order, whatever the template lists: UPN before e-mail.
    expect(admin.subjectAltNames).toEqual([
      { type: 'upn', value: 'administrator@contoso.com' },
      { type: 'email', value: 'administrator@contoso.com' },
    ]);
    const reversed = parseTemplate({
      ...ADMINISTRATOR_TEMPLATE,
      name: 'AdminReversed',
      identity: { subjectName: 'dn', altNames: ['email', 'upn'] },
    });
    const other = await createAuthority({ name: 'Order CA', keyType: 'ec', templates: [reversed] });
    try {
      const r = await other.submit((await makeCsr()).der, { template: 'AdminReversed', requester: ADMIN });
      expect(r.certificate!.subjectAltNames.map((n) => n.type)).toEqual(['upn', 'email']);
    } finally {
      await other.close();
    }
    expect(admin.extKeyUsage).toEqual([
      '1.3.6.1.4.1.311.10.3.1',
      OID.msEFS,
      OID.emailProtection,
      OID.clientAuth,
    ]);
    const efs = await issue('EFS', ADMIN);
    expect(efs.keyUsage).toEqual(['keyEncipherment']);
    expect(efs.extKeyUsage).toEqual([OID.msEFS]);
    expect(efs.subjectAltNames).toEqual([{ type: 'upn', value: 'administrator@contoso.com' }]);
    const recovery = await issue('EFSRecovery', ADMIN);
    expect(recovery.extKeyUsage).toEqual(['1.3.6.1.4.1.311.10.3.4.1']);
    expect(recovery.notAfter.getTime() - recovery.notBefore.getTime()).toBeGreaterThan(729 * DAY);
  });

  it('a GUID that is not one is the caller mistake: TypeError, nothing recorded', async () => {
    const before = (await ca.store.listRequests()).length;
    await expect(
      ca.submit((await makeCsr()).der, {
        template: 'DomainController',
        requester: { ...DC, objectGuid: 'not-a-guid' },
      }),
    ).rejects.toThrow(TypeError);
    expect((await ca.store.listRequests()).length).toBe(before);
  });

  it('refuses two templates with one name or one OID', async () => {
    const copy = parseTemplate({ ...KERBEROS_AUTHENTICATION_TEMPLATE, name: 'KerberosCopy' });
    for (const templates of [
      [WEB_SERVER_TEMPLATE, { ...WEB_SERVER_TEMPLATE, name: 'webserver' }],
      [KERBEROS_AUTHENTICATION_TEMPLATE, copy],
    ])
      await expect(createAuthority({ name: 'Twice CA', templates })).rejects.toMatchObject({
        code: 'ERR_CA_OPTIONS_INVALID',
      });
    await expect(
      createAuthority({ name: 'Twice CA', templates: [KERBEROS_AUTHENTICATION_TEMPLATE, copy] }),
    ).rejects.toThrow(/"KerberosAuthentication" and "KerberosCopy" have the same OID/);
  });

  it('a template with an empty subject needs SAN entries', () => {
    expect(() =>
      parseTemplate({ name: 'Empty', subject: 'identity', identity: { subjectName: 'none', altNames: [] } }),
    ).toThrow(/needs "identity.altNames"/);
  });

  it.skipIf(!HAVE_OPENSSL)(
    'openssl reads the empty-subject certificates and verifies them for TLS',
    async () => {
      const root = put(dir, 'root.pem', ca.rootCertificate.toPem());
      const issuing = put(dir, 'issuing.pem', ca.certificate.toPem());
      const leaf = put(dir, 'kerberos.pem', (await issue('KerberosAuthentication', DC)).toPem());
      const text = runOpenssl(['x509', '-in', leaf, '-noout', '-ext', 'subjectAltName']);
      expect(text.stdout).toContain('critical');
      expect(text.stdout).toContain('DNS:dc01.contoso.com, DNS:contoso.com');
      const v = runOpenssl(['verify', '-CAfile', root, '-untrusted', issuing, '-purpose', 'sslserver', leaf]);
      expect(v.stdout + v.stderr).toContain(': OK');
      const dcLeaf = put(dir, 'dc.pem', (await issue('DomainController', DC)).toPem());
      expect(runOpenssl(['x509', '-in', dcLeaf, '-noout', '-ext', 'subjectAltName']).stdout).toContain(
        'othername: 1.3.6.1.4.1.311.25.1',
      );
    },
  );
});

describe('with signing workers', () => {
  it('issues KerberosAuthentication and DomainController on a worker thread the same way', async () => {
    const pooled = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      templates: BUILT_IN_TEMPLATES,
      signingWorkers: 1,
    });
    try {
      const k = await pooled.submit((await makeCsr()).der, {
        template: 'KerberosAuthentication',
        requester: DC,
      });
      expect(k.message).toBe('Issued');
      expect(k.certificate!.subjectAltNames).toEqual([
        { type: 'dns', value: 'dc01.contoso.com' },
        { type: 'dns', value: 'contoso.com' },
        { type: 'dns', value: 'CONTOSO' },
      ]);
      const d = await pooled.submit((await makeCsr()).der, { template: 'DomainController', requester: DC });
      expect(d.certificate!.subjectAltNames).toEqual([GUID_NAME, { type: 'dns', value: 'dc01.contoso.com' }]);
    } finally {
      await pooled.close();
    }
  });
});
