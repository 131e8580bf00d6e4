// The RequestStore contract against a real PostgreSQL server (Debian's `postgresql` package,
// started in a temp directory), through `pg`: every store gets a fresh database, a copy of one
// migrated template database.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCaError, openPostgresStore, type PgPool, postgresClient, SqlRequestStore } from '@certlab/ca-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPostgres, type PostgresServer, startPostgres } from './support/postgres-server.js';
import { postgresRelations } from './support/relations.js';
import { storeContract } from './support/store-contract.js';

const HAVE_POSTGRES = checkPostgres('the ca-sim PostgreSQL store tests');

describe.skipIf(!HAVE_POSTGRES)('PostgreSQL store', () => {
  let server: PostgresServer;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
    const template = await server.createDatabase('certlab_template');
    await (await openPostgresStore({ connectionString: template })).close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  storeContract('postgres', async () =>
    openPostgresStore({
      connectionString: await server.createDatabase(`contract_${++n}`, 'certlab_template'),
    }),
  );

  it('migrates an empty database once, even when several stores open it at the same time', async () => {
    const url = await server.createDatabase('migrate_race');
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStore({ connectionString: url, max: 2 })),
    );
    expect(stores.map((s) => s.kind)).toEqual(['postgres', 'postgres', 'postgres', 'postgres']);
    const ids = await Promise.all(
      stores.map((s, i) =>
        s.insertRequest(async () => ({
          submittedAt: new Date(),
          status: 'pending',
          disposition: 5,
          dispositionMessage: 'Taken Under Submission',
          statusCode: 0,
          attributes: '',
          request: Uint8Array.of(i),
        })),
      ),
    );
    expect(ids.map((r) => r.requestId).sort()).toEqual([1, 2, 3, 4]);
    for (const s of stores) await s.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query('SELECT version FROM ca_schema_migrations');
    await c.end();
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('leaves a pool it was given open, and works over it', async () => {
    const url = await server.createDatabase('given_pool');
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    const typed: PgPool = pool;
    const store = await openPostgresStore({ pool: typed });
    expect((await store.insertRequest(async () => pendingRow())).requestId).toBe(1);
    await store.close();
    expect((await pool.query('SELECT count(*)::int AS n FROM ca_requests')).rows).toEqual([{ n: 1 }]);
    // The client used directly: a rolled-back transaction leaves nothing and its connection reusable.
    const client = postgresClient(pool);
    await expect(
      client.transaction(async (tx) => {
        await tx.query("INSERT INTO ca_config (key, value) VALUES ('k', 'v')");
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await client.query('SELECT count(*)::int AS n FROM ca_config')).rows).toEqual([{ n: 0 }]);
    const again = await SqlRequestStore.open(client);
    expect((await again.getRequest(1))?.requestId).toBe(1);
    await pool.end();
  });

  describe('create: false (open an existing certlab database only)', () => {
    const notFound = (e: unknown) =>
      isCaError(e, 'ERR_CA_NOT_FOUND') && /certlab ca init/.test((e as Error).message);

    it('refuses an empty database and creates nothing in it, not even the bookkeeping table', async () => {
      const url = await server.createDatabase('refused_empty');
      await expect(openPostgresStore({ connectionString: url, create: false })).rejects.toSatisfy(notFound);
      expect(await postgresRelations(url)).toEqual([]);
      // The pool the store made is ended: no session is left on the database (DROP DATABASE
      // refuses one that has sessions).
      await server.sql('DROP DATABASE refused_empty');
    });

    it("refuses another application's database and leaves it as it was", async () => {
      const url = await server.createDatabase('refused_foreign');
      const app = new pg.Client({ connectionString: url });
      await app.connect();
      await app.query('CREATE TABLE app_users (id integer PRIMARY KEY)');
      await app.end();
      await expect(openPostgresStore({ connectionString: url, create: false })).rejects.toSatisfy(notFound);
      expect(await postgresRelations(url)).toEqual(['app_users', 'app_users_pkey']);
    });

    it('leaves a pool it was given open when it refuses', async () => {
      const url = await server.createDatabase('refused_pool');
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      await expect(openPostgresStore({ pool, create: false })).rejects.toSatisfy(notFound);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pool.end();
      expect(await postgresRelations(url)).toEqual([]);
    });

    it('opens a certlab database as before, and still migrates one whose schema is older', async () => {
      const migrated = await server.createDatabase('existing_current', 'certlab_template');
      const store = await openPostgresStore({ connectionString: migrated, create: false });
      expect((await store.insertRequest(async () => pendingRow())).requestId).toBe(1);
      await store.close();
      // Version 0: the bookkeeping table alone, as a first open that stopped after it leaves.
      const older = await server.createDatabase('existing_older');
      const c = new pg.Client({ connectionString: older });
      await c.connect();
      await c.query(
        'CREATE TABLE ca_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      await c.end();
      const upgraded = await openPostgresStore({ connectionString: older, create: false });
      expect((await upgraded.insertRequest(async () => pendingRow())).requestId).toBe(1);
      await upgraded.close();
      expect(await postgresRelations(older)).toContain('ca_requests');
    });
  });

  it('fails with ERR_CA_STORE when the server cannot be reached', async () => {
    await expect(
      openPostgresStore({ connectionString: `postgres://postgres@127.0.0.1:${server.port}/no_such_db` }),
    ).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_STORE') && /no_such_db/.test((e as Error).message));
  });
});

describe.skipIf(!HAVE_POSTGRES)('PostgreSQL store: a password the server asks for and was not given', () => {
  let server: PostgresServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres({ hba: ['host all scram 127.0.0.1/32 scram-sha-256'] });
    await server.sql("CREATE ROLE scram LOGIN PASSWORD 'S3cret-pw'");
    dir = await mkdtemp(join(tmpdir(), 'certlab-pg-scram-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says where the password goes, and the process can exit (pg left the socket open for 60 s)', async () => {
    const url = `postgres://scram@127.0.0.1:${server.port}/postgres`;
    const err = await openPostgresStore({ connectionString: url }).catch((e: unknown) => e);
    expect(isCaError(err, 'ERR_CA_STORE')).toBe(true);
    expect((err as Error).message).toMatch(
      /asks for a password and none was given: put it in the URL .*PGPASSWORD.*~\/\.pgpass/,
    );
    // The same in a process of its own: it must end on its own once the promise has settled.
    // Before, it lived until the server's authentication_timeout (60 s); spawnSync stops it at 20.
    const script = join(dir, 'open.mts');
    const index = join(import.meta.dirname, '..', 'src', 'index.ts');
    await writeFile(
      script,
      `import { openPostgresStore } from ${JSON.stringify(index)};\nawait openPostgresStore({ connectionString: ${JSON.stringify(url)} }).catch((e) => console.log(e.code));\n`,
    );
    const env = { ...process.env, PGPASSWORD: '', PGPASSFILE: join(dir, 'none') };
    delete (env as Record<string, string | undefined>).PGPASSWORD;
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 20_000,
      env,
    });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.stdout).toBe('ERR_CA_STORE\n');
    expect(r.status).toBe(0);
  }, 40_000);
});

function pendingRow() {
  return {
    submittedAt: new Date(),
    status: 'pending' as const,
    disposition: 5,
    dispositionMessage: 'Taken Under Submission',
    statusCode: 0,
    attributes: '',
    request: Uint8Array.of(0x30, 0x00),
  };
}
