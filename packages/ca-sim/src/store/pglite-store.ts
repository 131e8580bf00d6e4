// The embedded PGlite store: PostgreSQL compiled to WebAssembly, in a directory. Durable across
// restarts (the data directory is a real PostgreSQL cluster with its WAL), no server to run.

import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { CaError } from '../errors.js';
import { type DirectoryLock, LOCK_FILE, lockDataDirectory } from './directory-lock.js';
import type { MigrateOptions } from './migrations.js';
import { defaultClusterCache, readClusterTemplate, writeClusterTemplate } from './pglite-template.js';
import type { RequestStore } from './request-store.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { SqlRequestStore } from './sql-store.js';

interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

/**
 * What {@link pgliteClient} uses of a PGlite instance (`PGlite` from `@electric-sql/pglite`
 * satisfies it). Structural, so that the public declarations do not import PGlite's own, whose
 * types need `@types/emscripten` in the consumer's project.
 *
 * @example
 * ```ts
 * const db: PgliteDatabase = await PGlite.create('/var/lib/certlab/db');
 * ```
 */
export interface PgliteDatabase extends PgliteLike {
  transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function queryable(db: PgliteLike): SqlQueryable {
  return {
    query: <T>(sql: string, params?: readonly unknown[]) =>
      db.query<T>(sql, params ? [...params] : undefined),
    exec: async (sql: string) => {
      await db.exec(sql);
    },
  };
}

/**
 * A {@link SqlClient} over an open PGlite instance.
 *
 * @example
 * ```ts
 * const client = pgliteClient(await PGlite.create('/var/lib/certlab/db'));
 * ```
 */
export function pgliteClient(db: PgliteDatabase): SqlClient {
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
  };
}

/**
 * PostgreSQL's start parameters for the embedded database, after PGlite's own: a 16 MB buffer
 * pool (shared_buffers) instead of initdb's 128 MB. PGlite sets up the whole pool in WebAssembly at
 * every start: at 128 MB that was about 350 ms of a 1.1 s open and 110 MB of resident memory, on
 * every certlab command that opens the CA. A CA database's working set (the newest requests, the
 * indexes, the CRLs) fits in 16 MB many times over, and the operating system's page cache keeps
 * the rest of the files.
 */
const START_PARAMS: readonly string[] = ['-c', 'shared_buffers=16MB'];

/** The client of {@link openPgliteStore}: closing it also releases the directory's lock. */
function lockedClient(db: PgliteDatabase, lock: DirectoryLock | undefined): SqlClient {
  const client = pgliteClient(db);
  if (!lock) return client;
  return {
    ...client,
    close: async () => {
      try {
        await db.close();
      } finally {
        await lock.release();
      }
    },
  };
}

/**
 * Where {@link openPgliteStore} opens its database, and whether it may create one.
 *
 * @example
 * ```ts
 * const options: PgliteStoreOptions = { dataDir: '/srv/ca/db', create: false };
 * ```
 */
export interface PgliteStoreOptions extends MigrateOptions {
  /**
   * The data directory (a path or a `file://` URL); without it, or with PGlite's `memory://`,
   * the database lives in memory.
   */
  readonly dataDir?: string;
  /**
   * Where a new database's starting point is cached: PGlite's initdb output (a pristine cluster,
   * no data), unpacked for the next new database instead of running initdb again (about 3 s
   * less on a 2-core machine). Default `$CERTLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/certlab`,
   * else `~/.cache/certlab`; it is used only when it is the user's own and writable by nobody
   * else. `false`: initdb for every new database, nothing cached.
   */
  readonly clusterCache?: string | false;
}

/**
 * The directory `dataDir` names, or undefined for memory. PGlite itself reads a `scheme://`
 * prefix (memory://, idb://, opfs-ahp://): passed on as a path, `memory://` made a folder
 * named `memory:` for the lock while the data stayed in memory, and `file:///srv/db` a folder
 * `file:/srv/db` under the working directory. The browser schemes do not exist in Node.
 */
function dataDirectory(dataDir: string | undefined): string | undefined {
  if (dataDir === undefined) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(dataDir)?.[1]?.toLowerCase();
  if (scheme === undefined) return dataDir;
  if (scheme === 'memory') return undefined;
  if (scheme === 'file') {
    try {
      return fileURLToPath(dataDir);
    } catch (cause) {
      throw new CaError('ERR_CA_OPTIONS_INVALID', `dataDir ${dataDir} is not a file URL of this system.`, {
        cause,
      });
    }
  }
  throw new CaError(
    'ERR_CA_OPTIONS_INVALID',
    `dataDir ${dataDir}: PGlite's ${scheme}:// storage is not available here; give a directory, a file:// URL or memory://.`,
  );
}

/**
 * Refuses, before anything is written, a location `create: false` cannot open: memory (always
 * empty), and a directory that is missing or holds no PostgreSQL cluster (no PG_VERSION, the
 * file PGlite itself looks for before it runs initdb).
 */
async function assertExistingCluster(dataDir: string | undefined): Promise<void> {
  const what = 'open the store without create: false, or run certlab ca init';
  if (dataDir === undefined)
    throw new CaError(
      'ERR_CA_NOT_FOUND',
      `An in-memory PGlite database starts empty, so it holds no CA to open: give a dataDir, or ${what}.`,
    );
  const version = await stat(join(dataDir, 'PG_VERSION')).catch(() => undefined);
  if (!version?.isFile())
    throw new CaError(
      'ERR_CA_NOT_FOUND',
      `${dataDir} holds no PGlite database: check the directory, or create the CA there first (${what}).`,
    );
}

/**
 * Starts PGlite on `dataDir`. A new database (memory, or a directory holding nothing but the
 * lock) is unpacked from the cached cluster when there is one; otherwise PGlite runs initdb, and
 * its fresh cluster fills the cache for the next one. A cached cluster PGlite cannot load is
 * cleared away (the directory held nothing of anyone else's) and initdb runs.
 */
async function startPglite(
  dataDir: string | undefined,
  clusterCache: string | false | undefined,
): Promise<PGlite> {
  // Loaded on first use (about 65 ms): commands that never open a database do not pay for it.
  const { PGlite } = await import('@electric-sql/pglite');
  const startParams = [...PGlite.defaultStartParams, ...START_PARAMS];
  const cache = clusterCache === false ? undefined : (clusterCache ?? defaultClusterCache());
  const fresh =
    cache !== undefined &&
    (dataDir === undefined || (await readdir(dataDir)).every((name) => name === LOCK_FILE));
  if (!fresh) return PGlite.create(dataDir, { startParams });
  const template = await readClusterTemplate(cache);
  if (template) {
    try {
      return await PGlite.create(dataDir, { startParams, loadDataDir: new Blob([template]) });
    } catch {
      if (dataDir !== undefined)
        for (const name of await readdir(dataDir))
          if (name !== LOCK_FILE) await rm(join(dataDir, name), { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataDir, { startParams });
  // Without certlab's lock file: a database unpacked with it would be locked by this process.
  await writeClusterTemplate(
    cache,
    async () => new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()),
    new Set([LOCK_FILE]),
  );
  return db;
}

/** A path as a POSIX shell word, for a command the message tells the user to run. */
function shellQuoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/**
 * Makes the data directory owner-only (0700) when its group or other users have any access to
 * it. The directory holds the CA private keys: in the table rows, and in the WAL (pg_wal) and
 * data files, which PGlite writes readable by everyone (0666 was seen). PostgreSQL's postmaster
 * refuses to start on a data directory others can access for this reason (checkDataDir in
 * miscinit.c: 0700, or 0750 only for a cluster made with initdb --allow-group-access, which
 * PGlite has no way to ask for). certlab tightens the mode instead of refusing, because the
 * directory is the database certlab itself creates and owns. The files inside are left as PGlite
 * makes them: with the directory 0700, no other user can traverse it to reach them. When the
 * chmod fails (the directory belongs to someone else), the open is refused, before the lock file
 * or initdb writes anything there. Not on Windows, where modes do not govern access.
 */
async function restrictDataDirectory(dataDir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(dataDir);
  if ((mode & 0o077) === 0) return;
  try {
    await chmod(dataDir, 0o700);
  } catch (cause) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    const why = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new CaError(
      'ERR_CA_STORE_PERMISSIONS',
      `The PGlite database directory ${dataDir} keeps the CA private keys but is open to other users (mode ${octal}), and it could not be made private (${why}): run 'chmod 700 ${shellQuoted(dataDir)}' as its owner, or use a directory you own.`,
      { cause },
    );
  }
}

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, migrates it, and returns the store.
 * Without `dataDir` the database lives in memory (useful to test the SQL path). One process at a
 * time: the store holds `<dataDir>/certlab.lock` until closed, and a second opener gets
 * ERR_CA_STORE_IN_USE naming the first (a lock left by a process that died is taken over).
 *
 * With `create: false` the directory must already hold a database with the certlab tables:
 * otherwise (a missing or empty directory, another program's PGlite database, memory) the open
 * fails with ERR_CA_NOT_FOUND, no directory, cluster or table is created, and the lock is
 * released. Pair it with createAuthority's `create: false` to open an existing CA only.
 *
 * The data directory is created with mode 0700, and an existing one that group or other users
 * can access is made 0700 on every open (POSIX; not on Windows): the database holds the CA
 * private keys. When that chmod fails (someone else owns the directory), the open fails with
 * ERR_CA_STORE_PERMISSIONS and nothing is written.
 *
 * @example
 * ```ts
 * const db = await openPgliteStore({ dataDir: '.certlab/db' });
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', db });
 * // … later, in another process: the same CA, ids continue
 *
 * // An existing CA only: anything else → ERR_CA_NOT_FOUND, nothing written.
 * const existing = await openPgliteStore({ dataDir: '.certlab/db', create: false });
 * ```
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<RequestStore> {
  const create = options.create !== false;
  const dataDir = dataDirectory(options.dataDir);
  // Before mkdir, the lock file and PGlite's initdb, each of which would write to the location.
  if (!create) await assertExistingCluster(dataDir);
  let db: PGlite;
  let lock: DirectoryLock | undefined;
  try {
    if (dataDir !== undefined) {
      if (create) await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await restrictDataDirectory(dataDir);
      lock = await lockDataDirectory(dataDir);
    }
    db = await startPglite(dataDir, create ? options.clusterCache : false);
  } catch (cause) {
    await lock?.release();
    if (cause instanceof CaError) throw cause;
    throw new CaError(
      'ERR_CA_STORE',
      `Could not open the PGlite database${dataDir ? ` in ${dataDir}` : ''}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const client = lockedClient(db, lock);
  try {
    return await SqlRequestStore.open(client, { create });
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}
