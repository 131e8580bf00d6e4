// Malformed store files: a mutated certificate or CRL file (fast-check, fixed seed), PEM or DER,
// named after the SHA-1 of what it now holds or still after the original, in upper or lower
// case. Whatever it holds, the machine opens, every intact record loads, and the file is either
// loaded (it still parses, under its own SHA-1) or reported in skippedFiles, never both, never
// neither.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePem } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryStoreAdapter, Machine } from '../src/index.js';
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

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').toUpperCase();

/** The SHA-1 a hand-made name would use: of the DER, the PEM block's when there is one. */
function contentId(bytes: Uint8Array, pem: boolean): string {
  if (!pem) return sha1(bytes);
  try {
    const block = decodePem(Buffer.from(bytes).toString('latin1'))[0];
    return block ? sha1(block.bytes) : sha1(bytes);
  } catch {
    return sha1(bytes);
  }
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('directory adapter: malformed store files', () => {
  const sources = ['.cer DER', '.cer PEM', '.crl DER', '.crl PEM'] as const;
  for (const source of sources)
    it(`${source}: the machine opens, intact records load, the file is loaded or reported`, async () => {
      const p = await pki();
      const [rt, it_] = [await p.root.cert.thumbprint(), await p.ica.cert.thumbprint()];
      const isCrl = source.startsWith('.crl');
      const pem = source.endsWith('PEM');
      const der = isCrl ? p.crl.der : p.leaf.cert.der;
      const original = pem
        ? new TextEncoder().encode(isCrl ? p.crl.toPem() : p.leaf.cert.toPem())
        : new Uint8Array(der);
      const base = await mkdtemp(join(tmpdir(), 'store-sim-fuzz-'));
      dirs.push(base);
      let run = 0;
      let loaded = 0;
      let skipped = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          fc.boolean(),
          async (ms, byContent, lower) => {
            const dir = join(base, String(run++));
            const store = join(dir, 'LocalMachine', 'CA');
            await mkdir(store, { recursive: true });
            // The intact records: a PEM certificate with properties, a DER one.
            await writeFile(join(store, `${rt}.cer`), p.root.cert.toPem());
            await writeFile(join(store, `${rt}.json`), JSON.stringify({ friendlyName: 'intact' }));
            await writeFile(join(store, `${it_}.cer`), p.ica.cert.der);
            const bytes = mutate(original, ms);
            const id = byContent ? contentId(bytes, pem) : sha1(der);
            const file = join(store, `${lower ? id.toLowerCase() : id}${isCrl ? '.crl' : '.cer'}`);
            await writeFile(file, bytes);

            const adapter = new DirectoryStoreAdapter(dir);
            const m = await Machine.open({ name: 'EX01', adapter });
            const ca = m.store('LocalMachine', 'CA');
            expect(ca.get(rt)?.properties.friendlyName).toBe('intact');
            expect(ca.has(it_)).toBe(true);
            const isLoaded = isCrl
              ? ca.crls().some((c) => sha1(c.der) === id)
              : ca.list({ includeArchived: true }).some((e) => e.thumbprint === id);
            const isSkipped = adapter.skippedFiles.some((f) => f.path === file);
            expect(isLoaded !== isSkipped).toBe(true);
            // Nothing else is reported, and the only thing loaded besides the intact records is it.
            expect(adapter.skippedFiles.filter((f) => f.path !== file)).toEqual([]);
            expect(isCrl ? ca.crls().length : ca.list({ includeArchived: true }).length - 2).toBe(
              isLoaded ? 1 : 0,
            );
            if (isLoaded) loaded++;
            else skipped++;
            await rm(dir, { recursive: true, force: true });
          },
        ),
        { seed: 0x5eed, numRuns: 120 },
      );
      // The runs reach both outcomes.
      expect(skipped).toBeGreaterThan(0);
      expect(loaded).toBeGreaterThan(0);
    });
});
