// Passwords for private keys: from --password, from the first line of --password-file (which
// keeps the secret out of the process list and shell history), or typed at a hidden prompt
// when the user is at a terminal. Every password is registered so error output can mask it.

import { requireOption, stringOption } from './args.js';
import { CliError, EXIT, usageError } from './cli-error.js';
import type { CommandContext, OptionSpec, ParsedArgs } from './command.js';
import { readInput } from './files.js';

/** --password-file, for commands whose --password has its own help text. */
export const PASSWORD_FILE_OPTION: OptionSpec = {
  name: 'password-file',
  type: 'string',
  value: 'F',
  help: 'Read the password from the first line of file F.',
};

/** The --password and --password-file options, shared by every command that reads or writes a key. */
export const PASSWORD_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'password',
    type: 'string',
    value: 'P',
    help: 'Password of the private key (visible to other local users: prefer --password-file).',
  },
  PASSWORD_FILE_OPTION,
];

/**
 * How {@link passwordOption} treats an empty password. `allowEmpty`: the option may be a PKCS #12
 * (.pfx) password, which may be empty (RFC 7292 B.1 encodes it as 00 00; Windows' export wizard,
 * `openssl pkcs12 -passout pass:` and Java write such files).
 *
 * @example
 * ```ts
 * const options: PasswordOptionOptions = { allowEmpty: true };
 * ```
 */
export interface PasswordOptionOptions {
  readonly allowEmpty?: boolean;
}

/**
 * The password given with --password or --password-file (or, with `name`, `--NAME` and
 * `--NAME-file`), or undefined. Both at once is a usage error; so is an empty password, unless
 * `allowEmpty` (for the password of a .pfx: `--password ''`, or an empty first line of the file).
 * A private key file is never protected by an empty password (PBES2 with an empty password
 * protects nothing), so the options of those commands keep refusing it.
 *
 * @example
 * ```ts
 * const password = await passwordOption(ctx, args, 'key new');
 * const pfxPassword = await passwordOption(ctx, args, 'show', 'password', { allowEmpty: true });
 * ```
 */
export async function passwordOption(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
  name = 'password',
  options: PasswordOptionOptions = {},
): Promise<string | undefined> {
  const direct = stringOption(args, name);
  const file = stringOption(args, `${name}-file`);
  if (direct !== undefined && file !== undefined)
    throw usageError(`give --${name} or --${name}-file, not both.`, command);
  let password = direct;
  if (file !== undefined) {
    const bytes = await readInput(ctx.io, requireOption(args, `${name}-file`, command));
    // The first line, without its line ending: what `echo secret > file` produces.
    password = new TextDecoder().decode(bytes).split(/\r?\n/)[0] ?? '';
  }
  if (password === undefined) return undefined;
  if (password === '') {
    if (options.allowEmpty) return password;
    throw usageError(
      `the password is empty (--${name}${file !== undefined ? '-file' : ''}): a private key file needs a non-empty password.`,
      command,
    );
  }
  ctx.secrets.add(password);
  return password;
}

/**
 * Asks for a password on the terminal without echoing it. Only when stdout is a TTY and stdin
 * can switch to raw mode; otherwise undefined, so scripts never hang on a prompt.
 *
 * @example
 * ```ts
 * const password = await promptPassword(ctx, 'Password for ca.key: ');
 * ```
 */
export async function promptPassword(ctx: CommandContext, question: string): Promise<string | undefined> {
  const stdin = ctx.io.stdin as
    | (NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown })
    | undefined;
  if (!ctx.io.isTTY || !stdin || stdin.isTTY !== true || typeof stdin.setRawMode !== 'function')
    return undefined;
  const setRaw = stdin.setRawMode.bind(stdin);
  ctx.io.stderr.write(question);
  setRaw(true);
  stdin.resume();
  const answer = await new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.removeListener('data', onData);
      setRaw(false);
      stdin.pause();
      ctx.io.stderr.write('\n');
    };
    const onData = (chunk: string | Uint8Array) => {
      for (const ch of typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new CliError(EXIT.failed, 'cancelled.'));
          return;
        }
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
  if (answer !== '') ctx.secrets.add(answer);
  return answer;
}

/**
 * --iterations as a number, or undefined for the library default. Only meaningful with a
 * password, so giving it without one is a usage error rather than silently unused.
 *
 * @example
 * ```ts
 * iterationsOption(args, password, 'key new'); // 600000 unless given
 * ```
 */
export function iterationsOption(
  args: ParsedArgs,
  password: string | undefined,
  command: string,
): number | undefined {
  const text = stringOption(args, 'iterations');
  if (text === undefined) return undefined;
  if (password === undefined) throw usageError('--iterations needs --password or --password-file.', command);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1000 || n > 10_000_000)
    throw usageError(`--iterations must be an integer from 1000 to 10000000, not '${text}'.`, command);
  return n;
}
