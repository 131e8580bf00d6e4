// The trust installers against the real tools: certutil (NSS), update-ca-certificates (Debian,
// in a temporary root) and keytool (Java), each checked by the tool itself or by OpenSSL.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  generateKeyPair,
  keyUsage,
  readCertificates,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../test/support/tools.js';
import {
  debianFileName,
  debianTrust,
  isStoreError,
  javaAlias,
  javaTrust,
  nssTrust,
  parseCertutilList,
  parseKeytoolList,
} from '../src/index.js';
import { type Pki, pki } from './fixtures.js';

let p: Pki;
let dir: string;
let rootTp: string;

beforeAll(async () => {
  p = await pki();
  rootTp = await p.root.cert.thumbprint();
  dir = await mkdtemp(join(tmpdir(), 'certlab-trust-'));
  await writeFile(join(dir, 'leaf.pem'), p.leaf.cert.toPem());
  await writeFile(join(dir, 'ica.pem'), p.ica.cert.toPem());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('output parsers', () => {
  it('reads the certutil -L table', () => {
    const text =
      '\nCertificate Nickname                                         Trust Attributes\n' +
      '                                                             SSL,S/MIME,JAR/XPI\n\n' +
      'certlab Contoso Root CA ABCD                                 C,,  \n' +
      'my server                                                    u,u,u\n';
    expect(parseCertutilList(text)).toEqual([
      { nickname: 'certlab Contoso Root CA ABCD', trust: 'C,,' },
      { nickname: 'my server', trust: 'u,u,u' },
    ]);
  });
  it('reads keytool -list -rfc', () => {
    const text =
      'Keystore type: PKCS12\n\nYour keystore contains 1 entry\n\nAlias name: certlab-ab\nCreation date: x\n' +
      'Entry type: trustedCertEntry\n\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(parseKeytoolList(text)).toEqual([
      {
        alias: 'certlab-ab',
        type: 'trustedCertEntry',
        pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      },
    ]);
  });
});

describe('missing tools', () => {
  it('is ERR_STORE_TOOL_MISSING naming the Debian package', async () => {
    const nss = nssTrust({ dbDir: join(dir, 'nodb'), certutil: '/nonexistent/certutil' });
    const e = await nss.install(p.root.cert).catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_TOOL_MISSING')).toBe(true);
    expect((e as Error).message).toContain('libnss3-tools');
    const java = javaTrust({ keystore: join(dir, 'none.p12'), keytool: '/nonexistent/keytool' });
    await expect(java.install(p.root.cert)).rejects.toMatchObject({
      code: 'ERR_STORE_TOOL_MISSING',
      message: expect.stringContaining('default-jre-headless'),
    });
    const deb = debianTrust({ root: join(dir, 'deb-missing'), updateCaCertificates: '/nonexistent/uca' });
    await expect(deb.install(p.root.cert)).rejects.toMatchObject({
      code: 'ERR_STORE_TOOL_MISSING',
      message: expect.stringContaining('ca-certificates'),
    });
  });
  it('lists nothing from stores that do not exist yet, without running a tool', async () => {
    expect(await nssTrust({ dbDir: join(dir, 'nodb'), certutil: '/nonexistent' }).list()).toEqual([]);
    expect(await javaTrust({ keystore: join(dir, 'none.p12'), keytool: '/nonexistent' }).list()).toEqual([]);
    expect(await debianTrust({ root: join(dir, 'empty-root') }).list()).toEqual([]);
  });
});

describeWithTool('certutil', 'NSS trust installer (certutil)', () => {
  it('creates the database, installs with trust C,, and uninstalls', async () => {
    const db = join(dir, 'nssdb');
    const nss = nssTrust({ dbDir: db });
    expect(nss.target).toBe(`sql:${db}`);
    const added = await nss.install(p.root.cert);
    expect(added.changed).toBe(true);
    expect(existsSync(join(db, 'cert9.db'))).toBe(true);
    const nickname = added.names[0]!;
    expect(nickname).toBe(`certlab Contoso Root CA ${rootTp}`);
    const listed = parseCertutilList(
      execFileSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' }),
    );
    expect(listed).toContainEqual({ nickname, trust: 'C,,' });
    expect(await nss.isInstalled(p.root.cert)).toBe(true);
    expect(await nss.isInstalled(p.otherRoot.cert)).toBe(false);
    expect(await nss.list()).toEqual([
      { name: nickname, thumbprint: rootTp, subject: 'CN=Contoso Root CA, O=Contoso, C=FR', trust: 'C,,' },
    ]);
    // Twice is not an error.
    expect((await nss.install(p.root.cert)).changed).toBe(false);
    const removed = await nss.uninstall(p.root.cert);
    expect(removed).toEqual({ changed: true, names: [nickname], thumbprint: rootTp });
    expect(execFileSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' })).not.toContain(
      'certlab',
    );
    expect(await nss.isInstalled(p.root.cert)).toBe(false);
    expect((await nss.uninstall(p.root.cert)).changed).toBe(false);
  });

  it('tells apart two roots with the same name (a re-keyed root): list, install and uninstall each', async () => {
    // certutil -L -n NICK -r prints every certificate of the nickname's subject, its own first.
    const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const rekeyed = await createCertificate({
      subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      notBefore: p.root.cert.notBefore,
      notAfter: p.root.cert.notAfter,
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    });
    const nss = nssTrust({ dbDir: join(dir, 'nssdb-same-name') });
    expect((await nss.install(p.root.cert)).changed).toBe(true);
    expect((await nss.install(rekeyed)).changed).toBe(true);
    const tps = (await nss.list()).map((e) => e.thumbprint).sort();
    expect(tps).toEqual([rootTp, await rekeyed.thumbprint()].sort());
    expect((await nss.install(p.root.cert)).changed).toBe(false);
    expect((await nss.uninstall(p.root.cert)).changed).toBe(true);
    expect(await nss.isInstalled(p.root.cert)).toBe(false);
    expect(await nss.isInstalled(rekeyed)).toBe(true);
    expect((await nss.list()).map((e) => e.thumbprint)).toEqual([await rekeyed.thumbprint()]);
  });

  /** Two roots with one subject and two keys, added by certutil under one nickname. */
  async function sharedNicknameDb(name: string) {
    const db = join(dir, name);
    const roots = [];
    for (let i = 0; i < 2; i++) {
      const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      roots.push(
        await createCertificate({
          subject: 'CN=Shared Root, O=Contoso, C=FR',
          publicKey: keys.publicKey,
          signingKey: keys.privateKey,
          notBefore: p.root.cert.notBefore,
          notAfter: p.root.cert.notAfter,
          extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
        }),
      );
    }
    const [dup1, dup2] = roots as [Certificate, Certificate];
    await mkdir(db);
    certutil('-N', '-d', `sql:${db}`, '--empty-password');
    await writeFile(join(db, 'dup1.pem'), dup1.toPem());
    await writeFile(join(db, 'dup2.pem'), dup2.toPem());
    certutil('-A', '-d', `sql:${db}`, '-n', 'Shared Nick', '-t', 'CT,C,C', '-i', join(db, 'dup1.pem'));
    certutil('-A', '-d', `sql:${db}`, '-n', 'Shared Nick', '-t', 'C,,', '-i', join(db, 'dup2.pem'));
    return { db, dup1, dup2, tp1: await dup1.thumbprint(), tp2: await dup2.thumbprint() };
  }
  /** Thumbprints of the certificates certutil prints for a nickname (-a: all of its subject). */
  function certutilThumbprints(db: string, nickname: string): Promise<string[]> {
    const pem = certutil('-L', '-d', `sql:${db}`, '-n', nickname, '-a');
    return Promise.all(readCertificates(pem).map((c) => c.thumbprint()));
  }

  it('lists each certificate of a shared nickname once, with its own trust flags', async () => {
    const { db, tp1, tp2 } = await sharedNicknameDb('nss-shared-list');
    const nss = nssTrust({ dbDir: db });
    const listed = await nss.list();
    expect(listed.map((e) => [e.name, e.thumbprint, e.trust]).sort()).toEqual(
      [
        ['Shared Nick', tp1, 'CT,C,C'],
        ['Shared Nick', tp2, 'C,,'],
      ].sort(),
    );
  });

  it('installing a certificate of a shared nickname names it and keeps its trust', async () => {
    const { db, dup1 } = await sharedNicknameDb('nss-shared-install');
    const nss = nssTrust({ dbDir: db });
    expect(await nss.install(dup1)).toMatchObject({ changed: false, names: ['Shared Nick'] });
    expect(parseCertutilList(certutil('-L', '-d', `sql:${db}`))).toEqual([
      { nickname: 'Shared Nick', trust: 'CT,C,C' },
      { nickname: 'Shared Nick', trust: 'C,,' },
    ]);
  });

  it('uninstalls one certificate of a shared nickname and leaves the other, whichever certutil finds first', async () => {
    for (const which of [0, 1]) {
      const { db, dup1, dup2, tp1, tp2 } = await sharedNicknameDb(`nss-shared-uninstall-${which}`);
      const nss = nssTrust({ dbDir: db });
      const [gone, kept, keptTp, keptTrust] =
        which === 0 ? [dup1, dup2, tp2, 'C,,'] : [dup2, dup1, tp1, 'CT,C,C'];
      expect(await nss.uninstall(gone)).toMatchObject({ changed: true, names: ['Shared Nick'] });
      expect(parseCertutilList(certutil('-L', '-d', `sql:${db}`))).toEqual([
        { nickname: 'Shared Nick', trust: keptTrust },
      ]);
      expect(await certutilThumbprints(db, 'Shared Nick')).toEqual([keptTp]);
      expect(await nss.isInstalled(gone)).toBe(false);
      expect(await nss.isInstalled(kept)).toBe(true);
    }
  });

  it('never lowers the trust flags of a root already there, and adds those it lacks', async () => {
    const db = join(dir, 'nss-flags');
    await mkdir(db);
    certutil('-N', '-d', `sql:${db}`, '--empty-password');
    await writeFile(join(db, 'root.pem'), p.root.cert.toPem());
    certutil('-A', '-d', `sql:${db}`, '-n', 'Their Root', '-t', 'CT,C,C', '-i', join(db, 'root.pem'));
    await writeFile(join(db, 'other.pem'), p.otherRoot.cert.toPem());
    certutil('-A', '-d', `sql:${db}`, '-n', 'Email Only', '-t', ',C,', '-i', join(db, 'other.pem'));
    const nss = nssTrust({ dbDir: db });
    expect(await nss.install(p.root.cert)).toMatchObject({ changed: false, names: ['Their Root'] });
    expect(await nss.install(p.otherRoot.cert)).toMatchObject({ changed: true, names: ['Email Only'] });
    expect(parseCertutilList(certutil('-L', '-d', `sql:${db}`))).toEqual([
      { nickname: 'Their Root', trust: 'CT,C,C' },
      { nickname: 'Email Only', trust: 'C,C,' },
    ]);
  });

  it('does not delete a certificate that holds a private key', async () => {
    const db = join(dir, 'nss-keyed');
    await mkdir(db);
    certutil('-N', '-d', `sql:${db}`, '--empty-password');
    await writeFile(join(db, 'id.p12'), p.pfx);
    certutil('-A', '-d', `sql:${db}`, '-n', 'CA', '-t', 'C,,', '-i', join(dir, 'ica.pem'));
    execFileSync('pk12util', ['-i', join(db, 'id.p12'), '-d', `sql:${db}`, '-W', p.pfxPassword], {
      stdio: 'ignore',
    });
    const nss = nssTrust({ dbDir: db });
    // certlab may add CA trust to it (union of flags), but never deletes it.
    expect((await nss.install(p.leaf.cert)).changed).toBe(true);
    const e = await nss.uninstall(p.leaf.cert).catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_UNSUPPORTED')).toBe(true);
    expect((e as Error).message).toContain('holds a private key');
    expect(certutil('-L', '-d', `sql:${db}`)).toMatch(/Exchange UM\s+Cu,u,u/);
    expect(certutil('-K', '-d', `sql:${db}`)).toContain('Exchange UM');
  });

  it('refuses a password-protected database before writing anything', async () => {
    const db = join(dir, 'nss-password');
    await mkdir(db);
    await writeFile(join(dir, 'nss-pw.txt'), 'secret-pw\n');
    certutil('-N', '-d', `sql:${db}`, '-f', join(dir, 'nss-pw.txt'));
    const nss = nssTrust({ dbDir: db });
    const e = await nss.install(p.root.cert).catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_PASSWORD_REQUIRED')).toBe(true);
    expect((e as Error).message).toContain('certutil -W');
    expect(parseCertutilList(certutil('-L', '-d', `sql:${db}`))).toEqual([]);
    expect(await nss.isInstalled(p.root.cert)).toBe(false);
  });

  it('reports a database directory that cannot be created as ERR_STORE_IO', async () => {
    await writeFile(join(dir, 'nss-a-file'), 'x');
    const e = await nssTrust({ dbDir: join(dir, 'nss-a-file') })
      .install(p.root.cert)
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_IO')).toBe(true);
    expect((e as Error).message).toMatch(/Cannot create the NSS database directory .*nss-a-file \(EEXIST\)/);
  });
});

/** certutil's output (stdout; stderr too, so that a failure shows it). */
function certutil(...args: string[]): string {
  return execFileSync('certutil', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function opensslVerify(caPath: string): { ok: boolean; out: string } {
  const r = spawnSync(
    'openssl',
    ['verify', '-CApath', caPath, '-untrusted', join(dir, 'ica.pem'), join(dir, 'leaf.pem')],
    { encoding: 'utf8' },
  );
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

describeWithTool('update-ca-certificates', 'Debian trust installer (temporary root)', () => {
  it('makes openssl verify -CApath succeed, and fail again after uninstall', async () => {
    const root = join(dir, 'debroot');
    const deb = debianTrust({ root });
    const caPath = join(root, 'etc/ssl/certs');
    const added = await deb.install(p.root.cert);
    expect(added).toEqual({ changed: true, names: [debianFileName(rootTp)], thumbprint: rootTp });
    expect(existsSync(join(root, 'usr/local/share/ca-certificates', `certlab-${rootTp}.crt`))).toBe(true);
    expect(existsSync(join(caPath, 'ca-certificates.crt'))).toBe(true);
    const ok = opensslVerify(caPath);
    expect(ok.out).toContain('OK');
    expect(ok.ok).toBe(true);
    expect(await deb.isInstalled(p.root.cert)).toBe(true);
    expect((await deb.list()).map((e) => e.thumbprint)).toEqual([rootTp]);
    expect((await deb.install(p.root.cert)).changed).toBe(false);

    expect((await deb.uninstall(p.root.cert)).changed).toBe(true);
    expect(await deb.isInstalled(p.root.cert)).toBe(false);
    const ko = opensslVerify(caPath);
    expect(ko.ok).toBe(false);
    expect(ko.out).toMatch(/unable to get (local )?issuer certificate/);
  });

  it('takes every PEM certificate of a bundle file, and removes one without touching the others', async () => {
    const root = join(dir, 'debroot-bundle');
    const local = join(root, 'usr/local/share/ca-certificates');
    await mkdir(local, { recursive: true });
    const otherPem = p.otherRoot.cert.toPem();
    const text = `# two roots\n${p.root.cert.toPem()}\n${otherPem}# end\n`;
    await writeFile(join(local, 'bundle.crt'), text);
    const deb = debianTrust({ root });
    expect((await deb.list()).map((e) => [e.name, e.thumbprint])).toEqual([
      ['bundle.crt', rootTp],
      ['bundle.crt', await p.otherRoot.cert.thumbprint()],
    ]);
    expect((await deb.install(p.otherRoot.cert)).changed).toBe(false);
    expect(await deb.uninstall(p.otherRoot.cert)).toMatchObject({ changed: true, names: ['bundle.crt'] });
    expect(await readFile(join(local, 'bundle.crt'), 'utf8')).toBe(
      `# two roots\n${p.root.cert.toPem()}\n# end\n`,
    );
    // The root left in the bundle is still trusted by OpenSSL.
    const bundle = join(root, 'etc/ssl/certs/ca-certificates.crt');
    expect(await readFile(bundle, 'utf8')).not.toContain(otherPem.split('\n')[1]);
    const r = spawnSync(
      'openssl',
      ['verify', '-CAfile', bundle, '-untrusted', join(dir, 'ica.pem'), join(dir, 'leaf.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toContain('OK');
    expect((await deb.uninstall(p.root.cert)).changed).toBe(true);
    expect(existsSync(join(local, 'bundle.crt'))).toBe(false);
  });

  it('does not count a DER file as installed, as update-ca-certificates does not take it', async () => {
    const root = join(dir, 'debroot-der');
    const local = join(root, 'usr/local/share/ca-certificates');
    await mkdir(local, { recursive: true });
    await writeFile(join(local, 'root-der.crt'), p.root.cert.der);
    const deb = debianTrust({ root });
    expect(await deb.list()).toEqual([{ name: 'root-der.crt', thumbprint: undefined, subject: undefined }]);
    expect(await deb.isInstalled(p.root.cert)).toBe(false);
    expect(await deb.install(p.root.cert)).toMatchObject({ changed: true, names: [debianFileName(rootTp)] });
    expect(opensslVerify(join(root, 'etc/ssl/certs')).ok).toBe(true);
  });

  it('reports a directory it cannot create with what to do, and leaves no file when the update fails', async () => {
    const root = join(dir, 'debroot-io');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc/ssl'), 'not a directory');
    await expect(debianTrust({ root }).install(p.root.cert)).rejects.toMatchObject({
      code: 'ERR_STORE_IO',
      message: expect.stringMatching(/Cannot create .*etc\/ssl\/certs \(ENOTDIR\): give --root a directory/),
    });
    expect(existsSync(join(root, 'usr/local/share/ca-certificates', debianFileName(rootTp)))).toBe(false);
    // update-ca-certificates failing after certlab wrote its file: the file goes again.
    const root2 = join(dir, 'debroot-fail');
    const failing = join(dir, 'failing-uca.sh');
    await writeFile(failing, '#!/bin/sh\necho "E: simulated failure" >&2\nexit 1\n', { mode: 0o755 });
    const e = await debianTrust({ root: root2, updateCaCertificates: failing })
      .install(p.root.cert)
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_IO')).toBe(true);
    expect((e as Error).message).toContain('simulated failure');
    expect(existsSync(join(root2, 'usr/local/share/ca-certificates', debianFileName(rootTp)))).toBe(false);
    expect(await debianTrust({ root: root2 }).isInstalled(p.root.cert)).toBe(false);
  });
});

describeWithTool('keytool', 'Java trust installer (keytool)', () => {
  it('makes keytool -list show the root, then uninstalls it', async () => {
    const keystore = join(dir, 'truststore.p12');
    const java = javaTrust({ keystore, storepass: 'changeit' });
    const added = await java.install(p.root.cert);
    const alias = javaAlias(rootTp);
    expect(added).toEqual({ changed: true, names: [alias], thumbprint: rootTp });
    const listing = () =>
      execFileSync(
        'keytool',
        [
          '-J-Duser.language=en',
          '-list',
          '-v',
          '-keystore',
          keystore,
          '-storetype',
          'PKCS12',
          '-storepass',
          'changeit',
        ],
        { encoding: 'utf8' },
      );
    const text = listing();
    expect(text).toContain(`Alias name: ${alias}`);
    expect(text).toContain('trustedCertEntry');
    expect(text.replace(/:/g, '')).toContain(`SHA1 ${rootTp}`);
    expect(await java.isInstalled(p.root.cert)).toBe(true);
    expect((await java.install(p.root.cert)).changed).toBe(false);
    await expect(javaTrust({ keystore, storepass: 'wrong-pass' }).list()).rejects.toMatchObject({
      code: 'ERR_STORE_PASSWORD_REQUIRED',
    });
    expect((await java.uninstall(p.root.cert)).changed).toBe(true);
    expect(listing()).not.toContain(alias);
    expect(await java.list()).toEqual([]);
  });

  const ks = (keystore: string, ...args: string[]) =>
    execFileSync(
      'keytool',
      [
        '-J-Duser.language=en',
        ...args,
        '-keystore',
        keystore,
        '-storetype',
        'PKCS12',
        '-storepass',
        'changeit',
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );

  it('uninstall leaves an entry holding a private key, and says so', async () => {
    const keystore = join(dir, 'java-keyed.p12');
    await writeFile(join(dir, 'java-id.p12'), p.pfx);
    execFileSync(
      'keytool',
      [
        '-importkeystore',
        '-srckeystore',
        join(dir, 'java-id.p12'),
        '-srcstoretype',
        'PKCS12',
        '-srcstorepass',
        p.pfxPassword,
        '-destkeystore',
        keystore,
        '-deststoretype',
        'PKCS12',
        '-deststorepass',
        'changeit',
        '-noprompt',
      ],
      { stdio: 'ignore' },
    );
    const java = javaTrust({ keystore });
    // A PrivateKeyEntry is no trust anchor for Java: installing adds a trustedCertEntry.
    expect(await java.isInstalled(p.leaf.cert)).toBe(false);
    expect((await java.install(p.leaf.cert)).changed).toBe(true);
    const e = await java.uninstall(p.leaf.cert).catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_UNSUPPORTED')).toBe(true);
    expect((e as Error).message).toContain('private key');
    const text = ks(keystore, '-list');
    expect(text).toMatch(/exchange um, .*PrivateKeyEntry/i);
    expect(text).not.toContain(javaAlias(await p.leaf.cert.thumbprint()));
  });

  it("creates the keystore folder, and reports keytool's own error when the write fails", async () => {
    const nested = join(dir, 'java-new/sub/ks.p12');
    expect((await javaTrust({ keystore: nested }).install(p.root.cert)).changed).toBe(true);
    expect(existsSync(nested)).toBe(true);
    // A keystore path that is a dangling link: keytool says "Certificate was added" on stderr,
    // then fails to write and says why on stdout.
    await symlink('/nonexistent/certlab/ks.p12', join(dir, 'java-dangling.p12'));
    const e = await javaTrust({ keystore: join(dir, 'java-dangling.p12') })
      .install(p.root.cert)
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_IO')).toBe(true);
    expect((e as Error).message).toContain('keytool error');
    expect((e as Error).message).not.toContain('was added');
    await writeFile(join(dir, 'java-a-file'), 'x');
    await expect(
      javaTrust({ keystore: join(dir, 'java-a-file/ks.p12') }).install(p.root.cert),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_IO',
      message: expect.stringContaining('Cannot create the folder of the keystore'),
    });
  });

  it('reads and deletes a non-ASCII alias under LANG=C', async () => {
    const keystore = join(dir, 'java-utf8.p12');
    ks(keystore, '-importcert', '-noprompt', '-alias', 'racine é 日本', '-file', join(dir, 'ica.pem'));
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
    process.env.LANG = 'C';
    process.env.LC_ALL = 'C';
    try {
      const java = javaTrust({ keystore });
      expect((await java.list()).map((e) => e.name)).toEqual(['racine é 日本']);
      expect(await java.uninstall(p.ica.cert)).toMatchObject({ changed: true, names: ['racine é 日本'] });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(ks(keystore, '-list')).toContain('0 entries');
  });

  it('loses no entry when several installs run at once on one keystore', async () => {
    const keystore = join(dir, 'java-parallel.p12');
    const certs = [p.root.cert, p.otherRoot.cert, p.ica.cert, p.leaf.cert];
    const results = await Promise.all(certs.map((c) => javaTrust({ keystore }).install(c)));
    expect(results.every((r) => r.changed)).toBe(true);
    const listed = (await javaTrust({ keystore }).list()).map((e) => e.thumbprint).sort();
    expect(listed).toEqual((await Promise.all(certs.map((c) => c.thumbprint()))).sort());
    expect(existsSync(`${keystore}.lock`)).toBe(false);
  });
});
