// Temporary directories for tests, removed after the tests that made them.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A temporary directory. */
export interface TmpDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Absolute path of `name` inside the directory (not created). */
  file(name: string): string;
  /** Writes `data` to `name` inside the directory and returns its absolute path. */
  write(name: string, data: string | Uint8Array): string;
  /** Removes the directory and everything in it (idempotent). */
  remove(): void;
}

/** Creates a temporary directory now; the caller removes it (see {@link useTmpDir} for hooks). */
export function makeTmpDir(prefix = 'certlab-test-'): TmpDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  let removed = false;
  return {
    path,
    file: (name) => join(path, name),
    write(name, data) {
      const p = join(path, name);
      writeFileSync(p, data);
      return p;
    },
    remove() {
      if (removed) return;
      removed = true;
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * A temporary directory for the enclosing `describe` (or file): created in `beforeAll`, removed
 * with its content in `afterAll`. Read its members inside tests or hooks only.
 *
 * @example
 * ```ts
 * const tmp = useTmpDir();
 * it('writes', () => { writeFileSync(tmp.file('a.pem'), pem); });
 * ```
 */
export function useTmpDir(prefix = 'certlab-test-'): TmpDir {
  let dir: TmpDir | undefined;
  beforeAll(() => {
    dir = makeTmpDir(prefix);
  });
  afterAll(() => {
    dir?.remove();
    dir = undefined;
  });
  const get = (): TmpDir => {
    if (!dir) throw new Error('useTmpDir(): the directory exists only inside tests and hooks');
    return dir;
  };
  return {
    get path() {
      return get().path;
    },
    file: (name) => get().file(name),
    write: (name, data) => get().write(name, data),
    remove: () => get().remove(),
  };
}

/** Runs `fn` with a fresh temporary directory and removes it afterwards, whatever happens. */
export async function withTmpDir<R>(
  fn: (dir: TmpDir) => R | Promise<R>,
  prefix = 'certlab-test-',
): Promise<R> {
  const dir = makeTmpDir(prefix);
  try {
    return await fn(dir);
  } finally {
    dir.remove();
  }
}
