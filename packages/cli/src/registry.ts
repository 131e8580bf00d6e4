// Every command, grouped by noun. The order here is the order of `certlab --help`.

import type { Command } from './command.js';
import { caApprove, caDeny } from './commands/ca-approve.js';
import { caCert } from './commands/ca-cert.js';
import { caCrl } from './commands/ca-crl.js';
import { caEditFlags } from './commands/ca-editflags.js';
import { caInit } from './commands/ca-init.js';
import { caList } from './commands/ca-list.js';
import { caPassphrase } from './commands/ca-passphrase.js';
import { caRenew } from './commands/ca-renew.js';
import { caRetrieve } from './commands/ca-retrieve.js';
import { caRevoke, caUnrevoke } from './commands/ca-revoke.js';
import { caSubmit } from './commands/ca-submit.js';
import { caTemplates } from './commands/ca-templates.js';
import { certSelfsign } from './commands/cert-selfsign.js';
import { certShow } from './commands/cert-show.js';
import { convert } from './commands/convert.js';
import { crlShow } from './commands/crl-show.js';
import { csrNew } from './commands/csr-new.js';
import { csrShow } from './commands/csr-show.js';
import { demo } from './commands/demo.js';
import { keyNew } from './commands/key-new.js';
import { keyShow } from './commands/key-show.js';
import { labCheck, labHint } from './commands/lab-check.js';
import { labInit } from './commands/lab-init.js';
import { labRun } from './commands/lab-run.js';
import { labUm } from './commands/lab-um.js';
import { serve } from './commands/serve.js';
import { show } from './commands/show.js';
import { storeDelete } from './commands/store-delete.js';
import { storeExport } from './commands/store-export.js';
import { storeImport } from './commands/store-import.js';
import { storeList } from './commands/store-list.js';
import { storeShow } from './commands/store-show.js';
import { storeVerify } from './commands/store-verify.js';
import { trustInstall, trustList, trustUninstall } from './commands/trust.js';
import { userAdd, userList, userRemove, userSet } from './commands/user.js';
import { verify } from './commands/verify.js';

/** A noun and its verbs. */
export interface Noun {
  readonly name: string;
  readonly summary: string;
  readonly verbs: readonly Command[];
}

export const NOUNS: readonly Noun[] = [
  { name: 'key', summary: 'Private keys: generate and inspect.', verbs: [keyNew, keyShow] },
  { name: 'csr', summary: 'Certificate requests (PKCS #10): create and inspect.', verbs: [csrNew, csrShow] },
  { name: 'cert', summary: 'Certificates (X.509): self-sign and inspect.', verbs: [certSelfsign, certShow] },
  { name: 'crl', summary: 'Certificate revocation lists: inspect, look up a serial.', verbs: [crlShow] },
  {
    name: 'ca',
    summary:
      'The simulated AD CS certification authority: create it, submit, approve, revoke, publish CRLs, renew, templates, EditFlags.',
    verbs: [
      caInit,
      caSubmit,
      caRetrieve,
      caApprove,
      caDeny,
      caRevoke,
      caUnrevoke,
      caCrl,
      caRenew,
      caPassphrase,
      caList,
      caCert,
      caTemplates,
      caEditFlags,
    ],
  },
  {
    name: 'store',
    summary:
      'Windows-like certificate stores of a simulated machine: import, list, show, verify, export, delete.',
    verbs: [storeImport, storeList, storeShow, storeVerify, storeExport, storeDelete],
  },
  {
    name: 'trust',
    summary: 'Host trust stores (NSS, Debian system, Java): install, uninstall and list root CAs.',
    verbs: [trustInstall, trustUninstall, trustList],
  },
  {
    name: 'user',
    summary: 'Accounts of the certsrv site and what the directory knows of them: list, add, set, remove.',
    verbs: [userList, userAdd, userSet, userRemove],
  },
  {
    name: 'lab',
    summary:
      'Training lab (Exchange UM ↔ Lync): prepare, work on the UM service, check, hint, run automatically.',
    verbs: [labInit, labUm, labCheck, labHint, labRun],
  },
];

/** Commands that take no verb. */
export const STANDALONE: readonly Command[] = [show, convert, verify, serve, demo];

/** Every leaf command, in help order. */
export const ALL_COMMANDS: readonly Command[] = [...NOUNS.flatMap((n) => n.verbs), ...STANDALONE];

/** The verb of a command name (`csr new` → `new`). @example `verbOf(csrNew)` */
export function verbOf(command: Command): string {
  return command.name.split(' ').pop()!;
}
