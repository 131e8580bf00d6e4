// Malformed side files of the directory adapter (fast-check, fixed seeds): the properties
// sidecars (<THUMBPRINT>.json), the load cache (.certlab-cache) and the key files
// (.keys/<container>.key). directory-fuzz.test.ts damages the .cer and .crl files themselves.
//
// Whatever a side file holds, Machine.open and Machine.reload return (a coded error would still
// fail: none of these files may keep a machine from opening), within a time bound, and:
// - a damaged sidecar never loses its certificate: the entry is there, with the properties of
//   the file that are well typed, and the file is reported in skippedFiles exactly when
//   something of it was not taken (not JSON, not an object, a known property of the wrong type);
// - a damaged cache never loses or invents a certificate: the machine holds what it holds
//   without any cache, and the next open finds a cache it can use again;
// - a damaged key file never loses its certificate nor the certificate's key link: getKey and
//   Machine.privateKey give a key or ERR_STORE_CORRUPT, nothing else.

import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePem } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import { type Json, jsonFileMutationArb, mutateJsonFile } from '../../../test/support/json-mutate.js';
import {
  type Mutation,
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
} from '../../../test/support/mutate.js';
import {
  CACHE_FILE,
  DirectoryStoreAdapter,
  importFile,
  keyContainerName,
  Machine,
  StoreError,
} from '../src/index.js';
import { type Pki, pki } from './fixtures.js';

const SEED = 20261206;
const STORE = [coded(StoreError, 'ERR_STORE_')];
const LM = 'LocalMachine';

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').toUpperCase();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

let p: Pki;
let base: string;
let template: string;
/** Thumbprints by store in the template: two certificates per store. */
const held: Record<'My' | 'Root' | 'CA', string[]> = { My: [], Root: [], CA: [] };
let container: string;
let pkcs8: Uint8Array;
let run = 0;

beforeAll(async () => {
  p = await pki();
  base = await mkdtemp(join(tmpdir(), 'store-sim-side-fuzz-'));
  template = join(base, 'template');
  // The template machine: a .pfx import (the leaf with its key and sidecar in My, the root in
  // Root, the issuing CA in CA), properties on the root, one more certificate per store (one of
  // them a DER file named in lower case, as by hand) and a CRL.
  const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(template) });
  await importFile(m, p.pfx, { location: LM, password: p.pfxPassword, exportable: true });
  const tp = (n: { cert: { thumbprint(): Promise<string> } }) => n.cert.thumbprint();
  await m.store(LM, 'Root').setProperties(await tp(p.root), {
    friendlyName: 'Contoso root',
    description: 'The root',
    enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
  });
  await m.store(LM, 'Root').add(p.otherRoot.cert, { properties: { archived: true } });
  await m.store(LM, 'My').add(p.clientOnly.cert);
  await m.store(LM, 'CA').addCrl(p.crl);
  const expired = await tp(p.expired);
  await writeFile(join(template, LM, 'CA', `${expired.toLowerCase()}.cer`), p.expired.cert.der);
  held.My = [await tp(p.leaf), await tp(p.clientOnly)];
  held.Root = [await tp(p.root), await tp(p.otherRoot)];
  held.CA = [await tp(p.ica), expired];
  container = keyContainerName(p.leaf.cert);
  pkcs8 = new Uint8Array(await p.leaf.keys.privateKey.toPkcs8());
  // No listing ran after the writes, so no load cache: each run starts without one.
  for (const s of ['My', 'Root', 'CA'])
    expect(await readdir(join(template, LM, s))).not.toContain(CACHE_FILE);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/**
 * A copy of the template machine's directory for one property, opened once so that it has its
 * load caches: later opens take every certificate from them and write nothing (no fsync per run).
 * Each run puts back the file it damaged.
 */
async function propertyDir(): Promise<string> {
  const dir = join(base, String(run++));
  await cp(template, dir, { recursive: true });
  await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
  return dir;
}

/**
 * What a machine holds, one line per certificate (store, thumbprint, SHA-1 of the DER it holds,
 * properties, key) and per store's CRLs: equal lines, equal machines.
 */
function contents(m: Machine): string[] {
  const out: string[] = [];
  for (const s of m.physicalStores()) {
    const [loc, name] = s.split('\\') as [string, string];
    const store = m.store(loc, name);
    for (const e of store.list({ includeArchived: true }))
      if (e.location === loc && e.store === name)
        out.push(
          `${s} ${e.thumbprint} ${sha1(e.certificate.der)} ${JSON.stringify(e.properties)} ${e.hasPrivateKey}`,
        );
    out.push(
      `${s} CRLs ${store
        .crls()
        .map((c) => sha1(c.der))
        .sort()
        .join(',')}`,
    );
  }
  return out.sort();
}

/** Every certificate of the template is where it was, under its own thumbprint. */
function expectAllHeld(m: Machine): void {
  for (const [store, tps] of Object.entries(held))
    for (const t of tps) {
      const e = m.store(LM, store).get(t);
      expect(e, `${store}\\${t}`).toBeDefined();
      expect(sha1(e!.certificate.der)).toBe(t);
    }
  expect(m.skipped).toEqual([]);
}

/** The machine opened (or reloaded) despite the damage: a coded error would lose every record. */
function opened(m: Machine | undefined, what: string): Machine {
  expect(m, `${what} returned a machine`).toBeDefined();
  return m!;
}

describe('directory adapter: malformed properties sidecars', () => {
  /** The known properties and the type each must have. */
  const TYPES: Record<string, (v: unknown) => boolean> = {
    friendlyName: (v) => typeof v === 'string',
    description: (v) => typeof v === 'string',
    keyContainer: (v) => typeof v === 'string',
    keyProvider: (v) => typeof v === 'string',
    archived: (v) => typeof v === 'boolean',
    keyExportable: (v) => typeof v === 'boolean',
    enhancedKeyUsage: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  };

  it('the certificate loads, with the well-typed properties; the file is reported when any are not taken', async () => {
    const o = new Outcomes();
    let taken = 0;
    let reported = 0;
    const dir = await propertyDir();
    const sidecars = await Promise.all(
      (['My', 'Root'] as const).map(async (store) => {
        const t = held[store][0]!;
        const path = join(dir, LM, store, `${t}.json`);
        return {
          path,
          lower: join(dir, LM, store, `${t.toLowerCase()}.json`),
          text: await readFile(path, 'utf8'),
        };
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('My', 'Root'),
        jsonFileMutationArb(),
        fc.boolean(),
        async (store, damage, lower) => {
          for (const s of sidecars) {
            await rm(s.lower, { force: true });
            await writeFile(s.path, s.text);
          }
          const t = held[store as 'My' | 'Root'][0]!;
          const storeDir = join(dir, LM, store);
          const canonical = join(storeDir, `${t}.json`);
          const original = JSON.parse(await readFile(canonical, 'utf8')) as Json;
          // A machine open before the damage, reloaded after it; and one opened after it.
          const before = new DirectoryStoreAdapter(dir);
          const m = await Machine.open({ name: 'EX01', adapter: before });
          const path = join(storeDir, `${lower ? t.toLowerCase() : t}.json`);
          await unlink(canonical);
          await writeFile(path, mutateJsonFile(original, damage));
          // What the file holds (lone surrogates were written as U+FFFD) and what of it counts.
          const onDisk = await readFile(path, 'utf8');
          let parsed: unknown;
          let isObject = false;
          try {
            parsed = JSON.parse(onDisk);
            isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
          } catch {}
          const obj = (isObject ? parsed : {}) as Record<string, unknown>;
          const dropped = Object.keys(TYPES).filter((k) => k in obj && !TYPES[k]!(obj[k]));

          const reloaded = await attemptAsync('Machine.reload', o, STORE, () => m.reload().then(() => m));
          const after = new DirectoryStoreAdapter(dir);
          const fresh = await attemptAsync('Machine.open', o, STORE, () =>
            Machine.open({ name: 'EX01', adapter: after }),
          );
          for (const [machine, adapter, what] of [
            [reloaded, before, 'reload'],
            [fresh, after, 'open'],
          ] as const) {
            const mm = opened(machine, what);
            expectAllHeld(mm);
            const e = mm.store(LM, store).get(t)!;
            for (const [k, v] of Object.entries(e.properties)) {
              expect(TYPES[k], `${k} is a known property`).toBeDefined();
              expect(TYPES[k]!(v), `${k} is well typed`).toBe(true);
              expect(v).toEqual(obj[k]);
            }
            for (const k of Object.keys(TYPES))
              if (k in obj && TYPES[k]!(obj[k]))
                expect((e.properties as Record<string, unknown>)[k]).toEqual(obj[k]);
            const isReported = adapter.skippedFiles.some((f) => f.path === path);
            expect(isReported, `${what}: reported`).toBe(!isObject || dropped.length > 0);
            expect(adapter.skippedFiles.filter((f) => f.path !== path)).toEqual([]);
            // The key link holds exactly while the (damaged) file still names the container.
            expect(e.hasPrivateKey).toBe(e.properties.keyContainer === container);
            if (e.hasPrivateKey) {
              const key = await attemptAsync('Machine.privateKey', o, STORE, () => mm.privateKey(e));
              expect(key?.publicKey.equals(p.leaf.keys.publicKey)).toBe(true);
            }
          }
          if (!isObject || dropped.length > 0) reported++;
          else taken++;
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
    await rm(dir, { recursive: true, force: true });
    expect(o.failed, 'no coded error either: a sidecar never stops a load').toBe(0);
    expect(taken, 'some damaged sidecars are still taken').toBeGreaterThan(0);
    expect(reported, 'some are reported').toBeGreaterThan(0);
  });
});

// --- the load cache -------------------------------------------------------------------------

const MAGIC = 'certlab store cache 2\n';

interface CacheRecord {
  thumb: Buffer;
  /** size, mtimeMs, ctimeMs, ino */
  stamp: number[];
  der: Buffer;
}

/** The records of a valid cache (the format of directory.ts, read independently). */
function readCacheRecords(buf: Buffer): CacheRecord[] {
  expect(buf.subarray(0, MAGIC.length).toString('latin1')).toBe(MAGIC);
  let o = MAGIC.length;
  const n = buf.readUInt32LE(o);
  o += 4;
  const out: CacheRecord[] = [];
  for (let i = 0; i < n; i++) {
    const stamp = [0, 1, 2, 3].map((k) => buf.readDoubleLE(o + 20 + 8 * k));
    const len = buf.readUInt32LE(o + 52);
    out.push({
      thumb: Buffer.from(buf.subarray(o, o + 20)),
      stamp,
      der: Buffer.from(buf.subarray(o + 56, o + 56 + len)),
    });
    o += 56 + len;
  }
  expect(o).toBe(buf.length - 32);
  return out;
}

const seal = (body: Uint8Array): Buffer => Buffer.concat([body, sha256(body)]);

/** A whole, well-formed cache (right count, lengths and checksum) of these records. */
function cacheOf(records: readonly CacheRecord[], magic = MAGIC): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(records.length);
  const parts: Buffer[] = [Buffer.from(magic, 'latin1'), head];
  for (const r of records) {
    const h = Buffer.alloc(56);
    r.thumb.copy(h, 0, 0, 20);
    for (const [k, v] of r.stamp.entries()) h.writeDoubleLE(v, 20 + 8 * k);
    h.writeUInt32LE(r.der.length, 52);
    parts.push(h, r.der);
  }
  return seal(Buffer.concat(parts));
}

/** Edits of a cache's records that keep it well formed: a cache that is wrong, not torn. */
type RecordEdit =
  | { kind: 'der'; i: number; ms: Mutation[] }
  | { kind: 'swapDer'; i: number; j: number }
  | { kind: 'foreignDer'; i: number; cert: number }
  | { kind: 'thumb'; i: number; j: number }
  | { kind: 'stamp'; i: number; field: number; value: number }
  | { kind: 'drop'; i: number }
  | { kind: 'duplicate'; i: number };

type CacheDamage =
  /** Byte mutations of the cache, its checksum then recomputed (`reseal`) or left as it was. */
  | { kind: 'raw'; ms: Mutation[]; reseal: boolean }
  | { kind: 'records'; edits: RecordEdit[] }
  | { kind: 'magic'; magic: string };

const at = fc.nat();
const recordEditArb: fc.Arbitrary<RecordEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('der' as const), i: at, ms: mutationsArb(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapDer' as const), i: at, j: at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('foreignDer' as const), i: at, cert: at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('thumb' as const), i: at, j: at }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stamp' as const),
      i: at,
      field: fc.integer({ min: 0, max: 3 }),
      value: fc.oneof(
        fc.constantFrom(Number.NaN, 0, -0, -1, 1, Number.POSITIVE_INFINITY, 2 ** 53),
        fc.double(),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), i: at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), i: at }) },
);

const cacheDamageArb: fc.Arbitrary<CacheDamage> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('raw' as const), ms: mutationsArb(3), reseal: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('records' as const),
      edits: fc.array(recordEditArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('magic' as const),
      magic: fc.constantFrom(
        'certlab store cache 1\n',
        'certlab store cache 3\n',
        'certlab store cache 2\r\n',
        '',
      ),
    }),
  },
);

function damageCache(buf: Buffer, d: CacheDamage): Buffer {
  switch (d.kind) {
    case 'raw': {
      // Copies as plain Uint8Arrays: mutate's slice() of a Buffer would be a view, and its edits
      // would land in the intact cache kept for the next runs.
      if (!d.reseal) return Buffer.from(mutate(new Uint8Array(buf), d.ms, []));
      return seal(mutate(new Uint8Array(buf.subarray(0, buf.length - 32)), d.ms, []));
    }
    case 'magic':
      return cacheOf(readCacheRecords(buf), d.magic);
    case 'records': {
      const recs = readCacheRecords(buf);
      const foreign = [p.root, p.ica, p.leaf, p.otherRoot, p.revokedLeaf].map((n) => Buffer.from(n.cert.der));
      for (const e of d.edits) {
        if (recs.length === 0) break;
        const r = recs[e.i % recs.length]!;
        switch (e.kind) {
          case 'der':
            r.der = Buffer.from(mutate(new Uint8Array(r.der), e.ms));
            break;
          case 'swapDer': {
            const o = recs[e.j % recs.length]!;
            [r.der, o.der] = [o.der, r.der];
            break;
          }
          case 'foreignDer':
            r.der = foreign[e.cert % foreign.length]!;
            break;
          case 'thumb':
            r.thumb = Buffer.from(recs[e.j % recs.length]!.thumb);
            break;
          case 'stamp':
            r.stamp = r.stamp.map((v, k) => (k === e.field ? e.value : v));
            break;
          case 'drop':
            recs.splice(e.i % recs.length, 1);
            break;
          case 'duplicate':
            recs.push({ thumb: Buffer.from(r.thumb), stamp: [...r.stamp], der: Buffer.from(r.der) });
            break;
        }
      }
      return cacheOf(recs);
    }
  }
}

describe('directory adapter: malformed load caches', () => {
  it('a well-formed cache whose record holds another certificate: the file wins, the cache is rewritten', async () => {
    const dir = join(base, String(run++));
    await cp(template, dir, { recursive: true });
    await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    const cacheFile = join(dir, LM, 'My', CACHE_FILE);
    const records = readCacheRecords(await readFile(cacheFile));
    const leaf = records.find((r) => r.thumb.toString('hex').toUpperCase() === held.My[0])!;
    // Right count, lengths and checksum, the leaf's size and times: only the DER is the root's.
    leaf.der = Buffer.from(p.root.cert.der);
    await writeFile(cacheFile, cacheOf(records));
    const adapter = new DirectoryStoreAdapter(dir);
    const m = await Machine.open({ name: 'EX01', adapter });
    // It used to be taken: the root's certificate under the leaf's thumbprint.
    expect(sha1(m.store(LM, 'My').get(held.My[0]!)!.certificate.der)).toBe(held.My[0]);
    expect(adapter.loads.get(`${LM}\\My`)).toEqual({
      cache: 'valid',
      fromCache: 1,
      fromFiles: 1,
      cacheWritten: true,
    });
    const again = new DirectoryStoreAdapter(dir);
    await Machine.open({ name: 'EX01', adapter: again });
    expect(again.loads.get(`${LM}\\My`)).toMatchObject({ fromCache: 2, fromFiles: 0 });
    await rm(dir, { recursive: true, force: true });
  });

  it('the machine holds what the files hold, nothing lost or invented; the next open can use the cache again', async () => {
    const o = new Outcomes();
    let used = 0;
    let rejected = 0;
    const dir = join(base, String(run++));
    await cp(template, dir, { recursive: true });
    // The truth: the machine as the files make it, read without any cache (this open writes them).
    const first = new DirectoryStoreAdapter(dir);
    const truth = contents(await Machine.open({ name: 'EX01', adapter: first }));
    const STORES = ['My', 'Root', 'CA'] as const;
    const caches = new Map<string, Buffer>();
    for (const s of STORES) {
      expect(first.loads.get(`${LM}\\${s}`)).toMatchObject({ cache: 'missing', cacheWritten: true });
      caches.set(s, await readFile(join(dir, LM, s, CACHE_FILE)));
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STORES), cacheDamageArb, async (store, damage) => {
        // The caches as the first open wrote them (the files have not changed since: they all
        // hold), then one damaged under a machine that was open.
        for (const s of STORES) await writeFile(join(dir, LM, s, CACHE_FILE), caches.get(s)!);
        const adapter = new DirectoryStoreAdapter(dir);
        const m = await Machine.open({ name: 'EX01', adapter });
        expect(contents(m)).toEqual(truth);
        expect(adapter.lastLoad?.fromFiles).toBe(0);
        await writeFile(join(dir, LM, store, CACHE_FILE), damageCache(caches.get(store)!, damage));

        const reloaded = opened(
          await attemptAsync('Machine.reload', o, STORE, () => m.reload().then(() => m)),
          'reload',
        );
        expect(contents(reloaded)).toEqual(truth);
        expectAllHeld(reloaded);
        expect(adapter.skippedFiles).toEqual([]);
        const load = adapter.loads.get(`${LM}\\${store}`)!;
        if (load.cache === 'valid') used++;
        else rejected++;
        // Whatever the damage, the load left a cache the next open takes every certificate from.
        const again = new DirectoryStoreAdapter(dir);
        const fresh = opened(
          await attemptAsync('Machine.open', o, STORE, () => Machine.open({ name: 'EX01', adapter: again })),
          'open',
        );
        expect(contents(fresh)).toEqual(truth);
        expect(again.loads.get(`${LM}\\${store}`)).toMatchObject({ cache: 'valid', fromFiles: 0 });
      }),
      { seed: SEED, numRuns: 150 },
    );
    await rm(dir, { recursive: true, force: true });
    expect(o.failed, 'no coded error either: the cache is never authoritative').toBe(0);
    expect(used, 'some damaged caches pass the checks (resealed)').toBeGreaterThan(0);
    expect(rejected, 'some are rejected and rebuilt').toBeGreaterThan(0);
  });
});

// --- key files ------------------------------------------------------------------------------

type KeyDamage =
  | { kind: 'text'; ms: TextMutation[] }
  | { kind: 'der'; ms: Mutation[] }
  | { kind: 'other'; what: (typeof OTHER_KEY_FILES)[number] };

/** Whole-file replacements: some still hold the key (another layout of the PEM), some do not. */
const OTHER_KEY_FILES = [
  'crlf',
  'around',
  'one-line',
  'two',
  'empty',
  'certificate',
  'ec',
  'encrypted',
  'der',
] as const;

const keyDamageArb: fc.Arbitrary<KeyDamage> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), ms: textMutationsArb(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('der' as const), ms: mutationsArb(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('other' as const), what: fc.constantFrom(...OTHER_KEY_FILES) }),
  },
);

function damageKey(pem: string, d: KeyDamage): string | Uint8Array {
  switch (d.kind) {
    case 'text':
      return mutateText(pem, d.ms);
    case 'der':
      return encodePem('PRIVATE KEY', mutate(pkcs8, d.ms));
    case 'other':
      switch (d.what) {
        case 'crlf':
          return pem.replace(/\n/g, '\r\n');
        case 'around':
          return `Key of ${container}\n\n${pem}\nwritten by hand\n`;
        case 'one-line':
          return `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8).toString('base64')}\n-----END PRIVATE KEY-----\n`;
        case 'empty':
          return '';
        case 'certificate':
          return p.leaf.cert.toPem();
        case 'ec':
          return encodePem('EC PRIVATE KEY', pkcs8);
        case 'encrypted':
          return encodePem('ENCRYPTED PRIVATE KEY', pkcs8);
        case 'two':
          return pem + pem;
        case 'der':
          return pkcs8;
      }
  }
}

describe('directory adapter: malformed key files', () => {
  it('the certificate and its key link stay; getKey and privateKey give a key or ERR_STORE_CORRUPT', async () => {
    const loads = new Outcomes();
    const get = new Outcomes();
    const priv = new Outcomes();
    const dir = await propertyDir();
    const keyFile = join(dir, LM, '.keys', `${container}.key`);
    const pem = await readFile(keyFile, 'utf8');
    await fc.assert(
      fc.asyncProperty(keyDamageArb, async (damage) => {
        await writeFile(keyFile, pem);
        const adapter = new DirectoryStoreAdapter(dir);
        const m = await Machine.open({ name: 'EX01', adapter });
        const truth = contents(m);
        const bytes = damageKey(pem, damage);
        await writeFile(keyFile, bytes);
        const same = Buffer.from(bytes).equals(Buffer.from(pem));

        const reloaded = await attemptAsync('Machine.reload', loads, STORE, () => m.reload().then(() => m));
        const again = new DirectoryStoreAdapter(dir);
        const fresh = await attemptAsync('Machine.open', loads, STORE, () =>
          Machine.open({ name: 'EX01', adapter: again }),
        );
        for (const [machine, what] of [
          [reloaded, 'reload'],
          [fresh, 'open'],
        ] as const) {
          const mm = opened(machine, what);
          // Nothing changes for the certificates: the key file is read only when the key is used.
          expect(contents(mm)).toEqual(truth);
          expectAllHeld(mm);
          const e = mm.store(LM, 'My').get(held.My[0]!)!;
          expect(e.properties.keyContainer).toBe(container);
          expect(e.hasPrivateKey).toBe(true);
        }
        expect(adapter.skippedFiles).toEqual([]);
        expect(again.skippedFiles).toEqual([]);
        expect(await again.listKeys(LM)).toEqual([container]);

        const der = await attemptAsync('getKey', get, STORE, () => again.getKey(LM, container));
        const e = fresh!.store(LM, 'My').get(held.My[0]!)!;
        const key = await attemptAsync('Machine.privateKey', priv, STORE, () => fresh!.privateKey(e));
        // A key file getKey refuses is one privateKey refuses too.
        if (der === undefined) expect(key).toBeUndefined();
        if (same || (der !== undefined && Buffer.from(der).equals(Buffer.from(pkcs8))))
          expect(key?.publicKey.equals(p.leaf.keys.publicKey)).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
    await rm(dir, { recursive: true, force: true });
    expect(loads.failed, 'a key file never stops a load').toBe(0);
    for (const [o, what] of [
      [get, 'getKey'],
      [priv, 'privateKey'],
    ] as const) {
      expect(o.ok, `${what}: some damaged key files still give a key`).toBeGreaterThan(0);
      expect(o.failed, `${what}: some are refused`).toBeGreaterThan(0);
      expect([...o.codes.keys()], `${what}: only ERR_STORE_CORRUPT`).toEqual(['ERR_STORE_CORRUPT']);
    }
  });
});
