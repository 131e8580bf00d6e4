// Malformed imports: mutated .cer, .p7b and .pfx files (fast-check, fixed seed) end in a coded
// error — StoreError or PkiError, nothing else — and never leave a half-imported store.

import { PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importFile,
  Machine,
  MemoryStoreAdapter,
  type StoredCertificate,
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
  const cases: [string, (p: Awaited<ReturnType<typeof pki>>) => Uint8Array, number][] = [
    ['.cer', (p) => p.leaf.cert.der, 300],
    ['.cer (PEM)', (p) => new TextEncoder().encode(p.root.cert.toPem()), 200],
    ['.p7b', (p) => p.chainP7b, 300],
    ['.pfx', (p) => p.pfx, 120],
  ];
  for (const [name, pick, runs] of cases) {
    it(`${name}: only coded errors, never a half-imported store`, async () => {
      const p = await pki();
      const original = pick(p);
      const m = await Machine.open({ name: 'EX01' });
      // Something already there, which a failed import must leave as it was.
      await m.store('LocalMachine', 'CA').add(p.ica.cert);
      let failures = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
          const before = await snapshot(m);
          const bytes = mutate(original, ms);
          try {
            await importFile(m, bytes, { location: 'LocalMachine', password: p.pfxPassword, store: 'My' });
          } catch (e) {
            failures++;
            if (!(e instanceof StoreError || e instanceof PkiError)) throw e;
            expect(await snapshot(m)).toBe(before);
          }
        }),
        { seed: 0x5eed, numRuns: runs },
      );
      expect(failures).toBeGreaterThan(0);
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
});
