// The shape every `certlab <noun> <verb>` command has: its options (used both to parse argv and
// to print help, so the two can never disagree), its help text, and what it does.

import type { ResolvedIo } from './io.js';

/** One command-line option. */
export interface OptionSpec {
  /** Long name without dashes: `out` for `--out`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** May be given several times (`--dns a --dns b`); values are collected in order. */
  readonly multiple?: boolean;
  /** One-letter alias, e.g. `o` for `-o`. */
  readonly short?: string;
  /** Placeholder printed in help: `--out FILE`. */
  readonly value?: string;
  readonly help: string;
}

/** Parsed arguments as a command receives them. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What a running command can use besides its arguments. */
export interface CommandContext {
  readonly io: ResolvedIo;
  /** Passwords seen so far; error output is masked with them. */
  readonly secrets: Set<string>;
  /**
   * The language of the lab a `certlab lab` command works on, once known (--lang, else the lab's):
   * the lab's errors are reported in it.
   */
  lang?: 'en' | 'fr';
}

/** A leaf command such as `csr new`. */
export interface Command {
  /** `noun verb`, or a single word for `demo`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Synopsis lines after `Usage:`, without the leading `certlab `; a line starting with spaces continues the previous one. */
  readonly usage: readonly string[];
  /** Paragraphs printed after the synopsis. */
  readonly description?: string;
  readonly options: readonly OptionSpec[];
  /** Names of positional arguments, in order; `min` of them are required. */
  readonly positionals?: { readonly names: readonly string[]; readonly min: number };
  /** Example invocations, without `certlab `. */
  readonly examples: readonly string[];
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}
