// `lab check` and `lab hint` on a lab directory.

import { type LabSession, openLabSession } from './lab-session.js';
import type { Localized } from './localized.js';
import { type CheckReport, getScenario } from './scenario.js';

/**
 * Grades a lab (a directory or an open session).
 *
 * @example
 * ```ts
 * const report = await checkLab('./lab');
 * report.firstFailure?.hint?.fr;
 * ```
 */
export async function checkLab(
  lab: string | LabSession,
  options: { displayDir?: string; certsrvUrl?: string } = {},
): Promise<CheckReport> {
  const session =
    typeof lab === 'string'
      ? await openLabSession(lab, {
          ...(options.displayDir ? { displayDir: options.displayDir } : {}),
          ...(options.certsrvUrl ? { certsrvUrl: options.certsrvUrl } : {}),
        })
      : lab;
  return getScenario(session.config.scenario).check(session);
}

/**
 * The next thing to do: the hint of the first failing step, or the first pending step's detail;
 * undefined when every step passes.
 *
 * @example
 * ```ts
 * const next = nextHint(await checkLab(dir));
 * if (next) console.log(next.step, next.text.en);
 * ```
 */
export function nextHint(report: CheckReport): { step: number; code: string; text: Localized } | undefined {
  const r =
    report.results.find((x) => x.status === 'fail') ?? report.results.find((x) => x.status === 'pending');
  if (!r) return undefined;
  return { step: r.step.number, code: r.code, text: r.hint ?? r.detail };
}
