// How the Windows adapter runs commands: a real runner (powershell.exe through execFile, only
// useful on Windows) and a transcript runner that replays recorded runs and fails on the first
// command that differs from the recording, so tests pin the exact command lines.

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { StoreError } from '../errors.js';

/**
 * Options of one run.
 *
 * @example
 * ```ts
 * const o: RunOptions = { env: { [PFX_PASSWORD_ENV]: 'S3cret!' } };
 * ```
 */
export interface RunOptions {
  /** Text for the process's standard input. */
  readonly input?: string;
  /**
   * Extra environment variables for the child (added to the runner's own environment). Secrets
   * travel this way, never on the command line.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * What one run produced. A non-zero exit is a result, not a rejection.
 *
 * @example
 * ```ts
 * const r: RunResult = await runner.run('powershell.exe', ['-NoProfile', '-Command', '$true']);
 * // { stdout: 'True\r\n', stderr: '', exitCode: 0 }
 * ```
 */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Runs an executable with arguments, without a shell.
 *
 * @example
 * ```ts
 * const r = await runner.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable']);
 * ```
 */
export interface CommandRunner {
  run(exe: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

/**
 * The runner of a real Windows host: `child_process.execFile`, no shell, the adapter's
 * environment variables added to `process.env`. A missing executable is ERR_STORE_TOOL_MISSING.
 *
 * @example
 * ```ts
 * const adapter = windowsStoreAdapter({ runner: nodeRunner() }); // on Windows only
 * ```
 */
export function nodeRunner(options: { timeoutMs?: number } = {}): CommandRunner {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    run(exe, args, runOptions = {}) {
      return new Promise((resolve, reject) => {
        const child = execFile(
          exe,
          args,
          {
            encoding: 'utf8',
            maxBuffer: 256 * 1024 * 1024,
            windowsHide: true,
            timeout: timeoutMs,
            env: { ...process.env, ...runOptions.env },
          },
          (error, stdout, stderr) => {
            const err = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
            if (err && err.code === 'ENOENT') {
              reject(
                new StoreError(
                  'ERR_STORE_TOOL_MISSING',
                  `${exe} was not found: the Windows adapter needs Windows PowerShell.`,
                  {
                    cause: error,
                  },
                ),
              );
              return;
            }
            if (err && (err as { killed?: boolean }).killed === true) {
              // execFile's timeout. A cmdlet that waits for an answer on the desktop (the Security
              // Warning for a root added to CurrentUser\Root, reference §7) never returns in a
              // session with nobody to click.
              reject(
                new StoreError(
                  'ERR_STORE_IO',
                  `${exe} did not finish within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`} and was stopped. If it was adding a root certificate to CurrentUser\\Root, Windows was waiting for someone to answer its Security Warning: run it in an interactive session, or add the root to LocalMachine\\Root from an elevated PowerShell, which asks nothing.`,
                  { cause: error },
                ),
              );
              return;
            }
            if (err && typeof err.code !== 'number') {
              reject(new StoreError('ERR_STORE_IO', `Cannot run ${exe}: ${err.message}`, { cause: error }));
              return;
            }
            resolve({ stdout, stderr, exitCode: err ? (err.code as unknown as number) : 0 });
          },
        );
        child.stdin?.end(runOptions.input ?? '');
      });
    },
  };
}

/**
 * One recorded run: the command exactly as emitted, and what the tool answered.
 *
 * @example
 * ```ts
 * const step: TranscriptEntry = { exe: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script], stdout: 'True\r\n', stderr: '', exitCode: 0 };
 * ```
 */
export interface TranscriptEntry {
  readonly exe: string;
  readonly args: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** Names of the environment variables the command must receive (values are never recorded). */
  readonly env?: readonly string[];
  /** Files the tool wrote (path → Base64 content), created when the run is replayed. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * A call a {@link transcriptRunner} received.
 *
 * @example
 * ```ts
 * const [call]: readonly RecordedCall[] = runner.calls;
 * call?.env.CERTLAB_PFX_PASSWORD; // 'S3cret!'
 * ```
 */
export interface RecordedCall {
  readonly exe: string;
  readonly args: readonly string[];
  readonly input: string | undefined;
  /** The environment variables passed, values included (tests check secrets went this way). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * A {@link CommandRunner} replaying a transcript.
 *
 * @example
 * ```ts
 * const runner: TranscriptRunner = transcriptRunner(recorded);
 * await windowsStoreAdapter({ runner }).listStores('LocalMachine');
 * runner.assertDone(); // ERR_STORE_TRANSCRIPT_MISMATCH if a recorded run was never replayed
 * ```
 */
export interface TranscriptRunner extends CommandRunner {
  /** Every call received, in order. */
  readonly calls: readonly RecordedCall[];
  /** How many recorded runs have not been replayed yet. */
  remaining(): number;
  /** Throws ERR_STORE_TRANSCRIPT_MISMATCH unless every recorded run was replayed. */
  assertDone(): void;
}

function mismatch(message: string): StoreError {
  return new StoreError('ERR_STORE_TRANSCRIPT_MISMATCH', message);
}

function describeDifference(
  expected: TranscriptEntry,
  exe: string,
  args: readonly string[],
): string | undefined {
  if (expected.exe !== exe)
    return `the executable is ${JSON.stringify(exe)}, the transcript has ${JSON.stringify(expected.exe)}`;
  const n = Math.max(expected.args.length, args.length);
  for (let i = 0; i < n; i++) {
    if (expected.args[i] !== args[i])
      return `argument ${i} is ${JSON.stringify(args[i] ?? null)}, the transcript has ${JSON.stringify(expected.args[i] ?? null)}`;
  }
  return undefined;
}

/**
 * Replays `transcript` in order. Each call must emit exactly the recorded executable and
 * arguments (and receive the recorded environment variable names); otherwise, or past the end
 * of the transcript, it rejects with ERR_STORE_TRANSCRIPT_MISMATCH naming the first difference.
 *
 * @example
 * ```ts
 * const runner = transcriptRunner([{ exe: 'powershell.exe', args: recordedArgs, stdout: '[]', stderr: '', exitCode: 0 }]);
 * await windowsStoreAdapter({ runner }).listCertificates({ location: 'LocalMachine', store: 'Root' });
 * runner.assertDone();
 * ```
 */
export function transcriptRunner(transcript: readonly TranscriptEntry[]): TranscriptRunner {
  const calls: RecordedCall[] = [];
  let next = 0;
  return {
    calls,
    remaining: () => transcript.length - next,
    assertDone() {
      if (next < transcript.length)
        throw mismatch(
          `${transcript.length - next} recorded command(s) were never run; the next one is ${transcript[next]!.exe} ${transcript[next]!.args.join(' ')}`,
        );
    },
    async run(exe, args, options = {}) {
      calls.push({ exe, args: [...args], input: options.input, env: { ...options.env } });
      const expected = transcript[next];
      if (expected === undefined)
        throw mismatch(
          `Command ${calls.length} was not recorded (the transcript has ${transcript.length}): ${exe} ${args.join(' ')}`,
        );
      const diff = describeDifference(expected, exe, args);
      if (diff !== undefined) throw mismatch(`Command ${next + 1} differs from the transcript: ${diff}.`);
      for (const name of expected.env ?? []) {
        if (options.env?.[name] === undefined)
          throw mismatch(`Command ${next + 1} should receive the environment variable ${name}.`);
      }
      next++;
      for (const [path, base64] of Object.entries(expected.files ?? {}))
        await writeFile(path, Buffer.from(base64, 'base64'));
      return { stdout: expected.stdout, stderr: expected.stderr, exitCode: expected.exitCode };
    },
  };
}
