// DIR/lab.json: what `certlab lab init` prepared (scenario, Exchange version, language, hosts,
// where the CA lives), read back by every later lab command.

import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LabError } from './errors.js';
import { isRecord } from './internal/json-shape.js';
import { type LabLang, l10n } from './localized.js';
import { shellWord } from './shell-word.js';

/** The file in a lab directory that describes the lab. @example `join(dir, LAB_CONFIG_FILE)` */
export const LAB_CONFIG_FILE = 'lab.json';

/**
 * The Exchange release whose behaviour the UM server follows.
 *
 * @example
 * ```ts
 * const v: ExchangeVersion = '2007sp1';
 * ```
 */
export type ExchangeVersion = '2007sp1' | '2010';

/**
 * The role of a host in a scenario.
 *
 * @example
 * ```ts
 * const r: HostRole = 'exchange-um';
 * ```
 */
export type HostRole = 'ca' | 'exchange-um' | 'lync';

/**
 * One simulated host: a machine directory under DIR/hosts.
 *
 * @example
 * ```ts
 * const h: HostDefinition = { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' };
 * ```
 */
export interface HostDefinition {
  readonly role: HostRole;
  /** NetBIOS name. */
  readonly name: string;
  readonly fqdn: string;
  /** Relative to the lab directory. */
  readonly dir: string;
}

/**
 * What DIR/lab.json holds.
 *
 * @example
 * ```ts
 * const config = await readLabConfig('/tmp/lab');
 * config.hosts.find((h) => h.role === 'exchange-um')?.fqdn; // 'ex01.contoso.com'
 * ```
 */
export interface LabConfig {
  readonly scenario: string;
  readonly exchange: ExchangeVersion;
  readonly lang: LabLang;
  readonly hosts: readonly HostDefinition[];
  readonly ca: {
    /** The CA directory (the `certlab ca init` layout), relative to the lab directory. */
    readonly dir: string;
    readonly name: string;
    readonly rootName: string;
    readonly baseUrl: string;
    /** The certsrv account the trainee signs in with (HTTP Basic). */
    readonly account: { readonly name: string; readonly password: string };
  };
  readonly createdAt: string;
}

/**
 * Reads DIR/lab.json; ERR_LAB_NOT_FOUND when the directory holds no lab.
 *
 * @example
 * ```ts
 * const config = await readLabConfig('./lab');
 * ```
 */
export async function readLabConfig(dir: string): Promise<LabConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, LAB_CONFIG_FILE), 'utf8');
  } catch (e) {
    throw new LabError(
      'ERR_LAB_NOT_FOUND',
      l10n(
        `There is no lab in ${dir}: prepare one with certlab lab init exchange-um --dir ${shellWord(dir)}`,
        `Il n'y a pas de labo dans ${dir} : préparez-en un avec certlab lab init exchange-um --dir ${shellWord(dir)} --lang fr`,
      ),
      { cause: e },
    );
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new LabError(
      'ERR_LAB_CONFIG_INVALID',
      l10n(
        `${join(dir, LAB_CONFIG_FILE)} is not valid JSON.`,
        `${join(dir, LAB_CONFIG_FILE)} n'est pas du JSON valide.`,
      ),
      { cause: e },
    );
  }
  if (!isLabConfigShape(v))
    throw new LabError(
      'ERR_LAB_CONFIG_INVALID',
      l10n(
        `${join(dir, LAB_CONFIG_FILE)} is not a certlab lab description; run 'certlab lab init' in a new directory.`,
        `${join(dir, LAB_CONFIG_FILE)} ne décrit pas un labo certlab ; lancez 'certlab lab init' dans un nouveau répertoire.`,
      ),
    );
  // Every later command joins these onto the lab directory and writes there: a hand-edited
  // "../.." or "/etc" would make the lab write outside its own directory.
  for (const [what, where] of [
    ['ca.dir', v.ca.dir],
    ...v.hosts.map((h) => [`the ${h.role} host's dir`, h.dir] as const),
  ] as const)
    if (!isInsideDir(where))
      throw new LabError(
        'ERR_LAB_CONFIG_INVALID',
        l10n(
          `${join(dir, LAB_CONFIG_FILE)}: ${what} must be a folder inside the lab directory, not ${JSON.stringify(where)}.`,
          `${join(dir, LAB_CONFIG_FILE)} : ${what} doit être un dossier du répertoire du labo, et non ${JSON.stringify(where)}.`,
        ),
      );
  // The language picks texts out of { en, fr } objects: "constructor" would find Object.prototype's.
  if (v.lang !== 'en' && v.lang !== 'fr')
    throw new LabError(
      'ERR_LAB_CONFIG_INVALID',
      l10n(
        `${join(dir, LAB_CONFIG_FILE)}: "lang" must be "en" or "fr", not ${JSON.stringify(v.lang)}.`,
        `${join(dir, LAB_CONFIG_FILE)} : "lang" doit valoir "en" ou "fr", et non ${JSON.stringify(v.lang)}.`,
      ),
    );
  if (v.exchange !== '2007sp1' && v.exchange !== '2010')
    throw new LabError(
      'ERR_LAB_CONFIG_INVALID',
      l10n(
        `${join(dir, LAB_CONFIG_FILE)}: "exchange" must be "2007sp1" or "2010", not ${JSON.stringify(v.exchange)}.`,
        `${join(dir, LAB_CONFIG_FILE)} : "exchange" doit valoir "2007sp1" ou "2010", et non ${JSON.stringify(v.exchange)}.`,
      ),
    );
  return v;
}

const allStrings = (x: Record<string, unknown>, keys: readonly string[]): boolean =>
  keys.every((k) => typeof x[k] === 'string');

/** Whether a parsed lab.json has every member later commands read, of the type they expect. */
function isLabConfigShape(v: unknown): v is LabConfig {
  if (!isRecord(v) || !allStrings(v, ['scenario', 'exchange', 'lang', 'createdAt'])) return false;
  const { ca, hosts } = v;
  return (
    Array.isArray(hosts) &&
    hosts.every((h) => isRecord(h) && allStrings(h, ['role', 'name', 'fqdn', 'dir'])) &&
    isRecord(ca) &&
    allStrings(ca, ['dir', 'name', 'rootName', 'baseUrl']) &&
    isRecord(ca.account) &&
    allStrings(ca.account, ['name', 'password'])
  );
}

/** A relative path that stays inside the directory it is joined to (`ca`, `hosts/ex01`). */
function isInsideDir(p: string): boolean {
  return (
    p.length > 0 &&
    !p.includes('\0') &&
    !isAbsolute(p) &&
    !/^[A-Za-z]:/.test(p) &&
    !p.split(/[\\/]/).some((part) => part === '..')
  );
}

/**
 * Writes DIR/lab.json (mode 0600: it holds the lab account's password).
 *
 * @example
 * ```ts
 * await writeLabConfig(dir, config);
 * ```
 */
export async function writeLabConfig(dir: string, config: LabConfig): Promise<void> {
  await writeFile(join(dir, LAB_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The host of a role; ERR_LAB_HOST_UNKNOWN when the lab has none.
 *
 * @example
 * ```ts
 * hostOf(config, 'lync').fqdn; // 'lync01.contoso.com'
 * ```
 */
export function hostOf(config: LabConfig, role: HostRole): HostDefinition {
  const h = config.hosts.find((x) => x.role === role);
  if (!h)
    throw new LabError(
      'ERR_LAB_HOST_UNKNOWN',
      l10n(
        `The lab has no ${role} host; re-create it with 'certlab lab init'.`,
        `Le labo n'a pas de serveur ${role} ; recréez-le avec 'certlab lab init'.`,
      ),
      { lang: config.lang },
    );
  return h;
}
