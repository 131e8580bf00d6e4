// `certlab ca editflags`: the policy module's EditFlags, as `certutil -getreg policy\EditFlags`
// shows them and `certutil -setreg policy\EditFlags +EDITF_…` / `-EDITF_…` changes them. Like
// AD CS, which reads them when certsvc starts, a running `certlab serve` applies a change at its
// next start; every other command reads ca.json each time.

import { join } from 'node:path';
import { EDIT_FLAGS, type EditFlag } from '@certlab/ca-sim';
import { choiceOption, listOption } from '../args.js';
import { CA_CONFIG_FILE, caDir, DIR_OPTION, requireCaConfig, writeCaConfig } from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';

const NAME = 'ca editflags';

/** What each flag the simulator honours does, for the listing. */
const MEANING: Record<EditFlag, string> = {
  EDITF_ATTRIBUTESUBJECTALTNAME2: 'a san: request attribute replaces the SAN of the request',
  EDITF_ATTRIBUTEENDDATE:
    'ExpirationDate, or ValidityPeriod with ValidityPeriodUnits, request attributes may shorten the validity',
};

/** A flag as given: its name in any case, with or without the EDITF_ prefix (certutil takes both). */
function flagOf(given: string): EditFlag {
  const upper = given.trim().toUpperCase();
  const name = (upper.startsWith('EDITF_') ? upper : `EDITF_${upper}`) as EditFlag;
  if (!EDIT_FLAGS.includes(name))
    throw usageError(`${given} is not an EditFlag certlab honours (${EDIT_FLAGS.join(', ')}).`, NAME);
  return name;
}

export const caEditFlags: Command = {
  name: NAME,
  summary: "List, set or clear the policy module's EditFlags (certutil -setreg policy\\EditFlags).",
  usage: ['ca editflags [--dir DIR] [--add FLAG]... [--remove FLAG]... [--format text|json]'],
  description: `Without options, lists the EditFlags the CA's policy module honours and which are set. --add sets a flag and --remove clears one, as certutil -setreg policy\\EditFlags +FLAG / -FLAG does; FLAG is its name (EDITF_ATTRIBUTEENDDATE, or ATTRIBUTEENDDATE), in any case. The flags certlab honours: ${EDIT_FLAGS.map((f) => `${f} (${MEANING[f]})`).join('; ')}. The flags are kept in DIR/${CA_CONFIG_FILE}: the ca commands read them each time, and a running certlab serve at its next start, as AD CS reads them when certsvc starts. Nothing but ${CA_CONFIG_FILE} is opened, so this works while certlab serve holds the database.`,
  options: [
    DIR_OPTION,
    { name: 'add', type: 'string', value: 'FLAG', multiple: true, help: 'Set an EditFlag.' },
    { name: 'remove', type: 'string', value: 'FLAG', multiple: true, help: 'Clear an EditFlag.' },
    FORMAT_OPTION,
  ],
  examples: [
    'ca editflags --dir ./pki',
    'ca editflags --dir ./pki --add EDITF_ATTRIBUTEENDDATE',
    'ca editflags --dir ./pki --remove EDITF_ATTRIBUTESUBJECTALTNAME2',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const adds = listOption(args, 'add').map(flagOf);
    const removes = listOption(args, 'remove').map(flagOf);
    const both = adds.find((f) => removes.includes(f));
    if (both) throw usageError(`${both} is both added and removed: give it once.`, NAME);
    const dir = caDir(ctx, args);
    const config = await requireCaConfig(args, dir);
    const before = new Set(config.editFlags);
    const after = new Set(before);
    for (const f of adds) after.add(f);
    for (const f of removes) after.delete(f);
    // Kept in the order certlab lists them, whatever order they were given in.
    const flags = EDIT_FLAGS.filter((f) => after.has(f));
    const changes = [
      ...EDIT_FLAGS.filter((f) => after.has(f) && !before.has(f)).map((f) => `Set ${f}`),
      ...EDIT_FLAGS.filter((f) => before.has(f) && !after.has(f)).map((f) => `Cleared ${f}`),
    ];
    if (changes.length > 0) await writeCaConfig(dir, { ...config, editFlags: flags });
    if (format === 'json') {
      writeJson(ctx.io.stdout, { editFlags: flags, changes });
      return EXIT.ok;
    }
    writeLines(ctx.io.stdout, [
      ...changes,
      ...(changes.length > 0
        ? [`(in ${join(dir, CA_CONFIG_FILE)}; a running certlab serve applies it at its next start)`, '']
        : []),
      `EditFlags of ${config.name}:`,
      ...EDIT_FLAGS.map((f) => `  ${after.has(f) ? '[x]' : '[ ]'} ${f}: ${MEANING[f]}`),
    ]);
    return EXIT.ok;
  },
};
