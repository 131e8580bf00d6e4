// --hash: the digest a signature uses. Ed25519 has its hash built in (RFC 8032), so --hash with
// an Ed25519 key is refused instead of silently ignored.

import { stringOption } from './args.js';
import { usageError } from './cli-error.js';
import type { OptionSpec, ParsedArgs } from './command.js';

export const HASHES = ['SHA-256', 'SHA-384', 'SHA-512'] as const;
export type SigningHash = (typeof HASHES)[number];

export const HASH_OPTION: OptionSpec = {
  name: 'hash',
  type: 'string',
  value: 'H',
  help: "Signature hash: SHA-256, SHA-384 or SHA-512 (default: SHA-256, or the curve's size for EC keys). Not for Ed25519.",
};

/**
 * The --hash value normalised (`sha384` → `SHA-384`), or undefined for the library's default.
 *
 * @example
 * ```ts
 * hashFrom(args, 'ec', 'csr new'); // 'SHA-384'
 * ```
 */
export function hashFrom(args: ParsedArgs, keyType: string, command: string): SigningHash | undefined {
  const text = stringOption(args, 'hash');
  if (text === undefined) return undefined;
  const hit = HASHES.find((h) => h.replace('-', '').toLowerCase() === text.replace('-', '').toLowerCase());
  if (!hit) throw usageError(`--hash must be SHA-256, SHA-384 or SHA-512, not '${text}'.`, command);
  if (keyType === 'ed25519')
    throw usageError(
      '--hash does not apply to Ed25519 keys, which always sign with SHA-512 internally.',
      command,
    );
  return hit;
}
