// A machine opens over what its adapter holds even when part of it cannot be read (a record that
// does not parse is left out and listed in `Machine.skipped`; an adapter that cannot list a
// location or CRLs, the Windows Cert: drive, shows nothing there), and the Import Wizard, the chain
// engine and the Export Wizard work over the Windows adapter (PowerShell played by a fake Cert: drive).

import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildChain,
  exportCertificate,
  importFile,
  isStoreError,
  keyContainerName,
  Machine,
  MemoryStoreAdapter,
  windowsStoreAdapter,
} from '../src/index.js';
import { NOW, type Pki, pki } from './fixtures.js';
import { FakeCertDrive } from './helpers/fake-cert-drive.js';

const LM_ROOT = { location: 'LocalMachine', store: 'Root' } as const;
/** Not a certificate: a SEQUENCE holding one INTEGER. */
const JUNK = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
const JUNK_TP = 'AB'.repeat(20);

let p: Pki;
let rootTp: string;
let leafTp: string;

beforeAll(async () => {
  p = await pki();
  rootTp = await p.root.cert.thumbprint();
  leafTp = await p.leaf.cert.thumbprint();
});

describe('a record the machine cannot read', () => {
  it('is left out and listed with a sentence; the rest of the machine opens', async () => {
    const adapter = new MemoryStoreAdapter();
    await adapter.putCertificate(LM_ROOT, { thumbprint: rootTp, der: p.root.cert.der, properties: {} });
    await adapter.putCertificate(LM_ROOT, { thumbprint: JUNK_TP, der: JUNK, properties: {} });
    await adapter.putCrl(LM_ROOT, { id: 'CD'.repeat(20), der: JUNK });
    await adapter.putCrl(LM_ROOT, { id: 'EF'.repeat(20), der: p.crl.der });

    const m = await Machine.open({ name: 'EX01', adapter });
    const root = m.store('LocalMachine', 'Root');
    expect(root.list().map((e) => e.thumbprint)).toEqual([rootTp]);
    expect(root.crls()).toHaveLength(1);
    expect(m.skipped.map(({ kind, location, store, id }) => ({ kind, location, store, id }))).toEqual([
      { kind: 'certificate', location: 'LocalMachine', store: 'Root', id: JUNK_TP },
      { kind: 'crl', location: 'LocalMachine', store: 'Root', id: 'CD'.repeat(20) },
    ]);
    expect(m.skipped[0]!.problem).toMatch(
      new RegExp(
        `^memory: LocalMachine\\\\Root\\\\${JUNK_TP} is not a certificate certlab can read \\(.+\\); it is left in the store and ignored\\. Delete it, or import the certificate again\\.$`,
      ),
    );
    expect(m.skipped[1]!.problem).toContain(`the CRL ${'CD'.repeat(20)} cannot be read`);
    expect(m.skipped[0]!.cause).toBeInstanceOf(Error);

    // The records stay where they are; once removed, a reload lists nothing.
    expect((await adapter.listCertificates(LM_ROOT)).map((r) => r.thumbprint).sort()).toEqual(
      [rootTp, JUNK_TP].sort(),
    );
    await adapter.deleteCertificate(LM_ROOT, JUNK_TP);
    await adapter.deleteCrl(LM_ROOT, 'CD'.repeat(20));
    await m.reload();
    expect(m.skipped).toEqual([]);
    expect(m.store('LocalMachine', 'Root').list()).toHaveLength(1);
  });

  it('is not mistaken for a failing adapter: other adapter errors still stop the open', async () => {
    const adapter = new MemoryStoreAdapter();
    adapter.listStores = async () => {
      throw new Error('disk on fire');
    };
    await expect(Machine.open({ name: 'EX01', adapter })).rejects.toThrow('disk on fire');
  });
});

describe('a machine over the Windows adapter (PowerShell played by a fake Cert: drive)', () => {
  const entry = (der: Uint8Array, hasPrivateKey = false) => ({
    der,
    friendlyName: '',
    archived: false,
    hasPrivateKey,
    exportable: false,
  });

  it('opens (it was ERR_STORE_UNSUPPORTED for CurrentService), shows what Windows holds and skips what it cannot read', async () => {
    const drive = new FakeCertDrive();
    drive.store('LocalMachine\\Root').set(rootTp, entry(p.root.cert.der));
    drive.store('LocalMachine\\Root').set(JUNK_TP, entry(JUNK));
    drive.store('LocalMachine\\My').set(leafTp, entry(p.leaf.cert.der, true));
    drive.store('LocalMachine\\My').set('CD'.repeat(20), entry(JUNK, true));
    const adapter = windowsStoreAdapter({ runner: drive.runner });
    const m = await Machine.open({ name: 'EX01', adapter });
    // One PowerShell run for each location the Cert: drive has, stores and keys together (it was
    // one per store, then one for the keys and one for the stores).
    expect(drive.scripts).toHaveLength(2);
    expect(
      m
        .store('LocalMachine', 'Root')
        .list()
        .map((e) => e.thumbprint),
    ).toEqual([rootTp]);
    const [leaf] = m.store('LocalMachine', 'My').list();
    expect(leaf?.thumbprint).toBe(leafTp);
    expect(leaf?.properties.keyContainer).toBe(keyContainerName(p.leaf.cert));
    expect(m.hasKey('LocalMachine', keyContainerName(p.leaf.cert))).toBe(true);
    expect(m.skipped.map((s) => `${s.store}\\${s.id}`).sort()).toEqual(
      [`My\\${'CD'.repeat(20)}`, `Root\\${JUNK_TP}`].sort(),
    );
    expect(m.skipped[0]!.problem).toMatch(/^windows: LocalMachine\\/);
    // The Cert: drive has no CRLs and no CurrentService: nothing to show there, and writing
    // there is still refused.
    expect(m.store('LocalMachine', 'Root').crls()).toEqual([]);
    const err = await m
      .store('CurrentService', 'My')
      .add(p.root.cert)
      .catch((e: unknown) => e);
    expect(isStoreError(err, 'ERR_STORE_UNSUPPORTED')).toBe(true);
  });

  it('sees the private key of a certificate outside My (IIS keeps site certificates in WebHosting)', async () => {
    const drive = new FakeCertDrive();
    drive.store('LocalMachine\\WebHosting').set(leafTp, entry(p.leaf.cert.der, true));
    const m = await Machine.open({ name: 'EX01', adapter: windowsStoreAdapter({ runner: drive.runner }) });
    const [site] = m.store('LocalMachine', 'WebHosting').list();
    expect(site?.thumbprint).toBe(leafTp);
    expect(site?.hasPrivateKey).toBe(true);
    expect(m.find({ location: 'LocalMachine', hasPrivateKey: true }).map((e) => e.thumbprint)).toEqual([
      leafTp,
    ]);
  });
});

describe('the Import Wizard and the chain engine over the Windows adapter (a fake Cert: drive)', () => {
  it('imports a .cer, a .p7b and a .pfx, reopens them from Windows, builds a trusted chain, renames and removes', async () => {
    const drive = new FakeCertDrive();
    const adapter = windowsStoreAdapter({ runner: drive.runner });
    const m = await Machine.open({ name: 'EX01', adapter });
    const lm = { location: 'LocalMachine' } as const;

    await importFile(m, p.root.cert.der, { ...lm, store: 'Root' });
    await importFile(m, p.chainP7b, { ...lm, placement: 'by-type' });
    const pfx = await importFile(m, p.pfx, { ...lm, store: 'My', password: p.pfxPassword });
    expect(pfx.certificates.find((e) => e.thumbprint === leafTp)?.hasPrivateKey).toBe(true);

    // What Windows now holds is what the machine said it imported.
    const held = (path: string) => [...(drive.stores.get(path)?.keys() ?? [])].sort();
    expect(held('LocalMachine\\Root')).toEqual([rootTp]);
    expect(held('LocalMachine\\CA')).toEqual([await p.ica.cert.thumbprint()]);
    expect(held('LocalMachine\\My')).toContain(leafTp);
    expect(drive.stores.get('LocalMachine\\My')?.get(leafTp)).toMatchObject({
      hasPrivateKey: true,
      exportable: false,
      friendlyName: 'Exchange UM',
    });

    // A second machine reads it all back from Windows.
    const again = await Machine.open({
      name: 'EX01',
      adapter: windowsStoreAdapter({ runner: drive.runner }),
    });
    expect(again.skipped).toEqual([]);
    const leaf = again.store('LocalMachine', 'My').get(leafTp);
    expect(leaf?.hasPrivateKey).toBe(true);
    expect(leaf?.properties.friendlyName).toBe('Exchange UM');
    const chain = await buildChain(again, leafTp, { context: 'LocalMachine', time: NOW });
    expect(chain.elements.map((e) => e.certificate.subject.toString())).toEqual([
      p.leaf.cert.subject.toString(),
      p.ica.cert.subject.toString(),
      p.root.cert.subject.toString(),
    ]);
    expect(chain.errors).toEqual([]);
    expect(chain.trusted).toBe(true);

    await again.store('LocalMachine', 'My').setProperties(leafTp, { friendlyName: "UM 'TLS'" });
    expect(drive.stores.get('LocalMachine\\My')?.get(leafTp)?.friendlyName).toBe("UM 'TLS'");
    expect(await exportCertificate(again, 'LocalMachine', 'Root', rootTp, { format: 'cer' })).toEqual(
      p.root.cert.der,
    );
    await again.store('LocalMachine', 'Root').remove(rootTp);
    expect(held('LocalMachine\\Root')).toEqual([]);
    await again.reload();
    expect(again.store('LocalMachine', 'Root').list()).toEqual([]);
    expect((await buildChain(again, leafTp, { context: 'LocalMachine', time: NOW })).trusted).toBe(false);

    // Removing the site certificate with its key is one Remove-Item -DeleteKey: Windows deletes a
    // key only with its certificate (a Remove-Item, then a key deletion, left the key behind).
    const container = keyContainerName(p.leaf.cert);
    await again.store('LocalMachine', 'My').remove(leafTp, { deleteKey: true });
    expect(drive.scripts.at(-1)).toMatch(/Remove-Item -Path '[^']+' -DeleteKey;/);
    expect(drive.deletedKeys).toEqual([leafTp]);
    expect(held('LocalMachine\\My')).not.toContain(leafTp);
    expect(again.hasKey('LocalMachine', container)).toBe(false);
    await again.reload();
    expect(again.hasKey('LocalMachine', container)).toBe(false);
    // Without deleteKey the key stays: a plain Remove-Item.
    await importFile(again, p.pfx, { ...lm, store: 'My', password: p.pfxPassword });
    await again.store('LocalMachine', 'My').remove(leafTp);
    expect(drive.scripts.at(-1)).toMatch(/Remove-Item -Path '[^']+'; \$true/);
    expect(drive.deletedKeys).toEqual([leafTp]);
  });
});
