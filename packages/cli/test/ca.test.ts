// `certlab ca`: the simulated AD CS CA end to end over a PGlite database in a temp directory.
// Creating the PGlite database takes seconds, so one CA is made in beforeAll and every test
// reuses it (request ids are read from the output, never assumed).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPgliteStore } from '@certlab/ca-sim';
import {
  decodeMsCertificateTemplate,
  parseCrl as parseCrlDer,
  parseCertificate as parseDer,
  parsePkcs7,
  readDerOrPem,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPostgres,
  type PostgresServer,
  startPostgres,
} from '../../ca-sim/test/support/postgres-server.js';
import {
  foreignPgliteDatabase,
  pgliteRelations,
  postgresRelations,
} from '../../ca-sim/test/support/relations.js';
import { describeDb, parseDbUrl } from '../src/ca-support.js';
import type { CommandContext } from '../src/command.js';
import { type CliResult, cli, openssl, opensslAll, removeTempDirs, tempDir } from './helpers.js';

const parseCertificate = (input: string | Uint8Array) => parseDer(readDerOrPem(input, 'CERTIFICATE'));
const parseCrl = (input: string | Uint8Array) => parseCrlDer(readDerOrPem(input, 'X509 CRL'));

let dir: string;
let init: CliResult;

beforeAll(async () => {
  dir = await tempDir();
  init = await cli(dir, 'ca', 'init', '--dir', 'pki', '--key-type', 'ec');
  const csr = await cli(
    dir,
    ...['csr', 'new', '--new-key', 'ec', '--key-out', 'web.key', '--subject', 'CN=web01.contoso.com'],
    ...['--dns', 'web01.contoso.com', '--out', 'web.req'],
  );
  expect(csr.code, csr.stderr).toBe(0);
});
afterAll(removeTempDirs);

const HAVE_POSTGRES = checkPostgres('the certlab ca PostgreSQL tests');

/** The request id certreq-style output starts with. */
function requestId(r: CliResult): number {
  const m = /^RequestId: (\d+)$/m.exec(r.stdout);
  expect(m, r.stdout + r.stderr).not.toBeNull();
  return Number(m![1]);
}

async function submit(...extra: string[]): Promise<CliResult> {
  return cli(dir, 'ca', 'submit', '--dir', 'pki', 'web.req', ...extra);
}

describe('ca init', () => {
  it('--ldap adds ldap:/// CDP and AIA URLs before the HTTP ones (--ldap-only: LDAP alone)', async () => {
    const ldapInit = (d: string, ...extra: string[]) =>
      cli(
        dir,
        'ca',
        'init',
        '--dir',
        d,
        '--key-type',
        'ec',
        '--ldap',
        'CN=Configuration,DC=contoso,DC=com',
        ...extra,
      );
    const made = await ldapInit('ldap-pki');
    expect(made.code, made.stderr).toBe(0);
    expect((await cli(dir, 'ca', 'cert', '--dir', 'ldap-pki', '--out', 'ldap-issuing.cer')).code).toBe(0);
    const shown = (await cli(dir, 'cert', 'show', 'ldap-issuing.cer')).stdout;
    const ldapCdp =
      'ldap:///CN=Contoso%20Root%20CA,CN=PKI,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint';
    expect(shown).toContain(ldapCdp);
    expect(shown.indexOf(ldapCdp)).toBeLessThan(
      shown.indexOf('http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl'),
    );
    const only = await ldapInit('ldap-only', '--ldap-server', 'CA01', '--ldap-only');
    expect(only.code, only.stderr).toBe(0);
    expect((await cli(dir, 'ca', 'cert', '--dir', 'ldap-only', '--out', 'ldap-only.cer')).code).toBe(0);
    const onlyShown = (await cli(dir, 'cert', 'show', 'ldap-only.cer')).stdout;
    expect(onlyShown).toContain('ldap:///CN=Contoso%20Root%20CA,CN=CA01,CN=CDP,');
    expect(onlyShown).not.toContain('http://pki.contoso.com/CertEnroll/');
    // Usage errors, before anything is created.
    const lonely = await cli(dir, 'ca', 'init', '--dir', 'ldap-bad', '--ldap-only');
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toContain('go with --ldap CONFIG-DN');
    const badDn = await cli(dir, 'ca', 'init', '--dir', 'ldap-bad', '--ldap', 'DC=contoso,DC=com');
    expect(badDn.code).toBe(2);
    expect(badDn.stderr).toContain('CN=Configuration');
    expect(existsSync(join(dir, 'ldap-bad'))).toBe(false);
  });

  it('creates the hierarchy, publishes CertEnroll and records the names', async () => {
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Created the CA in ${join(dir, 'pki')}`);
    expect(init.stdout).toContain('Root CA: CN=Contoso Root CA');
    expect(init.stdout).toContain('Issuing CA: CN=Contoso Issuing CA');
    expect(init.stdout).toMatch(/Cert Hash\(sha1\): {3}[0-9A-F]{40}/);
    expect(init.stdout).toContain('CertEnroll/pki.contoso.com_Contoso Issuing CA.crt');
    expect(init.stdout).toContain('CertEnroll/Contoso Issuing CA+.crl');
    expect(init.stdout).toContain('http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl');
    const enroll = join(dir, 'pki', 'CertEnroll');
    for (const f of [
      'pki.contoso.com_Contoso Root CA.crt',
      'pki.contoso.com_Contoso Issuing CA.crt',
      'Contoso Root CA.crl',
      'Contoso Issuing CA.crl',
      'Contoso Issuing CA+.crl',
    ])
      expect(existsSync(join(enroll, f)), f).toBe(true);
    const ica = parseCertificate(await readFile(join(enroll, 'pki.contoso.com_Contoso Issuing CA.crt')));
    expect(ica.subject.commonName).toBe('Contoso Issuing CA');
    expect(ica.issuer.commonName).toBe('Contoso Root CA');
    expect(ica.publicKey.type).toBe('ec');
    const config = JSON.parse(await readFile(join(dir, 'pki', 'ca.json'), 'utf8'));
    expect(config).toMatchObject({ name: 'Contoso Issuing CA', rootName: 'Contoso Root CA', keyType: 'ec' });
    // The database holds the CA keys: owner only.
    expect((await stat(join(dir, 'pki', 'db'))).mode & 0o077).toBe(0);
  });

  it('on an existing directory: exit 0 with the same names, 1 with others', async () => {
    const same = await cli(dir, 'ca', 'init', '--dir', 'pki', '--format', 'json');
    expect(same.code, same.stderr).toBe(0);
    const j = JSON.parse(same.stdout);
    expect(j.outcome).toBe('exists');
    expect(j.cas.map((c: { name: string }) => c.name)).toEqual(['Contoso Root CA', 'Contoso Issuing CA']);
    expect(same.stderr).toBe('');
    // Another key type is said, not silently kept.
    const rsa = await cli(dir, 'ca', 'init', '--dir', 'pki', '--key-type', 'rsa');
    expect(rsa.code, rsa.stderr).toBe(0);
    expect(rsa.stderr).toBe(
      'certlab: the existing CA keeps its EC keys; --key-type rsa applies to a new CA (another --dir).\n',
    );
    const other = await cli(dir, 'ca', 'init', '--dir', 'pki', '--name', 'Fabrikam Issuing CA');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('already holds the CA "Contoso Issuing CA" under "Contoso Root CA"');
    const standalone = await cli(dir, 'ca', 'init', '--dir', 'pki', '--standalone');
    expect(standalone.code).toBe(1);
  });

  it('--attribute-end-date sets EDITF_ATTRIBUTEENDDATE: ValidityPeriod attributes shorten the certificate; ca editflags clears and sets it; ca.json naming an unknown flag is exit 2', async () => {
    const made = await cli(
      dir,
      'ca',
      'init',
      '--dir',
      'end-date',
      '--key-type',
      'ec',
      '--attribute-end-date',
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('EditFlags: EDITF_ATTRIBUTEENDDATE');
    // init again with another flag: the CA is left as it is, and the way to change it named.
    const again = await cli(dir, 'ca', 'init', '--dir', 'end-date', '--key-type', 'ec', '--attribute-san');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('EditFlags: EDITF_ATTRIBUTEENDDATE\n');
    expect(again.stderr).toContain(
      'certlab ca editflags --dir end-date --add EDITF_ATTRIBUTESUBJECTALTNAME2',
    );
    // A Web Server request asking for three days: the certificate's length, notBefore being ten
    // minutes back (clock skew).
    const lifetime = async (out: string) => {
      const r = await cli(
        dir,
        ...['ca', 'submit', '--dir', 'end-date', 'web.req', '--template', 'WebServer', '--out', out],
        ...['--attrib', 'ValidityPeriod:Days', '--attrib', 'ValidityPeriodUnits:3'],
      );
      expect(r.code, r.stderr).toBe(0);
      const cert = parseCertificate(await readFile(join(dir, out), 'utf8'));
      return cert.notAfter.getTime() - cert.notBefore.getTime() - 10 * 60_000;
    };
    expect(await lifetime('short.cer')).toBe(3 * 86_400_000);
    // The request keeps the attributes it came with (the console's Request Attributes column).
    const listed0 = JSON.parse(
      (await cli(dir, 'ca', 'list', '--dir', 'end-date', '--format', 'json')).stdout,
    );
    expect(listed0.at(-1).attributes.split('\r\n').sort()).toEqual([
      '',
      'certificatetemplate:WebServer',
      'validityperiod:Days',
      'validityperiodunits:3',
    ]);
    // ca editflags: list, clear (the attributes are then ignored), set again by its short name.
    const flags = (...extra: string[]) => cli(dir, 'ca', 'editflags', '--dir', 'end-date', ...extra);
    const listed = await flags();
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('[x] EDITF_ATTRIBUTEENDDATE');
    expect(listed.stdout).toContain('[ ] EDITF_ATTRIBUTESUBJECTALTNAME2');
    const cleared = await flags('--remove', 'EDITF_ATTRIBUTEENDDATE', '--format', 'json');
    expect(JSON.parse(cleared.stdout)).toEqual({
      editFlags: [],
      changes: ['Cleared EDITF_ATTRIBUTEENDDATE'],
    });
    expect(await lifetime('full.cer')).toBe(730 * 86_400_000);
    const set = await flags('--add', 'attributeenddate', '--add', 'EDITF_ATTRIBUTESUBJECTALTNAME2');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^Set EDITF_ATTRIBUTESUBJECTALTNAME2\nSet EDITF_ATTRIBUTEENDDATE\n/);
    expect(JSON.parse((await flags('--format', 'json')).stdout).editFlags).toEqual([
      'EDITF_ATTRIBUTESUBJECTALTNAME2',
      'EDITF_ATTRIBUTEENDDATE',
    ]);
    for (const bad of [
      ['--add', 'EDITF_NOSUCHFLAG'],
      ['--add', 'ATTRIBUTEENDDATE', '--remove', 'attributeenddate'],
    ]) {
      const r = await flags(...bad);
      expect(r.code, bad.join(' ')).toBe(2);
    }
    expect((await cli(dir, 'ca', 'editflags', '--dir', 'no-ca-here')).stderr).toContain('there is no CA in');
    const file = await cli(dir, 'ca', 'editflags', '--dir', 'web.req');
    expect([file.code, file.stderr]).toEqual([
      2,
      expect.stringContaining('web.req is a file, not a CA directory'),
    ]);
    const config = join(dir, 'end-date', 'ca.json');
    const json = JSON.parse(await readFile(config, 'utf8'));
    await writeFile(
      config,
      JSON.stringify({ ...json, editFlags: ['EDITF_ATTRIBUTEENDDATE', 'EDITF_NOSUCHFLAG'] }),
    );
    const bad = await cli(dir, 'ca', 'list', '--dir', 'end-date');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('names an EditFlag certlab does not know: "EDITF_NOSUCHFLAG"');
    await writeFile(config, JSON.stringify({ ...json, editFlags: 'EDITF_ATTRIBUTEENDDATE' }));
    const notList = await flags();
    expect(notList.code).toBe(2);
    expect(notList.stderr).toContain('"editFlags" must be a list of EditFlag names');
  });

  it('with --db memory: creates a throwaway CA and writes nothing', async () => {
    const r = await cli(
      dir,
      'ca',
      'init',
      '--dir',
      'mem',
      '--db',
      'memory:',
      '--standalone',
      '--key-type',
      'ec',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created the CA in memory');
    expect(r.stdout).toContain('Standalone CA: CN=Contoso CA');
    expect(existsSync(join(dir, 'mem'))).toBe(false);
  });
});

describe('issue, retrieve, verify, revoke, CRL', () => {
  let id: number;
  let serial: string;

  it('refuses an --out in a folder that does not exist before the request reaches the CA', async () => {
    const before = (await cli(dir, 'ca', 'list', '--dir', 'pki', '--format', 'json')).stdout;
    const r = await submit('--template', 'WebServer', '--out', 'no-such-folder/web01.cer');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('certlab: cannot write no-such-folder/web01.cer: no such file or directory.\n');
    const crlNumber = async () =>
      JSON.parse(
        (await cli(dir, 'crl', 'show', 'pki/CertEnroll/Contoso Issuing CA.crl', '--format', 'json')).stdout,
      )[0].crlNumber;
    const number = await crlNumber();
    expect(number).toBeDefined();
    const crl = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--out', 'no-such-folder/ca.crl');
    expect(crl.code).toBe(1);
    expect(await crlNumber()).toBe(number);
    // Nothing was submitted or published.
    expect((await cli(dir, 'ca', 'list', '--dir', 'pki', '--format', 'json')).stdout).toBe(before);
  });

  it('submits a WebServer request: issued, written with --out', async () => {
    const r = await submit('--template', 'WebServer', '--out', 'web01.cer');
    expect(r.code, r.stderr).toBe(0);
    id = requestId(r);
    expect(r.stdout).toContain(`RequestId: "${id}"`);
    expect(r.stdout).toContain('Certificate retrieved(Issued) Issued');
    const text = await readFile(join(dir, 'web01.cer'), 'utf8');
    expect(text).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
    const cert = parseCertificate(text);
    expect(cert.subject.commonName).toBe('web01.contoso.com');
    expect(cert.issuer.commonName).toBe('Contoso Issuing CA');
    serial = cert.serialNumber;
  });

  it('retrieves the certificate as PEM with CRLF, DER, and a .p7b with the chain', async () => {
    const pem = await cli(dir, 'ca', 'retrieve', '--dir', 'pki', '--id', String(id), '--out', 'r.cer');
    expect(pem.code, pem.stderr).toBe(0);
    const text = await readFile(join(dir, 'r.cer'), 'utf8');
    expect(text).toBe(await readFile(join(dir, 'web01.cer'), 'utf8'));
    expect(
      text
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);

    const der = await cli(
      dir,
      'ca',
      'retrieve',
      '--dir',
      'pki',
      '--id',
      String(id),
      '--enc',
      'bin',
      '--out',
      'r.der',
    );
    expect(der.code, der.stderr).toBe(0);
    const bytes = await readFile(join(dir, 'r.der'));
    expect(bytes[0]).toBe(0x30);
    expect(parseCertificate(bytes).serialNumber).toBe(serial);

    const p7 = await cli(
      dir,
      'ca',
      'retrieve',
      '--dir',
      'pki',
      '--id',
      String(id),
      '--chain',
      '--out',
      'r.p7b',
    );
    expect(p7.code, p7.stderr).toBe(0);
    const p7text = await readFile(join(dir, 'r.p7b'), 'utf8');
    expect(p7text).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
    const subjects = parsePkcs7(p7text).certificates.map((c) => c.subject.commonName);
    expect(subjects).toEqual(['web01.contoso.com', 'Contoso Issuing CA', 'Contoso Root CA']);

    const again = await cli(dir, 'ca', 'retrieve', '--dir', 'pki', '--id', String(id), '--out', 'r.cer');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('r.cer already exists.');
  });

  it('passes openssl verify against the CA certificates from ca cert', async () => {
    expect((await cli(dir, 'ca', 'cert', '--dir', 'pki', '--root', '--out', 'root.cer')).code).toBe(0);
    expect((await cli(dir, 'ca', 'cert', '--dir', 'pki', '--out', 'issuing.cer')).code).toBe(0);
    const chain = await cli(
      dir,
      'ca',
      'cert',
      '--dir',
      'pki',
      '--chain',
      '--enc',
      'bin',
      '--out',
      'chain.p7b',
    );
    expect(chain.code, chain.stderr).toBe(0);
    const p7 = parsePkcs7(await readFile(join(dir, 'chain.p7b')));
    expect(p7.certificates.map((c) => c.subject.commonName)).toEqual([
      'Contoso Issuing CA',
      'Contoso Root CA',
    ]);
    const out = opensslAll(dir, 'verify', '-CAfile', 'root.cer', '-untrusted', 'issuing.cer', 'web01.cer');
    expect(out).toContain('web01.cer: OK');
  });

  it('revokes by serial; the published CRL lists it', async () => {
    const r = await cli(dir, 'ca', 'revoke', '--dir', 'pki', '--serial', serial, '--reason', 'keyCompromise');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Revoked request ${id}, serial number ${serial} -- Reason: Key Compromise`);
    const again = await cli(
      dir,
      'ca',
      'revoke',
      '--dir',
      'pki',
      '--id',
      String(id),
      '--reason',
      'superseded',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[ERR_CA_REVOCATION_STATE]');
    // RFC 5280's privilegeWithdrawn (9) and aACompromise (10): reasons AD CS does not take.
    for (const reason of ['aACompromise', '10', '9', '8', '7'])
      expect(
        (await cli(dir, 'ca', 'revoke', '--dir', 'pki', '--id', String(id), '--reason', reason)).stderr,
        reason,
      ).toMatch(/--reason must be one of unspecified, .*certificateHold \(or its number\)/);

    const crl = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--out', 'issuing.crl', '--enc', 'bin');
    expect(crl.code, crl.stderr).toBe(0);
    expect(crl.stdout).toMatch(/Published base CRL \d+ of CN=Contoso Issuing CA/);
    const parsed = parseCrl(await readFile(join(dir, 'issuing.crl')));
    expect(parsed.lookup(serial)?.reason).toBe('keyCompromise');
    const published = await readFile(join(dir, 'pki', 'CertEnroll', 'Contoso Issuing CA.crl'));
    expect(Buffer.from(published).equals(Buffer.from(parsed.der))).toBe(true);

    const show = await cli(dir, 'crl', 'show', 'issuing.crl', '--serial', serial, '--issuer', 'issuing.cer');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('REVOKED');
    expect(show.stdout).toContain('Key Compromise');
    const crlCheck = opensslAll(
      dir,
      'crl',
      '-inform',
      'DER',
      '-in',
      'issuing.crl',
      '-CAfile',
      'issuing.cer',
      '-noout',
    );
    expect(crlCheck).toContain('verify OK');
  });

  it('puts a certificate on hold and releases it; the delta CRL says removeFromCRL', async () => {
    const r = await submit('--template', 'WebServer');
    const held = requestId(r);
    const hold = await cli(dir, 'ca', 'revoke', '--dir', 'pki', '--id', String(held), '--reason', '6');
    expect(hold.code, hold.stderr).toBe(0);
    const heldSerial = /serial number ([0-9A-F]+)/.exec(hold.stdout)![1]!;
    expect((await cli(dir, 'ca', 'crl', '--dir', 'pki', '--out', 'base2.crl')).code).toBe(0);
    const un = await cli(dir, 'ca', 'unrevoke', '--dir', 'pki', '--serial', heldSerial);
    expect(un.code, un.stderr).toBe(0);
    expect(un.stdout).toContain('from hold');
    const delta = await cli(
      dir,
      'ca',
      'crl',
      '--dir',
      'pki',
      '--delta',
      '--out',
      'delta.crl',
      '--format',
      'json',
    );
    expect(delta.code, delta.stderr).toBe(0);
    expect(JSON.parse(delta.stdout)).toMatchObject({ delta: true, fileName: 'Contoso Issuing CA+.crl' });
    expect(parseCrl(await readFile(join(dir, 'delta.crl'), 'utf8')).lookup(heldSerial)?.reason).toBe(
      'removeFromCRL',
    );
    const show = await cli(dir, 'crl', 'show', 'delta.crl', '--serial', heldSerial);
    expect(show.code).toBe(1);
    // Without --out the CRL is published to CertEnroll only (what the CDP URLs read), as
    // certutil -CRL does; --enc without --out is a usage error.
    const bare = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--format', 'json');
    expect(bare.code, bare.stderr).toBe(0);
    const j = JSON.parse(bare.stdout) as {
      crlNumber: number;
      out: string | null;
      fileName: string;
      deltaPublished: { crlNumber: number; fileName: string } | null;
    };
    expect(j.out).toBeNull();
    const onDisk = parseCrl(await readFile(join(dir, 'pki', 'CertEnroll', j.fileName)));
    expect(onDisk.crlNumber).toBe(BigInt(j.crlNumber));
    // A base comes with a delta over it (certutil -CRL): the base's Freshest CRL finds a usable one.
    expect(j.deltaPublished?.fileName).toBe('Contoso Issuing CA+.crl');
    const deltaOnDisk = parseCrl(await readFile(join(dir, 'pki', 'CertEnroll', j.deltaPublished!.fileName)));
    expect(deltaOnDisk.deltaCrlIndicator).toBe(BigInt(j.crlNumber));
    expect(deltaOnDisk.crlNumber).toBe(BigInt(j.deltaPublished!.crlNumber));
    const text = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--root');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Published base CRL \d+ of CN=Contoso Root CA/);
    expect(text.stdout).not.toContain('Wrote');
    expect(text.stdout).not.toContain('Published delta CRL');
    const encOnly = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--enc', 'bin');
    expect(encOnly.code).toBe(2);
    expect(encOnly.stderr).toContain('give --out FILE too');
    const twice = await cli(dir, 'ca', 'unrevoke', '--dir', 'pki', '--id', String(held));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('[ERR_CA_REVOCATION_STATE]');
  });
});

describe('pending, approve, deny', () => {
  it('WebServer_Manual is pending until approved, then retrieved', async () => {
    const r = await submit('--attrib', 'CertificateTemplate:WebServer_Manual');
    expect(r.code, r.stderr).toBe(0);
    const id = requestId(r);
    expect(r.stdout).toContain('Certificate request is pending: Taken Under Submission (0)');

    const early = await cli(dir, 'ca', 'retrieve', '--dir', 'pki', '--id', String(id), '--out', 'manual.cer');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('Certificate request is pending');
    expect(early.stderr).toContain(`request ${id} has no certificate: it is pending.`);
    expect(existsSync(join(dir, 'manual.cer'))).toBe(false);

    const ok = await cli(dir, 'ca', 'approve', '--dir', 'pki', '--id', String(id));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Certificate retrieved(Issued) Resubmitted by CONTOSO\\Administrator');
    const got = await cli(dir, 'ca', 'retrieve', '--dir', 'pki', '--id', String(id), '--out', 'manual.cer');
    expect(got.code, got.stderr).toBe(0);
    expect(parseCertificate(await readFile(join(dir, 'manual.cer'), 'utf8')).subject.commonName).toBe(
      'web01.contoso.com',
    );
    const twice = await cli(dir, 'ca', 'approve', '--dir', 'pki', '--id', String(id));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('[ERR_CA_REQUEST_STATE]');
  });

  it('a CA officer denies a pending request', async () => {
    const id = requestId(await submit('--template', 'WebServer_Manual'));
    const r = await cli(dir, 'ca', 'deny', '--dir', 'pki', '--id', String(id), '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      requestId: id,
      disposition: 'denied',
      message: 'Denied by CONTOSO\\Administrator',
      hresult: '0x80094014',
    });
    const approve = await cli(dir, 'ca', 'approve', '--dir', 'pki', '--id', String(id));
    expect(approve.code).toBe(1);
    const missing = await cli(dir, 'ca', 'approve', '--dir', 'pki', '--id', '99999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[ERR_CA_REQUEST_NOT_FOUND]');
  });

  it('an unknown template is denied with AD CS message and HRESULT, exit 1', async () => {
    const r = await submit('--template', 'NoSuchTemplate', '--out', 'none.cer');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Certificate not issued (Denied) Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: NoSuchTemplate.',
    );
    expect(r.stdout).toContain('0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)');
    expect(existsSync(join(dir, 'none.cer'))).toBe(false);
    const j = await submit('--template', 'NoSuchTemplate', '--format', 'json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({
      disposition: 'denied',
      dispositionCode: 2,
      hresult: '0x80094800',
    });
  });
});

describe('ca list', () => {
  it('lists every request as a table, and filters by status', async () => {
    const all = await cli(dir, 'ca', 'list', '--dir', 'pki');
    expect(all.code, all.stderr).toBe(0);
    const [header, ...rows] = all.stdout.trimEnd().split('\n');
    expect(header).toMatch(
      /^Request ID +Requester Name +Disposition +Serial Number +Certificate Template +Expiration Date +Issued Common Name$/,
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const s of ['Issued', 'Revoked', 'Denied']) expect(all.stdout).toContain(s);

    const json = async (status: string) => {
      const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--status', status, '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { disposition: string; template: string | null; requestId: number }[];
    };
    const revoked = await json('revoked');
    expect(revoked.length).toBe(1);
    expect(revoked.every((x) => x.disposition === 'revoked')).toBe(true);
    const denied = await json('denied');
    expect(denied.map((x) => x.template)).toEqual(['WebServer_Manual', 'NoSuchTemplate', 'NoSuchTemplate']);
    const issued = await json('issued');
    expect(issued.every((x) => x.disposition === 'issued')).toBe(true);
    expect(issued.length).toBe(2);
    expect(await json('pending')).toEqual([]);

    const none = await cli(dir, 'ca', 'list', '--dir', 'pki', '--status', 'pending');
    expect(none.stdout).toBe('No pending requests.\n');
  });
});

describe('renewal requests', () => {
  it('submits a PKCS #7 renewal made by openssl cms -sign with the certificate it renews (PEM and DER)', async () => {
    const old = await submit('--template', 'WebServer', '--out', 'renew-old.cer', '--force');
    expect(old.code, old.stderr).toBe(0);
    const csr = await cli(
      dir,
      ...['csr', 'new', '--new-key', 'ec', '--key-out', 'renew-new.key', '--subject', 'CN=web01.contoso.com'],
      ...['--dns', 'web01.contoso.com', '--out', 'renew-new.req'],
    );
    expect(csr.code, csr.stderr).toBe(0);
    openssl(dir, 'req', '-in', 'renew-new.req', '-outform', 'DER', '-out', 'renew-new.der');
    for (const form of ['PEM', 'DER']) {
      const file = `renew.${form.toLowerCase()}.p7`;
      openssl(
        dir,
        ...['cms', '-sign', '-in', 'renew-new.der', '-binary', '-nodetach', '-signer', 'renew-old.cer'],
        ...['-inkey', 'web.key', '-outform', form, '-out', file],
      );
      const r = await cli(dir, 'ca', 'submit', '--dir', 'pki', file, '--template', 'WebServer');
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('Certificate retrieved(Issued) Issued');
    }
    // A flipped bit in the SignerInfo's signature: the CA core refuses it (NTE_BAD_SIGNATURE).
    const bad = new Uint8Array(await readFile(join(dir, 'renew.der.p7')));
    bad[bad.length - 5]! ^= 0x01;
    await writeFile(join(dir, 'renew.bad.p7'), bad);
    const denied = await cli(dir, 'ca', 'submit', '--dir', 'pki', 'renew.bad.p7', '--template', 'WebServer');
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('0x80090006');
  });
});

describe('ca renew', () => {
  it('renews with the same key (V1.0), then a new key (V2.2) that gets its own CRLs; ca crl publishes every key', async () => {
    const ca = (...a: string[]) => cli(dir, 'ca', ...a);
    expect((await ca('init', '--dir', 'renew-pki', '--key-type', 'ec')).code).toBe(0);
    const sub = (out: string) =>
      ca('submit', '--dir', 'renew-pki', 'web.req', '--template', 'WebServer', '--out', out, '--force');
    const before = await sub('renew-a.cer');
    expect(before.code, before.stderr).toBe(0);
    expect((await ca('cert', '--dir', 'renew-pki', '--out', 'renew-issuing0.cer', '--force')).code).toBe(0);
    const issuing0 = parseCertificate(await readFile(join(dir, 'renew-issuing0.cer')));

    const same = await ca('renew', '--dir', 'renew-pki', '--reuse-keys');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('with the same key');
    expect(same.stdout).toContain('CA Version:        V1.0 (certificate index 1, key index 0)');
    expect(same.stdout).toContain('CertEnroll/pki.contoso.com_Contoso Issuing CA(1).crt');
    expect(same.stdout).not.toContain('CRL:');
    expect(same.stdout).toContain(`Renews:            ${await issuing0.thumbprint()}`);

    const renewed = await ca('renew', '--dir', 'renew-pki', '--format', 'json');
    expect(renewed.code, renewed.stderr).toBe(0);
    const j = JSON.parse(renewed.stdout);
    expect(j).toMatchObject({
      newKey: true,
      certIndex: 2,
      keyIndex: 2,
      caVersion: 'V2.2',
      certificateFile: 'CertEnroll/pki.contoso.com_Contoso Issuing CA(2).crt',
      crlFile: 'CertEnroll/Contoso Issuing CA(2).crl',
      deltaCrlFile: 'CertEnroll/Contoso Issuing CA(2)+.crl',
    });
    const folder = join(dir, 'renew-pki', 'CertEnroll');
    const issuing2 = parseCertificate(
      await readFile(join(folder, 'pki.contoso.com_Contoso Issuing CA(2).crt')),
    );
    expect(await issuing2.thumbprint()).toBe(j.thumbprint);
    expect(issuing2.publicKey.equals(issuing0.publicKey)).toBe(false);
    expect(existsSync(join(folder, 'pki.contoso.com_Contoso Issuing CA(1).crt'))).toBe(true);
    expect(parseCrl(await readFile(join(folder, 'Contoso Issuing CA(2).crl'))).entryCount).toBe(0);

    // Issued from now on: signed by the new key, naming its CRL.
    expect((await sub('renew-b.cer')).code).toBe(0);
    const b = parseCertificate(await readFile(join(dir, 'renew-b.cer')));
    expect(await b.verifySignature(issuing2.publicKey)).toBe(true);
    expect(
      opensslAll(dir, 'x509', '-in', 'renew-b.cer', '-noout', '-ext', 'crlDistributionPoints'),
    ).toContain('Contoso%20Issuing%20CA(2).crl');
    expect((await ca('cert', '--dir', 'renew-pki', '--out', 'renew-issuing2.cer', '--force')).code).toBe(0);
    expect(await parseCertificate(await readFile(join(dir, 'renew-issuing2.cer'))).thumbprint()).toBe(
      j.thumbprint,
    );

    // The certificate issued before is revoked: ca crl publishes the old key's CRL too, where
    // the old certificate's CDP finds it, and openssl sees it revoked.
    const a = parseCertificate(await readFile(join(dir, 'renew-a.cer')));
    expect((await ca('revoke', '--dir', 'renew-pki', '--serial', a.serialNumber)).code).toBe(0);
    const crl = await ca('crl', '--dir', 'renew-pki', '--format', 'json');
    expect(crl.code, crl.stderr).toBe(0);
    const c = JSON.parse(crl.stdout);
    expect(c.fileName).toBe('Contoso Issuing CA(2).crl');
    expect(c.entries).toBe(0);
    expect(c.olderKeys).toHaveLength(1);
    expect(c.olderKeys[0]).toMatchObject({ keyIndex: 0, fileName: 'Contoso Issuing CA.crl', entries: 1 });
    const oldCrl = parseCrl(await readFile(join(folder, 'Contoso Issuing CA.crl')));
    expect(oldCrl.entryCount).toBe(1);
    expect(await oldCrl.verifySignature(issuing0.publicKey)).toBe(true);
    expect(
      (await ca('cert', '--dir', 'renew-pki', '--root', '--out', 'renew-root.cer', '--force')).code,
    ).toBe(0);
    // openssl verify exits 2 for a revoked certificate: read what it printed either way.
    const verify = (cert: string, issuing: string, crlFile: string) =>
      spawnSync(
        'openssl',
        [
          ...['verify', '-crl_check', '-CAfile', 'renew-root.cer', '-untrusted', issuing],
          ...['-CRLfile', join('renew-pki', 'CertEnroll', crlFile), cert],
        ],
        { cwd: dir, encoding: 'utf8' },
      );
    const revoked = verify('renew-a.cer', 'renew-issuing0.cer', 'Contoso Issuing CA.crl');
    expect(revoked.status).not.toBe(0);
    expect(revoked.stdout + revoked.stderr).toContain('certificate revoked');
    const ok = verify('renew-b.cer', 'renew-issuing2.cer', 'Contoso Issuing CA(2).crl');
    expect(ok.stdout + ok.stderr).toContain('renew-b.cer: OK');
    expect(ok.status).toBe(0);
    const text = await ca('crl', '--dir', 'renew-pki');
    expect(text.stdout).toMatch(
      /of the older CA key 0 \(1 entry\): CertEnroll\/Contoso Issuing CA\.crl, delta CRL \d+/,
    );
  });
});

describe('ca renew --root', () => {
  it('renews the root with a new key; ca crl --root publishes both root keys; after renewing the issuing CA, openssl verifies a new certificate to the new root', async () => {
    const ca = (...a: string[]) => cli(dir, 'ca', ...a);
    expect((await ca('init', '--dir', 'root-pki', '--key-type', 'ec')).code).toBe(0);
    expect((await ca('cert', '--dir', 'root-pki', '--root', '--out', 'root0.cer', '--force')).code).toBe(0);
    const r = await ca('renew', '--dir', 'root-pki', '--root', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      authority: 'root',
      newKey: true,
      caVersion: 'V1.1',
      name: 'Contoso Root CA',
      certificateFile: 'CertEnroll/pki.contoso.com_Contoso Root CA(1).crt',
      crlFile: 'CertEnroll/Contoso Root CA(1).crl',
      deltaCrlFile: null,
    });
    const text = await ca('renew', '--dir', 'root-pki', '--root', '--reuse-keys');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Renewed the root CA certificate with the same key');
    expect(text.stdout).toContain('V2.1');
    const crl = await ca('crl', '--dir', 'root-pki', '--root', '--format', 'json');
    expect(crl.code, crl.stderr).toBe(0);
    const c = JSON.parse(crl.stdout);
    expect(c.fileName).toBe('Contoso Root CA(1).crl');
    expect(c.olderKeys.map((o: { fileName: string }) => o.fileName)).toEqual(['Contoso Root CA.crl']);
    // The issuing CA still chains to the first root until it is renewed too.
    expect(
      (await ca('cert', '--dir', 'root-pki', '--chain', '--enc', 'bin', '--out', 'chain0.p7b', '--force'))
        .code,
    ).toBe(0);
    const chain0 = opensslAll(dir, 'pkcs7', '-inform', 'DER', '-in', 'chain0.p7b', '-print_certs', '-noout');
    expect(chain0).toContain('subject=CN = Contoso Root CA');
    expect((await ca('renew', '--dir', 'root-pki')).code).toBe(0);
    expect((await ca('cert', '--dir', 'root-pki', '--root', '--out', 'root2.cer', '--force')).code).toBe(0);
    expect((await ca('cert', '--dir', 'root-pki', '--out', 'issuing-new.cer', '--force')).code).toBe(0);
    const sub = await ca(
      'submit',
      '--dir',
      'root-pki',
      'web.req',
      '--template',
      'WebServer',
      '--out',
      'root-leaf.cer',
      '--force',
    );
    expect(sub.code, sub.stderr).toBe(0);
    const verify = (anchor: string) =>
      spawnSync('openssl', ['verify', '-CAfile', anchor, '-untrusted', 'issuing-new.cer', 'root-leaf.cer'], {
        cwd: dir,
        encoding: 'utf8',
      });
    const ok = verify('root2.cer');
    expect(ok.stdout + ok.stderr).toContain('root-leaf.cer: OK');
    const old = verify('root0.cer');
    expect(old.status).not.toBe(0); // the old root key did not sign the renewed issuing CA
    expect(
      opensslAll(dir, 'x509', '-in', 'issuing-new.cer', '-noout', '-ext', 'crlDistributionPoints'),
    ).toContain('Contoso%20Root%20CA(1).crl');
    const standalone = await ca('init', '--dir', 'solo-pki', '--standalone', '--key-type', 'ec');
    expect(standalone.code, standalone.stderr).toBe(0);
    const solo = await ca('renew', '--dir', 'solo-pki', '--root');
    expect(solo.code).toBe(2);
    expect(solo.stderr).toContain('no root CA to renew');
  });
});

describe('ca templates', () => {
  it('lists, shows, adds a duplicated v2 template with a new OID, removes one; submissions follow', async () => {
    const ca = (...a: string[]) => cli(dir, 'ca', ...a);
    expect((await ca('init', '--dir', 'tmpl-pki', '--key-type', 'ec')).code).toBe(0);
    const list = await ca('templates', '--dir', 'tmpl-pki');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(
      /^Name +Display Name +Schema +Subject +Extended Key Usage +Validity +Issuance +Enroll$/,
    );
    expect(list.stdout).toMatch(
      /^WebServer +Web Server +v1 +request +serverAuth +730 days +automatic +everyone$/m,
    );
    expect(list.stdout).toMatch(/^WebServer_Manual .* manager approval +everyone$/m);

    const shown = await ca('templates', '--dir', 'tmpl-pki', '--show', 'webserver');
    expect(shown.code, shown.stderr).toBe(0);
    const web = JSON.parse(shown.stdout);
    expect(web).toMatchObject({
      name: 'WebServer',
      schemaVersion: 1,
      ekus: ['serverAuth'],
      validityDays: 730,
    });
    // Duplicate Template: a v2 copy under another name, one year, no OID given.
    await writeFile(
      join(dir, 'corp-web.json'),
      JSON.stringify({
        ...web,
        name: 'CorpWebServer',
        displayName: 'Corp Web Server',
        schemaVersion: 2,
        validityDays: 365,
      }),
    );
    const changed = await ca(
      'templates',
      '--dir',
      'tmpl-pki',
      '--add',
      'corp-web.json',
      '--remove',
      'User',
      '--format',
      'json',
    );
    expect(changed.code, changed.stderr).toBe(0);
    const j = JSON.parse(changed.stdout);
    expect(j.templates.map((t: { name: string }) => t.name)).toEqual([
      'WebServer',
      'WebServer_Manual',
      'Machine',
      'SubCA',
      'CorpWebServer',
    ]);
    const corp = j.templates.at(-1);
    expect(corp.oid).toMatch(
      /^1\.3\.6\.1\.4\.1\.311\.21\.8\.7638725\.13898300\.1985460\.3383425\.7519116\.119\.\d+\.\d+$/,
    );
    expect(corp).toMatchObject({ builtIn: false });
    expect(corp.majorVersion).toBeUndefined();
    expect(j.changes).toEqual(['Removed User', `Added CorpWebServer (template OID ${corp.oid})`]);
    const config = JSON.parse(await readFile(join(dir, 'tmpl-pki', 'ca.json'), 'utf8'));
    expect(config.templates.slice(0, 4)).toEqual(['WebServer', 'WebServer_Manual', 'Machine', 'SubCA']);
    expect(config.templates[4].oid).toBe(corp.oid);

    // The CA issues from the new template (its OID in the template information extension, one
    // year), and denies the removed one as an unsupported template.
    const issued = await cli(
      dir,
      'ca',
      'submit',
      '--dir',
      'tmpl-pki',
      'web.req',
      '--template',
      'CorpWebServer',
      '--out',
      'corp.cer',
    );
    expect(issued.code, issued.stderr).toBe(0);
    const cert = parseCertificate(await readFile(join(dir, 'corp.cer')));
    const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(365);
    expect(days).toBeLessThan(366);
    const ext = cert.extensions.find((e) => e.oid === '1.3.6.1.4.1.311.21.7');
    expect(decodeMsCertificateTemplate(ext!.value)).toEqual({
      templateId: corp.oid,
      majorVersion: 100,
      minorVersion: 0,
    });
    const denied = await cli(dir, 'ca', 'submit', '--dir', 'tmpl-pki', 'web.req', '--template', 'User');
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('0x80094800');

    // Errors change nothing: an unknown name, a bad file, a template that does not parse.
    const before = await readFile(join(dir, 'tmpl-pki', 'ca.json'), 'utf8');
    const missing = await ca('templates', '--dir', 'tmpl-pki', '--remove', 'Nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'Published: WebServer, WebServer_Manual, Machine, SubCA, CorpWebServer.',
    );
    await writeFile(join(dir, 'bad-template.json'), JSON.stringify({ name: 'Bad', ekus: ['noSuchUsage'] }));
    const bad = await ca('templates', '--dir', 'tmpl-pki', '--add', 'bad-template.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'bad-template.json: template Bad: "noSuchUsage" is not a known EKU name or an OID.',
    );
    expect((await ca('templates', '--dir', 'tmpl-pki', '--add', 'Userr')).code).toBe(2);
    expect(await readFile(join(dir, 'tmpl-pki', 'ca.json'), 'utf8')).toBe(before);

    // A copy of a v2 template keeps the original's OID in the file: it gets its own, as
    // Duplicate Template gives one; a file naming one template twice is refused.
    const manual = JSON.parse(
      (await ca('templates', '--dir', 'tmpl-pki', '--show', 'WebServer_Manual')).stdout,
    );
    await writeFile(join(dir, 'manual-copy.json'), JSON.stringify({ ...manual, name: 'ManualCopy' }));
    const copied = await ca(
      'templates',
      '--dir',
      'tmpl-pki',
      '--add',
      'manual-copy.json',
      '--format',
      'json',
    );
    expect(copied.code, copied.stderr).toBe(0);
    const copy = JSON.parse(copied.stdout).templates.find((t: { name: string }) => t.name === 'ManualCopy');
    expect(copy.oid).not.toBe(manual.oid);
    expect(copy.oid.startsWith('1.3.6.1.4.1.311.21.8.7638725.13898300.1985460.3383425.7519116.119.')).toBe(
      true,
    );
    expect(JSON.parse(copied.stdout).changes[0]).toContain(
      'WebServer_Manual has the OID the file gave, so the copy got a new one',
    );
    await writeFile(join(dir, 'twice.json'), JSON.stringify([{ name: 'Dup' }, { name: 'dup' }]));
    const twice = await ca('templates', '--dir', 'tmpl-pki', '--add', 'twice.json');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is added twice');

    // WebServer_Manual removed and its renamed copy keeping the OID would be fine; adding the
    // built-in back next to a copy that has its OID is refused, and nothing is written.
    await writeFile(join(dir, 'same-oid.json'), JSON.stringify({ ...manual, name: 'SameOid' }));
    const path0 = join(dir, 'tmpl-pki', 'ca.json');
    const kept = JSON.parse(await readFile(path0, 'utf8'));
    await writeFile(
      path0,
      JSON.stringify({
        ...kept,
        templates: [
          ...kept.templates.filter((t: unknown) => t !== 'WebServer_Manual'),
          { ...manual, name: 'SameOid' },
        ],
      }),
    );
    const clash = await ca('templates', '--dir', 'tmpl-pki', '--add', 'WebServer_Manual');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('have the same OID');
    // A list that no longer opens (edited by hand) is reported, and can be repaired.
    await writeFile(
      path0,
      JSON.stringify({ ...kept, templates: [...kept.templates, { ...manual, name: 'SameOid' }] }),
    );
    const listed = await ca('templates', '--dir', 'tmpl-pki');
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('have the same OID');
    const repaired = await ca('templates', '--dir', 'tmpl-pki', '--remove', 'SameOid');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect((await ca('list', '--dir', 'tmpl-pki')).code).toBe(0);

    // A built-in template is published again by name.
    const back = await ca('templates', '--dir', 'tmpl-pki', '--add', 'user', '--add', 'DomainController');
    expect(back.stdout).toContain('Added User');
    expect(back.stdout).toContain('Added DomainController');
    expect(back.stdout).toMatch(
      /^DomainController +Domain Controller +v1 +directory \(dns\) +clientAuth, serverAuth +365 days/m,
    );
    expect(
      (await cli(dir, 'ca', 'submit', '--dir', 'tmpl-pki', 'web.req', '--template', 'User')).stdout,
    ).not.toContain('0x80094800');

    // A ca.json edited by hand with a name that is no built-in template: exit 2, naming the file.
    const path = join(dir, 'tmpl-pki', 'ca.json');
    const good = await readFile(path, 'utf8');
    await writeFile(path, JSON.stringify({ ...JSON.parse(good), templates: ['WebServer', 'Nope'] }));
    const broken = await cli(dir, 'ca', 'list', '--dir', 'tmpl-pki');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('names the template "Nope", which is not a built-in template');
    await writeFile(path, good);
  });
});

describe('ca submit --directory: templates that build the subject from Active Directory', () => {
  it('Machine takes the DNS name; DomainController the GUID too, shown as certutil names it', async () => {
    const denied = await submit('--template', 'Machine');
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('0x8009480f');
    const machine = await submit(
      ...['--template', 'Machine', '--requester', 'CONTOSO\\EXCH01$'],
      ...['--directory', 'dns=exch01.contoso.com', '--out', 'exch01.cer', '--force'],
    );
    expect(machine.code, machine.stderr).toBe(0);
    const cert = parseCertificate(await readFile(join(dir, 'exch01.cer')));
    expect(cert.subject.toString()).toBe('CN=exch01.contoso.com');
    expect(cert.subjectAltNames).toEqual([{ type: 'dns', value: 'exch01.contoso.com' }]);

    expect((await cli(dir, 'ca', 'templates', '--dir', 'pki', '--add', 'DomainController')).code).toBe(0);
    const guid = '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}';
    const dc = await submit(
      ...['--template', 'DomainController', '--directory', 'dns=dc01.contoso.com'],
      ...['--directory', `guid=${guid}`, '--directory', 'sid=S-1-5-21-1004336348-1177238915-682003330-1000'],
      ...['--out', 'dc01.cer', '--force'],
    );
    expect(dc.code, dc.stdout + dc.stderr).toBe(0);
    const shown = await cli(dir, 'cert', 'show', 'dc01.cer');
    expect(shown.stdout).toContain('Other Name: DS Object Guid=04104d3c1b2f6f5e7b4a8c9d0e1f2a3b4c5d');
    expect(shown.stdout).toContain('DNS Name=dc01.contoso.com');
    expect((await cli(dir, 'ca', 'templates', '--dir', 'pki', '--remove', 'DomainController')).code).toBe(0);

    for (const bad of [
      ['--directory', 'host=x'],
      ['--directory', 'guid=nope'],
      ['--directory', 'sid=S-1'],
      ['--directory', 'dns='],
    ]) {
      const r = await submit('--template', 'Machine', ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr, bad.join(' ')).toContain('--directory');
    }
  });
});

describe('template ACLs: Web Server for Domain Admins only, as AD CS sets it (reference §12)', () => {
  it('a requester in --group Domain Admins is issued; another is denied with 0x80094012', async () => {
    const shown = await cli(dir, 'ca', 'templates', '--dir', 'pki', '--show', 'WebServer');
    expect(shown.code, shown.stderr).toBe(0);
    const web = JSON.parse(shown.stdout) as Record<string, unknown>;
    await writeFile(
      join(dir, 'web-acl.json'),
      JSON.stringify({ ...web, enroll: ['CONTOSO\\Domain Admins', 'CONTOSO\\Enterprise Admins'] }),
    );
    expect((await cli(dir, 'ca', 'templates', '--dir', 'pki', '--add', 'web-acl.json')).code).toBe(0);
    try {
      const denied = await submit('--template', 'WebServer', '--requester', 'CONTOSO\\alice');
      expect(denied.code).toBe(1);
      expect(denied.stdout).toContain('0x80094012');
      const issued = await submit(
        ...['--template', 'WebServer', '--requester', 'CONTOSO\\exchadmin'],
        ...['--group', 'CONTOSO\\Domain Admins'],
      );
      expect(issued.code, issued.stdout + issued.stderr).toBe(0);
      expect(issued.stdout).toContain('Issued');
      // --requester names an account of DIR/users.json: its groups come with it.
      await writeFile(join(dir, 'ops.pw'), 'Ops!passw0rd\n');
      for (const [name, ...more] of [['ops', '--group', 'CONTOSO\\Domain Admins'], ['clerk']])
        expect(
          (await cli(dir, 'user', 'add', '--dir', 'pki', name!, '--password-file', 'ops.pw', ...more)).code,
        ).toBe(0);
      const fromFile = await submit('--template', 'WebServer', '--requester', 'ops', '--format', 'json');
      expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(0);
      expect(JSON.parse(fromFile.stdout).requester).toBe('CONTOSO\\ops');
      const clerk = await submit('--template', 'WebServer', '--requester', 'clerk');
      expect(clerk.code).toBe(1);
      expect(clerk.stdout).toContain('0x80094012');
      // ... and --group adds to them.
      const helped = await submit(
        ...['--template', 'WebServer', '--requester', 'clerk', '--group', 'Enterprise Admins'],
      );
      expect(helped.code, helped.stdout + helped.stderr).toBe(0);
    } finally {
      await rm(join(dir, 'pki', 'users.json'), { force: true });
      // Back to the built-in template (no ACL) for the other tests.
      expect((await cli(dir, 'ca', 'templates', '--dir', 'pki', '--add', 'WebServer')).code).toBe(0);
    }
  });
});

describe('usage errors exit with 2', () => {
  const cases: [string[], string][] = [
    [['ca', 'retrieve', '--dir', 'pki', '--out', 'x.cer'], '--id is required.'],
    [['ca', 'retrieve', '--dir', 'pki', '--id', 'abc', '--out', 'x.cer'], '--id must be a request id'],
    [['ca', 'retrieve', '--dir', 'pki', '--id', '1'], '--out is required.'],
    [
      ['ca', 'retrieve', '--dir', 'pki', '--id', '1', '--enc', 'hex', '--out', 'x'],
      '--enc must be one of b64, bin',
    ],
    [['ca', 'revoke', '--dir', 'pki'], '--id N or --serial HEX is required.'],
    [['ca', 'revoke', '--dir', 'pki', '--id', '1', '--serial', '01'], 'give --id or --serial, not both.'],
    [['ca', 'revoke', '--dir', 'pki', '--id', '1', '--reason', 'tired'], '--reason must be one of'],
    [['ca', 'revoke', '--dir', 'pki', '--serial', 'xyz'], '--serial must be hexadecimal'],
    [
      ['ca', 'list', '--dir', 'pki', '--status', 'failed'],
      '--status must be one of issued, pending, denied, revoked',
    ],
    [['ca', 'submit', '--dir', 'pki'], 'missing REQ argument.'],
    [['ca', 'submit', '--dir', 'pki', 'missing.req'], 'cannot read missing.req'],
    [['ca', 'submit', '--dir', 'pki', 'web.req', '--chain'], '--enc and --chain only apply with --out FILE.'],
    [['ca', 'submit', '--dir', 'nowhere', 'web.req'], 'there is no CA in'],
    [
      ['ca', 'submit', '--dir', 'pki', 'web.req', '--attrib', 'CertificateTemplate:WebServer\\nnocolon'],
      "--attrib 'nocolon' is not Name:Value (e.g. CertificateTemplate:WebServer).",
    ],
    [['ca', 'list', '--dir', 'pki', '--db', 'memory:'], 'a memory: database holds nothing between commands'],
    [['ca', 'list', '--dir', 'pki', '--db', 'mysql://x'], '--db must be pglite:PATH, memory: or postgres://'],
    [
      ['ca', 'init', '--dir', 'x', '--standalone', '--root-name', 'R'],
      '--root-name and --standalone exclude each other.',
    ],
    [['ca', 'init', '--dir', 'x', '--key-type', 'dsa'], '--key-type must be one of ec, rsa'],
    [['ca', 'init', '--dir', 'x', '--base-url', 'ftp://x'], '--base-url must be an http:// or https:// URL'],
    [
      ['ca', 'crl', '--dir', 'pki', '--delta', '--root', '--out', 'x.crl'],
      '--delta and --root exclude each other.',
    ],
    [['ca', 'frobnicate'], "unknown command 'ca frobnicate'"],
    [['ca'], "'certlab ca' needs a verb"],
  ];
  for (const [args, message] of cases)
    it(args.join(' '), async () => {
      const r = await cli(dir, ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/(^|\n)certlab: /);
      expect(r.stderr).toContain(message);
    });
  it('an unreachable PostgreSQL server is exit 1 [ERR_CA_STORE], and nothing is written', async () => {
    const r = await cli(dir, 'ca', 'init', '--dir', 'pg', '--db', 'postgres://ca@127.0.0.1:1/certlab');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^certlab: Could not connect to the PostgreSQL database: .*\[ERR_CA_STORE\]\n$/);
  });
  it('writes nothing for a usage error', () => {
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(existsSync(join(dir, 'pg'))).toBe(false);
  });
});

describe('a ca command never makes a new CA: only ca init (and serve in an empty directory) does', () => {
  it('a lost DIR/db, a --db typo, an empty folder: exit 2 naming the database, nothing created or issued', async () => {
    // ca.json without its database, as after `rm -r pki/db`.
    await mkdir(join(dir, 'lost'));
    await copyFile(join(dir, 'pki', 'ca.json'), join(dir, 'lost', 'ca.json'));
    const lostDb = `There is no CA database in ${join(dir, 'lost', 'db')} (${join(dir, 'lost', 'ca.json')} names it)`;
    for (const args of [
      ['ca', 'list', '--dir', 'lost'],
      ['ca', 'cert', '--dir', 'lost', '--out', 'lost.cer'],
      ['ca', 'submit', '--dir', 'lost', 'web.req', '--template', 'WebServer', '--out', 'lost.cer'],
      ['ca', 'init', '--dir', 'lost'],
    ]) {
      const r = await cli(dir, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(
        `certlab: ${lostDb}: restore the database, or give it with --db; to start a new CA instead, remove ${join(dir, 'lost', 'ca.json')} and run 'certlab ca init'.\n`,
      );
    }
    expect(existsSync(join(dir, 'lost', 'db'))).toBe(false);
    expect(existsSync(join(dir, 'lost.cer'))).toBe(false);

    const typo = await submit('--template', 'WebServer', '--db', 'pglite:typo', '--out', 'typo.cer');
    expect(typo.code, typo.stderr).toBe(2);
    expect(typo.stderr).toBe(
      `certlab: There is no CA database in ${join(dir, 'typo')} (--db names it): check the --db URL; only 'certlab ca init' creates a CA database.\n`,
    );
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(existsSync(join(dir, 'typo.cer'))).toBe(false);

    await mkdir(join(dir, 'empty-folder'));
    const empty = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', 'pglite:empty-folder');
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toContain(
      `certlab: ${join(dir, 'empty-folder')} holds no certlab CA database (--db names it)`,
    );
    expect(await readdir(join(dir, 'empty-folder'))).toEqual([]);
  });

  it('a database that holds no CA (tables, no CA) stays without one: exit 2 every time', async () => {
    const store = await openPgliteStore({ dataDir: join(dir, 'no-ca-db') });
    await store.close();
    for (let i = 0; i < 2; i++) {
      const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', 'pglite:no-ca-db');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(
        `certlab: The database in ${join(dir, 'no-ca-db')} holds no certlab CA (--db names it): check the --db URL; only 'certlab ca init' creates a CA database.\n`,
      );
    }
  });

  it('a PostgreSQL URL pg cannot read is exit 2 (--db or ca.json), never printing its password', async () => {
    const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', 'postgres://u:S3cretPw@host:notaport/db');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'certlab: --db is not a PostgreSQL URL certlab can use: write it as postgres://USER:PASSWORD@HOST:PORT/DB, with the port a number and %-encoding for special characters.',
    );
    expect(r.stderr).not.toContain('S3cretPw');
    await mkdir(join(dir, 'bad-url'));
    const config = JSON.parse(await readFile(join(dir, 'pki', 'ca.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      join(dir, 'bad-url', 'ca.json'),
      JSON.stringify({ ...config, db: 'postgresql://u:S3cretPw@h:x/db' }),
    );
    const recorded = await cli(dir, 'ca', 'list', '--dir', 'bad-url');
    expect(recorded.code, recorded.stderr).toBe(2);
    expect(recorded.stderr).toContain(
      `certlab: the "db" of ${join(dir, 'bad-url', 'ca.json')} is not a PostgreSQL URL certlab can use`,
    );
    expect(recorded.stderr).not.toContain('S3cretPw');
  });

  it("another program's PGlite database: exit 2, and it gets no certlab tables", async () => {
    const other = join(dir, 'other-app-db');
    await foreignPgliteDatabase(other);
    const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', 'pglite:other-app-db');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `certlab: The database in ${other} holds no certlab CA (--db names it): check the --db URL; only 'certlab ca init' creates a CA database.\n`,
    );
    expect(await pgliteRelations(other)).toEqual(['app_users', 'app_users_pkey']);
    expect(await readdir(other)).not.toContain('certlab.lock');
  });

  describe.skipIf(!HAVE_POSTGRES)('a PostgreSQL database without certlab tables', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres({ hba: ['host all scram 127.0.0.1/32 scram-sha-256'] });
      await server.sql("CREATE ROLE scram LOGIN PASSWORD 'S3cret-pw'");
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('a URL the server refuses (no such database, wrong or missing password) is exit 2, as docs/cli.md says', async () => {
      const base = `127.0.0.1:${server.port}`;
      const cases: [string, RegExp][] = [
        [`postgres://postgres@${base}/no_such_db`, /database "no_such_db" does not exist/],
        [`postgres://scram:wrong@${base}/postgres`, /password authentication failed for user "scram"/],
        [`postgres://scram@${base}/postgres`, /asks for a password and none was given: put it in the URL/],
      ];
      for (const [url, message] of cases) {
        const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', url);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/\[ERR_CA_STORE\]\n$/);
        expect(r.stderr).not.toContain('wrong@');
      }
    });

    it('--db naming it: exit 2, and the database is left without tables; ca init still creates the CA there', async () => {
      const url = await server.createDatabase('cli_empty');
      for (const args of [
        ['ca', 'list', '--dir', 'pki', '--db', url],
        [
          'ca',
          'submit',
          '--dir',
          'pki',
          'web.req',
          '--template',
          'WebServer',
          '--db',
          url,
          '--out',
          'pg.cer',
        ],
      ]) {
        const r = await cli(dir, ...args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toBe(
          `certlab: The PostgreSQL database at ${url} holds no certlab CA (--db names it): check the --db URL; only 'certlab ca init' creates a CA database.\n`,
        );
      }
      expect(await postgresRelations(url)).toEqual([]);
      expect(existsSync(join(dir, 'pg.cer'))).toBe(false);

      const init = await cli(dir, 'ca', 'init', '--dir', 'pg-pki', '--key-type', 'ec', '--db', url);
      expect(init.code, init.stderr).toBe(0);
      const list = await cli(dir, 'ca', 'list', '--dir', 'pg-pki');
      expect(list.code, list.stderr).toBe(0);
      expect(await postgresRelations(url)).toContain('ca_requests');
      // The same database given to init in another folder: its CA is named there, not created
      // (it said "Created the CA", outcome created, with the existing CA's thumbprints).
      expect(init.stdout).toMatch(/^Created the CA in /);
      const again = await cli(dir, 'ca', 'init', '--dir', 'pg-pki2', '--key-type', 'ec', '--db', url);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /^The database already holds this CA: nothing was created; .*pg-pki2 now names it/,
      );
      const json = await cli(
        dir,
        'ca',
        'init',
        '--dir',
        'pg-pki3',
        '--key-type',
        'ec',
        '--db',
        url,
        '--format',
        'json',
      );
      expect((JSON.parse(json.stdout) as { outcome: string }).outcome).toBe('exists');
      expect((await cli(dir, 'ca', 'list', '--dir', 'pg-pki2')).code).toBe(0);
    });

    it('ca.json naming it: exit 2 naming ca.json, and the database is left without tables', async () => {
      const url = await server.createDatabase('cli_recorded');
      await mkdir(join(dir, 'pg-recorded'));
      const config = JSON.parse(await readFile(join(dir, 'pki', 'ca.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const file = join(dir, 'pg-recorded', 'ca.json');
      await writeFile(file, JSON.stringify({ ...config, db: url }));
      const r = await cli(dir, 'ca', 'list', '--dir', 'pg-recorded');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(
        `certlab: The PostgreSQL database at ${url} holds no certlab CA (${file} names it): restore the database, or give it with --db; to start a new CA instead, remove ${file} and run 'certlab ca init'.\n`,
      );
      expect(await postgresRelations(url)).toEqual([]);
    });
  });
});

// The PGlite directory holds the CA private keys (rows, and the WAL in pg_wal) in files PGlite
// makes readable by everyone: the directory must keep other users out, even one that existed.
describe.skipIf(process.platform === 'win32')('the PGlite CA database is private to its owner', () => {
  it('ca init --db pglite:<an existing 0755 directory> makes it 0700; another user cannot read the WAL', async () => {
    // A directory other users can traverse (temp directories are made 0700), as a shared folder.
    const top = await tempDir();
    await chmod(top, 0o755);
    await mkdir(join(top, 'shared', 'cadb'), { recursive: true });
    await chmod(join(top, 'shared'), 0o755);
    await chmod(join(top, 'shared', 'cadb'), 0o755);
    const r = await cli(top, 'ca', 'init', '--dir', 'ca2', '--key-type', 'ec', '--db', 'pglite:shared/cadb');
    expect(r.code, r.stderr).toBe(0);
    expect(((await stat(join(top, 'shared', 'cadb'))).mode & 0o777).toString(8)).toBe('700');
    const wal = join(top, 'shared', 'cadb', 'pg_wal', '000000010000000000000001');
    expect(existsSync(wal)).toBe(true);
    // As the audit read it: another account on the machine (only possible to run as root).
    if (process.getuid?.() === 0 && existsSync('/usr/sbin/runuser')) {
      const other = spawnSync('runuser', ['-u', 'nobody', '--', 'cat', wal], { encoding: 'latin1' });
      expect(other.status, 'nobody read the WAL').not.toBe(0);
      expect(other.stderr).toContain('Permission denied');
    }
    // Every open tightens it again, not only ca init.
    await chmod(join(top, 'shared', 'cadb'), 0o755);
    const list = await cli(top, 'ca', 'list', '--dir', 'ca2');
    expect(list.code, list.stderr).toBe(0);
    expect(((await stat(join(top, 'shared', 'cadb'))).mode & 0o777).toString(8)).toBe('700');
  });
});

describe('a PostgreSQL password is never printed', () => {
  const context = (): CommandContext =>
    ({ io: { cwd: dir, env: {} }, secrets: new Set<string>() }) as unknown as CommandContext;
  // Passwords with an unencoded @ (pg splits the user information at the LAST @) and :, and with
  // %-encoded @ and /; each with the parts a wrong split would leave.
  const passwords: { written: string; pieces: string[] }[] = [
    { written: 'DbPW@Tail_77', pieces: ['DbPW', 'Tail_77'] },
    { written: 'Co:lon@Mid@End_88', pieces: ['Co:lon', 'lon@Mid', 'Mid@End', 'End_88'] },
    { written: 'Pct%40Enc_66', pieces: ['Pct@Enc_66', 'Pct%40Enc_66', 'Enc_66'] },
    { written: 'Sl%2Fash_99%3A', pieces: ['Sl/ash_99:', 'Sl%2Fash_99', 'ash_99'] },
  ];
  const leaks = (text: string, pieces: readonly string[]) => pieces.filter((p) => text.includes(p));

  it('describeDb keeps the user name and drops the password, ?password= and sslpassword', () => {
    for (const { written, pieces } of passwords) {
      const url = `postgres://certlab:${written}@db1.contoso.com:5432/ca`;
      expect(describeDb({ kind: 'postgres', url })).toBe(
        'PostgreSQL at postgres://certlab@db1.contoso.com:5432/ca',
      );
      expect(leaks(describeDb({ kind: 'postgres', url }), pieces)).toEqual([]);
    }
    expect(
      describeDb({
        kind: 'postgres',
        url: 'postgresql://certlab@[::1]:5432/ca?sslmode=verify-full&password=Query_PW_55&sslpassword=Key_PW_44',
      }),
    ).toBe('PostgreSQL at postgresql://certlab@[::1]:5432/ca?sslmode=verify-full');
    expect(describeDb({ kind: 'postgres', url: 'postgres://ca:DbPW@Tail_77@/ca' })).toBe(
      'PostgreSQL at postgres://ca@/ca',
    );
  });

  it('registers for masking the whole password as pg reads it, and the ?password= one', () => {
    for (const { written } of passwords) {
      const ctx = context();
      parseDbUrl(ctx, `postgres://certlab:${written}@127.0.0.1:5432/ca`, 'ca init');
      // What pg sends: the whole user information after the first colon, %-decoded.
      expect(ctx.secrets).toContain(decodeURIComponent(written));
    }
    const ctx = context();
    parseDbUrl(ctx, 'postgres://certlab@127.0.0.1:5432/ca?password=Query_PW_55', 'ca init');
    expect(ctx.secrets).toContain('Query_PW_55');
  });

  it('a password with an unencoded / (read by pg as a host, port and database) is refused, not printed', async () => {
    // pg reads host "certlab", port 12, database "ss_99@127.0.0.1:5432/ca".
    for (const url of [
      'postgres://certlab:12/ss_99@127.0.0.1:5432/ca',
      'postgres://certlab:12?ss_99@127.0.0.1/ca',
    ]) {
      const r = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', url);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--db is not a PostgreSQL URL certlab can use');
      expect(leaks(r.stdout + r.stderr, ['ss_99', '12/ss', '12?ss'])).toEqual([]);
    }
  });

  it('a mistyped scheme or a key=value string is not echoed with its password', async () => {
    const typo = await cli(
      dir,
      'ca',
      'init',
      '--dir',
      'db1',
      '--db',
      'postgress://certlab:DbPW_typo1@localhost:5432/ca',
    );
    expect(typo.code, typo.stderr).toBe(2);
    expect(typo.stderr).toContain(
      "certlab: --db must be pglite:PATH, memory: or postgres://…, not 'postgress://…'.",
    );
    for (const [db, secret] of [
      ['postgress://certlab:DbPW@Tail_77@localhost:5432/ca', 'Tail_77'],
      ['pgsql://certlab:Pa/ss_77@localhost/ca', 'ss_77'],
      ['postgres:certlab:Colon_PW_33@localhost/ca', 'Colon_PW_33'],
      ['host=localhost user=certlab password=Kv_PW_22 dbname=ca', 'Kv_PW_22'],
    ] as const) {
      const r = await cli(dir, 'ca', 'init', '--dir', 'db1', '--db', db, '--format', 'json');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('certlab: --db must be pglite:PATH, memory: or postgres://…, not ');
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(existsSync(join(dir, 'db1'))).toBe(false);
  });

  it('an unreachable server: the error names no password', async () => {
    for (const { written, pieces } of passwords) {
      const r = await cli(
        dir,
        'ca',
        'init',
        '--dir',
        'pg-gone',
        '--db',
        `postgres://certlab:${written}@127.0.0.1:1/ca`,
      );
      expect(r.code, r.stderr).toBe(1);
      expect(leaks(r.stdout + r.stderr, pieces)).toEqual([]);
    }
  });

  describe.skipIf(!HAVE_POSTGRES)(
    'on a PostgreSQL server (trust authentication: any password connects)',
    () => {
      let server: PostgresServer;
      beforeAll(async () => {
        server = await startPostgres();
      });
      afterAll(async () => {
        await server?.stop();
      });

      it('ca init --format json, text, ca list and the no-CA error show postgres://USER@HOST:PORT/DB only', async () => {
        let n = 0;
        for (const { written, pieces } of passwords) {
          n++;
          const plain = await server.createDatabase(`cli_pw_${n}`);
          const withPassword = plain.replace('//postgres@', `//postgres:${written}@`);
          const shown = `PostgreSQL at ${plain}`;
          const init = await cli(
            dir,
            'ca',
            'init',
            '--dir',
            `pg-pw-${n}`,
            '--key-type',
            'ec',
            '--db',
            withPassword,
            '--format',
            'json',
          );
          expect(init.code, init.stderr).toBe(0);
          expect((JSON.parse(init.stdout) as { database: string }).database).toBe(shown);
          expect(leaks(init.stdout + init.stderr, pieces)).toEqual([]);
          const again = await cli(dir, 'ca', 'init', '--dir', `pg-pw-${n}`, '--key-type', 'ec');
          expect(again.code, again.stderr).toBe(0);
          expect(again.stdout).toContain(`  Database:  ${shown}\n`);
          expect(leaks(again.stdout + again.stderr, pieces)).toEqual([]);
          const list = await cli(dir, 'ca', 'list', '--dir', `pg-pw-${n}`, '--format', 'json');
          expect(list.code, list.stderr).toBe(0);
          expect(leaks(list.stdout + list.stderr, pieces)).toEqual([]);

          const empty = (await server.createDatabase(`cli_pw_empty_${n}`)).replace(
            '//postgres@',
            `//postgres:${written}@`,
          );
          const none = await cli(dir, 'ca', 'list', '--dir', 'pki', '--db', empty);
          expect(none.code, none.stderr).toBe(2);
          expect(none.stderr).toContain(
            `certlab: The PostgreSQL database at ${empty.replace(`:${written}@`, '@')} holds no certlab CA (--db names it)`,
          );
          expect(leaks(none.stdout + none.stderr, pieces)).toEqual([]);
        }
      });
    },
  );
});

describe('help', () => {
  it('lists the ca verbs and documents each command', async () => {
    const noun = await cli(dir, 'ca', '--help');
    expect(noun.code).toBe(0);
    for (const v of [
      'init',
      'submit',
      'retrieve',
      'approve',
      'deny',
      'revoke',
      'unrevoke',
      'crl',
      'renew',
      'list',
      'cert',
      'templates',
    ])
      expect(noun.stdout).toMatch(new RegExp(`^ {2}${v} `, 'm'));
    const submitHelp = await cli(dir, 'help', 'ca', 'submit');
    expect(submitHelp.code).toBe(0);
    for (const o of ['--dir', '--template', '--attrib', '--out', '--enc', '--db', '--format'])
      expect(submitHelp.stdout).toContain(o);
    const main = await cli(dir, '--help');
    expect(main.stdout).toContain('ca submit');
  });
});
