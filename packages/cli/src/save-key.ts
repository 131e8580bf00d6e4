// Writing a private key file: PKCS#8 PEM, encrypted (PBES2) when there is a password, always
// mode 0600.

import type { PrivateKey } from '@certlab/pki';
import type { CommandContext } from './command.js';
import { writeOutput } from './files.js';

/**
 * Saves a private key as PEM.
 *
 * @example
 * ```ts
 * await savePrivateKey(ctx, 'server.key', privateKey, { password, force: false });
 * ```
 */
export async function savePrivateKey(
  ctx: CommandContext,
  path: string,
  key: PrivateKey,
  options: { password?: string | undefined; iterations?: number | undefined; force: boolean },
): Promise<void> {
  const pem =
    options.password === undefined
      ? await key.toPem()
      : await key.toPem(
          options.iterations === undefined
            ? { password: options.password }
            : { password: options.password, iterations: options.iterations },
        );
  await writeOutput(ctx.io, path, pem, { force: options.force, secret: true });
}

/** How a saved key is protected, for summaries. @example `protectionText(password)` // 'encrypted (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC)' */
export function protectionText(password: string | undefined): string {
  return password === undefined
    ? 'not encrypted (give --password-file F to encrypt it)'
    : 'encrypted (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC)';
}
