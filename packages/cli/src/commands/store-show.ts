// `certlab store show`: one certificate of a simulated machine: where it is, its properties,
// the certificate itself (as `certlab cert show` prints it) and the private-key line.

import * as ss from '@certlab/store-sim';
import { choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { certificateReport } from '../format/certificate-report.js';
import { writeJson, writeLines } from '../output.js';
import {
  findEntry,
  LANG_OPTION,
  LOCATION_OPTION,
  langOption,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeLabel,
} from './store-common.js';

const NAME = 'store show';

export const storeShow: Command = {
  name: NAME,
  summary: 'Show a certificate of a store: where it is, its properties, its fields, its private key.',
  usage: [
    'store show THUMBPRINT --machine DIR [--location LocalMachine|CurrentUser] [--store NAME]',
    '       [--lang en|fr] [--format text|json]',
  ],
  description:
    'THUMBPRINT is the SHA-1 thumbprint, spaces and colons allowed. Prints every store holding it, the friendly name and other properties, the certificate as `certlab cert show` does, and "You have a private key that corresponds to this certificate." when its key is on the machine. Give --location and --store when the certificate is in several stores.',
  options: [MACHINE_OPTION, LOCATION_OPTION, STORE_OPTION, LANG_OPTION, FORMAT_OPTION],
  positionals: { names: ['THUMBPRINT'], min: 1 },
  examples: [
    'store show 63c6ce5fc512933179d3c0a5e94ecba98092f93d --machine ex01',
    'store show "63 c6 ce 5f …" --machine ex01 --location LocalMachine --store My --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const lang = langOption(args, NAME);
    const machine = await openMachine(ctx, args, NAME, false);
    const entry = await findEntry(machine, args, NAME);
    const copies = machine.locate(entry.thumbprint);
    const report = await certificateReport(entry.certificate);
    const keyLine = entry.hasPrivateKey ? ss.DIALOG_TEXTS.privateKey[lang] : undefined;
    const p = entry.properties;
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        thumbprint: entry.thumbprint,
        stores: copies.map((e) => ({
          location: e.location,
          store: e.store,
          storeDisplayName: ss.storeDisplayName(e.store, lang),
        })),
        properties: p,
        hasPrivateKey: entry.hasPrivateKey,
        privateKeyLine: keyLine ?? null,
        certificate: report.json,
      });
      return EXIT.ok;
    }
    const lines = [
      `Thumbprint: ${entry.thumbprint}`,
      'Stores:',
      ...copies.map((e) => `  ${storeLabel(e.location, e.store, lang)}`),
      `Friendly Name: ${p.friendlyName ?? (lang === 'fr' ? '<Aucun>' : '<None>')}`,
    ];
    if (p.description !== undefined) lines.push(`Description: ${p.description}`);
    if (p.archived) lines.push('Archived: yes');
    if (p.keyContainer !== undefined)
      lines.push(
        `Key container: ${p.keyContainer}${entry.hasPrivateKey ? '' : ' (missing)'}${p.keyExportable ? ', exportable' : ''}`,
      );
    if (p.enhancedKeyUsage) lines.push(`Enhanced key usage property: ${p.enhancedKeyUsage.join(', ')}`);
    lines.push('', ...report.text);
    if (keyLine) lines.push('', keyLine);
    writeLines(ctx.io.stdout, lines);
    return EXIT.ok;
  },
};
