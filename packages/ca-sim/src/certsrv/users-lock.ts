// One writer at a time on a users file. `certlab user add|set|remove` read the file, change it and
// write it back (atomically, by rename); two of them at the same instant would each write what
// they read, and the second write would undo the first's change. They take `<file>.lock` for
// that read-change-write (the lock file of store/directory-lock.ts: the owner's pid, a dead
// owner's lock taken over), waiting a moment for another writer rather than failing. Readers
// (`certlab serve`'s watcher, UserDirectory.load) need no lock: the rename is atomic.

import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CaError } from '../errors.js';
import { type DirectoryLock, takeLockFile } from '../store/directory-lock.js';

/** Callers of this process queued per lock path: the lock file tells processes apart, not calls. */
const queues = new Map<string, Promise<void>>();

/**
 * Takes the write lock of a users file (`<file>.lock`), waiting up to `waitMs` (default 10 s) for
 * another process, and in this process for the callers before; throws ERR_CA_USERS_IN_USE naming
 * the process that holds it when the wait runs out. Release it once the file is written.
 *
 * @example
 * ```ts
 * const lock = await lockUsersFile('ca/users.json');
 * try {
 *   const users = await UserDirectory.load('ca/users.json');
 *   await users.update('alice', { admin: true });
 *   await users.save('ca/users.json');
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function lockUsersFile(
  file: string,
  options: { readonly waitMs?: number } = {},
): Promise<{ release(): Promise<void> }> {
  // The real path: a symbolic link or another spelling of the directory reaches the same queue
  // and lock file (the lock judges a file naming this pid stale unless this process holds it).
  const abs = resolve(file);
  const dir = await realpath(dirname(abs)).catch(() => dirname(abs));
  const path = `${join(dir, basename(abs))}.lock`;
  const waitMs = options.waitMs ?? 10_000;
  const deadline = Date.now() + waitMs;
  const inUse = (who: string) =>
    new CaError(
      'ERR_CA_USERS_IN_USE',
      `The accounts file ${file} is being changed by ${who}. Try again when it is done; if no certlab command is changing it, delete ${path}.`,
    );
  const before = queues.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => {
    done = r;
  });
  const tail = before.then(() => mine);
  queues.set(path, tail);
  const leave = () => {
    done();
    if (queues.get(path) === tail) queues.delete(path);
  };
  let lock: DirectoryLock;
  try {
    // The callers before this one in this process count against the same wait.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), waitMs);
    });
    const first = await Promise.race([before.then(() => 'ready' as const), late]);
    clearTimeout(timer);
    if (first === 'late') throw inUse('another caller in this process');
    lock = await takeLockFile(path, {
      waitMs: Math.max(0, deadline - Date.now()),
      inUse,
      failed: (e) =>
        new CaError(
          'ERR_CA_USERS_INVALID',
          `Could not create the lock file ${path}: ${(e as Error).message}`,
          {
            cause: e,
          },
        ),
    });
  } catch (e) {
    leave();
    throw e;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await lock.release();
      } finally {
        leave();
      }
    },
  };
}
