// nodeRunner, the Windows adapter's way of starting powershell.exe, run here against node itself:
// what it hands back, how secrets and input reach the child, and the errors a user sees when the
// tool is missing or never answers (a Security Warning nobody can click).

import { describe, expect, it } from 'vitest';
import { isStoreError, nodeRunner } from '../src/index.js';

const NODE = process.execPath;

describe('nodeRunner', () => {
  it('returns stdout, stderr and a non-zero exit as a result, not a rejection', async () => {
    const r = await nodeRunner().run(NODE, [
      '-e',
      "process.stdout.write('out'); process.stderr.write('err'); process.exit(3)",
    ]);
    expect(r).toEqual({ stdout: 'out', stderr: 'err', exitCode: 3 });
  });

  it('passes arguments without a shell, environment variables and standard input', async () => {
    const r = await nodeRunner().run(
      NODE,
      [
        '-e',
        "let i = ''; process.stdin.on('data', (d) => (i += d)).on('end', () => process.stdout.write(JSON.stringify([process.argv[1], process.env.CERTLAB_PFX_PASSWORD, i])))",
        "$HOME; 'quoted' `tick`",
      ],
      { env: { CERTLAB_PFX_PASSWORD: 'S3cret!' }, input: 'from stdin' },
    );
    expect(JSON.parse(r.stdout)).toEqual(["$HOME; 'quoted' `tick`", 'S3cret!', 'from stdin']);
  });

  it('reports a missing executable as ERR_STORE_TOOL_MISSING', async () => {
    const e = await nodeRunner()
      .run('certlab-no-such-powershell.exe', ['-NoProfile'])
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_TOOL_MISSING')).toBe(true);
    expect((e as Error).message).toMatch(/Windows PowerShell/);
  });

  it('stops a child that never answers and says why it may be waiting', async () => {
    const started = Date.now();
    const e = await nodeRunner({ timeoutMs: 300 })
      .run(NODE, ['-e', 'setTimeout(() => {}, 60_000)'])
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_IO')).toBe(true);
    expect((e as Error).message).toMatch(/did not finish within 300 ms/);
    expect((e as Error).message).toMatch(/Security Warning/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
