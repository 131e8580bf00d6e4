// `certlab lab check` and `certlab lab hint`: grade every step of the lab, or print the next
// thing to do.

import * as lab from '@certlab/lab';
import { choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';
import { CERTSRV_OPTION, LAB_DIR_OPTION, LAB_LANG_OPTION, labLang, openLab } from './lab-common.js';

export const labCheck: Command = {
  name: 'lab check',
  summary: 'Grade every step of the lab, ending with a real mutual-TLS handshake.',
  usage: ['lab check --dir DIR [--lang en|fr] [--certsrv URL] [--format text|json]'],
  description:
    'Grades each task of the article on the hosts as they are now (stores, private keys, the UM service, the CA CRLs in DIR/ca/CertEnroll) and then opens SIP over mutual TLS from the Lync front end to the UM server on loopback, each side judging the other with its own stores. Each failure says what is wrong and gives a hint tied to the article step. A wrong practice that works (an intermediate CA imported into Trusted Root Certification Authorities with its root, from a .p7b chain) is a warning under its step, not a failure. Exit 0 when every step passes (warnings or not), 1 otherwise.',
  options: [LAB_DIR_OPTION, LAB_LANG_OPTION, CERTSRV_OPTION, FORMAT_OPTION],
  examples: [
    'lab check --dir ./lab',
    'lab check --dir ./labo --lang fr',
    'lab check --dir ./lab --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', 'lab check');
    const session = await openLab(ctx, args, 'lab check');
    const lang = labLang(ctx, args, 'lab check', session.config.lang);
    const report = await lab.checkLab(session);
    if (format === 'json')
      writeJson(ctx.io.stdout, {
        scenario: report.scenario,
        passed: report.passed,
        steps: report.results.map((r) => ({
          number: r.step.number,
          id: r.step.id,
          title: r.step.title[lang],
          status: r.status,
          code: r.code,
          detail: r.detail[lang],
          hint: r.hint?.[lang] ?? null,
          warnings: (r.warnings ?? []).map((w) => ({
            code: w.code,
            detail: w.detail[lang],
            hint: w.hint?.[lang] ?? null,
          })),
        })),
        handshake: report.handshake
          ? {
              ok: report.handshake.ok,
              protocol: report.handshake.protocol ?? null,
              cipher: report.handshake.cipher ?? null,
              failure: report.handshake.failure
                ? {
                    by: report.handshake.failure.by,
                    code: report.handshake.failure.code,
                    message: report.handshake.failure.localized?.[lang] ?? report.handshake.failure.message,
                  }
                : null,
              durationMs: report.handshake.durationMs,
            }
          : null,
      });
    else writeLines(ctx.io.stdout, lab.formatReport(report, lang));
    return report.passed ? EXIT.ok : EXIT.failed;
  },
};

export const labHint: Command = {
  name: 'lab hint',
  summary: 'Print the next thing to do in the lab.',
  usage: ['lab hint --dir DIR [--lang en|fr] [--certsrv URL]'],
  description:
    'Runs the check and prints the hint of the first failing step (or the first step still waiting); when every step passes, the hint of the first warning (a wrong practice that works, such as an intermediate CA in Trusted Root Certification Authorities), if any. Exit 0.',
  options: [LAB_DIR_OPTION, LAB_LANG_OPTION, CERTSRV_OPTION],
  examples: ['lab hint --dir ./lab'],
  async run(ctx, args) {
    const session = await openLab(ctx, args, 'lab hint');
    const lang = labLang(ctx, args, 'lab hint', session.config.lang);
    const report = await lab.checkLab(session);
    const next = lab.nextHint(report);
    const fr = lang === 'fr';
    if (!next) {
      // Every step passes; a wrong practice that works (a warning) is still worth putting right.
      const warned = report.results.flatMap((r) => (r.warnings ?? []).map((w) => ({ r, w })));
      const first = warned[0];
      writeLines(ctx.io.stdout, [
        fr ? 'Toutes les étapes sont réussies.' : 'Every step passes.',
        ...(first
          ? [
              `${fr ? 'Avertissement, étape' : 'Warning, step'} ${first.r.step.number} — ${first.r.step.title[lang]} [${first.w.code}]`,
              (first.w.hint ?? first.w.detail)[lang],
            ]
          : []),
      ]);
    } else {
      const title = report.results.find((r) => r.step.number === next.step)!.step.title[lang];
      writeLines(ctx.io.stdout, [
        `${fr ? 'Étape' : 'Step'} ${next.step} — ${title} [${next.code}]`,
        next.text[lang],
      ]);
    }
    return EXIT.ok;
  },
};
