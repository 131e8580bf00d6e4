// `lab run`: the whole procedure automatically, end to end, in a few seconds. A CA (root +
// issuing, in memory, its clock three years back so that an expired certificate can be issued
// for the `expired` mistake), certsrv on loopback, a lab directory (temporary unless given), the
// scenario's procedure over HTTP, then `lab check`, whose last step is the real mutual-TLS
// handshake.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuthority,
  createMemoryStore,
  generatePassword,
  manualClock,
  STANDARD_TEMPLATES,
  startCertsrv,
  UserDirectory,
  withDefaultPermissions,
} from '@certlab/ca-sim';
import { publishCrls } from './ca-publication.js';
import { LabError } from './errors.js';
import { ADMIN_GROUPS, ORDINARY_ACCOUNT } from './internal/lab-accounts.js';
import type { ExchangeVersion } from './lab-config.js';
import { assertNoLab, createLab } from './lab-init.js';
import { CERT_ENROLL } from './lab-session.js';
import { type LabLang, l10n } from './localized.js';
import { type CheckReport, getScenario } from './scenario.js';

/** An Exchange version as people write it: `2007sp1` → `2007 SP1`. */
const exchangeLabel = (v: string) => (v === '2007sp1' ? '2007 SP1' : v);

/**
 * Options of {@link runLab}.
 *
 * @example
 * ```ts
 * const o: RunLabOptions = { exchange: '2010', lang: 'fr', print: console.log };
 * ```
 */
export interface RunLabOptions {
  /** Default `exchange-um`. */
  readonly scenario?: string;
  readonly exchange: ExchangeVersion;
  readonly lang?: LabLang;
  /** A mistake id of the scenario to inject. */
  readonly mistake?: string;
  /** Keep the hosts here (default: a temporary directory, removed at the end). */
  readonly dir?: string;
  /** How to print the directory in hints (default: `dir`, or `DIR` for a temporary one). */
  readonly displayDir?: string;
  readonly print?: (line: string) => void;
}

/**
 * What {@link runLab} did.
 *
 * @example
 * ```ts
 * const r = await runLab({ exchange: '2007sp1' });
 * r.report.passed; r.report.handshake?.ok; r.durationMs;
 * ```
 */
export interface RunLabResult {
  readonly report: CheckReport;
  readonly durationMs: number;
  /** The lab directory, or undefined when it was temporary (removed). */
  readonly dir: string | undefined;
}

/**
 * Runs a scenario automatically and grades the result.
 *
 * @example
 * ```ts
 * const { report, durationMs } = await runLab({ exchange: '2010', print: (l) => console.log(l) });
 * console.log(report.passed, durationMs);
 * ```
 */
export async function runLab(options: RunLabOptions): Promise<RunLabResult> {
  const started = performance.now();
  const scenario = getScenario(options.scenario ?? 'exchange-um');
  const lang = options.lang ?? 'en';
  const print = options.print ?? (() => {});
  if (options.mistake !== undefined) {
    const m = scenario.mistakes.find((x) => x.id === options.mistake);
    if (!m)
      throw new LabError(
        'ERR_LAB_OPTION_INVALID',
        l10n(
          `"${options.mistake}" is not a mistake of ${scenario.id}; choose one of: ${scenario.mistakes.map((x) => x.id).join(', ')}.`,
          `« ${options.mistake} » n'est pas une erreur de ${scenario.id} ; choisissez parmi : ${scenario.mistakes.map((x) => x.id).join(', ')}.`,
        ),
        { lang },
      );
    if (m.exchange && !m.exchange.includes(options.exchange))
      throw new LabError(
        'ERR_LAB_OPTION_INVALID',
        l10n(
          `The mistake "${m.id}" only exists with Exchange ${m.exchange.map(exchangeLabel).join(', ')}: add --exchange ${m.exchange[0]}.`,
          `L'erreur « ${m.id} » n'existe qu'avec Exchange ${m.exchange.map(exchangeLabel).join(', ')} : ajoutez --exchange ${m.exchange[0]}.`,
        ),
        { lang },
      );
  }
  const temp = options.dir === undefined;
  // An existing lab is refused before anything is written into it (the CRLs below would replace
  // the lab CA's own, breaking a lab that passed).
  if (options.dir !== undefined) await assertNoLab(options.dir, options.displayDir ?? options.dir, lang);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'certlab-lab-')));
  const now = () => new Date();
  const clock = manualClock(new Date(Date.now() - 3 * 365 * 86_400_000));
  const ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'rsa',
    baseUrl: 'http://ca01.contoso.com',
    db: createMemoryStore(),
    clock,
    // As a new AD CS forest has them (`lab init` publishes the same): Web Server for the
    // administrators only.
    templates: withDefaultPermissions(STANDARD_TEMPLATES),
  });
  let server: Awaited<ReturnType<typeof startCertsrv>> | undefined;
  try {
    clock.set(now());
    await publishCrls(ca, join(dir, 'ca', CERT_ENROLL));
    const account = { name: 'administrator', password: generatePassword() };
    const users = new UserDirectory('CONTOSO');
    await users.add(account.name, account.password, {
      admin: true,
      directory: { groups: [...ADMIN_GROUPS] },
    });
    server = await startCertsrv({ ca, users, crlSchedule: false, defaultLanguage: lang });
    const { session } = await createLab({
      dir,
      scenario: scenario.id,
      exchange: options.exchange,
      lang,
      ca,
      account,
      now,
      certsrvUrl: server.url,
      displayDir: options.displayDir ?? (temp ? 'DIR' : dir),
    });
    print(
      `${scenario.title[lang]} — Exchange ${exchangeLabel(options.exchange === '2010' ? '2010' : '2007sp1')}`,
    );
    print(
      lang === 'fr'
        ? `Autorité : ${ca.name} (racine ${ca.rootName}), certsrv sur ${server.url}/certsrv/ ; hôtes dans ${temp ? '(dossier temporaire)' : dir}`
        : `CA: ${ca.name} (root ${ca.rootName}), certsrv at ${server.url}/certsrv/; hosts in ${temp ? '(temporary directory)' : dir}`,
    );
    await scenario.run(session, {
      lang,
      mistake: options.mistake,
      print,
      certsrvUrl: server.url,
      ca,
      setCaTime: (t) => clock.set(t),
      ordinaryAccount: async () => {
        const password = generatePassword();
        await users.add(ORDINARY_ACCOUNT, password);
        return { name: ORDINARY_ACCOUNT, password };
      },
    });
    const report = await scenario.check(session);
    print('');
    print(lang === 'fr' ? 'Vérification (certlab lab check)' : 'Check (certlab lab check)');
    for (const line of formatReport(report, lang)) print(line);
    const durationMs = Math.round(performance.now() - started);
    print('');
    print(
      lang === 'fr'
        ? `Durée de l'exécution automatique : ${(durationMs / 1000).toFixed(2).replace('.', ',')} s`
        : `Automated run took ${(durationMs / 1000).toFixed(2)} s`,
    );
    return { report, durationMs, dir: temp ? undefined : dir };
  } finally {
    await server?.close();
    await ca.close();
    if (temp) await rm(dir, { recursive: true, force: true });
  }
}

/** Who ended a failed handshake, in French (the English line says "refused by <by>"). */
const BY_FR: Record<'client' | 'server' | 'network', string> = {
  client: 'refusé par le client',
  server: 'refusé par le serveur',
  network: 'réseau',
};

/**
 * The lines `lab check` prints for a report: one per step, with the detail and, for a failure,
 * the hint; then each warning of the step (a wrong practice that works) with its own hint.
 *
 * @example
 * ```ts
 * for (const line of formatReport(report, 'fr')) console.log(line);
 * ```
 */
export function formatReport(report: CheckReport, lang: LabLang): string[] {
  const mark =
    lang === 'fr'
      ? ({ pass: 'RÉUSSI', fail: 'ÉCHEC', pending: 'ATTENTE' } as const)
      : ({ pass: 'PASS', fail: 'FAIL', pending: 'PENDING' } as const);
  const hintWord = lang === 'fr' ? 'Indice :' : 'Hint:';
  const warningWord = lang === 'fr' ? 'Avertissement' : 'Warning';
  // Every mark padded to the language's widest ([PENDING], [ATTENTE]), so that step numbers line
  // up and the detail and hint lines start under them whatever the mark.
  const width = Math.max(...Object.values(mark).map((m) => m.length)) + 2;
  const indent = ' '.repeat(2 + width + 1);
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`  ${`[${mark[r.status]}]`.padEnd(width)} ${r.step.number}. ${r.step.title[lang]}`);
    lines.push(`${indent}${r.detail[lang]}`);
    if (r.status === 'fail' && r.hint) lines.push(`${indent}${hintWord} ${r.hint[lang]}`);
    for (const w of r.warnings ?? []) {
      lines.push(`${indent}${warningWord} [${w.code}]${lang === 'fr' ? ' : ' : ': '}${w.detail[lang]}`);
      if (w.hint) lines.push(`${indent}${hintWord} ${w.hint[lang]}`);
    }
  }
  const h = report.handshake;
  if (h)
    lines.push(
      h.ok
        ? lang === 'fr'
          ? `  Négociation TLS mutuelle : réussie (${h.protocol}, ${h.cipher}, ${h.durationMs} ms)`
          : `  Mutual TLS handshake: succeeded (${h.protocol}, ${h.cipher}, ${h.durationMs} ms)`
        : lang === 'fr'
          ? `  Négociation TLS mutuelle : ÉCHEC — ${h.failure?.code} (${h.failure ? BY_FR[h.failure.by] : ''})`
          : `  Mutual TLS handshake: FAILED — ${h.failure?.code} (refused by ${h.failure?.by})`,
    );
  lines.push(
    report.passed
      ? lang === 'fr'
        ? '  Résultat : toutes les étapes sont réussies.'
        : '  Result: every step passed.'
      : lang === 'fr'
        ? `  Résultat : échec à l'étape ${report.firstFailure?.step.number ?? '?'} (${report.firstFailure?.code ?? '?'}).`
        : `  Result: failed at step ${report.firstFailure?.step.number ?? '?'} (${report.firstFailure?.code ?? '?'}).`,
  );
  return lines;
}
