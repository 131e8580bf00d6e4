// The streams and process facts a command may use. Commands never touch `process` directly so
// that tests can run them in-process with captured output, a temporary cwd and a fake TTY.

/**
 * Something text or bytes can be written to: a Node stream, or a test's capture object.
 *
 * @example
 * ```ts
 * let text = '';
 * const capture: OutputStream = { write: (chunk) => (text += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)) };
 * ```
 */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
}

/**
 * What {@link run} may be given instead of the real process. Every field is optional except the
 * two outputs.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: '/tmp/lab', isTTY: false };
 * await run(['cert', 'show', 'ca.cer'], io); // relative paths are read from /tmp/lab
 * ```
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read by `-` file arguments and by password prompts. */
  stdin?: NodeJS.ReadableStream;
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
  /** Environment variables; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Whether stdout is an interactive terminal: only then does certlab prompt. Default false. */
  isTTY?: boolean;
  /** Stops long-running commands (`serve`) as SIGINT/SIGTERM do for the real process. */
  signal?: AbortSignal;
}

/** {@link CliIo} with every default filled in. */
export interface ResolvedIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadableStream | undefined;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly isTTY: boolean;
  /** Aborted when a long-running command must stop (SIGINT/SIGTERM for the real process). */
  readonly signal: AbortSignal | undefined;
}

/**
 * Fills in defaults: without `io`, the real process streams; with a partial `io`, the process
 * cwd and environment but no TTY, so that tests never block on a prompt.
 *
 * @example
 * ```ts
 * const io = resolveIo({ stdout: capture, stderr: capture, cwd: tmp });
 * io.isTTY; // false
 * ```
 */
export function resolveIo(io?: CliIo): ResolvedIo {
  if (!io) {
    return {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      cwd: process.cwd(),
      env: process.env,
      isTTY: process.stdout.isTTY === true,
      signal: undefined,
    };
  }
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    isTTY: io.isTTY === true,
    signal: io.signal,
  };
}
