// Malformed imports: mutated .cer, .p7b, .pfx and .crl files (fast-check, fixed seed) end in a
// coded error — StoreError or PkiError, nothing else — and never leave a half-imported store; a
// mutated CRL that still parses is imported whole, into the store asked for, and nothing else.

import { createCertsOnlyPkcs7, createCrl, PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importFile,
  Machine,
  MemoryStoreAdapter,
  type StoredCertificate,
  type StoredCrl,
  StoreError,
  type StoreRef,
} from '../src/index.js';
import { pki } from './fixtures.js';

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of ms) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'flip') b[at] = m.byte;
    else if (m.kind === 'cut') b = b.slice(0, at);
    else b = Uint8Array.of(...b.slice(0, at), m.byte, ...b.slice(at));
  }
  return b;
}

async function snapshot(m: Machine): Promise<string> {
  const stores = m.physicalStores();
  const parts = stores.map((s) => {
    const [loc, name] = s.split('\\') as [string, string];
    return `${s}:${m
      .store(loc, name)
      .list({ includeArchived: true })
      .filter((e) => e.location === loc)
      .map((e) => e.thumbprint)
      .join(',')}:${m.store(loc, name).crls().length}`;
  });
  const keys = await m.adapter.listKeys('LocalMachine');
  return `${parts.join('|')}#${keys.join(',')}`;
}

describe('import of malformed files', () => {
  // The last column: whether the runs must also reach a success (a mutated file that still
  // parses), which the CRL cases do often enough (2 % of the PEM runs, 7 % of the DER ones).
  const cases: [string, (p: Awaited<ReturnType<typeof pki>>) => Uint8Array, number, boolean][] = [
    ['.cer', (p) => p.leaf.cert.der, 300, false],
    ['.cer (PEM)', (p) => new TextEncoder().encode(p.root.cert.toPem()), 200, false],
    ['.p7b', (p) => p.chainP7b, 300, false],
    ['.pfx', (p) => p.pfx, 120, false],
    ['.crl', (p) => p.crl.der, 300, true],
    ['.crl (PEM)', (p) => new TextEncoder().encode(p.crl.toPem()), 400, true],
  ];
  for (const [name, pick, runs, both] of cases) {
    it(`${name}: only coded errors, never a half-imported store`, async () => {
      const p = await pki();
      const original = pick(p);
      const m = await Machine.open({ name: 'EX01' });
      // Something already there, which a failed import must leave as it was.
      await m.store('LocalMachine', 'CA').add(p.ica.cert);
      let failures = 0;
      let successes = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
          const before = await snapshot(m);
          const crlsBefore = m.store('LocalMachine', 'My').crls().length;
          const bytes = mutate(original, ms);
          let r: Awaited<ReturnType<typeof importFile>>;
          try {
            r = await importFile(m, bytes, {
              location: 'LocalMachine',
              password: p.pfxPassword,
              store: 'My',
            });
          } catch (e) {
            failures++;
            if (!(e instanceof StoreError || e instanceof PkiError)) throw e;
            expect(await snapshot(m)).toBe(before);
            return;
          }
          successes++;
          if (name.startsWith('.crl')) {
            // The one CRL, in the store given (a new one, or the same one again), no certificate.
            expect(r.certificates).toEqual([]);
            expect(r.crls).toEqual(['LocalMachine\\My']);
            expect(m.store('LocalMachine', 'My').crls().length - crlsBefore).toBeGreaterThanOrEqual(0);
            expect(m.store('LocalMachine', 'My').crls().length - crlsBefore).toBeLessThanOrEqual(1);
            const outsideMy = (snap: string) =>
              snap.replace(/(^|\|)LocalMachine\\My:[^|#]*/, '').replace(/^\|/, '');
            expect(outsideMy(await snapshot(m))).toBe(outsideMy(before));
            expect((await snapshot(m)).match(/LocalMachine\\My:([^:]*):/)?.[1]).toBe('');
          }
        }),
        { seed: 0x5eed, numRuns: runs },
      );
      expect(failures).toBeGreaterThan(0);
      if (both) expect(successes).toBeGreaterThan(0);
    });
  }
});

describe('import atomicity', () => {
  it('undoes the writes already made when the adapter fails mid-import', async () => {
    const p = await pki();
    let puts = 0;
    class Failing extends MemoryStoreAdapter {
      override async putCertificate(ref: StoreRef, cert: StoredCertificate): Promise<void> {
        if (++puts === 3) throw new StoreError('ERR_STORE_IO', 'disk full');
        return super.putCertificate(ref, cert);
      }
    }
    const failing = new Failing();
    const inner = failing;
    const m = await Machine.open({ name: 'EX01', adapter: failing });
    await expect(
      importFile(m, p.pfx, { location: 'LocalMachine', password: p.pfxPassword }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_IO',
    });
    expect(m.physicalStores()).toEqual([]);
    expect(await inner.listStores('LocalMachine')).toEqual([]);
    expect(await inner.listKeys('LocalMachine')).toEqual([]);
  });

  it('keeps a CRL the store already held when a later write of the same import fails', async () => {
    const p = await pki();
    const second = await createCrl({
      issuer: p.ica.cert,
      signingKey: p.ica.keys.privateKey,
      crlNumber: 2,
      thisUpdate: new Date(Date.UTC(2026, 5, 1)),
      nextUpdate: new Date(Date.UTC(2026, 11, 1)),
    });
    let failNew = false;
    class Failing extends MemoryStoreAdapter {
      override async putCrl(ref: StoreRef, crl: StoredCrl): Promise<void> {
        if (failNew && crl.der.length === second.der.length && crl.der.every((b, i) => b === second.der[i]))
          throw new StoreError('ERR_STORE_IO', 'disk full');
        return super.putCrl(ref, crl);
      }
    }
    const m = await Machine.open({ name: 'EX01', adapter: new Failing() });
    const ca = m.store('LocalMachine', 'CA');
    await importFile(m, p.crl.der, { location: 'LocalMachine', store: 'CA' });
    const held = () => ca.crls().map((c) => c.crlNumber);
    expect(held()).toEqual([1n]);
    failNew = true;
    // A .p7b with both CRLs: the first is already there, the write of the second fails.
    const p7b = createCertsOnlyPkcs7([p.leaf.cert], { crls: [p.crl, second] });
    await expect(importFile(m, p7b, { location: 'LocalMachine', store: 'CA' })).rejects.toMatchObject({
      code: 'ERR_STORE_IO',
    });
    expect(held()).toEqual([1n]);
  });
});
