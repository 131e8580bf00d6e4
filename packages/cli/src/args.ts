// Argument parsing over node:util parseArgs, with parse errors turned into short usage errors
// (parseArgs' own messages are long and mention its internals) and typed accessors.

import { parseArgs } from 'node:util';
import { usageError } from './cli-error.js';
import type { Command, ParsedArgs } from './command.js';

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/**
 * Parses `argv` (what follows `certlab <noun> <verb>`) against the command's options. Unknown
 * options, missing values and extra positionals are usage errors (exit 2).
 *
 * @example
 * ```ts
 * const args = parseCommandArgs(keyNew, ['--type', 'ec', '--out', 'k.pem']);
 * args.values.type; // 'ec'
 * ```
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options: ParseOptions = {};
  for (const o of command.options) {
    options[o.name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  }
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
    tokens: { kind: string; name?: string }[];
  };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw usageError(describeParseError(e), command.name);
  }
  // A value option given twice kept the last one silently (`--out a.key --out b.key` wrote only
  // b.key; `--status issued --status pending` listed pending): say so instead.
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || t.name === undefined) continue;
    const spec = command.options.find((o) => o.name === t.name);
    if (!spec || spec.multiple || spec.type !== 'string') continue;
    if (seen.has(t.name)) throw usageError(`--${t.name} was given twice: give it once.`, command.name);
    seen.add(t.name);
  }
  const names = command.positionals?.names ?? [];
  const min = command.positionals?.min ?? 0;
  if (parsed.positionals.length > names.length) {
    const extra = parsed.positionals[names.length]!;
    throw usageError(`unexpected argument '${extra}'.`, command.name);
  }
  if (parsed.positionals.length < min) {
    throw usageError(`missing ${names[parsed.positionals.length]} argument.`, command.name);
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

function describeParseError(e: unknown): string {
  const code = (e as { code?: string }).code;
  const msg = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']+)'/.exec(msg)?.[1];
  // "Option '-o, --out <value>' argument missing": report the long form.
  const option = (quoted ?? '').match(/--?[\w-]+/g)?.pop();
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? msg}'.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // Both "needs a value" and "takes no value" arrive with this code.
      if (msg.includes('does not take an argument')) return `option '${option}' takes no value.`;
      // "--serial -5": parseArgs reads -5 as an option, not as the value.
      if (msg.includes('ambiguous'))
        return `option '${option}' needs a value; for a value starting with '-', write ${option}=-VALUE.`;
      return `option '${option}' needs a value.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ? `'${quoted}'` : ''}.`.replace(' .', '.');
    default:
      return msg;
  }
}

/**
 * The value of a string option, or undefined. A repeated single-valued option keeps the last
 * value, as most Unix tools do.
 *
 * @example
 * ```ts
 * const out = stringOption(args, 'out');
 * ```
 */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A required string option: a usage error naming it when absent or empty.
 *
 * @example
 * ```ts
 * const out = requireOption(args, 'out', 'key new');
 * ```
 */
export function requireOption(args: ParsedArgs, name: string, command: string): string {
  const v = stringOption(args, name);
  if (v === undefined || v === '') throw usageError(`--${name} is required.`, command);
  return v;
}

/**
 * Every value of a repeatable option; comma-separated values are split when `splitCommas`
 * (so `--eku serverAuth,clientAuth` equals `--eku serverAuth --eku clientAuth`).
 *
 * @example
 * ```ts
 * listOption(args, 'eku', true); // ['serverAuth', 'clientAuth']
 * ```
 */
export function listOption(args: ParsedArgs, name: string, splitCommas = false): string[] {
  const v = args.values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  // `--chain "$CHAIN"` with the variable unset: dropping the value would run the command without
  // the file the caller meant to give, and exit 0.
  if (raw.some((s) => s.trim() === ''))
    throw usageError(
      `--${name} was given an empty value (an unset shell variable?): give a value or leave the option out.`,
    );
  const out = splitCommas ? raw.flatMap((s) => s.split(',')) : raw;
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** True when a boolean flag is set. @example `booleanOption(args, 'force')` */
export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/**
 * A string option restricted to `choices` (matched case-insensitively, returned as spelled in
 * `choices`), or `fallback` when absent.
 *
 * @example
 * ```ts
 * choiceOption(args, 'format', ['text', 'json'], 'text', 'cert show');
 * ```
 */
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
  command: string,
): T;
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: undefined,
  command: string,
): T | undefined;
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T | undefined,
  command: string,
): T | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const hit = choices.find((c) => c.toLowerCase() === v.toLowerCase());
  if (!hit) throw usageError(`--${name} must be one of ${choices.join(', ')}, not '${v}'.`, command);
  return hit;
}
