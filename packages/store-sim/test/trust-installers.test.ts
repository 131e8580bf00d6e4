// The trust installers against the real tools: certutil (NSS), update-ca-certificates (Debian,
// in a temporary root) and keytool (Java), each checked by the tool itself or by OpenSSL.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicConstraints, createCertificate, generateKeyPair, keyUsage } from '@certlab/pki';
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
      { alias: 'certlab-ab', pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
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
});

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
});
