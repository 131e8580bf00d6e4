/**
 * certlab: the command line over @certlab/pki. `run` executes one command line in-process and
 * returns its exit code, so tests (and other programs) can drive the CLI without spawning it.
 *
 * @example
 * ```ts
 * import { run } from 'certlab';
 * const code = await run(['cert', 'show', 'ca.cer', '--format', 'json'], { stdout, stderr });
 * ```
 * @packageDocumentation
 */

import { parseCommandArgs } from './args.js';
import { CliError, EXIT, GENERAL_HELP_HINT, usageError } from './cli-error.js';
import type { CommandContext } from './command.js';
import { commandHelp, helpFor, mainHelp, nounHelp } from './help.js';
import { type CliIo, resolveIo } from './io.js';
import { writeLines } from './output.js';
import { type CommandEntry, NOUNS, STANDALONE, verbOf } from './registry.js';
import { describeError } from './report-error.js';
import { cliVersion } from './version.js';

export { EXIT } from './cli-error.js';
export type { CliIo, OutputStream } from './io.js';

const HELP_FLAGS = new Set(['--help', '-h']);
const VERSION_FLAGS = new Set(['--version', '-V']);

/** True when a help flag appears before `--` (after it, `--help` is a value, not a flag). */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (HELP_FLAGS.has(a)) return true;
  }
  return false;
}

async function dispatch(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const out = ctx.io.stdout;
  const [first, second] = argv;
  if (first === undefined) {
    ctx.io.stderr.write(mainHelp(await cliVersion()));
    throw usageError('a command is required.');
  }
  if (VERSION_FLAGS.has(first) || first === 'version') {
    out.write(`certlab ${await cliVersion()}\n`);
    return EXIT.ok;
  }
  if (HELP_FLAGS.has(first)) {
    out.write(mainHelp(await cliVersion()));
    return EXIT.ok;
  }
  if (first === 'help') {
    const words = argv.slice(1).filter((w) => !HELP_FLAGS.has(w));
    const text = await helpFor(words, await cliVersion());
    if (text === undefined) throw usageError(`no help for '${words.join(' ')}': there is no such command.`);
    out.write(text);
    return EXIT.ok;
  }
  let entry: CommandEntry | undefined = STANDALONE.find((c) => c.name === first);
  let rest = argv.slice(1);
  if (!entry) {
    const noun = NOUNS.find((n) => n.name === first);
    if (!noun) throw usageError(`unknown command '${first}'.`);
    if (second === undefined || second.startsWith('-')) {
      if (second !== undefined && HELP_FLAGS.has(second)) {
        out.write(nounHelp(noun));
        return EXIT.ok;
      }
      ctx.io.stderr.write(nounHelp(noun));
      throw usageError(
        `'certlab ${noun.name}' needs a verb: ${noun.verbs.map(verbOf).join(' or ')}.`,
        noun.name,
      );
    }
    entry = noun.verbs.find((c) => verbOf(c) === second);
    if (!entry)
      throw usageError(
        `unknown command '${noun.name} ${second}': use ${noun.verbs.map((c) => `'${c.name}'`).join(' or ')}.`,
        noun.name,
      );
    rest = argv.slice(2);
  }
  const command = await entry.load();
  if (wantsHelp(rest)) {
    out.write(commandHelp(command));
    return EXIT.ok;
  }
  const args = parseCommandArgs(command, rest);
  // Secrets given on the command line are masked from every message from the start, not only
  // once the command reads them: an error found first (a bad --directory value holding the same
  // text) would otherwise print it.
  for (const name of COMMAND_LINE_SECRETS) {
    const v = args.values[name];
    if (typeof v === 'string' && v !== '') ctx.secrets.add(v);
  }
  try {
    return await command.run(ctx, args);
  } catch (e) {
    // A usage error raised where the command is not known (a shared option reader) points at
    // the general help; within a command, its own help is the one to read.
    if (e instanceof CliError && e.hint === GENERAL_HELP_HINT)
      throw new CliError(e.exitCode, e.message, `Run 'certlab ${command.name} --help' for usage.`);
    throw e;
  }
}

/** The options whose value is a secret (a password or passphrase given on the command line). */
const COMMAND_LINE_SECRETS = ['password', 'pfx-password', 'key-password', 'storepass', 'challenge-password'];

/**
 * Runs one certlab command line and resolves to its exit code (0 success, 1 the operation
 * failed, 2 usage error or invalid input). Never calls `process.exit` and never throws: errors
 * are printed on `io.stderr` as `certlab: <message>`.
 *
 * @param argv The arguments after the program name, e.g. `process.argv.slice(2)`.
 * @param io Streams and process facts; defaults to the real process.
 *
 * @example
 * ```ts
 * let text = '';
 * const capture = { write: (s: string | Uint8Array) => { text += String(s); } };
 * const code = await run(['--version'], { stdout: capture, stderr: capture });
 * // code === 0, text === 'certlab 0.1.0\n'
 * ```
 */
export async function run(argv: string[], io?: CliIo): Promise<number> {
  const resolved = resolveIo(io);
  const ctx: CommandContext = { io: resolved, secrets: new Set() };
  try {
    return await dispatch(ctx, argv);
  } catch (e) {
    const report = describeError(e, ctx.secrets, Boolean(resolved.env.CERTLAB_DEBUG), ctx.lang);
    writeLines(resolved.stderr, report.lines);
    return report.exitCode;
  }
}
