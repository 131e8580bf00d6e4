// Loads a private key file in any form the library reads (PKCS#8, encrypted PKCS#8, PKCS#1,
// SEC 1, JWK). An encrypted key without a password is asked for at the terminal when there is
// one; in a script it stays an error that says which option to add.

import { importPrivateKey, isPkiError, type PrivateKey } from '@certlab/pki';
import { CliError, EXIT } from './cli-error.js';
import type { CommandContext } from './command.js';
import { readInput } from './files.js';
import { promptPassword } from './password.js';
import { explainInput } from './pki-input.js';

/**
 * Reads and decrypts a private key file.
 *
 * @example
 * ```ts
 * const key = await loadPrivateKey(ctx, 'ca.key', await passwordOption(ctx, args, 'cert selfsign'));
 * ```
 */
export async function loadPrivateKey(
  ctx: CommandContext,
  path: string,
  password: string | undefined,
  passwordOptions?: string,
): Promise<PrivateKey> {
  return privateKeyFromBytes(ctx, await readInput(ctx.io, path), path, password, passwordOptions);
}

/**
 * Imports private key bytes already read from `path` (used in messages and the prompt).
 * `passwordOptions` names the options that give the password, for the message when it is missing.
 *
 * @example
 * ```ts
 * const key = await privateKeyFromBytes(ctx, bytes, 'ca.key', undefined);
 * ```
 */
export async function privateKeyFromBytes(
  ctx: CommandContext,
  bytes: Uint8Array,
  path: string,
  password: string | undefined,
  passwordOptions = '--password-file F or --password P',
): Promise<PrivateKey> {
  try {
    return await importPrivateKey(bytes, password === undefined ? {} : { password });
  } catch (e) {
    if (!isPkiError(e, 'ERR_PKI_KEY_ENCRYPTED') || password !== undefined)
      throw explainInput(e, bytes, path, ['private-key']);
    const typed = await promptPassword(ctx, `Password for ${path}: `);
    if (typed === undefined || typed === '') {
      throw new CliError(
        EXIT.usage,
        `${path} is encrypted: give its password with ${passwordOptions}. [ERR_PKI_KEY_ENCRYPTED]`,
      );
    }
    return importPrivateKey(bytes, { password: typed });
  }
}
