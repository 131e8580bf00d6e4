// openPgliteStore's cluster cache: a new database is unpacked from the cluster PGlite's initdb
// made for an earlier one (the same system identifier: initdb draws a new one every time), the
// cache is filled by the first initdb, used only when it is private and intact, and a cached
// cluster PGlite cannot load leaves a working database made by initdb.

import { createHash } from 'node:crypto';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, mutationsArb } from '../../../test/support/mutate.js';
import { type NewRequestRow, openPgliteStore } from '../src/index.js';
import { readClusterTemplate } from '../src/store/pglite-template.js';
import { tempDir } from './support/temp.js';

let root: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  root = await tempDir('certlab-pglite-template-');
});
afterAll(async () => {
  await root?.cleanup();
});

/** A new directory under the test's temp dir. */
function fresh(name: string): string {
  return join(root.dir, `${name}-${++n}`);
}

/** The cluster's system identifier (pg_control), read with PGlite directly once the store is closed. */
async function systemId(dataDir: string): Promise<string> {
  const db = await PGlite.create(dataDir);
  try {
    return String(
      (await db.query<{ id: unknown }>('SELECT system_identifier AS id FROM pg_control_system()')).rows[0]!
        .id,
    );
  } finally {
    await db.close();
  }
}

/** Opens a new certlab database in a new directory with `clusterCache`, checks it works, closes it. */
async function newDatabase(clusterCache: string | false): Promise<string> {
  const dataDir = fresh('db');
  const store = await openPgliteStore({ dataDir, clusterCache });
  try {
    expect((await store.insertRequest(async () => pendingRow())).requestId).toBe(1);
  } finally {
    await store.close();
  }
  return dataDir;
}

function pendingRow(): NewRequestRow {
  return {
    submittedAt: new Date('2026-12-02T14:00:00Z'),
    status: 'pending',
    disposition: 5,
    dispositionMessage: 'Taken Under Submission',
    statusCode: 0,
    attributes: '',
    request: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00),
  };
}

async function cacheFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).sort();
}

describe('openPgliteStore({ clusterCache })', () => {
  it('fills the cache with the first initdb and unpacks the next new databases from it', async () => {
    const cache = fresh('cache');
    const first = await newDatabase(cache);
    expect(await cacheFiles(cache)).toEqual([expect.stringMatching(/^pglite-[\w.+-]+-cluster\.tar\.gz$/)]);
    const second = await newDatabase(cache);
    const third = await newDatabase(cache);
    // The dump of the first directory left its lock file out: a database unpacked with it would
    // be locked by the process that made the cache.
    const [file] = await cacheFiles(cache);
    const tar = gunzipSync((await readFile(join(cache, file!))).subarray(32));
    expect(tar.includes('/PG_VERSION\0')).toBe(true);
    expect(tar.includes('certlab.lock')).toBe(false);
    const again = await openPgliteStore({ dataDir: second, create: false });
    expect((await again.insertRequest(async () => pendingRow())).requestId).toBe(2);
    await again.close();
    const ids = await Promise.all([first, second, third].map(systemId));
    // The first was made by initdb (and dumped as it was); the others from that dump.
    expect(new Set(ids).size).toBe(1);
    // Without the cache, initdb: a cluster of its own.
    const plain = await newDatabase(false);
    expect(await systemId(plain)).not.toBe(ids[0]);
  }, 120_000);

  it('writes nothing with clusterCache: false, and ignores a cache that others can write', async () => {
    const unused = fresh('cache');
    await newDatabase(false);
    expect(await cacheFiles(unused)).toEqual([]);
    const cache = fresh('cache');
    const a = await newDatabase(cache);
    await chmod(cache, 0o777);
    const b = await newDatabase(cache);
    expect(await systemId(b)).not.toBe(await systemId(a));
    await chmod(cache, 0o700);
    const [file] = await cacheFiles(cache);
    await chmod(join(cache, file!), 0o666);
    const c = await newDatabase(cache);
    expect(await systemId(c)).not.toBe(await systemId(a));
  }, 120_000);

  it('a damaged cache is not used and is replaced; a cluster PGlite cannot load gives way to initdb', async () => {
    const cache = fresh('cache');
    const a = await newDatabase(cache);
    const [file] = await cacheFiles(cache);
    const path = join(cache, file!);
    const good = await readFile(path);
    // One byte flipped: the SHA-256 no longer matches.
    const damaged = Buffer.from(good);
    const at = damaged.length - 100;
    damaged[at] = damaged[at]! ^ 0xff;
    await writeFile(path, damaged);
    const b = await newDatabase(cache);
    const idB = await systemId(b);
    expect(idB).not.toBe(await systemId(a));
    expect((await readFile(path)).equals(damaged)).toBe(false);
    // A digest that matches bytes that are no cluster: PGlite fails to load them, initdb runs in
    // the directory it cleared.
    const junk = Buffer.from('not a tar file at all');
    await writeFile(path, Buffer.concat([createHash('sha256').update(junk).digest(), junk]), { mode: 0o600 });
    const c = await newDatabase(cache);
    expect(await systemId(c)).not.toBe(idB);
  }, 120_000);

  it('readClusterTemplate: a mutated cache file is refused or read back exactly (fast-check)', async () => {
    const cache = fresh('cache');
    await newDatabase(cache);
    const [file] = await cacheFiles(cache);
    const path = join(cache, file!);
    const good = new Uint8Array(await readFile(path));
    const body = good.subarray(32);
    await fc.assert(
      fc.asyncProperty(mutationsArb(3), async (ms) => {
        const bytes = mutate(good, ms);
        await writeFile(path, bytes, { mode: 0o600 });
        const read = await readClusterTemplate(cache);
        if (read !== undefined) expect(Buffer.from(read).equals(Buffer.from(body))).toBe(true);
      }),
      { numRuns: 60, seed: 20261202 },
    );
  }, 120_000);
});
