// `certlab cert selfsign` and `certlab cert show`, checked against OpenSSL.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, normHex, openssl, opensslAll, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  expect((await cli(dir, 'key', 'new', '--out', 'ca.key')).code).toBe(0);
  expect((await cli(dir, 'key', 'new', '--type', 'rsa', '--out', 'rsa.key')).code).toBe(0);
  // A certificate made by OpenSSL, the independent reference for `cert show`.
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'openssl.key',
    '-out',
    'openssl.pem',
    '-days',
    '30',
    '-subj',
    '/C=FR/O=OpenSSL Test/CN=a.example',
    '-addext',
    'subjectAltName=DNS:a.example,IP:10.0.0.1',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-addext',
    'keyUsage=critical,digitalSignature,keyCertSign',
    '-addext',
    'nsComment=made by openssl',
  );
});
afterAll(removeTempDirs);

describe('cert selfsign', () => {
  it('makes a root CA that OpenSSL parses and trusts', async () => {
    const r = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'ca.key',
      '--subject',
      'CN=Test Root CA, O=certlab, C=FR',
      '--ca',
      '--days',
      '3650',
      '--out',
      'ca.cer',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote self-signed CA certificate');
    expect(r.stdout).toMatch(/Cert Hash\(sha1\): +[0-9A-F]{40}/);
    const text = openssl(dir, 'x509', '-in', 'ca.cer', '-noout', '-text');
    expect(text).toContain('Subject: C = FR, O = certlab, CN = Test Root CA');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toContain('Subject Key Identifier');
    expect(text).toContain('ecdsa-with-SHA256');
    expect(opensslAll(dir, 'verify', '-CAfile', 'ca.cer', 'ca.cer')).toContain('ca.cer: OK');
  });

  it('makes an end-entity certificate with SANs, EKU, serial and hash as asked', async () => {
    const r = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'rsa.key',
      '--subject',
      'CN=leaf.example',
      '--dns',
      'leaf.example',
      '--ip',
      '192.0.2.7',
      '--eku',
      'serverAuth',
      '--serial',
      '0a:1b:2c',
      '--hash',
      'SHA-384',
      '--days',
      '30',
      '--out',
      'leaf.cer',
    );
    expect(r.code, r.stderr).toBe(0);
    const text = openssl(dir, 'x509', '-in', 'leaf.cer', '-noout', '-text');
    expect(text).toMatch(/Basic Constraints:\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(text).toContain('DNS:leaf.example, IP Address:192.0.2.7');
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toContain('Serial Number: 662316 (0xa1b2c)');
    expect(text).toContain('sha384WithRSAEncryption');
    const dates = openssl(dir, 'x509', '-in', 'leaf.cer', '-noout', '-startdate', '-enddate');
    const [start, end] = [...dates.matchAll(/=(.*)/g)].map((m) => Date.parse(m[1]!));
    expect(end! - start!).toBe(30 * 86_400_000);
  });

  it('writes DER with --der and to stdout with --out -', async () => {
    const r = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'ca.key',
      '--subject',
      'CN=der',
      '--der',
      '--out',
      '-',
    );
    expect(r.code).toBe(0);
    expect(r.stdoutBytes[0]).toBe(0x30);
    expect(r.stderr).toContain('Wrote self-signed certificate to stdout (DER)');
    await writeFile(join(dir, 'out.der'), r.stdoutBytes);
    expect(openssl(dir, 'x509', '-in', 'out.der', '-inform', 'DER', '-noout', '-subject')).toContain(
      'CN = der',
    );
  });

  it('rejects bad options with exit 2 and an existing --out with exit 1', async () => {
    const cases: [string[], string][] = [
      [['--subject', 'CN=x', '--out', 'x.cer'], '--key is required'],
      [['--key', 'ca.key', '--out', 'x.cer'], '--subject is required'],
      [
        ['--key', 'ca.key', '--subject', 'CN=x', '--days', '0', '--out', 'x.cer'],
        '--days must be an integer',
      ],
      [
        ['--key', 'ca.key', '--subject', 'CN=x', '--days', 'ten', '--out', 'x.cer'],
        '--days must be an integer',
      ],
      [
        ['--key', 'ca.key', '--subject', 'CN=x', '--serial', 'xyz', '--out', 'x.cer'],
        '[ERR_PKI_SERIAL_INVALID]',
      ],
      [
        ['--key', 'ca.key', '--subject', 'CN=x', '--path-length', '1', '--out', 'x.cer'],
        '--path-length needs --ca',
      ],
      [['--key', 'ca.key', '--subject', '', '--out', 'x.cer'], '--subject is required'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(dir, 'cert', 'selfsign', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    const exists = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'ca.key',
      '--subject',
      'CN=x',
      '--out',
      'ca.cer',
    );
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('ca.cer already exists');
    const forced = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'ca.key',
      '--subject',
      'CN=y',
      '--out',
      'leaf2.cer',
      '--force',
    );
    expect(forced.code).toBe(0);
  });
});

describe('cert show', () => {
  it('shows the certificates of a .p7b, DER or PEM, in its order', async () => {
    const second = await cli(
      dir,
      'cert',
      'selfsign',
      '--key',
      'rsa.key',
      '--subject',
      'CN=second.example',
      '--out',
      'second.pem',
    );
    expect(second.code, second.stderr).toBe(0);
    for (const form of ['DER', 'PEM']) {
      const file = `two-${form}.p7b`;
      openssl(
        dir,
        'crl2pkcs7',
        '-nocrl',
        '-certfile',
        'openssl.pem',
        '-certfile',
        'second.pem',
        '-outform',
        form,
        '-out',
        file,
      );
      const r = await cli(dir, 'cert', 'show', file, '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      const subjects = (JSON.parse(r.stdout) as { subject: string }[]).map((c) => c.subject);
      expect(subjects, form).toHaveLength(2);
      expect(subjects[0], form).toContain('a.example');
      expect(subjects[1], form).toContain('second.example');
    }
    openssl(dir, 'crl2pkcs7', '-nocrl', '-outform', 'DER', '-out', 'empty.p7b');
    const empty = await cli(dir, 'cert', 'show', 'empty.p7b');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('certlab: empty.p7b holds no certificate.\n');
  });

  it('names the file when a field decoded on demand is damaged', async () => {
    openssl(dir, 'x509', '-in', 'openssl.pem', '-outform', 'DER', '-out', 'good.der');
    const bytes = new Uint8Array(await readFile(join(dir, 'good.der')));
    // The issuer's first RDN (SET { SEQUENCE { OID 2.5.4.6 countryName … } }): make the SET an
    // OCTET STRING. The certificate still parses; its issuer fails when the report reads it.
    const country = [0x06, 0x03, 0x55, 0x04, 0x06];
    const at = bytes.findIndex((_, i) => country.every((b, j) => bytes[i + j] === b));
    expect(bytes[at - 4]).toBe(0x31);
    bytes[at - 4] = 0x04;
    await writeFile(join(dir, 'bad-issuer.der'), bytes);
    const r = await cli(dir, 'cert', 'show', 'bad-issuer.der');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: bad-issuer\.der: .+\[ERR_PKI_[A-Z_]+\]\n$/);
  });

  it('shows a certificate whose key type certlab does not read (Ed448), its signature not checked', async () => {
    openssl(
      dir,
      'req',
      '-x509',
      '-newkey',
      'ed448',
      '-nodes',
      '-keyout',
      'ed448.key',
      '-subj',
      '/CN=ed448.example',
      '-days',
      '1',
      '-out',
      'ed448.pem',
    );
    const r = await cli(dir, 'cert', 'show', 'ed448.pem');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Algorithm ObjectId: 1.3.101.113 Ed448');
    expect(r.stdout).toContain('The public key uses Ed448 (OID 1.3.101.113), which is not supported.');
    expect(r.stdout).toContain('Signature not checked: ');
    const j = JSON.parse((await cli(dir, 'cert', 'show', 'ed448.pem', '--format', 'json')).stdout) as {
      publicKey: { algorithm: string | null; error: string };
      signature: { valid: boolean | null };
    }[];
    expect(j[0]!.publicKey.algorithm).toBeNull();
    expect(j[0]!.publicKey.error).toMatch(/Ed448/);
    expect(j[0]!.signature.valid).toBeNull();
    expect((await cli(dir, 'show', 'ed448.pem')).code).toBe(0);
  });

  it('shows an OpenSSL certificate like certutil, with thumbprints matching OpenSSL', async () => {
    const r = await cli(dir, 'cert', 'show', 'openssl.pem');
    expect(r.code, r.stderr).toBe(0);
    const t = r.stdout;
    expect(t).toContain('X509 Certificate:');
    expect(t).toContain('Version: 3');
    expect(t).toContain('Algorithm ObjectId: 1.2.840.10045.4.3.2 sha256ECDSA');
    expect(t).toContain('Issuer:\n    CN=a.example, O=OpenSSL Test, C=FR');
    expect(t).toContain('Subject:\n    CN=a.example, O=OpenSSL Test, C=FR');
    expect(t).toMatch(
      / NotBefore: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n NotAfter: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );
    expect(t).toContain('Algorithm ObjectId: 1.2.840.10045.2.1 ECC');
    expect(t).toContain('Public Key Length: 256 bits');
    expect(t).toContain('DNS Name=a.example');
    expect(t).toContain('IP Address=10.0.0.1');
    expect(t).toContain('Server Authentication (1.3.6.1.5.5.7.3.1)');
    expect(t).toContain('2.5.29.15: Flags = 1(Critical)');
    expect(t).toContain('Digital Signature, Certificate Signing (84)');
    expect(t).toContain('Subject Type=CA');
    expect(t).toContain('Path Length Constraint=None');
    // nsComment is unknown to certlab: shown as a hex dump.
    expect(t).toContain('2.16.840.1.113730.1.13: Flags = 0');
    expect(t).toMatch(/0000 {2}16 0f 6d 61 64 65 20 62 {2}79 20 6f 70 65 6e 73 73 +\.\.made by openss/);
    expect(t).toContain('Signature matches its own public key');
    expect(t).toContain('Root Certificate: Subject matches Issuer');
    const sha1 = normHex(
      openssl(dir, 'x509', '-in', 'openssl.pem', '-noout', '-fingerprint', '-sha1').split('=')[1]!,
    );
    const sha256 = normHex(
      openssl(dir, 'x509', '-in', 'openssl.pem', '-noout', '-fingerprint', '-sha256').split('=')[1]!,
    );
    expect(t).toContain(`Cert Hash(sha1): ${sha1}\n`);
    expect(t).toContain(`Cert Hash(sha256): ${sha256}\n`);
    const serial = normHex(openssl(dir, 'x509', '-in', 'openssl.pem', '-noout', '-serial').split('=')[1]!);
    // Windows (and we) show the DER content octets, with the 00 sign octet when the first bit is
    // set; OpenSSL prints the number without it: compare the values.
    const shown = /Serial Number: ([0-9A-F]+)/.exec(t)![1]!;
    expect(BigInt(`0x${shown}`)).toBe(BigInt(`0x${serial}`));
  });

  it('prints JSON that parses, with strings for serial, dates and hex', async () => {
    const r = await cli(dir, 'cert', 'show', 'openssl.pem', '--format', 'json');
    expect(r.code).toBe(0);
    const [c] = JSON.parse(r.stdout);
    expect(c.version).toBe(3);
    expect(typeof c.serialNumber).toBe('string');
    expect(c.subject).toBe('CN=a.example, O=OpenSSL Test, C=FR');
    expect(c.issuerRfc4514).toBe('CN=a.example,O=OpenSSL Test,C=FR');
    expect(c.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(c.subjectAltNames).toEqual([
      { type: 'dns', value: 'a.example' },
      { type: 'ip', value: '10.0.0.1' },
    ]);
    expect(c.publicKey).toMatchObject({ algorithm: 'ec', curve: 'P-256', bits: 256 });
    const ku = c.extensions.find((e: { oid: string }) => e.oid === '2.5.29.15');
    expect(ku).toMatchObject({
      name: 'Key Usage',
      critical: true,
      value: ['digitalSignature', 'keyCertSign'],
    });
    const ns = c.extensions.find((e: { oid: string }) => e.oid === '2.16.840.1.113730.1.13');
    expect(ns.value).toBeNull();
    expect(ns.der).toMatch(/^160f/);
    expect(c.selfIssued).toBe(true);
    expect(c.signature.valid).toBe(true);
    const sha1 = normHex(
      openssl(dir, 'x509', '-in', 'openssl.pem', '-noout', '-fingerprint', '-sha1').split('=')[1]!,
    );
    expect(c.thumbprints.sha1).toBe(sha1);
    expect(c.thumbprints.sha256).toMatch(/^[0-9A-F]{64}$/);
  });

  it('shows every certificate of a PEM bundle, and reads DER and bare Base64', async () => {
    const bundle =
      (await readFile(join(dir, 'ca.cer'), 'utf8')) + (await readFile(join(dir, 'openssl.pem'), 'utf8'));
    await writeFile(join(dir, 'bundle.pem'), `Some explanatory text\n${bundle}`);
    const text = await cli(dir, 'cert', 'show', 'bundle.pem');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('================ Certificate 0 ================');
    expect(text.stdout).toContain('================ Certificate 1 ================');
    expect(text.stdout).toContain('CN=Test Root CA, O=certlab, C=FR');
    expect(text.stdout).toContain('CN=a.example, O=OpenSSL Test, C=FR');
    const json = await cli(dir, 'cert', 'show', 'bundle.pem', '--format', 'json');
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    openssl(dir, 'x509', '-in', 'openssl.pem', '-outform', 'DER', '-out', 'openssl.der');
    const pem = await readFile(join(dir, 'openssl.pem'), 'utf8');
    await writeFile(
      join(dir, 'openssl.b64'),
      pem
        .split('\n')
        .filter((l) => !l.startsWith('-----'))
        .join(''),
    );
    for (const f of ['openssl.der', 'openssl.b64']) {
      const r = await cli(dir, 'cert', 'show', f, '--format', 'json');
      expect(r.code, f).toBe(0);
      expect(JSON.parse(r.stdout)[0].subject).toBe('CN=a.example, O=OpenSSL Test, C=FR');
    }
  });

  it('reads - from stdin', async () => {
    const { PassThrough } = await import('node:stream');
    const { run } = await import('../src/index.js');
    const stdin = new PassThrough();
    stdin.end(await readFile(join(dir, 'openssl.pem')));
    let stdout = '';
    const code = await run(['cert', 'show', '-', '--format', 'json'], {
      stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
      stderr: { write: () => true },
      stdin,
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0].subject).toBe('CN=a.example, O=OpenSSL Test, C=FR');
  });

  it('checks signatures with --issuer, and --verify exits 1 when one does not verify', async () => {
    openssl(dir, 'req', '-new', '-key', 'rsa.key', '-subj', '/CN=issued', '-out', 'issued.csr');
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      'issued.csr',
      '-CA',
      'ca.cer',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '5',
      '-out',
      'issued.cer',
    );
    const unknown = await cli(dir, 'cert', 'show', 'issued.cer');
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('Signature not checked: the issuer is not known (give --issuer FILE)');
    const ok = await cli(dir, 'cert', 'show', 'issued.cer', '--issuer', 'ca.cer', '--verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Signature matches the issuer public key');
    const wrong = await cli(dir, 'cert', 'show', 'issued.cer', '--issuer', 'openssl.pem', '--verify');
    expect(wrong.code).toBe(1);
    // The key of --issuer is used whatever its name; the failure says that it is another name.
    expect(wrong.stdout).toContain(
      "ERROR: Signature does NOT match the issuer public key (the issuer given is CN=a.example, O=OpenSSL Test, C=FR, not this certificate's issuer)",
    );
    expect(wrong.stderr).toContain(
      'certlab: certificate 0: signature does NOT match the issuer public key (',
    );
    // A file with a self-signed certificate that --issuer did not issue: that one is checked with
    // its own key, as without --issuer (the root at the end of a chain file).
    await writeFile(
      join(dir, 'issued-and-other.pem'),
      (await readFile(join(dir, 'issued.cer'), 'utf8')) + (await readFile(join(dir, 'openssl.pem'), 'utf8')),
    );
    const mixed = await cli(dir, 'cert', 'show', 'issued-and-other.pem', '--issuer', 'ca.cer', '--verify');
    expect(mixed.code, mixed.stdout).toBe(0);
    expect(mixed.stdout).toContain('Signature matches the issuer public key');
    expect(mixed.stdout).toContain('Signature matches its own public key');
    const notChecked = await cli(dir, 'cert', 'show', 'issued.cer', '--verify');
    expect(notChecked.code).toBe(1);
    const notACert = await cli(dir, 'cert', 'show', 'issued.cer', '--issuer', 'issued.csr');
    expect(notACert.code).toBe(2);
    expect(notACert.stderr).toContain('issued.csr contains no "CERTIFICATE" PEM block');
  });

  it('rejects garbage, empty files, missing files and non-certificates with exit 2', async () => {
    await writeFile(join(dir, 'garbage.txt'), 'this is certainly not a certificate!\n');
    await writeFile(join(dir, 'empty.cer'), '');
    const cases: [string, RegExp][] = [
      ['garbage.txt', /^certlab: .+ \[ERR_PKI_[A-Z_]+\]\n$/],
      ['empty.cer', /^certlab: .+ \[ERR_PKI_[A-Z_]+\]\n$/],
      ['missing.cer', /^certlab: cannot read missing\.cer: no such file or directory\.\n$/],
      [
        'ca.key',
        /^certlab: ca\.key contains no "CERTIFICATE" PEM block \(it has: PRIVATE KEY\)\. \[ERR_PKI_PEM_INVALID\]\n$/,
      ],
    ];
    for (const [f, message] of cases) {
      const r = await cli(dir, 'cert', 'show', f);
      expect(r.code, f).toBe(2);
      expect(r.stderr, f).toMatch(message);
      expect(r.stdout, f).toBe('');
    }
  });
});
