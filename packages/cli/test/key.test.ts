// `certlab key new` and `certlab key show`.

import { lstat, open, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli, openssl, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'pass.txt'), 'correct horse\n');
});
afterAll(removeTempDirs);

describe('key new', () => {
  it('writes an EC P-256 PKCS#8 key by default, mode 0600, and prints a summary', async () => {
    const r = await cli(dir, 'key', 'new', '--out', 'ec.key');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Generated EC P-256 key');
    expect(r.stdout).toMatch(/Key Id Hash\(rfc-sha1\): +[0-9a-f]{40}/);
    expect(r.stdout).toMatch(/Key Id Hash\(spki-sha256\): +[0-9a-f]{64}/);
    expect(r.stdout).toContain(join(dir, 'ec.key'));
    const pem = await readFile(join(dir, 'ec.key'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect((await stat(join(dir, 'ec.key'))).mode & 0o777).toBe(0o600);
    expect(openssl(dir, 'pkey', '-in', 'ec.key', '-noout', '-text')).toMatch(
      /NIST CURVE: P-256|ASN1 OID: prime256v1/,
    );
  });

  it('writes RSA, EC P-384 and Ed25519 keys that OpenSSL reads', async () => {
    const cases: [string[], RegExp][] = [
      [['--type', 'rsa', '--bits', '2048'], /Private-Key: \(2048 bit/],
      [['--type', 'ec', '--curve', 'P-384'], /Private-Key: \(384 bit/],
      [['--type', 'ed25519'], /ED25519 Private-Key/],
    ];
    for (const [i, [args, text]] of cases.entries()) {
      const r = await cli(dir, 'key', 'new', ...args, '--out', `k${i}.key`);
      expect(r.code, args.join(' ')).toBe(0);
      expect(openssl(dir, 'pkey', '-in', `k${i}.key`, '-noout', '-text')).toMatch(text);
    }
  });

  it('encrypts with PBES2 when a password is given, readable by OpenSSL with that password', async () => {
    const r = await cli(
      dir,
      'key',
      'new',
      '--password-file',
      'pass.txt',
      '--iterations',
      '2000',
      '--out',
      'enc.key',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('encrypted (PBES2');
    const pem = await readFile(join(dir, 'enc.key'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(
      openssl(dir, 'pkey', '-in', 'enc.key', '-passin', 'pass:correct horse', '-noout', '-text'),
    ).toContain('Private-Key');
    const r2 = await cli(
      dir,
      'key',
      'new',
      '--password',
      'p4ss',
      '--iterations',
      '2000',
      '--out',
      'enc2.key',
    );
    expect(r2.code).toBe(0);
    expect(openssl(dir, 'pkey', '-in', 'enc2.key', '-passin', 'pass:p4ss', '-noout')).toBe('');
  });

  it('refuses to overwrite without --force (exit 1), and keeps mode 0600 when forced', async () => {
    await writeFile(join(dir, 'taken.key'), 'old', { mode: 0o644 });
    const r = await cli(dir, 'key', 'new', '--out', 'taken.key');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('certlab: taken.key already exists.\nUse --force to overwrite it.\n');
    expect(await readFile(join(dir, 'taken.key'), 'utf8')).toBe('old');
    const f = await cli(dir, 'key', 'new', '--out', 'taken.key', '--force');
    expect(f.code).toBe(0);
    expect(await readFile(join(dir, 'taken.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect((await stat(join(dir, 'taken.key'))).mode & 0o777).toBe(0o600);
  });

  it('with --force, replaces an existing key file instead of rewriting it in place', async () => {
    // A process that opened the old, world-readable file keeps reading the old content: the
    // new key goes into a new 0600 file renamed over it, not into the old file.
    await writeFile(join(dir, 'open.key'), 'old\n', { mode: 0o644 });
    const reader = await open(join(dir, 'open.key'), 'r');
    try {
      const before = await reader.stat();
      const f = await cli(dir, 'key', 'new', '--out', 'open.key', '--force');
      expect(f.code).toBe(0);
      expect(await reader.readFile('utf8')).toBe('old\n');
      const after = await stat(join(dir, 'open.key'));
      expect(after.ino).not.toBe(before.ino);
      expect(after.mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, 'open.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    } finally {
      await reader.close();
    }
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('with --force, refuses a symbolic link at a key output and leaves both alone', async () => {
    await writeFile(join(dir, 'elsewhere.txt'), 'not a key\n', { mode: 0o644 });
    await symlink('elsewhere.txt', join(dir, 'link.key'));
    const f = await cli(dir, 'key', 'new', '--out', 'link.key', '--force');
    expect(f.code).toBe(1);
    expect(f.stderr).toBe(
      'certlab: link.key is a symbolic link, and certlab does not write a secret through one nor replace it.\nGive the path of the file it points to, or remove the link.\n',
    );
    expect(await readFile(join(dir, 'elsewhere.txt'), 'utf8')).toBe('not a key\n');
    expect((await lstat(join(dir, 'link.key'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'link.key'))).toBe('elsewhere.txt');
    // A dangling link is refused too, rather than creating the file it names.
    await symlink('nowhere.key', join(dir, 'dangling.key'));
    expect((await cli(dir, 'key', 'new', '--out', 'dangling.key', '--force')).code).toBe(1);
    await expect(stat(join(dir, 'nowhere.key'))).rejects.toThrow();
  });

  it('writes to stdout with --out -, the summary going to stderr', async () => {
    const r = await cli(dir, 'key', 'new', '--out', '-');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]*-----END PRIVATE KEY-----\n$/);
    expect(r.stderr).toContain('Generated EC P-256 key');
  });

  it('rejects --iterations without a password', async () => {
    const r = await cli(dir, 'key', 'new', '--iterations', '5000', '--out', 'x.key');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--iterations needs --password');
  });
});

describe('key show', () => {
  beforeAll(async () => {
    expect((await cli(dir, 'key', 'new', '--out', 'show.key')).code).toBe(0);
    expect(
      (
        await cli(
          dir,
          'key',
          'new',
          '--type',
          'rsa',
          '--password-file',
          'pass.txt',
          '--iterations',
          '2000',
          '--out',
          'show-enc.key',
        )
      ).code,
    ).toBe(0);
  });

  it('describes a private key, with the key id OpenSSL computes for the SKI', async () => {
    const r = await cli(dir, 'key', 'show', 'show.key');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Private Key: EC P-256');
    expect(r.stdout).toContain('Container: PKCS#8');
    expect(r.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    // The key id is the SHA-1 of the public key bits: what `openssl x509` puts in the SKI.
    openssl(dir, 'req', '-x509', '-key', 'show.key', '-subj', '/CN=ski', '-days', '1', '-out', 'ski.pem');
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(
      openssl(dir, 'x509', '-in', 'ski.pem', '-noout', '-text'),
    )![1]!;
    expect(r.stdout).toContain(`Key Id Hash(rfc-sha1): ${ski.replace(/:/g, '').toLowerCase()}`);
  });

  it('reads an encrypted key with its password, and says which option is missing without it', async () => {
    const ok = await cli(
      dir,
      'key',
      'show',
      'show-enc.key',
      '--password-file',
      'pass.txt',
      '--format',
      'json',
    );
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j).toMatchObject({
      kind: 'private',
      encrypted: true,
      publicKey: { algorithm: 'rsa', bits: 2048 },
    });
    expect(j.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const missing = await cli(dir, 'key', 'show', 'show-enc.key');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--password-file');
    expect(missing.stderr).toContain('[ERR_PKI_KEY_ENCRYPTED]');
  });

  it('reports a wrong password with exit 2 and never prints the password', async () => {
    const r = await cli(dir, 'key', 'show', 'show-enc.key', '--password', 'Tr0ub4dor&3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: .*\[ERR_PKI_KEY_PASSWORD\]\n$/);
    expect(r.stderr).not.toContain('Tr0ub4dor');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('describes a public key and an OpenSSL traditional EC key', async () => {
    openssl(dir, 'pkey', '-in', 'show.key', '-pubout', '-out', 'show.pub');
    const pub = await cli(dir, 'key', 'show', 'show.pub');
    expect(pub.code).toBe(0);
    expect(pub.stdout).toContain('Public Key: EC P-256');
    openssl(dir, 'ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'trad.key');
    const trad = await cli(dir, 'key', 'show', 'trad.key');
    expect(trad.code).toBe(0);
    expect(trad.stdout).toContain('Private Key: EC P-384');
    expect(trad.stdout).toContain('SEC 1');
  });

  it('skips PEM blocks labelled like Object.prototype members when naming the container', async () => {
    // Regression: labels were matched with `in` on a plain object, so a "constructor" block came
    // first and the container printed as Object's source text.
    const key = await readFile(join(dir, 'show.key'), 'utf8');
    for (const label of ['constructor', 'toString', 'hasOwnProperty']) {
      await writeFile(
        join(dir, 'proto.key'),
        `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n${key}`,
      );
      const r = await cli(dir, 'key', 'show', 'proto.key');
      expect(r.code, label).toBe(0);
      expect(r.stdout, label).toContain('Container: PKCS#8 (PEM "PRIVATE KEY")');
    }
  });

  it('rejects garbage with exit 2', async () => {
    await writeFile(join(dir, 'junk.key'), 'not a key at all!');
    const r = await cli(dir, 'key', 'show', 'junk.key');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: .+\[ERR_PKI_[A-Z_]+\]\n$/);
  });
});

describe('password prompt', () => {
  it('asks for the password of an encrypted key on a terminal, without echo, and never otherwise', async () => {
    const { PassThrough } = await import('node:stream');
    const { run } = await import('../src/index.js');
    expect(
      (
        await cli(
          dir,
          'key',
          'new',
          '--password',
          'typed-secret',
          '--iterations',
          '2000',
          '--out',
          'prompt.key',
        )
      ).code,
    ).toBe(0);
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
    let stdout = '';
    let stderr = '';
    const pending = run(['key', 'show', 'prompt.key'], {
      stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      stdin,
      cwd: dir,
      isTTY: true,
    });
    // Type the password once the prompt is shown.
    await vi.waitFor(() => expect(stderr).toContain('Password for prompt.key: '));
    stdin.write('typed-secret\r');
    expect(await pending).toBe(0);
    expect(stdout).toContain('Private Key: EC P-256');
    expect(stderr).not.toContain('typed-secret');
  });
});
