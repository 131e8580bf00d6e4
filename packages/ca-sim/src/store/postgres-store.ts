// The PostgreSQL store through `pg`: several processes over one database. The schema, the
// migrations and every statement are the ones PGlite runs (sql-queries.ts, migrations.ts); only
// the client differs. A transaction runs on one client checked out of the pool, so the
// transaction-scoped advisory locks (pg_advisory_xact_lock) and the row locks the SQL store takes
// hold across processes until COMMIT.

import { Socket } from 'node:net';
import { CaError } from '../errors.js';
import type { MigrateOptions } from './migrations.js';
import type { RequestStore } from './request-store.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { SqlRequestStore } from './sql-store.js';

/**
 * The part of a `pg` pooled client the store uses (a `pg.PoolClient` is one).
 *
 * @example
 * ```ts
 * const c: PgPoolClient = await pool.connect();
 * ```
 */
export interface PgPoolClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  release(destroy?: Error | boolean): void;
}

/**
 * The part of a `pg.Pool` the store uses, so that the declarations need no `@types/pg`.
 *
 * @example
 * ```ts
 * const pool: PgPool = new pg.Pool({ connectionString: 'postgres://ca@db/certlab', max: 20 });
 * ```
 */
export interface PgPool {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Where {@link openPostgresStore} connects: a connection string (the store creates and owns a
 * pool), or a pool of the caller's (which `close()` leaves open). `create: false` opens an
 * existing certlab database only (see {@link MigrateOptions}).
 *
 * @example
 * ```ts
 * const a: PostgresStoreOptions = { connectionString: 'postgres://ca@127.0.0.1:5432/certlab' };
 * const b: PostgresStoreOptions = { pool: new pg.Pool({ max: 20 }) };
 * const c: PostgresStoreOptions = { connectionString: 'postgres://ca@db/certlab', create: false };
 * ```
 */
export type PostgresStoreOptions = MigrateOptions &
  (
    | {
        /** `postgres://user:password@host:port/database`, or `postgres:///db?host=/run/postgresql`. */
        readonly connectionString: string;
        /** Connections in the pool the store creates (default 10): concurrent transactions per process. */
        readonly max?: number;
        readonly pool?: undefined;
      }
    | {
        /** A `pg.Pool` the caller keeps: the store does not end it on `close()`. */
        readonly pool: PgPool;
        readonly connectionString?: undefined;
        readonly max?: undefined;
      }
  );

function queryable(db: { query: PgPool['query'] }): SqlQueryable {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) => {
      const r = await db.query(sql, params ? [...params] : undefined);
      return { rows: r.rows as T[] };
    },
    // Without parameters `pg` uses the simple query protocol, which runs several statements.
    exec: async (sql: string) => {
      await db.query(sql);
    },
  };
}

/**
 * A {@link SqlClient} over a `pg` pool: statements outside a transaction go to any pooled
 * connection; `transaction` checks one connection out for BEGIN … COMMIT (ROLLBACK when `fn`
 * throws) and gives it back. A connection whose ROLLBACK failed is destroyed, not reused.
 *
 * @example
 * ```ts
 * const store = await SqlRequestStore.open(postgresClient(new pg.Pool({ connectionString })));
 * ```
 */
export function postgresClient(pool: PgPool, options: { endPool?: boolean } = {}): SqlClient {
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // Destroy rather than reuse a connection whose BEGIN, COMMIT or ROLLBACK failed: its
      // transaction state is unknown.
      let broken: Error | undefined;
      const run = async (sql: string) => {
        try {
          await client.query(sql);
        } catch (e) {
          broken = e as Error;
          throw e;
        }
      };
      try {
        await run('BEGIN');
        let out: T;
        try {
          out = await fn(queryable(client));
        } catch (e) {
          await run('ROLLBACK').catch(() => undefined);
          throw e;
        }
        await run('COMMIT');
        return out;
      } finally {
        client.release(broken ?? false);
      }
    },
    close: async () => {
      if (options.endPool) await pool.end();
    },
  };
}

/** pg's refusal to sign in with SCRAM when no password was given. */
const NO_PASSWORD = /client password must be a (non-empty )?string/;

/**
 * Whether {@link openPostgresStore} failed because the server answered and refused the URL (its
 * user, password or database), not because it could not be reached: SQLSTATE class 28 (wrong
 * password, unknown role, no pg_hba.conf entry), 3D000 (no such database), or no password given
 * where the server asks for one.
 *
 * @example
 * ```ts
 * try { await openPostgresStore({ connectionString }); } catch (e) { if (refusedByPostgres(e)) console.error('check the URL'); }
 * ```
 */
export function refusedByPostgres(e: unknown): boolean {
  if (!(e instanceof CaError) || e.code !== 'ERR_CA_STORE') return false;
  const c = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof c?.code === 'string' && (c.code.startsWith('28') || c.code === '3D000')) return true;
  return typeof c?.message === 'string' && NO_PASSWORD.test(c.message);
}

/**
 * Connects to a PostgreSQL server through `pg`, migrates the database (once, under an advisory
 * lock, however many processes open it together) and returns the store. Several processes may
 * share one database: request ids come from one sequence, serial numbers are unique by
 * constraint, and each submission is one transaction.
 *
 * With `create: false`, a database that has no certlab tables yet (a mistyped name, another
 * application's database) is refused with ERR_CA_NOT_FOUND and left as it was: no table is
 * created, and the pool the store made is ended. Pair it with createAuthority's `create: false`
 * to open an existing CA only.
 *
 * @example
 * ```ts
 * const db = await openPostgresStore({ connectionString: 'postgres://ca@127.0.0.1/certlab' });
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, db });
 * // … other processes open the same database: the same CA, one sequence of request ids
 *
 * // An existing CA only: an empty or unrelated database → ERR_CA_NOT_FOUND, nothing written.
 * const existing = await openPostgresStore({ connectionString: 'postgres://ca@db/certlab', create: false });
 * ```
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<RequestStore> {
  const own = options.pool === undefined;
  if (own && (typeof options.connectionString !== 'string' || !options.connectionString))
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      'openPostgresStore() needs { connectionString: "postgres://…" } or { pool }.',
    );
  // The sockets of the first connection, to close them if it fails: when the server asks for a
  // SCRAM password and none was given, pg reports the error but leaves the socket open, and the
  // process then waits for the server's authentication_timeout (60 s) before it can exit.
  const sockets = new Set<Socket>();
  // `pg` is loaded on first use (about 90 ms): a process on PGlite or memory never pays for it.
  const pool: PgPool =
    options.pool ??
    new (await import('pg')).default.Pool({
      connectionString: options.connectionString,
      ...(options.max !== undefined ? { max: options.max } : {}),
      stream: () => {
        const s = new Socket();
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
        return s;
      },
    });
  // An idle pooled connection that the server drops emits 'error' on the pool; unhandled, that
  // would end the process. The pool discards the connection, and the next query reconnects.
  if (own) pool.on('error', () => undefined);
  const client = postgresClient(pool, { endPool: own });
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    if (own) {
      for (const s of sockets) s.destroy();
      await pool.end().catch(() => undefined);
    }
    const message = (cause as Error).message || String(cause);
    // pg's words for "the server wants a password and there is none" (SCRAM) say nothing of where
    // a password goes.
    const hint = NO_PASSWORD.test(message)
      ? ' The server asks for a password and none was given: put it in the URL (postgres://user:password@host/db), in PGPASSWORD, or in ~/.pgpass.'
      : '';
    throw new CaError('ERR_CA_STORE', `Could not connect to the PostgreSQL database: ${message}.${hint}`, {
      cause,
    });
  }
  try {
    return await SqlRequestStore.open(client, { create: options.create !== false });
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
}
