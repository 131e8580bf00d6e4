// External tools in tests. Project rule: the real tool is used (OpenSSL CLI, not a
// re-implementation). Locally a missing tool is a loud skip (console.warn + describe.skip);
// on CI (env CI=true) it is a failure, so that a runner without the tool cannot go green.

import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { describe, it } from 'vitest';

const found = new Map<string, boolean>();

/** True on CI: `CI` set to anything but an empty string, `0` or `false` (GitHub Actions sets `CI=true`). */
export function isCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function executableOnPath(name: string): boolean {
  const candidates =
    isAbsolute(name) || name.includes('/')
      ? [name]
      : (process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, name));
  const exts =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const c of candidates) {
    for (const ext of exts) {
      try {
        accessSync(c + ext, constants.X_OK);
        return true;
      } catch {
        // not this one
      }
    }
  }
  return false;
}

/**
 * True when `name` is an executable on PATH that actually runs (for `openssl`, `openssl version`
 * must succeed). Cached per name.
 */
export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = executableOnPath(name);
    if (ok && name === 'openssl') ok = spawnSync(name, ['version'], { encoding: 'utf8' }).status === 0;
    found.set(name, ok);
  }
  return ok;
}

function missingMessage(name: string, title: string): string {
  return `"${name}" is not on PATH: the tests "${title}" need it.`;
}

/**
 * `describe` that needs an external tool. When the tool is missing: on CI the block fails (one
 * failing test names the tool); locally it is skipped with a console warning. In both cases
 * `fn` is not called, so a suite may run the tool while collecting its tests.
 *
 * @example
 * ```ts
 * describeWithTool('openssl', 'OpenSSL reads our CSRs', () => { it('...', () => {}); });
 * ```
 */
export function describeWithTool(name: string, title: string, fn: () => void): void {
  describeWhen(hasTool(name), missingMessage(name, title), name, title, fn);
}

/**
 * `describe` that needs something other than a command on PATH (a library, a plug-in, a feature
 * of a tool), with the same rule as {@link describeWithTool}: `ok` says whether it is there,
 * `missing` what is missing and how to get it.
 *
 * @example
 * ```ts
 * describeWithRequirement(existsSync(SO), 'gss-ntlmssp is not installed (apt-get install gss-ntlmssp).', 'gss-ntlmssp', 'curl --negotiate', () => {});
 * ```
 */
export function describeWithRequirement(
  ok: boolean,
  missing: string,
  requirement: string,
  title: string,
  fn: () => void,
): void {
  describeWhen(ok, `${missing} The tests "${title}" need it.`, requirement, title, fn);
}

function describeWhen(ok: boolean, msg: string, name: string, title: string, fn: () => void): void {
  if (ok) {
    describe(title, fn);
    return;
  }
  if (isCI()) {
    describe(title, () => {
      it(`requires ${name}`, () => {
        throw new Error(`${msg} On CI (CI=${process.env.CI}) a missing tool is a failure: install it.`);
      });
    });
    return;
  }
  console.warn(`SKIPPED: ${msg} Install it to run them (on CI this is a failure).`);
  // `fn` is not called: suites may use the tool while collecting their tests.
  describe.skip(title, () => {
    it(`requires ${name}`, () => {});
  });
}

/** `it` that needs an external tool, with the same rule as {@link describeWithTool}. */
export function itWithTool(name: string, title: string, fn: () => unknown, timeout?: number): void {
  if (hasTool(name)) {
    it(title, fn, timeout);
    return;
  }
  const msg = missingMessage(name, title);
  if (isCI()) {
    it(title, () => {
      throw new Error(`${msg} On CI (CI=${process.env.CI}) a missing tool is a failure: install it.`);
    });
    return;
  }
  console.warn(`SKIPPED: ${msg} Install it to run it (on CI this is a failure).`);
  it.skip(title, fn, timeout);
}
