// Removes compiled outputs whose TypeScript source is gone: `tsc -b` writes dist/ but never
// deletes, so a renamed or removed module would otherwise stay in dist/ and ship with `npm pack`
// (the packages publish dist/). Runs before the build (npm run build).
//
//   node scripts/prune-dist.mjs            # every package of the workspace
//   import { pruneStaleOutputs } from './scripts/prune-dist.mjs'; await pruneStaleOutputs(dir);

import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['pki', 'ca-sim', 'store-sim', 'lab', 'cli'];
const OUTPUT = /\.(?:js|d\.ts)(?:\.map)?$/;
/** dist/ entries that do not come from src/ by tsc (the certsrv browser bundle: build-browser.mjs). */
const NOT_FROM_TSC = new Set(['browser']);

async function exists(p) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes the files of `packageDir`/dist produced from a `src/` module that no longer exists
 * (`x.js`, `x.d.ts` and their maps without `src/x.ts`), then the directories left empty.
 *
 * @param {string} packageDir
 * @returns {Promise<string[]>} the removed files, relative to packageDir
 */
export async function pruneStaleOutputs(packageDir) {
  const dist = join(packageDir, 'dist');
  const removed = [];
  async function walk(dir, top) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (top && NOT_FROM_TSC.has(e.name)) continue;
      if (e.isDirectory()) {
        await walk(p, false);
        if ((await readdir(p)).length === 0) await rmdir(p);
        continue;
      }
      if (!OUTPUT.test(e.name)) continue;
      const base = relative(dist, p).replace(OUTPUT, '');
      if (await exists(join(packageDir, 'src', `${base}.ts`))) continue;
      await rm(p);
      removed.push(relative(packageDir, p));
    }
  }
  await walk(dist, true);
  return removed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const p of PACKAGES)
    for (const f of await pruneStaleOutputs(join(root, 'packages', p)))
      console.log(`removed stale packages/${p}/${f}`);
}
