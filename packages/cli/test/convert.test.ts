// `certlab convert`: every target, checked by reading the result back with OpenSSL and with
// `certlab show`.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createPkcs12, readPkcs12 } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { javaKeystore } from '../../../test/support/keytool.js';
import { describeWithTool } from '../../../test/support/tools.js';
import { run } from '../src/index.js';
import { cli, openssl, opensslAll, removeTempDirs, tempDir } from './helpers.js';
import { makePki, type Pki } from './pki-fixtures.js';

let dir: string;
let pki: Pki;

const subjects = (text: string) => [...text.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]);

beforeAll(async () => {
  dir = await tempDir();
  pki = await makePki(dir);
  await writeFile(join(dir, 'leaf-and-key.pem'), pki.leaf.toPem() + (await pki.leafK.privateKey.toPem()));
  await writeFile(join(dir, 'key-pass.txt'), 'key-pass\n');
  await writeFile(join(dir, 'pfx-pass.txt'), 'pfx-pass\n');
  await writeFile(
    join(dir, 'web01.pfx'),
    await createPkcs12({
      key: pki.leafK.privateKey,
      certificate: pki.leaf,
      chain: [pki.ica],
      password: 'pfx-pass',
      friendlyName: 'web01',
    }),
  );
  await writeFile(join(dir, 'ica.pem'), pki.ica.toPem());
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-in',
    'leaf.pem',
    '-inkey',
    'leaf.key',
    '-certfile',
    'ica.pem',
    '-passout',
    'pass:ossl-pass',
    '-out',
    'openssl.pfx',
  );
});
afterAll(removeTempDirs);

describe('convert to .p7b', () => {
  it('writes a DER .p7b that openssl pkcs7 -print_certs reads, with --chain certificates added', async () => {
    const r = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--chain',
      'ica.cer',
      '--chain',
      'root.pem',
      '--to',
      'p7b',
      '--out',
      'chain.p7b',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Wrote a PKCS #7 with 3 certificates as DER to chain.p7b\n');
    const text = openssl(dir, 'pkcs7', '-inform', 'DER', '-in', 'chain.p7b', '-print_certs', '-noout');
    expect(subjects(text)).toEqual([
      'CN = web01.contoso.com',
      'C = FR, O = certlab, CN = Fixture Issuing CA',
      'C = FR, O = certlab, CN = Fixture Root',
    ]);
    // Byte for byte what OpenSSL writes for the same certificates.
    openssl(dir, 'crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'openssl.p7b');
    expect(await readFile(join(dir, 'chain.p7b'))).toEqual(await readFile(join(dir, 'openssl.p7b')));
  });

  it('writes a PEM .p7b (PKCS7 label) that openssl reads; a CRL of IN goes in too', async () => {
    const r = await cli(dir, 'convert', 'chain.pem', '--to', 'p7b-pem', '--out', 'chain-p7b.pem');
    expect(r.code, r.stderr).toBe(0);
    const pem = await readFile(join(dir, 'chain-p7b.pem'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PKCS7-----\n/);
    expect(pem).not.toContain('\r');
    expect(subjects(openssl(dir, 'pkcs7', '-in', 'chain-p7b.pem', '-print_certs', '-noout'))).toHaveLength(3);
    const withCrl = await cli(
      dir,
      'convert',
      'ica.crl',
      '--chain',
      'ica.cer',
      '--to',
      'p7b',
      '--out',
      'crl.p7b',
    );
    expect(withCrl.code, withCrl.stderr).toBe(0);
    expect(withCrl.stdout).toContain('1 certificate and 1 CRL');
    expect(opensslAll(dir, 'pkcs7', '-inform', 'DER', '-in', 'crl.p7b', '-print_certs', '-noout')).toContain(
      'Fixture Issuing CA',
    );
  });

  it('takes the certificates of a .pfx and says the key is left out', async () => {
    const r = await cli(
      dir,
      'convert',
      'web01.pfx',
      '--password',
      'pfx-pass',
      '--to',
      'p7b',
      '--out',
      'from-pfx.p7b',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The private key is not written: a .p7b holds only certificates and CRLs.');
    expect(r.stdout).toContain('2 certificates');
  });
});

describe('convert to pem and der', () => {
  it('turns a .p7b back into the same PEM certificates', async () => {
    const r = await cli(dir, 'convert', 'chain.p7b', '--to', 'pem', '--out', 'back.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Wrote 3 certificates as PEM to back.pem\n');
    expect(await readFile(join(dir, 'back.pem'), 'utf8')).toBe(
      await readFile(join(dir, 'chain.pem'), 'utf8'),
    );
    // An empty .p7b holds no key: the hint to add --include-key was wrong there.
    openssl(dir, 'crl2pkcs7', '-nocrl', '-outform', 'DER', '-out', 'empty.p7b');
    const empty = await cli(dir, 'convert', 'empty.p7b', '--to', 'pem', '--out', 'e.pem');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('with no certificate, CRL, request or key in it.');
    expect(empty.stderr).not.toContain('--include-key');
  });

  it('writes one certificate as DER, from PEM, Base64 or a one-certificate .p7b', async () => {
    for (const f of ['leaf.pem', 'leaf.b64']) {
      const r = await cli(dir, 'convert', f, '--to', 'der', '--out', '-');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdoutBytes).toEqual(pki.leaf.der);
      expect(r.stderr).toBe('Wrote the certificate as DER to stdout\n');
    }
    await cli(dir, 'convert', 'leaf.pem', '--to', 'p7b', '--out', 'one.p7b');
    const r = await cli(dir, 'convert', 'one.p7b', '--to', 'der', '--out', 'one.cer');
    expect(r.code, r.stderr).toBe(0);
    expect(openssl(dir, 'x509', '-inform', 'DER', '-in', 'one.cer', '-noout', '-subject')).toContain(
      'web01.contoso.com',
    );
  });

  it('converts a CRL and a request both ways', async () => {
    expect((await cli(dir, 'convert', 'ica.crl', '--to', 'pem', '--out', 'ica-crl.pem')).code).toBe(0);
    expect(await readFile(join(dir, 'ica-crl.pem'), 'utf8')).toBe(pki.crl.toPem());
    expect(openssl(dir, 'crl', '-in', 'ica-crl.pem', '-noout', '-crlnumber')).toContain('crlNumber=0x07');
    const back = await cli(dir, 'convert', 'ica-crl.pem', '--to', 'der', '--out', '-');
    expect(back.stdoutBytes).toEqual(pki.crl.der);
    const csr = await cli(dir, 'convert', 'leaf.csr', '--to', 'der', '--out', 'leaf.req');
    expect(csr.code, csr.stderr).toBe(0);
    expect(openssl(dir, 'req', '-inform', 'DER', '-in', 'leaf.req', '-noout', '-subject')).toContain('web02');
  });

  it('refuses DER for several objects, saying what the file holds', async () => {
    const r = await cli(dir, 'convert', 'chain.pem', '--to', 'der', '--out', 'x.der');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'chain.pem holds 3 certificates, and a DER file holds exactly one object: use --to pem, or --to p7b for a chain.',
    );
    const key = await cli(dir, 'convert', 'leaf.key', '--to', 'der', '--out', 'x.der');
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('leaf.key holds nothing --to der writes (it holds a private key)');
  });

  it('extracts certificates and, with --include-key, the key of a .pfx (mode 0600)', async () => {
    const r = await cli(
      dir,
      'convert',
      'openssl.pfx',
      '--password',
      'ossl-pass',
      '--to',
      'pem',
      '--out',
      'certs.pem',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The private key is not written: add --include-key to write it.');
    expect(await readFile(join(dir, 'certs.pem'), 'utf8')).not.toContain('PRIVATE KEY');
    const k = await cli(
      dir,
      'convert',
      'openssl.pfx',
      '--password',
      'ossl-pass',
      '--to',
      'pem',
      '--include-key',
      '--out',
      'with-key.pem',
    );
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toContain('Wrote 2 certificates and the private key (EC P-256, unencrypted) as PEM');
    const pem = await readFile(join(dir, 'with-key.pem'), 'utf8');
    expect(pem.startsWith(pki.leaf.toPem() + pki.ica.toPem())).toBe(true);
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    expect((await stat(join(dir, 'with-key.pem'))).mode & 0o777).toBe(0o600);
    expect(openssl(dir, 'pkey', '-in', 'with-key.pem', '-pubout')).toBe(pki.leafK.publicKey.toPem());
  });
});

describe('convert to .pfx', () => {
  it('writes a modern .pfx from a certificate, --key and --chain that openssl pkcs12 -info reads', async () => {
    const r = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--key',
      'leaf-enc.key',
      '--key-password-file',
      'key-pass.txt',
      '--chain',
      'ica.cer',
      '--chain',
      'root.pem',
      '--to',
      'pfx',
      '--pfx-password-file',
      'pfx-pass.txt',
      '--friendly-name',
      'web01 modern',
      '--out',
      'modern.pfx',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'Wrote a PKCS#12 (modern profile) with the private key (EC P-256), CN=web01.contoso.com and 2 chain certificates to modern.pfx\n',
    );
    expect((await stat(join(dir, 'modern.pfx'))).mode & 0o777).toBe(0o600);
    const info = opensslAll(
      dir,
      'pkcs12',
      '-info',
      '-nodes',
      '-in',
      'modern.pfx',
      '-passin',
      'pass:pfx-pass',
    );
    expect(info).toContain('MAC: sha256');
    expect(info).toContain('PBES2, PBKDF2, AES-256-CBC');
    expect(info).toContain('friendlyName: web01 modern');
    expect(info).toContain('-----BEGIN PRIVATE KEY-----');
    expect(subjects(info)).toEqual([
      'CN = web01.contoso.com',
      'C = FR, O = certlab, CN = Fixture Issuing CA',
      'C = FR, O = certlab, CN = Fixture Root',
    ]);
  });

  it('writes a legacy .pfx (3DES, SHA-1 MAC) that openssl reads', async () => {
    const r = await cli(
      dir,
      'convert',
      'leaf-and-key.pem',
      '--to',
      'pfx',
      '--pfx-profile',
      'legacy',
      '--password',
      'pfx-pass',
      '--out',
      'legacy.pfx',
    );
    expect(r.code, r.stderr).toBe(0);
    const info = opensslAll(
      dir,
      'pkcs12',
      '-info',
      '-nodes',
      '-in',
      'legacy.pfx',
      '-passin',
      'pass:pfx-pass',
    );
    expect(info).toContain('MAC: sha1');
    expect(info).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(subjects(info)).toEqual(['CN = web01.contoso.com']);
  });

  it('re-encrypts a .pfx: one --password for both, or --password in and --pfx-password out', async () => {
    const same = await cli(
      dir,
      'convert',
      'openssl.pfx',
      '--password',
      'ossl-pass',
      '--to',
      'pfx',
      '--pfx-profile',
      'legacy',
      '--out',
      'same.pfx',
    );
    expect(same.code, same.stderr).toBe(0);
    const a = await readPkcs12(new Uint8Array(await readFile(join(dir, 'same.pfx'))), 'ossl-pass');
    expect(a.certificate?.equals(pki.leaf)).toBe(true);
    expect(a.chain.map((c) => c.subject.toString())).toEqual([pki.ica.subject.toString()]);
    const other = await cli(
      dir,
      'convert',
      'web01.pfx',
      '--password',
      'pfx-pass',
      '--pfx-password',
      'new-pass',
      '--to',
      'pfx',
      '--out',
      'renamed.pfx',
    );
    expect(other.code, other.stderr).toBe(0);
    const b = await readPkcs12(new Uint8Array(await readFile(join(dir, 'renamed.pfx'))), 'new-pass');
    expect(b.friendlyName).toBe('web01');
    expect(b.key?.publicKey.equals(pki.leafK.publicKey)).toBe(true);
  });

  it('asks twice for the new password at a terminal, and refuses two different answers', async () => {
    for (const [second, code] of [
      ['typed-pass', 0],
      ['other-pass', 2],
    ] as const) {
      const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
      let stderr = '';
      const pending = run(['convert', 'leaf-and-key.pem', '--to', 'pfx', '--out', `typed-${code}.pfx`], {
        stdout: { write: () => undefined },
        stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
        stdin,
        cwd: dir,
        isTTY: true,
      });
      await vi.waitFor(() => expect(stderr).toContain(`New password for typed-${code}.pfx: `));
      stdin.write('typed-pass\r');
      await vi.waitFor(() => expect(stderr).toContain('Repeat the password: '));
      stdin.write(`${second}\r`);
      expect(await pending).toBe(code);
      expect(stderr).not.toContain('typed-pass');
      if (code === 2) expect(stderr).toContain('certlab: the passwords do not match.');
      else {
        const p12 = await readPkcs12(new Uint8Array(await readFile(join(dir, 'typed-0.pfx'))), 'typed-pass');
        expect(p12.certificate?.equals(pki.leaf)).toBe(true);
      }
    }
  });

  it('needs a key that matches a certificate, and a password', async () => {
    const noKey = await cli(dir, 'convert', 'leaf.pem', '--to', 'pfx', '--password', 'x1', '--out', 'n.pfx');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(
      'leaf.pem holds no private key (it holds 1 certificate): give the key with --key FILE.',
    );
    const mismatch = await cli(
      dir,
      'convert',
      'ica.cer',
      '--key',
      'leaf.key',
      '--to',
      'pfx',
      '--password',
      'x1',
      '--out',
      'n.pfx',
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('no certificate of ica.cer matches the private key (EC P-256).');
    const noPass = await cli(dir, 'convert', 'leaf-and-key.pem', '--to', 'pfx', '--out', 'n.pfx');
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toContain('--to pfx needs a password for the new file');
    const lockedKey = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--key',
      'leaf-enc.key',
      '--to',
      'pfx',
      '--password',
      'x1',
      '--out',
      'n.pfx',
    );
    expect(lockedKey.code).toBe(2);
    expect(lockedKey.stderr).toContain(
      'leaf-enc.key is encrypted: give its password with --key-password-file F or --key-password P. [ERR_PKI_KEY_ENCRYPTED]',
    );
  });
});

describe('convert: errors', () => {
  it('a .pfx input needs the right password', async () => {
    const none = await cli(dir, 'convert', 'web01.pfx', '--to', 'pem', '--out', 'x.pem');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('web01.pfx is a PKCS#12 (.pfx) file, which needs its password');
    const wrong = await cli(
      dir,
      'convert',
      'web01.pfx',
      '--password',
      'Not-The-Pass',
      '--to',
      'pem',
      '--out',
      'x.pem',
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/\[ERR_PKI_PKCS12_PASSWORD\]\n$/);
    expect(wrong.stderr).not.toContain('Not-The-Pass');
  });

  it('usage errors are exit 2', async () => {
    const cases: [string[], string][] = [
      [['convert', 'leaf.pem', '--out', 'x'], '--to is required'],
      [
        ['convert', 'leaf.pem', '--to', 'jks', '--out', 'x'],
        '--to must be one of pem, der, p7b, p7b-pem, pfx',
      ],
      [['convert', 'leaf.pem', '--to', 'pem'], '--out is required'],
      [['convert', '--to', 'pem', '--out', 'x'], 'missing IN argument'],
      [
        ['convert', 'leaf.pem', '--to', 'pem', '--key', 'leaf.key', '--out', 'x'],
        '--key applies to --to pfx, not --to pem',
      ],
      [
        ['convert', 'leaf.pem', '--to', 'der', '--chain', 'ica.cer', '--out', 'x'],
        '--chain applies to --to pem, p7b, p7b-pem, pfx',
      ],
      [
        ['convert', 'leaf.pem', '--to', 'p7b', '--include-key', '--out', 'x'],
        '--include-key applies to --to pem',
      ],
      [
        ['convert', 'leaf.pem', '--to', 'pfx', '--pfx-profile', 'ancient', '--out', 'x'],
        '--pfx-profile must be one of modern, legacy',
      ],
      [
        ['convert', 'leaf.pem', '--to', 'p7b', '--chain', 'leaf.key', '--out', 'x'],
        '--chain leaf.key holds no certificate',
      ],
      [['convert', 'garbage.txt', '--to', 'pem', '--out', 'x'], '[ERR_PKI_FORMAT_UNKNOWN]'],
      [['convert', 'random.bin', '--to', 'pem', '--out', 'x'], 'random.bin: This is binary data but not DER'],
      [
        ['convert', 'leaf.csr', '--to', 'p7b', '--out', 'x'],
        'leaf.csr holds no certificate or CRL for a .p7b (it holds 1 request).',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });

  it('never overwrites without --force (exit 1)', async () => {
    await writeFile(join(dir, 'exists.pem'), 'keep me');
    const r = await cli(dir, 'convert', 'leaf.pem', '--to', 'pem', '--out', 'exists.pem');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exists.pem already exists.');
    expect(await readFile(join(dir, 'exists.pem'), 'utf8')).toBe('keep me');
    const f = await cli(dir, 'convert', 'leaf.pem', '--to', 'pem', '--out', 'exists.pem', '--force');
    expect(f.code, f.stderr).toBe(0);
    expect(await readFile(join(dir, 'exists.pem'), 'utf8')).toBe(pki.leaf.toPem());
  });
});

describeWithTool('keytool', 'convert: a .pfx with several keys (keytool -genkeypair twice)', () => {
  beforeAll(() => javaKeystore(dir, 'java.p12', 'P@ssw0rd'));

  it('--to pem --include-key writes every key, each the key of one of the certificates', async () => {
    const r = await cli(
      dir,
      'convert',
      'java.p12',
      '--password',
      'P@ssw0rd',
      '--to',
      'pem',
      '--include-key',
      '--out',
      'java.pem',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Wrote 2 certificates and 2 private keys (RSA 2048, EC P-256; unencrypted) as PEM',
    );
    const pem = await readFile(join(dir, 'java.pem'), 'utf8');
    const keys = pem.match(/-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----\n/g) ?? [];
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];
    expect(keys).toHaveLength(2);
    const certKeys = certs.map((c) => {
      writeFileSync(join(dir, 'one.pem'), c);
      return openssl(dir, 'x509', '-in', 'one.pem', '-noout', '-pubkey');
    });
    for (const k of keys) {
      writeFileSync(join(dir, 'one.key'), k);
      expect(certKeys).toContain(openssl(dir, 'pkey', '-in', 'one.key', '-pubout'));
    }
  });

  it("warns that a keystore's secret keys are not written (they were dropped with exit 0)", async () => {
    writeFileSync(join(dir, 'secret.p12'), readFileSync(join(dir, 'java.p12')));
    execFileSync(
      'keytool',
      ['-genseckey', '-alias', 'aeskey', '-keyalg', 'AES', '-keysize', '256', '-storetype', 'PKCS12'].concat([
        '-keystore',
        'secret.p12',
        '-storepass',
        'P@ssw0rd',
        '-keypass',
        'P@ssw0rd',
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    for (const to of ['pfx', 'pem']) {
      const r = await cli(
        dir,
        'convert',
        'secret.p12',
        '--password',
        'P@ssw0rd',
        '--to',
        to,
        '--out',
        `secret-out.${to}`,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, to).toContain(
        'Warning: a bag of secret.p12 (secret keys, as a Java keystore holds, or a bag type certlab does not read) is not written: keep the original file for it.',
      );
    }
  });

  it('--to pfx writes every key with its own certificate (re-encrypting a keystore keeps both)', async () => {
    const r = await cli(
      dir,
      'convert',
      'java.p12',
      '--password',
      'P@ssw0rd',
      '--to',
      'pfx',
      '--out',
      'java-both.pfx',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Warning');
    expect(r.stdout).toContain('1 other key with its certificate (CN=jec)');
    const back = await readPkcs12(new Uint8Array(await readFile(join(dir, 'java-both.pfx'))), 'P@ssw0rd');
    expect(back.keys.map((k) => [k.friendlyName, k.certificate?.subject.commonName])).toEqual([
      ['jrsa', 'jrsa'],
      ['jec', 'jec'],
    ]);
    for (const k of back.keys) expect(k.key.publicKey.equals(k.certificate!.publicKey)).toBe(true);
    // openssl sees two keys, each tied to its certificate by localKeyID.
    const info = opensslAll(
      dir,
      'pkcs12',
      '-in',
      'java-both.pfx',
      '-passin',
      'pass:P@ssw0rd',
      '-nodes',
      '-info',
    );
    expect(info.match(/-----BEGIN PRIVATE KEY-----/g)).toHaveLength(2);
    expect(info.match(/localKeyID:/g)?.length).toBe(4);
  });
});

describe('convert: empty .pfx passwords', () => {
  it('reads and writes a .pfx with an explicitly empty password (as openssl -passout pass: writes it)', async () => {
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
    const r = await cli(dir, 'convert', 'empty.pfx', '--password', '', '--to', 'pem', '--out', 'empty.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'empty.pem'), 'utf8')).toBe(pki.leaf.toPem());
    await writeFile(join(dir, 'empty-pass.txt'), '\n');
    const w = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--key',
      'leaf.key',
      '--to',
      'pfx',
      '--pfx-password-file',
      'empty-pass.txt',
      '--out',
      'empty-out.pfx',
    );
    expect(w.code, w.stderr).toBe(0);
    expect(openssl(dir, 'pkcs12', '-in', 'empty-out.pfx', '-passin', 'pass:', '-nokeys')).toContain(
      'BEGIN CERTIFICATE',
    );
    const w2 = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--key',
      'leaf.key',
      '--to',
      'pfx',
      '--pfx-password',
      '',
      '--out',
      'empty-out2.pfx',
    );
    expect(w2.code, w2.stderr).toBe(0);
    expect(
      (await readPkcs12(new Uint8Array(await readFile(join(dir, 'empty-out2.pfx'))), '')).certificate!.equals(
        pki.leaf,
      ),
    ).toBe(true);
  });

  it('still refuses an empty password for a private key file (--key-password)', async () => {
    const r = await cli(
      dir,
      'convert',
      'leaf.pem',
      '--key',
      'leaf-enc.key',
      '--key-password',
      '',
      '--to',
      'pfx',
      '--pfx-password',
      'x',
      '--out',
      'nope.pfx',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'the password is empty (--key-password): a private key file needs a non-empty password.',
    );
  });
});

describe('convert: re-exporting a .pfx keeps the friendly names of its CA certificates', () => {
  it('writes each chain bag with the friendlyName it had (openssl -caname)', async () => {
    openssl(
      dir,
      'pkcs12',
      '-export',
      '-in',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-certfile',
      'ica.pem',
      '-name',
      'web01',
      '-caname',
      'Contoso Issuing',
      '-passout',
      'pass:named',
      '-out',
      'named.pfx',
    );
    const r = await cli(
      dir,
      'convert',
      'named.pfx',
      '--password',
      'named',
      '--to',
      'pfx',
      '--out',
      'named-again.pfx',
    );
    expect(r.code, r.stderr).toBe(0);
    const back = await readPkcs12(new Uint8Array(await readFile(join(dir, 'named-again.pfx'))), 'named');
    expect(back.friendlyName).toBe('web01');
    expect(
      back.bags
        .filter((b) => b.type === 'certificate')
        .map((b) => [b.certificate!.subject.commonName, b.friendlyName]),
    ).toEqual([
      [pki.leaf.subject.commonName, 'web01'],
      [pki.ica.subject.commonName, 'Contoso Issuing'],
    ]);
  });
});
