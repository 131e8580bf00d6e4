// Every command, grouped by noun. The order here is the order of `certlab --help`.
//
// A command module is loaded when it runs (or when help shows it), not here: the modules import
// the packages they work with, and loading them all (pki, store-sim, ca-sim, lab and the
// command line's ~80 modules) took ~0.3 s before any command ran, `certlab --version` included.

import type { Command } from './command.js';

/**
 * A command as the registry lists it: its name, for dispatch, and how to load it (options, help
 * text and what it does).
 */
export interface CommandEntry {
  /** `noun verb`, or a single word for `demo`: the loaded command's `name`. */
  readonly name: string;
  load(): Promise<Command>;
}

/** A noun and its verbs. */
export interface Noun {
  readonly name: string;
  readonly summary: string;
  readonly verbs: readonly CommandEntry[];
}

function entry(name: string, load: () => Promise<Command>): CommandEntry {
  return { name, load };
}

export const NOUNS: readonly Noun[] = [
  {
    name: 'key',
    summary: 'Private keys: generate and inspect.',
    verbs: [
      entry('key new', async () => (await import('./commands/key-new.js')).keyNew),
      entry('key show', async () => (await import('./commands/key-show.js')).keyShow),
    ],
  },
  {
    name: 'csr',
    summary: 'Certificate requests (PKCS #10): create and inspect.',
    verbs: [
      entry('csr new', async () => (await import('./commands/csr-new.js')).csrNew),
      entry('csr show', async () => (await import('./commands/csr-show.js')).csrShow),
    ],
  },
  {
    name: 'cert',
    summary: 'Certificates (X.509): self-sign and inspect.',
    verbs: [
      entry('cert selfsign', async () => (await import('./commands/cert-selfsign.js')).certSelfsign),
      entry('cert show', async () => (await import('./commands/cert-show.js')).certShow),
    ],
  },
  {
    name: 'crl',
    summary: 'Certificate revocation lists: inspect, look up a serial.',
    verbs: [entry('crl show', async () => (await import('./commands/crl-show.js')).crlShow)],
  },
  {
    name: 'ca',
    summary:
      'The simulated AD CS certification authority: create it, submit, approve, revoke, publish CRLs, renew, templates, EditFlags.',
    verbs: [
      entry('ca init', async () => (await import('./commands/ca-init.js')).caInit),
      entry('ca submit', async () => (await import('./commands/ca-submit.js')).caSubmit),
      entry('ca retrieve', async () => (await import('./commands/ca-retrieve.js')).caRetrieve),
      entry('ca approve', async () => (await import('./commands/ca-approve.js')).caApprove),
      entry('ca deny', async () => (await import('./commands/ca-approve.js')).caDeny),
      entry('ca revoke', async () => (await import('./commands/ca-revoke.js')).caRevoke),
      entry('ca unrevoke', async () => (await import('./commands/ca-revoke.js')).caUnrevoke),
      entry('ca crl', async () => (await import('./commands/ca-crl.js')).caCrl),
      entry('ca renew', async () => (await import('./commands/ca-renew.js')).caRenew),
      entry('ca passphrase', async () => (await import('./commands/ca-passphrase.js')).caPassphrase),
      entry('ca list', async () => (await import('./commands/ca-list.js')).caList),
      entry('ca cert', async () => (await import('./commands/ca-cert.js')).caCert),
      entry('ca templates', async () => (await import('./commands/ca-templates.js')).caTemplates),
      entry('ca editflags', async () => (await import('./commands/ca-editflags.js')).caEditFlags),
    ],
  },
  {
    name: 'store',
    summary:
      'Windows-like certificate stores of a simulated machine: import, list, show, verify, export, delete.',
    verbs: [
      entry('store import', async () => (await import('./commands/store-import.js')).storeImport),
      entry('store list', async () => (await import('./commands/store-list.js')).storeList),
      entry('store show', async () => (await import('./commands/store-show.js')).storeShow),
      entry('store verify', async () => (await import('./commands/store-verify.js')).storeVerify),
      entry('store export', async () => (await import('./commands/store-export.js')).storeExport),
      entry('store delete', async () => (await import('./commands/store-delete.js')).storeDelete),
    ],
  },
  {
    name: 'trust',
    summary: 'Host trust stores (NSS, Debian system, Java): install, uninstall and list root CAs.',
    verbs: [
      entry('trust install', async () => (await import('./commands/trust.js')).trustInstall),
      entry('trust uninstall', async () => (await import('./commands/trust.js')).trustUninstall),
      entry('trust list', async () => (await import('./commands/trust.js')).trustList),
    ],
  },
  {
    name: 'user',
    summary: 'Accounts of the certsrv site and what the directory knows of them: list, add, set, remove.',
    verbs: [
      entry('user list', async () => (await import('./commands/user.js')).userList),
      entry('user add', async () => (await import('./commands/user.js')).userAdd),
      entry('user set', async () => (await import('./commands/user.js')).userSet),
      entry('user remove', async () => (await import('./commands/user.js')).userRemove),
    ],
  },
  {
    name: 'lab',
    summary:
      'Training lab (Exchange UM ↔ Lync): prepare, work on the UM service, check, hint, run automatically.',
    verbs: [
      entry('lab init', async () => (await import('./commands/lab-init.js')).labInit),
      entry('lab um', async () => (await import('./commands/lab-um.js')).labUm),
      entry('lab check', async () => (await import('./commands/lab-check.js')).labCheck),
      entry('lab hint', async () => (await import('./commands/lab-check.js')).labHint),
      entry('lab run', async () => (await import('./commands/lab-run.js')).labRun),
    ],
  },
];

/** Commands that take no verb. */
export const STANDALONE: readonly CommandEntry[] = [
  entry('show', async () => (await import('./commands/show.js')).show),
  entry('convert', async () => (await import('./commands/convert.js')).convert),
  entry('verify', async () => (await import('./commands/verify.js')).verify),
  entry('serve', async () => (await import('./commands/serve.js')).serve),
  entry('demo', async () => (await import('./commands/demo.js')).demo),
];

/** Every leaf command, in help order. */
export const ALL_COMMANDS: readonly CommandEntry[] = [...NOUNS.flatMap((n) => n.verbs), ...STANDALONE];

/**
 * Loads commands (for help, which shows their summaries), in order.
 *
 * @example
 * ```ts
 * const verbs = await loadCommands(NOUNS[0].verbs);
 * ```
 */
export function loadCommands(entries: readonly CommandEntry[]): Promise<Command[]> {
  return Promise.all(entries.map((e) => e.load()));
}

/** The verb of a command name (`csr new` → `new`). @example `verbOf(csrNew)` */
export function verbOf(command: { readonly name: string }): string {
  return command.name.split(' ').pop()!;
}
