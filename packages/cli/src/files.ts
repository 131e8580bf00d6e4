// Reading inputs and writing outputs with the CLI's rules: paths relative to the caller's cwd,
// `-` for stdin/stdout, no silent overwrite (--force), private keys created with mode 0600.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, type FileHandle, lstat, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CliError, EXIT, failure } from './cli-error.js';
import type { ResolvedIo } from './io.js';

/** `-` as a file name means stdin (for inputs) or stdout (for outputs). */
export const STDIO = '-';

/** The absolute path of a user-given path, relative to the command's cwd. @example `resolvePath(io, 'ca.cer')` */
export function resolvePath(io: ResolvedIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/**
 * The most certlab reads from one input. The largest PKI files in use are the CRLs of big public
 * CAs, tens of megabytes; without a bound, a device such as /dev/zero (or a runaway pipe) is read
 * until memory runs out.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * Reads a whole input file (or stdin for `-`). A missing or unreadable file, or one larger than
 * {@link MAX_INPUT_BYTES}, is exit 2: the input cannot be read. Text saved as UTF-16 with a byte
 * order mark (PowerShell 5's `>` and `Out-File`, Notepad's "Unicode") is handed on as UTF-8, so
 * that every command reads it, not only those that detect the format: no DER file starts with
 * FF FE or FE FF.
 *
 * @example
 * ```ts
 * const bytes = await readInput(io, 'request.csr');
 * ```
 */
export async function readInput(io: ResolvedIo, path: string): Promise<Uint8Array> {
  return fromUtf16(await readBounded(io, path));
}

async function readBounded(io: ResolvedIo, path: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new CliError(
      EXIT.usage,
      `${path === STDIO ? 'stdin' : path} is larger than ${MAX_INPUT_BYTES / 2 ** 20} MB, more than certlab reads from one file.`,
    );
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (c: Uint8Array) => {
    total += c.length;
    if (total > MAX_INPUT_BYTES) throw tooLarge();
    chunks.push(c);
  };
  if (path === STDIO) {
    if (!io.stdin) throw new CliError(EXIT.usage, 'no standard input to read from.');
    for await (const c of io.stdin)
      take(typeof c === 'string' ? new TextEncoder().encode(c) : (c as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  }
  let file: FileHandle;
  try {
    file = await open(resolvePath(io, path), 'r');
  } catch (e) {
    throw new CliError(EXIT.usage, `cannot read ${path}: ${systemReason(e)}.`);
  }
  try {
    // Chunks rather than readFile: a character device or FIFO has no size to check up front.
    const buffer = new Uint8Array(1024 * 1024);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      take(buffer.slice(0, bytesRead));
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(EXIT.usage, `cannot read ${path}: ${systemReason(e)}.`);
  } finally {
    await file.close();
  }
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
}

/** UTF-16 text with a byte order mark, as UTF-8 (without the mark); any other bytes unchanged. */
function fromUtf16(bytes: Uint8Array): Uint8Array {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!le && !(bytes[0] === 0xfe && bytes[1] === 0xff)) return bytes;
  const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
  return new TextEncoder().encode(text);
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
 * `secret` (a private key, a .pfx), the file has mode 0600 from its creation; with `force` too,
 * an existing file is replaced, never rewritten: see {@link replaceSecret}.
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
  if (options.secret && options.force) return replaceSecret(path, resolvePath(io, path), data);
  const mode = options.secret ? 0o600 : 0o644;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // 'wx' (O_EXCL) also refuses a symbolic link at the path, dangling or not: a secret is
    // never written through one.
    handle = await open(resolvePath(io, path), options.force ? 'w' : 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists(path);
    throw failure(`cannot write ${path}: ${systemReason(e)}.`);
  }
  try {
    // The mode given to open() is reduced by the umask; a key's must not depend on it.
    if (options.secret) await handle.chmod(0o600);
    await handle.writeFile(data);
  } catch (e) {
    throw failure(`cannot write ${path}: ${systemReason(e)}.`);
  } finally {
    await handle.close();
  }
}

/**
 * --force over a secret output: the secret goes into a new file (random name in the same
 * folder, exclusive create, mode 0600) renamed over the target. Truncating the old file instead
 * would hand the new key to any process that opened it while it was readable (an old 0644
 * file), and would write through a symbolic link planted at the target. A symbolic link there
 * is refused rather than replaced: it is usually deliberate (server.key pointing into a
 * certificate manager's folder), and replacing it would silently detach the file a service
 * reads, while following it writes a key wherever the link points; the user decides.
 */
async function replaceSecret(path: string, full: string, data: string | Uint8Array): Promise<void> {
  const cannot = (e: unknown) => failure(`cannot write ${path}: ${systemReason(e)}.`);
  const target = await lstat(full).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw cannot(e);
  });
  if (target?.isSymbolicLink())
    throw failure(
      `${path} is a symbolic link, and certlab does not write a secret through one nor replace it.`,
      'Give the path of the file it points to, or remove the link.',
    );
  if (target?.isDirectory()) throw cannot(Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  const tmp = join(dirname(full), `.${basename(full)}.${randomBytes(8).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'wx', 0o600);
  } catch (e) {
    throw cannot(e);
  }
  try {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename() replaces the directory entry: a link at the path (if one appeared since the
    // check) is replaced, not followed, and readers of the old file keep the old content.
    await rename(tmp, full);
  } catch (e) {
    await rm(tmp, { force: true });
    throw cannot(e);
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
