// `certlab store delete`: remove a certificate from a store of a simulated machine
// (optionally with its private key, as PowerShell's Remove-Item -DeleteKey).

import { booleanOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { writeLines } from '../output.js';
import {
  findEntry,
  LOCATION_OPTION,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeCall,
} from './store-common.js';

const NAME = 'store delete';

export const storeDelete: Command = {
  name: NAME,
  summary: 'Delete a certificate from a store (and, with --delete-key, its private key).',
  usage: [
    'store delete THUMBPRINT --machine DIR [--location LocalMachine|CurrentUser] [--store NAME]',
    '       [--delete-key]',
  ],
  description:
    "Removes the certificate from the location's own physical store. When it is in several stores, --location and --store say which copy. A certificate seen through a logical view (LocalMachine\\Root from CurrentUser\\Root) must be deleted where it is. The private key is kept unless --delete-key is given.",
  options: [
    MACHINE_OPTION,
    LOCATION_OPTION,
    STORE_OPTION,
    { name: 'delete-key', type: 'boolean', help: 'Also delete the linked private key container.' },
  ],
  positionals: { names: ['THUMBPRINT'], min: 1 },
  examples: [
    'store delete 63c6ce5f… --machine ex01 --location LocalMachine --store Root',
    'store delete 8f2a… --machine ex01 --delete-key',
  ],
  async run(ctx, args) {
    const machine = await openMachine(ctx, args, NAME, false);
    const entry = await findEntry(machine, args, NAME);
    const deleteKey = booleanOption(args, 'delete-key');
    await storeCall(() => machine.store(entry.location, entry.store).remove(entry.thumbprint, { deleteKey }));
    writeLines(ctx.io.stdout, [
      `Deleted ${entry.thumbprint} from ${entry.location}\\${entry.store}${deleteKey && entry.properties.keyContainer ? ' with its private key' : ''}.`,
    ]);
    return EXIT.ok;
  },
};
