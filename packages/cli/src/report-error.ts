// Turns any error into the one-line `certlab: …` message and an exit code. Nothing here prints
// a stack trace (unless CERTLAB_DEBUG is set) or a password: known secrets are masked out of
// every message as a last line of defence.

import { type CaErrorCode, isCaError } from '@certlab/ca-sim';
import { isLabError, type LabErrorCode } from '@certlab/lab';
import { isPkiError, type PkiErrorCode } from '@certlab/pki';
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
]);

/** Lab codes that mean "what you asked for is not valid" (exit 2); every other LabError is exit 1. */
const LAB_USAGE_ERRORS: ReadonlySet<LabErrorCode> = new Set<LabErrorCode>([
  'ERR_LAB_NOT_FOUND',
  'ERR_LAB_EXISTS',
  'ERR_LAB_CONFIG_INVALID',
  'ERR_LAB_SCENARIO_UNKNOWN',
  'ERR_LAB_OPTION_INVALID',
]);

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
 * lab's language, for a lab command) when it has one; anything else is an unexpected failure
 * (exit 1).
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
  } else if (isPkiError(e)) {
    exitCode = OPERATION_FAILURES.has(e.code) ? EXIT.failed : EXIT.usage;
    lines.push(`certlab: ${e.message} [${e.code}]`);
  } else if (isCaError(e)) {
    exitCode = CA_USAGE_ERRORS.has(e.code) ? EXIT.usage : EXIT.failed;
    lines.push(`certlab: ${e.message} [${e.code}]`);
  } else if (isLabError(e)) {
    exitCode = LAB_USAGE_ERRORS.has(e.code) ? EXIT.usage : EXIT.failed;
    lines.push(`certlab: ${lang ? e.messageIn(lang) : e.message} [${e.code}]`);
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
