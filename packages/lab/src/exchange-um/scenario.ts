// The Exchange UM ↔ Lync scenario as registry data: its hosts, steps and mistakes (steps.ts), and
// its three functions (prepare.ts, checks.ts, procedure.ts).

import { hostOf } from '../lab-config.js';
import { HOST_DOWNLOADS_DIR } from '../lab-host.js';
import { l10n } from '../localized.js';
import type { ScenarioDefinition } from '../scenario.js';
import { shellWord } from '../shell-word.js';
import { checkExchangeUm } from './checks.js';
import { prepareExchangeUm } from './prepare.js';
import { runExchangeUm } from './procedure.js';
import { EXCHANGE_UM_MISTAKES, EXCHANGE_UM_STEPS } from './steps.js';

/**
 * The `exchange-um` scenario.
 *
 * @example
 * ```ts
 * import { exchangeUmScenario } from '@certlab/lab';
 * exchangeUmScenario.steps('2010').map((s) => s.title.fr);
 * ```
 */
export const exchangeUmScenario: ScenarioDefinition = {
  id: 'exchange-um',
  title: l10n(
    'Configure certificates on the server running Microsoft Exchange Server Unified Messaging (Lync Server 2013)',
    'Configurer les certificats sur le serveur exécutant la messagerie unifiée Microsoft Exchange Server (Lync Server 2013)',
  ),
  hosts: [
    { role: 'ca', name: 'CA01', fqdn: 'ca01.contoso.com', dir: 'hosts/ca01' },
    { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' },
    { role: 'lync', name: 'LYNC01', fqdn: 'lync01.contoso.com', dir: 'hosts/lync01' },
  ],
  steps: () => [...EXCHANGE_UM_STEPS],
  mistakes: EXCHANGE_UM_MISTAKES,
  firstStep(session) {
    const D = session.displayDir;
    const ca = hostOf(session.config, 'ca');
    const ex = hostOf(session.config, 'exchange-um');
    const acct = session.config.ca.account;
    return l10n(
      [
        'Task 1 — Download the CA certificate (article: "To download the CA certificate", steps 1–4).',
        `On ${ex.fqdn}, open http://${ca.fqdn}/certsrv. Here the CA's web site runs with:`,
        `  certlab serve --dir ${shellWord(`${D}/${session.config.ca.dir}`)}`,
        `Sign in as ${acct.name} (password: ${acct.password}), choose "Download a CA certificate, certificate chain, or CRL",`,
        `"Base 64", "Download CA certificate", and save the file as ${shellWord(`${D}/${ex.dir}/${HOST_DOWNLOADS_DIR}/certnew.cer`)}.`,
        `Then: certlab lab check --dir ${shellWord(D)}   (and certlab lab hint --dir ${shellWord(D)} when stuck)`,
      ].join('\n'),
      [
        "Tâche 1 — Téléchargez le certificat d'autorité de certification (article : « Pour télécharger le certificat de l'autorité de certification », étapes 1 à 4).",
        `Sur ${ex.fqdn}, ouvrez http://${ca.fqdn}/certsrv. Ici, le site web de l'autorité se lance avec :`,
        `  certlab serve --dir ${shellWord(`${D}/${session.config.ca.dir}`)} --lang fr`,
        `Connectez-vous en tant que ${acct.name} (mot de passe : ${acct.password}), cliquez sur « Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats »,`,
        `« Méthode de codage Base 64 », « Télécharger un certificat de l'autorité de certification », puis enregistrez le fichier sous ${shellWord(`${D}/${ex.dir}/${HOST_DOWNLOADS_DIR}/certnew.cer`)}.`,
        `Ensuite : certlab lab check --dir ${shellWord(D)}   (et certlab lab hint --dir ${shellWord(D)} en cas de blocage)`,
      ].join('\n'),
    );
  },
  prepare: prepareExchangeUm,
  check: checkExchangeUm,
  run: runExchangeUm,
};
