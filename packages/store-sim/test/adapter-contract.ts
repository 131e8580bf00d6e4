// The one contract every StoreAdapter must pass; each adapter's test file calls it.

import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import type { StoreAdapter } from '../src/index.js';
import { pki } from './fixtures.js';

const sha1 = (d: Uint8Array) => createHash('sha1').update(d).digest('hex').toUpperCase();

/** Registers the contract tests for adapters made by `make` (a fresh, empty adapter each call). */
export function adapterContract(make: () => Promise<StoreAdapter>): void {
  const LMRoot = { location: 'LocalMachine', store: 'Root' } as const;
  const CUMy = { location: 'CurrentUser', store: 'My' } as const;

  it('starts empty', async () => {
    const a = await make();
    expect(await a.listStores('LocalMachine')).toEqual([]);
    expect(await a.listCertificates(LMRoot)).toEqual([]);
    expect(await a.getCertificate(LMRoot, '0'.repeat(40))).toBeUndefined();
    expect(await a.listKeys('LocalMachine')).toEqual([]);
    expect(await a.listCrls(LMRoot)).toEqual([]);
  });

  it('puts, gets, lists and deletes certificates with their properties', async () => {
    const a = await make();
    const { root, ica } = await pki();
    const r = {
      thumbprint: sha1(root.cert.der),
      der: root.cert.der,
      properties: { friendlyName: 'Contoso' },
    };
    const i = { thumbprint: sha1(ica.cert.der), der: ica.cert.der, properties: {} };
    await a.putCertificate(LMRoot, r);
    await a.putCertificate(LMRoot, i);
    expect(await a.listStores('LocalMachine')).toEqual(['Root']);
    expect(await a.listStores('CurrentUser')).toEqual([]);
    const got = await a.getCertificate(LMRoot, r.thumbprint);
    expect(got?.der).toEqual(root.cert.der);
    expect(got?.properties).toEqual({ friendlyName: 'Contoso' });
    expect((await a.listCertificates(LMRoot)).map((c) => c.thumbprint).sort()).toEqual(
      [r.thumbprint, i.thumbprint].sort(),
    );
    // Store names are case-insensitive.
    expect(await a.getCertificate({ location: 'LocalMachine', store: 'root' }, r.thumbprint)).toBeDefined();
    // Put replaces.
    await a.putCertificate(LMRoot, { ...r, properties: { archived: true } });
    expect((await a.getCertificate(LMRoot, r.thumbprint))?.properties).toEqual({ archived: true });
    expect(await a.deleteCertificate(LMRoot, r.thumbprint)).toBe(true);
    expect(await a.deleteCertificate(LMRoot, r.thumbprint)).toBe(false);
    expect(await a.getCertificate(LMRoot, r.thumbprint)).toBeUndefined();
    expect(await a.listCertificates(LMRoot)).toHaveLength(1);
  });

  it('keeps stores and locations apart', async () => {
    const a = await make();
    const { root } = await pki();
    const r = { thumbprint: sha1(root.cert.der), der: root.cert.der, properties: {} };
    await a.putCertificate(CUMy, r);
    expect(await a.getCertificate(LMRoot, r.thumbprint)).toBeUndefined();
    expect(await a.getCertificate({ location: 'LocalMachine', store: 'My' }, r.thumbprint)).toBeUndefined();
    expect(await a.getCertificate({ location: 'CurrentUser', store: 'Root' }, r.thumbprint)).toBeUndefined();
    expect(await a.listStores('CurrentUser')).toEqual(['My']);
  });

  it('does not alias the bytes it was given or returns', async () => {
    const a = await make();
    const { root } = await pki();
    const der = root.cert.der.slice();
    const t = sha1(der);
    await a.putCertificate(LMRoot, { thumbprint: t, der, properties: {} });
    der[10] = der[10]! ^ 0xff;
    const back = await a.getCertificate(LMRoot, t);
    expect(back?.der).toEqual(root.cert.der);
    back!.der[10] = back!.der[10]! ^ 0xff;
    expect((await a.getCertificate(LMRoot, t))?.der).toEqual(root.cert.der);
  });

  it('stores keys per location', async () => {
    const a = await make();
    const { leaf } = await pki();
    const pkcs8 = await leaf.keys.privateKey.toPkcs8();
    await a.putKey('LocalMachine', 'certlab-abc', pkcs8);
    expect(await a.listKeys('LocalMachine')).toEqual(['certlab-abc']);
    expect(await a.listKeys('CurrentUser')).toEqual([]);
    expect(await a.getKey('LocalMachine', 'certlab-abc')).toEqual(pkcs8);
    expect(await a.getKey('CurrentUser', 'certlab-abc')).toBeUndefined();
    expect(await a.deleteKey('LocalMachine', 'certlab-abc')).toBe(true);
    expect(await a.deleteKey('LocalMachine', 'certlab-abc')).toBe(false);
    expect(await a.getKey('LocalMachine', 'certlab-abc')).toBeUndefined();
  });

  it('stores CRLs per store', async () => {
    const a = await make();
    const { crl } = await pki();
    const ref = { location: 'LocalMachine', store: 'CA' } as const;
    const id = sha1(crl.der);
    await a.putCrl(ref, { id, der: crl.der });
    expect(await a.listCrls(ref)).toEqual([{ id, der: crl.der }]);
    expect(await a.listStores('LocalMachine')).toEqual(['CA']);
    expect(await a.deleteCrl(ref, id)).toBe(true);
    expect(await a.listCrls(ref)).toEqual([]);
  });

  it('never loses certificates written concurrently', async () => {
    const a = await make();
    const { root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot } = await pki();
    const certs = [root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot].map((n) => n.cert);
    await Promise.all(
      certs.flatMap((c) =>
        ['Root', 'CA', 'My'].map((store) =>
          a.putCertificate(
            { location: 'LocalMachine', store },
            { thumbprint: sha1(c.der), der: c.der, properties: { friendlyName: store } },
          ),
        ),
      ),
    );
    for (const store of ['Root', 'CA', 'My'])
      expect(await a.listCertificates({ location: 'LocalMachine', store })).toHaveLength(certs.length);
  });
}
