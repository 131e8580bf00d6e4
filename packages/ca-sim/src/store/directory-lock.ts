// One process at a time on an embedded PGlite database. PGlite is PostgreSQL in the calling
// process, without the postmaster that makes a real cluster refuse a second server on its data
// directory (postmaster.pid): two processes on one directory each replay and write the WAL on
// their own, and the writes of one are lost when the other checkpoints (seen: a request issued by
// `certlab ca submit` while `certlab serve` ran on the same directory was gone after a restart).
// So the store takes a lock file beside the data directory, `<dataDir>.lock`, created exclusively,
// holding the owner's pid and host; a lock whose process is gone (a crash, a kill -9) is taken over.

import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { CaError } from '../errors.js';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** True when a process with this pid exists on this machine (EPERM: it exists, not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the file was modified less than `ms` ago (false when it is gone). */
async function youngerThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < ms;
  } catch {
    return false;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string')
      return { pid: v.pid, host: v.host, since: typeof v.since === 'string' ? v.since : '?' };
  } catch {
    // Unreadable or half-written (the owner died between create and write): no owner.
  }
  return undefined;
}

/**
 * A held lock on a PGlite data directory; {@link release} removes the lock file if it is still ours.
 *
 * @example
 * ```ts
 * const lock = await lockDataDirectory('/srv/ca/db');
 * try { … } finally { await lock.release(); }
 * ```
 */
export interface DirectoryLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes `<dataDir>.lock`, or throws ERR_CA_STORE_IN_USE naming the process that holds it. A lock
 * left by a process that no longer runs on this host is replaced. A lock from another host (a
 * shared folder) is never taken over: that process cannot be checked from here.
 *
 * @example
 * ```ts
 * const lock = await lockDataDirectory('.certlab/db'); // creates .certlab/db.lock
 * ```
 */
export async function lockDataDirectory(dataDir: string): Promise<DirectoryLock> {
  const path = `${resolve(dataDir)}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const f = await open(path, 'wx', 0o600);
      try {
        await f.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await f.close();
      }
      return {
        path,
        release: async () => {
          const owner = await readOwner(path);
          if (owner?.pid === me.pid && owner.host === me.host && owner.since === me.since)
            await unlink(path).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new CaError(
          'ERR_CA_STORE',
          `Could not create the lock file ${path} of the PGlite database: ${(e as Error).message}`,
          { cause: e },
        );
    }
    const owner = await readOwner(path);
    if (owner === undefined && attempt < 3 && (await youngerThan(path, 5_000))) {
      // Its owner may be between creating the file and writing its pid: wait, then look again.
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const stale =
      owner === undefined || (owner.host === me.host && owner.pid !== me.pid && !alive(owner.pid));
    if (stale && attempt < 3) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    const who = owner
      ? owner.pid === me.pid && owner.host === me.host
        ? 'this process (the database is already open here)'
        : `process ${owner.pid}${owner.host === me.host ? '' : ` on ${owner.host}`}, since ${owner.since}`
      : 'another process';
    throw new CaError(
      'ERR_CA_STORE_IN_USE',
      `The PGlite database in ${resolve(dataDir)} is in use by ${who}, and an embedded database takes one process at a time. Stop that process (a running \`certlab serve\`, for example) or do the work through it (its certsrv pages), or put the CA on PostgreSQL to share it between processes. If no such process runs, delete ${path}.`,
    );
  }
}
