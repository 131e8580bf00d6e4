// `--db postgres://USER@HOST/DB` with the password in PGPASSWORD: the way to keep a PostgreSQL
// password off the command line (where other local users see it), as `pg` reads libpq's
// variables. The throwaway server trusts its superuser; one role signs in with SCRAM so that the
// password is really checked.

import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPostgres,
  type PostgresServer,
  startPostgres,
} from '../../ca-sim/test/support/postgres-server.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

const HAVE_POSTGRES = checkPostgres('the certlab --db PGPASSWORD test');
const PASSWORD = 'Pg-S3cret-pw';

describe.skipIf(!HAVE_POSTGRES)('--db without a password in the URL', () => {
  let server: PostgresServer;
  let dir: string;
  let url: string;
  const saved = process.env.PGPASSWORD;

  beforeAll(async () => {
    dir = await tempDir();
    server = await startPostgres();
    await server.sql(`CREATE ROLE certlab_ca LOGIN PASSWORD '${PASSWORD}'`);
    await server.sql('CREATE DATABASE cli_pgpassword OWNER certlab_ca');
    // The role's TCP sign-ins need the password; the superuser stays trusted for the helper.
    const [row] = (await server.sql('SHOW hba_file')) as { hba_file: string }[];
    const hba = row!.hba_file;
    await writeFile(hba, `host all certlab_ca 127.0.0.1/32 scram-sha-256\n${await readFile(hba, 'utf8')}`);
    await server.sql('SELECT pg_reload_conf()');
    url = `postgres://certlab_ca@127.0.0.1:${server.port}/cli_pgpassword`;
  }, 120_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env.PGPASSWORD;
    else process.env.PGPASSWORD = saved;
    await server?.stop();
    await removeTempDirs();
  });

  it('signs in with PGPASSWORD, and fails without it, never printing the password', async () => {
    delete process.env.PGPASSWORD;
    const without = await cli(dir, 'ca', 'init', '--dir', 'no-pw', '--key-type', 'ec', '--db', url);
    // A URL the server refuses is exit 2 (docs/cli.md), with where a password goes.
    expect(without.code, without.stderr).toBe(2);
    expect(without.stderr).toContain('[ERR_CA_STORE]');
    expect(without.stderr).toContain(
      'put it in the URL (postgres://user:password@host/db), in PGPASSWORD, or in ~/.pgpass',
    );

    process.env.PGPASSWORD = PASSWORD;
    const init = await cli(dir, 'ca', 'init', '--dir', 'pg', '--key-type', 'ec', '--db', url);
    expect(init.code, init.stderr).toBe(0);
    const list = await cli(dir, 'ca', 'list', '--dir', 'pg');
    expect(list.code, list.stderr).toBe(0);
    for (const r of [without, init, list]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    // ca.json records the URL as given: without the password.
    expect(await readFile(`${dir}/pg/ca.json`, 'utf8')).not.toContain(PASSWORD);
  }, 120_000);
});
