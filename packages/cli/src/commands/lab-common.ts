// What the `certlab lab` commands share: the lab directory (--dir), --lang and opening the lab.
// LabErrors reach the CLI's one error mapping (report-error.ts): bad options and missing labs
// are usage errors, exit 2; a refused operation, such as Enable-ExchangeCertificate in TCP
// mode, is exit 1.

import type { LabLang, LabSession } from '@certlab/lab';
// Values are read from the namespace at run time, as the other commands do with the libraries.
import * as lab from '@certlab/lab';
import { choiceOption, requireOption, stringOption } from '../args.js';
import { usageError } from '../cli-error.js';
import type { CommandContext, OptionSpec, ParsedArgs } from '../command.js';
import { resolvePath } from '../files.js';

export const LAB_DIR_OPTION: OptionSpec = {
  name: 'dir',
  type: 'string',
  short: 'd',
  value: 'DIR',
  help: 'The lab directory: lab.json, the CA in DIR/ca (the certlab ca init layout) and the hosts in DIR/hosts/<name>.',
};
export const LAB_LANG_OPTION: OptionSpec = {
  name: 'lang',
  type: 'string',
  value: 'en|fr',
  help: 'Language of the steps, checks and hints (default: the language chosen at lab init, else en).',
};
export const EXCHANGE_OPTION: OptionSpec = {
  name: 'exchange',
  type: 'string',
  value: '2007sp1|2010',
  help: 'The Exchange release of the UM server: 2007sp1 (the certificate is picked at service start) or 2010 (assigned with Enable-ExchangeCertificate). Default 2010.',
};

/** The --dir of a lab command, absolute, and as typed (for the commands hints print). @example `const { dir, display } = labDir(ctx, args, 'lab check')` */
export function labDir(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
): { dir: string; display: string } {
  const display = requireOption(args, 'dir', command);
  return { dir: resolvePath(ctx.io, display), display };
}

/**
 * --lang, or the lab's own language; errors from then on are reported in it.
 *
 * @example
 * ```ts
 * const lang = labLang(ctx, args, 'lab check', session.config.lang);
 * ```
 */
export function labLang(ctx: CommandContext, args: ParsedArgs, command: string, fallback: LabLang): LabLang {
  const lang = choiceOption(args, 'lang', ['en', 'fr'] as LabLang[], fallback, command);
  ctx.lang = lang;
  return lang;
}

export const CERTSRV_OPTION: OptionSpec = {
  name: 'certsrv',
  type: 'string',
  value: 'URL',
  help: 'A running certsrv of the lab CA (certlab serve --dir DIR/ca), e.g. http://localhost:8080: the CRL and AIA URLs of ca01.contoso.com are fetched from it over HTTP instead of read from DIR/ca/CertEnroll.',
};

/** Opens the lab of --dir (with --certsrv when the command has it). @example `const session = await openLab(ctx, args, 'lab hint')` */
export function openLab(ctx: CommandContext, args: ParsedArgs, command: string): Promise<LabSession> {
  const { dir, display } = labDir(ctx, args, command);
  // Before the lab's language is known (no lab, an unreadable lab.json), --lang decides.
  if (args.values.lang !== undefined) labLang(ctx, args, command, 'en');
  const certsrv = stringOption(args, 'certsrv');
  if (certsrv !== undefined && !/^https?:\/\/[^/]/i.test(certsrv))
    throw usageError(`--certsrv must be an http:// URL, not '${certsrv}'.`, command);
  return lab.openLabSession(dir, {
    displayDir: display,
    ...(certsrv !== undefined ? { certsrvUrl: certsrv.replace(/\/+$/, '') } : {}),
  });
}
