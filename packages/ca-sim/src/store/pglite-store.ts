// The embedded PGlite store: PostgreSQL compiled to WebAssembly, in a directory. Durable across
// restarts (the data directory is a real PostgreSQL cluster with its WAL), no server to run.

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CaError } from '../errors.js';
import { type DirectoryLock, lockDataDirectory } from './directory-lock.js';
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
 * Opens (creating if needed) a PGlite database in `dataDir`, migrates it, and returns the store.
 * Without `dataDir` the database lives in memory (useful to test the SQL path). One process at a
 * time: the store holds `<dataDir>/certlab.lock` until closed, and a second opener gets
 * ERR_CA_STORE_IN_USE naming the first (a lock left by a process that died is taken over).
 *
 * @example
 * ```ts
 * const db = await openPgliteStore({ dataDir: '.certlab/db' });
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', db });
 * // … later, in another process: the same CA, ids continue
 * ```
 */
export async function openPgliteStore(options: { dataDir?: string } = {}): Promise<RequestStore> {
  let db: PGlite;
  let lock: DirectoryLock | undefined;
  try {
    if (options.dataDir !== undefined) {
      await mkdir(options.dataDir, { recursive: true });
      lock = await lockDataDirectory(options.dataDir);
    }
    db = await PGlite.create(options.dataDir);
  } catch (cause) {
    await lock?.release();
    if (cause instanceof CaError) throw cause;
    throw new CaError(
      'ERR_CA_STORE',
      `Could not open the PGlite database${options.dataDir ? ` in ${options.dataDir}` : ''}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const client = lockedClient(db, lock);
  try {
    return await SqlRequestStore.open(client);
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}
