// `certlab lab init exchange-um --dir DIR`: prepares a lab. The CA is created exactly as
// `certlab ca init` creates one (PGlite database in DIR/ca/db, ca.json, CertEnroll), so the
// trainee works on it with `certlab serve --dir DIR/ca` and `certlab ca … --dir DIR/ca`.

import { join } from 'node:path';
import { generatePassword, STANDARD_TEMPLATES, withDefaultPermissions } from '@certlab/ca-sim';
import type { ExchangeVersion } from '@certlab/lab';
import * as lab from '@certlab/lab';
import { choiceOption } from '../args.js';
import type { CaConfig } from '../ca-support.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { writeLines } from '../output.js';
import { createCaInDir } from './ca-init.js';
import { EXCHANGE_OPTION, LAB_DIR_OPTION, LAB_LANG_OPTION, labDir, labLang } from './lab-common.js';

const NAME = 'lab init';

export const labInit: Command = {
  name: NAME,
  summary: 'Prepare a training lab: the CA, the Exchange UM server and the Lync front end.',
  usage: ['lab init exchange-um --dir DIR [--exchange 2007sp1|2010] [--lang en|fr]'],
  description:
    "Creates the hosts of a scenario in DIR: the CA host (a root and an issuing CA in DIR/ca, created as ca init creates one, publishing the standard templates with AD CS's default permissions (Web Server for Domain Admins and Enterprise Admins), with a certsrv account in DIR/ca/users.json: CONTOSO\\administrator, a CA administrator in both groups), the Lync Server front end (DIR/hosts/lync01: its certificate with its key and the root, already deployed) and the Exchange UM server (DIR/hosts/ex01: Exchange installed with its self-signed certificate, nothing from the CA yet). Then prints the first step. Work with the ordinary commands (certlab serve --dir DIR/ca, certlab store … --machine DIR/hosts/ex01, certlab csr new, certlab ca submit --dir DIR/ca --requester administrator) and certlab lab um / check / hint.",
  options: [LAB_DIR_OPTION, EXCHANGE_OPTION, LAB_LANG_OPTION],
  positionals: { names: ['SCENARIO'], min: 1 },
  examples: [
    'lab init exchange-um --dir ./lab',
    'lab init exchange-um --dir ./labo --exchange 2007sp1 --lang fr',
  ],
  async run(ctx, args) {
    const lang = labLang(ctx, args, NAME, 'en');
    const scenario = await lab.getScenario(args.positionals[0]!);
    const { dir, display } = labDir(ctx, args, NAME);
    const exchange = choiceOption(args, 'exchange', ['2007sp1', '2010'] as ExchangeVersion[], '2010', NAME);
    // Refuse before creating anything: a CA created over an existing lab would be orphaned.
    await lab.assertNoLab(dir, display, lang);
    const caHost = scenario.hosts.find((h) => h.role === 'ca');
    const config: CaConfig = {
      name: 'Contoso Issuing CA',
      rootName: 'Contoso Root CA',
      keyType: 'rsa',
      baseUrl: `http://${caHost?.fqdn ?? 'ca01.contoso.com'}`,
      db: null,
      editFlags: [],
      // AD CS's default template permissions, as a new forest has them (reference §12): Web Server
      // for Domain Admins and Enterprise Admins, the groups of the lab's administrator account.
      templates: withDefaultPermissions(STANDARD_TEMPLATES).map((t) => ({ ...t })),
    };
    const caDir = join(dir, 'ca');
    const { ca } = await createCaInDir(ctx, caDir, config, { kind: 'pglite', path: join(caDir, 'db') });
    try {
      const account = { name: 'administrator', password: generatePassword() };
      const { session, firstStep } = await lab.createLab({
        dir,
        scenario: scenario.id,
        exchange,
        lang,
        ca,
        account,
        displayDir: display,
      });
      const fr = lang === 'fr';
      const lines = [
        fr
          ? `Labo « ${scenario.title.fr} » créé dans ${display}`
          : `Created the lab "${scenario.title.en}" in ${display}`,
        `  Exchange${fr ? ' :' : ': '} ${exchange === '2010' ? 'Exchange 2010' : 'Exchange 2007 SP1'}`,
        fr
          ? `  Autorité : ${ca.name} (racine ${ca.rootName}) dans ${display}/ca — certlab serve --dir ${lab.shellWord(`${display}/ca`)} --lang fr`
          : `  CA:        ${ca.name} (root ${ca.rootName}) in ${display}/ca — certlab serve --dir ${lab.shellWord(`${display}/ca`)}`,
        fr
          ? `  Compte :   ${session.config.ca.account.name}  mot de passe : ${account.password}`
          : `  Account:   ${session.config.ca.account.name}  password: ${account.password}`,
      ];
      for (const h of session.config.hosts)
        lines.push(
          `  ${h.name.padEnd(7)} ${h.fqdn.padEnd(20)} --machine ${lab.shellWord(`${display}/${h.dir}`)}`,
        );
      lines.push('', firstStep[lang]);
      writeLines(ctx.io.stdout, lines);
    } finally {
      await ca.close();
    }
    return EXIT.ok;
  },
};
