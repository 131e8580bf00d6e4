// Scenarios are data (hosts, steps with the article's labels, classic mistakes) plus three
// functions (prepare the hosts, grade the state, perform the procedure automatically), kept in
// a registry so that other procedures can be added next to the Exchange UM one.

import type { CertificationAuthority } from '@certlab/ca-sim';
import { LabError } from './errors.js';
import { exchangeUmScenario } from './exchange-um/scenario.js';
import type { HostDefinition } from './lab-config.js';
import type { LabSession } from './lab-session.js';
import { type LabLang, type Localized, l10n } from './localized.js';
import type { HandshakeResult } from './mutual-tls.js';

/**
 * One gradable step (for the Exchange UM scenario: a task of the article).
 *
 * @example
 * ```ts
 * const s: StepDefinition = { id: 'install-ca', number: 2, title: { en: 'Install the CA certificate', fr: '…' } };
 * ```
 */
export interface StepDefinition {
  readonly id: string;
  readonly number: number;
  readonly title: Localized;
}

/**
 * A classic mistake a scenario can inject into its automated run (for trainers and tests).
 *
 * @example
 * ```ts
 * const m: MistakeDefinition = { id: 'wrong-fqdn', step: 'request-install', title: { en: '…', fr: '…' } };
 * ```
 */
export interface MistakeDefinition {
  readonly id: string;
  /** The step `lab check` fails at, or, for a `warning`, passes with a warning on. */
  readonly step: string;
  readonly title: Localized;
  /**
   * What `lab check` makes of it: a failure (the default), or, for a wrong practice that works
   * (exchange-um-lync.md §7: "a lint warning, not a failure"), a warning on a passing step.
   */
  readonly outcome?: 'failure' | 'warning';
  /** Exchange versions the mistake applies to (default both). */
  readonly exchange?: readonly string[];
}

/**
 * A wrong practice found on a step that works all the same (exchange-um-lync.md §7: "a lint
 * warning, not a failure"): it does not fail the step.
 *
 * @example
 * ```ts
 * for (const w of r.warnings ?? []) console.log(w.code, w.detail.en, w.hint?.en);
 * ```
 */
export interface StepWarning {
  /** A stable code (`CHAIN_IN_ROOT`). */
  readonly code: string;
  /** What was found. */
  readonly detail: Localized;
  /** How to put it right. */
  readonly hint?: Localized;
}

/**
 * The grade of one step.
 *
 * @example
 * ```ts
 * if (r.status === 'fail') console.log(r.detail.en, r.hint?.en);
 * ```
 */
export interface StepResult {
  readonly step: StepDefinition;
  /** `pending`: cannot be graded until an earlier step is done. */
  readonly status: 'pass' | 'fail' | 'pending';
  /** What was found. */
  readonly detail: Localized;
  /** What to do, tied to the article step behind the mistake. */
  readonly hint?: Localized;
  /** A stable code for the finding (`ROOT_IN_USER_STORE`, `WRONG_NAME`…), for tests and graders. */
  readonly code: string;
  /** Wrong practices found on the step, whatever its status; absent when there are none. */
  readonly warnings?: readonly StepWarning[];
}

/**
 * What `lab check` reports.
 *
 * @example
 * ```ts
 * const report = await checkLab(session);
 * report.firstFailure?.code; // 'ROOT_IN_USER_STORE'
 * ```
 */
export interface CheckReport {
  readonly scenario: string;
  readonly results: StepResult[];
  readonly passed: boolean;
  readonly firstFailure: StepResult | undefined;
  readonly handshake: HandshakeResult | undefined;
}

/**
 * What the automated run can be asked to do.
 *
 * @example
 * ```ts
 * const o: ScenarioRunContext = { lang: 'fr', mistake: 'wrong-fqdn', print: console.log, certsrvUrl, ca, setCaTime, ordinaryAccount };
 * ```
 */
export interface ScenarioRunContext {
  readonly lang: LabLang;
  readonly mistake: string | undefined;
  readonly print: (line: string) => void;
  /** The running certsrv (loopback). */
  readonly certsrvUrl: string;
  /** The live CA (to revoke and publish CRLs when a mistake needs it). */
  readonly ca: CertificationAuthority;
  /** Moves the CA's clock (to issue an already expired certificate). */
  readonly setCaTime: (t: Date) => void;
  /**
   * Adds a certsrv account of the lab's domain that is in no group but Domain Users (not a CA
   * administrator) and returns its credentials: the account a mistake signs in with when the
   * trainee is not an administrator.
   */
  readonly ordinaryAccount: () => Promise<{ readonly name: string; readonly password: string }>;
}

/**
 * A scenario of the registry.
 *
 * @example
 * ```ts
 * registerScenario(myScenario);
 * ```
 */
export interface ScenarioDefinition {
  readonly id: string;
  readonly title: Localized;
  /** The hosts, without the lab directory. */
  readonly hosts: readonly HostDefinition[];
  /** The graded steps for a variant (the Exchange version for exchange-um). */
  steps(variant: string): StepDefinition[];
  readonly mistakes: readonly MistakeDefinition[];
  /** The text `lab init` prints: the first thing to do. */
  firstStep(session: LabSession): Localized;
  /** Provisions the hosts once the CA exists. */
  prepare(session: LabSession, ca: CertificationAuthority): Promise<void>;
  check(session: LabSession): Promise<CheckReport>;
  run(session: LabSession, context: ScenarioRunContext): Promise<void>;
}

const REGISTRY = new Map<string, ScenarioDefinition>([[exchangeUmScenario.id, exchangeUmScenario]]);

/**
 * Adds a scenario to the registry (replacing one with the same id).
 *
 * @example
 * ```ts
 * registerScenario(exchangeUmScenario);
 * ```
 */
export function registerScenario(s: ScenarioDefinition): void {
  REGISTRY.set(s.id, s);
}

/**
 * A scenario by id; ERR_LAB_SCENARIO_UNKNOWN otherwise.
 *
 * @example
 * ```ts
 * getScenario('exchange-um').title.fr;
 * ```
 */
export function getScenario(id: string): ScenarioDefinition {
  const s = REGISTRY.get(id);
  if (!s)
    throw new LabError(
      'ERR_LAB_SCENARIO_UNKNOWN',
      l10n(
        `There is no lab scenario "${id}"; the scenarios are: ${[...REGISTRY.keys()].join(', ')}.`,
        `Il n'y a pas de scénario de labo « ${id} » ; les scénarios sont : ${[...REGISTRY.keys()].join(', ')}.`,
      ),
    );
  return s;
}

/**
 * Every registered scenario.
 *
 * @example
 * ```ts
 * listScenarios().map((s) => s.id); // ['exchange-um']
 * ```
 */
export function listScenarios(): ScenarioDefinition[] {
  return [...REGISTRY.values()];
}
