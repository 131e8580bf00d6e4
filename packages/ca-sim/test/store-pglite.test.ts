import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCaError, openPgliteStore } from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteFactory } from './support/pglite.js';
import { foreignPgliteDatabase, pgliteRelations } from './support/relations.js';
import { storeContract } from './support/store-contract.js';
import { tempDir } from './support/temp.js';

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
