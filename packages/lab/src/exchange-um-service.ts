// The simulated Microsoft Exchange Unified Messaging service (MSExchangeUM) of the UM server:
// startup mode (TCP, TLS, Dual), certificate selection at service start as Exchange 2007 SP1
// does it, assignment as Exchange 2010 does it (Enable-ExchangeCertificate -Services UM), the
// Application-log events of a start, and the Get-ExchangeCertificate view.
// Behaviour follows exchange-um-lync.md §4 (2007 SP1) and §5.4 (2010). Event wording is OURS:
// Microsoft's text for event 1112 and for the refusal of Enable-ExchangeCertificate in TCP mode
// is not public, so every such message starts with "[SYNTHETIC]" (reference §4.3).
// The event messages are in the lab's language (exchange-um-event-texts.ts); their data is not.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  extKeyUsage,
  generateKeyPair,
  keyUsage,
  type PrivateKey,
  subjectAltName,
} from '@certlab/pki';
import type { CertificateEntry } from '@certlab/store-sim';
import { normalizeThumbprint, writeFileAtomic } from '@certlab/store-sim';
import { certificateStatus, type ExchangeCertificateStatus, namesHost } from './certificate-status.js';
import { createCrlCache } from './crl-cache.js';
import { LabError } from './errors.js';
import type { LabEvent } from './event-log.js';
import { umEventText } from './exchange-um-event-texts.js';
import { isSelfSigned, issuerText, subjectText } from './internal/certificate-text.js';
import { deFr } from './internal/french-de.js';
import { isRecord, shownValue } from './internal/json-shape.js';
import { newestFirst } from './internal/newest-first.js';
import type { ExchangeVersion } from './lab-config.js';
import { HOST_STATE_DIR, type LabHost } from './lab-host.js';
import type { LabNetwork } from './lab-network.js';
import { type LabLang, type Localized, l10n } from './localized.js';
import { buildMachineChain } from './machine-chain.js';
import type { TlsSide } from './mutual-tls.js';

/** The event source of the UM service. @example `log.find(1112, UM_EVENT_SOURCE)` */
export const UM_EVENT_SOURCE = 'MSExchange Unified Messaging';
/**
 * The event that names the certificate UM retrieved (article, "assign" procedure, step 6).
 *
 * @example
 * ```ts
 * ex01.eventLog.find(UM_CERTIFICATE_EVENT).at(-1)?.data?.thumbprint;
 * ```
 */
export const UM_CERTIFICATE_EVENT = 1112;

/**
 * The last event 1112 of level Information in a host's Application log: UM loaded a certificate
 * (its thumbprint in `data.thumbprint`), as the article's "find event ID 1112" step reads it.
 *
 * @example
 * ```ts
 * lastCertificateLoaded(ex01)?.data?.thumbprint;
 * ```
 */
export function lastCertificateLoaded(host: LabHost): LabEvent | undefined {
  return host.eventLog
    .find(UM_CERTIFICATE_EVENT)
    .filter((e) => e.level === 'Information')
    .at(-1);
}

/**
 * How the UM service starts (Set-UMServer -UMStartupMode): TCP only, TLS only, or both.
 *
 * @example
 * ```ts
 * const mode: UmStartupMode = 'Dual';
 * ```
 */
export type UmStartupMode = 'TCP' | 'TLS' | 'Dual';

/**
 * An Exchange service a certificate can be enabled for.
 *
 * @example
 * ```ts
 * const s: ExchangeServiceName = 'UM';
 * ```
 */
export type ExchangeServiceName = 'IMAP' | 'POP' | 'UM' | 'IIS' | 'SMTP' | 'Federation';

/** Positions of the Services column (reference §5.4; the Federation letter is unverified). */
const SERVICE_LETTERS: readonly [ExchangeServiceName, string][] = [
  ['IMAP', 'I'],
  ['POP', 'P'],
  ['UM', 'U'],
  ['IIS', 'W'],
  ['SMTP', 'S'],
  ['Federation', 'F'],
];

/**
 * What the service keeps between commands.
 *
 * @example
 * ```ts
 * um.state.running?.certificate; // the thumbprint loaded at the last start
 * ```
 */
export interface UmServiceState {
  readonly version: ExchangeVersion;
  readonly startupMode: UmStartupMode;
  /** Services enabled per certificate thumbprint (Enable-ExchangeCertificate is additive). */
  readonly services: Readonly<Record<string, readonly ExchangeServiceName[]>>;
  /** The Exchange self-signed certificate setup created. */
  readonly selfSigned: string;
  /**
   * The language of the server's event messages: the lab's, fixed at install as a Windows
   * display language is, so that every later command (lab run, lab um, lab check) writes in it
   * without being told. Absent in labs prepared before it existed: English.
   */
  readonly lang?: LabLang;
  /** The state of the last start; null when the service never started. */
  readonly running: {
    readonly since: string;
    readonly mode: UmStartupMode;
    /** The certificate loaded for TLS; null when none (TCP mode, or nothing usable). */
    readonly certificate: string | null;
  } | null;
}

/**
 * One row of Get-ExchangeCertificate (with the Format-List fields the lab uses).
 *
 * @example
 * ```ts
 * const rows = await um.certificates();
 * rows[0]!.services; // '..UWS.'
 * ```
 */
export interface ExchangeCertificateRow {
  readonly thumbprint: string;
  readonly services: string;
  readonly subject: string;
  readonly issuer: string;
  readonly status: ExchangeCertificateStatus;
  readonly hasPrivateKey: boolean;
  readonly isSelfSigned: boolean;
  readonly notAfter: Date;
  readonly certificateDomains: string[];
}

/**
 * Why a 2007 SP1 start passed over a certificate.
 *
 * @example
 * ```ts
 * const r: CandidateProblem = 'PrivateKeyMissing';
 * ```
 */
export type CandidateProblem = 'PrivateKeyMissing' | 'DateInvalid' | 'Untrusted' | 'WrongName' | 'WrongUsage';

/**
 * What a start did.
 *
 * @example
 * ```ts
 * const r = await um.restart();
 * r.certificate; // thumbprint or undefined
 * ```
 */
export interface UmStartResult {
  readonly mode: UmStartupMode;
  readonly certificate: string | undefined;
  readonly selfSigned: boolean;
  /** Certificates passed over, with why (2007 SP1 selection). */
  readonly skipped: { thumbprint: string; subject: string; problem: CandidateProblem }[];
}

const STARTUP_MODES: readonly string[] = ['TCP', 'TLS', 'Dual'] satisfies UmStartupMode[];

/** A thumbprint as the service keeps it (normalizeThumbprint's form). */
const isThumbprint = (x: unknown): x is string => typeof x === 'string' && /^[0-9A-F]{40}$/.test(x);

/** What is wrong with a parsed state file, in both languages; undefined when it is a state. */
function stateProblem(v: unknown): Localized | undefined {
  if (!isRecord(v))
    return l10n(
      `it holds ${shownValue(v)}, not the service's state`,
      `il contient ${shownValue(v)}, et non l'état du service`,
    );
  const wrong = (key: string, en: string, fr: string): Localized =>
    Object.hasOwn(v, key)
      ? l10n(
          `"${key}" must be ${en}, not ${shownValue(v[key])}`,
          `"${key}" doit être ${fr}, et non ${shownValue(v[key])}`,
        )
      : l10n(`"${key}" is missing`, `"${key}" manque`);
  const thumbprint = [
    'a certificate thumbprint (40 hex digits)',
    'une empreinte numérique de certificat (40 chiffres hexadécimaux)',
  ] as const;
  if (v.version !== '2007sp1' && v.version !== '2010')
    return wrong('version', '"2007sp1" or "2010"', '"2007sp1" ou "2010"');
  if (typeof v.startupMode !== 'string' || !STARTUP_MODES.includes(v.startupMode))
    return wrong('startupMode', '"TCP", "TLS" or "Dual"', '"TCP", "TLS" ou "Dual"');
  if (!isRecord(v.services))
    return wrong(
      'services',
      'an object of services per certificate thumbprint',
      'un objet des services par empreinte numérique de certificat',
    );
  const names: readonly string[] = SERVICE_LETTERS.map(([s]) => s);
  for (const [t, s] of Object.entries(v.services)) {
    if (!isThumbprint(t))
      return l10n(
        `"services" names ${shownValue(t)}, which is not ${thumbprint[0]}`,
        `"services" nomme ${shownValue(t)}, qui n'est pas ${thumbprint[1]}`,
      );
    if (!Array.isArray(s) || !s.every((x) => typeof x === 'string' && names.includes(x)))
      return l10n(
        `the services of ${t} must be a list of ${names.join(', ')}, not ${shownValue(s)}`,
        `les services de ${t} doivent être une liste parmi ${names.join(', ')}, et non ${shownValue(s)}`,
      );
  }
  if (!isThumbprint(v.selfSigned)) return wrong('selfSigned', ...thumbprint);
  // The language picks event texts out of { en, fr } objects: "constructor" would find Object.prototype's.
  if (v.lang !== undefined && v.lang !== 'en' && v.lang !== 'fr')
    return wrong('lang', '"en" or "fr"', '"en" ou "fr"');
  const r = v.running;
  if (
    r !== null &&
    !(
      isRecord(r) &&
      typeof r.since === 'string' &&
      typeof r.mode === 'string' &&
      STARTUP_MODES.includes(r.mode) &&
      (r.certificate === null || isThumbprint(r.certificate))
    )
  )
    return wrong(
      'running',
      `null or { "since": a string, "mode": "TCP", "TLS" or "Dual", "certificate": null or ${thumbprint[0]} }`,
      `null ou { "since" : une chaîne, "mode" : "TCP", "TLS" ou "Dual", "certificate" : null ou ${thumbprint[1]} }`,
    );
  return undefined;
}

/**
 * The Status Get-ExchangeCertificate shows: Exchange's own self-signed certificate is Valid
 * although no root vouches for it (the chain engine calls it Untrusted); every listing and event
 * of the simulator says the same.
 */
function exchangeStatus(c: Certificate, status: ExchangeCertificateStatus): ExchangeCertificateStatus {
  return isSelfSigned(c) && status === 'Untrusted' ? 'Valid' : status;
}

/**
 * The UM service of one Exchange host.
 *
 * @example
 * ```ts
 * const um = await ExchangeUmService.open(ex01, { network });
 * await um.setStartupMode('Dual');
 * await um.enableCertificate(thumb, ['UM']);
 * await um.restart();
 * ```
 */
export class ExchangeUmService {
  readonly host: LabHost;
  readonly #network: LabNetwork;
  readonly #now: () => Date;
  #state: UmServiceState;

  private constructor(host: LabHost, state: UmServiceState, network: LabNetwork, now: () => Date) {
    this.host = host;
    this.#state = state;
    this.#network = network;
    this.#now = now;
  }

  static #file(host: LabHost): string | undefined {
    return host.dir ? join(host.dir, HOST_STATE_DIR, 'exchange-um.json') : undefined;
  }

  /**
   * Installs the UM role on a host as Exchange setup does: a self-signed certificate
   * (`CN=<NetBIOS name>`, SANs NetBIOS name and FQDN) with its key in LocalMachine\My, enabled
   * for IMAP, POP, IIS and SMTP, and a first start. 2007 SP1 starts secured (the lab's UM dial
   * plan is `SIPSecured`, §4.1); 2010 starts in TCP mode, its default (§5.4). `lang` (default
   * `en`) is the language of the event messages, kept for every later start.
   *
   * @example
   * ```ts
   * const um = await ExchangeUmService.install(ex01, { version: '2010', network, lang: 'fr' });
   * ```
   */
  static async install(
    host: LabHost,
    options: { version: ExchangeVersion; network: LabNetwork; now?: () => Date; lang?: LabLang },
  ): Promise<ExchangeUmService> {
    const now = options.now ?? (() => new Date());
    const keys = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const t = now();
    const cert = await createCertificate({
      subject: `CN=${host.name}`,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      notBefore: new Date(t.getTime() - 600_000),
      // Exchange 2007 setup makes a one-year certificate, 2010 a five-year one.
      days: options.version === '2007sp1' ? 365 : 5 * 365,
      extensions: [
        basicConstraints({ ca: false }),
        keyUsage(['digitalSignature', 'keyEncipherment']),
        extKeyUsage(['serverAuth']),
        subjectAltName([
          { type: 'dns', value: host.name },
          { type: 'dns', value: host.fqdn },
        ]),
      ],
    });
    await host.machine
      .store('LocalMachine', 'My')
      .add(cert, { key: keys.privateKey, properties: { friendlyName: 'Microsoft Exchange' } });
    const thumb = await cert.thumbprint();
    const state: UmServiceState = {
      version: options.version,
      startupMode: options.version === '2007sp1' ? 'TLS' : 'TCP',
      services: { [thumb]: ['IMAP', 'POP', 'IIS', 'SMTP'] },
      selfSigned: thumb,
      lang: options.lang ?? 'en',
      running: null,
    };
    const um = new ExchangeUmService(host, state, options.network, now);
    await um.#save();
    await um.restart();
    return um;
  }

  /**
   * Opens the service of a host where {@link ExchangeUmService.install} ran: ERR_LAB_NOT_FOUND
   * when the host has no UM service state, ERR_LAB_CONFIG_INVALID when its state file is not
   * JSON or not a state of the service (a member missing or of the wrong type). `lang` is the
   * language of these errors (the lab's; default English).
   *
   * @example
   * ```ts
   * const um = await ExchangeUmService.open(ex01, { network });
   * ```
   */
  static async open(
    host: LabHost,
    options: { network: LabNetwork; now?: () => Date; state?: UmServiceState; lang?: LabLang },
  ): Promise<ExchangeUmService> {
    let state = options.state;
    const file = ExchangeUmService.#file(host);
    if (!state && file) state = await ExchangeUmService.#read(host, file, options.lang);
    if (!state)
      throw new LabError(
        'ERR_LAB_NOT_FOUND',
        l10n(
          `${host.name} has no Exchange UM service.`,
          `${host.name} n'a pas de service de messagerie unifiée Exchange.`,
        ),
        { lang: options.lang },
      );
    return new ExchangeUmService(host, state, options.network, options.now ?? (() => new Date()));
  }

  /** The state kept in `file`, checked: every method reads it as a {@link UmServiceState}. */
  static async #read(host: LabHost, file: string, lang: LabLang | undefined): Promise<UmServiceState> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new LabError(
        'ERR_LAB_NOT_FOUND',
        l10n(
          `${host.name} has no Exchange UM service state (${file}); prepare the lab with 'certlab lab init'.`,
          `${host.name} n'a pas d'état du service de messagerie unifiée Exchange (${file}) ; préparez le labo avec 'certlab lab init'.`,
        ),
        { cause: e, lang },
      );
    }
    // The file is there but damaged: 'certlab lab init' would refuse this directory (the lab
    // exists), so the way out is a copy of the file or a new lab. A state that is not one would
    // otherwise fail later as a TypeError (certificates(), restart()) or, with an unknown "lang",
    // write events whose message is not a string.
    let v: unknown;
    let problem: Localized | undefined;
    let cause: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      problem = l10n('it is not valid JSON', "ce n'est pas du JSON valide");
      cause = e;
    }
    problem ??= stateProblem(v);
    if (problem)
      throw new LabError(
        'ERR_LAB_CONFIG_INVALID',
        l10n(
          `The Exchange UM service state of ${host.name} (${file}) is damaged: ${problem.en}. Restore it from a copy, or prepare a new lab with 'certlab lab init' in a new directory.`,
          `L'état du service de messagerie unifiée Exchange ${deFr(host.name)} (${file}) est endommagé : ${problem.fr}. Restaurez-le depuis une copie, ou préparez un nouveau labo avec 'certlab lab init' dans un nouveau répertoire.`,
        ),
        { cause, lang },
      );
    return v as UmServiceState;
  }

  /** The language of the server's messages (events, refusals): the lab's, fixed at install. */
  get #lang(): LabLang {
    return this.#state.lang ?? 'en';
  }

  /** The current state. @example `um.state.startupMode` */
  get state(): UmServiceState {
    return this.#state;
  }

  async #save(): Promise<void> {
    const file = ExchangeUmService.#file(this.host);
    if (!file) return;
    await writeFileAtomic(file, `${JSON.stringify(this.#state, null, 2)}\n`);
  }

  /**
   * Set-UMServer -UMStartupMode (Exchange 2010). Takes effect at the next restart.
   * Exchange 2007 SP1 has no such setting: secured mode comes from the dial plan (§4.1).
   *
   * @example
   * ```ts
   * await um.setStartupMode('Dual');
   * ```
   */
  async setStartupMode(mode: UmStartupMode): Promise<void> {
    if (!['TCP', 'TLS', 'Dual'].includes(mode))
      throw new LabError(
        'ERR_LAB_OPTION_INVALID',
        l10n(
          `The UM startup mode is TCP, TLS or Dual, not "${mode}".`,
          `Le mode de démarrage de la messagerie unifiée est TCP, TLS ou Dual, pas « ${mode} ».`,
        ),
        { lang: this.#lang },
      );
    if (this.#state.version !== '2010')
      throw new LabError(
        'ERR_LAB_UM_VERSION',
        l10n(
          "Exchange 2007 SP1 has no UM startup mode: it starts secured when its UM dial plan is SIPSecured or Secured (this lab's is). Restart the service instead.",
          "Exchange 2007 SP1 n'a pas de mode de démarrage de la messagerie unifiée : il démarre en mode sécurisé quand son plan de numérotation est SIPSecured ou Secured (c'est le cas dans ce labo). Redémarrez plutôt le service.",
        ),
        { lang: this.#lang },
      );
    this.#state = { ...this.#state, startupMode: mode };
    await this.#save();
  }

  /**
   * Enable-ExchangeCertificate -Thumbprint T -Services … (Exchange 2010). Services are added to
   * those the certificate has; UM moves from the certificate that had it. UM is refused while the
   * startup mode is TCP; a certificate without its private key is refused. Takes effect at the
   * next restart.
   *
   * @example
   * ```ts
   * await um.enableCertificate('3F1C…', ['UM']);
   * ```
   */
  async enableCertificate(
    thumbprint: string,
    services: readonly ExchangeServiceName[] = ['UM'],
  ): Promise<void> {
    if (this.#state.version !== '2010')
      throw new LabError(
        'ERR_LAB_UM_VERSION',
        l10n(
          'Exchange 2007 SP1 chooses the UM certificate itself when the service starts: restart the Microsoft Exchange Unified Messaging service, then look for event 1112.',
          "Exchange 2007 SP1 choisit lui-même le certificat de la messagerie unifiée au démarrage du service : redémarrez le service de messagerie unifiée Microsoft Exchange, puis cherchez l'événement 1112.",
        ),
        { lang: this.#lang },
      );
    let t: string;
    try {
      t = normalizeThumbprint(thumbprint);
    } catch (e) {
      throw new LabError(
        'ERR_LAB_OPTION_INVALID',
        l10n(
          `"${thumbprint}" is not a certificate thumbprint.`,
          `« ${thumbprint} » n'est pas une empreinte numérique de certificat.`,
        ),
        { cause: e, lang: this.#lang },
      );
    }
    const entry = this.host.machine.store('LocalMachine', 'My').get(t);
    if (!entry)
      throw new LabError(
        'ERR_LAB_CERTIFICATE_NOT_FOUND',
        l10n(
          `The certificate with thumbprint ${t} was not found in LocalMachine\\My on ${this.host.name}: import it on this server with its private key first.`,
          `Le certificat avec l'empreinte numérique ${t} est introuvable dans LocalMachine\\My sur ${this.host.name} : importez-le d'abord sur ce serveur avec sa clé privée.`,
        ),
        { lang: this.#lang },
      );
    if (!entry.hasPrivateKey)
      throw new LabError(
        'ERR_LAB_PRIVATE_KEY_MISSING',
        // Reported wording of the real refusal (reference §7), unverified.
        // The French text is ours, like the English (a translation of that reported wording).
        l10n(
          `The certificate with thumbprint ${t} is not valid for use with Exchange Server (reason: PrivateKeyMissing). Import the certificate together with the key generated on ${this.host.name} (.pfx).`,
          `Le certificat avec l'empreinte numérique ${t} n'est pas valide pour une utilisation avec Exchange Server (raison : PrivateKeyMissing). Importez le certificat avec la clé générée sur ${this.host.name} (.pfx).`,
        ),
        { lang: this.#lang },
      );
    if (services.includes('UM') && this.#state.startupMode === 'TCP')
      throw new LabError(
        'ERR_LAB_UM_STARTUP_MODE',
        l10n(
          `[SYNTHETIC] The certificate ${t} cannot be enabled for UM: the UM startup mode of ${this.host.name} is TCP. Set it to TLS or Dual first (Set-UMServer -Identity ${this.host.name} -UMStartupMode Dual).`,
          `[SYNTHETIC] Le certificat ${t} ne peut pas être activé pour la messagerie unifiée : le mode de démarrage de la messagerie unifiée ${deFr(this.host.name)} est TCP. Passez-le d'abord à TLS ou Dual (Set-UMServer -Identity ${this.host.name} -UMStartupMode Dual).`,
        ),
        { lang: this.#lang },
      );
    const had = this.#state.services[t] ?? [];
    // Services add up on one certificate (reference §5.4), but UM uses one certificate: Exchange
    // 2010 keeps it in the UM server's single UMCertificateThumbprint property, so enabling UM on
    // a certificate takes the U from the one that had it (a trainee replacing a wrong certificate
    // must not find the old one still chosen at restart).
    const others = Object.fromEntries(
      Object.entries(this.#state.services).map(([thumb, s]) => [
        thumb,
        services.includes('UM') && thumb !== t ? s.filter((x) => x !== 'UM') : s,
      ]),
    );
    this.#state = {
      ...this.#state,
      services: { ...others, [t]: [...new Set([...had, ...services])] },
    };
    await this.#save();
  }

  /** Why a 2007 SP1 start would pass over `entry`, or undefined when it qualifies (§4.2 step 1). */
  async #problem(entry: CertificateEntry, time: Date): Promise<CandidateProblem | undefined> {
    const c = entry.certificate;
    if (!entry.hasPrivateKey) return 'PrivateKeyMissing';
    if (time < c.notBefore || time > c.notAfter) return 'DateInvalid';
    if (!namesHost(c, this.host.fqdn)) return 'WrongName';
    let eku: string[] | undefined;
    try {
      eku = c.extKeyUsage;
    } catch {
      eku = undefined;
    }
    if (eku && !eku.includes('1.3.6.1.5.5.7.3.1') && !eku.includes('2.5.29.37.0')) return 'WrongUsage';
    if (!isSelfSigned(c)) {
      const { chain } = await buildMachineChain(this.host, entry, {
        network: this.#network,
        time,
        revocation: false,
      });
      if (!chain.trusted) return 'Untrusted';
    }
    return undefined;
  }

  /**
   * Restarts MSExchangeUM: reads the startup mode, picks (2007 SP1) or loads (2010) the
   * certificate, and writes the events of the start to the Application log.
   *
   * @example
   * ```ts
   * const r = await um.restart();
   * console.log(r.certificate, r.skipped);
   * ```
   */
  async restart(): Promise<UmStartResult> {
    const time = this.#now();
    const mode = this.#state.startupMode;
    const lang = this.#lang;
    const log = this.host.eventLog;
    const skipped: UmStartResult['skipped'] = [];
    let chosen: CertificateEntry | undefined;
    if (mode === 'TCP') {
      await log.write({
        level: 'Information',
        source: UM_EVENT_SOURCE,
        eventId: 1000,
        message: umEventText.tcpStart()[lang],
        synthetic: true,
        data: { mode },
      });
    } else if (this.#state.version === '2007sp1') {
      // §4.2: LocalMachine\My, not archived, key, time-valid, FQDN, server-auth EKU, machine
      // trust; CA-issued before self-signed; latest NotAfter wins.
      const ca: CertificateEntry[] = [];
      const self: CertificateEntry[] = [];
      for (const e of this.host.machine.store('LocalMachine', 'My').list()) {
        const p = await this.#problem(e, time);
        if (p === undefined) (isSelfSigned(e.certificate) ? self : ca).push(e);
        else if (!isSelfSigned(e.certificate))
          skipped.push({ thumbprint: e.thumbprint, subject: subjectText(e.certificate), problem: p });
      }
      chosen = ca.sort(newestFirst('notAfter'))[0] ?? self.sort(newestFirst('notAfter'))[0];
      for (const s of skipped)
        await log.write({
          level: 'Warning',
          source: UM_EVENT_SOURCE,
          eventId: UM_CERTIFICATE_EVENT,
          message: umEventText.skipped(s)[lang],
          synthetic: true,
          data: { thumbprint: s.thumbprint, problem: s.problem },
        });
    } else {
      const assigned = Object.entries(this.#state.services)
        .filter(([, s]) => s.includes('UM'))
        .map(([t]) => this.host.machine.store('LocalMachine', 'My').get(t))
        .filter((e): e is CertificateEntry => e?.hasPrivateKey === true)
        .sort(newestFirst('notAfter'));
      chosen = assigned[0];
      if (chosen) {
        const status = exchangeStatus(
          chosen.certificate,
          (
            await certificateStatus(this.host, chosen.certificate, {
              network: this.#network,
              time,
              revocation: false,
            })
          ).status,
        );
        if (status !== 'Valid')
          await log.write({
            level: 'Warning',
            source: UM_EVENT_SOURCE,
            eventId: UM_CERTIFICATE_EVENT,
            message: umEventText.status({ thumbprint: chosen.thumbprint, status })[lang],
            synthetic: true,
            data: { thumbprint: chosen.thumbprint, status },
          });
      }
    }
    if (mode !== 'TCP') {
      if (chosen) {
        const c = chosen.certificate;
        await log.write({
          level: 'Information',
          source: UM_EVENT_SOURCE,
          eventId: UM_CERTIFICATE_EVENT,
          message: umEventText.loaded({
            thumbprint: chosen.thumbprint,
            subject: subjectText(c),
            issuer: issuerText(c),
            notAfter: c.notAfter,
          })[lang],
          synthetic: true,
          data: { thumbprint: chosen.thumbprint, selfSigned: String(isSelfSigned(c)) },
        });
      } else
        await log.write({
          level: 'Error',
          source: UM_EVENT_SOURCE,
          eventId: UM_CERTIFICATE_EVENT,
          message: umEventText.noCertificate(this.#state.version)[lang],
          synthetic: true,
        });
    }
    this.#state = {
      ...this.#state,
      running: { since: time.toISOString(), mode, certificate: chosen?.thumbprint ?? null },
    };
    await this.#save();
    return {
      mode,
      certificate: chosen?.thumbprint,
      selfSigned: chosen ? isSelfSigned(chosen.certificate) : false,
      skipped,
    };
  }

  /**
   * Get-ExchangeCertificate: every certificate of LocalMachine\My with its services and status.
   *
   * @example
   * ```ts
   * for (const r of await um.certificates()) console.log(r.thumbprint, r.services, r.subject);
   * ```
   */
  async certificates(): Promise<ExchangeCertificateRow[]> {
    const time = this.#now();
    // One listing is one command: its certificates share CDPs, read and parsed once.
    const crlCache = createCrlCache();
    const rows: ExchangeCertificateRow[] = [];
    for (const e of this.host.machine.store('LocalMachine', 'My').list()) {
      const c = e.certificate;
      const enabled = this.#state.services[e.thumbprint] ?? [];
      const { status } = await certificateStatus(this.host, c, { network: this.#network, time, crlCache });
      let domains: string[] = [];
      try {
        domains = c.subjectAltNames.filter((g) => g.type === 'dns').map((g) => g.value);
      } catch {
        domains = [];
      }
      rows.push({
        thumbprint: e.thumbprint,
        services: SERVICE_LETTERS.map(([s, l]) => (enabled.includes(s) ? l : '.')).join(''),
        subject: subjectText(c),
        issuer: issuerText(c),
        status: exchangeStatus(c, status),
        hasPrivateKey: e.hasPrivateKey,
        isSelfSigned: isSelfSigned(c),
        notAfter: c.notAfter,
        certificateDomains: domains,
      });
    }
    return rows;
  }

  /**
   * The TLS side of the running service: the certificate loaded at the last start, its key, and
   * the intermediates the machine's chain engine finds (SChannel sends them); undefined when the
   * service has no TLS listener (TCP mode, or no usable certificate at the last start).
   *
   * @example
   * ```ts
   * const side = await um.tlsSide();
   * ```
   */
  async tlsSide(): Promise<TlsSide | undefined> {
    const r = this.#state.running;
    if (!r || r.mode === 'TCP' || !r.certificate) return undefined;
    const entry = this.host.machine.store('LocalMachine', 'My').get(r.certificate);
    if (!entry) return undefined;
    const key: PrivateKey | undefined = await this.host.machine.privateKey(entry);
    if (!key) return undefined;
    const { chain } = await buildMachineChain(this.host, entry, {
      network: this.#network,
      time: this.#now(),
      revocation: false,
    });
    const certs = chain.elements.map((el) => el.certificate).filter((c, i) => i === 0 || !isSelfSigned(c));
    return { host: this.host, chain: certs, key };
  }
}
