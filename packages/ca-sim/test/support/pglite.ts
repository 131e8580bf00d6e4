// PGlite stores for tests. Creating a cluster (initdb) takes several seconds, reopening one about
// one: so each test file makes one migrated template directory and every store is a copy of it.

import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { openPgliteStore, type RequestStore } from '@certlab/ca-sim';
import { tempDir } from './temp.js';

/** Creates stores in copies of one migrated PGlite directory; `cleanup` removes them all. */
export async function pgliteFactory(): Promise<{
  open(): Promise<{ store: RequestStore; dir: string }>;
  cleanup(): Promise<void>;
}> {
  const root = await tempDir('certlab-ca-sim-pglite-');
  const template = join(root.dir, 'template');
  const first = await openPgliteStore({ dataDir: template });
  await first.close();
  let n = 0;
  return {
    async open() {
      const dir = join(root.dir, `db-${++n}`);
      await cp(template, dir, { recursive: true });
      return { store: await openPgliteStore({ dataDir: dir }), dir };
    },
    cleanup: root.cleanup,
  };
}
