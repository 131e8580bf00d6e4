// Errors the CLI raises itself, each carrying the exit code it maps to. Library errors
// (PkiError) are mapped in report-error.ts; these cover what only the CLI knows about:
// bad arguments, existing output files, a check the user asked for that failed.

/**
 * Exit codes, documented in `certlab --help` and docs/cli.md.
 *
 * @example
 * ```ts
 * const code = await run(['cert', 'show', 'missing.cer'], { stdout, stderr });
 * code === EXIT.usage; // true: an input that cannot be read
 * ```
 */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation failed: a signature did not verify when asked to check, an output file exists, a write failed. */
  failed: 1,
  /** Usage error, or input that cannot be read or is not valid (a PkiError from parsing). */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error the CLI reports as `certlab: <message>` with a given exit code. `hint` is a second
 * line such as "Run 'certlab csr new --help' for the options.".
 *
 * @example
 * ```ts
 * throw new CliError(EXIT.usage, '--out is required.', "Run 'certlab key new --help'.");
 * ```
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(exitCode: ExitCode, message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/**
 * A usage error (exit 2) pointing at the help of `command`.
 *
 * @example
 * ```ts
 * throw usageError('--out is required.', 'key new');
 * // certlab: --out is required.
 * // Run 'certlab key new --help' for usage.
 * ```
 */
export function usageError(message: string, command?: string): CliError {
  return new CliError(
    EXIT.usage,
    message,
    command ? `Run 'certlab ${command} --help' for usage.` : GENERAL_HELP_HINT,
  );
}

/** The hint of a usage error that names no command. @example `e.hint === GENERAL_HELP_HINT` */
export const GENERAL_HELP_HINT = "Run 'certlab --help' for usage.";

/**
 * An operation failure (exit 1).
 *
 * @example
 * ```ts
 * throw failure('The signature does not verify.');
 * ```
 */
export function failure(message: string, hint?: string): CliError {
  return new CliError(EXIT.failed, message, hint);
}
