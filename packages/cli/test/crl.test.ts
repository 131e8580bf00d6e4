// `certlab crl show`: the certutil-style dump, JSON, serial look-up, and OpenSSL both ways.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertsOnlyPkcs7, createCrl } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openssl, removeTempDirs, tempDir } from './helpers.js';
import { makePki, type Pki, T0 } from './pki-fixtures.js';

let dir: string;
let pki: Pki;

beforeAll(async () => {
  dir = await tempDir();
  pki = await makePki(dir);
  const delta = await createCrl({
    issuer: pki.ica,
    signingKey: pki.icaK.privateKey,
    thisUpdate: new Date(Date.UTC(2025, 0, 2)),
    nextUpdate: new Date(Date.UTC(2025, 0, 3)),
    crlNumber: 8,
    deltaCrlIndicator: 7,
    entries: [
      { serialNumber: '0BAD', revocationDate: T0, reason: 'certificateHold' },
      { serialNumber: '1A2B3C', revocationDate: T0, reason: 'removeFromCRL' },
    ],
  });
  await writeFile(join(dir, 'delta.crl'), delta.der);
  await writeFile(join(dir, 'both.pem'), pki.crl.toPem() + delta.toPem());
  await writeFile(join(dir, 'crl.p7b'), createCertsOnlyPkcs7([pki.ica], { crls: [pki.crl] }));
  await writeFile(join(dir, 'ica-crl.pem'), pki.crl.toPem());
  // An OpenSSL CA's CRL: `openssl ca -gencrl` over an index with two revoked certificates.
  await writeFile(join(dir, 'root.key'), await pki.rootK.privateKey.toPem());
  await writeFile(
    join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = CA_default',
      '[ CA_default ]',
      'database = index.txt',
      'crlnumber = crlnumber',
      'default_md = sha256',
      'default_crl_days = 30',
      'crl_extensions = crl_ext',
      '[ crl_ext ]',
      'authorityKeyIdentifier = keyid:always',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'index.txt'),
    'R\t301231000000Z\t250101000000Z,keyCompromise\t0A0B0C\tunknown\t/CN=one\n' +
      'R\t301231000000Z\t250201120000Z\t0FEE\tunknown\t/CN=two\n',
  );
  await writeFile(join(dir, 'crlnumber'), '2A\n');
  openssl(
    dir,
    'ca',
    '-gencrl',
    '-config',
    'ca.cnf',
    '-keyfile',
    'root.key',
    '-cert',
    'root.pem',
    '-out',
    'openssl.crl',
  );
});
afterAll(removeTempDirs);

describe('crl show', () => {
  it('dumps a CRL like certutil: header, entries with reasons, decoded extensions, hashes', async () => {
    const r = await cli(dir, 'crl', 'show', 'ica.crl');
    expect(r.code, r.stderr).toBe(0);
    const head = [
      'X509 Certificate Revocation List:',
      'Version: 2',
      'Signature Algorithm:',
      '    Algorithm ObjectId: 1.2.840.10045.4.3.2 sha256ECDSA',
      'Issuer:',
      '    CN=Fixture Issuing CA, O=certlab, C=FR',
      '',
      ' ThisUpdate: 2025-01-01T00:00:00Z',
      ' NextUpdate: 2025-01-08T00:00:00Z',
      'CRL Number: 7',
      'Delta CRL: No',
      '',
      'CRL Entries: 2',
      '  Serial Number: 1A2B3C',
      '  Revocation Date: 2025-01-01T00:00:00Z',
      '  Extensions: 1',
      '    2.5.29.21: Flags = 0, Length = 3',
      '    CRL Reason Code',
      '        Key Compromise',
      '',
      `  Serial Number: ${pki.leaf.serialNumber}`,
    ].join('\n');
    expect(r.stdout.startsWith(head)).toBe(true);
    expect(r.stdout).toContain('    Invalidity Date\n        2024-12-31T00:00:00Z\n');
    expect(r.stdout).toContain('        Superseded\n');
    expect(r.stdout).toContain(
      'CRL Extensions: 3\n    2.5.29.35: Flags = 0, Length = 24\n    Authority Key Identifier\n',
    );
    expect(r.stdout).toContain(
      `        KeyID=${Buffer.from(pki.ica.subjectKeyIdentifier!).toString('hex')}\n`,
    );
    expect(r.stdout).toContain('    CRL Number\n        CRL Number=7\n');
    expect(r.stdout).toContain(
      [
        '    2.5.29.28: Flags = 1(Critical), Length = 41',
        '    Issuing Distribution Point',
        '        Distribution Point Name:',
        '             Full Name:',
        '                  URL=http://pki.contoso.com/ica.crl',
        '        Only Contains User Certs=Yes',
        '        Only Contains CA Certs=No',
        '        Indirect CRL=No',
        '        Only Contains Attribute Certs=No',
      ].join('\n'),
    );
    expect(r.stdout).toContain('Signature not checked: the issuer is not known (give --issuer FILE)\n');
    const sha1 = openssl(dir, 'crl', '-inform', 'DER', '-in', 'ica.crl', '-noout', '-fingerprint', '-sha1');
    expect(r.stdout).toContain(`CRL Hash(sha1): ${sha1.split('=')[1]!.trim().replace(/:/g, '')}\n`);
  });

  it('prints JSON with the CRL number, delta indicator, AKI, IDP and entries', async () => {
    const r = await cli(dir, 'crl', 'show', 'delta.crl', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const [j] = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      version: 2,
      issuer: 'CN=Fixture Issuing CA, O=certlab, C=FR',
      thisUpdate: '2025-01-02T00:00:00Z',
      nextUpdate: '2025-01-03T00:00:00Z',
      crlNumber: '8',
      isDelta: true,
      baseCrlNumber: '7',
      authorityKeyIdentifier: { keyIdentifier: Buffer.from(pki.ica.subjectKeyIdentifier!).toString('hex') },
      issuingDistributionPoint: null,
      entryCount: 2,
      signature: { valid: null },
    });
    expect(j.entries[0]).toMatchObject({
      serialNumber: '0BAD',
      reason: 'certificateHold',
      invalidityDate: null,
    });
    expect(j.extensions.find((e: { oid: string }) => e.oid === '2.5.29.27')).toMatchObject({
      name: 'Delta CRL Indicator',
      critical: true,
      value: '7',
    });
    const text = (await cli(dir, 'crl', 'show', 'delta.crl')).stdout;
    expect(text).toContain('Delta CRL: Yes (base CRL number 7)');
    expect(text).toContain('    Delta CRL Indicator\n        Minimum Base CRL Number=7\n');
  });

  it('checks the signature with --issuer', async () => {
    const ok = await cli(dir, 'crl', 'show', 'ica.crl', '--issuer', 'ica.cer');
    expect(ok.stdout).toContain('Signature matches the issuer public key');
    const bad = await cli(dir, 'crl', 'show', 'ica.crl', '--issuer', 'root.pem', '--format', 'json');
    expect(JSON.parse(bad.stdout)[0].signature).toEqual({
      valid: false,
      detail: 'does NOT match the issuer public key',
    });
  });

  it('shows every CRL of a PEM file, and the CRLs of a .p7b', async () => {
    const r = await cli(dir, 'crl', 'show', 'both.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('================ CRL 0 ================');
    expect(r.stdout).toContain('================ CRL 1 ================');
    expect(JSON.parse((await cli(dir, 'crl', 'show', 'both.pem', '--format', 'json')).stdout)).toHaveLength(
      2,
    );
    const p7 = await cli(dir, 'crl', 'show', 'crl.p7b');
    expect(p7.code, p7.stderr).toBe(0);
    expect(p7.stdout).toContain('CRL Number: 7');
  });

  it('--serial: exit 0 when revoked, 1 when not in the CRL or only removeFromCRL', async () => {
    const hit = await cli(dir, 'crl', 'show', 'ica.crl', '--serial', '1a:2b:3c');
    expect(hit.code, hit.stderr).toBe(0);
    expect(hit.stdout).toMatch(/^Serial Number 1A2B3C: REVOKED on 2025-01-01T00:00:00Z \(Key Compromise\)\n/);
    const leaf = await cli(
      dir,
      'crl',
      'show',
      'ica.crl',
      '--serial',
      pki.leaf.serialNumber,
      '--format',
      'json',
    );
    expect(leaf.code).toBe(0);
    expect(JSON.parse(leaf.stdout)).toMatchObject({
      revoked: true,
      entry: { reason: 'superseded', invalidityDate: '2024-12-31T00:00:00Z' },
      crl: { crlNumber: '7' },
    });
    const miss = await cli(dir, 'crl', 'show', 'ica.crl', '--serial', '0001');
    expect(miss.code).toBe(1);
    expect(miss.stdout).toMatch(/^Serial Number 0001: not in the CRL\n/);
    const missJson = await cli(dir, 'crl', 'show', 'ica.crl', '--serial', '99', '--format', 'json');
    expect(missJson.code).toBe(1);
    expect(JSON.parse(missJson.stdout)).toMatchObject({ revoked: false, entry: null });
    const removed = await cli(dir, 'crl', 'show', 'delta.crl', '--serial', '1A2B3C');
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain('listed as Remove From CRL: no longer revoked');
    const bad = await cli(dir, 'crl', 'show', 'ica.crl', '--serial', 'xyz');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[ERR_PKI_SERIAL_INVALID]');
  });
});

describe('crl show and OpenSSL', () => {
  it('openssl crl -text agrees with our dump of our CRL', async () => {
    const text = openssl(dir, 'crl', '-in', 'ica-crl.pem', '-noout', '-text');
    expect(text).toContain('X509v3 CRL Number: \n                7');
    expect(text).toContain('Serial Number: 1A2B3C');
    expect(text).toContain('Key Compromise');
    expect(text).toContain('Invalidity Date: \n                Dec 31 00:00:00 2024 GMT');
    expect(text).toContain('URI:http://pki.contoso.com/ica.crl');
    expect(text).toContain('Only User Certificates');
  });

  it('reads a CRL made by openssl ca -gencrl', async () => {
    const r = await cli(dir, 'crl', 'show', 'openssl.crl', '--issuer', 'root.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('    CN=Fixture Root, O=certlab, C=FR');
    expect(r.stdout).toContain('CRL Number: 42');
    expect(r.stdout).toContain(
      '  Serial Number: 0A0B0C\n  Revocation Date: 2025-01-01T00:00:00Z\n  Extensions: 1',
    );
    expect(r.stdout).toContain('  Serial Number: 0FEE\n  Revocation Date: 2025-02-01T12:00:00Z\n');
    expect(r.stdout).toContain('Signature matches the issuer public key');
    expect((await cli(dir, 'crl', 'show', 'openssl.crl', '--serial', 'FEE')).code).toBe(0);
    expect((await cli(dir, 'show', 'openssl.crl')).stdout).toContain('CRL Number: 42');
  });
});

describe('crl: usage and input errors', () => {
  it('a file without a CRL is exit 2, saying what it is', async () => {
    const cert = await cli(dir, 'crl', 'show', 'root.pem');
    expect(cert.code).toBe(2);
    expect(cert.stderr).toContain(
      "root.pem holds no CRL: it is a certificate; use 'certlab show' for any file.",
    );
    const garbage = await cli(dir, 'crl', 'show', 'random.bin');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('[ERR_PKI_FORMAT_UNKNOWN]');
  });

  it('crl is a noun with the verb show', async () => {
    const help = await cli(dir, 'crl', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('certlab crl <verb>');
    const none = await cli(dir, 'crl');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("'certlab crl' needs a verb: show.");
    const verbHelp = await cli(dir, 'crl', 'show', '--help');
    for (const o of ['--format', '--issuer', '--serial']) expect(verbHelp.stdout).toContain(o);
    for (const args of [
      ['crl', 'show'],
      ['crl', 'show', 'ica.crl', '--format', 'yaml'],
      ['crl', 'list'],
    ]) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('the main help lists show, convert and crl show', async () => {
    const r = await cli(dir, '--help');
    expect(r.stdout).toMatch(/^ {2}crl show +Show a CRL/m);
    expect(r.stdout).toMatch(/^ {2}show +Show any PKI file/m);
    expect(r.stdout).toMatch(/^ {2}convert +Convert between PEM, DER, \.p7b and \.pfx/m);
  });
});
