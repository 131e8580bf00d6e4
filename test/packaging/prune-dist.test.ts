// scripts/prune-dist.mjs: `npm run build` removes compiled files whose source is gone, so that
// `npm pack` from a working tree does not ship a module deleted or renamed since the last build.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
// @ts-expect-error a plain ESM script without declarations
import { pruneStaleOutputs } from '../../scripts/prune-dist.mjs';
import { filesUnder } from '../support/files.js';
import { useTmpDir } from '../support/tmp.js';

const tmp = useTmpDir('certlab-prune-');

it('removes the outputs of deleted sources and the directories they leave empty, nothing else', async () => {
  const pkg = tmp.path;
  const put = (f: string) => {
    mkdirSync(join(pkg, f, '..'), { recursive: true });
    writeFileSync(join(pkg, f), '');
  };
  for (const f of ['src/index.ts', 'src/internal/der.ts', 'src/browser/page.ts']) put(f);
  const kept = [
    'dist/index.js',
    'dist/index.js.map',
    'dist/index.d.ts',
    'dist/index.d.ts.map',
    'dist/internal/der.js',
    'dist/internal/der.d.ts',
    'dist/browser/certrqma.js', // the browser bundle: not from tsc
    'dist/notes.txt', // not a compiled output
    'dist/tsconfig.tsbuildinfo',
  ];
  const stale = [
    'dist/old.js',
    'dist/old.js.map',
    'dist/old.d.ts',
    'dist/old.d.ts.map',
    'dist/internal/cms-ber.js',
    'dist/gone/deep/x.js',
    'dist/gone/deep/x.d.ts',
  ];
  for (const f of [...kept, ...stale]) put(f);
  const removed: string[] = await pruneStaleOutputs(pkg);
  expect(removed.sort()).toEqual(stale.sort());
  expect(filesUnder(join(pkg, 'dist'))).toEqual(kept.map((f) => f.slice('dist/'.length)).sort());
  // Idempotent, and a package without dist/ is fine.
  expect(await pruneStaleOutputs(pkg)).toEqual([]);
  expect(await pruneStaleOutputs(join(pkg, 'src'))).toEqual([]);
});
