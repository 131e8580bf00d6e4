// `certlab ca passphrase`: give the CA's private keys a key passphrase, change it, or remove it
// (CertificationAuthority.setKeyPassphrase). Every key of every generation is stored again in one
// transaction; ca.json records whether the keys are encrypted, so that the commands that sign
// know to ask for the passphrase.

import { booleanOption, choiceOption, stringOption } from '../args.js';
import {
  DB_OPTION,
  DIR_OPTION,
  KEY_PASSPHRASE_OPTION,
  readCaConfig,
  withCa,
  writeCaConfig,
} from '../ca-support.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';
import { passwordOption, promptPassword } from '../password.js';

const NAME = 'ca passphrase';

/** The new passphrase typed twice at a terminal (without --new-passphrase-file). */
async function typedPassphrase(ctx: CommandContext): Promise<string> {
  const first = await promptPassword(ctx, 'New key passphrase of the CA: ');
  if (first === undefined)
    throw usageError('give the new passphrase with --new-passphrase-file F (or --remove).', NAME);
  if (first === '') throw usageError('the new key passphrase is empty.', NAME);
  if ((await promptPassword(ctx, 'The same again: ')) !== first)
    throw new CliError(EXIT.usage, 'the two passphrases differ: nothing was changed.');
  return first;
}

export const caPassphrase: Command = {
  name: NAME,
  summary: "Give the CA's private keys a key passphrase, change it, or remove it.",
  usage: [
    'ca passphrase [--dir DIR] (--new-passphrase-file F | --remove) [--key-passphrase-file F] [--format text|json]',
  ],
  description:
    'Stores every private key of the CA (root and issuing, every generation) again: encrypted with the new key passphrase (PKCS #8 with PBES2: PBKDF2-HMAC-SHA256 with 600,000 iterations, AES-256-CBC), or with --remove as plain PKCS #8, in one transaction of the database, and records in ca.json whether the keys are encrypted. A CA that already has a passphrase needs it (--key-passphrase-file, or the prompt at a terminal). Without --new-passphrase-file, the new passphrase is asked for twice at a terminal. From then on the commands that sign (ca submit, ca approve, ca crl, ca renew, serve) need the new passphrase. A running certlab serve keeps the keys it decrypted until it stops; stop it first on a PGlite directory (its database takes one process). Each key takes about half a second.',
  options: [
    DIR_OPTION,
    {
      name: 'new-passphrase-file',
      type: 'string',
      value: 'F',
      help: 'The new key passphrase, from the first line of file F.',
    },
    { name: 'remove', type: 'boolean', help: 'Store the keys unencrypted again (no key passphrase).' },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca passphrase --dir ./pki --new-passphrase-file ./ca-passphrase.txt',
    'ca passphrase --dir ./pki --key-passphrase-file ./old.txt --new-passphrase-file ./new.txt',
    'ca passphrase --dir ./pki --key-passphrase-file ./ca-passphrase.txt --remove',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const remove = booleanOption(args, 'remove');
    if (remove && stringOption(args, 'new-passphrase-file') !== undefined)
      throw usageError('--new-passphrase-file and --remove exclude each other.', NAME);
    // The file is read before the CA is opened: a missing or empty one fails at once.
    const fromFile = remove ? undefined : await passwordOption(ctx, args, NAME, 'new-passphrase');
    return withCa(
      ctx,
      args,
      NAME,
      async (ca, dir) => {
        // Read before anything changes: a mistyped confirmation leaves the CA as it was.
        const next = remove ? undefined : (fromFile ?? (await typedPassphrase(ctx)));
        await ca.setKeyPassphrase(next);
        const config = await readCaConfig(dir);
        if (config) {
          const { keyProtection: _old, ...rest } = config;
          await writeCaConfig(dir, next === undefined ? rest : { ...rest, keyProtection: 'passphrase' });
        }
        // Distinct keys: a renewal that reused its key (--reuse-keys) stores the same one again.
        const roles = ca.standalone ? (['issuing'] as const) : (['root', 'issuing'] as const);
        const keys = new Set(roles.flatMap((r) => ca.caCertificates(r).map((c) => `${r}/${c.keyIndex}`)))
          .size;
        if (format === 'json') writeJson(ctx.io.stdout, { keyProtection: ca.keyProtection, keys });
        else
          writeLines(ctx.io.stdout, [
            `${keys === 1 ? 'The CA key is' : `The ${keys} CA keys are`} stored ${
              next === undefined
                ? 'unencrypted again: the commands that sign no longer need a passphrase.'
                : 'encrypted with the new key passphrase: give it to the commands that sign (--key-passphrase-file).'
            }`,
          ]);
        return EXIT.ok;
      },
      { signs: true },
    );
  },
};
