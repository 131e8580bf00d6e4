// What the `certlab store` commands share: the simulated machine kept in a directory
// (--machine DIR), the --location / --store / --lang options, finding a certificate by
// thumbprint, and StoreError mapped to the CLI's exit codes.

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CertificateEntry, Lang, Machine, StoreLocation } from '@certlab/store-sim';
// Values are read from the namespace at run time, as the other commands do with @certlab/pki.
import * as ss from '@certlab/store-sim';
import { choiceOption, requireOption, stringOption } from '../args.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { CommandContext, OptionSpec, ParsedArgs } from '../command.js';
import { resolvePath } from '../files.js';
import { STORE_USAGE_CODES } from '../report-error.js';

export const MACHINE_OPTION: OptionSpec = {
  name: 'machine',
  type: 'string',
  value: 'DIR',
  help: 'Directory holding the simulated machine (its stores and key containers). Required.',
};
export const LOCATION_OPTION: OptionSpec = {
  name: 'location',
  type: 'string',
  value: 'LocalMachine|CurrentUser',
  help: 'Store location (LM, CU, HKLM… accepted).',
};
export const STORE_OPTION: OptionSpec = {
  name: 'store',
  type: 'string',
  value: 'NAME',
  help: 'Store name: My, Root, CA, Trust, Disallowed, TrustedPeople, TrustedPublisher, AddressBook…',
};
export const LANG_OPTION: OptionSpec = {
  name: 'lang',
  type: 'string',
  value: 'en|fr',
  help: 'Language of the console texts (default en).',
};

/**
 * Runs a store operation, turning a StoreError into `certlab: message [CODE]` with exit 2 for
 * bad input and exit 1 for a failed operation.
 *
 * @example
 * ```ts
 * const entry = await storeCall(() => store.remove(thumb));
 * ```
 */
export async function storeCall<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (ss.isStoreError(e))
      throw new CliError(
        STORE_USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.failed,
        // The library says a password is needed; the command line says which option gives it.
        `${e.message}${e.code === 'ERR_STORE_PASSWORD_REQUIRED' ? ' Give it with --password-file F (or --password P).' : ''} [${e.code}]`,
      );
    throw e;
  }
}

/**
 * Opens the machine of --machine DIR. With `create` false (every command but import) the
 * directory must exist, so that a typo is not read as an empty machine.
 *
 * @example
 * ```ts
 * const machine = await openMachine(ctx, args, 'store list', false);
 * ```
 */
export async function openMachine(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
  create: boolean,
): Promise<Machine> {
  const dir = requireOption(args, 'machine', command);
  const root = resolvePath(ctx.io, dir);
  if (!create) {
    let isDir = false;
    try {
      isDir = (await stat(root)).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw usageError(`--machine ${dir}: no such directory (import something first).`, command);
  }
  const name = basename(root).toUpperCase() || 'CERTLAB';
  const adapter = new ss.DirectoryStoreAdapter(root);
  const machine = await storeCall(() => ss.Machine.open({ name, adapter }));
  // A damaged file is skipped so that the rest of the machine opens; never silently.
  for (const f of adapter.skippedFiles) ctx.io.stderr.write(`Warning: ${f.problem}\n`);
  return machine;
}

/** --location, parsed, or undefined. @example `locationOption(args)` */
export function locationOption(args: ParsedArgs): Promise<StoreLocation | undefined> {
  const l = stringOption(args, 'location');
  return storeCall(() => (l === undefined ? undefined : ss.parseLocation(l)));
}

/** --store, normalised (`root` → `Root`), or undefined. @example `storeOption(args)` */
export function storeOption(args: ParsedArgs): Promise<string | undefined> {
  const s = stringOption(args, 'store');
  return storeCall(() => (s === undefined ? undefined : ss.normalizeStoreName(s)));
}

/** Edit distance, for "did you mean" (names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Why `store` (normalised) is probably a typo in `location`, or undefined when it is a system
 * store (Root, CA, My…), a service's store (`svc\Store`) or a custom store that holds something.
 * Windows has custom stores (`certutil -addstore NAME` creates one), but PowerShell's
 * `Cert:\LocalMachine\Roots` does not exist: a misspelt store must not quietly receive a root.
 *
 * @example
 * ```ts
 * unknownStore(machine, 'LocalMachine', 'Roots'); // 'LocalMachine\Roots is not a system store and does not exist; did you mean Root?'
 * ```
 */
export function unknownStore(machine: Machine, location: string, store: string): string | undefined {
  if (store.includes('\\') || ss.STORE_DISPLAY_NAMES.some((d) => d.name === store)) return undefined;
  const existing = machine.physicalStores();
  // Any case: the machine matches store names as Windows does.
  const key = `${location}\\${store}`.toLowerCase();
  if (existing.some((k) => k.toLowerCase() === key)) return undefined;
  const candidates = [
    ...ss.STORE_DISPLAY_NAMES.map((d) => d.name),
    ...existing.filter((k) => k.startsWith(`${location}\\`)).map((k) => k.slice(location.length + 1)),
  ];
  const lower = store.toLowerCase();
  const near = candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(1, Math.floor(x.c.length / 3)))
    .sort((x, y) => x.d - y.d)[0]?.c;
  return `${location}\\${store} is not a system store and does not exist${near ? `; did you mean ${near}?` : '.'}`;
}

/**
 * The spelling under which a custom store already exists in `location`, matched without regard to
 * case as Windows matches store names (the system stores are normalised by `normalizeStoreName`).
 *
 * @example
 * ```ts
 * existingStoreName(machine, 'LocalMachine', 'webhosting'); // 'WebHosting' once that store holds something
 * ```
 */
export function existingStoreName(machine: Machine, location: string, store: string): string | undefined {
  const key = `${location}\\${store}`.toLowerCase();
  const found = machine.physicalStores().find((k) => k.toLowerCase() === key);
  return found?.slice(location.length + 1);
}

/** --lang. @example `langOption(args, 'store list')` */
export function langOption(args: ParsedArgs, command: string): Lang {
  return choiceOption(args, 'lang', ['en', 'fr'] as Lang[], 'en', command);
}

/**
 * The copy of a certificate a command works on: the one in --location / --store when given,
 * else the only physical copy; several copies and no --location / --store is a usage error.
 * With `anyLocation` (store verify, whose --location is the chain engine's context) --location
 * only prefers a copy: a certificate that is only in the other location is still found.
 *
 * @example
 * ```ts
 * const entry = await findEntry(machine, args, 'store show');
 * ```
 */
export async function findEntry(
  machine: Machine,
  args: ParsedArgs,
  command: string,
  options: { anyLocation?: boolean } = {},
): Promise<CertificateEntry> {
  const raw = args.positionals[0]!;
  const thumb = await storeCall(() => ss.normalizeThumbprint(raw));
  const location = await locationOption(args);
  const store = await storeOption(args);
  const inStore = machine.locate(thumb).filter((e) => store === undefined || e.store === store);
  let copies = location === undefined ? inStore : inStore.filter((e) => e.location === location);
  const elsewhere = copies.length === 0 && options.anyLocation === true && inStore.length > 0;
  if (elsewhere) copies = inStore;
  if (copies.length === 0) {
    // A logical view may show a machine certificate from a user store (CurrentUser\Root sees LocalMachine\Root).
    if (location !== undefined && store !== undefined) {
      const seen = machine.store(location, store).get(thumb);
      if (seen) return seen;
    }
    const where = [location, store].filter((x) => x !== undefined).join('\\');
    throw new CliError(
      EXIT.failed,
      `no certificate ${thumb} on ${machine.name}${where ? ` in ${where}` : ''}. [ERR_STORE_NOT_FOUND]`,
    );
  }
  if (copies.length > 1 && !(location !== undefined && store !== undefined && !elsewhere))
    throw usageError(
      `${thumb} is in ${copies.map((e) => `${e.location}\\${e.store}`).join(', ')}: give ${elsewhere ? '--store' : '--location and --store'}.`,
      command,
    );
  return copies[0]!;
}

/** `Issued To` / `Issued By` as the console shows them: the CN, else the whole name. */
export function consoleName(name: { commonName?: string | undefined; toWindowsString(): string }): string {
  try {
    return name.commonName ?? name.toWindowsString();
  } catch {
    return '';
  }
}

/** `LocalMachine\Root (Trusted Root Certification Authorities)`. */
export function storeLabel(location: StoreLocation, store: string, lang: Lang): string {
  return `${location}\\${store} (${ss.storeDisplayName(store, lang)})`;
}

/**
 * The colon between a label and its value: French puts a space before it (as Windows' French
 * dialogs do, « Délivré à : »).
 *
 * @example
 * ```ts
 * `Root${colon('fr')}1`; // 'Root : 1'
 * ```
 */
export function colon(lang: Lang): string {
  return lang === 'fr' ? ' : ' : ': ';
}
