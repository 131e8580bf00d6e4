// One process at a time on an embedded PGlite database. PGlite is PostgreSQL in the calling
// process, without the postmaster that makes a real cluster refuse a second server on its data
// directory (postmaster.pid): two processes on one directory each replay and write the WAL on
// their own, and the writes of one are lost when the other checkpoints (seen: a request issued by
// `certlab ca submit` while `certlab serve` ran on the same directory was gone after a restart).
// So the store takes a lock file inside the data directory, as postmaster.pid is: `certlab.lock`,
// created exclusively, holding the owner's pid, host and start time. PGlite ignores the file.
//
// A lock whose process is gone (a crash, a kill -9) is taken over. "Gone" is: another pid on this
// host that no longer runs, or this very pid when this process does not hold the lock (a
// container restarts its service as pid 1 again). A lock from another host (a shared folder) is
// never taken over: that process cannot be checked from here. The takeover renames the stale file
// aside and checks it is still the stale one before deleting it, so two processes taking over at
// once cannot delete each other's new lock.

import { randomBytes } from 'node:crypto';
import { link, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CaError } from '../errors.js';

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'certlab.lock';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Lock files this process holds (real paths), to tell its own locks from a former incarnation's. */
const held = new Set<string>();
/** Lock files this process is taking right now: a second open here waits for no one, it is refused. */
const taking = new Set<string>();

/** True when a process with this pid exists on this machine (EPERM: it exists, not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file's text; undefined when it does not exist. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return '';
  }
}

function ownerOf(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string')
      return { pid: v.pid, host: v.host, since: typeof v.since === 'string' ? v.since : '?' };
  } catch {
    // Half-written (its owner is between create and write, or died there): no owner.
  }
  return undefined;
}

/** True when the file was modified less than `ms` ago (false when it is gone). */
async function youngerThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < ms;
  } catch {
    return false;
  }
}

/**
 * Removes a stale lock only if the file is still the one judged stale: it is renamed aside (one
 * process wins the rename), re-read, and deleted when unchanged; anything else is put back with
 * link(), which fails rather than replace a lock created meanwhile.
 */
async function removeIfUnchanged(path: string, judged: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // Gone already, or another process moved it: look again.
  }
  const now = await readText(aside);
  if (now !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
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
 * Takes `<dataDir>/certlab.lock` (the directory must exist), or throws ERR_CA_STORE_IN_USE naming
 * the process that holds it.
 *
 * @example
 * ```ts
 * const lock = await lockDataDirectory('.certlab/db'); // creates .certlab/db/certlab.lock
 * ```
 */
export async function lockDataDirectory(dataDir: string): Promise<DirectoryLock> {
  // The real path: a symbolic link or a second spelling of the directory finds the same lock.
  const dir = await realpath(dataDir).catch(() => dataDir);
  const path = join(dir, LOCK_FILE);
  if (held.has(path) || taking.has(path))
    throw inUse(dir, path, 'this process (the database is already open here)');
  taking.add(path);
  try {
    return await takeLockFile(path, {
      inUse: (who) => inUse(dir, path, who),
      failed: (e) =>
        new CaError(
          'ERR_CA_STORE',
          `Could not create the lock file ${path} of the PGlite database: ${(e as Error).message}`,
          { cause: e },
        ),
    });
  } finally {
    taking.delete(path);
  }
}

function inUse(dir: string, path: string, who: string): CaError {
  return new CaError(
    'ERR_CA_STORE_IN_USE',
    `The PGlite database in ${dir} is in use by ${who}, and an embedded database takes one process at a time. Stop that process (a running \`certlab serve\`, for example) or do the work through it (its certsrv pages), or put the CA on PostgreSQL to share it between processes. If no such process runs, delete ${path}.`,
  );
}

/**
 * Takes the lock file `path` (created exclusively, holding this process's pid, host and start
 * time), taking over a stale one; while a live process holds it, waits up to `waitMs` (default 0)
 * and then throws `inUse(who)`. `failed` makes the error for a file that cannot be created. The
 * caller keeps one process from taking the same lock twice (a second take here would see its own
 * pid and judge the lock stale).
 *
 * @example
 * ```ts
 * const lock = await takeLockFile('/srv/ca/users.json.lock', { waitMs: 10_000, inUse, failed });
 * try { … } finally { await lock.release(); }
 * ```
 */
export async function takeLockFile(
  path: string,
  options: {
    readonly waitMs?: number;
    readonly inUse: (who: string) => Error;
    readonly failed: (cause: unknown) => Error;
  },
): Promise<DirectoryLock> {
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  return take(path, me, options.inUse, options.failed, Date.now() + (options.waitMs ?? 0));
}

async function take(
  path: string,
  me: LockOwner,
  inUse: (who: string) => Error,
  failed: (cause: unknown) => Error,
  deadline: number,
): Promise<DirectoryLock> {
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const f = await open(path, 'wx', 0o600);
      try {
        await f.writeFile(text);
      } finally {
        await f.close();
      }
      held.add(path);
      return {
        path,
        release: async () => {
          held.delete(path);
          if ((await readText(path)) === text) await unlink(path).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw failed(e);
    }
    const judged = await readText(path);
    // Removed meanwhile: create it again.
    if (judged === undefined && (attempt < 10 || Date.now() < deadline)) continue;
    const owner = judged === undefined ? undefined : ownerOf(judged);
    if (owner === undefined && (await youngerThan(path, 5_000))) {
      // Its owner may be between creating the file and writing its pid: wait, then look again; a
      // new lock that still names no one is refused, not taken (its owner may just be slow).
      if (attempt >= 3 && Date.now() >= deadline) throw inUse('another process');
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const local = owner !== undefined && owner.host === me.host;
    // This pid without the lock in `held` is a former incarnation of this process (held and
    // taking were checked before: this process does not hold it).
    const stale =
      judged !== undefined &&
      (owner === undefined || (local && ((owner.pid === me.pid && !held.has(path)) || !alive(owner.pid))));
    if (stale && attempt < 10) {
      await removeIfUnchanged(path, judged);
      continue;
    }
    // Held by a live process: wait for it while the caller allows.
    if (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 25));
      continue;
    }
    throw inUse(
      owner
        ? `process ${owner.pid}${local ? '' : ` on ${owner.host}`}, since ${owner.since}`
        : 'another process',
    );
  }
}
