import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodePem, parseCertificate } from '@certlab/pki';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryStoreAdapter, importFile, Machine } from '../src/index.js';
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
});
