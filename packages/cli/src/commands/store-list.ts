// `certlab store list`: the Certificates console's list view of a store (or of every store)
// of a simulated machine: Issued To, Issued By, Expiration Date, Intended Purposes, Friendly
// Name, the key icon, and the thumbprint.

import type { CertificateEntry, Lang, StoreLocation } from '@certlab/store-sim';
import * as ss from '@certlab/store-sim';
import { booleanOption, choiceOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { isoSeconds } from '../format/dates.js';
import { writeJson, writeLines } from '../output.js';
import {
  colon,
  consoleName,
  existingStoreName,
  LANG_OPTION,
  LOCATION_OPTION,
  langOption,
  locationOption,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeLabel,
  storeOption,
  unknownStore,
} from './store-common.js';

const NAME = 'store list';
const KEY_ICON = '🔑';

interface View {
  location: StoreLocation;
  store: string;
  entries: CertificateEntry[];
}

export const storeList: Command = {
  name: NAME,
  summary: 'List the certificates of a store as the Certificates console shows them.',
  usage: [
    'store list --machine DIR [--location LocalMachine|CurrentUser] [--store NAME] [--archived]',
    '       [--lang en|fr] [--format text|json]',
  ],
  description: `With --location and --store, lists the logical store as the console shows it (CurrentUser\\Root includes LocalMachine\\Root, for example). With only one of them, or neither, lists every physical store that holds certificates, restricted to that location or store name. Columns: Issued To, Issued By, Expiration Date (UTC), Intended Purposes, Friendly Name, ${KEY_ICON} when the private key is on the machine, and the SHA-1 thumbprint.`,
  options: [
    MACHINE_OPTION,
    LOCATION_OPTION,
    STORE_OPTION,
    { name: 'archived', type: 'boolean', help: 'Show archived certificates too.' },
    LANG_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'store list --machine ex01 --location LocalMachine --store My',
    'store list --machine ex01 --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const lang = langOption(args, NAME);
    const location = await locationOption(args);
    const store = await storeOption(args);
    const includeArchived = booleanOption(args, 'archived');
    const machine = await openMachine(ctx, args, NAME, false);
    // A misspelt --store (Roots) listed "No certificates.", as if the store were empty.
    if (store !== undefined) {
      const typos = (location ? [location] : (['CurrentUser', 'LocalMachine'] as const)).map((l) =>
        unknownStore(machine, l, store),
      );
      if (typos.every((t) => t !== undefined)) throw usageError(typos[0]!, NAME);
    }
    const views: View[] = [];
    if (location !== undefined && store !== undefined) {
      const name = existingStoreName(machine, location, store) ?? store;
      views.push({ location, store: name, entries: machine.store(location, name).list({ includeArchived }) });
    } else {
      for (const key of machine.physicalStores()) {
        const i = key.indexOf('\\');
        const l = key.slice(0, i) as StoreLocation;
        const s = key.slice(i + 1);
        if (
          (location !== undefined && l !== location) ||
          (store !== undefined && s.toLowerCase() !== store.toLowerCase())
        )
          continue;
        const entries = machine
          .find({ location: l, includeArchived })
          .filter((e) => e.store === s && e.location === l);
        if (entries.length) views.push({ location: l, store: s, entries });
      }
    }
    if (format === 'json') {
      writeJson(
        ctx.io.stdout,
        views.flatMap((v) => v.entries.map((e) => row(e, v, lang))),
      );
      return EXIT.ok;
    }
    if (views.length === 0 || views.every((v) => v.entries.length === 0)) {
      writeLines(ctx.io.stdout, [lang === 'fr' ? 'Aucun certificat.' : 'No certificates.']);
      return EXIT.ok;
    }
    const out: string[] = [];
    for (const v of views) {
      if (out.length) out.push('');
      out.push(`${storeLabel(v.location, v.store, lang)}${colon(lang)}${v.entries.length}`);
      const headers =
        lang === 'fr'
          ? [
              'Délivré à',
              'Délivré par',
              "Date d'expiration",
              'Rôles prévus',
              'Nom convivial',
              '',
              'Empreinte numérique',
            ]
          : [
              'Issued To',
              'Issued By',
              'Expiration Date',
              'Intended Purposes',
              'Friendly Name',
              '',
              'Thumbprint',
            ];
      const rows = v.entries.map((e) => {
        const r = row(e, v, lang);
        return [
          r.issuedTo,
          r.issuedBy,
          r.expiration.slice(0, 10),
          r.intendedPurposes.join(', '),
          r.friendlyName ?? (lang === 'fr' ? '<Aucun>' : '<None>'),
          r.hasPrivateKey ? KEY_ICON : '',
          r.thumbprint,
        ];
      });
      out.push(...table(headers, rows));
    }
    writeLines(ctx.io.stdout, out);
    return EXIT.ok;
  },
};

function row(e: CertificateEntry, v: View, lang: Lang) {
  const c = e.certificate;
  return {
    location: v.location,
    store: v.store,
    storeDisplayName: ss.storeDisplayName(v.store, lang),
    physical: e.physical,
    issuedTo: consoleName(c.subject),
    issuedBy: consoleName(c.issuer),
    expiration: isoSeconds(c.notAfter),
    intendedPurposes: ss.intendedPurposes(c, lang),
    friendlyName: e.properties.friendlyName,
    hasPrivateKey: e.hasPrivateKey,
    archived: e.properties.archived === true,
    thumbprint: e.thumbprint,
  };
}

/** Left-aligned columns, two spaces apart; the key icon counts as two columns wide. */
function table(headers: string[], rows: string[][]): string[] {
  const width = (s: string) => [...s].reduce((n, ch) => n + (ch === KEY_ICON ? 2 : 1), 0);
  const w = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(w[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
