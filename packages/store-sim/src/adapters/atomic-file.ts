// Durable, atomic file replacement: write a temporary file in the same directory, fsync it,
// rename it over the target, fsync the directory. A reader (or a crash) sees the old file or the
// new one, never a torn one.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The suffix of temporary files; loaders skip them. */
export const TEMP_SUFFIX = '.tmp';

/** Creates a directory (and its parents) with mode 0700 when missing. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

/**
 * Atomically replaces `path` with `data` (mode `mode`, default 0644).
 *
 * @example
 * ```ts
 * await writeFileAtomic('/var/lib/certlab/LocalMachine/Root/AB….cer', pem, 0o644);
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/**
 * Removes a file and makes the removal durable; false when it did not exist.
 *
 * @example
 * ```ts
 * await removeFileDurable('/var/lib/certlab/LocalMachine/Root/AB….cer');
 * ```
 */
export async function removeFileDurable(path: string): Promise<boolean> {
  try {
    await rm(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  await syncDir(dirname(path));
  return true;
}

/**
 * Atomically replaces `path` with `data` without waiting for the disk (no fsync): for caches that
 * are checked when read and rebuilt when lost. Readers see the old file or the new one.
 *
 * @example
 * ```ts
 * await replaceFileAtomic('/var/lib/certlab/LocalMachine/My/.certlab-cache', bytes);
 * ```
 */
export async function replaceFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
