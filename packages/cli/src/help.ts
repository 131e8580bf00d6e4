// Help text, generated from the command specs so options and help never drift apart.

import type { Command, OptionSpec } from './command.js';
import { ALL_COMMANDS, NOUNS, type Noun, STANDALONE, verbOf } from './registry.js';

const WIDTH = 100;

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success',
  '  1  the operation failed: a signature does not verify (--verify), an output file exists (no --force),',
  '     a certificate is not valid (verify), a serial number is not revoked (crl show --serial),',
  '     a request is denied or not in the state asked for (ca submit, ca retrieve, ca approve…)',
  '  2  usage error, or input that cannot be read or is not valid',
];

/** Wraps `text` into lines of at most `width` columns, each starting with `indent`. */
function wrap(text: string, indent: string, width = WIDTH): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(indent + line);
  return out;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const w = Math.max(...rows.map(([a]) => a.length)) + 2;
  const indent = ' '.repeat(w + 2);
  return rows.flatMap(([a, b]) => {
    // Wrap as if every line had the indent, then put the label in the first line's indent.
    const lines = wrap(b, indent);
    lines[0] = `  ${a.padEnd(w)}${(lines[0] ?? '').trimStart()}`;
    return lines;
  });
}

function optionLabel(o: OptionSpec): string {
  const long = `--${o.name}${o.value ? ` ${o.value}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

/**
 * The help of one command.
 *
 * @example
 * ```ts
 * commandHelp(keyNew).startsWith('certlab key new'); // true
 * ```
 */
export function commandHelp(command: Command): string {
  const lines = [
    `certlab ${command.name}: ${command.summary}`,
    '',
    'Usage:',
    // A synopsis line that starts with a space continues the one before it.
    ...command.usage.map((u) => (u.startsWith(' ') ? `          ${u}` : `  certlab ${u}`)),
    '',
  ];
  if (command.description) lines.push(...wrap(command.description, ''), '');
  const opts: [string, string][] = command.options.map((o) => [optionLabel(o), o.help]);
  opts.push(['-h, --help', 'Show this help.']);
  lines.push('Options:', ...table(opts), '');
  lines.push('Examples:', ...command.examples.map((e) => `  certlab ${e}`), '');
  lines.push(...EXIT_CODES_HELP);
  return `${lines.join('\n')}\n`;
}

/**
 * The help of a noun: its verbs with their summaries, from the registry (no command is loaded).
 *
 * @example
 * ```ts
 * nounHelp(NOUNS[0]);
 * ```
 */
export function nounHelp(noun: Noun): string {
  const lines = [
    `certlab ${noun.name}: ${noun.summary}`,
    '',
    'Usage:',
    `  certlab ${noun.name} <verb> [options]`,
    '',
    'Verbs:',
    ...table(noun.verbs.map((c) => [verbOf(c), c.summary])),
    '',
    `Run 'certlab ${noun.name} <verb> --help' for the options of a verb.`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The top-level help: every command with its summary, from the registry (no command is loaded:
 * loading them all, and the packages they import, took ~0.3 s).
 *
 * @example
 * ```ts
 * mainHelp('0.1.0');
 * ```
 */
export function mainHelp(version: string): string {
  const lines = [
    `certlab ${version}: a PKI toolkit (keys, CSRs, certificates, CRLs, .p7b and .pfx files) that simulates a Microsoft AD CS issuing CA.`,
    '',
    'Usage:',
    '  certlab <noun> <verb> [options]',
    '  certlab help [<noun> [<verb>]]',
    '',
    'Commands:',
    ...table(ALL_COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Global options:',
    ...table([
      ['-h, --help', 'Show help; after a command, the help of that command.'],
      ['-V, --version', 'Print the version.'],
    ]),
    '',
    ...wrap(
      'Conventions: every show command takes --format text|json; output files are never overwritten without --force; private keys and .pfx files are written with mode 0600; errors are one line on stderr, starting with "certlab:".',
      '',
    ),
    '',
    ...EXIT_CODES_HELP,
    '',
    "Run 'certlab <noun> <verb> --help' for the options of a command.",
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Finds the help for a path of words (`['csr', 'new']`); undefined when the words name nothing.
 *
 * @example
 * ```ts
 * await helpFor(['csr'], '0.1.0'); // the csr noun help
 * ```
 */
export async function helpFor(words: readonly string[], version: string): Promise<string | undefined> {
  if (words.length === 0) return mainHelp(version);
  const [first, second] = words;
  const standalone = STANDALONE.find((c) => c.name === first);
  if (standalone) return words.length === 1 ? commandHelp(await standalone.load()) : undefined;
  const noun = NOUNS.find((n) => n.name === first);
  if (!noun) return undefined;
  if (second === undefined) return nounHelp(noun);
  const verb = noun.verbs.find((c) => verbOf(c) === second);
  return verb && words.length === 2 ? commandHelp(await verb.load()) : undefined;
}
