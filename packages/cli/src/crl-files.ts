// Reading the CRL files given with --crl (`verify`, `store verify`): PEM with any number of
// `X509 CRL` blocks, or one DER CRL.

import type { Crl } from '@certlab/pki';
// Values are read from the namespace at run time (not as named imports) so that the CLI still
// loads while the library's index lacks an export; the types are checked at build time.
import * as pki from '@certlab/pki';
import { CliError, EXIT } from './cli-error.js';
import type { CommandContext } from './command.js';
import { readInput } from './files.js';
import { explainInput } from './pki-input.js';

/**
 * The CRLs of one --crl file; an unreadable one is a usage error (exit 2) naming the file.
 *
 * @example
 * ```ts
 * const crls = (await Promise.all(listOption(args, 'crl').map((f) => readCrlFile(ctx, f)))).flat();
 * ```
 */
export async function readCrlFile(ctx: CommandContext, path: string): Promise<Crl[]> {
  const bytes = await readInput(ctx.io, path);
  try {
    const text = new TextDecoder('latin1').decode(bytes);
    if (pki.isPem(text)) return pki.decodePem(text, { label: 'X509 CRL' }).map((b) => pki.parseCrl(b.bytes));
    return [pki.parseCrl(bytes)];
  } catch (e) {
    const why = explainInput(e, bytes, path, ['crl']);
    if (why !== e && why instanceof Error) throw new CliError(EXIT.usage, why.message);
    throw new CliError(
      EXIT.usage,
      `cannot read the CRL ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
