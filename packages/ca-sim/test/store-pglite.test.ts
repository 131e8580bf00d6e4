import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCaError, openPgliteStore } from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pgliteFactory } from './support/pglite.js';
import { foreignPgliteDatabase, pgliteRelations } from './support/relations.js';
import { storeContract } from './support/store-contract.js';
import { tempDir } from './support/temp.js';

// chmod as the store calls it, made to fail on demand: a directory someone else owns cannot be
// made private, and root (who runs these tests in CI containers) could always chmod a real one.
const chmodFails = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const chmod: typeof fs.chmod = async (path, mode) => {
    if (chmodFails.code)
      throw Object.assign(new Error(`${chmodFails.code}: operation not permitted, chmod '${path}'`), {
        code: chmodFails.code,
      });
    return fs.chmod(path, mode);
  };
  return { ...fs, chmod, default: { ...fs, chmod } };
});

let factory: Awaited<ReturnType<typeof pgliteFactory>>;
beforeAll(async () => {
  factory = await pgliteFactory();
});
afterAll(async () => {
  await factory?.cleanup();
});

storeContract('pglite', async () => (await factory.open()).store);

describe('PGlite store with create: false (open an existing certlab database only)', () => {
  const notFound = (e: unknown) =>
    isCaError(e, 'ERR_CA_NOT_FOUND') && /certlab ca init/.test((e as Error).message);
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('certlab-ca-sim-refused-');
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  it('refuses a missing directory, an empty one and memory, creating nothing', async () => {
    const missing = join(root.dir, 'missing');
    await expect(openPgliteStore({ dataDir: missing, create: false })).rejects.toSatisfy(notFound);
    await expect(readdir(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    const empty = join(root.dir, 'empty');
    await mkdir(empty);
    await expect(openPgliteStore({ dataDir: empty, create: false })).rejects.toSatisfy(notFound);
    // No cluster (initdb), no lock file.
    expect(await readdir(empty)).toEqual([]);
    await expect(openPgliteStore({ create: false })).rejects.toSatisfy(notFound);
  });

  it("refuses another program's database, leaves it without certlab tables and releases the lock", async () => {
    const foreign = join(root.dir, 'foreign');
    await foreignPgliteDatabase(foreign);
    await expect(openPgliteStore({ dataDir: foreign, create: false })).rejects.toSatisfy(notFound);
    expect(await readdir(foreign)).not.toContain('certlab.lock');
    expect(await pgliteRelations(foreign)).toEqual(['app_users', 'app_users_pkey']);
  });

  it('opens a certlab database as before', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    const again = await openPgliteStore({ dataDir: dir, create: false });
    expect(again.kind).toBe('pglite');
    await again.close();
  });
});

describe('PGlite dataDir given as a URL', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('certlab-ca-sim-url-');
  });
  afterAll(async () => {
    await root?.cleanup();
  });

  it('memory:// is in memory: no folder named memory: for the lock, and nothing to open with create: false', async () => {
    const store = await openPgliteStore({ dataDir: 'memory://' });
    expect(store.kind).toBe('pglite');
    await store.close();
    await expect(stat(join(process.cwd(), 'memory:'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(openPgliteStore({ dataDir: 'MEMORY://x', create: false })).rejects.toSatisfy((e) =>
      isCaError(e, 'ERR_CA_NOT_FOUND'),
    );
    await expect(stat(join(process.cwd(), 'MEMORY:'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('file:// is the directory it names', async () => {
    const dir = join(root.dir, 'by url');
    const store = await openPgliteStore({ dataDir: pathToFileURL(dir).href });
    await store.close();
    expect((await stat(join(dir, 'PG_VERSION'))).isFile()).toBe(true);
    const again = await openPgliteStore({ dataDir: dir, create: false });
    await again.close();
    await expect(stat(join(process.cwd(), 'file:'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses the browser storages and a file URL of another host (ERR_CA_OPTIONS_INVALID), creating nothing', async () => {
    for (const dataDir of ['idb://certlab', 'opfs-ahp://certlab', 'file://server/share/db'])
      await expect(openPgliteStore({ dataDir }), dataDir).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_OPTIONS_INVALID'),
      );
    for (const name of ['idb:', 'opfs-ahp:', 'file:'])
      await expect(stat(join(process.cwd(), name))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

// The data directory holds the CA private keys (table rows, pg_wal), in files PGlite makes
// world-readable: the directory itself must keep other users out.
describe.skipIf(process.platform === 'win32')('PGlite data directory mode', () => {
  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('certlab-ca-sim-mode-');
  });
  afterAll(async () => {
    chmodFails.code = undefined;
    await root?.cleanup();
  });

  it('creates a missing data directory with mode 0700', async () => {
    const dataDir = join(root.dir, 'new', 'db');
    const store = await openPgliteStore({ dataDir });
    await store.close();
    expect((await modeOf(dataDir)).toString(8)).toBe('700');
  });

  it('makes an existing 0755 (or 0770, 0701) data directory 0700 on every open, create: false too', async () => {
    for (const [mode, create] of [
      [0o755, true],
      [0o770, false],
      [0o701, false],
    ] as const) {
      const { store, dir } = await factory.open();
      await store.close();
      await chmod(dir, mode);
      const again = await openPgliteStore({ dataDir: dir, create });
      await again.close();
      expect((await modeOf(dir)).toString(8), `from ${mode.toString(8)}`).toBe('700');
    }
  });

  it('creates the cluster in an existing empty 0755 directory and leaves it 0700', async () => {
    const dataDir = join(root.dir, 'shared-empty');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    const store = await openPgliteStore({ dataDir });
    await store.close();
    expect((await modeOf(dataDir)).toString(8)).toBe('700');
    expect(await readdir(dataDir)).toContain('pg_wal');
  });

  it('refuses with ERR_CA_STORE_PERMISSIONS, writing nothing, when the directory cannot be made private', async () => {
    const dataDir = join(root.dir, 'not-mine');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    chmodFails.code = 'EPERM';
    try {
      await expect(openPgliteStore({ dataDir })).rejects.toSatisfy(
        (e) =>
          isCaError(e, 'ERR_CA_STORE_PERMISSIONS') &&
          (e as Error).message ===
            `The PGlite database directory ${dataDir} keeps the CA private keys but is open to other users (mode 0755), and it could not be made private (EPERM): run 'chmod 700 ${dataDir}' as its owner, or use a directory you own.`,
      );
    } finally {
      chmodFails.code = undefined;
    }
    // No lock file, no initdb.
    expect(await readdir(dataDir)).toEqual([]);
    // An owner-only directory needs no chmod: it opens even where chmod would fail.
    const { store, dir } = await factory.open();
    await store.close();
    chmodFails.code = 'EPERM';
    try {
      const again = await openPgliteStore({ dataDir: dir, create: false });
      await again.close();
    } finally {
      chmodFails.code = undefined;
    }
  });
});
