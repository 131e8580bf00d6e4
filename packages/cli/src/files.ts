// Reading inputs and writing outputs with the CLI's rules: paths relative to the caller's cwd,
// `-` for stdin/stdout, no silent overwrite (--force), private keys created with mode 0600.

import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CliError, EXIT, failure } from './cli-error.js';
import type { ResolvedIo } from './io.js';

/** `-` as a file name means stdin (for inputs) or stdout (for outputs). */
export const STDIO = '-';

/** The absolute path of a user-given path, relative to the command's cwd. @example `resolvePath(io, 'ca.cer')` */
export function resolvePath(io: ResolvedIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/**
 * Reads a whole input file (or stdin for `-`). A missing or unreadable file is exit 2: the
 * input cannot be read.
 *
 * @example
 * ```ts
 * const bytes = await readInput(io, 'request.csr');
 * ```
 */
export async function readInput(io: ResolvedIo, path: string): Promise<Uint8Array> {
  if (path === STDIO) {
    if (!io.stdin) throw new CliError(EXIT.usage, 'no standard input to read from.');
    const chunks: Uint8Array[] = [];
    for await (const c of io.stdin)
      chunks.push(typeof c === 'string' ? new TextEncoder().encode(c) : (c as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  }
  try {
    return new Uint8Array(await readFile(resolvePath(io, path)));
  } catch (e) {
    throw new CliError(EXIT.usage, `cannot read ${path}: ${systemReason(e)}.`);
  }
}

/**
 * Fails early (exit 1) when an output file exists and `force` is not set, or when its folder
 * does not exist or cannot take a new file, so that no work is done (an RSA key generated, a
 * request submitted to the CA, a CRL published) before the final write is refused.
 *
 * @example
 * ```ts
 * await ensureWritable(io, 'server.key', false);
 * ```
 */
export async function ensureWritable(io: ResolvedIo, path: string, force: boolean): Promise<void> {
  if (path === STDIO) return;
  const full = resolvePath(io, path);
  const present = await stat(full).then(
    () => true,
    () => false,
  );
  if (present && !force) throw exists(path);
  try {
    if (present) {
      // --force over an existing file: opening it for writing needs the file writable, not
      // its folder.
      await access(full, constants.W_OK);
      return;
    }
    const folder = dirname(full);
    if (!(await stat(folder)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await access(folder, constants.W_OK);
  } catch (e) {
    throw failure(`cannot write ${path}: ${systemReason(e)}.`);
  }
}

function exists(path: string): CliError {
  return failure(`${path} already exists.`, 'Use --force to overwrite it.');
}

/**
 * Writes an output file, or stdout for `-`. Without `force` the file is created exclusively
 * (an existing file is exit 1, even if it appeared since {@link ensureWritable}). With
 * `secret`, the file has mode 0600, also when it is overwritten: the mode is set before the
 * key is written, so the key is never readable by others even for an instant.
 *
 * @example
 * ```ts
 * await writeOutput(io, 'server.key', pem, { force: false, secret: true });
 * ```
 */
export async function writeOutput(
  io: ResolvedIo,
  path: string,
  data: string | Uint8Array,
  options: { force: boolean; secret?: boolean },
): Promise<void> {
  if (path === STDIO) {
    io.stdout.write(data);
    return;
  }
  const mode = options.secret ? 0o600 : 0o644;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(resolvePath(io, path), options.force ? 'w' : 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists(path);
    throw failure(`cannot write ${path}: ${systemReason(e)}.`);
  }
  try {
    // `mode` applies only when the file is created; an overwritten key file keeps its old
    // mode unless we set it.
    if (options.secret) await handle.chmod(0o600);
    await handle.writeFile(data);
  } catch (e) {
    throw failure(`cannot write ${path}: ${systemReason(e)}.`);
  } finally {
    await handle.close();
  }
}

/** True when a file exists. @example `await fileExists(io, 'root-ca.cer')` */
export async function fileExists(io: ResolvedIo, path: string): Promise<boolean> {
  try {
    await stat(resolvePath(io, path));
    return true;
  } catch {
    return false;
  }
}

function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
