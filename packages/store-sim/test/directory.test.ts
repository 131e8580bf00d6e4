import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodePem, encodePem, parseCertificate } from '@certlab/pki';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CACHE_FILE,
  DirectoryStoreAdapter,
  importFile,
  isStoreError,
  Machine,
  MemoryStoreAdapter,
} from '../src/index.js';
import { pki } from './fixtures.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'store-sim-dir-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// One process per writer (node with the tsx loader, not the tsx CLI, which would fork a child
// that SIGKILL would not reach).
const TSX_LOADER = pathToFileURL(
  resolve(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs'),
).href;
const WRITER = resolve(import.meta.dirname, 'helpers/writer.ts');

function writer(
  dir: string,
  store: string,
  count: string,
  tag: string,
): { child: ChildProcess; lines: string[]; done: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, '--conditions=source', WRITER, dir, store, count, tag],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<number | null>((res) =>
    child.on('exit', (code) => {
      if (code && code !== 0) console.error(err);
      res(code);
    }),
  );
  return { child, lines, done };
}

const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('hex').toUpperCase();

/** A load cache in the format of version 1 (`certlab store cache 1`), for the upgrade case. */
function v1Cache(records: { thumbprint: string; st: Stats; der: Uint8Array }[]): Buffer {
  const parts: Buffer[] = [Buffer.from('certlab store cache 1\n', 'latin1'), Buffer.alloc(4)];
  parts[1]!.writeUInt32LE(records.length);
  for (const { thumbprint, st, der } of records) {
    const head = Buffer.alloc(56);
    head.write(thumbprint, 0, 20, 'hex');
    head.writeDoubleLE(st.size, 20);
    head.writeDoubleLE(st.mtimeMs, 28);
    head.writeDoubleLE(st.ctimeMs, 36);
    head.writeDoubleLE(st.ino, 44);
    head.writeUInt32LE(der.length, 52);
    parts.push(head, Buffer.from(der));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('DirectoryStoreAdapter', () => {
  it('is human readable: one PEM per certificate, a JSON sidecar, keys 0600', async () => {
    const dir = await tempDir();
    const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    const { pfx, pfxPassword, leaf } = await pki();
    await importFile(m, pfx, { location: 'LocalMachine', password: pfxPassword, exportable: true });
    const t = await leaf.cert.thumbprint();
    const pem = await readFile(join(dir, 'LocalMachine', 'My', `${t}.cer`), 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const props = JSON.parse(await readFile(join(dir, 'LocalMachine', 'My', `${t}.json`), 'utf8'));
    expect(props).toMatchObject({ friendlyName: 'Exchange UM', keyExportable: true });
    const keyFile = join(dir, 'LocalMachine', '.keys', `${props.keyContainer}.key`);
    expect(await readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'LocalMachine'))).toEqual(
      expect.arrayContaining(['My', 'Root', 'CA', '.keys']),
    );
  });

  it('survives a restart: a reopened machine sees the same stores, properties and keys', async () => {
    const dir = await tempDir();
    const { pfx, pfxPassword, leaf, root } = await pki();
    const m1 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await importFile(m1, pfx, { location: 'LocalMachine', password: pfxPassword });
    await m1
      .store('LocalMachine', 'Root')
      .setProperties(await root.cert.thumbprint(), { friendlyName: 'Contoso root' });
    const m2 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(m2.physicalStores()).toEqual(m1.physicalStores());
    const e = m2.store('LocalMachine', 'My').get(await leaf.cert.thumbprint());
    expect(e?.hasPrivateKey).toBe(true);
    expect((await m2.privateKey(e!))?.publicKey.equals(leaf.keys.publicKey)).toBe(true);
    expect(m2.store('LocalMachine', 'Root').get(await root.cert.thumbprint())?.properties.friendlyName).toBe(
      'Contoso root',
    );
  });

  it('folds the case of store names it does not know (WebHosting, webhosting): one store, its first spelling', async () => {
    const dir = await tempDir();
    const { leaf, root } = await pki();
    const m1 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await importFile(m1, leaf.cert.der, { location: 'LocalMachine', store: 'WebHosting' });
    await importFile(m1, root.cert.der, { location: 'LocalMachine', store: 'webhosting' });
    expect(m1.store('LocalMachine', 'WEBHOSTING').has(await leaf.cert.thumbprint())).toBe(true);
    expect(m1.physicalStores()).toEqual(['LocalMachine\\WebHosting']);
    expect(m1.find({ location: 'LocalMachine', store: 'webHosting' })).toHaveLength(2);
    expect((await readdir(join(dir, 'LocalMachine'))).filter((d) => /webhosting/i.test(d))).toEqual([
      'WebHosting',
    ]);
    const m2 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(m2.physicalStores()).toEqual(['LocalMachine\\WebHosting']);
    expect(m2.store('LocalMachine', 'webhosting').find({})).toHaveLength(2);
  });

  it('loses nothing when many async writers add to one store', async () => {
    const dir = await tempDir();
    const { root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot } = await pki();
    const certs = [root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot].map((n) => n.cert);
    // Seven machines on the same directory, each adding every certificate at once.
    const machines = await Promise.all(
      certs.map(() => Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) })),
    );
    await Promise.all(machines.flatMap((m) => certs.map((c) => m.store('LocalMachine', 'CA').add(c))));
    const reopened = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(reopened.store('LocalMachine', 'CA').list({ includeArchived: true })).toHaveLength(certs.length);
  });

  it('loses nothing when two processes write to the same store', async () => {
    const dir = await tempDir();
    const a = writer(dir, 'CA', '25', 'A');
    const b = writer(dir, 'CA', '25', 'B');
    expect(await a.done).toBe(0);
    expect(await b.done).toBe(0);
    const list = await new DirectoryStoreAdapter(dir).listCertificates({
      location: 'LocalMachine',
      store: 'CA',
    });
    expect(list.map((c) => c.thumbprint).sort()).toEqual([...a.lines, ...b.lines].sort());
    expect(list).toHaveLength(50);
  });

  it('leaves no torn file when killed with SIGKILL during writes', async () => {
    const dir = await tempDir();
    for (let round = 0; round < 3; round++) {
      const w = writer(dir, 'Root', 'forever', `K${round}`);
      while (w.lines.length < 5 + round * 3) await new Promise((r) => setTimeout(r, 20));
      // Kill at a random point inside a write.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
      w.child.kill('SIGKILL');
      await w.done;
      const store = join(dir, 'LocalMachine', 'Root');
      for (const f of await readdir(store)) {
        if (f.endsWith('.cer')) {
          const der = decodePem(await readFile(join(store, f), 'utf8'))[0]!.bytes;
          expect(() => parseCertificate(der)).not.toThrow();
        } else if (f.endsWith('.json')) {
          JSON.parse(await readFile(join(store, f), 'utf8'));
        }
      }
      // Every completed write is there, and a machine loads the directory.
      const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
      const missing = w.lines.filter((t) => !m.store('LocalMachine', 'Root').has(t));
      expect(missing).toEqual([]);
      const adapter = new DirectoryStoreAdapter(dir);
      await adapter.listCertificates({ location: 'LocalMachine', store: 'Root' });
      expect(adapter.skipped).toEqual([]);
    }
  });

  it('loads through its cache only what the files say: a torn, corrupt or stale cache changes nothing', async () => {
    const dir = await tempDir();
    const { root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot } = await pki();
    const certs = [root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot].map((n) => n.cert);
    const ref = { location: 'LocalMachine', store: 'CA' } as const;
    const storeDir = join(dir, 'LocalMachine', 'CA');
    const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    for (const c of certs.slice(0, 5)) await m.store('LocalMachine', 'CA').add(c);
    await m.store('LocalMachine', 'CA').setProperties(await certs[0]!.thumbprint(), { friendlyName: 'one' });
    const thumbs = await Promise.all(certs.map((c) => c.thumbprint()));
    // What the files hold, read without any cache.
    const truth = async () => {
      const out: Record<string, { der: string; friendlyName?: string }> = {};
      for (const f of await readdir(storeDir)) {
        const t = /^([0-9A-F]{40})\.cer$/.exec(f)?.[1];
        if (!t) continue;
        let der: Uint8Array;
        try {
          der = decodePem(await readFile(join(storeDir, f), 'utf8'))[0]!.bytes;
          if ((await parseCertificate(der).thumbprint()) !== t) continue;
        } catch {
          continue;
        }
        const json = await readFile(join(storeDir, `${t}.json`), 'utf8').catch(() => undefined);
        out[t] = {
          der: Buffer.from(der).toString('hex'),
          ...(json ? { friendlyName: JSON.parse(json).friendlyName } : {}),
        };
      }
      return out;
    };
    const load = async () => {
      const adapter = new DirectoryStoreAdapter(dir);
      const recs = await adapter.listCertificates(ref);
      const out: Record<string, { der: string; friendlyName?: string }> = {};
      for (const r of recs)
        out[r.thumbprint] = {
          der: Buffer.from(r.der).toString('hex'),
          ...(r.properties.friendlyName ? { friendlyName: r.properties.friendlyName } : {}),
        };
      return { out, stats: adapter.lastLoad! };
    };

    // First listing: no cache; it writes one. Second: everything from the cache.
    let r = await load();
    expect(r.stats).toMatchObject({ cache: 'missing', fromFiles: 5, fromCache: 0, cacheWritten: true });
    expect(r.out).toEqual(await truth());
    r = await load();
    expect(r.stats).toMatchObject({ cache: 'valid', fromFiles: 0, fromCache: 5, cacheWritten: false });
    expect(r.out).toEqual(await truth());
    expect(Object.keys(r.out)).toHaveLength(5);
    const good = await readFile(join(storeDir, CACHE_FILE));

    // Stale: another writer added two certificates and removed one, a properties file changed.
    const other = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await other.store('LocalMachine', 'CA').add(certs[5]!);
    await other.store('LocalMachine', 'CA').add(certs[6]!);
    await other.store('LocalMachine', 'CA').remove(thumbs[1]!);
    await other.store('LocalMachine', 'CA').setProperties(thumbs[0]!, { friendlyName: 'two' });
    r = await load();
    // setProperties rewrites the certificate file too: three files read, three from the cache.
    expect(r.stats).toMatchObject({ cache: 'valid', fromFiles: 3, fromCache: 3, cacheWritten: true });
    expect(r.out).toEqual(await truth());
    expect(r.out[thumbs[0]!]!.friendlyName).toBe('two');
    expect(r.out[thumbs[1]!]).toBeUndefined();
    expect(Object.keys(r.out)).toHaveLength(6);

    // A file edited in place after it was cached (here: broken) is read again, not taken from
    // the cache: the adapter skips it exactly as it would without a cache.
    const victim = join(storeDir, `${thumbs[2]}.cer`);
    const pem = await readFile(victim, 'utf8');
    await writeFile(victim, pem.replace(/[A-Za-z0-9]{8}\n/, 'AAAAAAAA\n'));
    const st = await stat(victim);
    const adapter = new DirectoryStoreAdapter(dir);
    const recs = await adapter.listCertificates(ref);
    expect(adapter.skipped).toEqual([victim]);
    expect(recs.map((x) => x.thumbprint)).not.toContain(thumbs[2]);
    // …even when its size and mtime are put back as they were (the ctime still differs).
    await writeFile(victim, pem.replace(/[A-Za-z0-9]{8}\n/, 'BBBBBBBB\n'));
    await utimes(victim, st.atime, st.mtime);
    r = await load();
    expect(r.out).toEqual(await truth());
    expect(r.out[thumbs[2]!]).toBeUndefined();
    // While it stays broken it is read on each load, but the cache is not rewritten each time.
    r = await load();
    expect(r.stats).toMatchObject({ cache: 'valid', fromFiles: 1, cacheWritten: false });
    expect(r.out[thumbs[2]!]).toBeUndefined();
    await writeFile(victim, pem); // mended
    r = await load();
    expect(r.out[thumbs[2]!]).toBeDefined();
    expect(r.out).toEqual(await truth());

    // Torn (truncated), corrupt (a flipped bit) and foreign caches are ignored and rebuilt.
    const cacheFile = join(storeDir, CACHE_FILE);
    const expected = await truth();
    const full = await readFile(cacheFile);
    const damaged: Buffer[] = [
      full.subarray(0, Math.floor(full.length / 2)),
      Buffer.from(full.map((b, i) => (i === full.length >> 1 ? b ^ 1 : b))),
      Buffer.from(full.map((b, i) => (i === 40 ? b ^ 0x80 : b))),
      Buffer.alloc(0),
      Buffer.from('not a cache'),
      good, // an older, valid cache: its records are checked against the files' stat
    ];
    for (const bytes of damaged) {
      await writeFile(cacheFile, bytes);
      r = await load();
      if (bytes !== good)
        expect(r.stats).toMatchObject({ cache: 'invalid', fromCache: 0, cacheWritten: true });
      expect(r.out).toEqual(expected);
      expect((await load()).stats).toMatchObject({ cache: 'valid', fromFiles: 0 });
    }
    await truncate(cacheFile, 10);
    const reopenAdapter = new DirectoryStoreAdapter(dir);
    const reopened = await Machine.open({ name: 'EX01', adapter: reopenAdapter });
    expect(reopenAdapter.loads.get('LocalMachine\\CA')).toMatchObject({ cache: 'invalid', fromFiles: 6 });
    expect(
      reopened
        .store('LocalMachine', 'CA')
        .list({ includeArchived: true })
        .map((e) => e.thumbprint)
        .sort(),
    ).toEqual(Object.keys(expected).sort());

    // The cache is not a store member: a directory with only a cache holds nothing.
    for (const t of Object.keys(expected)) await other.store('LocalMachine', 'CA').remove(t);
    r = await load();
    expect(r.out).toEqual({});
    expect(await new DirectoryStoreAdapter(dir).listStores('LocalMachine')).not.toContain('CA');
  });

  it('takes a lower-case thumbprint name and DER content as the same entry; the next write renames it', async () => {
    const dir = await tempDir();
    const { root, ica } = await pki();
    const [rt, it_] = [await root.cert.thumbprint(), await ica.cert.thumbprint()];
    const store = join(dir, 'LocalMachine', 'Root');
    await mkdir(store, { recursive: true });
    await writeFile(join(store, `${rt.toLowerCase()}.cer`), root.cert.toPem());
    await writeFile(join(store, `${rt.toLowerCase()}.json`), JSON.stringify({ friendlyName: 'By hand' }));
    await writeFile(join(store, `${it_}.cer`), ica.cert.der); // DER, not PEM
    const adapter = new DirectoryStoreAdapter(dir);
    const m = await Machine.open({ name: 'EX01', adapter });
    expect(adapter.skippedFiles).toEqual([]);
    expect(m.store('LocalMachine', 'Root').get(rt)?.properties.friendlyName).toBe('By hand');
    expect(m.store('LocalMachine', 'Root').has(it_)).toBe(true);
    expect(await adapter.getCertificate({ location: 'LocalMachine', store: 'Root' }, rt)).toMatchObject({
      thumbprint: rt,
      properties: { friendlyName: 'By hand' },
    });
    // The next write of that certificate gives it the canonical name, and no stale copy stays.
    await m.store('LocalMachine', 'Root').setProperties(rt, { friendlyName: 'Renamed' });
    expect((await readdir(store)).filter((f) => !f.startsWith('.')).sort()).toEqual(
      [`${it_}.cer`, `${rt}.cer`, `${rt}.json`].sort(),
    );
    const again = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(again.store('LocalMachine', 'Root').get(rt)?.properties.friendlyName).toBe('Renamed');
    // Deleting removes every spelling: a lower-case copy left behind would come back.
    await rename(join(store, `${rt}.cer`), join(store, `${rt.toLowerCase()}.cer`));
    const m3 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await m3.store('LocalMachine', 'Root').remove(rt);
    const m4 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(m4.store('LocalMachine', 'Root').has(rt)).toBe(false);
  });

  it('reports every file it skips, with the file and what to do; the rest of the machine loads', async () => {
    const dir = await tempDir();
    const { root, ica, leaf, expired } = await pki();
    const [rt, it_, lt, et] = await Promise.all([root, ica, leaf, expired].map((n) => n.cert.thumbprint()));
    const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    const ca = m.store('LocalMachine', 'CA');
    for (const n of [root, ica, leaf]) await ca.add(n.cert, { properties: { friendlyName: 'named' } });
    const store = join(dir, 'LocalMachine', 'CA');
    const path = (f: string) => join(store, f);
    await writeFile(path(`${rt}.json`), '{"friendlyName": "cut'); // torn JSON
    await writeFile(path(`${it_}.json`), '{"friendlyName": 5, "keyExportable": true}'); // a wrong type
    await writeFile(path(`${lt}.cer`), 'not a certificate\n');
    await writeFile(path(`${et}.cer`), root.cert.toPem()); // another certificate than its name says
    await writeFile(path('contoso-root.cer'), root.cert.toPem()); // not named after a thumbprint
    const adapter = new DirectoryStoreAdapter(dir);
    const m2 = await Machine.open({ name: 'EX01', adapter });
    await m2.reload(); // listed twice, reported once
    const problems = Object.fromEntries(adapter.skippedFiles.map((f) => [f.path, f.problem]));
    expect(Object.keys(problems).sort()).toEqual(
      [`${rt}.json`, `${it_}.json`, `${lt}.cer`, `${et}.cer`, 'contoso-root.cer'].map(path).sort(),
    );
    expect(adapter.skipped.sort()).toEqual(Object.keys(problems).sort());
    for (const [p, problem] of Object.entries(problems)) expect(problem).toContain(p);
    expect(problems[path(`${rt}.json`)]).toMatch(/not valid JSON.*without its properties.*Mend or delete/);
    expect(problems[path(`${it_}.json`)]).toMatch(/friendlyName has the wrong type/);
    expect(problems[path(`${lt}.cer`)]).toMatch(/neither a PEM nor a DER certificate/);
    expect(problems[path(`${et}.cer`)]).toContain(`holds the certificate ${rt}, not ${et}`);
    expect(problems[path('contoso-root.cer')]).toMatch(/not named after a thumbprint.*certlab store import/);
    // Damaged properties cost only the properties: the certificate is there.
    const e = m2.store('LocalMachine', 'CA').get(rt!);
    expect(e?.properties).toEqual({});
    expect(m2.store('LocalMachine', 'CA').get(it_!)?.properties).toEqual({ keyExportable: true });
    expect(m2.store('LocalMachine', 'CA').has(lt!)).toBe(false);
  });

  it('takes a CRL file named in any case, PEM or DER; writes the canonical name, lists it once, deletes every spelling', async () => {
    const dir = await tempDir();
    const { crl } = await pki();
    const id = sha1(crl.der);
    const lower = id.toLowerCase();
    const mixed = `${lower.slice(0, 20)}${id.slice(20)}`;
    const caDir = join(dir, 'LocalMachine', 'CA');
    const rootDir = join(dir, 'LocalMachine', 'Root');
    await mkdir(caDir, { recursive: true });
    await mkdir(rootDir, { recursive: true });
    await writeFile(join(caDir, `${lower}.crl`), crl.toPem()); // sha1sum's spelling, PEM
    await writeFile(join(rootDir, `${mixed}.crl`), crl.der); // by hand, DER as a CDP serves it
    const adapter = new DirectoryStoreAdapter(dir);
    const m = await Machine.open({ name: 'EX01', adapter });
    expect(adapter.skippedFiles).toEqual([]);
    // A store holding only a lower-case CRL is a store.
    expect(m.physicalStores()).toEqual(['LocalMachine\\CA', 'LocalMachine\\Root']);
    expect(
      m
        .store('LocalMachine', 'CA')
        .crls()
        .map((c) => sha1(c.der)),
    ).toEqual([id]);
    expect(await adapter.listCrls({ location: 'LocalMachine', store: 'Root' })).toEqual([
      { id, der: new Uint8Array(crl.der) },
    ]);

    // A write gives the CRL its canonical name and leaves no other spelling.
    await m.store('LocalMachine', 'CA').addCrl(crl);
    expect((await readdir(caDir)).filter((f) => f.endsWith('.crl'))).toEqual([`${id}.crl`]);
    expect(await readFile(join(caDir, `${id}.crl`), 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);

    // Two spellings of one CRL are one CRL: the canonical file is loaded, the other reported.
    await writeFile(join(rootDir, `${id}.crl`), crl.toPem());
    const twice = new DirectoryStoreAdapter(dir);
    const m2 = await Machine.open({ name: 'EX01', adapter: twice });
    expect(m2.store('LocalMachine', 'Root').crls()).toHaveLength(1);
    expect(twice.skippedFiles.map((f) => f.path)).toEqual([join(rootDir, `${mixed}.crl`)]);
    expect(twice.skippedFiles[0]!.problem).toContain(`is another spelling of ${id}.crl`);

    // Deleting removes every spelling the machine saw: none comes back.
    await m2.store('LocalMachine', 'Root').removeCrl(id);
    expect((await readdir(rootDir)).filter((f) => f.endsWith('.crl'))).toEqual([]);
    const m3 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    expect(m3.store('LocalMachine', 'Root').crls()).toEqual([]);
    // …and the lower-case spelling even without a listing first.
    await rename(join(caDir, `${id}.crl`), join(caDir, `${lower}.crl`));
    const fresh = new DirectoryStoreAdapter(dir);
    expect(await fresh.deleteCrl({ location: 'LocalMachine', store: 'CA' }, id)).toBe(true);
    expect((await readdir(caDir)).filter((f) => f.endsWith('.crl'))).toEqual([]);
  });

  it('reports a CRL file it cannot use, as it does a certificate file; the rest of the machine loads', async () => {
    const dir = await tempDir();
    const { crl } = await pki();
    const id = sha1(crl.der);
    const caDir = join(dir, 'LocalMachine', 'CA');
    await mkdir(caDir, { recursive: true });
    await writeFile(join(caDir, `${id}.crl`), crl.toPem());
    const path = (f: string) => join(caDir, f);
    const other = '0123456789ABCDEF0123456789ABCDEF01234567';
    await writeFile(path(`${other}.crl`), crl.der); // another CRL than its name says
    await writeFile(path('ica.crl'), crl.der); // not named after its SHA-1
    await writeFile(path(`${'ab'.repeat(20)}.crl`), 'not a CRL\n');
    const adapter = new DirectoryStoreAdapter(dir);
    const m = await Machine.open({ name: 'EX01', adapter });
    expect(
      m
        .store('LocalMachine', 'CA')
        .crls()
        .map((c) => sha1(c.der)),
    ).toEqual([id]);
    const problems = Object.fromEntries(adapter.skippedFiles.map((f) => [f.path, f.problem]));
    expect(Object.keys(problems).sort()).toEqual(
      [`${other}.crl`, 'ica.crl', `${'ab'.repeat(20)}.crl`].map(path).sort(),
    );
    expect(adapter.skipped.sort()).toEqual(Object.keys(problems).sort());
    expect(problems[path(`${other}.crl`)]).toContain(`holds the CRL ${id}, not ${other} as its name says`);
    expect(problems[path(`${other}.crl`)]).toContain(`Rename it to ${id}.crl`);
    expect(problems[path('ica.crl')]).toMatch(/not named after the SHA-1 of the CRL.*certlab store import/);
    expect(problems[path(`${'ab'.repeat(20)}.crl`)]).toMatch(/neither a PEM nor a DER CRL/);
  });

  it('skips a file whose bytes hash to its name but are not what its extension says; the machine opens', async () => {
    const dir = await tempDir();
    const { crl, root, ica } = await pki();
    const [rt, it_] = [await root.cert.thumbprint(), await ica.cert.thumbprint()];
    const caDir = join(dir, 'LocalMachine', 'CA');
    const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await m.store('LocalMachine', 'CA').add(root.cert, { properties: { friendlyName: 'kept' } });
    await m.store('LocalMachine', 'CA').add(ica.cert);
    // Each named after the SHA-1 of what it holds, none what its extension says.
    const garbage = new Uint8Array(Buffer.from('a PEM block that holds no certificate'));
    const bad = {
      crlAsCer: `${sha1(crl.der)}.cer`, // a DER CRL saved as .cer
      pemGarbage: `${sha1(garbage).toLowerCase()}.cer`, // a CERTIFICATE block of garbage, lower case
      certAsCrl: `${rt}.crl`, // a certificate in an X509 CRL block
    };
    await writeFile(join(caDir, bad.crlAsCer), crl.der);
    await writeFile(join(caDir, bad.pemGarbage), encodePem('CERTIFICATE', garbage));
    await writeFile(join(caDir, bad.certAsCrl), encodePem('X509 CRL', root.cert.der));
    const adapter = new DirectoryStoreAdapter(dir);
    const m2 = await Machine.open({ name: 'EX01', adapter });
    const problems = Object.fromEntries(adapter.skippedFiles.map((f) => [f.path, f.problem]));
    expect(Object.keys(problems).sort()).toEqual(
      Object.values(bad)
        .map((f) => join(caDir, f))
        .sort(),
    );
    expect(problems[join(caDir, bad.crlAsCer)]).toMatch(
      /is not a certificate \(.+\): it is skipped\. Delete it/,
    );
    expect(problems[join(caDir, bad.pemGarbage)]).toMatch(/is not a certificate \(.+\): it is skipped/);
    expect(problems[join(caDir, bad.certAsCrl)]).toMatch(/is not a CRL \(.+\): it is skipped\. Delete it/);
    // Every readable record is there, with its properties.
    const ca = m2.store('LocalMachine', 'CA');
    expect(ca.get(rt)?.properties.friendlyName).toBe('kept');
    expect(ca.has(it_)).toBe(true);
    expect(ca.list({ includeArchived: true })).toHaveLength(2);
    expect(ca.crls()).toEqual([]);
    // Reading one by its thumbprint skips it as the listing does.
    const ref = { location: 'LocalMachine', store: 'CA' } as const;
    const one = new DirectoryStoreAdapter(dir);
    expect(await one.getCertificate(ref, sha1(garbage))).toBeUndefined();
    expect(one.skipped).toEqual([join(caDir, bad.pemGarbage)]);

    // A load cache of the previous format could hold such a record (it was cached before the
    // machine failed on it): it is not trusted, and the machine still opens.
    const st = await stat(join(caDir, bad.crlAsCer));
    await writeFile(join(caDir, CACHE_FILE), v1Cache([{ thumbprint: sha1(crl.der), st, der: crl.der }]));
    const upgraded = new DirectoryStoreAdapter(dir);
    const m3 = await Machine.open({ name: 'EX01', adapter: upgraded });
    expect(upgraded.loads.get('LocalMachine\\CA')).toMatchObject({ cache: 'invalid', cacheWritten: true });
    expect(m3.store('LocalMachine', 'CA').list({ includeArchived: true })).toHaveLength(2);
    expect(upgraded.skipped).toContain(join(caDir, bad.crlAsCer));
    // The cache it wrote holds only certificates: the next load takes them from it.
    const again = new DirectoryStoreAdapter(dir);
    await Machine.open({ name: 'EX01', adapter: again });
    expect(again.loads.get('LocalMachine\\CA')).toMatchObject({ cache: 'valid', fromCache: 2 });
  });

  it('a key file that holds no private key is ERR_STORE_CORRUPT naming the file and the fix', async () => {
    const dir = await tempDir();
    const { pfx, pfxPassword, leaf } = await pki();
    const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
    await importFile(m, pfx, { location: 'LocalMachine', password: pfxPassword });
    const e = m.store('LocalMachine', 'My').get(await leaf.cert.thumbprint())!;
    const keyFile = join(dir, 'LocalMachine', '.keys', `${e.properties.keyContainer}.key`);
    await writeFile(keyFile, '-----BEGIN PRIVATE KEY-----\nAAAABBBB\n-----END PRIVATE KEY-----\n');
    const err = await m.privateKey(e).catch((x: unknown) => x);
    expect(isStoreError(err, 'ERR_STORE_CORRUPT')).toBe(true);
    expect((err as Error).message).toContain(keyFile);
    expect((err as Error).message).toContain("Import the certificate's .pfx again");
    // Any adapter: the machine says which container is damaged rather than a PEM/DER error.
    const mem = new MemoryStoreAdapter();
    const mm = await Machine.open({ name: 'MEM', adapter: mem });
    await importFile(mm, pfx, { location: 'LocalMachine', password: pfxPassword });
    const me = mm.store('LocalMachine', 'My').get(await leaf.cert.thumbprint())!;
    await mem.putKey('LocalMachine', me.properties.keyContainer!, new Uint8Array([1, 2, 3]));
    const memErr = await mm.privateKey(me).catch((x: unknown) => x);
    expect(isStoreError(memErr, 'ERR_STORE_CORRUPT')).toBe(true);
    expect((memErr as Error).message).toContain(me.properties.keyContainer!);
  });
});
