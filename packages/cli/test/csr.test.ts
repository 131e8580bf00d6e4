// `certlab csr new` and `certlab csr show`, checked against OpenSSL.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openssl, opensslAll, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'pass.txt'), 's3cret-pass\n');
  expect((await cli(dir, 'key', 'new', '--type', 'rsa', '--out', 'rsa.key')).code).toBe(0);
  expect(
    (
      await cli(
        dir,
        'key',
        'new',
        '--password-file',
        'pass.txt',
        '--iterations',
        '2000',
        '--out',
        'ec-enc.key',
      )
    ).code,
  ).toBe(0);
});
afterAll(removeTempDirs);

describe('csr new', () => {
  it('makes a request OpenSSL verifies, with SANs, EKU, key usage and the AD CS template', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'rsa.key',
      '--subject',
      'CN=web01.contoso.com, OU=IT, O=Contoso, C=FR',
      '--dns',
      'web01.contoso.com',
      '--dns',
      'web01',
      '--ip',
      '10.0.0.5',
      '--ip',
      '2001:db8::5',
      '--email',
      'admin@contoso.com',
      '--upn',
      'web01$@contoso.com',
      '--eku',
      'serverAuth,clientAuth',
      '--key-usage',
      'digitalSignature,keyEncipherment',
      '--template',
      'WebServer',
      '--out',
      'web01.csr',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote certificate request');
    expect(r.stdout).toContain('Template:  WebServer');
    // Windows' name, as csr show and cert show print it (certutil's sha256RSA).
    expect(r.stdout).toContain('  Signature: sha256RSA\n');
    const pem = await readFile(join(dir, 'web01.csr'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(opensslAll(dir, 'req', '-in', 'web01.csr', '-noout', '-verify')).toMatch(/verify OK/);
    const text = openssl(dir, 'req', '-in', 'web01.csr', '-noout', '-text');
    expect(text).toContain('Subject: C = FR, O = Contoso, OU = IT, CN = web01.contoso.com');
    expect(text).toContain(
      'DNS:web01.contoso.com, DNS:web01, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5, email:admin@contoso.com, othername: UPN::web01$@contoso.com',
    );
    expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(text).toContain('1.3.6.1.4.1.311.20.2');
    expect(text).toContain('sha256WithRSAEncryption');
  });

  it('generates a new key with --new-key, encrypted when a password is given, mode 0600', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ec',
      '--curve',
      'P-384',
      '--key-out',
      'new.key',
      '--password-file',
      'pass.txt',
      '--iterations',
      '2000',
      '--subject',
      'CN=new.example',
      '--dns',
      'new.example',
      '--out',
      'new.csr',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('EC P-384, new, encrypted');
    expect((await stat(join(dir, 'new.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'new.key'), 'utf8')).toMatch(/BEGIN ENCRYPTED PRIVATE KEY/);
    expect(opensslAll(dir, 'req', '-in', 'new.csr', '-noout', '-verify')).toMatch(/verify OK/);
    const text = openssl(dir, 'req', '-in', 'new.csr', '-noout', '-text');
    expect(text).toContain('ecdsa-with-SHA384');
    expect(text).toContain('DNS:new.example');
    // The request's key is the saved key.
    const fromCsr = openssl(dir, 'req', '-in', 'new.csr', '-noout', '-pubkey');
    const fromKey = openssl(dir, 'pkey', '-in', 'new.key', '-passin', 'pass:s3cret-pass', '-pubout');
    expect(fromCsr).toBe(fromKey);
  });

  it('signs with an encrypted key, Ed25519 keys, a chosen hash, and writes DER with --der', async () => {
    const enc = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'ec-enc.key',
      '--password-file',
      'pass.txt',
      '--subject',
      'CN=enc',
      '--hash',
      'sha512',
      '--der',
      '--out',
      'enc.der',
    );
    expect(enc.code, enc.stderr).toBe(0);
    const der = await readFile(join(dir, 'enc.der'));
    expect(der[0]).toBe(0x30);
    expect(opensslAll(dir, 'req', '-in', 'enc.der', '-inform', 'DER', '-noout', '-verify')).toMatch(
      /verify OK/,
    );
    expect(openssl(dir, 'req', '-in', 'enc.der', '-inform', 'DER', '-noout', '-text')).toContain(
      'ecdsa-with-SHA512',
    );
    const ed = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ed25519',
      '--key-out',
      'ed.key',
      '--subject',
      'CN=ed',
      '--out',
      'ed.csr',
    );
    expect(ed.code, ed.stderr).toBe(0);
    expect(opensslAll(dir, 'req', '-in', 'ed.csr', '-noout', '-verify')).toMatch(/verify OK/);
  });

  it('rejects bad combinations and values with exit 2, before writing anything', async () => {
    const cases: [string[], string][] = [
      [['--subject', 'CN=x', '--out', 'a.csr'], '--key FILE or --new-key TYPE is required'],
      [['--key', 'rsa.key', '--new-key', 'ec', '--subject', 'CN=x', '--out', 'a.csr'], 'not both'],
      [['--new-key', 'ec', '--subject', 'CN=x', '--out', 'a.csr'], '--new-key needs --key-out'],
      [
        ['--new-key', 'dsa', '--key-out', 'a.key', '--subject', 'CN=x', '--out', 'a.csr'],
        "unknown key type 'dsa'",
      ],
      [['--key', 'rsa.key', '--out', 'a.csr'], '--subject is required'],
      [['--key', 'rsa.key', '--subject', '', '--out', 'a.csr'], 'an empty --subject needs at least one SAN'],
      [['--key', 'rsa.key', '--subject', 'CN=x'], '--out is required'],
      [
        ['--key', 'rsa.key', '--subject', 'CN=x', '--ip', '10.0.0.300', '--out', 'a.csr'],
        "--ip '10.0.0.300' is not an IPv4 or IPv6 address",
      ],
      [['--key', 'rsa.key', '--subject', 'CN=x', '--dns', 'bad name', '--out', 'a.csr'], 'is not a DNS name'],
      [
        ['--key', 'rsa.key', '--subject', 'CN=x', '--eku', 'serverAuth,frobnicate', '--out', 'a.csr'],
        "unknown extended key usage 'frobnicate'",
      ],
      [
        ['--key', 'rsa.key', '--subject', 'CN=x', '--key-usage', 'signing', '--out', 'a.csr'],
        "unknown key usage 'signing'",
      ],
      [
        ['--key', 'rsa.key', '--subject', 'CN=x', '--hash', 'MD5', '--out', 'a.csr'],
        '--hash must be SHA-256, SHA-384 or SHA-512',
      ],
      [
        ['--key', 'ed.key', '--subject', 'CN=x', '--hash', 'SHA-256', '--out', 'a.csr'],
        '--hash does not apply to Ed25519',
      ],
      [['--key', 'rsa.key', '--subject', 'XX=nope', '--out', 'a.csr'], '[ERR_PKI_NAME_INVALID]'],
      [
        ['--key', 'missing.key', '--subject', 'CN=x', '--out', 'a.csr'],
        'cannot read missing.key: no such file or directory',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(dir, 'csr', 'new', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    await expect(stat(join(dir, 'a.csr'))).rejects.toThrow();
  });

  it('makes a request with an empty subject and a critical SAN (RFC 5280 §4.2.1.6)', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'rsa.key',
      '--subject',
      '',
      '--dns',
      'empty.example',
      '--out',
      'empty.csr',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Subject:   (empty)');
    const text = openssl(dir, 'req', '-in', 'empty.csr', '-noout', '-text');
    expect(text).toMatch(/X509v3 Subject Alternative Name: critical\s+DNS:empty\.example/);
    expect(openssl(dir, 'req', '-in', 'empty.csr', '-noout', '-subject').trim()).toBe('subject=');
  });

  it('refuses to overwrite the request or the new key without --force', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ec',
      '--key-out',
      'fresh.key',
      '--subject',
      'CN=x',
      '--out',
      'web01.csr',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('web01.csr already exists');
    await expect(stat(join(dir, 'fresh.key'))).rejects.toThrow();
    const r2 = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ec',
      '--key-out',
      'rsa.key',
      '--subject',
      'CN=x',
      '--out',
      'fresh.csr',
    );
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('rsa.key already exists');
  });
});

describe('csr show', () => {
  it('shows subject, key, decoded extensions, attributes, template and signature', async () => {
    const r = await cli(dir, 'csr', 'show', 'web01.csr');
    expect(r.code, r.stderr).toBe(0);
    const t = r.stdout;
    expect(t).toContain('PKCS10 Certificate Request:');
    expect(t).toContain('    CN=web01.contoso.com, OU=IT, O=Contoso, C=FR');
    expect(t).toContain('Algorithm ObjectId: 1.2.840.113549.1.1.1 RSA');
    expect(t).toContain('Public Key Length: 2048 bits');
    expect(t).toContain('2.5.29.17: Flags = 0');
    expect(t).toContain('DNS Name=web01.contoso.com');
    expect(t).toContain('IP Address=10.0.0.5');
    expect(t).toContain('IP Address=2001:db8::5');
    expect(t).toContain('RFC822 Name=admin@contoso.com');
    expect(t).toContain('Other Name: Principal Name=web01$@contoso.com');
    expect(t).toContain('Server Authentication (1.3.6.1.5.5.7.3.1)');
    expect(t).toContain('Client Authentication (1.3.6.1.5.5.7.3.2)');
    expect(t).toContain('2.5.29.15: Flags = 1(Critical)');
    expect(t).toContain('Digital Signature, Key Encipherment (a0)');
    expect(t).toContain('CertificateTemplate=WebServer');
    expect(t).toContain('Certificate Template: WebServer');
    expect(t).toContain('Algorithm ObjectId: 1.2.840.113549.1.1.11 sha256RSA');
    expect(t).toContain('Signature matches Public Key');
  });

  it('prints stable JSON', async () => {
    const r = await cli(dir, 'csr', 'show', 'web01.csr', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.subject).toBe('CN=web01.contoso.com, OU=IT, O=Contoso, C=FR');
    expect(j.subjectRfc4514).toBe('CN=web01.contoso.com,OU=IT,O=Contoso,C=FR');
    expect(j.publicKey).toMatchObject({ algorithm: 'rsa', bits: 2048, curve: null });
    expect(j.subjectAltNames).toEqual([
      { type: 'dns', value: 'web01.contoso.com' },
      { type: 'dns', value: 'web01' },
      { type: 'ip', value: '10.0.0.5' },
      { type: 'ip', value: '2001:db8::5' },
      { type: 'email', value: 'admin@contoso.com' },
      { type: 'upn', value: 'web01$@contoso.com' },
    ]);
    const eku = j.extensions.find((e: { oid: string }) => e.oid === '2.5.29.37');
    expect(eku).toMatchObject({
      name: 'Enhanced Key Usage',
      critical: false,
      value: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    });
    expect(eku.der).toMatch(/^[0-9a-f]+$/);
    expect(j.template).toBe('WebServer');
    expect(j.challengePassword).toBe(false);
    expect(j.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.11', name: 'sha256RSA' });
    expect(j.signature.valid).toBe(true);
  });

  it('reads the NEW CERTIFICATE REQUEST label of certreq, DER, bare Base64 and stdin-less paths', async () => {
    const pem = await readFile(join(dir, 'web01.csr'), 'utf8');
    await writeFile(
      join(dir, 'certreq.req'),
      pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST').replace(/\n/g, '\r\n'),
    );
    await writeFile(
      join(dir, 'bare.b64'),
      pem
        .split('\n')
        .filter((l) => !l.startsWith('-----'))
        .join('\r\n'),
    );
    for (const f of ['certreq.req', 'bare.b64', 'enc.der']) {
      const r = await cli(dir, 'csr', 'show', f, '--verify');
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('Signature matches Public Key');
    }
  });

  it('shows the challenge password as present, never its value', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'rsa.key',
      '--subject',
      'CN=cp',
      '--challenge-password',
      'hunter2',
      '--out',
      'cp.csr',
    );
    expect(r.code).toBe(0);
    expect(openssl(dir, 'req', '-in', 'cp.csr', '-noout', '-text')).toContain('hunter2');
    const text = await cli(dir, 'csr', 'show', 'cp.csr');
    expect(text.stdout).toContain('(present, not shown)');
    expect(text.stdout).not.toContain('hunter2');
    const json = await cli(dir, 'csr', 'show', 'cp.csr', '--format', 'json');
    expect(JSON.parse(json.stdout).challengePassword).toBe(true);
    expect(json.stdout).not.toContain('hunter2');
  });

  it('reads the challenge password from the first line of --challenge-password-file', async () => {
    await writeFile(join(dir, 'cp.pass'), 'correct horse\r\nsecond line\n');
    const r = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'rsa.key',
      '--subject',
      'CN=cpf',
      '--challenge-password-file',
      'cp.pass',
      '--out',
      'cpf.csr',
    );
    expect(r.code, r.stderr).toBe(0);
    const text = openssl(dir, 'req', '-in', 'cpf.csr', '-noout', '-text');
    expect(text).toMatch(/challengePassword\s*:\s*correct horse\s*$/m);
    expect(text).not.toContain('second line');
  });

  it('refuses an empty challenge password and both challenge password options (exit 2)', async () => {
    await writeFile(join(dir, 'empty.pass'), '\n');
    for (const opts of [
      ['--challenge-password', ''],
      ['--challenge-password-file', 'empty.pass'],
      ['--challenge-password', 'x', '--challenge-password-file', 'empty.pass'],
    ]) {
      const r = await cli(
        dir,
        'csr',
        'new',
        '--key',
        'rsa.key',
        '--subject',
        'CN=e',
        ...opts,
        '--out',
        'e.csr',
      );
      expect(r.code, opts.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/challenge-password/);
    }
  });

  it('reports a signature that does not verify, with exit 1 under --verify', async () => {
    const der = new Uint8Array(await readFile(join(dir, 'enc.der')));
    // Flip one byte of the subject's CN value ("enc"), leaving the structure intact.
    const i = Buffer.from(der).indexOf(Buffer.from('enc'));
    der[i] = 'f'.charCodeAt(0);
    await writeFile(join(dir, 'tampered.der'), der);
    const show = await cli(dir, 'csr', 'show', 'tampered.der');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('ERROR: Signature does NOT match Public Key');
    const verify = await cli(dir, 'csr', 'show', 'tampered.der', '--verify');
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('certlab: the request signature does NOT match Public Key.');
  });

  it('rejects garbage and certificates with exit 2', async () => {
    await writeFile(
      join(dir, 'garbage.bin'),
      Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 1) & 0xff),
    );
    const g = await cli(dir, 'csr', 'show', 'garbage.bin');
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/^certlab: .+ \[ERR_PKI_[A-Z_]+\]\n$/);
    openssl(dir, 'req', '-x509', '-key', 'rsa.key', '-subj', '/CN=c', '-days', '1', '-out', 'c.pem');
    const c = await cli(dir, 'csr', 'show', 'c.pem');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(
      "c.pem is a certificate, not a certificate request: 'certlab show c.pem' shows what it holds.",
    );
  });
});
