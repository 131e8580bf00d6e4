// The policy module's outcomes with AD CS's disposition messages and HRESULTs (certsrv
// reference §7, §10), request attributes (§8), manager approval and officer actions.

import {
  type CertificationAuthority,
  createAuthority,
  formatHresult,
  HRESULTS,
  isCaError,
  mayEnroll,
  parseRequestAttributes,
  parseSanAttribute,
  parseTemplate,
  parseTemplatesJson,
  requesterIdentityProblem,
  STANDARD_TEMPLATES,
} from '@certlab/ca-sim';
import { decodeMsApplicationPolicies, decodeMsCertificateTemplate, OID } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './support/csr.js';

let ca: CertificationAuthority;
let flagged: CertificationAuthority;

const custom = parseTemplatesJson(
  JSON.stringify([
    {
      name: 'LyncServer',
      displayName: 'Lync Server',
      schemaVersion: 2,
      oid: '1.3.6.1.4.1.311.21.8.1.2.3.4.5.101',
      majorVersion: 100,
      minorVersion: 3,
      ekus: ['serverAuth', 'clientAuth'],
      validityDays: 30,
      keyTypes: ['ec'],
    },
    { name: 'AdminsOnly', enroll: ['CONTOSO\\Domain Admins'], ekus: ['serverAuth'] },
    { name: 'RsaOnly', keyTypes: ['rsa'], ekus: ['serverAuth'] },
  ]),
);

beforeAll(async () => {
  const templates = [...STANDARD_TEMPLATES, ...custom];
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    templates,
  });
  flagged = await createAuthority({
    name: 'Contoso Issuing CA',
    keyType: 'ec',
    templates,
    editFlags: ['EDITF_ATTRIBUTESUBJECTALTNAME2'],
  });
});
afterAll(async () => {
  await ca?.close();
  await flagged?.close();
});

describe('denials carry the AD CS disposition message and HRESULT', () => {
  it('unknown template → 0x80094800 with the template name, two spaces before 0x', async () => {
    const r = await ca.submit((await makeCsr()).toPem(), { template: 'Web Server' });
    expect(r).toMatchObject({
      disposition: 'denied',
      dispositionCode: 2,
      hresult: 0x80094800,
      template: 'Web Server',
      message:
        'Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: Web Server.',
      status:
        'The requested certificate template is not supported by this CA. 0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)',
    });
    expect(r.certificate).toBeUndefined();
    expect(r.message).toMatch(/Denied by Policy Module {2}(0x[0-9a-fA-F]+),/);
  });

  it('no template → 0x80094801', async () => {
    const r = await ca.submit((await makeCsr()).toPem());
    expect(r.hresult).toBe(0x80094801);
    expect(r.status).toBe(
      'The request contains no certificate template information. 0x80094801 (-2146875391 CERTSRV_E_NO_CERT_TYPE)',
    );
    expect(r.message).toBe(
      'Denied by Policy Module  0x80094801, The request contains no certificate template information.',
    );
  });

  it('unparsable request → "Error Parsing Request" with an ASN.1 status', async () => {
    const text = await ca.submit(
      '-----BEGIN NEW CERTIFICATE REQUEST-----\nnot base64!\n-----END NEW CERTIFICATE REQUEST-----',
      {
        template: 'WebServer',
      },
    );
    expect(text.disposition).toBe('denied');
    expect(text.message.startsWith('Error Parsing Request  ')).toBe(true);
    const badTag = await ca.submit(Uint8Array.of(0x30, 0x03, 0x13, 0x01, 0x41), { template: 'WebServer' });
    expect(badTag.message).toBe(
      'Error Parsing Request  ASN1 bad tag value met. 0x8009310b (ASN: 267 CRYPT_E_ASN1_BADTAG)',
    );
    expect(badTag.hresult).toBe(0x8009310b);
    const der = (await makeCsr()).der;
    const truncated = await ca.submit(der.subarray(0, der.length - 10), { template: 'WebServer' });
    expect(truncated.hresult).toBe(0x80093102);
    expect(truncated.status).toBe('ASN1 unexpected end of data. 0x80093102 (ASN: 258 CRYPT_E_ASN1_EOD)');
  });

  it('bad signature → NTE_BAD_SIGNATURE', async () => {
    const der = (await makeCsr({ template: 'WebServer' })).der.slice();
    der[der.length - 5]! ^= 0x40;
    const r = await ca.submit(der);
    expect(r.disposition).toBe('denied');
    // The certificate signed while the signature was being checked is discarded.
    expect(r.certificate).toBeUndefined();
    expect((await ca.retrieve(r.requestId)).certificate).toBeUndefined();
    expect(r.hresult).toBe(0x80090006);
    expect(r.message).toBe(
      'Error Verifying Request Signature or Signing Certificate  Invalid Signature. 0x80090006 (-2146893818 NTE_BAD_SIGNATURE)',
    );
  });

  it('key too small → 0x80094811', async () => {
    const r = await ca.submit((await makeCsr({ key: { type: 'rsa', bits: 1024 } })).toPem(), {
      template: 'WebServer',
    });
    expect(r.hresult).toBe(0x80094811);
    expect(r.message).toBe(
      'Denied by Policy Module  0x80094811, The public key does not meet the minimum size required by the specified certificate template.',
    );
    expect(r.status).toBe(
      'The public key does not meet the minimum size required by the specified certificate template. 0x80094811 (-2146875375 CERTSRV_E_KEY_LENGTH)',
    );
  });

  it('key type the template does not allow → NTE_BAD_ALGID', async () => {
    const r = await ca.submit((await makeCsr()).toPem(), { template: 'RsaOnly' });
    expect(r.hresult).toBe(0x80090008);
    expect(r.message).toBe('Denied by Policy Module  0x80090008, Invalid algorithm specified.');
  });

  it('subject missing (no subject, no SAN) → 0x80094001', async () => {
    const r = await ca.submit((await makeCsr({ subject: '' })).toPem(), { template: 'WebServer' });
    expect(r.hresult).toBe(0x80094001);
    expect(r.status).toBe(
      'The request subject name is invalid or too long. 0x80094001 (-2146877439 CERTSRV_E_BAD_REQUESTSUBJECT)',
    );
    // An empty subject with a SAN is fine, and the SAN is then critical (RFC 5280 §4.2.1.6).
    const ok = await ca.submit(
      (await makeCsr({ subject: '', san: [{ type: 'dns', value: 'a.contoso.com' }] })).toPem(),
      {
        template: 'WebServer',
      },
    );
    expect(ok.disposition).toBe('issued');
    expect(ok.certificate!.getExtension(OID.subjectAltName)!.critical).toBe(true);
  });

  it('template ACL → exactly "Denied by Policy Module", 0x80094012; an enrolled principal is issued', async () => {
    const csr = (await makeCsr()).toPem();
    const r = await ca.submit(csr, { template: 'AdminsOnly', requester: { name: 'CONTOSO\\alice' } });
    expect(r.message).toBe('Denied by Policy Module');
    expect(r.hresult).toBe(0x80094012);
    expect(r.status).toBe(
      'The permissions on the certificate template do not allow the current user to enroll for this type of certificate. 0x80094012 (-2146877422 CERTSRV_E_TEMPLATE_DENIED)',
    );
    const ok = await ca.submit(csr, {
      template: 'AdminsOnly',
      requester: { name: 'contoso\\domain admins' },
    });
    expect(ok.disposition).toBe('issued');
    expect(ok.requester).toEqual({ name: 'contoso\\domain admins' });
  });

  it('template ACL through groups: a member of Domain Admins is issued, the implicit groups count, others are denied', async () => {
    const csr = (await makeCsr()).toPem();
    const exchadmin = { name: 'CONTOSO\\exchadmin', groups: ['CONTOSO\\Domain Admins'] };
    const ok = await ca.submit(csr, { template: 'AdminsOnly', requester: exchadmin });
    expect(ok.disposition).toBe('issued');
    expect(ok.requester).toEqual(exchadmin);
    const denied = await ca.submit(csr, {
      template: 'AdminsOnly',
      requester: { name: 'CONTOSO\\alice', groups: ['CONTOSO\\Exchange Organization Administrators'] },
    });
    expect(denied.hresult).toBe(0x80094012);
    const t = (enroll: string[]) => ({ ...STANDARD_TEMPLATES[0]!, enroll });
    const alice = { name: 'CONTOSO\\alice' };
    const host = { name: 'CONTOSO\\EXCH01$' };
    expect(mayEnroll(t(['CONTOSO\\Domain Users']), alice)).toBe(true);
    expect(mayEnroll(t(['CONTOSO\\Domain Users']), host)).toBe(false);
    expect(mayEnroll(t(['CONTOSO\\Domain Computers']), host)).toBe(true);
    expect(mayEnroll(t(['CONTOSO\\Domain Computers']), alice)).toBe(false);
    expect(mayEnroll(t(['FABRIKAM\\Domain Users']), alice)).toBe(false);
    expect(mayEnroll(t(['NT AUTHORITY\\Authenticated Users']), alice)).toBe(true);
    expect(mayEnroll(t(['Everyone']), host)).toBe(true);
    expect(mayEnroll(t(['Domain Admins']), exchadmin)).toBe(true); // no domain: any domain's
    // A group given without its domain is the account's domain's.
    expect(
      mayEnroll(t(['CONTOSO\\Domain Admins']), { name: 'CONTOSO\\bob', groups: ['Domain Admins'] }),
    ).toBe(true);
    expect(
      mayEnroll(t(['FABRIKAM\\Domain Admins']), { name: 'CONTOSO\\bob', groups: ['Domain Admins'] }),
    ).toBe(false);
    expect(mayEnroll(t(['contoso\\DOMAIN ADMINS']), exchadmin)).toBe(true);
    expect(mayEnroll(t(['CONTOSO\\Enterprise Admins']), exchadmin)).toBe(false);
    expect(mayEnroll(t(['Everyone']), undefined)).toBe(false); // nobody signed in
    expect(mayEnroll(t(['Everyone']), { groups: ['Everyone'] })).toBe(false);
    expect(mayEnroll({ ...STANDARD_TEMPLATES[0]! }, undefined)).toBe(true); // no ACL: anyone
    expect(requesterIdentityProblem({ groups: [''] })?.field).toBe('groups');
    expect(requesterIdentityProblem({ groups: ['CONTOSO\\A\u0000'] })?.field).toBe('groups');
    expect(requesterIdentityProblem({ groups: 'CONTOSO\\A' as unknown as string[] })?.field).toBe('groups');
    expect(requesterIdentityProblem({ groups: ['CONTOSO\\A'] })).toBeUndefined();
    await expect(
      ca.submit(csr, { template: 'AdminsOnly', requester: { name: 'x', groups: [' A'] } }),
    ).rejects.toThrow(/groups/);
  });

  it('caps validity at 2 years by default, the single self-signed CA too (an Enterprise root CA, reference §11.1)', async () => {
    const DAY = 86_400_000;
    for (const a of [ca, flagged]) {
      const r = await a.submit((await makeCsr()).toPem(), { template: 'WebServer' });
      const c = r.certificate!;
      expect(c.notAfter.getTime() - c.notBefore.getTime(), a.rootName ?? 'single CA').toBeGreaterThan(
        729 * DAY,
      );
    }
  });

  it('directory-built subjects need the directory values (DNS, e-mail)', async () => {
    const csr = (await makeCsr()).toPem();
    const machine = await ca.submit(csr, { template: 'Machine', requester: { name: 'CONTOSO\\EXCH01$' } });
    expect(machine.hresult).toBe(0x8009480f);
    const user = await ca.submit(csr, {
      template: 'User',
      requester: { dn: 'CN=Alice,CN=Users,DC=contoso,DC=com', upn: 'alice@contoso.com' },
    });
    expect(user.hresult).toBe(0x80094812);
    const full = await ca.submit(csr, {
      template: 'user',
      requester: {
        dn: 'CN=Alice,CN=Users,DC=contoso,DC=com',
        upn: 'alice@contoso.com',
        email: 'alice@contoso.com',
      },
    });
    expect(full.disposition).toBe('issued');
    expect(full.template).toBe('User');
    expect(full.certificate!.subject.toString()).toBe('CN=Alice,CN=Users,DC=contoso,DC=com');
    expect(full.certificate!.subjectAltNames).toEqual([
      { type: 'upn', value: 'alice@contoso.com' },
      { type: 'email', value: 'alice@contoso.com' },
    ]);
  });
});

describe('manager approval, officer actions', () => {
  it('pending → approve → retrieve, with the v2 template extensions', async () => {
    const csr = (await makeCsr({ san: [{ type: 'dns', value: 'exch01.contoso.com' }] })).toPem();
    const p = await ca.submit(csr, { template: 'WebServer_Manual' });
    expect(p).toMatchObject({
      disposition: 'pending',
      dispositionCode: 5,
      message: 'Taken Under Submission',
      hresult: 0,
      status: 'The operation completed successfully. 0x0 (WIN32: 0)',
    });
    expect(p.certificate).toBeUndefined();
    expect((await ca.retrieve(p.requestId)).disposition).toBe('pending');
    expect((await ca.list({ status: 'pending' })).map((r) => r.requestId)).toContain(p.requestId);
    const a = await ca.approve(p.requestId);
    expect(a).toMatchObject({
      disposition: 'issued',
      dispositionCode: 3,
      message: 'Resubmitted by CONTOSO\\Administrator',
    });
    const got = await ca.retrieve(p.requestId);
    expect(got.certificate!.equals(a.certificate!)).toBe(true);
    expect(got.serialNumber).toBe(a.certificate!.serialNumber);
    const info = decodeMsCertificateTemplate(got.certificate!.getExtension(OID.msCertificateTemplate)!.value);
    expect(info).toEqual({
      templateId: '1.3.6.1.4.1.311.21.8.7638725.13898300.1985460.3383425.7519116.119.16408497.1716465',
      majorVersion: 100,
      minorVersion: 2,
    });
    expect(got.certificate!.getExtension(OID.msCertificateTemplateName)).toBeUndefined();
    expect(
      decodeMsApplicationPolicies(got.certificate!.getExtension(OID.msApplicationPolicies)!.value),
    ).toEqual([OID.serverAuth]);
    await expect(ca.approve(p.requestId)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REQUEST_STATE'));
    await expect(ca.deny(p.requestId)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REQUEST_STATE'));
  });

  it('pending → deny: "Denied by <officer>", CERTSRV_E_ADMIN_DENIED_REQUEST; resubmit can still issue', async () => {
    const p = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer_Manual' });
    const d = await ca.deny(p.requestId, { officer: 'CONTOSO\\pkiadmin' });
    expect(d).toMatchObject({
      disposition: 'denied',
      message: 'Denied by CONTOSO\\pkiadmin',
      hresult: 0x80094014,
    });
    expect(d.status).toBe(
      'The request was denied by a certificate manager or CA administrator. 0x80094014 (-2146877420 CERTSRV_E_ADMIN_DENIED_REQUEST)',
    );
    const again = await ca.resubmit(p.requestId);
    expect(again.disposition).toBe('issued');
  });

  it('a v2 custom template from JSON: template information, application policies, its validity', async () => {
    const r = await ca.submit((await makeCsr()).toPem(), { template: 'LyncServer' });
    expect(r.disposition).toBe('issued');
    const c = r.certificate!;
    expect(decodeMsCertificateTemplate(c.getExtension(OID.msCertificateTemplate)!.value)).toEqual({
      templateId: '1.3.6.1.4.1.311.21.8.1.2.3.4.5.101',
      majorVersion: 100,
      minorVersion: 3,
    });
    expect(decodeMsApplicationPolicies(c.getExtension(OID.msApplicationPolicies)!.value)).toEqual([
      OID.serverAuth,
      OID.clientAuth,
    ]);
    expect(Math.round((c.notAfter.getTime() - c.notBefore.getTime()) / 86_400_000)).toBe(30);
  });

  it('request ids go up by one for every submission, whatever its outcome', async () => {
    const all = await ca.list();
    const ids = all.map((r) => r.requestId);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(new Set(all.map((r) => r.disposition))).toEqual(new Set(['issued', 'denied']));
    await expect(ca.retrieve(10_000)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REQUEST_NOT_FOUND'));
  });
});

describe('request attributes', () => {
  const requestSan = [{ type: 'dns' as const, value: 'from-csr.contoso.com' }];
  const attrs =
    'CertificateTemplate:WebServer\r\nSAN:dns=a.contoso.com&dns=b.contoso.com&upn=alice@contoso.com&ipaddress=10.0.0.1\r\n';

  it('without EDITF_ATTRIBUTESUBJECTALTNAME2 a san attribute is ignored silently', async () => {
    const r = await ca.submit((await makeCsr({ san: requestSan })).toPem(), { attributes: attrs });
    expect(r.disposition).toBe('issued');
    expect(r.certificate!.subjectAltNames).toEqual(requestSan);
  });

  it('with EDITF_ATTRIBUTESUBJECTALTNAME2 the san attribute replaces the request SAN', async () => {
    const r = await flagged.submit((await makeCsr({ san: requestSan })).toPem(), { attributes: attrs });
    expect(r.disposition).toBe('issued');
    expect(r.certificate!.subjectAltNames).toEqual([
      { type: 'dns', value: 'a.contoso.com' },
      { type: 'dns', value: 'b.contoso.com' },
      { type: 'upn', value: 'alice@contoso.com' },
      { type: 'ip', value: '10.0.0.1' },
    ]);
  });

  it('with the flag, an unreadable san attribute is denied with 0x80070057', async () => {
    const r = await flagged.submit((await makeCsr()).toPem(), {
      attributes: ['CertificateTemplate:WebServer', 'san:foo=bar'],
    });
    expect(r.hresult).toBe(0x80070057);
    expect(r.message).toBe('Denied by Policy Module  0x80070057, The parameter is incorrect.');
  });

  it('parses CertAttrib text as MS-WCCE says: CR stripped, blanks and - dropped from names, values trimmed', () => {
    expect(
      parseRequestAttributes(
        'Certificate-Template : WebServer \r\nno colon here\r\nUserAgent:Mozilla/5.0 (X11; Linux)\n',
      ),
    ).toEqual({ certificatetemplate: 'WebServer', useragent: 'Mozilla/5.0 (X11; Linux)' });
    expect(
      parseSanAttribute(
        'dns=a&email=x@contoso.com&url=http://x/&guid={01020304-0506-0708-090a-0b0c0d0e0f10}&dn=CN=x',
      ),
    ).toHaveLength(5);
    expect(() => parseSanAttribute('dns=')).toThrow();
    // The package's one coded error class.
    expect(() => parseSanAttribute('foo=bar')).toThrow(
      expect.objectContaining({ name: 'SanAttributeError', code: 'ERR_CA_ATTRIBUTE_INVALID' }),
    );
    expect(
      isCaError(
        (() => {
          try {
            parseSanAttribute('dns=');
          } catch (e) {
            return e;
          }
        })(),
        'ERR_CA_ATTRIBUTE_INVALID',
      ),
    ).toBe(true);
  });
});

describe('request attributes end at the first U+0000', () => {
  // AD CS receives them as one NUL-terminated string ([MS-WCCE] §3.2.1.4.2.1 pwszAttributes):
  // what follows the first NUL never reaches the CA, whatever form the attributes take here.
  it('text, lines and a record alike', () => {
    const cut = { useragent: 'x', certificatetemplate: 'Web' };
    expect(parseRequestAttributes('UserAgent:x\r\nCertificateTemplate:Web\u0000Server\r\nsan:dns=a')).toEqual(
      cut,
    );
    expect(
      parseRequestAttributes(['UserAgent:x', 'CertificateTemplate:Web\u0000Server', 'san:dns=a']),
    ).toEqual(cut);
    expect(
      parseRequestAttributes({ UserAgent: 'x', CertificateTemplate: 'Web\u0000Server', san: 'dns=a' }),
    ).toEqual(cut);
    // A NUL in a name: the pair never had its colon, and nothing after it arrives.
    expect(parseRequestAttributes('UserAgent:x\nCert\u0000ificateTemplate:WebServer\nsan:dns=a')).toEqual({
      useragent: 'x',
    });
    expect(parseRequestAttributes({ UserAgent: 'x', 'Cert\u0000ificateTemplate': 'WebServer' })).toEqual({
      useragent: 'x',
    });
    expect(parseRequestAttributes('\u0000CertificateTemplate:WebServer')).toEqual({});
  });
});

describe('templates as data and HRESULT texts', () => {
  it('checks custom templates', () => {
    expect(() => parseTemplate({ name: 'X', schemaVersion: 2 })).toThrow(/oid/);
    expect(() => parseTemplate({ name: 'X', ekus: ['notAnEku'] })).toThrow(/not a known EKU/);
    expect(() => parseTemplate({ name: 'X', keyUsage: ['sign'] })).toThrow(/key usage/);
    expect(() => parseTemplatesJson('{')).toThrow(/JSON/);
    try {
      parseTemplate({ name: 'X', validityDays: -1 });
      expect.unreachable();
    } catch (e) {
      expect(isCaError(e, 'ERR_CA_TEMPLATE_INVALID')).toBe(true);
    }
    // What would break certsrv's template list, be silently ignored, or overflow the extension.
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ name: 'Typo', managerAproval: true }, /unknown field "managerAproval"/],
      [{ name: 'Semi;Colon' }, /cannot contain ";"/],
      [{ name: ' Spacey ' }, /white space/],
      [{ name: 'Tab\tName' }, /control characters/],
      [{ name: 'x'.repeat(65) }, /longer than 64/],
      [{ name: 'X', displayName: 'Two\r\nLines' }, /"displayName"/],
      [
        { name: 'X', schemaVersion: 2, oid: '1.2.3', majorVersion: 99_999_999_999_999 },
        /"majorVersion" must be a whole number from 1 to 2147483647/,
      ],
      [{ name: 'X', schemaVersion: 2, oid: '1.2.3', minorVersion: 2 ** 31 }, /"minorVersion"/],
      [{ name: 'X', validityDays: Number.MAX_SAFE_INTEGER }, /"validityDays"/],
      [{ name: 'X', minKeySize: { ec: 100_000_000 } }, /"minKeySize.ec"/],
      [{ name: 'X', minKeySize: { dsa: 1024 } }, /unknown field "minKeySize.dsa"/],
      [
        { name: 'X', subject: 'identity', identity: { subjectName: 'dns', altNames: ['dns'], extra: 1 } },
        /unknown field "identity.extra"/,
      ],
      [{ name: 'X', enroll: [''] }, /"enroll"/],
    ];
    for (const [input, message] of refused)
      expect(() => parseTemplate(input), JSON.stringify(input)).toThrow(message);
    const t = parseTemplate({ name: 'Minimal' });
    expect(t).toMatchObject({
      schemaVersion: 1,
      subject: 'request',
      honorRequestSans: true,
      managerApproval: false,
      validityDays: 365,
    });
  });

  it('formats HRESULTs as certsrv prints them', () => {
    expect(formatHresult(HRESULTS.S_OK)).toBe('The operation completed successfully. 0x0 (WIN32: 0)');
    expect(formatHresult(HRESULTS.ERROR_INVALID_PARAMETER)).toBe(
      'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)',
    );
    expect(formatHresult(HRESULTS.CERTSRV_E_PROPERTY_EMPTY)).toBe(
      'The requested property value is empty. 0x80094004 (-2146877436 CERTSRV_E_PROPERTY_EMPTY)',
    );
  });
});
