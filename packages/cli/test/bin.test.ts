// The real executable: src/bin.ts run by Node through tsx, as a user would run the built bin.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe('bin', () => {
  it('prints the version and exits 0', () => {
    const out = execFileSync('node', [...NODE_ARGS, '--version'], { cwd: root, encoding: 'utf8' });
    expect(out).toBe(`certlab ${pkg.version}\n`);
  });

  it('sets exit code 2 and prints one line plus a hint on a usage error, no stack trace', () => {
    const r = spawnSync('node', [...NODE_ARGS, 'frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("certlab: unknown command 'frobnicate'.\nRun 'certlab --help' for usage.\n");
  });

  it('runs a CA command end to end, its embedded PostgreSQL on V8 Liftoff alone (all but serve)', () => {
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
