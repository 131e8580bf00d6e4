// `certlab store import`: the Certificate Import Wizard on a simulated machine kept in a
// directory. .cer / .crt (PEM, DER), .p7b, .sst, .crl and .pfx; automatic placement or one store.

import * as ss from '@certlab/store-sim';
import { booleanOption, choiceOption, stringOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { canAsk, confirm } from '../confirm.js';
import { readInput } from '../files.js';
import { writeJson, writeLines } from '../output.js';
import { PASSWORD_FILE_OPTION, passwordOption } from '../password.js';
import {
  colon,
  consoleName,
  LANG_OPTION,
  LOCATION_OPTION,
  langOption,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeCall,
  storeLabel,
  unknownStore,
} from './store-common.js';

const NAME = 'store import';

export const storeImport: Command = {
  name: NAME,
  summary: 'Import a .cer, .p7b, .sst, .crl or .pfx into a store, as the Certificate Import Wizard does.',
  usage: [
    'store import FILE --machine DIR [--location LocalMachine|CurrentUser] [--store NAME|auto]',
    '       [--placement wizard|by-type] [--password P] [--exportable] [--friendly-name TEXT]',
    '       [--create-store] [--lang en|fr] [--format text|json]',
  ],
  description:
    "Reads FILE (PEM or DER certificate, .p7b, .sst serialized store with the friendly names it carries, .crl, or .pfx with --password) and adds what it holds to the stores of the machine kept in DIR (created when missing), all or nothing. --store auto (default) is the wizard's \"Automatically select the certificate store\": each certificate of a .cer, .p7b or .sst that is a CA goes to CA (Intermediate Certification Authorities), an end-entity certificate to AddressBook (Other People); in a .pfx each key's certificate goes to My (Personal) with its key (a key without a certificate is reported and skipped), a self-signed CA to Root, other CAs to CA. --placement by-type puts a self-signed CA in Root and an end entity in My instead. --location defaults to CurrentUser, as the wizard opened from a file. Prints each certificate with the store it went to (the console's name, in French with --lang fr) and its thumbprint; adding a root to CurrentUser\\Root shows the Security Warning: at a terminal it asks Yes/No as the dialog does (No cancels the whole import, exit 1 [ERR_STORE_CANCELLED]); in a script it is printed on stderr and accepted.",
  options: [
    MACHINE_OPTION,
    LOCATION_OPTION,
    { ...STORE_OPTION, value: 'NAME|auto', help: `${STORE_OPTION.help} Default auto.` },
    {
      name: 'placement',
      type: 'string',
      value: 'wizard|by-type',
      help: 'How --store auto places certificates (default wizard).',
    },
    {
      name: 'password',
      type: 'string',
      value: 'P',
      help: 'Password of the .pfx (visible to other local users: prefer --password-file).',
    },
    PASSWORD_FILE_OPTION,
    { name: 'exportable', type: 'boolean', help: 'Mark the private key as exportable.' },
    { name: 'friendly-name', type: 'string', value: 'TEXT', help: 'Friendly name for the certificates.' },
    {
      name: 'create-store',
      type: 'boolean',
      help: 'Let --store name a custom store that does not exist yet (certutil -addstore creates one); without it, such a name is refused as a likely typo.',
    },
    LANG_OPTION,
    FORMAT_OPTION,
  ],
  positionals: { names: ['FILE'], min: 1 },
  examples: [
    'store import root-ca.cer --machine ex01 --location LocalMachine --store Root',
    'store import exch01.pfx --machine ex01 --location LocalMachine --password-file pfx.pass --exportable',
    'store import chain.p7b --machine ex01 --location LocalMachine --placement by-type --lang fr',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const placement = choiceOption(args, 'placement', ['wizard', 'by-type'] as const, 'wizard', NAME);
    const lang = langOption(args, NAME);
    // A .pfx may have an empty password (RFC 7292 B.1; Windows and OpenSSL write them).
    const password = await passwordOption(ctx, args, NAME, 'password', { allowEmpty: true });
    const path = args.positionals[0]!;
    const bytes = await readInput(ctx.io, path);
    const machine = await openMachine(ctx, args, NAME, true);
    const location = stringOption(args, 'location');
    // A custom store is one store whatever the case it is typed in: the machine matches store
    // names without regard to case, as Windows does, so the name goes on as typed.
    const store = stringOption(args, 'store');
    if (store !== undefined && store.toLowerCase() !== 'auto') {
      const where = await storeCall(() => ss.parseLocation(location ?? 'CurrentUser'));
      const typo = unknownStore(machine, where, await storeCall(() => ss.normalizeStoreName(store)));
      if (typo && !booleanOption(args, 'create-store'))
        throw usageError(`${typo} Give --create-store to create a custom store.`, NAME);
    }
    const friendlyName = stringOption(args, 'friendly-name');
    // At a terminal the Security Warning asks, as the dialog does (Yes / No; No cancels the whole
    // import, ERR_STORE_CANCELLED); in a script it is shown and accepted (reference §7 says a
    // non-interactive Windows caller fails instead: certlab keeps scripts and labs running).
    const ask = canAsk(ctx);
    const r = await storeCall(() =>
      ss.importFile(machine, bytes, {
        location: location ?? 'CurrentUser',
        ...(store !== undefined ? { store } : {}),
        placement,
        ...(password !== undefined ? { password } : {}),
        exportable: booleanOption(args, 'exportable'),
        ...(friendlyName !== undefined ? { friendlyName } : {}),
        lang,
        ...(ask
          ? {
              onSecurityWarning: async (w: string) => {
                // The dialog's text, its last line the question itself.
                const lines = w.split('\n');
                ctx.io.stderr.write(`${lines.slice(0, -1).join('\n')}\n`);
                return confirm(ctx, `${lines.at(-1)} ${lang === 'fr' ? '[o/N] ' : '[y/N] '}`, lang);
              },
            }
          : {}),
      }),
    );
    if (!ask)
      for (const w of r.securityWarnings)
        ctx.io.stderr.write(`${w}\n${lang === 'fr' ? '(accepté)' : '(accepted)'}\n\n`);
    // What the wizard left out (a .pfx key without a certificate), never silently.
    for (const w of r.warnings) ctx.io.stderr.write(`Warning: ${w}\n`);
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        message: r.message[lang],
        certificates: r.certificates.map((e) => ({
          location: e.location,
          store: e.store,
          storeDisplayName: ss.storeDisplayName(e.store, lang),
          thumbprint: e.thumbprint,
          subject: e.certificate.subject.toWindowsString(),
          hasPrivateKey: e.hasPrivateKey,
        })),
        crls: r.crls,
        securityWarnings: r.securityWarnings.length,
        warnings: r.warnings,
      });
      return EXIT.ok;
    }
    const lines = [r.message[lang]];
    for (const e of r.certificates)
      lines.push(
        `  ${storeLabel(e.location, e.store, lang)}${colon(lang)}${consoleName(e.certificate.subject)}  ${e.thumbprint}${e.hasPrivateKey ? (lang === 'fr' ? '  [clé privée]' : '  [private key]') : ''}`,
      );
    for (const c of r.crls)
      lines.push(`  ${c}${colon(lang)}${lang === 'fr' ? 'liste de révocation' : 'CRL'}`);
    writeLines(ctx.io.stdout, lines);
    return EXIT.ok;
  },
};
