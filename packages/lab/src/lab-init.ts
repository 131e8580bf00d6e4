// Creating a lab directory: DIR/lab.json, the CA's publication folder, the certsrv account, and
// the hosts the scenario provisions. The CA itself is created by the caller (the CLI creates it
// with `certlab ca init`'s layout in DIR/ca, so that `certlab serve --dir DIR/ca` and
// `certlab ca … --dir DIR/ca` work on it; the automated run uses one in memory).

import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CertificationAuthority, UserDirectory } from '@certlab/ca-sim';
import { publishCaCertificates } from './ca-publication.js';
import { LabError } from './errors.js';
import { ADMIN_GROUPS } from './internal/lab-accounts.js';
import { type ExchangeVersion, LAB_CONFIG_FILE, type LabConfig, writeLabConfig } from './lab-config.js';
import { CERT_ENROLL, type LabSession, openLabSession } from './lab-session.js';
import { type LabLang, type Localized, l10n } from './localized.js';
import { getScenario } from './scenario.js';

/** The certsrv accounts file `certlab serve` reads in the CA directory. @example `join(dir, 'ca', CA_USERS_FILE)` */
export const CA_USERS_FILE = 'users.json';

/**
 * Options of {@link createLab}.
 *
 * @example
 * ```ts
 * const o: CreateLabOptions = { dir: './lab', ca, exchange: '2010', lang: 'fr', account: { name: 'administrator', password: 'P@ss' } };
 * ```
 */
export interface CreateLabOptions {
  readonly dir: string;
  /** Default `exchange-um`. */
  readonly scenario?: string;
  readonly exchange: ExchangeVersion;
  readonly lang: LabLang;
  readonly ca: CertificationAuthority;
  /** The CA directory relative to `dir` (default `ca`). */
  readonly caDir?: string;
  /**
   * The certsrv account of the trainee; written to DIR/ca/users.json as a CA administrator in
   * CONTOSO\Domain Admins and CONTOSO\Enterprise Admins.
   */
  readonly account: { readonly name: string; readonly password: string };
  readonly now?: () => Date;
  /** A running certsrv (CDP URLs are then fetched from it). */
  readonly certsrvUrl?: string;
  /** How to print the directory in hints (default `dir`). */
  readonly displayDir?: string;
}

/**
 * Throws ERR_LAB_EXISTS when `dir` already holds a lab: a lab.json, readable or not, is a lab
 * (an unreadable one is a lab to repair, not a directory to prepare again). createLab checks it,
 * and so does anything that must refuse before creating something in `dir` (the CLI creates the
 * CA first). `display` is how the directory is named in the message (default `dir`); `lang` is
 * the message's language (default English; it has both, see LabError.messageIn).
 *
 * @example
 * ```ts
 * await assertNoLab('/srv/labo', './labo', 'fr'); // ERR_LAB_EXISTS if /srv/labo/lab.json exists
 * ```
 */
export async function assertNoLab(dir: string, display: string = dir, lang?: LabLang): Promise<void> {
  const exists = await access(join(dir, LAB_CONFIG_FILE)).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new LabError(
      'ERR_LAB_EXISTS',
      l10n(
        `${display} already holds a lab: use another directory, or delete it to start again (see docs/lab-trainer.md, "Resetting").`,
        `${display} contient déjà un labo : choisissez un autre répertoire, ou supprimez-le pour recommencer (voir docs/lab-guide.fr.md, « Recommencer »).`,
      ),
      { lang },
    );
}

/**
 * Creates a lab; ERR_LAB_EXISTS when `dir` already holds one.
 *
 * @example
 * ```ts
 * const { session, firstStep } = await createLab({ dir, ca, exchange: '2007sp1', lang: 'en', account });
 * console.log(firstStep.en);
 * ```
 */
export async function createLab(
  options: CreateLabOptions,
): Promise<{ session: LabSession; firstStep: Localized }> {
  const scenario = getScenario(options.scenario ?? 'exchange-um');
  if (options.exchange !== '2007sp1' && options.exchange !== '2010')
    throw new LabError(
      'ERR_LAB_OPTION_INVALID',
      l10n(
        `The Exchange version is 2007sp1 or 2010, not "${options.exchange}".`,
        `La version d'Exchange est 2007sp1 ou 2010, pas « ${options.exchange} ».`,
      ),
      { lang: options.lang },
    );
  await assertNoLab(options.dir, options.dir, options.lang);
  const caDir = options.caDir ?? 'ca';
  await mkdir(options.dir, { recursive: true });
  await publishCaCertificates(options.ca, join(options.dir, caDir, CERT_ENROLL));
  const users = new UserDirectory('CONTOSO');
  // The domain's Administrator: a CA administrator, and in the groups Web Server's default
  // permissions let enroll (the lab CA publishes them, see withDefaultPermissions).
  await users.add(options.account.name, options.account.password, {
    admin: true,
    directory: { groups: [...ADMIN_GROUPS] },
  });
  await users.save(join(options.dir, caDir, CA_USERS_FILE));
  const now = options.now ?? (() => new Date());
  const config: LabConfig = {
    scenario: scenario.id,
    exchange: options.exchange,
    lang: options.lang,
    hosts: scenario.hosts,
    ca: {
      dir: caDir,
      name: options.ca.name,
      rootName: options.ca.rootName ?? options.ca.name,
      baseUrl: options.ca.points.baseUrl,
      account: { name: users.canonicalName(options.account.name), password: options.account.password },
    },
    createdAt: now().toISOString(),
  };
  await writeLabConfig(options.dir, config);
  const session = await openLabSession(options.dir, {
    now,
    config,
    ...(options.certsrvUrl ? { certsrvUrl: options.certsrvUrl } : {}),
    ...(options.displayDir ? { displayDir: options.displayDir } : {}),
  });
  await scenario.prepare(session, options.ca);
  return { session, firstStep: scenario.firstStep(session) };
}
