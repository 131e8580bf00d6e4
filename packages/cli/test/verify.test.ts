// `certlab verify`: exit codes, text and JSON output, and the options mapped to RFC 5280 inputs.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  createCertsOnlyPkcs7,
  createCrl,
  encodeBase64,
  encodePkcs7Pem,
  extKeyUsage,
  generateKeyPair,
  type KeyPair,
  keyUsage,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempDir } from './helpers.js';

const T0 = new Date(Date.UTC(2025, 0, 1));
const T1 = new Date(Date.UTC(2035, 0, 1));
const AT = '2026-06-01T00:00:00Z';

let dir: string;
let rootK: KeyPair;
let icaK: KeyPair;
let root: Certificate;
let ica: Certificate;
let leaf: Certificate;

beforeAll(async () => {
  dir = await tempDir();
  rootK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  icaK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const leafK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];
  root = await createCertificate({
    subject: 'CN=Verify Root',
    publicKey: rootK.publicKey,
    signingKey: rootK.privateKey,
    notBefore: T0,
    notAfter: T1,
    extensions: caExt,
  });
  ica = await createCertificate({
    subject: 'CN=Verify ICA',
    publicKey: icaK.publicKey,
    signingKey: rootK.privateKey,
    issuer: root,
    notBefore: T0,
    notAfter: T1,
    extensions: caExt,
  });
  leaf = await createCertificate({
    subject: 'CN=www.contoso.com',
    publicKey: leafK.publicKey,
    signingKey: icaK.privateKey,
    issuer: ica,
    notBefore: T0,
    notAfter: new Date(Date.UTC(2027, 0, 1)),
    extensions: [
      basicConstraints({ ca: false }),
      extKeyUsage(['serverAuth']),
      subjectAltName([{ type: 'dns', value: 'www.contoso.com' }]),
    ],
  });
  await writeFile(join(dir, 'root.pem'), root.toPem());
  await writeFile(join(dir, 'ica.cer'), ica.der);
  await writeFile(join(dir, 'leaf.pem'), leaf.toPem());
  await writeFile(join(dir, 'fullchain.pem'), leaf.toPem() + ica.toPem());
  const crl = await createCrl({
    issuer: ica,
    signingKey: icaK.privateKey,
    thisUpdate: T0,
    nextUpdate: T1,
    crlNumber: 1,
    entries: [{ serialNumber: leaf.serialNumber, revocationDate: T0 }],
  });
  await writeFile(join(dir, 'revoked.crl'), crl.der);
  await writeFile(join(dir, 'garbage.pem'), 'not a certificate');
});
afterAll(removeTempDirs);

describe('certlab verify', () => {
  it('exit 0 with the path for a valid chain (PEM and DER inputs)', async () => {
    const r = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      AT,
      '--purpose',
      'serverAuth',
      '--host',
      'www.contoso.com',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('leaf.pem: OK');
    expect(r.stdout).toContain('2: CN=Verify Root  [trust anchor]');
  });

  it('reads trust anchors and intermediates from .p7b files (DER and PEM)', async () => {
    await writeFile(join(dir, 'root.p7b'), createCertsOnlyPkcs7([root]));
    await writeFile(join(dir, 'ica.p7b'), encodePkcs7Pem(createCertsOnlyPkcs7([ica])));
    const ok = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.p7b',
      '--untrusted',
      'ica.p7b',
      '--at',
      AT,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const missing = await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.p7b', '--at', AT);
    expect(missing.code).toBe(1);
  });

  it("reads certsrv's .p7b: Base64 under a CERTIFICATE label, or bare Base64 (verify, cert show)", async () => {
    // certnew.p7b?Enc=b64 (and `certlab ca cert --chain`) label the PKCS #7 CERTIFICATE; only its
    // content says it is a chain. It was "Expected DER tag 0x30 but found 0x06".
    const b64 = encodeBase64(createCertsOnlyPkcs7([ica, root]));
    const lines = b64.match(/.{1,64}/g)!.join('\r\n');
    await writeFile(
      join(dir, 'certnew.p7b'),
      `-----BEGIN CERTIFICATE-----\r\n${lines}\r\n-----END CERTIFICATE-----\r\n`,
    );
    await writeFile(join(dir, 'bare.p7b'), `${lines}\r\n`);
    for (const file of ['certnew.p7b', 'bare.p7b']) {
      const ok = await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.pem', '--untrusted', file, '--at', AT);
      expect(ok.stderr, file).toBe('');
      expect(ok.code, file).toBe(0);
      const shown = await cli(dir, 'cert', 'show', file, '--format', 'json');
      expect(shown.code, shown.stderr).toBe(0);
      expect((JSON.parse(shown.stdout) as { subject: string }[]).map((c) => c.subject)).toEqual([
        'CN=Verify ICA',
        'CN=Verify Root',
      ]);
    }
  });

  it('takes intermediates from the leaf file itself', async () => {
    const r = await cli(dir, 'verify', 'fullchain.pem', '--trust', 'root.pem', '--at', AT);
    expect(r.code).toBe(0);
  });

  it('exit 1 with coded reasons: untrusted root, wrong host, wrong purpose, expired', async () => {
    const untrusted = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'ica.cer',
      '--untrusted',
      'root.pem',
      '--at',
      AT,
      '--purpose',
      'clientAuth',
    );
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain('ERR_PATH_EKU (certificate 0)');
    const host = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      AT,
      '--host',
      'mail.contoso.com',
    );
    expect(host.code).toBe(1);
    expect(host.stdout).toContain('ERR_PATH_HOSTNAME');
    // A --host that is no host name is the caller's typo (exit 2), not a certificate mismatch.
    const typo = (h: string) =>
      cli(
        dir,
        'verify',
        'leaf.pem',
        '--trust',
        'root.pem',
        '--untrusted',
        'ica.cer',
        '--at',
        AT,
        '--host',
        h,
      );
    const bad = await typo('bad host!');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--host must be a DNS name or an IP address, not 'bad host!'.");
    expect(bad.stdout).toBe('');
    for (const ok of ['10.0.0.5', '[2001:db8::5]', 'mail.contoso.com.'])
      expect((await typo(ok)).code, ok).toBe(1);
    const expired = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      '2030-01-01T00:00:00Z',
    );
    expect(expired.code).toBe(1);
    expect(expired.stdout).toContain('ERR_PATH_EXPIRED (certificate 0)');
    const noIca = await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.pem', '--at', AT);
    expect(noIca.code).toBe(1);
    expect(noIca.stdout).toContain('ERR_PATH_NO_ISSUER');
  });

  it('checks revocation with --crl, and --require-revocation fails an undecided status', async () => {
    const r = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      AT,
      '--crl',
      'revoked.crl',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERR_PATH_REVOKED');
    const req = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      AT,
      '--require-revocation',
    );
    expect(req.code).toBe(1);
    expect(req.stdout).toContain('ERR_PATH_REVOCATION_UNKNOWN');
  });

  it('--format json gives valid, path and reasons', async () => {
    const r = await cli(
      dir,
      'verify',
      'leaf.pem',
      '--trust',
      'root.pem',
      '--untrusted',
      'ica.cer',
      '--at',
      AT,
      '--format',
      'json',
      '--explicit-policy',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      valid: boolean;
      time: string;
      path: { notBefore: string; notAfter: string }[];
      reasons: { code: string; index: number }[];
    };
    expect(j.valid).toBe(false);
    expect(j.path).toHaveLength(3);
    // Times as docs/cli.md gives them: ISO 8601 UTC to the second.
    for (const t of [j.time, ...j.path.flatMap((p) => [p.notBefore, p.notAfter])])
      expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(j.reasons.map((x) => x.code)).toContain('ERR_PATH_POLICY');
  });

  it('exit 2 for bad usage and unreadable input', async () => {
    expect((await cli(dir, 'verify', 'leaf.pem')).code).toBe(2);
    expect((await cli(dir, 'verify', 'leaf.pem', '--trust', 'missing.pem')).code).toBe(2);
    const garbage = await cli(dir, 'verify', 'garbage.pem', '--trust', 'root.pem');
    expect(garbage.code).toBe(2);
    // With the library's code in brackets, as the other commands say it (it was dropped).
    expect(garbage.stderr).toMatch(/^certlab: garbage\.pem: .*\[ERR_PKI_FORMAT_UNKNOWN\]\n/);
    const at = await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.pem', '--at', 'yesterday');
    expect(at.code).toBe(2);
    // Usage errors end with the help hint, as every command's do.
    expect(at.stderr.trimEnd().split('\n').at(-1)).toBe("Run 'certlab verify --help' for usage.");
    expect((await cli(dir, 'verify', 'leaf.pem')).stderr).toContain("Run 'certlab verify --help' for usage.");
    expect(
      (await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.pem', '--purpose', 'codeSigning')).code,
    ).toBe(2);
    expect((await cli(dir, 'verify', 'leaf.pem', '--trust', 'root.pem', '--policy', 'not-an-oid')).code).toBe(
      2,
    );
  });
});
