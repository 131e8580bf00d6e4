// Turns any error into the one-line `certlab: …` message and an exit code. Nothing here prints
// a stack trace (unless CERTLAB_DEBUG is set) or a password: known secrets are masked out of
// every message as a last line of defence.

import type { CaError, CaErrorCode } from '@certlab/ca-sim';
import type { LabError, LabErrorCode } from '@certlab/lab';
import type { PkiError, PkiErrorCode } from '@certlab/pki';
import type { StoreError, StoreErrorCode } from '@certlab/store-sim';
import { CliError, EXIT, type ExitCode } from './cli-error.js';

/** Library codes that mean "the operation could not be done" rather than "your input is bad". */
const OPERATION_FAILURES: ReadonlySet<PkiErrorCode> = new Set<PkiErrorCode>([
  'ERR_PKI_CRYPTO_UNAVAILABLE',
  'ERR_PKI_SIGNATURE_INVALID',
]);

/** CA codes that mean "what you asked for is not valid" (exit 2); every other CaError is exit 1. */
const CA_USAGE_ERRORS: ReadonlySet<CaErrorCode> = new Set<CaErrorCode>([
  'ERR_CA_OPTIONS_INVALID',
  'ERR_CA_TEMPLATE_INVALID',
  'ERR_CA_USERS_INVALID',
  // The key passphrase is missing or wrong: an input the user gives again.
  'ERR_CA_KEY_LOCKED',
  'ERR_CA_KEY_PASSPHRASE',
]);

/** Lab codes that mean "what you asked for is not valid" (exit 2); every other LabError is exit 1. */
const LAB_USAGE_ERRORS: ReadonlySet<LabErrorCode> = new Set<LabErrorCode>([
  'ERR_LAB_NOT_FOUND',
  'ERR_LAB_EXISTS',
  'ERR_LAB_CONFIG_INVALID',
  'ERR_LAB_SCENARIO_UNKNOWN',
  'ERR_LAB_OPTION_INVALID',
]);

/** Store codes that mean "what you gave is not valid" (exit 2); other StoreErrors are exit 1. @example `STORE_USAGE_CODES.has('ERR_STORE_NAME_INVALID')` // true */
export const STORE_USAGE_CODES: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>([
  'ERR_STORE_LOCATION_UNKNOWN',
  'ERR_STORE_NAME_INVALID',
  'ERR_STORE_THUMBPRINT_INVALID',
  'ERR_STORE_IMPORT_INVALID',
  'ERR_STORE_IMPORT_UNSUPPORTED',
  'ERR_STORE_IMPORT_EMPTY',
  'ERR_STORE_PASSWORD_REQUIRED',
  'ERR_STORE_EXPORT_INVALID',
]);

/**
 * An error of one of certlab's packages (or of a subclass, such as ca-sim's SanAttributeError),
 * told by its class name and code prefix rather than by `instanceof` (the packages' `isPkiError`,
 * `isCaError`…): this module is loaded by every command, `certlab --version` included, and
 * importing the four packages to compare classes cost ~0.25 s before any command ran. A package
 * that is not loaded threw nothing.
 */
function isPackageError<E extends Error & { readonly code: string }>(
  e: unknown,
  className: string,
  prefix: string,
): e is E {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith(prefix)) return false;
  // Up the class chain: a subclass (SanAttributeError) has its package's class as a parent.
  for (let c: unknown = e.constructor; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c))
    if (c.name === className) return true;
  return false;
}

/** The text and exit code for an error. */
export interface ErrorReport {
  readonly exitCode: ExitCode;
  /** Lines to print on stderr, the first one starting with `certlab: `. */
  readonly lines: string[];
}

/**
 * Maps an error to what the user sees: CliError keeps its code; PkiError is exit 2 (invalid
 * input) with its code in brackets, except crypto availability and signature failures (exit 1);
 * CaError (from `certlab ca`) is exit 1 with its code (an unknown request, a request in the wrong
 * state, another CA in the database), exit 2 for invalid options; LabError (from `certlab lab`)
 * likewise, exit 2 for a missing or existing lab and invalid options, its message in `lang` (the
 * lab's language, for a lab command) when it has one; a file-system error from Node (EACCES,
 * EEXIST, …) is told as a sentence naming the path and what certlab tried to do, with its code in
 * brackets, exit 2 when reading an input and exit 1 otherwise (see {@link describeSystemError});
 * anything else is an unexpected failure (exit 1).
 *
 * @example
 * ```ts
 * describeError(new PkiError('ERR_PKI_PEM_INVALID', 'No PEM block.'), new Set());
 * // { exitCode: 2, lines: ['certlab: No PEM block. [ERR_PKI_PEM_INVALID]'] }
 * ```
 */
export function describeError(
  e: unknown,
  secrets: ReadonlySet<string>,
  debug = false,
  lang?: 'en' | 'fr',
): ErrorReport {
  let exitCode: ExitCode;
  const lines: string[] = [];
  if (e instanceof CliError) {
    exitCode = e.exitCode;
    lines.push(`certlab: ${e.message}`);
    if (e.hint) lines.push(e.hint);
  } else if (isPackageError<PkiError>(e, 'PkiError', 'ERR_PKI_')) {
    exitCode = OPERATION_FAILURES.has(e.code) ? EXIT.failed : EXIT.usage;
    lines.push(`certlab: ${e.message} [${e.code}]`);
  } else if (isPackageError<CaError>(e, 'CaError', 'ERR_CA_')) {
    exitCode = CA_USAGE_ERRORS.has(e.code) ? EXIT.usage : EXIT.failed;
    lines.push(`certlab: ${e.message} [${e.code}]`);
  } else if (isPackageError<LabError>(e, 'LabError', 'ERR_LAB_')) {
    exitCode = LAB_USAGE_ERRORS.has(e.code) ? EXIT.usage : EXIT.failed;
    lines.push(`certlab: ${lang ? e.messageIn(lang) : e.message} [${e.code}]`);
  } else if (isPackageError<StoreError>(e, 'StoreError', 'ERR_STORE_')) {
    // Most store calls go through storeCall; one that does not (a key read for store show, a
    // trust installer) still gets its code and exit status, not the unexpected-failure path.
    exitCode = STORE_USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.failed;
    lines.push(`certlab: ${e.message} [${e.code}]`);
  } else if (isSystemError(e)) {
    const told = describeSystemError(e);
    exitCode = told.exitCode;
    lines.push(`certlab: ${told.sentence} [${e.code}]`);
  } else {
    exitCode = EXIT.failed;
    const msg = e instanceof Error ? e.message : String(e);
    lines.push(`certlab: ${msg}`);
  }
  if (debug && e instanceof Error && e.stack) lines.push(e.stack);
  const masked = lines.map((l) => mask(l, secrets));
  // Stars in the middle of a sentence ("The ******** is wrong" for the password "password") read
  // as if the message showed the password: say what they stand for.
  if (masked.some((l, i) => l !== lines[i]))
    masked.push('certlab: (******** stands for text equal to a password given to this command, hidden.)');
  return { exitCode, lines: masked };
}

/**
 * Masks each known password where it stands as a whole token (not inside a longer run of
 * letters and digits), as the last line of defence: no message is written to contain one. A
 * password of one or two characters is not masked: replacing every "e" would break the message
 * and, by the pattern of stars, show the password anyway.
 */
function mask(line: string, secrets: ReadonlySet<string>): string {
  let out = line;
  for (const s of secrets) {
    if (s.length < 3) continue;
    const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The word-boundary guards only apply on a side where the password itself starts or ends
    // with a letter or digit: "!secret" is masked in "x!secret".
    const before = /^[\p{L}\p{N}]/u.test(s) ? '(?<![\\p{L}\\p{N}])' : '';
    const after = /[\p{L}\p{N}]$/u.test(s) ? '(?![\\p{L}\\p{N}])' : '';
    out = out.replace(new RegExp(`${before}${escaped}${after}`, 'gu'), '********');
  }
  return out;
}

/** A Node file-system error: `EACCES: permission denied, mkdir '/x'` with its properties. */
interface SystemError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path?: string;
  readonly dest?: string;
}

/** System calls that read: failing one means an input cannot be read (exit 2). */
const READ_CALLS: ReadonlySet<string> = new Set([
  'read',
  'readv',
  'pread',
  'scandir',
  'opendir',
  'readdir',
  'readlink',
  'realpath',
  'stat',
  'lstat',
  'fstat',
  'statfs',
]);

/** System calls that create a folder. */
const MKDIR_CALLS: ReadonlySet<string> = new Set(['mkdir', 'mkdtemp']);

/** System calls that change the file system: failing one means an output could not be written (exit 1). */
const WRITE_CALLS: ReadonlySet<string> = new Set([
  'write',
  'writev',
  'pwrite',
  'rename',
  'copyfile',
  'cp',
  'link',
  'symlink',
  'unlink',
  'rmdir',
  'rm',
  'chmod',
  'fchmod',
  'lchmod',
  'chown',
  'fchown',
  'lchown',
  'utime',
  'futime',
  'lutime',
  'ftruncate',
  'fsync',
  'fdatasync',
  'close',
]);

/**
 * True for an error from a Node file-system call: a code such as `EACCES` and the system call
 * that failed. Network (`connect`, `getaddrinfo`), process and Node argument errors
 * (`ERR_INVALID_ARG_TYPE`, no system call) are not.
 */
function isSystemError(e: unknown): e is SystemError {
  if (!(e instanceof Error)) return false;
  const { code, syscall, path } = e as Partial<SystemError>;
  return (
    typeof code === 'string' &&
    /^E[A-Z0-9]+$/.test(code) &&
    typeof syscall === 'string' &&
    (path === undefined || typeof path === 'string') &&
    (READ_CALLS.has(syscall) ||
      MKDIR_CALLS.has(syscall) ||
      WRITE_CALLS.has(syscall) ||
      syscall === 'open' ||
      syscall === 'access')
  );
}

/**
 * One sentence for a file-system error, naming the path and what certlab was doing, and its exit
 * code: reading an input that cannot be read is exit 2 (docs/cli.md, "Exit codes"); a folder that
 * could not be created, a file that could not be written, or a call that may have been either
 * (`open`, `access`) is exit 1, as is running out of file descriptors.
 *
 * @example
 * ```ts
 * describeSystemError(Object.assign(new Error("EEXIST: file already exists, mkdir '/x/o.cer'"),
 *   { code: 'EEXIST', syscall: 'mkdir', path: '/x/o.cer' }));
 * // { exitCode: 1, sentence: 'Cannot create the folder /x/o.cer: a file with that name is in the way.' }
 * ```
 */
function describeSystemError(e: SystemError): { exitCode: ExitCode; sentence: string } {
  const { code, syscall, path, dest } = e;
  const kind = READ_CALLS.has(syscall)
    ? 'read'
    : MKDIR_CALLS.has(syscall)
      ? 'mkdir'
      : WRITE_CALLS.has(syscall) || code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT'
        ? 'write'
        : // `open` on a folder fails with EISDIR only when opening it for writing.
          code === 'EISDIR' && syscall === 'open'
          ? 'write'
          : 'open';
  const exitCode = kind === 'read' && code !== 'EMFILE' && code !== 'ENFILE' ? EXIT.usage : EXIT.failed;
  const target = dest ?? path ?? 'a file';
  if (code === 'ENOSPC') return { exitCode, sentence: `The disk is full while writing ${target}.` };
  if (code === 'EDQUOT') return { exitCode, sentence: `The disk quota is used up while writing ${target}.` };
  const action =
    path !== undefined && dest !== undefined
      ? `Cannot ${syscall === 'rename' ? 'move' : syscall === 'copyfile' || syscall === 'cp' ? 'copy' : 'link'} ${path} to ${dest}`
      : kind === 'mkdir'
        ? `Cannot create the folder ${target}`
        : kind === 'read'
          ? `Cannot read ${target}`
          : kind === 'write'
            ? `Cannot write ${target}`
            : `Cannot open ${target}`;
  return { exitCode, sentence: `${action}: ${systemReason(e, kind, path !== undefined)}.` };
}

/** Why a file-system call failed, in words, without Node's `CODE: ` prefix. */
function systemReason(e: SystemError, kind: 'read' | 'mkdir' | 'write' | 'open', hasPath: boolean): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return kind === 'mkdir'
        ? 'permission denied (check the owner and mode of the folder it goes in)'
        : 'permission denied (check the owner and mode of the file and its folder)';
    case 'EEXIST':
      return kind === 'mkdir' ? 'a file with that name is in the way' : 'it already exists';
    case 'ENOTDIR':
      return kind === 'mkdir'
        ? 'a file is in the way (one of the folders on that path is a file)'
        : kind === 'read' && (e.syscall === 'scandir' || e.syscall === 'opendir' || e.syscall === 'readdir')
          ? 'it, or one of the folders on its path, is a file, not a folder'
          : 'one of the folders on that path is a file';
    case 'EISDIR':
      return hasPath ? 'it is a folder, not a file' : 'a folder was given where a file is expected';
    case 'ENOENT':
      return kind === 'mkdir' ? 'the folder it goes in does not exist' : 'no such file or folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open (close other programs, or raise the limit with ulimit -n)';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links (a link may point to itself)';
    default: {
      // Node's own description: "EIO: i/o error, write '/x'" gives "i/o error".
      const m = /^[A-Z0-9]+: (.*?), [a-z]+(?: '.*')?$/s.exec(e.message);
      return m?.[1] ?? 'the operation failed';
    }
  }
}
