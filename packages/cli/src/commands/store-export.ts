// `certlab store export`: the Certificate Export Wizard on a simulated machine: DER or Base-64
// .cer, .p7b or .sst (optionally with the chain), .pfx (private key required and exportable).

import type { ExportFormat } from '@certlab/store-sim';
import * as ss from '@certlab/store-sim';
import { booleanOption, choiceOption, requireOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, STDIO, writeOutput } from '../files.js';
import { summaryStream, writeLines } from '../output.js';
import { PASSWORD_FILE_OPTION, passwordOption } from '../password.js';
import {
  findEntry,
  LOCATION_OPTION,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeCall,
} from './store-common.js';

const NAME = 'store export';
const FORMATS = ['cer', 'cer-base64', 'p7b', 'sst', 'pfx'] as const satisfies readonly ExportFormat[];

export const storeExport: Command = {
  name: NAME,
  summary: 'Export a certificate of a store as .cer (DER or Base-64), .p7b, .sst or .pfx.',
  usage: [
    'store export THUMBPRINT --machine DIR --as cer|cer-base64|p7b|sst|pfx --out FILE',
    '       [--location LocalMachine|CurrentUser] [--store NAME] [--chain] [--password P]',
    '       [--pfx-profile modern|legacy] [--force]',
  ],
  description:
    'The Certificate Export Wizard: cer is "DER encoded binary X.509", cer-base64 "Base-64 encoded X.509" (PEM with CRLF), p7b "Cryptographic Message Syntax Standard – PKCS #7", sst "Microsoft Serialized Certificate Store" (with the friendly name and description) and pfx "Personal Information Exchange – PKCS #12", which needs the private key on the machine, marked exportable at import, and --password. --chain adds the certification path (p7b, sst, pfx). The .pfx is written with mode 0600.',
  options: [
    MACHINE_OPTION,
    {
      name: 'as',
      type: 'string',
      value: 'cer|cer-base64|p7b|sst|pfx',
      help: 'Export file format. Required.',
    },
    OUT_OPTION,
    LOCATION_OPTION,
    STORE_OPTION,
    {
      name: 'chain',
      type: 'boolean',
      help: 'Include all certificates in the certification path (p7b, sst, pfx).',
    },
    {
      name: 'password',
      type: 'string',
      value: 'P',
      help: 'Password of the .pfx (visible to other local users: prefer --password-file).',
    },
    PASSWORD_FILE_OPTION,
    {
      name: 'pfx-profile',
      type: 'string',
      value: 'modern|legacy',
      help: "With --as pfx, the wizard's Encryption: modern (AES256-SHA256; default) or legacy (TripleDES-SHA1) for Windows Server 2016 and older.",
    },
    FORCE_OPTION,
  ],
  positionals: { names: ['THUMBPRINT'], min: 1 },
  examples: [
    'store export 63c6ce5f… --machine ex01 --as cer --out root.cer',
    'store export 8f2a… --machine ex01 --as pfx --chain --password-file pfx.pass --out exch01.pfx',
  ],
  async run(ctx, args) {
    const as = choiceOption(args, 'as', FORMATS, undefined, NAME);
    if (as === undefined) throw usageError('--as is required (cer, cer-base64, p7b, sst or pfx).', NAME);
    const out = requireOption(args, 'out', NAME);
    // A .pfx may have an empty password, as certutil -exportPFX writes it when asked.
    const password = await passwordOption(ctx, args, NAME, 'password', { allowEmpty: true });
    if (as === 'pfx' && password === undefined)
      throw usageError('--as pfx needs --password or --password-file.', NAME);
    // Only a .pfx is protected: a password with another format would be a false sense of safety.
    if (as !== 'pfx' && password !== undefined)
      throw usageError(
        `--password and --password-file only apply to --as pfx: a ${as} file holds no key and has no password.`,
        NAME,
      );
    if (booleanOption(args, 'chain') && (as === 'cer' || as === 'cer-base64'))
      throw usageError(
        `--chain only applies to --as p7b, sst or pfx: a ${as} file holds one certificate.`,
        NAME,
      );
    const pfxProfile = choiceOption(args, 'pfx-profile', ['modern', 'legacy'] as const, undefined, NAME);
    if (pfxProfile !== undefined && as !== 'pfx')
      throw usageError(`--pfx-profile only applies to --as pfx, not --as ${as}.`, NAME);
    const force = booleanOption(args, 'force');
    await ensureWritable(ctx.io, out, force);
    const machine = await openMachine(ctx, args, NAME, false);
    const entry = await findEntry(machine, args, NAME);
    const data = await storeCall(() =>
      ss.exportCertificate(machine, entry.location, entry.store, entry.thumbprint, {
        format: as,
        includeChain: booleanOption(args, 'chain'),
        ...(password !== undefined ? { password } : {}),
        ...(pfxProfile !== undefined ? { pfxProfile } : {}),
      }),
    );
    await writeOutput(ctx.io, out, data, { force, secret: as === 'pfx' });
    writeLines(summaryStream(ctx, out), [
      `Exported ${entry.thumbprint} (${entry.location}\\${entry.store}) as ${as} to ${out === STDIO ? 'stdout' : out}`,
    ]);
    return EXIT.ok;
  },
};
