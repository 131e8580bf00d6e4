// A pristine PGlite cluster (what PGlite's initdb makes, before any certlab table) kept in a
// per-user cache, so that a new database is unpacked from it instead of running initdb again.
// Measured on the 2-core machine (PGlite 0.5.17, V8 Liftoff): initdb 4.3–4.8 s, unpacking the
// 4.5 MB gzip dump 1.5 s; a certlab CA database is created once per `ca init`, `serve`'s first
// start, lab and test run. The dump is PGlite's own (`dumpDataDir`, read back with its
// `loadDataDir` option), one file per PGlite version. Not exported from the package.
//
// The cache is trusted as the database itself is: a cluster unpacked from it runs its functions
// and triggers next to the CA keys. So it is used only when it is private to the user (a
// directory and file of this user, not writable by group or others, no symbolic link), and its
// SHA-256 is checked; anything else is left alone and initdb runs.

import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const DIGEST_BYTES = 32;
const BLOCK = 512;
const latin1 = new TextDecoder('latin1');

/**
 * The tar archive without its top-level entries named in `drop`, or undefined when it is not a
 * tar archive as PGlite's dumpDataDir writes them (ustar headers, entry names like `/PG_VERSION`).
 * The dump of a directory database holds certlab's lock file (`/certlab.lock`, with the pid of the
 * process that made it): a database unpacked with it would be locked by that process.
 */
function tarWithout(tar: Uint8Array, drop: ReadonlySet<string>): Uint8Array | undefined {
  const kept: Uint8Array[] = [];
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length);
    const end = field.indexOf(0);
    return latin1.decode(end < 0 ? field : field.subarray(0, end));
  };
  let at = 0;
  for (;;) {
    if (at + BLOCK > tar.length) return undefined;
    const header = tar.subarray(at, at + BLOCK);
    // Two zero blocks end the archive (the first one is enough to stop reading).
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) return undefined;
    const entry = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (at + entry > tar.length) return undefined;
    const prefix = text(at + 345, 155);
    const name = prefix ? `${prefix}/${text(at, 100)}` : text(at, 100);
    if (!drop.has(name.replace(/^\.?\/+/, ''))) kept.push(tar.subarray(at, at + entry));
    at += entry;
  }
  kept.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(kept);
}

/**
 * The default cache directory: `$CERTLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/certlab`, else
 * `~/.cache/certlab`.
 *
 * @example
 * ```ts
 * defaultClusterCache(); // '/home/me/.cache/certlab'
 * ```
 */
export function defaultClusterCache(): string {
  // The XDG Base Directory specification ignores a relative path; so does certlab, for both.
  const own = process.env.CERTLAB_CACHE_DIR;
  if (own !== undefined && isAbsolute(own)) return own;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'certlab');
}

let version: Promise<string | undefined> | undefined;

/**
 * PGlite's version, from its package.json; undefined when it cannot be read (no cache then).
 * Read once per process: the first new database reads the cache, then fills it.
 */
function pgliteVersion(): Promise<string | undefined> {
  version ??= readPgliteVersion();
  return version;
}

async function readPgliteVersion(): Promise<string | undefined> {
  try {
    // The package's main file is in dist/; its package.json is not in its exports map.
    const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const pkg = JSON.parse(await readFile(join(dirname(main), '..', 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    return pkg.name === '@electric-sql/pglite' &&
      typeof pkg.version === 'string' &&
      /^[\w.+-]+$/.test(pkg.version)
      ? pkg.version
      : undefined;
  } catch {
    return undefined;
  }
}

async function templatePath(dir: string): Promise<string | undefined> {
  const v = await pgliteVersion();
  return v === undefined ? undefined : join(dir, `pglite-${v}-cluster.tar.gz`);
}

/** True when `path` is this user's own, not a symbolic link, and not writable by anyone else. */
async function isPrivate(path: string, kind: 'file' | 'directory'): Promise<boolean> {
  const s = await lstat(path).catch(() => undefined);
  if (!s || (kind === 'file' ? !s.isFile() : !s.isDirectory())) return false;
  if (process.platform === 'win32') return true;
  return s.uid === process.getuid?.() && (s.mode & 0o022) === 0;
}

/**
 * The cached cluster dump for this PGlite version, or undefined (none, not private, damaged).
 *
 * @example
 * ```ts
 * const dump = await readClusterTemplate(defaultClusterCache());
 * ```
 */
export async function readClusterTemplate(dir: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const path = await templatePath(dir);
  if (path === undefined || !(await isPrivate(dir, 'directory')) || !(await isPrivate(path, 'file')))
    return undefined;
  const bytes = new Uint8Array(await readFile(path).catch(() => new Uint8Array()));
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const body = bytes.subarray(DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  return digest.equals(bytes.subarray(0, DIGEST_BYTES)) ? body : undefined;
}

/**
 * Stores a cluster dump for this PGlite version (SHA-256, then the gzip of the tar without the
 * entries named in `drop`), atomically, mode 0600 in a 0700 directory. Best effort: a cache that
 * cannot be written is no error, and `dump` is called only when the directory is private
 * (dumping takes most of a second).
 *
 * @example
 * ```ts
 * await writeClusterTemplate(defaultClusterCache(), async () => new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()), new Set(['certlab.lock']));
 * ```
 */
export async function writeClusterTemplate(
  dir: string,
  dump: () => Promise<Uint8Array>,
  drop: ReadonlySet<string>,
): Promise<void> {
  const path = await templatePath(dir);
  if (path === undefined) return;
  const tmp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!(await isPrivate(dir, 'directory'))) return;
    const tar = tarWithout(await dump(), drop);
    if (tar === undefined) return;
    const body = await promisify(gzip)(tar);
    const digest = createHash('sha256').update(body).digest();
    await writeFile(tmp, Buffer.concat([digest, body]), { mode: 0o600, flag: 'wx' });
    // Two processes filling the cache at once each rename a whole file: the last one stays.
    await rename(tmp, path);
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
