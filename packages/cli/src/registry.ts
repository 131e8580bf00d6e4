// Every command, grouped by noun. The order here is the order of `certlab --help`.
//
// A command module is loaded when it runs (or when its own help is shown), not here: the modules
// import the packages they work with, and loading them all (pki, store-sim, ca-sim, lab and the
// command line's ~80 modules) took ~0.3 s before any command ran, `certlab --version` included.
// The summaries the help lists are kept here for that reason (registry.test.ts checks them).

import type { Command } from './command.js';

/**
 * A command as the registry lists it: its name, for dispatch, and how to load it (options, help
 * text and what it does).
 */
export interface CommandEntry {
  /** `noun verb`, or a single word for `demo`: the loaded command's `name`. */
  readonly name: string;
  /** The loaded command's `summary` (test/registry.test.ts checks they agree), for help without loading it. */
  readonly summary: string;
  load(): Promise<Command>;
}

/** A noun and its verbs. */
export interface Noun {
  readonly name: string;
  readonly summary: string;
  readonly verbs: readonly CommandEntry[];
}

function entry(name: string, summary: string, load: () => Promise<Command>): CommandEntry {
  return { name, summary, load };
}

export const NOUNS: readonly Noun[] = [
  {
    name: 'key',
    summary: 'Private keys: generate and inspect.',
    verbs: [
      entry(
        'key new',
        'Generate a private key (EC, RSA or Ed25519) as PKCS#8 PEM.',
        async () => (await import('./commands/key-new.js')).keyNew,
      ),
      entry(
        'key show',
        'Describe a private or public key file.',
        async () => (await import('./commands/key-show.js')).keyShow,
      ),
    ],
  },
  {
    name: 'csr',
    summary: 'Certificate requests (PKCS #10): create and inspect.',
    verbs: [
      entry(
        'csr new',
        'Create a PKCS #10 certificate request (CSR).',
        async () => (await import('./commands/csr-new.js')).csrNew,
      ),
      entry(
        'csr show',
        'Show a certificate request: subject, key, extensions, attributes, signature.',
        async () => (await import('./commands/csr-show.js')).csrShow,
      ),
    ],
  },
  {
    name: 'cert',
    summary: 'Certificates (X.509): self-sign and inspect.',
    verbs: [
      entry(
        'cert selfsign',
        'Create a self-signed certificate (a root CA with --ca).',
        async () => (await import('./commands/cert-selfsign.js')).certSelfsign,
      ),
      entry(
        'cert show',
        'Show certificates: names, validity, key, extensions, thumbprints.',
        async () => (await import('./commands/cert-show.js')).certShow,
      ),
    ],
  },
  {
    name: 'crl',
    summary: 'Certificate revocation lists: inspect, look up a serial.',
    verbs: [
      entry(
        'crl show',
        'Show a CRL: issuer, updates, CRL number, revoked certificates; or look up a serial.',
        async () => (await import('./commands/crl-show.js')).crlShow,
      ),
    ],
  },
  {
    name: 'ca',
    summary:
      'The simulated AD CS certification authority: create it, submit, approve, revoke, publish CRLs, renew, templates, EditFlags.',
    verbs: [
      entry(
        'ca init',
        'Create a CA: a root and an issuing CA (or one standalone CA) with its database.',
        async () => (await import('./commands/ca-init.js')).caInit,
      ),
      entry(
        'ca submit',
        'Submit a certificate request to the CA (certreq -submit): request id and disposition.',
        async () => (await import('./commands/ca-submit.js')).caSubmit,
      ),
      entry(
        'ca retrieve',
        'Retrieve the certificate of a request (certreq -retrieve), alone or with its chain.',
        async () => (await import('./commands/ca-retrieve.js')).caRetrieve,
      ),
      entry(
        'ca approve',
        'Issue a pending request (the CA officer\'s "Issue", certutil -resubmit).',
        async () => (await import('./commands/ca-approve.js')).caApprove,
      ),
      entry(
        'ca deny',
        'Deny a pending request (the CA officer\'s "Deny", certutil -deny).',
        async () => (await import('./commands/ca-approve.js')).caDeny,
      ),
      entry(
        'ca revoke',
        'Revoke an issued certificate with a reason (certutil -revoke).',
        async () => (await import('./commands/ca-revoke.js')).caRevoke,
      ),
      entry(
        'ca unrevoke',
        'Release a certificate from hold (certutil -revoke SERIAL unrevoke).',
        async () => (await import('./commands/ca-revoke.js')).caUnrevoke,
      ),
      entry(
        'ca crl',
        'Publish a base or delta CRL now (certutil -CRL) to CertEnroll, and optionally write it.',
        async () => (await import('./commands/ca-crl.js')).caCrl,
      ),
      entry(
        'ca renew',
        'Renew the issuing (or root) CA certificate with a new key or the same one (certutil -renewCert).',
        async () => (await import('./commands/ca-renew.js')).caRenew,
      ),
      entry(
        'ca passphrase',
        "Give the CA's private keys a key passphrase, change it, or remove it.",
        async () => (await import('./commands/ca-passphrase.js')).caPassphrase,
      ),
      entry(
        'ca list',
        'List the requests of the CA database, like the Certification Authority console.',
        async () => (await import('./commands/ca-list.js')).caList,
      ),
      entry(
        'ca cert',
        'Write the issuing CA certificate, the root certificate, or the chain (.p7b).',
        async () => (await import('./commands/ca-cert.js')).caCert,
      ),
      entry(
        'ca templates',
        'List, add or remove the certificate templates the CA issues (certutil -CATemplates).',
        async () => (await import('./commands/ca-templates.js')).caTemplates,
      ),
      entry(
        'ca editflags',
        "List, set or clear the policy module's EditFlags (certutil -setreg policy\\EditFlags).",
        async () => (await import('./commands/ca-editflags.js')).caEditFlags,
      ),
    ],
  },
  {
    name: 'store',
    summary:
      'Windows-like certificate stores of a simulated machine: import, list, show, verify, export, delete.',
    verbs: [
      entry(
        'store import',
        'Import a .cer, .p7b, .sst, .crl or .pfx into a store, as the Certificate Import Wizard does.',
        async () => (await import('./commands/store-import.js')).storeImport,
      ),
      entry(
        'store list',
        'List the certificates of a store as the Certificates console shows them.',
        async () => (await import('./commands/store-list.js')).storeList,
      ),
      entry(
        'store show',
        'Show a certificate of a store: where it is, its properties, its fields, its private key.',
        async () => (await import('./commands/store-show.js')).storeShow,
      ),
      entry(
        'store verify',
        "Build a certificate's chain over the machine's stores: Windows verdict and CERT_TRUST_* flags.",
        async () => (await import('./commands/store-verify.js')).storeVerify,
      ),
      entry(
        'store export',
        'Export a certificate of a store as .cer (DER or Base-64), .p7b, .sst or .pfx.',
        async () => (await import('./commands/store-export.js')).storeExport,
      ),
      entry(
        'store delete',
        'Delete a certificate from a store (and, with --delete-key, its private key).',
        async () => (await import('./commands/store-delete.js')).storeDelete,
      ),
    ],
  },
  {
    name: 'trust',
    summary: 'Host trust stores (NSS, Debian system, Java): install, uninstall and list root CAs.',
    verbs: [
      entry(
        'trust install',
        'Install a root CA certificate into an NSS database, the Debian system store or a Java keystore.',
        async () => (await import('./commands/trust.js')).trustInstall,
      ),
      entry(
        'trust uninstall',
        'Remove a root CA certificate from an NSS database, the Debian system store or a Java keystore.',
        async () => (await import('./commands/trust.js')).trustUninstall,
      ),
      entry(
        'trust list',
        'List the certificates of an NSS database, the Debian local CA directory or a Java keystore.',
        async () => (await import('./commands/trust.js')).trustList,
      ),
    ],
  },
  {
    name: 'user',
    summary: 'Accounts of the certsrv site and what the directory knows of them: list, add, set, remove.',
    verbs: [
      entry(
        'user list',
        'List the accounts of the certsrv site and what the directory knows of them.',
        async () => (await import('./commands/user.js')).userList,
      ),
      entry(
        'user add',
        'Create a certsrv account, with its directory attributes.',
        async () => (await import('./commands/user.js')).userAdd,
      ),
      entry(
        'user set',
        'Change a certsrv account: administrator or not, directory attributes, password.',
        async () => (await import('./commands/user.js')).userSet,
      ),
      entry(
        'user remove',
        'Delete a certsrv account.',
        async () => (await import('./commands/user.js')).userRemove,
      ),
    ],
  },
  {
    name: 'lab',
    summary:
      'Training lab (Exchange UM ↔ Lync): prepare, work on the UM service, check, hint, run automatically.',
    verbs: [
      entry(
        'lab init',
        'Prepare a training lab: the CA, the Exchange UM server and the Lync front end.',
        async () => (await import('./commands/lab-init.js')).labInit,
      ),
      entry(
        'lab um',
        'The Exchange UM service of the lab: restart, startup mode, assign, certificates, events.',
        async () => (await import('./commands/lab-um.js')).labUm,
      ),
      entry(
        'lab check',
        'Grade every step of the lab, ending with a real mutual-TLS handshake.',
        async () => (await import('./commands/lab-check.js')).labCheck,
      ),
      entry(
        'lab hint',
        'Print the next thing to do in the lab.',
        async () => (await import('./commands/lab-check.js')).labHint,
      ),
      entry(
        'lab run',
        'Run a lab scenario automatically and grade it (a demonstration, or a trainer showing a mistake).',
        async () => (await import('./commands/lab-run.js')).labRun,
      ),
    ],
  },
];

/** Commands that take no verb. */
export const STANDALONE: readonly CommandEntry[] = [
  entry(
    'show',
    'Show any PKI file: certificates, request, CRL, .p7b, .pfx, private or public key.',
    async () => (await import('./commands/show.js')).show,
  ),
  entry(
    'convert',
    'Convert between PEM, DER, .p7b and .pfx (certificates, chains, CRLs, keys).',
    async () => (await import('./commands/convert.js')).convert,
  ),
  entry(
    'verify',
    'Verify a certificate: build a path to a trusted root and validate it (RFC 5280).',
    async () => (await import('./commands/verify.js')).verify,
  ),
  entry(
    'serve',
    'Run the CA’s certsrv web-enrollment site (HTTP and HTTPS).',
    async () => (await import('./commands/serve.js')).serve,
  ),
  entry(
    'demo',
    'Create a demo root CA and a localhost server certificate.',
    async () => (await import('./commands/demo.js')).demo,
  ),
];

/** Every leaf command, in help order. */
export const ALL_COMMANDS: readonly CommandEntry[] = [...NOUNS.flatMap((n) => n.verbs), ...STANDALONE];

/**
 * Loads commands, in order (the tests check every entry against its command).
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
