import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Certificate,
  createCertificate,
  createCertsOnlyPkcs7,
  createPkcs12,
  extKeyUsage,
  generateKeyPair,
  readPkcs12,
} from '@certlab/pki';
import { describe, expect, it } from 'vitest';
import { javaKeystore } from '../../../test/support/keytool.js';
import { itWithTool } from '../../../test/support/tools.js';
import {
  exportCertificate,
  importFile,
  isVisibleFrom,
  logicalMembers,
  Machine,
  normalizeStoreName,
  normalizeThumbprint,
  parseLocation,
  StoreError,
  securityWarningText,
  storeDisplayName,
} from '../src/index.js';
import { NOW, pki } from './fixtures.js';

const open = () => Machine.open({ name: 'EX01', fqdn: 'ex01.contoso.com' });

describe('store model', () => {
  it('names stores in English and French, case-insensitively', () => {
    expect(storeDisplayName('my')).toBe('Personal');
    expect(storeDisplayName('MY', 'fr')).toBe('Personnel');
    expect(storeDisplayName('Root')).toBe('Trusted Root Certification Authorities');
    expect(storeDisplayName('root', 'fr')).toBe('Autorités de certification racines de confiance');
    expect(storeDisplayName('CA')).toBe('Intermediate Certification Authorities');
    expect(storeDisplayName('CertificateAuthority', 'fr')).toBe('Autorités de certification intermédiaires');
    expect(storeDisplayName('REQUEST')).toBe('Certificate Enrollment Requests');
    expect(normalizeStoreName('trustedpeople')).toBe('TrustedPeople');
    expect(normalizeStoreName('MSExchangeUM\\my')).toBe('MSExchangeUM\\My');
    expect(() => normalizeStoreName('../etc')).toThrow(StoreError);
    expect(parseLocation('hklm')).toBe('LocalMachine');
    expect(() => parseLocation('Moon')).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_LOCATION_UNKNOWN' }),
    );
  });

  it('reads thumbprints as Windows tools print them', () => {
    const t = '8B8942FBDEB645527BBDAD2724B78664A6D85D7E';
    expect(normalizeThumbprint('\u200e8b 89 42 fb de b6 45 52 7b bd ad 27 24 b7 86 64 a6 d8 5d 7e')).toBe(t);
    expect(normalizeThumbprint('8B8942FB DEB64552 7BBDAD27 24B78664 A6D85D7E')).toBe(t);
    expect(() => normalizeThumbprint('8B89')).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_THUMBPRINT_INVALID' }),
    );
  });

  it('applies the visibility rules: LocalMachine Root is seen from CurrentUser Root, not the reverse', async () => {
    const m = await open();
    const { root, otherRoot } = await pki();
    await m.store('LocalMachine', 'Root').add(root.cert);
    await m.store('CurrentUser', 'Root').add(otherRoot.cert);
    const rt = await root.cert.thumbprint();
    const ot = await otherRoot.cert.thumbprint();
    expect(m.store('CurrentUser', 'Root').has(rt)).toBe(true);
    expect(m.store('CurrentUser', 'Root').get(rt)?.physical).toBe('.LocalMachine');
    expect(m.store('LocalMachine', 'Root').has(ot)).toBe(false);
    expect(
      m
        .store('CurrentUser', 'Root')
        .list()
        .map((e) => e.thumbprint),
    ).toEqual([ot, rt]);
    // CurrentUser\My inherits nothing; services see the machine Root.
    await m.store('LocalMachine', 'My').add(root.cert);
    expect(m.store('CurrentUser', 'My').has(rt)).toBe(false);
    expect(m.store('Services', 'MSExchangeUM\\Root').has(rt)).toBe(true);
    // LM Root includes Third-Party, Group Policy and Enterprise roots.
    await m.store('LocalMachineEnterprise', 'Root').add(otherRoot.cert);
    expect(m.store('LocalMachine', 'Root').get(ot)?.physical).toBe('.Enterprise');
    expect(
      isVisibleFrom({ location: 'LocalMachine', store: 'CA' }, { location: 'CurrentUser', store: 'CA' }),
    ).toBe(true);
    expect(
      isVisibleFrom({ location: 'CurrentUser', store: 'CA' }, { location: 'LocalMachine', store: 'CA' }),
    ).toBe(false);
    expect(logicalMembers('LocalMachine', 'Root').map((x) => x.physical)).toEqual([
      '.Default',
      '.AuthRoot',
      '.GroupPolicy',
      '.Enterprise',
    ]);
    // Removing through a view that only sees the certificate is refused.
    await expect(m.store('CurrentUser', 'Root').remove(rt)).rejects.toMatchObject({
      code: 'ERR_STORE_NOT_FOUND',
    });
  });

  it('hides archived certificates unless asked, finds by subject, issuer, EKU, template, expiry', async () => {
    const m = await open();
    const { leaf, expired, clientOnly, ica } = await pki();
    const my = m.store('LocalMachine', 'My');
    for (const n of [leaf, expired, clientOnly]) await my.add(n.cert);
    const lt = await leaf.cert.thumbprint();
    expect(my.find({ subject: 'ex01.contoso.com' }).map((e) => e.thumbprint)).toEqual([lt]);
    expect(my.find({ issuer: 'Contoso Issuing CA' })).toHaveLength(3);
    expect(my.find({ eku: 'clientAuth' }).map((e) => e.certificate.subject.commonName)).toEqual([
      'user.contoso.com',
    ]);
    expect(my.find({ eku: '1.3.6.1.5.5.7.3.1' })).toHaveLength(2);
    expect(my.find({ template: 'webserver' })).toHaveLength(3);
    expect(my.find({ expired: true, now: NOW }).map((e) => e.certificate.subject.commonName)).toEqual([
      'old.contoso.com',
    ]);
    expect(my.find({ expiringInDays: 10_000, now: NOW })).toHaveLength(2);
    expect(my.find({ thumbprint: lt.toLowerCase() })).toHaveLength(1);
    expect(m.find({ thumbprint: lt })[0]?.store).toBe('My');
    await my.setProperties(lt, { archived: true });
    expect(my.list()).toHaveLength(2);
    expect(my.list({ includeArchived: true })).toHaveLength(3);
    expect(my.get(lt)?.properties.archived).toBe(true);
    expect(m.find({ issuer: ica.cert.subject.commonName!, includeArchived: true })).toHaveLength(3);
  });

  it('rejects an existing certificate with disposition new (CRYPT_E_EXISTS)', async () => {
    const m = await open();
    const { root } = await pki();
    await m.store('LocalMachine', 'Root').add(root.cert);
    const e = await m
      .store('LocalMachine', 'Root')
      .add(root.cert, { disposition: 'new' })
      .catch((x) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect(e).toMatchObject({ code: 'ERR_STORE_EXISTS', hresult: 0x80092005 });
  });
});

describe('Import Wizard', () => {
  it('"Place all certificates in the following store": a .cer root into LocalMachine Root', async () => {
    const m = await open();
    const { root } = await pki();
    for (const input of [
      root.cert.der,
      root.cert.toPem(),
      root.cert.toPem().replace(/-----[^-]+-----|\n/g, ''),
    ]) {
      const r = await importFile(m, input, { location: 'LocalMachine', store: 'Root' });
      expect(r.certificates.map((e) => `${e.location}\\${e.store}`)).toEqual(['LocalMachine\\Root']);
      expect(r.securityWarnings).toEqual([]);
      expect(r.message).toEqual({
        en: 'The import was successful.',
        fr: "L'importation s'est terminée correctement.",
      });
    }
    expect(m.store('LocalMachine', 'Root').list()).toHaveLength(1);
  });

  it('automatic placement as Windows does it: even a self-signed root .cer lands in CA', async () => {
    const m = await open();
    const { root, ica, leaf } = await pki();
    expect((await importFile(m, root.cert.der, { location: 'LocalMachine' })).certificates[0]?.store).toBe(
      'CA',
    );
    expect((await importFile(m, ica.cert.der, { location: 'LocalMachine' })).certificates[0]?.store).toBe(
      'CA',
    );
    expect((await importFile(m, leaf.cert.der, { location: 'LocalMachine' })).certificates[0]?.store).toBe(
      'AddressBook',
    );
  });

  it('by-type placement: root → Root, intermediate → CA, end entity → My', async () => {
    const m = await open();
    const { chainP7b } = await pki();
    const r = await importFile(m, chainP7b, { location: 'LocalMachine', placement: 'by-type' });
    expect(r.certificates.map((e) => e.store)).toEqual(['My', 'CA', 'Root']);
    expect(r.certificates[0]?.hasPrivateKey).toBe(false);
    // An end-entity certificate without basicConstraints, as AD CS's Web Server template issues:
    // My by type, but CA with the wizard's automatic placement (Windows takes it for a CA).
    const { ica } = await pki();
    const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const web = await createCertificate({
      subject: 'CN=web.contoso.com',
      publicKey: keys.publicKey,
      issuer: ica.cert,
      signingKey: ica.keys.privateKey,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
      extensions: [extKeyUsage(['serverAuth'])],
    });
    expect(web.basicConstraints).toBeUndefined();
    const byType = await importFile(await open(), web.der, {
      location: 'LocalMachine',
      placement: 'by-type',
    });
    expect(byType.certificates[0]?.store).toBe('My');
    const wizard = await importFile(await open(), web.der, { location: 'LocalMachine' });
    expect(wizard.certificates[0]?.store).toBe('CA');
  });

  it('a .pfx with a root without basicConstraints (as version 1 roots are): the root → Root, as a lone one counts as a CA', async () => {
    const rootKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const leafKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const v1 = await createCertificate({
      subject: 'CN=Legacy Root',
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
      extensions: [],
    });
    expect(v1.basicConstraints).toBeUndefined();
    const leafCert = await createCertificate({
      subject: 'CN=legacy.contoso.com',
      publicKey: leafKeys.publicKey,
      issuer: v1,
      signingKey: rootKeys.privateKey,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000),
      extensions: [extKeyUsage(['serverAuth'])],
    });
    const pfx = await createPkcs12({
      key: leafKeys.privateKey,
      certificate: leafCert,
      chain: [v1],
      password: 'x',
    });
    const r = await importFile(await open(), pfx, { location: 'LocalMachine', password: 'x' });
    expect(r.certificates.map((e) => e.store)).toEqual(['My', 'Root']);
    // Alone, the same root goes to CA (the wizard's rule for a single certificate).
    expect(
      (await importFile(await open(), v1.der, { location: 'LocalMachine' })).certificates[0]?.store,
    ).toBe('CA');
  });

  it('a .p7b into Root puts every certificate there', async () => {
    const m = await open();
    const { chainP7b } = await pki();
    const r = await importFile(m, chainP7b, { location: 'LocalMachine', store: 'Root' });
    expect(r.certificates.map((e) => e.store)).toEqual(['Root', 'Root', 'Root']);
  });

  it('a .pfx: leaf with its key → My, root → Root, issuing CA → CA', async () => {
    const m = await open();
    const { pfx, pfxPassword, leaf } = await pki();
    const r = await importFile(m, pfx, { location: 'LocalMachine', password: pfxPassword });
    expect(r.certificates.map((e) => e.store)).toEqual(['My', 'CA', 'Root']);
    const e = m.store('LocalMachine', 'My').get(await leaf.cert.thumbprint())!;
    expect(e.hasPrivateKey).toBe(true);
    expect(e.properties.friendlyName).toBe('Exchange UM');
    expect(e.properties.keyExportable).toBe(false);
    expect((await m.privateKey(e))?.publicKey.equals(leaf.keys.publicKey)).toBe(true);
    // The key lives in the machine key set: a copy of the certificate in CurrentUser\My has none.
    await m.store('CurrentUser', 'My').add(e.certificate, { properties: e.properties });
    expect(m.store('CurrentUser', 'My').get(e.thumbprint)?.hasPrivateKey).toBe(false);
  });

  itWithTool(
    'openssl',
    'a .pfx keeps each certificate bag friendly name (openssl pkcs12 -caname)',
    async () => {
      const { leaf, ica, root } = await pki();
      const dir = await mkdtemp(join(tmpdir(), 'certlab-pfx-names-'));
      try {
        await writeFile(join(dir, 'leaf.pem'), leaf.cert.toPem());
        await writeFile(join(dir, 'key.pem'), await leaf.keys.privateKey.toPem());
        await writeFile(join(dir, 'chain.pem'), ica.cert.toPem() + root.cert.toPem());
        execFileSync('openssl', [
          'pkcs12',
          '-export',
          '-in',
          join(dir, 'leaf.pem'),
          '-inkey',
          join(dir, 'key.pem'),
          '-certfile',
          join(dir, 'chain.pem'),
          '-name',
          'UM 2026',
          '-caname',
          'Contoso Issuing',
          '-caname',
          'Contoso Root',
          '-passout',
          'pass:P@ss',
          '-out',
          join(dir, 'named.pfx'),
        ]);
        const m = await open();
        await importFile(m, await readFile(join(dir, 'named.pfx')), {
          location: 'LocalMachine',
          password: 'P@ss',
        });
        const name = async (store: string, c: Certificate) =>
          m.store('LocalMachine', store).get(await c.thumbprint())?.properties.friendlyName;
        expect(await name('My', leaf.cert)).toBe('UM 2026');
        expect(await name('CA', ica.cert)).toBe('Contoso Issuing');
        expect(await name('Root', root.cert)).toBe('Contoso Root');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  itWithTool(
    'keytool',
    'a .pfx with several keys (a Java keystore): every certificate goes to My with its own key',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'certlab-pfx-java-'));
      try {
        const store = join(dir, 'java.p12');
        javaKeystore(dir, store, 'P@ssw0rd');
        const m = await open();
        const r = await importFile(m, await readFile(store), {
          location: 'LocalMachine',
          password: 'P@ssw0rd',
          exportable: true,
        });
        expect(r.warnings).toEqual([]);
        const mine = r.certificates.map((e) => [e.certificate.subject.commonName, e.store, e.hasPrivateKey]);
        expect(mine.sort()).toEqual([
          ['jec', 'My', true],
          ['jrsa', 'My', true],
        ]);
        for (const e of r.certificates) {
          expect(e.properties.friendlyName).toBe(e.certificate.subject.commonName);
          expect((await m.privateKey(e))!.publicKey.equals(e.certificate.publicKey)).toBe(true);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('a .pfx whose first key has no certificate: the second key goes to My with its certificate, and a warning', async () => {
    const { leaf, root } = await pki();
    // RFC 7292 §4: PFX { version 3, authSafe data { SafeContents of keyBags and a certBag } }, no
    // MAC, no encryption (the password is then not checked), written by hand as node-forge would.
    const der = (tag: number, ...parts: Uint8Array[]): Uint8Array => {
      const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        body.set(p, o);
        o += p.length;
      }
      const len =
        body.length < 0x80
          ? [body.length]
          : body.length < 0x100
            ? [0x81, body.length]
            : [0x82, body.length >> 8, body.length & 0xff];
      return Uint8Array.from([tag, ...len, ...body]);
    };
    const oid = (dotted: string) => {
      const [a, b, ...rest] = dotted.split('.').map(Number);
      const out = [a! * 40 + b!];
      for (const n of rest) {
        const septets = [n & 0x7f];
        for (let v = n >>> 7; v > 0; v >>>= 7) septets.unshift((v & 0x7f) | 0x80);
        out.push(...septets);
      }
      return der(0x06, Uint8Array.from(out));
    };
    const keyBag = async (k: typeof leaf.keys) =>
      der(0x30, oid('1.2.840.113549.1.12.10.1.1'), der(0xa0, await k.privateKey.toPkcs8()));
    const certBag = der(
      0x30,
      oid('1.2.840.113549.1.12.10.1.3'),
      der(0xa0, der(0x30, oid('1.2.840.113549.1.9.22.1'), der(0xa0, der(0x04, leaf.cert.der)))),
    );
    const safe = der(0x30, await keyBag(root.keys), await keyBag(leaf.keys), certBag);
    const data = (content: Uint8Array) =>
      der(0x30, oid('1.2.840.113549.1.7.1'), der(0xa0, der(0x04, content)));
    const pfx = der(0x30, der(0x02, Uint8Array.of(3)), data(der(0x30, data(safe))));
    expect((await readPkcs12(pfx, 'x')).keys).toHaveLength(2);
    const m = await open();
    const r = await importFile(m, pfx, { location: 'LocalMachine', password: 'x' });
    expect(r.certificates.map((e) => [e.store, e.hasPrivateKey])).toEqual([['My', true]]);
    expect((await m.privateKey(r.certificates[0]!))!.publicKey.equals(leaf.keys.publicKey)).toBe(true);
    expect(r.warnings).toEqual([
      'A private key of the .pfx has no certificate in the file and was not imported (a key is kept with its certificate).',
    ]);
  });

  it('a .pfx needs its password, and the right one', async () => {
    const m = await open();
    const { pfx } = await pki();
    await expect(importFile(m, pfx, { location: 'LocalMachine' })).rejects.toMatchObject({
      code: 'ERR_STORE_PASSWORD_REQUIRED',
    });
    await expect(importFile(m, pfx, { location: 'LocalMachine', password: 'wrong' })).rejects.toMatchObject({
      code: 'ERR_STORE_IMPORT_INVALID',
    });
    expect(m.physicalStores()).toEqual([]);
  });

  it('shows the Security Warning for a user Root store; declining imports nothing', async () => {
    const m = await open();
    const { root } = await pki();
    const shown: string[] = [];
    await expect(
      importFile(m, root.cert.der, {
        store: 'Root',
        onSecurityWarning: (w) => {
          shown.push(w);
          return false;
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_STORE_CANCELLED', hresult: 0x800704c7 });
    expect(shown[0]).toContain(
      'You are about to install a certificate from a certification authority (CA) claiming to represent:\nContoso Root CA',
    );
    expect(shown[0]).toMatch(/Thumbprint \(sha1\): [0-9A-F]{8}( [0-9A-F]{8}){4}\n/);
    expect(m.physicalStores()).toEqual([]);
    const ok = await importFile(m, root.cert.der, { store: 'Root' });
    expect(ok.securityWarnings).toHaveLength(1);
    expect(m.store('CurrentUser', 'Root').list()).toHaveLength(1);
    // In French: the same dialog, the same grouped thumbprint.
    const fr = await securityWarningText(root.cert, 'fr');
    expect(fr.split('\n')[0]).toBe('Avertissement de sécurité');
    expect(fr).toContain('(AC) demandant à représenter :\nContoso Root CA\n');
    expect(fr).toMatch(/Empreinte numérique \(sha1\) : [0-9A-F]{8}( [0-9A-F]{8}){4}\n/);
    expect(fr.split('\n').at(-1)).toBe('Voulez-vous installer ce certificat ?');
    // No warning for the machine store.
    expect(
      (await importFile(m, root.cert.der, { location: 'LocalMachine', store: 'Root' })).securityWarnings,
    ).toEqual([]);
  });

  it('imports CRLs (a .crl, or those of a .p7b) into CA', async () => {
    const m = await open();
    const { crl, ica } = await pki();
    const r = await importFile(m, crl.der, { location: 'LocalMachine' });
    expect(r.crls).toEqual(['LocalMachine\\CA']);
    await importFile(m, createCertsOnlyPkcs7([ica.cert], { crls: [crl] }), { location: 'LocalMachine' });
    expect(m.store('LocalMachine', 'CA').crls()).toHaveLength(1);
    expect(m.store('CurrentUser', 'CA').crls()).toHaveLength(1);
  });

  it('refuses files that are not certificates with a coded error', async () => {
    const m = await open();
    const { leaf } = await pki();
    await expect(importFile(m, await leaf.keys.privateKey.toPem())).rejects.toMatchObject({
      code: 'ERR_STORE_IMPORT_UNSUPPORTED',
    });
    await expect(importFile(m, 'hello')).rejects.toMatchObject({ code: 'ERR_STORE_IMPORT_INVALID' });
    await expect(importFile(m, new Uint8Array())).rejects.toBeInstanceOf(StoreError);
  });
});

describe('Export Wizard', () => {
  it('exports .cer (DER, Base-64), .p7b with the chain, .pfx only with an exportable key', async () => {
    const m = await open();
    const { pfx, pfxPassword, leaf, root, ica } = await pki();
    await importFile(m, pfx, { location: 'LocalMachine', password: pfxPassword, exportable: true });
    const t = await leaf.cert.thumbprint();
    expect(await exportCertificate(m, 'LocalMachine', 'My', t, { format: 'cer' })).toEqual(leaf.cert.der);
    const b64 = (await exportCertificate(m, 'LocalMachine', 'My', t, { format: 'cer-base64' })) as string;
    expect(b64).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
    const p7b = (await exportCertificate(m, 'LocalMachine', 'My', t, {
      format: 'p7b',
      includeChain: true,
    })) as Uint8Array;
    const back = await importFile(await open(), p7b, { location: 'LocalMachine', store: 'CA' });
    expect(back.certificates.map((e) => e.thumbprint).sort()).toEqual(
      (await Promise.all([leaf, ica, root].map((n) => n.cert.thumbprint()))).sort(),
    );
    const out = (await exportCertificate(m, 'LocalMachine', 'My', t, {
      format: 'pfx',
      password: 'x',
      includeChain: true,
    })) as Uint8Array;
    const contents = await readPkcs12(out, 'x');
    expect(contents.certificate?.equals(leaf.cert)).toBe(true);
    expect(contents.chain).toHaveLength(2);
    expect(contents.friendlyName).toBe('Exchange UM');
    // Not exportable, or no key at all.
    const m2 = await open();
    await importFile(m2, pfx, { location: 'LocalMachine', password: pfxPassword });
    await expect(
      exportCertificate(m2, 'LocalMachine', 'My', t, { format: 'pfx', password: 'x' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_KEY_NOT_EXPORTABLE',
    });
    await expect(
      exportCertificate(m2, 'LocalMachine', 'Root', await root.cert.thumbprint(), {
        format: 'pfx',
        password: 'x',
      }),
    ).rejects.toMatchObject({ code: 'ERR_STORE_KEY_MISSING' });
    await expect(
      exportCertificate(m2, 'LocalMachine', 'My', '00'.repeat(20), { format: 'cer' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_NOT_FOUND',
    });
  });
});
