// AD CS's default template permissions (certsrv-protocol.md §12): published with
// withDefaultPermissions, Web Server issues to Domain Admins and Enterprise Admins only, an
// ordinary account is denied with CERTSRV_E_TEMPLATE_DENIED and certsrv does not list the template
// to it, a computer account may use Computer but not Web Server.

import {
  BUILT_IN_TEMPLATES,
  type CertificationAuthority,
  createAuthority,
  DEFAULT_TEMPLATE_ENROLL,
  mayEnroll,
  parseTemplate,
  STANDARD_TEMPLATES,
  startCertsrv,
  UserDirectory,
  WEB_SERVER_TEMPLATE,
  withDefaultPermissions,
} from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './support/csr.js';

const ADMIN = {
  name: 'CONTOSO\\administrator',
  groups: ['CONTOSO\\Domain Admins', 'CONTOSO\\Enterprise Admins'],
};
const ALICE = { name: 'CONTOSO\\alice' };

describe('withDefaultPermissions', () => {
  it('gives every built-in template an enroll list, and keeps a template that has one', () => {
    const t = withDefaultPermissions(BUILT_IN_TEMPLATES);
    expect(t.map((x) => x.name)).toEqual(BUILT_IN_TEMPLATES.map((x) => x.name));
    for (const x of t) {
      expect(x.enroll, x.name).toEqual(DEFAULT_TEMPLATE_ENROLL[x.name]);
      // The administrators may enroll on every default template, as in a new forest.
      expect(mayEnroll(x, ADMIN), x.name).toBe(true);
    }
    expect(t.find((x) => x.name === 'WebServer')!.enroll).toEqual(['Domain Admins', 'Enterprise Admins']);
    const own = parseTemplate({ ...WEB_SERVER_TEMPLATE, enroll: ['CONTOSO\\Exchange Servers'] });
    const custom = parseTemplate({ ...WEB_SERVER_TEMPLATE, name: 'CorpWeb' });
    const [a, b] = withDefaultPermissions([own, custom]);
    expect(a).toBe(own);
    expect(b).toBe(custom);
    expect(b!.enroll).toBeUndefined();
  });

  it('Web Server for the administrators, User for Domain Users, Computer for host$ accounts', () => {
    const byName = new Map(withDefaultPermissions(BUILT_IN_TEMPLATES).map((t) => [t.name, t]));
    const allowed = (who: { name: string; groups?: string[] }) =>
      [...byName.values()].filter((t) => mayEnroll(t, who)).map((t) => t.name);
    expect(allowed(ALICE)).toEqual(['User', 'EFS']);
    expect(allowed({ name: 'CONTOSO\\EX01$' })).toEqual(['Machine']);
    // A group named without its domain is the account's domain's.
    expect(allowed({ name: 'FABRIKAM\\bob', groups: ['Domain Admins'] })).toHaveLength(byName.size);
    expect(allowed({ name: 'CONTOSO\\DC01$', groups: ['CONTOSO\\Domain Controllers'] })).toEqual([
      'Machine',
      'DomainController',
      'DomainControllerAuthentication',
      'KerberosAuthentication',
      'DirectoryEmailReplication',
    ]);
    expect(allowed({ name: '' })).toEqual([]);
  });
});

describe('a CA publishing the default permissions', () => {
  let ca: CertificationAuthority;
  beforeAll(async () => {
    ca = await createAuthority({
      name: 'Contoso Issuing CA',
      keyType: 'ec',
      templates: withDefaultPermissions(STANDARD_TEMPLATES),
    });
  });
  afterAll(async () => {
    await ca.close();
  });

  it('denies an ordinary account Web Server with 0x80094012 and issues to a Domain Admin', async () => {
    const csr = (await makeCsr({ subject: 'CN=ex01.contoso.com' })).der;
    const denied = await ca.submit(csr, { template: 'WebServer', requester: ALICE });
    expect(denied.disposition).toBe('denied');
    expect(denied.hresult).toBe(0x80094012);
    expect(denied.message).toBe('Denied by Policy Module');
    // Recorded as AD CS records a policy denial, with its requester.
    expect((await ca.retrieve(denied.requestId)).disposition).toBe('denied');
    const anonymous = await ca.submit(csr, { template: 'WebServer' });
    expect(anonymous.hresult).toBe(0x80094012);
    const issued = await ca.submit(csr, { template: 'WebServer', requester: ADMIN });
    expect(issued.disposition).toBe('issued');
  });

  it('certsrv lists Web Server to the administrator only, and certfnsh.asp denies the others', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('administrator', 'Adm1n!pass', { admin: true, directory: { groups: ADMIN.groups } });
    await users.add('exchadmin', 'Exch!pass1');
    const server = await startCertsrv({ ca, users, crlSchedule: false });
    try {
      const auth = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      const page = async (a: string) =>
        (await fetch(`${server.url}/certsrv/certrqxt.asp`, { headers: { authorization: a } })).text();
      const options = (html: string) =>
        [...html.matchAll(/<option value="[^";]*;([^";]+);/gi)].map((m) => m[1]);
      expect(options(await page(auth('administrator', 'Adm1n!pass')))).toEqual(
        expect.arrayContaining(['WebServer', 'WebServer_Manual', 'User', 'SubCA']),
      );
      expect(options(await page(auth('exchadmin', 'Exch!pass1')))).toEqual(['User']);
      const res = await fetch(`${server.url}/certsrv/certfnsh.asp`, {
        method: 'POST',
        headers: {
          authorization: auth('exchadmin', 'Exch!pass1'),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          Mode: 'newreq',
          CertRequest: (await makeCsr({ subject: 'CN=ex01.contoso.com' })).toPem(),
          CertAttrib: 'CertificateTemplate:WebServer\r\n',
        }).toString(),
      });
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('Certificate Request Denied');
      // Exactly "Denied by Policy Module" (reference §10); 0x80094012 is the request's status.
      const id = Number(
        /Your Request Id is (\d+)\. The disposition message is "Denied by Policy Module"\./.exec(html)?.[1],
      );
      expect((await ca.retrieve(id)).hresult).toBe(0x80094012);
    } finally {
      await server.close();
    }
  });
});
