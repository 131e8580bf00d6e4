// Shared test helpers: run the CLI in-process with captured output, temporary directories,
// and OpenSSL as an independent check.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for DER output. */
  stdoutBytes: Uint8Array;
}

/** Runs `certlab ...args` in `cwd` and captures everything. */
export async function cli(cwd: string, ...args: string[]): Promise<CliResult> {
  const out: Uint8Array[] = [];
  let stderr = '';
  const enc = new TextEncoder();
  const code = await run(args, {
    stdout: { write: (c: string | Uint8Array) => out.push(typeof c === 'string' ? enc.encode(c) : c) },
    stderr: {
      write: (c: string | Uint8Array) => (stderr += typeof c === 'string' ? c : new TextDecoder().decode(c)),
    },
    cwd,
    env: {},
  });
  const stdoutBytes = new Uint8Array(Buffer.concat(out));
  return { code, stdout: new TextDecoder().decode(stdoutBytes), stderr, stdoutBytes };
}

const dirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'certlab-cli-'));
  dirs.push(d);
  return d;
}

/** Removes every directory {@link tempDir} made; call from afterAll. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Runs openssl in `cwd`; returns stdout + stderr (OpenSSL prints "verify OK" on stderr). */
export function openssl(cwd: string, ...args: string[]): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Like {@link openssl} but merges stderr into the result. */
export function opensslAll(cwd: string, ...args: string[]): string {
  return execFileSync('sh', ['-c', 'openssl "$@" 2>&1', 'sh', ...args], { cwd, encoding: 'utf8' });
}

/** Colon-free uppercase hex, to compare OpenSSL fingerprints with thumbprints. */
export function normHex(s: string): string {
  return s.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
