// `certlab store`: import, list, show, verify, export and delete on a simulated machine kept in
// a directory, and the usage errors (exit 2).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  createCrl,
  createPkcs12,
  crlDistributionPoints,
  extKeyUsage,
  generateKeyPair,
  keyUsage,
  readPkcs7Certificates,
  readPkcs12,
  subjectAltName,
} from '@certlab/pki';
import { DirectoryStoreAdapter, Machine } from '@certlab/store-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { javaKeystore } from '../../../test/support/keytool.js';
import { openssl } from '../../../test/support/openssl.js';
import { describeWithTool } from '../../../test/support/tools.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

const DAY = 86_400_000;
const PASS = 'Pfx-S3cret!';

let dir: string;
let root: Certificate;
let ica: Certificate;
let leaf: Certificate;
let rootT: string;
let icaT: string;
let leafT: string;

beforeAll(async () => {
  dir = await tempDir();
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const notAfter = new Date(now + 365 * DAY);
  const [rootK, icaK, leafK] = await Promise.all(
    [0, 1, 2].map(() => generateKeyPair({ type: 'ec', curve: 'P-256' })),
  );
  const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];
  root = await createCertificate({
    subject: 'CN=Store Root, O=Contoso',
    publicKey: rootK!.publicKey,
    signingKey: rootK!.privateKey,
    notBefore,
    notAfter,
    extensions: caExt,
  });
  ica = await createCertificate({
    subject: 'CN=Store ICA, O=Contoso',
    publicKey: icaK!.publicKey,
    signingKey: rootK!.privateKey,
    issuer: root,
    notBefore,
    notAfter,
    extensions: caExt,
  });
  leaf = await createCertificate({
    subject: 'CN=www.contoso.com',
    publicKey: leafK!.publicKey,
    signingKey: icaK!.privateKey,
    issuer: ica,
    notBefore,
    notAfter,
    extensions: [
      basicConstraints({ ca: false }),
      extKeyUsage(['serverAuth']),
      subjectAltName([{ type: 'dns', value: 'www.contoso.com' }]),
    ],
  });
  [rootT, icaT, leafT] = await Promise.all([root.thumbprint(), ica.thumbprint(), leaf.thumbprint()]);
  await writeFile(join(dir, 'root.cer'), root.der);
  await writeFile(join(dir, 'ica.pem'), ica.toPem());
  await writeFile(
    join(dir, 'leaf.pfx'),
    await createPkcs12({
      key: leafK!.privateKey,
      certificate: leaf,
      password: PASS,
      friendlyName: 'Contoso Web',
      iterations: 2048,
    }),
  );
  // The machine used by most tests: root in LocalMachine\Root, ICA in CA, leaf + key in My.
  const m = join(dir, 'ex01');
  expect(
    (
      await cli(
        dir,
        'store',
        'import',
        'root.cer',
        '--machine',
        m,
        '--location',
        'LocalMachine',
        '--store',
        'Root',
      )
    ).code,
  ).toBe(0);
  expect(
    (
      await cli(
        dir,
        'store',
        'import',
        'ica.pem',
        '--machine',
        m,
        '--location',
        'LocalMachine',
        '--store',
        'CA',
      )
    ).code,
  ).toBe(0);
});
afterAll(removeTempDirs);

describe('certlab store import', () => {
  it('says where each certificate went, in English and French', async () => {
    const r = await cli(
      dir,
      'store',
      'import',
      'root.cer',
      '--machine',
      'm-import',
      '--location',
      'LocalMachine',
      '--store',
      'Root',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The import was successful.');
    expect(r.stdout).toContain(
      `LocalMachine\\Root (Trusted Root Certification Authorities): Store Root  ${rootT}`,
    );
    const fr = await cli(
      dir,
      'store',
      'import',
      'ica.pem',
      '--machine',
      'm-import',
      '--location',
      'LM',
      '--lang',
      'fr',
    );
    expect(fr.code).toBe(0);
    expect(fr.stdout).toContain("L'importation s'est terminée correctement.");
    // Automatic placement: a lone CA certificate goes to Intermediate Certification Authorities.
    expect(fr.stdout).toContain(
      `LocalMachine\\CA (Autorités de certification intermédiaires) : Store ICA  ${icaT}`,
    );
    // A root into a user's Root store: the Security Warning in French too.
    const warned = await cli(
      dir,
      'store',
      'import',
      'root.cer',
      '--machine',
      'm-import-fr',
      '--location',
      'CurrentUser',
      '--store',
      'Root',
      '--lang',
      'fr',
    );
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(
      /^Avertissement de sécurité\nVous êtes sur le point d'installer un certificat/,
    );
    expect(warned.stderr).toContain('Empreinte numérique (sha1) : ');
    expect(warned.stderr).toContain('Voulez-vous installer ce certificat ?\n(accepté)\n');
    expect(warned.stderr).not.toMatch(/[A-Za-z] (the|certificate|install) /);
  });

  it('imports a .pfx with its key into My', async () => {
    const r = await cli(
      dir,
      'store',
      'import',
      'leaf.pfx',
      '--machine',
      'ex01',
      '--location',
      'LocalMachine',
      '--store',
      'My',
      '--password',
      PASS,
      '--exportable',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`LocalMachine\\My (Personal): www.contoso.com  ${leafT}  [private key]`);
    const json = await cli(
      dir,
      'store',
      'import',
      'leaf.pfx',
      '--machine',
      'm-json',
      '--password',
      PASS,
      '--format',
      'json',
    );
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as {
      certificates: { location: string; store: string; hasPrivateKey: boolean }[];
    };
    expect(j.certificates).toEqual([
      expect.objectContaining({ location: 'CurrentUser', store: 'My', hasPrivateKey: true }),
    ]);
  });

  it('a wrong .pfx password is exit 2 and the password never shows', async () => {
    const r = await cli(dir, 'store', 'import', 'leaf.pfx', '--machine', 'm-bad', '--password', 'wrong-one');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: .*\[ERR_STORE_IMPORT_INVALID\]/);
    expect(r.stderr).not.toContain('wrong-one');
  });
});

describe('certlab store list / show / verify', () => {
  it('lists a store like the Certificates console', async () => {
    const r = await cli(
      dir,
      'store',
      'list',
      '--machine',
      'ex01',
      '--location',
      'LocalMachine',
      '--store',
      'My',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LocalMachine\\My (Personal): 1');
    expect(r.stdout).toMatch(/Issued To +Issued By +Expiration Date +Intended Purposes +Friendly Name/);
    expect(r.stdout).toMatch(
      /www\.contoso\.com +Store ICA +\d{4}-\d\d-\d\d +Server Authentication +Contoso Web +🔑 +[0-9A-F]{40}/,
    );
    const all = await cli(dir, 'store', 'list', '--machine', 'ex01', '--format', 'json');
    const rows = JSON.parse(all.stdout) as { store: string; thumbprint: string; hasPrivateKey: boolean }[];
    expect(rows.map((x) => [x.store, x.thumbprint, x.hasPrivateKey])).toEqual([
      ['CA', icaT, false],
      ['My', leafT, true],
      ['Root', rootT, false],
    ]);
    // CurrentUser\Root sees LocalMachine\Root.
    const cu = await cli(
      dir,
      'store',
      'list',
      '--machine',
      'ex01',
      '--location',
      'CurrentUser',
      '--store',
      'Root',
      '--format',
      'json',
    );
    expect((JSON.parse(cu.stdout) as { thumbprint: string }[]).map((x) => x.thumbprint)).toEqual([rootT]);
  });

  it('shows a certificate with its private-key line', async () => {
    const r = await cli(dir, 'store', 'show', leafT.toLowerCase(), '--machine', 'ex01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LocalMachine\\My (Personal)');
    expect(r.stdout).toContain('Friendly Name: Contoso Web');
    expect(r.stdout).toContain('www.contoso.com');
    expect(r.stdout).toContain('You have a private key that corresponds to this certificate.');
    // The issuer is in the machine's CA store: the signature is checked with it, as certutil does.
    expect(r.stdout).toContain('Signature matches the issuer public key');
    // The key part as certutil -store prints it, with a real self-test of the key.
    // Imported with --exportable: no "NOT exportable" line; EC: the signature self-test.
    expect(r.stdout).toMatch(/\n {2}Key Container = certlab-[0-9a-f]+\nSignature test passed\n/);
    const notExportable = await cli(dir, 'store', 'show', leafT, '--machine', 'm-json');
    expect(notExportable.stdout).toMatch(
      /\n {2}Key Container = certlab-[0-9a-f]+\nPrivate key is NOT exportable\nSignature test passed\n/,
    );
    const root = await cli(dir, 'store', 'show', rootT, '--machine', 'ex01', '--format', 'json');
    const j = JSON.parse(root.stdout) as {
      hasPrivateKey: boolean;
      privateKeyTest: { kind: string; passed: boolean } | null;
      stores: { store: string }[];
    };
    expect(j.hasPrivateKey).toBe(false);
    expect(j.privateKeyTest).toBeNull();
    expect(j.stores.map((s) => s.store)).toEqual(['Root']);
    const rootText = await cli(dir, 'store', 'show', rootT, '--machine', 'ex01');
    expect(rootText.stdout).toContain(
      'No key provider information\nCannot find the certificate and private key for decryption.\n',
    );
    expect(rootText.stdout).not.toContain('You have a private key');
  });

  it("an RSA key gets certutil's encryption test; a link to a container that is gone has no test", async () => {
    const rsa = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const cert = await createCertificate({
      subject: 'CN=rsa.contoso.com',
      publicKey: rsa.publicKey,
      signingKey: rsa.privateKey,
    });
    await writeFile(
      join(dir, 'rsa.pfx'),
      await createPkcs12({ key: rsa.privateKey, certificate: cert, password: PASS }),
    );
    const m = ['--machine', 'm-rsa', '--location', 'LocalMachine'];
    expect(
      (await cli(dir, 'store', 'import', 'rsa.pfx', ...m, '--store', 'My', '--password', PASS)).code,
    ).toBe(0);
    const t = await cert.thumbprint();
    const shown = await cli(dir, 'store', 'show', t, ...m, '--format', 'json');
    expect((JSON.parse(shown.stdout) as { privateKeyTest: unknown }).privateKeyTest).toEqual({
      kind: 'encryption',
      passed: true,
    });
    expect((await cli(dir, 'store', 'show', t, ...m)).stdout).toContain(
      'Private key is NOT exportable\nEncryption test passed\n',
    );
    // The key container deleted behind the certificate's back: the link stays, the key is gone.
    const machine = await Machine.open({
      name: 'M-RSA',
      adapter: new DirectoryStoreAdapter(join(dir, 'm-rsa')),
    });
    const entry = machine.store('LocalMachine', 'My').get(t)!;
    await machine._deleteKey('LocalMachine', entry.properties.keyContainer!);
    const gone = await cli(dir, 'store', 'show', t, ...m);
    expect(gone.stdout).toMatch(
      /\n {2}Key Container = certlab-[0-9a-f]+\nCannot find the certificate and private key for decryption\.\n/,
    );
    expect(gone.stdout).not.toContain('No key provider information');
    expect(gone.stdout).not.toContain('You have a private key');
  });

  it('a key linked to the wrong certificate fails the self-test', async () => {
    // The KEY_PROV_INFO link pointing at another certificate's container, as a wrong
    // certutil -repairstore would leave it.
    const other = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const otherCert = await createCertificate({
      subject: 'CN=other',
      publicKey: other.publicKey,
      signingKey: other.privateKey,
    });
    const m = await Machine.open({
      name: 'WRONG',
      adapter: new DirectoryStoreAdapter(join(dir, 'wrong-key')),
    });
    const my = m.store('LocalMachine', 'My');
    const owner = await my.add(otherCert, { key: other.privateKey });
    await my.add(leaf, { properties: { keyContainer: owner.properties.keyContainer! } });
    const r = await cli(dir, 'store', 'show', leafT, '--machine', 'wrong-key', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { privateKeyTest: unknown }).privateKeyTest).toEqual({
      kind: 'signature',
      passed: false,
    });
    const text = await cli(dir, 'store', 'show', leafT, '--machine', 'wrong-key');
    expect(text.stdout).toContain('ERROR: Signature test FAILED: the key does not match the certificate');
  });

  it('a damaged key file is exit 1 ERR_STORE_CORRUPT naming the file, not a PEM error', async () => {
    const k = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const c = await createCertificate({
      subject: 'CN=damaged',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
    });
    const m = await Machine.open({
      name: 'DAMAGED',
      adapter: new DirectoryStoreAdapter(join(dir, 'm-damaged')),
    });
    const e = await m.store('LocalMachine', 'My').add(c, { key: k.privateKey });
    const keyFile = join(dir, 'm-damaged', 'LocalMachine', '.keys', `${e.properties.keyContainer}.key`);
    // A PEM block whose Base64 decodes, but not to a PKCS #8 key.
    await writeFile(keyFile, '-----BEGIN PRIVATE KEY-----\nAAAABBBB\n-----END PRIVATE KEY-----\n');
    const r = await cli(dir, 'store', 'show', e.thumbprint, '--machine', 'm-damaged');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(keyFile);
    expect(r.stderr).toContain("Import the certificate's .pfx again");
    expect(r.stderr).toContain('[ERR_STORE_CORRUPT]');
    expect(r.stderr).not.toContain('ERR_PKI');
    // A damaged properties file: the certificate still lists, and a warning says what was lost.
    const props = join(dir, 'm-damaged', 'LocalMachine', 'My', `${e.thumbprint}.json`);
    await writeFile(props, '{ not json');
    const listed = await cli(dir, 'store', 'list', '--machine', 'm-damaged', '--format', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(e.thumbprint);
    expect(listed.stderr).toMatch(/^Warning: .*\.json/m);
    expect(listed.stderr).toContain(props);
  });

  it('verifies a trusted chain: OK verdict, CERT_TRUST flags, exit 0', async () => {
    const r = await cli(
      dir,
      'store',
      'verify',
      leafT,
      '--machine',
      'ex01',
      '--purpose',
      'serverAuth',
      '--host',
      'www.contoso.com',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Certificate status: This certificate is OK.');
    expect(r.stdout).toContain('Server Authentication');
    expect(r.stdout).toContain('Policy: S_OK');
    expect(r.stdout).toContain('Chain engine: HCCE_LOCAL_MACHINE');
    expect(r.stdout).toMatch(/2: Store Root {2}[0-9A-F]{40} {2}\(LocalMachine\\Root/);
    expect(r.stdout).toContain('CERT_TRUST_IS_SELF_SIGNED (0x8)');
    const fr = await cli(
      dir,
      'store',
      'verify',
      leafT,
      '--machine',
      'ex01',
      '--lang',
      'fr',
      '--format',
      'json',
    );
    expect(fr.code).toBe(0);
    const j = JSON.parse(fr.stdout) as {
      trusted: boolean;
      verdict: { id: string; pathStatus: string };
      elements: unknown[];
    };
    expect(j.trusted).toBe(true);
    expect(j.verdict).toMatchObject({ id: 'ok', pathStatus: 'Ce certificat est valide.' });
    expect(j.elements).toHaveLength(3);
    // The text: the dialog's labels in French too.
    const frText = await cli(dir, 'store', 'verify', leafT, '--machine', 'ex01', '--lang', 'fr');
    expect(frText.stdout).toContain('État du certificat : Ce certificat est valide.');
    expect(frText.stdout).toContain("Chemin d'accès de certification :");
    expect(frText.stdout).not.toContain('Certificate status:');
  });

  it("verifies a service's certificate with the machine's chain engine", async () => {
    const svc = ['--machine', 'ex01', '--location', 'Services', '--store', 'MSExchangeUM\\My'];
    const imported = await cli(dir, 'store', 'import', 'leaf.pfx', ...svc, '--password', PASS);
    expect(imported.code, imported.stderr).toBe(0);
    const r = await cli(dir, 'store', 'verify', leafT, ...svc);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Chain engine: HCCE_LOCAL_MACHINE');
    expect(r.stdout).toMatch(/\(LocalMachine\\Root/);
    // The other tests find the leaf in LocalMachine\My alone.
    const removed = await cli(dir, 'store', 'delete', leafT, ...svc);
    expect(removed.code, removed.stderr).toBe(0);
  });

  it('verifies the copy --location and --store name when the certificate is in two stores', async () => {
    // `store <verb> [root.cer] <root> --machine ex01 --location <location> --store Root`
    const inRoot = (verb: string, location: string, target = rootT) =>
      cli(dir, 'store', verb, target, '--machine', 'ex01', '--location', location, '--store', 'Root');
    // The root in CurrentUser\Root as well as LocalMachine\Root.
    expect((await inRoot('import', 'CurrentUser', 'root.cer')).code).toBe(0);
    for (const location of ['LocalMachine', 'CurrentUser']) {
      const r = await inRoot('verify', location);
      expect(r.stderr, location).toBe('');
      expect(r.code, location).toBe(0);
      expect(r.stdout).toContain(`(${location}\\Root)`);
    }
    // Without them it is ambiguous: a usage error that names both copies.
    const both = await cli(dir, 'store', 'verify', rootT, '--machine', 'ex01');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('CurrentUser\\Root, LocalMachine\\Root');
    expect((await inRoot('delete', 'CurrentUser')).code).toBe(0);
  });

  it('a wrong purpose is exit 1 with CERT_E_WRONG_USAGE', async () => {
    const r = await cli(dir, 'store', 'verify', leafT, '--machine', 'ex01', '--purpose', 'clientAuth');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CERT_E_WRONG_USAGE');
    expect(r.stdout).toContain('CERT_TRUST_IS_NOT_VALID_FOR_USAGE (0x10)');
  });

  it('a missing root is a partial chain, exit 1', async () => {
    await cli(
      dir,
      'store',
      'import',
      'ica.pem',
      '--machine',
      'm-noroot',
      '--location',
      'LocalMachine',
      '--store',
      'CA',
    );
    await cli(
      dir,
      'store',
      'import',
      'leaf.pfx',
      '--machine',
      'm-noroot',
      '--location',
      'LocalMachine',
      '--store',
      'My',
      '--password',
      PASS,
    );
    const r = await cli(dir, 'store', 'verify', leafT, '--machine', 'm-noroot');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Windows does not have enough information to verify this certificate.');
    expect(r.stdout).toContain('CERT_TRUST_IS_PARTIAL_CHAIN (0x10000)');
    expect(r.stdout).toContain('CERT_E_CHAINING');
    // The root as an intermediate only: the chain ends in an untrusted root.
    await cli(
      dir,
      'store',
      'import',
      'root.cer',
      '--machine',
      'm-noroot',
      '--location',
      'LocalMachine',
      '--store',
      'CA',
    );
    const u = await cli(dir, 'store', 'verify', leafT, '--machine', 'm-noroot', '--format', 'json');
    expect(u.code).toBe(1);
    const j = JSON.parse(u.stdout) as { trusted: boolean; errors: string[]; policy: { name: string } };
    expect(j.trusted).toBe(false);
    expect(j.errors).toContain('IS_UNTRUSTED_ROOT');
    expect(j.policy.name).toBe('CERT_E_UNTRUSTEDROOT');
  });
});

describe('certlab store export / delete', () => {
  it('exports .cer, Base-64, .p7b with the chain and a .pfx that imports back', async () => {
    expect(
      (await cli(dir, 'store', 'export', leafT, '--machine', 'ex01', '--as', 'cer', '--out', 'out.cer')).code,
    ).toBe(0);
    expect(new Uint8Array(await readFile(join(dir, 'out.cer')))).toEqual(new Uint8Array(leaf.der));
    const b64 = await cli(
      dir,
      'store',
      'export',
      rootT,
      '--machine',
      'ex01',
      '--as',
      'cer-base64',
      '--out',
      '-',
    );
    expect(b64.code).toBe(0);
    expect(b64.stdout).toContain('-----BEGIN CERTIFICATE-----\r\n');
    expect(
      (
        await cli(
          dir,
          'store',
          'export',
          leafT,
          '--machine',
          'ex01',
          '--as',
          'p7b',
          '--chain',
          '--out',
          'out.p7b',
        )
      ).code,
    ).toBe(0);
    const p7 = readPkcs7Certificates(new Uint8Array(await readFile(join(dir, 'out.p7b'))));
    expect(await Promise.all(p7.map((c) => c.thumbprint()))).toEqual(
      expect.arrayContaining([leafT, icaT, rootT]),
    );
    const pfx = await cli(
      dir,
      'store',
      'export',
      leafT,
      '--machine',
      'ex01',
      '--as',
      'pfx',
      '--password',
      'Other-P4ss',
      '--out',
      'out.pfx',
    );
    expect(pfx.stderr).toBe('');
    expect(pfx.code).toBe(0);
    const back = await cli(
      dir,
      'store',
      'import',
      'out.pfx',
      '--machine',
      'm-back',
      '--location',
      'LocalMachine',
      '--password',
      'Other-P4ss',
      '--format',
      'json',
    );
    expect(back.code).toBe(0);
    const j = JSON.parse(back.stdout) as {
      certificates: { store: string; thumbprint: string; hasPrivateKey: boolean }[];
    };
    expect(j.certificates[0]).toMatchObject({ store: 'My', thumbprint: leafT, hasPrivateKey: true });
    // The wizard's two Encryption choices: AES256-SHA256 (default) and TripleDES-SHA1.
    for (const [profile, mac, cipher] of [
      ['modern', 'SHA-256', /AES-256-CBC/],
      ['legacy', 'SHA-1', /3-?Key ?TripleDES|DES-EDE3/i],
    ] as const) {
      const r = await cli(
        dir,
        'store',
        'export',
        leafT,
        '--machine',
        'ex01',
        '--as',
        'pfx',
        '--pfx-profile',
        profile,
        '--password',
        'Other-P4ss',
        '--out',
        `${profile}.pfx`,
      );
      expect(r.code, r.stderr).toBe(0);
      const p = await readPkcs12(new Uint8Array(await readFile(join(dir, `${profile}.pfx`))), 'Other-P4ss');
      expect(p.mac?.hash, profile).toBe(mac);
      expect(p.bags.find((b) => b.type === 'shrouded-key')?.encryption, profile).toMatch(cipher);
    }
    const wrongAs = await cli(
      dir,
      'store',
      'export',
      leafT,
      '--machine',
      'ex01',
      '--as',
      'cer',
      '--pfx-profile',
      'legacy',
      '--out',
      'x.cer',
    );
    expect(wrongAs.code).toBe(2);
    expect(wrongAs.stderr).toContain('--pfx-profile only applies to --as pfx');
    // Existing output without --force: exit 1.
    expect(
      (await cli(dir, 'store', 'export', leafT, '--machine', 'ex01', '--as', 'cer', '--out', 'out.cer')).code,
    ).toBe(1);
  });

  it("a .pfx exported with --chain keeps the chain certificates' friendly names", async () => {
    // As a .pfx made by pk12util with named CA certificates: the names come in with the import.
    const [rK, iK, lK] = await Promise.all(
      [0, 1, 2].map(() => generateKeyPair({ type: 'ec', curve: 'P-256' })),
    );
    const validity = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) };
    const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];
    const nRoot = await createCertificate({
      subject: 'CN=RSA Root, O=Audit',
      publicKey: rK!.publicKey,
      signingKey: rK!.privateKey,
      ...validity,
      extensions: caExt,
    });
    const nIca = await createCertificate({
      subject: 'CN=RSA ICA, O=Audit',
      publicKey: iK!.publicKey,
      signingKey: rK!.privateKey,
      issuer: nRoot,
      ...validity,
      extensions: caExt,
    });
    const own = await createCertificate({
      subject: 'CN=named.contoso.com',
      publicKey: lK!.publicKey,
      signingKey: iK!.privateKey,
      issuer: nIca,
      ...validity,
      extensions: [basicConstraints({ ca: false }), extKeyUsage(['serverAuth'])],
    });
    await writeFile(
      join(dir, 'named.pfx'),
      await createPkcs12({
        key: lK!.privateKey,
        certificate: own,
        chain: [
          { certificate: nIca, friendlyName: 'RSA ICA - Audit' },
          { certificate: nRoot, friendlyName: 'RSA Root - Audit' },
        ],
        password: PASS,
        friendlyName: 'Named leaf',
        iterations: 2048,
      }),
    );
    const m = ['--machine', 'm-named', '--location', 'LocalMachine'];
    const imp = await cli(dir, 'store', 'import', 'named.pfx', ...m, '--password', PASS, '--exportable');
    expect(imp.code, imp.stderr).toBe(0);
    const t = await own.thumbprint();
    const r = await cli(
      dir,
      'store',
      'export',
      t,
      ...m,
      '--store',
      'My',
      '--as',
      'pfx',
      '--chain',
      '--password',
      'P',
      '--out',
      'named-out.pfx',
    );
    expect(r.code, r.stderr).toBe(0);
    const back = await readPkcs12(new Uint8Array(await readFile(join(dir, 'named-out.pfx'))), 'P');
    const names: Record<string, string | undefined> = {};
    for (const b of back.bags) if (b.certificate) names[await b.certificate.thumbprint()] = b.friendlyName;
    expect(names).toEqual({
      [t]: 'Named leaf',
      [await nIca.thumbprint()]: 'RSA ICA - Audit',
      [await nRoot.thumbprint()]: 'RSA Root - Audit',
    });
  });

  it('exports a .sst with the chain that imports into another machine and that show lists', async () => {
    const r = await cli(
      dir,
      'store',
      'export',
      leafT,
      '--machine',
      'ex01',
      '--as',
      'sst',
      '--chain',
      '--out',
      'out.sst',
    );
    expect(r.code, r.stderr).toBe(0);
    const bytes = new Uint8Array(await readFile(join(dir, 'out.sst')));
    // version 0, "CERT" ([MS-OSHARED] 2.3.9.1), then the leaf's entries.
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54]);
    const imported = await cli(
      dir,
      'store',
      'import',
      'out.sst',
      '--machine',
      'sst-target',
      '--location',
      'LocalMachine',
      '--store',
      'TrustedPeople',
      '--format',
      'json',
    );
    expect(imported.code, imported.stderr).toBe(0);
    const thumbs = (
      JSON.parse(imported.stdout) as { certificates: { thumbprint: string }[] }
    ).certificates.map((c) => c.thumbprint);
    expect(thumbs).toEqual([leafT, icaT, rootT]);
    const shown = await cli(dir, 'show', 'out.sst');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('CN=Store Root, O=Contoso');
    // A cut file: a coded error naming the file, exit 2.
    await writeFile(join(dir, 'cut.sst'), bytes.subarray(0, bytes.length - 12));
    const cut = await cli(dir, 'show', 'cut.sst');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(
      /^certlab: cut\.sst: The serialized certificate store \(\.sst\) cannot be read: the file ends at byte \d+ without its end marker \(truncated\?\)\. \[ERR_STORE_IMPORT_INVALID\]\n$/,
    );
    // An empty store (header and end marker): said, not shown as nothing.
    await writeFile(
      join(dir, 'empty.sst'),
      Uint8Array.of(0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54, ...new Uint8Array(12)),
    );
    const empty = await cli(dir, 'show', 'empty.sst');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      'certlab: empty.sst: the serialized certificate store (.sst) holds no certificate and no CRL.\n',
    );
    const cutImport = await cli(dir, 'store', 'import', 'cut.sst', '--machine', 'sst-target');
    expect(cutImport.code).toBe(2);
    expect(cutImport.stderr).toContain('[ERR_STORE_IMPORT_INVALID]');
  });

  it('a key not marked exportable cannot go to a .pfx (exit 1)', async () => {
    const r = await cli(
      dir,
      'store',
      'export',
      leafT,
      '--machine',
      'm-noroot',
      '--as',
      'pfx',
      '--password',
      'x',
      '--out',
      'nope.pfx',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[ERR_STORE_KEY_NOT_EXPORTABLE]');
  });

  it('deletes a certificate; the chain is then no longer trusted', async () => {
    await cli(
      dir,
      'store',
      'import',
      'root.cer',
      '--machine',
      'm-del',
      '--location',
      'LocalMachine',
      '--store',
      'Root',
    );
    await cli(
      dir,
      'store',
      'import',
      'ica.pem',
      '--machine',
      'm-del',
      '--location',
      'LocalMachine',
      '--store',
      'CA',
    );
    await cli(
      dir,
      'store',
      'import',
      'leaf.pfx',
      '--machine',
      'm-del',
      '--location',
      'LocalMachine',
      '--store',
      'My',
      '--password',
      PASS,
    );
    expect((await cli(dir, 'store', 'verify', leafT, '--machine', 'm-del')).code).toBe(0);
    const d = await cli(
      dir,
      'store',
      'delete',
      rootT,
      '--machine',
      'm-del',
      '--location',
      'LocalMachine',
      '--store',
      'Root',
    );
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`Deleted ${rootT} from LocalMachine\\Root.`);
    expect((await cli(dir, 'store', 'verify', leafT, '--machine', 'm-del')).code).toBe(1);
    const k = await cli(dir, 'store', 'delete', leafT, '--machine', 'm-del', '--delete-key');
    expect(k.stdout).toContain('with its private key');
    const list = await cli(dir, 'store', 'list', '--machine', 'm-del', '--format', 'json');
    expect((JSON.parse(list.stdout) as { thumbprint: string }[]).map((x) => x.thumbprint)).toEqual([icaT]);
    // Deleting it again: not found, exit 1.
    const again = await cli(dir, 'store', 'delete', rootT, '--machine', 'm-del');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[ERR_STORE_NOT_FOUND]');
  });
});

describe('certlab store usage errors', () => {
  it.each([
    ['no --machine', ['store', 'list']],
    ['a machine directory that does not exist', ['store', 'list', '--machine', 'nowhere']],
    ['an unknown location', ['store', 'list', '--machine', 'ex01', '--location', 'Mars']],
    ['a bad --lang', ['store', 'list', '--machine', 'ex01', '--lang', 'de']],
    ['a bad thumbprint', ['store', 'show', 'xyz', '--machine', 'ex01']],
    ['no thumbprint', ['store', 'verify', '--machine', 'ex01']],
    ['a bad --at', ['store', 'verify', 'AB'.repeat(20), '--machine', 'ex01', '--at', 'yesterday']],
    ['no --as', ['store', 'export', 'AB'.repeat(20), '--machine', 'ex01', '--out', 'x.cer']],
    [
      'a bad --as',
      ['store', 'export', 'AB'.repeat(20), '--machine', 'ex01', '--as', 'zip', '--out', 'x.cer'],
    ],
    [
      '--as pfx without a password',
      ['store', 'export', 'AB'.repeat(20), '--machine', 'ex01', '--as', 'pfx', '--out', 'x.pfx'],
    ],
    [
      'a password for a format that has none',
      [
        'store',
        'export',
        'AB'.repeat(20),
        '--machine',
        'ex01',
        '--as',
        'cer',
        '--password',
        'x',
        '--out',
        'x.cer',
      ],
    ],
    [
      '--chain with a format that holds one certificate',
      [
        'store',
        'export',
        'AB'.repeat(20),
        '--machine',
        'ex01',
        '--as',
        'cer-base64',
        '--chain',
        '--out',
        'x.cer',
      ],
    ],
    ['a .pfx without its password', ['store', 'import', 'leaf.pfx', '--machine', 'm-x']],
    ['a file that is not there', ['store', 'import', 'missing.cer', '--machine', 'm-x']],
    ['an unknown option', ['store', 'delete', 'AB'.repeat(20), '--machine', 'ex01', '--bogus']],
  ])('%s: exit 2', async (_, argv) => {
    const r = await cli(dir, ...argv);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^certlab: /);
    expect(r.code).toBe(2);
  });

  it('a misspelt --store is refused (exit 2, nothing imported); --create-store makes a custom store', async () => {
    const imp = (store: string, ...more: string[]) =>
      cli(
        dir,
        'store',
        'import',
        'ica.pem',
        '--machine',
        'm-typo',
        '--location',
        'LocalMachine',
        '--store',
        store,
        ...more,
      );
    const typo = await imp('Roots');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'certlab: LocalMachine\\Roots is not a system store and does not exist; did you mean Root? Give --create-store to create a custom store.',
    );
    // Refused before anything was written: the machine directory was not even created.
    expect((await cli(dir, 'store', 'list', '--machine', 'm-typo')).stderr).toContain('no such directory');
    expect((await imp('WebHosting', '--create-store')).code).toBe(0);
    // Once it exists it is a store like the others, in any case (Windows store names are).
    expect((await imp('webhosting')).code).toBe(0);
    const list = (...a: string[]) => cli(dir, 'store', 'list', '--machine', 'm-typo', ...a);
    const custom = await list('--store', 'WEBHOSTING', '--format', 'json');
    expect(custom.code, custom.stderr).toBe(0);
    expect(custom.stdout).toContain('WebHosting');
    expect((await list('--location', 'LocalMachine', '--store', 'webHosting')).stdout).toContain('Store ICA');
    const typoList = await cli(dir, 'store', 'list', '--machine', 'm-typo', '--store', 'Roots');
    expect(typoList.code).toBe(2);
    expect(typoList.stderr).toContain('is not a system store and does not exist; did you mean Root?');
    // The system stores need no --create-store, empty or not.
    expect((await cli(dir, 'store', 'list', '--machine', 'm-typo', '--store', 'TrustedPeople')).code).toBe(0);
  });

  it('an unknown thumbprint is exit 1', async () => {
    const r = await cli(dir, 'store', 'show', 'AB'.repeat(20), '--machine', 'ex01');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[ERR_STORE_NOT_FOUND]');
  });
});

describeWithTool('keytool', 'store import: a .pfx with several keys (keytool -genkeypair twice)', () => {
  it('imports each certificate into My with its own key (none lands in AddressBook without it)', async () => {
    // Java 8's format (3DES keys, RC2-40 certificates, SHA-1 MAC), as older keystores are.
    javaKeystore(dir, 'java.p12', 'P@ssw0rd', { legacy: true });
    const r = await cli(
      dir,
      'store',
      'import',
      'java.p12',
      '--machine',
      'm-java',
      '--password',
      'P@ssw0rd',
      '--exportable',
      '--format',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      certificates: { store: string; subject: string; hasPrivateKey: boolean }[];
      warnings: string[];
    };
    expect(out.certificates.map((c) => [c.subject, c.store, c.hasPrivateKey]).sort()).toEqual([
      ['CN=jec', 'My', true],
      ['CN=jrsa', 'My', true],
    ]);
    expect(out.warnings).toEqual([]);
    expect(r.stderr).toBe('');
  });
});

describe('store import and export: an empty .pfx password', () => {
  it("imports a .pfx whose password is empty with --password '' and exports one with it", async () => {
    const key = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const cert = await createCertificate({
      subject: 'CN=empty.contoso.com',
      publicKey: key.publicKey,
      signingKey: key.privateKey,
    });
    await writeFile(
      join(dir, 'empty.pfx'),
      await createPkcs12({ key: key.privateKey, certificate: cert, password: '' }),
    );
    const r = await cli(
      dir,
      'store',
      'import',
      'empty.pfx',
      '--machine',
      'm-empty',
      '--password',
      '',
      '--exportable',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[private key]');
    const t = await cert.thumbprint();
    const e = await cli(
      dir,
      'store',
      'export',
      t,
      '--machine',
      'm-empty',
      '--as',
      'pfx',
      '--password',
      '',
      '--out',
      'empty-back.pfx',
    );
    expect(e.code, e.stderr).toBe(0);
    const back = await readPkcs12(new Uint8Array(await readFile(join(dir, 'empty-back.pfx'))), '');
    expect(back.certificate!.equals(cert)).toBe(true);
  });
});

describeWithTool(
  'openssl',
  'store import: a .pfx written without a password (openssl pkcs12 -export)',
  () => {
    it('opens with no --password, as the wizard with its password box left empty; a protected one still asks', async () => {
      openssl(
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/CN=nopass.contoso.com',
          '-days',
          '30',
          '-keyout',
          'nopass.key',
          '-out',
          'nopass.crt',
        ],
        { cwd: dir },
      );
      // An empty password (MAC over it), and no protection at all (no MAC, no encryption).
      openssl(
        [
          'pkcs12',
          '-export',
          '-in',
          'nopass.crt',
          '-inkey',
          'nopass.key',
          '-passout',
          'pass:',
          '-out',
          'empty-pass.pfx',
        ],
        { cwd: dir },
      );
      openssl(
        [
          'pkcs12',
          '-export',
          '-in',
          'nopass.crt',
          '-inkey',
          'nopass.key',
          '-nomac',
          '-keypbe',
          'NONE',
          '-certpbe',
          'NONE',
          '-passout',
          'pass:',
          '-out',
          'no-mac.pfx',
        ],
        { cwd: dir },
      );
      for (const f of ['empty-pass.pfx', 'no-mac.pfx']) {
        const r = await cli(dir, 'store', 'import', f, '--machine', `m-${f}`, '--location', 'LocalMachine');
        expect(r.code, `${f}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/LocalMachine\\My \(Personal\): nopass\.contoso\.com .*\[private key\]/);
      }
      openssl(
        [
          'pkcs12',
          '-export',
          '-in',
          'nopass.crt',
          '-inkey',
          'nopass.key',
          '-passout',
          'pass:Secret-1',
          '-out',
          'protected.pfx',
        ],
        { cwd: dir },
      );
      const asked = await cli(dir, 'store', 'import', 'protected.pfx', '--machine', 'm-protected');
      expect(asked.code).toBe(2);
      expect(asked.stderr).toContain('[ERR_STORE_PASSWORD_REQUIRED]');
      // In a script, the message names the option that gives the password.
      expect(asked.stderr).toContain('Give it with --password-file F (or --password P).');
    });
  },
);

describe('store verify --revocation', () => {
  it('checks the CRLs of the stores and --crl files: revoked, offline, good (CryptoAPI HRESULTs)', async () => {
    const now = Date.now();
    const [rk, lk] = await Promise.all([0, 1].map(() => generateKeyPair({ type: 'ec', curve: 'P-256' })));
    const r = await createCertificate({
      subject: 'CN=Revocation Root',
      publicKey: rk!.publicKey,
      signingKey: rk!.privateKey,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    });
    const l = await createCertificate({
      subject: 'CN=revoked.contoso.com',
      publicKey: lk!.publicKey,
      signingKey: rk!.privateKey,
      issuer: r,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      extensions: [
        extKeyUsage(['serverAuth']),
        crlDistributionPoints([{ fullName: [{ type: 'uri', value: 'http://pki.contoso.com/root.crl' }] }]),
      ],
    });
    const crl = (crlNumber: number, revoked: boolean) =>
      createCrl({
        issuer: r,
        signingKey: rk!.privateKey,
        crlNumber,
        thisUpdate: new Date(now - DAY),
        nextUpdate: new Date(now + 7 * DAY),
        entries: revoked
          ? [{ serialNumber: l.serialNumber, revocationDate: new Date(now - DAY), reason: 'keyCompromise' }]
          : [],
      });
    await writeFile(join(dir, 'rev-root.cer'), r.der);
    await writeFile(join(dir, 'rev-leaf.cer'), l.der);
    await writeFile(join(dir, 'revoked.crl'), (await crl(2, true)).toPem());
    await writeFile(join(dir, 'good.crl'), (await crl(1, false)).der);
    const m = ['--machine', 'm-rev', '--location', 'LocalMachine'];
    expect((await cli(dir, 'store', 'import', 'rev-root.cer', ...m, '--store', 'Root')).code).toBe(0);
    expect((await cli(dir, 'store', 'import', 'rev-leaf.cer', ...m, '--store', 'My')).code).toBe(0);
    const t = await l.thumbprint();
    const verify = async (...extra: string[]) => {
      const v = await cli(dir, 'store', 'verify', t, ...m, '--format', 'json', ...extra);
      return { code: v.code, stderr: v.stderr, json: v.stdout ? JSON.parse(v.stdout) : undefined };
    };
    // Without --revocation (the default none) the CRLs play no part.
    expect((await verify()).json.policy.name).toBe('S_OK');
    // No CRL anywhere for a certificate with a CDP: offline.
    let v = await verify('--revocation', 'chain-exclude-root');
    expect(v.code).toBe(1);
    expect(v.json.policy.name).toBe('CRYPT_E_REVOCATION_OFFLINE');
    expect(v.json.elements[0].errors).toEqual(['REVOCATION_STATUS_UNKNOWN', 'IS_OFFLINE_REVOCATION']);
    // The revoking CRL given on the command line.
    v = await verify('--revocation', 'end-certificate', '--crl', 'revoked.crl');
    expect(v.code).toBe(1);
    expect(v.json.policy.name).toBe('CRYPT_E_REVOKED');
    expect(v.json.elements[0].errors).toContain('IS_REVOKED');
    // A good CRL imported into the machine's CA store.
    expect((await cli(dir, 'store', 'import', 'good.crl', ...m, '--store', 'CA')).code).toBe(0);
    v = await verify('--revocation', 'chain-exclude-root');
    expect(v.code, v.stderr).toBe(0);
    expect(v.json.policy.name).toBe('S_OK');
    // --crl alone would be ignored: a usage error instead.
    // Checked before the files are read: a missing file gets the same usage error.
    for (const f of ['good.crl', 'missing.crl']) {
      const alone = await cli(dir, 'store', 'verify', t, ...m, '--crl', f);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toContain('--crl needs --revocation end-certificate or chain-exclude-root.');
    }
  });
});

describe('store import at a terminal: the Security Warning asks', () => {
  /** Runs store import with stdin and stdout as terminals, answering the question with `answer`. */
  async function importAtTerminal(machine: string, answer: string, lang: 'en' | 'fr' = 'en') {
    const { PassThrough } = await import('node:stream');
    const { run } = await import('../src/index.js');
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
    let stdout = '';
    let stderr = '';
    const pending = run(
      ['store', 'import', 'root.cer', '--machine', machine, '--store', 'Root', '--lang', lang],
      {
        stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
        stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
        stdin,
        cwd: dir,
        isTTY: true,
      },
    );
    await vi.waitFor(() => expect(stderr).toMatch(/\[(y|o)\/N\] $/));
    stdin.write(`${answer}\n`);
    return { code: await pending, stdout, stderr };
  }

  it('Yes installs the root into CurrentUser\\Root; No (or Enter) cancels the import, exit 1', async () => {
    const yes = await importAtTerminal('m-tty-yes', 'y');
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain('Security Warning\nYou are about to install a certificate');
    expect(yes.stderr).toMatch(/Do you want to install this certificate\? \[y\/N\] $/);
    expect(yes.stderr).not.toContain('(accepted)');
    expect(yes.stdout).toContain(
      `CurrentUser\\Root (Trusted Root Certification Authorities): Store Root  ${rootT}`,
    );
    for (const answer of ['n', '']) {
      const no = await importAtTerminal(`m-tty-no-${answer || 'enter'}`, answer);
      expect(no.code).toBe(1);
      expect(no.stderr).toContain('the Security Warning was declined. [ERR_STORE_CANCELLED]');
      expect(
        (await cli(dir, 'store', 'list', '--machine', `m-tty-no-${answer || 'enter'}`)).stdout,
      ).not.toContain(rootT);
    }
    const oui = await importAtTerminal('m-tty-oui', 'oui', 'fr');
    expect(oui.code).toBe(0);
    expect(oui.stderr).toMatch(/Voulez-vous installer ce certificat \? \[o\/N\] $/);
  });
});
