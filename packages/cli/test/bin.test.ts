// The real executable: src/bin.ts run by Node through tsx, as a user would run the built bin.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// `--conditions=source` resolves @certlab/pki to its TypeScript sources, as vitest does, so the
// test does not depend on a prior build.
const NODE_ARGS = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/bin.ts'];
const MODULES_HOOK = fileURLToPath(new URL('./support/loaded-modules.mjs', import.meta.url));

/**
 * Runs a command line with every resolved module logged: the exit status and which of the
 * workspace packages it loaded (`pki`, `store-sim`, `ca-sim`, `lab`, `cli`).
 */
function packagesLoaded(args: readonly string[]): { status: number | null; packages: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'certlab-modules-'));
  try {
    const log = join(dir, 'modules.log');
    const [conditions, importFlag, tsx, bin] = NODE_ARGS;
    const r = spawnSync('node', [conditions!, importFlag!, tsx!, '--import', MODULES_HOOK, bin!, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CERTLAB_MODULES_LOG: log },
    });
    if (!existsSync(log)) throw new Error(`certlab did not start (exit ${r.status}): ${r.stderr}`);
    const urls = readFileSync(log, 'utf8').split('\n');
    const packages = new Set(urls.flatMap((u) => /\/packages\/([a-z-]+)\/src\//.exec(u)?.[1] ?? []));
    return { status: r.status, packages: [...packages].sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bin', () => {
  it('prints the version and exits 0', () => {
    const out = execFileSync('node', [...NODE_ARGS, '--version'], { cwd: root, encoding: 'utf8' });
    expect(out).toBe(`certlab ${pkg.version}\n`);
  });

  it('loads only the packages a command uses: none for --version, @certlab/pki alone for key new and csr show', () => {
    expect(packagesLoaded(['--version'])).toEqual({ status: 0, packages: ['cli'] });
    // Help lists commands from the registry's summaries: no command, so no package, is loaded.
    expect(packagesLoaded(['--help'])).toEqual({ status: 0, packages: ['cli'] });
    expect(packagesLoaded(['ca', '--help'])).toEqual({ status: 0, packages: ['cli'] });
    const dir = mkdtempSync(join(tmpdir(), 'certlab-bin-'));
    try {
      const [key, csr] = [join(dir, 'k.pem'), join(dir, 'r.csr')];
      const pkiOnly = { status: 0, packages: ['cli', 'pki'] };
      expect(packagesLoaded(['key', 'new', '--out', key])).toEqual(pkiOnly);
      const subject = 'CN=web01.contoso.com';
      expect(packagesLoaded(['csr', 'new', '--key', key, '--subject', subject, '--out', csr])).toEqual(
        pkiOnly,
      );
      expect(packagesLoaded(['csr', 'show', csr])).toEqual(pkiOnly);
      // An error is reported without loading the other packages either.
      expect(packagesLoaded(['cert', 'show', csr])).toEqual({ ...pkiOnly, status: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('sets exit code 2 and prints one line plus a hint on a usage error, no stack trace', () => {
    const r = spawnSync('node', [...NODE_ARGS, 'frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("certlab: unknown command 'frobnicate'.\nRun 'certlab --help' for usage.\n");
  });

  it('runs a CA command end to end, its embedded PostgreSQL on V8 Liftoff alone (all but serve), loading neither lab nor store-sim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certlab-bin-'));
    try {
      const init = spawnSync(
        'node',
        [...NODE_ARGS, 'ca', 'init', '--dir', dir, '--key-type', 'ec', '--standalone'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(init.status, init.stderr).toBe(0);
      const list = spawnSync('node', [...NODE_ARGS, 'ca', 'list', '--dir', dir, '--format', 'json'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(list.status, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([]);
      // A ca command loads the CA package, not the lab's or the stores'.
      expect(packagesLoaded(['ca', 'list', '--dir', dir])).toEqual({
        status: 0,
        packages: ['ca-sim', 'cli', 'pki'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
