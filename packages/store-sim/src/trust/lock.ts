// One writer at a time on a file that a tool rewrites whole (a Java keystore: keytool reads it,
// changes it in memory and writes it back, so two runs at once each write what they read and one
// change is lost). The same approach as @certlab/ca-sim's lock files (store/directory-lock.ts),
// which store-sim does not depend on at run time: `<file>.lock` created exclusively, holding the
// owner's pid and host; a lock whose process is gone on this host is taken over; callers of this
// process queue in memory, since the lock file tells processes apart, not calls.

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StoreError } from '../errors.js';

const queues = new Map<string, Promise<unknown>>();

/** True when a process with this pid exists on this machine (EPERM: it exists, not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The owner a lock file names; undefined when half-written or not ours. */
function ownerOf(text: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(text) as { pid?: unknown; host?: unknown };
    if (typeof v.pid === 'number' && typeof v.host === 'string') return { pid: v.pid, host: v.host };
  } catch {
    // half-written
  }
  return undefined;
}

async function take(lockPath: string, what: string, waitMs: number): Promise<() => Promise<void>> {
  const text = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`;
  const deadline = Date.now() + waitMs;
  let unnamedSince: number | undefined;
  for (;;) {
    try {
      const f = await open(lockPath, 'wx', 0o600);
      try {
        await f.writeFile(text);
      } finally {
        await f.close();
      }
      return async () => {
        if ((await readText(lockPath)) === text) await unlink(lockPath).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StoreError(
          'ERR_STORE_IO',
          `Cannot create the lock file ${lockPath} of ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the folder must exist and be writable.`,
          { cause: e },
        );
    }
    const judged = await readText(lockPath);
    if (judged === undefined) continue; // released meanwhile
    const owner = ownerOf(judged);
    // A file naming no one is a lock being written: stale only if it stays so for a while.
    if (owner === undefined) unnamedSince ??= Date.now();
    const stale =
      owner !== undefined
        ? // Our own pid is a former incarnation's (a container restarted with the same pid): this
          // process's calls are queued above, so none of them holds the lock now.
          owner.host === hostname() && (owner.pid === process.pid || !alive(owner.pid))
        : Date.now() - unnamedSince! > 5_000;
    if (stale) {
      // Rename aside first: of two processes taking over at once, one wins; the other's new
      // lock is not deleted by mistake.
      const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
      if (
        await rename(lockPath, aside).then(
          () => true,
          () => false,
        )
      ) {
        if ((await readText(aside)) !== judged) await rename(aside, lockPath).catch(() => undefined);
        else await unlink(aside).catch(() => undefined);
      }
      continue;
    }
    if (Date.now() >= deadline)
      throw new StoreError(
        'ERR_STORE_IO',
        `${what} is being changed by ${owner ? `process ${owner.pid} on ${owner.host}` : 'another process'} (lock file ${lockPath}). Try again when it is done; if no such process runs, delete ${lockPath}.`,
      );
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
  }
}

/**
 * Runs `fn` holding `lockPath` (waiting up to `waitMs`, default 60 s, for another holder);
 * calls of this process on the same path run one after the other.
 *
 * @example
 * ```ts
 * await withFileLock('/tmp/ks.p12.lock', 'the Java keystore /tmp/ks.p12', async () => {
 *   execFileSync('keytool', ['-importcert', '-noprompt', '-keystore', '/tmp/ks.p12', '-file', 'root.cer']);
 * });
 * ```
 */
export async function withFileLock<T>(
  lockPath: string,
  what: string,
  fn: () => Promise<T>,
  waitMs = 60_000,
): Promise<T> {
  const before = queues.get(lockPath) ?? Promise.resolve();
  const mine = before
    .catch(() => undefined)
    .then(async () => {
      const release = await take(lockPath, what, waitMs);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
  const tail = mine.catch(() => undefined);
  queues.set(lockPath, tail);
  void tail.then(() => {
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  });
  return mine;
}
