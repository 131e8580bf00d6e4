// Running the OpenSSL CLI from the ca-sim tests. When `openssl` is missing the tests that need
// it are skipped with a loud warning, except under CI=true, where a missing tool is a failure.

import { spawnSync } from 'node:child_process';

function probe(): boolean {
  const r = spawnSync('openssl', ['version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return !r.error && r.status === 0;
}

/** True when the `openssl` command works. Throws under CI=true when it does not. */
export const HAVE_OPENSSL: boolean = (() => {
  const ok = probe();
  if (!ok) {
    if (process.env.CI === 'true')
      throw new Error(
        'openssl is required by the ca-sim interop tests under CI=true, and it is not installed.',
      );
    console.warn(
      '\n*** openssl not found: SKIPPING the ca-sim OpenSSL interop tests (install openssl to run them) ***\n',
    );
  }
  return ok;
})();

/** What one run produced. */
export interface OpensslRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `openssl args…` without throwing on a non-zero exit. */
export function runOpenssl(
  args: readonly string[],
  options: { cwd?: string; input?: string } = {},
): OpensslRun {
  const r = spawnSync('openssl', args, {
    cwd: options.cwd,
    input: options.input,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Runs `openssl args…`; throws with stderr on failure; returns stdout. */
export function openssl(args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  const r = runOpenssl(args, options);
  if (r.status !== 0)
    throw new Error(`openssl ${args.join(' ')} exited with ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
