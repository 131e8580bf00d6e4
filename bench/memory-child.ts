// One library's memory footprint for N parsed certificates, in a process of its own:
//
//   node --expose-gc --conditions=source --import tsx bench/memory-child.ts <lib> <N> [leaf.der]
//
// lib: certlab | node | pkijs | x509 | forge. Loads only that library, warms its parser up,
// takes a baseline (gc, process.memoryUsage()), then makes N distinct certificates (copies of
// the leaf whose last 4 serial octets hold the index; parsing does not check signatures) one at
// a time, parses each, touches `.subject`, and keeps every parsed object in an array. The
// input buffers are not kept by the harness, so whatever a parsed object retains (certlab keeps
// a view of its DER) is counted, and what it does not retain is freed as it goes. Then gc and
// measure again. Prints one JSON line on stdout.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Bytes, distinctCopies, makeFixtures, serialLocation } from './fixtures.js';

type Parse = (der: Bytes) => unknown;

export interface MemoryChildResult {
  lib: string;
  n: number;
  derBytes: number;
  parseMs: number;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  /** after − before, bytes. */
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

async function loader(lib: string): Promise<Parse> {
  switch (lib) {
    case 'certlab': {
      const { parseCertificate } = await import('@certlab/pki');
      return (der) => {
        const c = parseCertificate(der);
        void c.subject;
        return c;
      };
    }
    case 'node': {
      const { X509Certificate } = await import('node:crypto');
      return (der) => {
        const c = new X509Certificate(der);
        void c.subject;
        return c;
      };
    }
    case 'pkijs': {
      const asn1js = await import('asn1js');
      const pkijs = await import('pkijs');
      return (der) => {
        const c = new pkijs.Certificate({ schema: asn1js.fromBER(der).result });
        void c.subject.typesAndValues;
        return c;
      };
    }
    case 'x509': {
      await import('./reflect-polyfill.js');
      const x509 = await import('@peculiar/x509');
      return (der) => {
        const c = new x509.X509Certificate(der);
        void c.subject;
        return c;
      };
    }
    case 'forge': {
      const ns = await import('node-forge');
      const forge = ((ns as unknown as { default?: typeof ns }).default ?? ns) as typeof ns;
      return (der) => {
        const c = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(der)));
        void c.subject.getField('CN');
        return c;
      };
    }
    default:
      throw new Error(`unknown library "${lib}" (certlab, node, pkijs, x509, forge)`);
  }
}

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

async function main(): Promise<void> {
  const [lib = 'certlab', nArg = '100000', derPath] = process.argv.slice(2);
  const n = Number(nArg);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`bad N: ${nArg}`);
  const base = derPath ? new Uint8Array(readFileSync(derPath)) : makeFixtures().leafDer;
  const parse = await loader(lib);
  const { offset, length } = serialLocation(base);
  const end = offset + length;

  // Warm up: load lazily required modules and JIT the parser; all garbage afterwards.
  for (const d of distinctCopies(base, 200)) parse(d);

  const keep: unknown[] = new Array(n);
  gcNow();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const der = new Uint8Array(base);
    der[end - 4] = i >>> 24;
    der[end - 3] = (i >>> 16) & 0xff;
    der[end - 2] = (i >>> 8) & 0xff;
    der[end - 1] = i & 0xff;
    keep[i] = parse(der);
  }
  const parseMs = performance.now() - t0;
  gcNow();
  const after = process.memoryUsage();
  if (keep.length !== n || keep[n - 1] === undefined) throw new Error('lost objects');

  const result: MemoryChildResult = {
    lib,
    n,
    derBytes: base.length,
    parseMs,
    before,
    after,
    rss: after.rss - before.rss,
    heapUsed: after.heapUsed - before.heapUsed,
    external: after.external - before.external,
    arrayBuffers: after.arrayBuffers - before.arrayBuffers,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
