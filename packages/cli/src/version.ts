// The CLI version, read from packages/cli/package.json. The path is the same relative to
// src/ (tests, tsx) and dist/ (the installed bin), so one lookup serves both.

import { readFile } from 'node:fs/promises';

/**
 * The `version` field of the certlab package.
 *
 * @example
 * ```ts
 * await cliVersion(); // '0.1.0'
 * ```
 */
export async function cliVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
