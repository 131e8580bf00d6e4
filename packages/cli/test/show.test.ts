// `certlab show`: any file, identified by content; OpenSSL-made containers as the reference.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createCertsOnlyPkcs7, createPkcs12, encodePkcs7Pem, toHex } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { javaKeystore } from '../../../test/support/keytool.js';
import { describeWithTool } from '../../../test/support/tools.js';
import { generalNameText } from '../src/format/general-name-text.js';
import { run } from '../src/index.js';
import { cli, openssl, removeTempDirs, tempDir } from './helpers.js';
import { makePki, type Pki } from './pki-fixtures.js';

let dir: string;
let pki: Pki;

beforeAll(async () => {
  dir = await tempDir();
  pki = await makePki(dir);
  const p7b = createCertsOnlyPkcs7([pki.leaf, pki.ica], { crls: [pki.crl] });
  await writeFile(join(dir, 'chain.p7b'), p7b);
  // certsrv's "Base 64 encoded" .p7b: the CERTIFICATE label and CRLF line ends.
  await writeFile(join(dir, 'certnew.p7b'), encodePkcs7Pem(p7b, { label: 'CERTIFICATE', eol: '\r\n' }));
  await writeFile(
    join(dir, 'web01.pfx'),
    await createPkcs12({
      key: pki.leafK.privateKey,
      certificate: pki.leaf,
      chain: [pki.ica, pki.root],
      password: 'pfx-pass',
      friendlyName: 'web01 2025',
    }),
  );
  await writeFile(join(dir, 'pfx-pass.txt'), 'pfx-pass\n');
  await writeFile(
    join(dir, 'bundle.pem'),
    `${pki.leaf.toPem()}-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${await pki.leafK.privateKey.toPem()}`,
  );
  await writeFile(join(dir, 'archive.zip'), Uint8Array.of(0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0));
  // OpenSSL-made containers.
  await writeFile(join(dir, 'ica.pem'), pki.ica.toPem());
  openssl(dir, 'crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'openssl.p7b');
  openssl(dir, 'crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'openssl-p7b.pem');
  for (const [name, extra] of [
    ['openssl.pfx', []],
    ['openssl-legacy.pfx', ['-legacy']],
  ] as const)
    openssl(
      dir,
      'pkcs12',
      '-export',
      ...extra,
      '-in',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-certfile',
      'ica.pem',
      '-name',
      'from openssl',
      '-passout',
      'pass:ossl-pass',
      '-out',
      name,
    );
});
afterAll(removeTempDirs);

describe('show: certificates, requests, CRLs, keys', () => {
  /** cert show and crl show take --issuer; show says where the signature can be checked. */
  const asShowSays = (text: string, noun: 'cert' | 'crl') =>
    text.replace(
      'the issuer is not known (give --issuer FILE)',
      `its issuer is not in this file (certlab ${noun} show FILE --issuer ISSUER checks it)`,
    );

  it('shows one certificate exactly as cert show does', async () => {
    for (const f of ['leaf.pem', 'ica.cer', 'leaf.b64']) {
      const a = await cli(dir, 'show', f);
      const b = await cli(dir, 'cert', 'show', f);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toBe(asShowSays(b.stdout, 'cert'));
    }
  });

  it('shows a chain file with each signature checked against the issuer in the file', async () => {
    const r = await cli(dir, 'show', 'chain.pem');
    expect(r.code, r.stderr).toBe(0);
    for (const i of [0, 1, 2])
      expect(r.stdout).toContain(`================ Certificate ${i} ================`);
    expect(r.stdout.match(/Signature matches the issuer public key/g)).toHaveLength(2);
    expect(r.stdout).toContain('Signature matches its own public key');
    const j = JSON.parse((await cli(dir, 'show', 'chain.pem', '--format', 'json')).stdout);
    expect(j.kind).toBe('certificate');
    expect(j.encoding).toBe('pem');
    expect(j.objects.map((o: { kind: string }) => o.kind)).toEqual([
      'certificate',
      'certificate',
      'certificate',
    ]);
    expect(j.objects[0].certificate.subject).toBe('CN=web01.contoso.com');
    expect(j.objects[0].certificate.signature.valid).toBe(true);
    // A certificate whose issuer is not in the file: show has no --issuer, cert show has.
    const leafOnly = (await readFile(join(dir, 'chain.pem'), 'utf8')).split(
      /(?<=-----END CERTIFICATE-----\r?\n)/,
    )[0]!;
    await writeFile(join(dir, 'leaf-only.pem'), leafOnly);
    const alone = await cli(dir, 'show', 'leaf-only.pem');
    expect(alone.stdout).toContain(
      'Signature not checked: its issuer is not in this file (certlab cert show FILE --issuer ISSUER checks it)',
    );
  });

  it('shows a request as csr show does', async () => {
    const a = await cli(dir, 'show', 'leaf.csr');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe((await cli(dir, 'csr', 'show', 'leaf.csr')).stdout);
    const j = JSON.parse((await cli(dir, 'show', 'leaf.csr', '--format', 'json')).stdout);
    expect(j.objects[0].kind).toBe('csr');
    expect(j.objects[0].request.subject).toBe('CN=web02.contoso.com');
  });

  it('shows a CRL as crl show does', async () => {
    const a = await cli(dir, 'show', 'ica.crl');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(asShowSays((await cli(dir, 'crl', 'show', 'ica.crl')).stdout, 'crl'));
    expect(a.stdout).toContain('X509 Certificate Revocation List:');
    const j = JSON.parse((await cli(dir, 'show', 'ica.crl', '--format', 'json')).stdout);
    expect(j.objects[0].crl.crlNumber).toBe('7');
  });

  it('shows private and public keys; an encrypted key needs its password', async () => {
    const k = await cli(dir, 'show', 'leaf.key');
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toContain('Private Key: EC P-256');
    expect(k.stdout).toContain('Container: PKCS#8 (PEM "PRIVATE KEY")');
    const p = await cli(dir, 'show', 'leaf.pub', '--format', 'json');
    expect(p.code, p.stderr).toBe(0);
    const pj = JSON.parse(p.stdout);
    expect(pj.objects[0]).toMatchObject({
      kind: 'public-key',
      key: { kind: 'public', container: 'SubjectPublicKeyInfo' },
    });
    const locked = await cli(dir, 'show', 'leaf-enc.key');
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain('[ERR_PKI_KEY_ENCRYPTED]');
    const open = await cli(dir, 'show', 'leaf-enc.key', '--password', 'key-pass');
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toContain('Container: encrypted PKCS#8 (PEM "ENCRYPTED PRIVATE KEY")');
    const wrong = await cli(dir, 'show', 'leaf-enc.key', '--password', 'not-it');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('[ERR_PKI_KEY_PASSWORD]');
  });

  it('shows every object of a PEM bundle and lists the blocks it skipped', async () => {
    const r = await cli(dir, 'show', 'bundle.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('================ Certificate 0 ================');
    expect(r.stdout).toContain('================ Private Key ================');
    expect(r.stdout).toContain('Skipped PEM blocks: EC PARAMETERS');
    const j = JSON.parse((await cli(dir, 'show', 'bundle.pem', '--format', 'json')).stdout);
    expect(j.objects.map((o: { kind: string }) => o.kind)).toEqual(['certificate', 'private-key']);
    expect(j.skippedPemBlocks).toEqual(['EC PARAMETERS']);
  });
});

describe('show: .p7b', () => {
  it('lists the certificates and CRLs of a DER .p7b and of certsrv Base64', async () => {
    for (const f of ['chain.p7b', 'certnew.p7b']) {
      const r = await cli(dir, 'show', f);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^PKCS7 Message \(SignedData, certs-only\):\n/);
      expect(r.stdout).toContain('Certificate Count: 2');
      expect(r.stdout).toContain('CRL Count: 1');
      expect(r.stdout).toContain('================ Certificate 1 ================');
      expect(r.stdout).toContain('================ CRL 0 ================');
      // The leaf's issuer is in the file; the CRL's issuer (the issuing CA) too.
      expect(r.stdout.match(/Signature matches the issuer public key/g)).toHaveLength(2);
    }
    const j = JSON.parse((await cli(dir, 'show', 'certnew.p7b', '--format', 'json')).stdout);
    expect(j.kind).toBe('pkcs7');
    expect(j.objects[0].pkcs7).toMatchObject({ version: 1, certsOnly: true, signerCount: 0 });
    expect(j.objects[0].pkcs7.certificates).toHaveLength(2);
    expect(j.objects[0].pkcs7.crls[0].crlNumber).toBe('7');
  });

  it('reads .p7b files written by openssl crl2pkcs7 (DER and PEM)', async () => {
    for (const f of ['openssl.p7b', 'openssl-p7b.pem']) {
      const j = JSON.parse((await cli(dir, 'show', f, '--format', 'json')).stdout);
      const subjects = j.objects[0].pkcs7.certificates.map((c: { subject: string }) => c.subject);
      expect(subjects).toEqual([
        'CN=web01.contoso.com',
        'CN=Fixture Issuing CA, O=certlab, C=FR',
        'CN=Fixture Root, O=certlab, C=FR',
      ]);
    }
  });
});

describe('show: a PKCS #7 renewal request', () => {
  it('shows the signer, checks the CMS signature and reports the request inside', async () => {
    const csr = await cli(
      dir,
      ...['csr', 'new', '--new-key', 'ec', '--key-out', 'renewed.key', '--subject', 'CN=web01.contoso.com'],
      ...['--dns', 'web01.contoso.com', '--der', '--out', 'renewed.der'],
    );
    expect(csr.code, csr.stderr).toBe(0);
    const sign = 'cms -sign -in renewed.der -binary -nodetach -signer leaf.pem -inkey leaf.key'.split(' ');
    openssl(dir, ...sign, '-out', 'renewal.pem', '-outform', 'PEM');
    openssl(dir, ...sign, '-out', 'renewal.p7', '-outform', 'DER');
    const r = await cli(dir, 'show', 'renewal.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Signer Count: 1 (the first is checked below)');
    expect(r.stdout).toContain('Format: PKCS #7 renewal request');
    expect(r.stdout).toMatch(/Signer: CN=web01\.contoso\.com \(serial [0-9A-F]+\)/);
    expect(r.stdout).toContain('CMS Signature: valid');
    expect(r.stdout).toMatch(
      /Request 0 =+\nPKCS10 Certificate Request:\nVersion: 1\nSubject:\n {4}CN=web01\.contoso\.com/,
    );
    const j = JSON.parse((await cli(dir, 'show', 'renewal.p7', '--format', 'json')).stdout);
    expect(j.objects[0].pkcs7.signedRequest).toMatchObject({
      format: 'pkcs7',
      signer: 'CN=web01.contoso.com',
      signatureValid: true,
      request: { subject: 'CN=web01.contoso.com' },
    });
    // A flipped bit in the signature value.
    const bad = new Uint8Array(await readFile(join(dir, 'renewal.p7')));
    bad[bad.length - 5]! ^= 0x01;
    await writeFile(join(dir, 'renewal-bad.p7'), bad);
    const b = await cli(dir, 'show', 'renewal-bad.p7');
    expect(b.stdout).toContain('CMS Signature: does NOT verify');
    // A certs-only .p7b has no signed request.
    const p7b = JSON.parse((await cli(dir, 'show', 'openssl.p7b', '--format', 'json')).stdout);
    expect(p7b.objects[0].pkcs7.signedRequest).toBeNull();
  });
});

describe('show: .pfx', () => {
  it('shows the friendly name, MAC, bags, key match, key and certificates', async () => {
    const r = await cli(dir, 'show', 'web01.pfx', '--password', 'pfx-pass');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PKCS12 \(PFX\) File:\n/);
    expect(r.stdout).toContain('Friendly Name: web01 2025');
    expect(r.stdout).toContain('Integrity: HMAC-SHA-256 MAC, 2048 iterations');
    expect(r.stdout).toContain('Private Key: EC P-256, matches Certificate 0 (the leaf)');
    expect(r.stdout).toContain('Shrouded Key Bag (1.2.840.113549.1.12.10.1.2)');
    expect(r.stdout).toContain('Encryption: PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC), 2048 iterations');
    expect(r.stdout).toContain('================ Private Key ================');
    expect(r.stdout).toContain('================ Certificate 2 ================');
    expect(r.stdout).not.toContain('pfx-pass');
    const j = JSON.parse(
      (await cli(dir, 'show', 'web01.pfx', '--password-file', 'pfx-pass.txt', '--format', 'json')).stdout,
    );
    const p = j.objects[0].pkcs12;
    expect(p.friendlyName).toBe('web01 2025');
    expect(p.mac).toEqual({ hash: 'SHA-256', iterations: 2048 });
    expect(p.key).toMatchObject({
      kind: 'private',
      matchesCertificate: true,
      publicKey: { algorithm: 'ec' },
    });
    expect(p.certificate.subject).toBe('CN=web01.contoso.com');
    expect(p.chain.map((c: { subject: string }) => c.subject)).toEqual([
      'CN=Fixture Issuing CA, O=certlab, C=FR',
      'CN=Fixture Root, O=certlab, C=FR',
    ]);
    expect(p.bags.map((b: { type: string }) => b.type).sort()).toEqual([
      'certificate',
      'certificate',
      'certificate',
      'shrouded-key',
    ]);
  });

  it('needs a password: exit 2 saying which option, not a prompt, outside a terminal', async () => {
    const r = await cli(dir, 'show', 'web01.pfx');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'certlab: web01.pfx is a PKCS#12 (.pfx) file, which needs its password: give it with --password-file F or --password P.\n',
    );
  });

  it('opens a .pfx made without a password (or with an empty one) without asking, as store import does', async () => {
    for (const [name, extra] of [
      ['noprot.pfx', ['-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac']],
      ['emptypw.pfx', []],
    ] as const) {
      openssl(
        dir,
        'pkcs12',
        '-export',
        ...extra,
        '-in',
        'leaf.pem',
        '-inkey',
        'leaf.key',
        '-passout',
        'pass:',
        '-out',
        name,
      );
      // It said "needs its password" (exit 2) although there is none.
      const r = await cli(dir, 'show', name, '--format', 'json');
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).objects[0].kind).toBe('pkcs12');
    }
  });

  it('shows a .pfx whose key certlab does not import (RSA-PSS), and convert takes its certificate', async () => {
    openssl(dir, 'genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'pss.key');
    openssl(dir, 'req', '-x509', '-key', 'pss.key', '-subj', '/CN=pss', '-days', '30', '-out', 'pss.cer');
    openssl(
      dir,
      'pkcs12',
      '-export',
      '-in',
      'pss.cer',
      '-inkey',
      'pss.key',
      '-passout',
      'pass:pw1234',
      '-out',
      'pss.pfx',
    );
    // It was ERR_PKI_KEY_UNSUPPORTED with nothing shown, and nothing to convert.
    const r = await cli(dir, 'show', 'pss.pfx', '--password', 'pw1234');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Private Key: one of a type certlab does not import (see its bag)');
    expect(r.stdout).toMatch(/Not imported: .*RSA-PSS|Not imported: .*1\.2\.840\.113549\.1\.1\.10/);
    expect(r.stdout).toContain('CN=pss');
    const c = await cli(
      dir,
      'convert',
      'pss.pfx',
      '--password',
      'pw1234',
      '--to',
      'pem',
      '--out',
      'pss-out.pem',
    );
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/^Warning: a private key of pss\.pfx is not written: /);
    expect(await readFile(join(dir, 'pss-out.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('asks for the password at a terminal, without echo', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
    let stdout = '';
    let stderr = '';
    const pending = run(['show', 'web01.pfx'], {
      stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      stdin,
      cwd: dir,
      isTTY: true,
    });
    await vi.waitFor(() => expect(stderr).toContain('Password for web01.pfx: '));
    stdin.write('pfx-pass\r');
    expect(await pending).toBe(0);
    expect(stdout).toContain('Friendly Name: web01 2025');
    expect(stderr).not.toContain('pfx-pass');
  });

  it('a wrong password is exit 2 with the coded message', async () => {
    const r = await cli(dir, 'show', 'web01.pfx', '--password', 'Not-The-Pass');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: .*password is wrong.*\[ERR_PKI_PKCS12_PASSWORD\]\n$/);
  });

  it('reads .pfx files written by openssl pkcs12 -export, modern and -legacy (RC2-40 certificates)', async () => {
    const modern = await cli(dir, 'show', 'openssl.pfx', '--password', 'ossl-pass');
    expect(modern.code, modern.stderr).toBe(0);
    expect(modern.stdout).toContain('Friendly Name: from openssl');
    expect(modern.stdout).toContain('Private Key: EC P-256, matches Certificate 0 (the leaf)');
    const legacy = await cli(dir, 'show', 'openssl-legacy.pfx', '--password', 'ossl-pass');
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(legacy.stdout).toContain('Integrity: HMAC-SHA-1 MAC');
    expect(legacy.stdout).toContain('pbeWithSHAAnd40BitRC2-CBC');
    expect(legacy.stdout).toContain('pbeWithSHAAnd3-KeyTripleDES-CBC');
  });
});

describe('show: errors', () => {
  it('a file that is not a PKI file is exit 2 with what it looks like', async () => {
    const cases: [string, RegExp][] = [
      ['garbage.txt', /^certlab: garbage\.txt: This looks like text but has no PEM block/],
      ['random.bin', /^certlab: random\.bin: This is binary data but not DER/],
      ['archive.zip', /^certlab: archive\.zip: This looks like a ZIP archive/],
    ];
    for (const [f, re] of cases) {
      const r = await cli(dir, 'show', f);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).toContain('[ERR_PKI_FORMAT_UNKNOWN]');
    }
  });

  it('a PEM block whose DER is broken names the file, and the block when there are several', async () => {
    const pem = await readFile(join(dir, 'leaf.pem'), 'utf8');
    const b64 = pem.replace(/-----[^-]+-----|\s/g, '');
    // The certificate's header announces more bytes than the block holds.
    const cut = `-----BEGIN CERTIFICATE-----\n${b64.slice(0, 8)}\n-----END CERTIFICATE-----\n`;
    await writeFile(join(dir, 'cut.pem'), cut);
    const one = await cli(dir, 'show', 'cut.pem');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^certlab: cut\.pem: .*\[ERR_PKI_DER_TRUNCATED\]/);
    await writeFile(join(dir, 'cut2.pem'), pem + cut);
    const two = await cli(dir, 'show', 'cut2.pem');
    expect(two.stderr).toMatch(/^certlab: cut2\.pem: Certificate 2 of 2: .*\[ERR_PKI_DER_TRUNCATED\]/);
  });

  it('usage errors are exit 2', async () => {
    for (const args of [
      ['show'],
      ['show', 'leaf.pem', 'extra'],
      ['show', 'leaf.pem', '--format', 'xml'],
      ['show', 'web01.pfx', '--password', 'a', '--password-file', 'pfx-pass.txt'],
      ['show', 'missing.pem'],
    ]) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^certlab: /);
    }
  });

  it('reads stdin for -', async () => {
    const bytes = await readFile(join(dir, 'leaf.pem'));
    let out = '';
    const code = await run(['show', '-'], {
      stdout: { write: (c: string | Uint8Array) => (out += String(c)) },
      stderr: { write: () => undefined },
      stdin: Readable.from([bytes]),
      cwd: dir,
      env: {},
    });
    expect(code).toBe(0);
    expect(out).toContain('Subject:\n    CN=web01.contoso.com');
  });
});

describe('general names as certutil prints them', () => {
  it('names the DS Object Guid otherName and keeps other otherNames by OID', () => {
    const guid = Uint8Array.of(0x04, 0x02, 0xab, 0xcd);
    expect(generalNameText({ type: 'otherName', oid: '1.3.6.1.4.1.311.25.1', value: guid })).toBe(
      `Other Name: DS Object Guid=${toHex(guid)}`,
    );
    expect(generalNameText({ type: 'otherName', oid: '1.2.3.4', value: guid })).toBe(
      `Other Name: 1.2.3.4=${toHex(guid)}`,
    );
  });
});

describe('show: .pfx edge cases', () => {
  it("opens a .pfx whose password is empty with --password '' or an empty --password-file", async () => {
    openssl(
      dir,
      'pkcs12',
      '-export',
      '-in',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-passout',
      'pass:',
      '-out',
      'empty.pfx',
    );
    await writeFile(join(dir, 'empty-pass.txt'), '\n');
    for (const args of [
      ['--password', ''],
      ['--password-file', 'empty-pass.txt'],
    ]) {
      const r = await cli(dir, 'show', 'empty.pfx', ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('PKCS12 (PFX) File:');
      expect(r.stdout).toContain('matches Certificate 0 (the leaf)');
    }
    // The wrong password is still wrong, empty or not.
    const w = await cli(dir, 'show', 'web01.pfx', '--password', '');
    expect(w.code).not.toBe(0);
    expect(w.stderr).toContain('[ERR_PKI_PKCS12_PASSWORD]');
  });
});

describeWithTool('keytool', 'show: a .pfx with several keys (keytool -genkeypair twice)', () => {
  it('lists every key with its certificate, text and JSON', async () => {
    javaKeystore(dir, 'java.p12', 'P@ssw0rd');
    const r = await cli(dir, 'show', 'java.p12', '--password', 'P@ssw0rd');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Private Keys: 2 (the report below shows the one above)');
    expect(r.stdout).toContain('  Key 0: RSA 2048, "jrsa", certificate CN=jrsa');
    expect(r.stdout).toContain('  Key 1: EC P-256, "jec", certificate CN=jec');
    const j = await cli(dir, 'show', 'java.p12', '--password', 'P@ssw0rd', '--format', 'json');
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout).objects[0].pkcs12.keys).toEqual([
      { key: 'RSA 2048', friendlyName: 'jrsa', certificate: 'CN=jrsa' },
      { key: 'EC P-256', friendlyName: 'jec', certificate: 'CN=jec' },
    ]);
  });
});
