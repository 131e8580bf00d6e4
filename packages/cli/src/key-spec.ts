// --type / --curve / --bits (or --new-key's value) to the key spec generateKeyPair takes, with
// the CLI's defaults: EC P-256, RSA 2048 (what AD CS templates ask for by default).

import type { KeySpec } from '@certlab/pki';
import { choiceOption, stringOption } from './args.js';
import { usageError } from './cli-error.js';
import type { OptionSpec, ParsedArgs } from './command.js';

export const KEY_TYPES = ['ec', 'rsa', 'ed25519'] as const;
export const CURVES = ['P-256', 'P-384', 'P-521'] as const;
export const RSA_BITS = [2048, 3072, 4096] as const;

/** --curve and --bits, shared by `key new` and `csr new --new-key`. */
export const KEY_SIZE_OPTIONS: readonly OptionSpec[] = [
  { name: 'curve', type: 'string', value: 'C', help: 'EC curve: P-256 (default), P-384 or P-521.' },
  { name: 'bits', type: 'string', value: 'N', help: 'RSA modulus size: 2048 (default), 3072 or 4096.' },
];

/**
 * Builds the key spec from a type name and the --curve/--bits options, rejecting options that
 * do not fit the type (a curve for RSA is a mistake worth reporting, not ignoring).
 *
 * @example
 * ```ts
 * keySpecFrom('rsa', args, 'key new'); // { type: 'rsa', bits: 2048 }
 * ```
 */
export function keySpecFrom(typeText: string, args: ParsedArgs, command: string): KeySpec {
  const type = KEY_TYPES.find((t) => t === typeText.toLowerCase());
  if (!type) throw usageError(`unknown key type '${typeText}': use ec, rsa or ed25519.`, command);
  const curve = choiceOption(args, 'curve', CURVES, undefined, command);
  const bitsText = stringOption(args, 'bits');
  if (curve !== undefined && type !== 'ec')
    throw usageError(`--curve applies to EC keys, not ${type}.`, command);
  if (bitsText !== undefined && type !== 'rsa')
    throw usageError(`--bits applies to RSA keys, not ${type}.`, command);
  switch (type) {
    case 'ec':
      return { type, curve: curve ?? 'P-256' };
    case 'rsa': {
      const bits = bitsText === undefined ? 2048 : Number(bitsText);
      if (!(RSA_BITS as readonly number[]).includes(bits))
        throw usageError(`--bits must be 2048, 3072 or 4096, not '${bitsText}'.`, command);
      return { type, bits };
    }
    default:
      return { type };
  }
}

/** A short description such as `EC P-256`, `RSA 2048` or `Ed25519`. @example `describeKey(key.publicKey)` */
export function describeKey(key: { type: string; curve?: string; bits: number }): string {
  if (key.type === 'ec') return `EC ${key.curve}`;
  if (key.type === 'rsa') return `RSA ${key.bits}`;
  return 'Ed25519';
}
