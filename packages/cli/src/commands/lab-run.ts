// `certlab lab run exchange-um`: the whole procedure automatically, over certsrv on loopback,
// printed step by step with the article's numbering, then graded; the duration is printed.

import type { ExchangeVersion } from '@certlab/lab';
import * as lab from '@certlab/lab';
import { choiceOption, stringOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { resolvePath } from '../files.js';
import { EXCHANGE_OPTION, labLang } from './lab-common.js';

const NAME = 'lab run';

export const labRun: Command = {
  name: NAME,
  summary: 'Run a lab scenario automatically and grade it (a demonstration, or a trainer showing a mistake).',
  usage: ['lab run exchange-um [--exchange 2007sp1|2010] [--lang en|fr] [--mistake ID] [--dir DIR]'],
  description: `Creates a CA in memory with certsrv on loopback and the scenario's hosts (in a temporary directory unless --dir), performs every step of the article over the certsrv HTTP endpoints, prints each step numbered as the article numbers it, runs the check (ending with a real mutual-TLS handshake) and prints the duration. --mistake injects one classic mistake: ${lab.EXCHANGE_UM_MISTAKES.map((m) => m.id).join(', ')}. Exit 0 when every step passes, 1 otherwise.`,
  options: [
    EXCHANGE_OPTION,
    { name: 'lang', type: 'string', value: 'en|fr', help: 'Language of the walkthrough (default en).' },
    { name: 'mistake', type: 'string', value: 'ID', help: 'A classic mistake to inject.' },
    {
      name: 'dir',
      type: 'string',
      short: 'd',
      value: 'DIR',
      help: 'Keep the hosts in DIR (a new directory) for inspection; the CA lives in memory only.',
    },
  ],
  positionals: { names: ['SCENARIO'], min: 1 },
  examples: [
    'lab run exchange-um',
    'lab run exchange-um --exchange 2007sp1 --lang fr',
    'lab run exchange-um --mistake root-in-user-store',
  ],
  async run(ctx, args) {
    const lang = labLang(ctx, args, NAME, 'en');
    const scenario = await lab.getScenario(args.positionals[0]!);
    const exchange = choiceOption(args, 'exchange', ['2007sp1', '2010'] as ExchangeVersion[], '2010', NAME);
    const mistake = stringOption(args, 'mistake');
    const dir = stringOption(args, 'dir');
    const { report } = await lab.runLab({
      scenario: scenario.id,
      exchange,
      lang,
      ...(mistake !== undefined ? { mistake } : {}),
      ...(dir !== undefined ? { dir: resolvePath(ctx.io, dir), displayDir: dir } : {}),
      print: (line) => ctx.io.stdout.write(`${line}\n`),
    });
    return report.passed ? EXIT.ok : EXIT.failed;
  },
};
