// What a database holds, to check that an open which was refused left it as it was: every
// relation (table, sequence, index, view) outside PostgreSQL's own schemas. pg_class rather than
// information_schema.tables, so that a stray sequence or index would show too.

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const USER_RELATIONS = `
SELECT c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1`;

/** The relations of the PostgreSQL database at `url`, sorted by name. */
export async function postgresRelations(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ name: string }>(USER_RELATIONS)).rows.map((r) => r.name);
  } finally {
    await c.end();
  }
}

/** The relations of the PGlite database in `dataDir` (opened directly, without the store's lock). */
export async function pgliteRelations(dataDir: string): Promise<string[]> {
  const db = await PGlite.create(dataDir);
  try {
    return (await db.query<{ name: string }>(USER_RELATIONS)).rows.map((r) => r.name);
  } finally {
    await db.close();
  }
}

/**
 * Makes another program's PGlite database in `dataDir`: a cluster with one table of its own,
 * and no certlab tables.
 */
export async function foreignPgliteDatabase(dataDir: string): Promise<void> {
  const db = await PGlite.create(dataDir);
  try {
    await db.exec('CREATE TABLE app_users (id integer PRIMARY KEY)');
  } finally {
    await db.close();
  }
}
