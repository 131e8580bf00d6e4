// `certlab lab um`: the Exchange UM server's side of the lab — what the Exchange Management Shell,
// the Services console and Event Viewer do on EX01: restart MSExchangeUM, set the startup mode
// (Set-UMServer -UMStartupMode, 2010), enable a certificate for UM (Enable-ExchangeCertificate
// -Services UM, 2010), list certificates (Get-ExchangeCertificate) and read the event log.

import type { ExchangeServiceName, UmStartupMode } from '@certlab/lab';
import * as lab from '@certlab/lab';
import { normalizeThumbprint } from '@certlab/store-sim';
import { listOption, stringOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { writeLines } from '../output.js';
import { LAB_DIR_OPTION, LAB_LANG_OPTION, labLang, openLab } from './lab-common.js';

const NAME = 'lab um';
const ACTIONS = ['restart', 'startup-mode', 'assign', 'certs', 'events'] as const;
const SERVICES: readonly ExchangeServiceName[] = ['IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation'];
/** Event levels as the French Event Viewer names them (Niveau). */
const LEVEL_FR: Record<lab.LabEvent['level'], string> = {
  Information: 'Information',
  Warning: 'Avertissement',
  Error: 'Erreur',
};

export const labUm: Command = {
  name: NAME,
  summary: 'The Exchange UM service of the lab: restart, startup mode, assign, certificates, events.',
  usage: [
    'lab um restart --dir DIR',
    'lab um startup-mode TCP|TLS|Dual --dir DIR',
    'lab um assign --thumbprint T [--services UM,…] --dir DIR',
    'lab um certs --dir DIR',
    'lab um events [--id N] --dir DIR',
  ],
  description:
    'restart: Restart-Service MSExchangeUM — the service reads its startup mode and, in TLS or Dual mode, picks its certificate (Exchange 2007 SP1: automatically, from LocalMachine\\My) or loads the one enabled for UM (2010), and writes event 1112 naming it (our wording, marked [SYNTHETIC]: the real text is not public). startup-mode: Set-UMServer -UMStartupMode (2010). assign: Enable-ExchangeCertificate -Thumbprint T -Services UM (2010; refused while the startup mode is TCP or when the certificate has no private key). certs: Get-ExchangeCertificate. events: the Application log of the UM server.',
  options: [
    LAB_DIR_OPTION,
    { name: 'thumbprint', type: 'string', value: 'T', help: 'The certificate to assign (SHA-1 thumbprint).' },
    {
      name: 'services',
      type: 'string',
      multiple: true,
      value: 'LIST',
      help: 'Services to enable (default UM).',
    },
    { name: 'id', type: 'string', value: 'N', help: 'Only events with this ID (events).' },
    LAB_LANG_OPTION,
  ],
  positionals: { names: ['ACTION', 'VALUE'], min: 1 },
  examples: [
    'lab um startup-mode Dual --dir ./lab',
    'lab um assign --thumbprint 3F1C… --dir ./lab',
    'lab um restart --dir ./lab',
    'lab um events --id 1112 --dir ./lab',
  ],
  async run(ctx, args) {
    const action = args.positionals[0]!;
    if (!(ACTIONS as readonly string[]).includes(action))
      throw usageError(`unknown action '${action}': use ${ACTIONS.join(', ')}.`, NAME);
    // VALUE belongs to startup-mode (the mode) and assign (the thumbprint, when --thumbprint is
    // not given): anywhere else it is a stray word, such as half of a thumbprint split by the
    // shell, that must not be ignored.
    const value = args.positionals[1];
    const takesValue =
      action === 'startup-mode' || (action === 'assign' && stringOption(args, 'thumbprint') === undefined);
    if (value !== undefined && !takesValue)
      throw usageError(
        action === 'assign'
          ? `unexpected argument '${value}': the thumbprint is given by --thumbprint already (quote a thumbprint that has spaces).`
          : `unexpected argument '${value}': ${action} takes none.`,
        NAME,
      );
    const session = await openLab(ctx, args, NAME);
    const fr = labLang(ctx, args, NAME, session.config.lang) === 'fr';
    const ex = session.host('exchange-um');
    const um = await lab.ExchangeUmService.open(ex, {
      network: session.network,
      lang: session.config.lang,
    });
    // What startup-mode and assign print last: both take effect at the next start.
    const restart = `certlab lab um restart --dir ${lab.shellWord(session.displayDir)}`;
    const restartReminder = fr
      ? `Redémarrez le service pour appliquer : ${restart}`
      : `Restart the service for it to take effect: ${restart}`;
    const out: string[] = [];
    switch (action) {
      case 'restart': {
        const before = ex.eventLog.all().length;
        const r = await um.restart();
        out.push(
          fr
            ? `Service de messagerie unifiée Microsoft Exchange redémarré sur ${ex.name} : mode ${r.mode}, ${r.certificate ? `certificat ${r.certificate}${r.selfSigned ? ' (auto-signé)' : ''}` : r.mode === 'TCP' ? 'sans certificat (TCP)' : 'aucun certificat utilisable'}`
            : `Restarted the Microsoft Exchange Unified Messaging service on ${ex.name}: ${r.mode} mode, ${r.certificate ? `certificate ${r.certificate}${r.selfSigned ? ' (self-signed)' : ''}` : r.mode === 'TCP' ? 'no certificate (TCP)' : 'no usable certificate'}`,
        );
        for (const e of ex.eventLog.all().slice(before))
          out.push(
            fr
              ? `  ${LEVEL_FR[e.level]} ${e.eventId} : ${e.message}`
              : `  ${e.level} ${e.eventId}: ${e.message}`,
          );
        break;
      }
      case 'startup-mode': {
        const v = args.positionals[1];
        const mode = ['TCP', 'TLS', 'Dual'].find((m) => m.toLowerCase() === v?.toLowerCase()) as
          | UmStartupMode
          | undefined;
        if (!mode) throw usageError('startup-mode needs TCP, TLS or Dual.', NAME);
        await um.setStartupMode(mode);
        out.push(`Set-UMServer -Identity ${ex.name} -UMStartupMode ${mode}`);
        out.push(restartReminder);
        break;
      }
      case 'assign': {
        const t = stringOption(args, 'thumbprint') ?? args.positionals[1];
        if (!t) throw usageError('assign needs --thumbprint T.', NAME);
        const wanted = listOption(args, 'services', true);
        const services = (wanted.length ? wanted : ['UM']).map((s) => {
          const m = SERVICES.find((x) => x.toLowerCase() === s.toLowerCase());
          if (!m) throw usageError(`unknown service '${s}': use ${SERVICES.join(', ')}.`, NAME);
          return m;
        });
        await um.enableCertificate(t, services);
        // The cmdlet line as PowerShell takes it: the thumbprint in one word (the MMC's "e1 ff …"
        // copy would be split into several arguments).
        out.push(
          `Enable-ExchangeCertificate -Thumbprint ${normalizeThumbprint(t)} -Services ${services.join(',')}`,
        );
        out.push(restartReminder);
        break;
      }
      case 'certs': {
        const rows = await um.certificates();
        out.push(`${'Thumbprint'.padEnd(42)}${'Services'.padEnd(10)}${'Status'.padEnd(24)}Subject`);
        out.push(`${'----------'.padEnd(42)}${'--------'.padEnd(10)}${'------'.padEnd(24)}-------`);
        for (const r of rows)
          out.push(
            `${r.thumbprint.padEnd(42)}${r.services.padEnd(10)}${r.status.padEnd(24)}${r.subject}${r.hasPrivateKey ? '' : fr ? '  (pas de clé privée)' : '  (no private key)'}`,
          );
        const running = um.state.running;
        out.push(
          '',
          fr
            ? `Mode de démarrage : ${um.state.startupMode} ; en cours : ${running ? `${running.mode}, ${running.certificate ?? 'aucun certificat'} depuis ${running.since}` : 'arrêté'}`
            : `Startup mode: ${um.state.startupMode}; running: ${running ? `${running.mode}, ${running.certificate ?? 'no certificate'} since ${running.since}` : 'stopped'}`,
        );
        break;
      }
      case 'events': {
        const id = stringOption(args, 'id');
        // An event ID is a number (0–65535 in the Windows event log); anything else matched
        // nothing and printed "(no events)", as if the event had not been logged.
        if (id !== undefined && !(/^\d{1,5}$/.test(id) && Number(id) <= 65535))
          throw usageError(`--id must be an event ID (a number such as 1112), not '${id}'.`, NAME);
        const events = ex.eventLog.all().filter((e) => id === undefined || String(e.eventId) === id);
        for (const e of events)
          out.push(
            `${e.time}  ${fr ? LEVEL_FR[e.level].padEnd(13) : e.level.padEnd(11)} ${e.source}  ${e.eventId}  ${e.message}`,
          );
        if (events.length === 0) out.push(fr ? '(aucun événement)' : '(no events)');
        break;
      }
    }
    writeLines(ctx.io.stdout, out);
    return EXIT.ok;
  },
};
