// A throwaway PostgreSQL server for the tests (and the ca-issue benchmark), from Debian's
// `postgresql` package: initdb a cluster in a temp directory, start it on 127.0.0.1 with a free
// port and its unix socket in the same directory, trust authentication, and stop and delete it
// afterwards. initdb refuses to run as root: then the directory belongs to the `postgres` user and
// initdb / pg_ctl run through `runuser -u postgres --` (or `su postgres`).
//
// Missing binaries: `checkPostgres()` skips loudly, except under CI=true, where it throws (the same
// rule as the openssl helper).

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const RUN_AS = 'postgres';

/** The directory holding initdb and pg_ctl (POSTGRES_BIN, /usr/lib/postgresql/<newest>/bin, or PATH). */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const env = process.env.POSTGRES_BIN;
  if (env && has(env)) return env;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  if (onPath) {
    const dir = onPath.slice(0, onPath.lastIndexOf('/'));
    if (has(dir)) return dir;
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid and gid of the `postgres` user, when running as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const u = spawnSync('id', ['-u', RUN_AS], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', RUN_AS], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Why no server can be started here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  if (!findPostgresBin())
    return 'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)';
  if (isRoot() && !postgresUser()) return `running as root and there is no "${RUN_AS}" user to run initdb as`;
  return undefined;
}

/**
 * True when a PostgreSQL server can be started. Otherwise prints a loud warning (tests skip),
 * or throws under CI=true.
 */
export function checkPostgres(what = 'the ca-sim PostgreSQL tests'): boolean {
  const why = postgresUnavailable();
  if (why === undefined) return true;
  if (process.env.CI === 'true') throw new Error(`${what} need PostgreSQL under CI=true: ${why}.`);
  console.warn(`\n*** ${why}: SKIPPING ${what} ***\n`);
  return false;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. Throws with its output on failure. */
function runPg(bin: string, tool: string, args: readonly string[]): string {
  const exe = join(bin, tool);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  let r: ReturnType<typeof spawnSync>;
  if (!isRoot()) r = spawnSync(exe, args, { env, encoding: 'utf8' });
  else if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser'))
    r = spawnSync('runuser', ['-u', RUN_AS, '--', exe, ...args], { env, encoding: 'utf8' });
  else {
    const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    r = spawnSync('su', [RUN_AS, '-s', '/bin/sh', '-c', [exe, ...args].map(q).join(' ')], {
      env,
      encoding: 'utf8',
    });
  }
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(
      `${tool} ${args.join(' ')} exited with ${r.status}:\n${String(r.stderr)}${String(r.stdout)}`,
    );
  return String(r.stdout);
}

/** A port that was free a moment ago (postgres cannot listen on port 0). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A running throwaway server. */
export interface PostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The directory of its unix socket. */
  readonly socketDir: string;
  /** The connection string of `database` (default `postgres`) as the superuser `postgres`. */
  url(database?: string): string;
  /** Creates a database (optionally a copy of `template`) and returns its connection string. */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Runs one statement in the `postgres` database. */
  sql(text: string): Promise<unknown[]>;
  /** Stops the server (immediate shutdown) and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Creates and starts a cluster in a new temp directory. `durable: false` (the default, for tests)
 * turns fsync, synchronous_commit and full_page_writes off: a crash of the test machine may
 * corrupt the throwaway cluster, nothing else changes. The benchmark starts it durable.
 */
export async function startPostgres(
  options: { durable?: boolean; hba?: readonly string[] } = {},
): Promise<PostgresServer> {
  const why = postgresUnavailable();
  if (why) throw new Error(why);
  const bin = findPostgresBin()!;
  const dir = await mkdtemp(join(tmpdir(), 'certlab-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  const log = join(dir, 'postgres.log');
  mkdirSync(socketDir);
  if (isRoot()) {
    const u = postgresUser()!;
    for (const p of [dir, socketDir]) chownSync(p, u.uid, u.gid);
  }
  chmodSync(dir, 0o700);
  let started = false;
  const stopNow = () => {
    if (!started) return;
    started = false;
    try {
      runPg(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } catch {
      // already gone
    }
  };
  // If the test process dies without afterAll, do not leave a postmaster behind.
  process.once('exit', stopNow);
  try {
    runPg(bin, 'initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--no-instructions',
    ]);
    // Rules read before initdb's `trust` ones, e.g. a role that must sign in with a password.
    if (options.hba?.length) {
      const hba = join(data, 'pg_hba.conf');
      writeFileSync(hba, `${options.hba.join('\n')}\n${readFileSync(hba, 'utf8')}`);
    }
    const settings = [
      "listen_addresses='127.0.0.1'",
      `unix_socket_directories='${socketDir}'`,
      'max_connections=200',
      ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ];
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const opts = [`-p ${port}`, ...settings.map((s) => `-c ${s}`)].join(' ');
      try {
        runPg(bin, 'pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', opts]);
        started = true;
        break;
      } catch (e) {
        // Someone else may have taken the port in between: try another one.
        if (attempt >= 3) {
          const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
          throw new Error(`${(e as Error).message}\n${tail}`);
        }
      }
    }
    const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
    const sql = async (text: string) => {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        return (await c.query(text)).rows;
      } finally {
        await c.end();
      }
    };
    return {
      host: '127.0.0.1',
      port,
      socketDir,
      url,
      sql,
      async createDatabase(name, template) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name) || (template && !/^[a-z_][a-z0-9_]*$/.test(template)))
          throw new Error(`bad database name ${name}`);
        await sql(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
        return url(name);
      },
      async stop() {
        stopNow();
        process.removeListener('exit', stopNow);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    stopNow();
    process.removeListener('exit', stopNow);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
