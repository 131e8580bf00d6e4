// Bundles the certsrv browser scripts (certrqma.asp key generation) with @certlab/pki taken
// from its TypeScript sources (`source` export condition) into packages/ca-sim/dist/browser/.
// Fails when the bundle would pull in a Node.js built-in: the page runs in a browser.
//
//   node scripts/build-browser.mjs            # writes packages/ca-sim/dist/browser/certrqma.js
//   import { buildBrowserAssets } from './scripts/build-browser.mjs'; await buildBrowserAssets(dir);

import { mkdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const browserSrc = join(root, 'packages/ca-sim/src/certsrv/browser');

/** The default output directory: packages/ca-sim/dist/browser. */
export const DEFAULT_OUT_DIR = join(root, 'packages/ca-sim/dist/browser');

/** The entry points, by output name (without `.js`). */
export const BROWSER_ENTRIES = { certrqma: join(browserSrc, 'certrqma-client.ts') };

const NODE_BUILTIN = new RegExp(
  `(?:^|[^\\w$.])(?:require\\(\\s*|from\\s*|import\\(\\s*)["'](?:node:[^"']*|${builtinModules
    .filter((m) => !m.startsWith('_'))
    .map((m) => m.replace(/[/.]/g, '\\$&'))
    .join('|')})["']`,
);

/**
 * Builds every browser asset into `outDir` (created if needed): ESM, ES2022, minified, no
 * source map. Throws when a bundle mentions `node:` or imports a Node.js built-in.
 *
 * @param {string} [outDir]
 * @returns {Promise<{ name: string, file: string, bytes: number }[]>}
 */
export async function buildBrowserAssets(outDir = DEFAULT_OUT_DIR) {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: BROWSER_ENTRIES,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    conditions: ['source'],
    tsconfig: join(browserSrc, 'tsconfig.json'),
    metafile: true,
    logLevel: 'silent',
  });
  for (const w of result.warnings) console.warn(`esbuild warning: ${w.text}`);
  const assets = [];
  for (const name of Object.keys(BROWSER_ENTRIES)) {
    const file = join(outDir, `${name}.js`);
    const code = await readFile(file, 'utf8');
    if (code.includes('node:') || NODE_BUILTIN.test(code)) {
      throw new Error(
        `${file} refers to a Node.js built-in ("node:" or a require/import of one): the browser bundle must not. Check the imports of ${BROWSER_ENTRIES[name]}.`,
      );
    }
    assets.push({ name, file, bytes: Buffer.byteLength(code) });
  }
  return assets;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    for (const a of await buildBrowserAssets(process.argv[2] ? resolve(process.argv[2]) : undefined))
      console.log(`${a.file.slice(root.length + 1)}: ${(a.bytes / 1024).toFixed(1)} KiB (${a.bytes} bytes)`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
