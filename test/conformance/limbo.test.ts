// Runs the whole x509-limbo suite (../shared/conformance/x509-limbo/limbo.json) through the
// harness and compares with the committed baseline: no case that passes in the baseline may
// stop passing and no wrong accept may ever appear. Its duration (issue 4 asks for under 60 s;
// ~20 s here) is printed, not asserted: speed is measured, never a pass/fail condition of a test
// run that shares its cores with others.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type LimboCase, runCase } from '../../scripts/limbo.js';
import { isCI } from '../support/tools.js';

const here = dirname(fileURLToPath(import.meta.url));
// The suite lives beside the repository (../shared/conformance); CERTLAB_LIMBO points elsewhere.
const SUITE = process.env.CERTLAB_LIMBO ?? join(here, '../../../shared/conformance/x509-limbo/limbo.json');
const baseline = JSON.parse(readFileSync(join(here, 'limbo-baseline.json'), 'utf8')) as {
  pass: number;
  wrongAccept: number;
  notPassing: Record<string, string>;
};

const haveSuite = existsSync(SUITE);
// Locally a missing suite is a loud skip; under CI it is a failure, as a missing tool is: a run
// that cannot check conformance must not pass as one that did.
if (!haveSuite && !isCI())
  console.warn(
    `\n*** x509-limbo suite not found at ${SUITE}: conformance test SKIPPED (set CERTLAB_LIMBO) ***\n`,
  );
if (!haveSuite && isCI())
  describe('x509-limbo conformance', () => {
    it('needs the x509-limbo suite under CI', () => {
      expect.fail(
        `x509-limbo suite not found at ${SUITE}: clone certlab next to ../shared, or set CERTLAB_LIMBO to limbo.json.`,
      );
    });
  });

describe.skipIf(!haveSuite)('x509-limbo conformance', () => {
  it('passes at least the baseline, with zero wrong accepts', {
    timeout: 180_000,
  }, async () => {
    const started = Date.now();
    const suite = JSON.parse(readFileSync(SUITE, 'utf8')) as { testcases: LimboCase[] };
    let pass = 0;
    const wrongAccepts: string[] = [];
    const regressions: string[] = [];
    const skippedWithoutReason: string[] = [];
    for (const tc of suite.testcases) {
      const r = await runCase(tc);
      if (r.actual_result === 'SKIPPED' && !r.context) skippedWithoutReason.push(tc.id);
      if (r.actual_result === tc.expected_result) pass++;
      else {
        if (r.actual_result === 'SUCCESS') wrongAccepts.push(`${tc.id}: ${r.context}`);
        if (!(tc.id in baseline.notPassing)) regressions.push(`${tc.id}: ${r.actual_result} (${r.context})`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    expect(wrongAccepts).toEqual([]);
    expect(regressions).toEqual([]);
    expect(skippedWithoutReason).toEqual([]);
    expect(pass).toBeGreaterThanOrEqual(baseline.pass);
    if (pass > baseline.pass)
      console.log(
        `x509-limbo: ${pass} pass, baseline ${baseline.pass}: raise the baseline (npm run limbo, then update limbo-baseline.json).`,
      );
    console.log(`x509-limbo: ${suite.testcases.length} cases in ${seconds.toFixed(1)} s, ${pass} pass.`);
  });
});
