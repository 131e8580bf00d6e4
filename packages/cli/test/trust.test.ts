// `certlab trust`: install, uninstall and list a root in an NSS database, a Debian system store
// in a temporary root, and a Java keystore, each checked with the store's own tool.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basicConstraints, createCertificate, generateKeyPair, keyUsage } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../test/support/tools.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
let tp: string;
let rekeyedTp: string;

beforeAll(async () => {
  dir = await tempDir();
  const rootK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const root = await createCertificate({
    subject: 'CN=Trust Test Root, O=Contoso, C=FR',
    publicKey: rootK.publicKey,
    signingKey: rootK.privateKey,
    notBefore: new Date(Date.UTC(2025, 0, 1)),
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leafK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const leaf = await createCertificate({
    subject: 'CN=web.contoso.com',
    publicKey: leafK.publicKey,
    signingKey: rootK.privateKey,
    issuer: root,
    notBefore: new Date(Date.UTC(2025, 0, 1)),
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    extensions: [basicConstraints({ ca: false })],
  });
  tp = await root.thumbprint();
  // A renewed root: same subject, another key (NSS gives both one nickname).
  const rekeyedK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const rekeyed = await createCertificate({
    subject: 'CN=Trust Test Root, O=Contoso, C=FR',
    publicKey: rekeyedK.publicKey,
    signingKey: rekeyedK.privateKey,
    notBefore: new Date(Date.UTC(2025, 0, 1)),
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  rekeyedTp = await rekeyed.thumbprint();
  await writeFile(join(dir, 'rekeyed.pem'), rekeyed.toPem());
  await writeFile(join(dir, 'root.pem'), root.toPem());
  await writeFile(join(dir, 'root.cer'), root.der);
  await writeFile(join(dir, 'leaf.pem'), leaf.toPem());
  await writeFile(join(dir, 'two.pem'), root.toPem() + leaf.toPem());
});
afterAll(removeTempDirs);

describe('certlab trust: usage', () => {
  it('is listed in the help', async () => {
    const r = await cli(dir, '--help');
    expect(r.stdout).toContain('trust');
    const h = await cli(dir, 'trust', 'install', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--nss DIR');
  });
  it('needs exactly one store', async () => {
    const none = await cli(dir, 'trust', 'install', 'root.pem');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--nss DIR, --system or --java KEYSTORE');
    const two = await cli(dir, 'trust', 'install', 'root.pem', '--nss', 'db', '--java', 'ks.p12');
    expect(two.code).toBe(2);
    expect((await cli(dir, 'trust', 'list', '--nss', 'db', '--root', 'x')).code).toBe(2);
    expect((await cli(dir, 'trust', 'list', '--system', '--storepass', 'x')).code).toBe(2);
    const file = await cli(dir, 'trust', 'list', '--system', '--storepass-file', 'pass.txt');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('--storepass-file goes with --java only.');
  });
  it('takes the keystore password from --storepass or --storepass-file, not both', async () => {
    const both = await cli(
      dir,
      'trust',
      'list',
      '--java',
      'ks.p12',
      '--storepass',
      'x',
      '--storepass-file',
      'p',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --storepass or --storepass-file, not both.');
    const missing = await cli(dir, 'trust', 'list', '--java', 'ks.p12', '--storepass-file', 'missing.txt');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read missing.txt');
    const help = await cli(dir, 'trust', 'install', '--help');
    expect(help.stdout).toContain('--storepass-file F');
    // Help lines are wrapped: compare with single spaces.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      'visible to other local users: prefer --storepass-file',
    );
  });
  it('refuses an unreadable ROOT or several certificates', async () => {
    expect((await cli(dir, 'trust', 'install', 'missing.pem', '--nss', 'db')).code).toBe(2);
    const two = await cli(dir, 'trust', 'install', 'two.pem', '--nss', 'db');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('2 certificates');
  });
  it('lists an empty store that does not exist yet', async () => {
    const r = await cli(dir, 'trust', 'list', '--java', 'nothing.p12', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).certificates).toEqual([]);
  });
});

describeWithTool('certutil', 'certlab trust --nss', () => {
  it('installs with trust C,, lists, and uninstalls', async () => {
    const r = await cli(dir, 'trust', 'install', 'root.cer', '--nss', 'nssdb');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Installed CN=Trust Test Root, O=Contoso, C=FR (${tp}) into NSS database sql:`,
    );
    const listed = execFileSync('certutil', ['-L', '-d', `sql:${join(dir, 'nssdb')}`], { encoding: 'utf8' });
    expect(listed).toMatch(new RegExp(`certlab Trust Test Root ${tp}\\s+C,,`));
    const again = await cli(dir, 'trust', 'install', 'root.pem', '--nss', 'nssdb');
    expect(again.stdout).toContain('Already installed');
    const list = await cli(dir, 'trust', 'list', '--nss', 'nssdb', '--format', 'json');
    expect(JSON.parse(list.stdout).certificates).toEqual([
      {
        name: `certlab Trust Test Root ${tp}`,
        thumbprint: tp,
        subject: 'CN=Trust Test Root, O=Contoso, C=FR',
        trust: 'C,,',
      },
    ]);
    const text = await cli(dir, 'trust', 'list', '--nss', 'nssdb');
    expect(text.stdout).toContain(`${tp}  certlab Trust Test Root`);
    const u = await cli(dir, 'trust', 'uninstall', 'root.pem', '--nss', 'nssdb', '--format', 'json');
    expect(u.code).toBe(0);
    expect(JSON.parse(u.stdout)).toMatchObject({
      action: 'uninstall',
      store: 'nss',
      changed: true,
      thumbprint: tp,
    });
    expect(
      execFileSync('certutil', ['-L', '-d', `sql:${join(dir, 'nssdb')}`], { encoding: 'utf8' }),
    ).not.toContain('certlab');
    const u2 = await cli(dir, 'trust', 'uninstall', 'root.pem', '--nss', 'nssdb');
    expect(u2.stdout).toContain('Not installed');
    expect(r.stdout).not.toContain('not a CA certificate');
  });

  it('keeps the trust flags of a root already there, and removes only the meant one of a shared nickname', async () => {
    const db = join(dir, 'shared-db');
    const certutil = (...a: string[]) =>
      execFileSync('certutil', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    await mkdir(db);
    certutil('-N', '-d', `sql:${db}`, '--empty-password');
    certutil('-A', '-d', `sql:${db}`, '-n', 'Shared Nick', '-t', 'CT,C,C', '-i', join(dir, 'root.pem'));
    certutil('-A', '-d', `sql:${db}`, '-n', 'Shared Nick', '-t', 'C,,', '-i', join(dir, 'rekeyed.pem'));
    const again = await cli(dir, 'trust', 'install', 'root.pem', '--nss', 'shared-db', '--format', 'json');
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, names: ['Shared Nick'] });
    const list = await cli(dir, 'trust', 'list', '--nss', 'shared-db', '--format', 'json');
    const certs = JSON.parse(list.stdout).certificates as { thumbprint: string; trust: string }[];
    expect(certs.map((c) => [c.thumbprint, c.trust]).sort()).toEqual(
      [
        [tp, 'CT,C,C'],
        [rekeyedTp, 'C,,'],
      ].sort(),
    );
    const u = await cli(dir, 'trust', 'uninstall', 'root.pem', '--nss', 'shared-db');
    expect(u.code, u.stderr).toBe(0);
    expect(certutil('-L', '-d', `sql:${db}`)).toMatch(/Shared Nick\s+C,,\s*\n$/);
    expect(
      certutil('-L', '-d', `sql:${db}`, '-n', 'Shared Nick', '-a').match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(1);
    expect((await cli(dir, 'trust', 'list', '--nss', 'shared-db', '--format', 'json')).stdout).toContain(
      rekeyedTp,
    );
  });

  it('installs a leaf certificate too, with a note that it is not a CA', async () => {
    const r = await cli(dir, 'trust', 'install', 'leaf.pem', '--nss', 'leafdb');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed CN=web.contoso.com');
    expect(r.stdout).toContain('Note: this is not a CA certificate (no basicConstraints cA)');
  });
});

describeWithTool('update-ca-certificates', 'certlab trust --system --root', () => {
  it('makes openssl verify -CApath succeed, then fail after uninstall', async () => {
    const verify = () =>
      spawnSync(
        'openssl',
        ['verify', '-CApath', join(dir, 'fakeroot/etc/ssl/certs'), join(dir, 'leaf.pem')],
        {
          encoding: 'utf8',
        },
      );
    const r = await cli(
      dir,
      'trust',
      'install',
      'root.pem',
      '--system',
      '--root',
      'fakeroot',
      '--format',
      'json',
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      action: 'install',
      store: 'debian',
      target: join(dir, 'fakeroot'),
      changed: true,
      names: [`certlab-${tp}.crt`],
    });
    expect(verify().status).toBe(0);
    const list = await cli(dir, 'trust', 'list', '--system', '--root', 'fakeroot');
    expect(list.stdout).toContain(`${tp}  certlab-${tp}.crt`);
    const u = await cli(dir, 'trust', 'uninstall', 'root.pem', '--system', '--root', 'fakeroot');
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('Removed');
    expect(verify().status).not.toBe(0);
  });
});

describeWithTool('keytool', 'certlab trust --java', () => {
  it('imports into the keystore, lists and deletes', async () => {
    const r = await cli(
      dir,
      'trust',
      'install',
      'root.pem',
      '--java',
      'trust.p12',
      '--storepass',
      's3cret-pass',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const alias = `certlab-${tp.toLowerCase()}`;
    const ks = () =>
      execFileSync(
        'keytool',
        ['-J-Duser.language=en', '-list', '-keystore', join(dir, 'trust.p12'), '-storepass', 's3cret-pass'],
        { encoding: 'utf8' },
      );
    expect(ks()).toContain(alias);
    const bad = await cli(dir, 'trust', 'list', '--java', 'trust.p12', '--storepass', 'wrong-pass');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ERR_STORE_PASSWORD_REQUIRED');
    expect(bad.stderr).not.toContain('wrong-pass');
    const list = await cli(dir, 'trust', 'list', '--java', 'trust.p12', '--storepass', 's3cret-pass');
    expect(list.stdout).toContain(`${tp}  ${alias}  CN=Trust Test Root`);
    const u = await cli(
      dir,
      'trust',
      'uninstall',
      'root.pem',
      '--java',
      'trust.p12',
      '--storepass',
      's3cret-pass',
    );
    expect(u.code).toBe(0);
    expect(ks()).not.toContain(alias);
  });

  it('reads the keystore password from --storepass-file, masked in errors', async () => {
    await writeFile(join(dir, 'storepass.txt'), 'f1le-pass-word\n');
    await writeFile(join(dir, 'wrong-storepass.txt'), 'wrong-f1le-pass\r\n');
    const r = await cli(
      dir,
      'trust',
      'install',
      'root.pem',
      '--java',
      'file.p12',
      '--storepass-file',
      'storepass.txt',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const alias = `certlab-${tp.toLowerCase()}`;
    // keytool itself opens the keystore with the first line of the file, without its newline.
    expect(
      execFileSync(
        'keytool',
        ['-J-Duser.language=en', '-list', '-keystore', join(dir, 'file.p12'), '-storepass', 'f1le-pass-word'],
        { encoding: 'utf8' },
      ),
    ).toContain(alias);
    const bad = await cli(
      dir,
      'trust',
      'list',
      '--java',
      'file.p12',
      '--storepass-file',
      'wrong-storepass.txt',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ERR_STORE_PASSWORD_REQUIRED');
    expect(bad.stderr).not.toContain('wrong-f1le-pass');
    const u = await cli(
      dir,
      'trust',
      'uninstall',
      'root.pem',
      '--java',
      'file.p12',
      '--storepass-file',
      'storepass.txt',
    );
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('Removed');
  });

  it("reports keytool's own error when the keystore cannot be written", async () => {
    await symlink('/nonexistent/certlab/ks.p12', join(dir, 'dangling.p12'));
    const r = await cli(dir, 'trust', 'install', 'root.pem', '--java', 'dangling.p12');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keytool error: .*No such file or directory.*\[ERR_STORE_IO\]/);
    expect(r.stderr).not.toContain('was added');
  });
});
