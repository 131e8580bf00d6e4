// The extensions the CA adds besides the template's (certsrv reference §11.3): the requester's
// SID (NTDS CA Security, MS-WCCE §2.2.2.7.7.4) and a subordinate CA's CA Version, in line and in
// the signing workers.

import {
  type CertificationAuthority,
  createAuthority,
  parseTemplate,
  STANDARD_TEMPLATES,
  SUB_CA_TEMPLATE,
} from '@certlab/ca-sim';
import {
  basicConstraints,
  type Certificate,
  decodeMsCaVersion,
  decodeMsNtdsCaSecurity,
  decodeSmimeCapabilities,
  type Extension,
  msCaVersion,
  msNtdsCaSecurity,
  OID,
  parseCertificate,
  smimeCapabilities,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './support/csr.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const MACHINE = { name: 'CONTOSO\\EXCH01$', dnsHostName: 'exch01.contoso.com', sid: SID };
const NO_SID_MACHINE = parseTemplate({
  ...STANDARD_TEMPLATES.find((t) => t.name === 'Machine')!,
  name: 'MachineNoSid',
  noSecurityExtension: true,
});

const sidOf = (c: Certificate) => {
  const e = c.getExtension(OID.msNtdsCaSecurityExt);
  return e && decodeMsNtdsCaSecurity(e.value);
};

describe('msNtdsCaSecurity (@certlab/pki)', () => {
  it('encodes SEQUENCE { [0] { OID 1.3.6.1.4.1.311.25.2.1, [0] OCTET STRING "S-1-…" } }, and decodes it back', () => {
    const e = msNtdsCaSecurity('S-1-5-21-1-2-3-500');
    const sid = new TextEncoder().encode('S-1-5-21-1-2-3-500');
    const oid = [0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x19, 0x02, 0x01];
    const octet = [0x04, sid.length, ...sid];
    const explicit0 = [0xa0, octet.length, ...octet];
    const other = [0xa0, oid.length + explicit0.length, ...oid, ...explicit0];
    expect([...e.value]).toEqual([0x30, other.length, ...other]);
    expect(e).toMatchObject({ oid: '1.3.6.1.4.1.311.25.2', critical: false });
    expect(decodeMsNtdsCaSecurity(e.value)).toBe('S-1-5-21-1-2-3-500');
    for (const bad of ['', 'S-1', 'S-1-5-x', 'alice', 'S-1-5-21-1 '])
      expect(() => msNtdsCaSecurity(bad), bad).toThrow(TypeError);
  });
});

describe.each([
  ['in line', 0],
  ['signing workers', 1],
] as const)('extensions the CA adds (%s)', (_label, signingWorkers) => {
  let ca: CertificationAuthority;
  beforeAll(async () => {
    ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      templates: [...STANDARD_TEMPLATES, NO_SID_MACHINE],
      ...(signingWorkers ? { signingWorkers } : {}),
    });
  }, 60_000);
  afterAll(async () => {
    await ca?.close();
  });

  const issue = async (template: string, extensions: Extension[] = [], requester: object = MACHINE) => {
    const r = await ca.submit((await makeCsr({ extensions })).toPem(), { template, requester });
    expect(r.disposition, r.message).toBe('issued');
    return parseCertificate(r.certificate!.der);
  };

  it('a Machine certificate carries the computer SID, last, as AD CS writes it', async () => {
    const c = await issue('Machine');
    expect(sidOf(c)).toBe(SID);
    expect(c.extensions.at(-1)?.oid).toBe(OID.msNtdsCaSecurityExt);
    expect(c.extensions.map((e) => e.oid).indexOf(OID.subjectAltName)).toBe(c.extensions.length - 2);
  });

  it('a malformed SID is a TypeError before anything is recorded', async () => {
    const before = (await ca.list()).length;
    await expect(
      ca.submit((await makeCsr()).toPem(), {
        template: 'Machine',
        requester: { ...MACHINE, sid: 'S-1-5-x' },
      }),
    ).rejects.toThrow(TypeError);
    expect((await ca.list()).length).toBe(before);
  });

  it('no SID without one in the directory, nor with CT_FLAG_NO_SECURITY_EXTENSION', async () => {
    expect(sidOf(await issue('Machine', [], { dnsHostName: 'exch01.contoso.com' }))).toBeUndefined();
    expect(sidOf(await issue('MachineNoSid'))).toBeUndefined();
  });

  it('an enrollee-supplied subject: the SID only when the request carries one (a SID, not garbage)', async () => {
    expect(sidOf(await issue('WebServer'))).toBeUndefined();
    expect(sidOf(await issue('WebServer', [msNtdsCaSecurity(SID)]))).toBe(SID);
    const garbage = { oid: OID.msNtdsCaSecurityExt, critical: false, value: Uint8Array.of(0x05, 0x00) };
    expect(sidOf(await issue('WebServer', [garbage]))).toBeUndefined();
  });

  it('a User certificate keeps the S/MIME capabilities of its request (CT_FLAG_INCLUDE_SYMMETRIC_ALGORITHMS); a Web Server one does not', async () => {
    const user = {
      dn: 'CN=Alice,CN=Users,DC=contoso,DC=com',
      upn: 'alice@contoso.com',
      email: 'alice@contoso.com',
    };
    const caps = smimeCapabilities([
      { oid: '2.16.840.1.101.3.4.1.42' },
      { oid: '1.2.840.113549.3.2', parameters: Uint8Array.of(0x02, 0x02, 0x00, 0x80) },
    ]);
    const c = await issue('User', [caps], user);
    const got = c.getExtension(OID.smimeCapabilities);
    expect(got && decodeSmimeCapabilities(got.value)).toEqual([
      { oid: '2.16.840.1.101.3.4.1.42' },
      { oid: '1.2.840.113549.3.2', parameters: Uint8Array.of(0x02, 0x02, 0x00, 0x80) },
    ]);
    expect((await issue('WebServer', [caps])).getExtension(OID.smimeCapabilities)).toBeUndefined();
    // Malformed capabilities are left out, not copied.
    const bad = {
      oid: OID.smimeCapabilities,
      critical: false,
      value: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
    };
    expect((await issue('User', [bad], user)).getExtension(OID.smimeCapabilities)).toBeUndefined();
  });

  it('a SubCA certificate keeps the CA Version its request carries', async () => {
    const c = await issue(SUB_CA_TEMPLATE.name, [
      basicConstraints({ ca: true }),
      msCaVersion({ certIndex: 0, keyIndex: 0 }),
    ]);
    const v = c.getExtension(OID.msCaVersion);
    expect(v && decodeMsCaVersion(v.value)).toEqual({ certIndex: 0, keyIndex: 0 });
    expect(c.getExtension(OID.basicConstraints)).toBeDefined();
    // Not on an end-entity template.
    expect(
      (await issue('WebServer', [msCaVersion({ certIndex: 1, keyIndex: 1 })])).getExtension(OID.msCaVersion),
    ).toBeUndefined();
  });
});
