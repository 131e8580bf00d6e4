// Paths in hints and instructions are meant to be pasted into a shell: one with white space (a lab
// in "my lab") or another character a shell reads stays one word, and means itself.

/** Characters no shell (POSIX sh, cmd, PowerShell) reads specially in a word: left as they are. */
const PLAIN = /^[\w./:@%+=,-]+$/;
/**
 * Characters POSIX shells still read inside double quotes (`$` expansion, backquote command
 * substitution, `\` escapes, the quote itself, `!` history expansion in interactive bash): such a
 * word gets single quotes instead (POSIX.1-2017 XCU §2.2.2, §2.2.3).
 */
const READ_IN_DOUBLE_QUOTES = /["$`\\!]/;

/**
 * The shell a command line is pasted into: POSIX sh and its kin, or Windows' cmd and PowerShell.
 *
 * @example
 * ```ts
 * const shell: ShellKind = 'windows';
 * shellWord('C:\\Contoso Lab', shell); // '"C:\\Contoso Lab"'
 * ```
 */
export type ShellKind = 'posix' | 'windows';

/**
 * `path` as one word of a command line to copy and paste, meaning itself: as it is when it holds
 * only plain characters, else in double quotes, which sh, bash, cmd and PowerShell read alike. For
 * a POSIX shell, a path with a character sh reads even inside double quotes (`$`, a backquote,
 * `\`, `"`, `!`) gets single quotes instead, `'` written `'\''`. The shell defaults to this
 * machine's: Windows file names cannot hold `"`, and cmd has no single quotes.
 *
 * @example
 * ```ts
 * shellWord('/tmp/lab');        // '/tmp/lab'
 * shellWord('My Lab');          // '"My Lab"'
 * shellWord('/tmp/$HOME lab');  // "'/tmp/$HOME lab'" (on Linux or macOS)
 * shellWord('C:\\My Lab', 'windows'); // '"C:\\My Lab"'
 * ```
 */
export function shellWord(path: string, shell: ShellKind = defaultShell()): string {
  if (PLAIN.test(path)) return path;
  if (shell === 'windows' || !READ_IN_DOUBLE_QUOTES.test(path)) return `"${path}"`;
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

function defaultShell(): ShellKind {
  // globalThis.process: the lab's pure parts also load where there is no process object.
  return (globalThis as { process?: { platform?: string } }).process?.platform === 'win32'
    ? 'windows'
    : 'posix';
}
