// Versioned schema migrations in plain PostgreSQL SQL. The same text serves PGlite and a
// PostgreSQL server: only standard types (bigint, bytea, timestamptz, text), a sequence for
// request ids, and constraints that make a reused serial or a half-written row impossible.

import { CaError } from '../errors.js';
import type { SqlClient } from './sql-client.js';

/**
 * One schema version.
 *
 * @example
 * ```ts
 * const m: Migration = { version: 2, name: 'add column', sql: 'ALTER TABLE ca_requests ADD COLUMN note text' };
 * ```
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The schema, version by version. Never edit a released migration: add the next one.
 *
 * @example
 * ```ts
 * MIGRATIONS.at(-1)?.version; // the schema version this package writes
 * ```
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'requests, certificates, CA certificates, CRLs',
    sql: `
CREATE SEQUENCE ca_request_id_seq AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1 NO CYCLE;

CREATE TABLE ca_config (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE ca_certificates (
  authority text NOT NULL CHECK (authority IN ('root', 'issuing')),
  cert_index integer NOT NULL CHECK (cert_index >= 0),
  key_index integer NOT NULL CHECK (key_index >= 0),
  certificate bytea NOT NULL,
  private_key bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (authority, cert_index)
);

CREATE TABLE ca_requests (
  request_id bigint PRIMARY KEY DEFAULT nextval('ca_request_id_seq') CHECK (request_id > 0),
  submitted_at timestamptz NOT NULL,
  resolved_at timestamptz,
  status text NOT NULL CHECK (status IN ('pending', 'issued', 'denied', 'revoked')),
  disposition smallint NOT NULL,
  disposition_message text NOT NULL,
  status_code bigint NOT NULL,
  template text,
  requester text,
  subject text,
  attributes text NOT NULL DEFAULT '',
  request bytea NOT NULL
);
CREATE INDEX ca_requests_status_idx ON ca_requests (status, request_id);

CREATE TABLE ca_issued_certificates (
  request_id bigint PRIMARY KEY REFERENCES ca_requests (request_id),
  serial_number text NOT NULL CHECK (serial_number ~ '^([0-9A-F]{2})+$'),
  ca_cert_index integer NOT NULL,
  certificate bytea NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  revoked_at timestamptz,
  revocation_reason smallint,
  unrevoked_at timestamptz,
  CONSTRAINT ca_issued_certificates_serial_key UNIQUE (serial_number)
);
CREATE INDEX ca_issued_certificates_revoked_idx ON ca_issued_certificates (revoked_at)
  WHERE revoked_at IS NOT NULL OR unrevoked_at IS NOT NULL;

CREATE TABLE ca_crls (
  authority text NOT NULL CHECK (authority IN ('root', 'issuing')),
  crl_number bigint NOT NULL CHECK (crl_number > 0),
  delta boolean NOT NULL,
  base_crl_number bigint,
  key_index integer NOT NULL,
  this_update timestamptz NOT NULL,
  next_update timestamptz NOT NULL,
  crl bytea NOT NULL,
  PRIMARY KEY (authority, crl_number)
);

CREATE TABLE ca_counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
`,
  },
];

/** Creates the bookkeeping table; harmless when it exists. */
const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS ca_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** One advisory lock key for every process migrating the same database (hashtext is stable). */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('certlab-ca-sim migrations'))`;

/** True when the bookkeeping table exists, where the unqualified names of the store resolve. */
const SCHEMA_EXISTS = `SELECT to_regclass('ca_schema_migrations') IS NOT NULL AS found`;

/**
 * What {@link migrate} may do to a database that has no certlab schema yet.
 *
 * @example
 * ```ts
 * const options: MigrateOptions = { create: false }; // an existing certlab database only
 * ```
 */
export interface MigrateOptions {
  /**
   * Create the schema in a database that has none (default true). `false` refuses such a
   * database with ERR_CA_NOT_FOUND and writes nothing to it, so that a mistyped or unrelated
   * database is left as it was; a database with the schema, at any version, is migrated as usual.
   */
  readonly create?: boolean;
}

/**
 * Brings the schema up to the newest version, all missing migrations in one transaction under an
 * advisory lock, so that several processes opening one database migrate it once. Throws
 * ERR_CA_MIGRATION when the database is newer than this package, and with `create: false`
 * ERR_CA_NOT_FOUND when it has no certlab schema (nothing is written then).
 *
 * @example
 * ```ts
 * await migrate(client); // → 1 (the schema version now in force)
 * await migrate(client, MIGRATIONS, { create: false }); // an existing certlab database only
 * ```
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
  options: MigrateOptions = {},
): Promise<number> {
  try {
    await client.transaction(async (tx) => {
      await tx.query(LOCK);
      if (options.create !== false) {
        await tx.exec(MIGRATIONS_TABLE);
        return;
      }
      // Checked under the lock: a process creating the schema right now has committed it (or
      // rolled it back) by the time this runs. Nothing is created, not even the bookkeeping table.
      const { rows } = await tx.query<{ found: boolean }>(SCHEMA_EXISTS);
      if (rows[0]?.found !== true)
        throw new CaError(
          'ERR_CA_NOT_FOUND',
          'The database has no certlab CA tables: check that it is the right database, or create the CA there first (open the store without create: false, or run certlab ca init).',
        );
    });
    const known = migrations.at(-1)?.version ?? 0;
    return await client.transaction(async (tx) => {
      await tx.query(LOCK);
      const { rows } = await tx.query<{ version: number | string }>(
        'SELECT version FROM ca_schema_migrations',
      );
      const applied = new Set(rows.map((r) => Number(r.version)));
      const newest = Math.max(0, ...applied);
      if (newest > known)
        throw new CaError(
          'ERR_CA_MIGRATION',
          `The database has schema version ${newest}; this version of @certlab/ca-sim knows up to ${known}. Upgrade @certlab/ca-sim.`,
        );
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await tx.exec(m.sql);
        await tx.query('INSERT INTO ca_schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
      }
      return known;
    });
  } catch (e) {
    if (e instanceof CaError) throw e;
    throw new CaError('ERR_CA_MIGRATION', `Migrating the CA database failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
