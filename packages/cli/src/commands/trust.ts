// `certlab trust install|uninstall|list`: put a root CA certificate into a real trust store of
// this host, the way mkcert does: an NSS database (Chromium, Firefox), the Debian/Ubuntu system
// store (update-ca-certificates), or a Java keystore (keytool). The work is done by the
// installers of @certlab/store-sim, which drive the platform's own tools.

import type { Certificate } from '@certlab/pki';
import type { TrustedEntry, TrustInstaller } from '@certlab/store-sim';
// Values are read from the namespace at run time, as in verify.ts, so that the CLI still loads
// while the library's index lacks an export; the types are checked at build time.
import * as store from '@certlab/store-sim';
import { booleanOption, choiceOption, stringOption } from '../args.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Command, CommandContext, OptionSpec, ParsedArgs } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readInput, resolvePath } from '../files.js';
import { writeJson, writeLines } from '../output.js';
import { passwordOption } from '../password.js';
import { readCertificateList } from '../pki-input.js';

const NSS_OPTION: OptionSpec = {
  name: 'nss',
  type: 'string',
  value: 'DIR',
  help: 'An NSS database directory (sql: form; created if missing), e.g. ~/.pki/nssdb for Chromium.',
};
const SYSTEM_OPTION: OptionSpec = {
  name: 'system',
  type: 'boolean',
  help: 'The Debian/Ubuntu system store: /usr/local/share/ca-certificates + update-ca-certificates.',
};
const ROOT_OPTION: OptionSpec = {
  name: 'root',
  type: 'string',
  value: 'DIR',
  help: 'With --system: the file system root to work in (default /; a directory for tests).',
};
const JAVA_OPTION: OptionSpec = {
  name: 'java',
  type: 'string',
  value: 'KEYSTORE',
  help: 'A Java PKCS #12 keystore (created if missing), e.g. $JAVA_HOME/lib/security/cacerts.',
};
const STOREPASS_OPTION: OptionSpec = {
  name: 'storepass',
  type: 'string',
  value: 'P',
  help: 'With --java: the keystore password (default changeit; visible to other local users: prefer --storepass-file).',
};
const STOREPASS_FILE_OPTION: OptionSpec = {
  name: 'storepass-file',
  type: 'string',
  value: 'F',
  help: 'With --java: read the keystore password from the first line of file F.',
};
const STORE_OPTIONS = [
  NSS_OPTION,
  SYSTEM_OPTION,
  ROOT_OPTION,
  JAVA_OPTION,
  STOREPASS_OPTION,
  STOREPASS_FILE_OPTION,
  FORMAT_OPTION,
];

const TOOLS_NOTE =
  'The tools come from Debian packages: certutil from libnss3-tools, update-ca-certificates from ca-certificates, keytool from a JRE (default-jre-headless); a missing one is reported with its package. --system with the default root changes the host and needs root privileges.';

/** The installer the options select; exactly one of --nss, --system, --java. */
async function installerOf(ctx: CommandContext, args: ParsedArgs, command: string): Promise<TrustInstaller> {
  const nss = stringOption(args, 'nss');
  const java = stringOption(args, 'java');
  const system = booleanOption(args, 'system');
  const chosen = [nss !== undefined, system, java !== undefined].filter(Boolean).length;
  if (chosen !== 1)
    throw usageError(
      chosen === 0
        ? 'say which store: --nss DIR, --system or --java KEYSTORE.'
        : 'give only one of --nss, --system and --java.',
      command,
    );
  const root = stringOption(args, 'root');
  if (root !== undefined && !system) throw usageError('--root goes with --system only.', command);
  for (const option of ['storepass', 'storepass-file'])
    if (stringOption(args, option) !== undefined && java === undefined)
      throw usageError(`--${option} goes with --java only.`, command);
  // The rules of every *-password-file option (first line, both at once refused) and masking
  // in error output. An empty password is passed on as before: keytool itself says it is too
  // short, as it would for `-storepass ''`.
  const storepass = await passwordOption(ctx, args, command, 'storepass', { allowEmpty: true });
  if (nss !== undefined) return store.nssTrust({ dbDir: resolvePath(ctx.io, nss) });
  if (java !== undefined)
    return store.javaTrust({
      keystore: resolvePath(ctx.io, java),
      ...(storepass !== undefined ? { storepass } : {}),
    });
  return store.debianTrust({ root: root === undefined ? '/' : resolvePath(ctx.io, root) });
}

const STORE_LABEL: Record<TrustInstaller['kind'], string> = {
  nss: 'NSS database',
  debian: 'Debian system trust in',
  java: 'Java keystore',
};

/** Runs a store operation, reporting StoreErrors with their code (exit 1; a wrong password exit 2). */
async function storeOp<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (store.isStoreError(e))
      throw new CliError(
        e.code === 'ERR_STORE_PASSWORD_REQUIRED' ? EXIT.usage : EXIT.failed,
        `${e.message} [${e.code}]`,
      );
    throw e;
  }
}

async function readRoot(ctx: CommandContext, path: string): Promise<Certificate> {
  const bytes = await readInput(ctx.io, path);
  let certs: Certificate[];
  try {
    certs = readCertificateList(bytes);
  } catch (e) {
    throw new CliError(
      EXIT.usage,
      `cannot read a certificate from ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const first = certs[0];
  if (!first) throw new CliError(EXIT.usage, `cannot read a certificate from ${path}: it holds none.`);
  if (certs.length > 1)
    throw new CliError(EXIT.usage, `${path} holds ${certs.length} certificates: give the root alone.`);
  return first;
}

function changeCommand(action: 'install' | 'uninstall'): Command {
  const name = `trust ${action}`;
  const installing = action === 'install';
  return {
    name,
    summary: installing
      ? 'Install a root CA certificate into an NSS database, the Debian system store or a Java keystore.'
      : 'Remove a root CA certificate from an NSS database, the Debian system store or a Java keystore.',
    usage: [
      `${name} ROOT (--nss DIR | --system [--root DIR] | --java KEYSTORE [--storepass P | --storepass-file F])`,
      '       [--format text|json]',
    ],
    description: `${
      installing
        ? 'Installs ROOT (PEM or DER, one certificate) as a trusted CA: certutil -A -t "C,," into the NSS database (nickname "certlab <CN> <thumbprint>"), a PEM file certlab-<THUMBPRINT>.crt in /usr/local/share/ca-certificates then update-ca-certificates, or keytool -importcert -trustcacerts (alias certlab-<thumbprint>). Installing a root already there changes nothing and succeeds.'
        : 'Removes every trust entry of the store holding ROOT (matched by SHA-1 thumbprint, whatever its nickname, alias or file name): certutil -D (other certificates sharing its nickname keep theirs), cutting it out of its file then update-ca-certificates --fresh (other certificates of the file stay), or keytool -delete. An entry that holds a private key (NSS u flag, a keystore PrivateKeyEntry) is not a trust entry: it is left, and the command fails naming it [ERR_STORE_UNSUPPORTED]. Removing a root that is not there succeeds.'
    } ${TOOLS_NOTE} Exit status: 0 done, 1 the store or its tool failed, 2 bad usage or unreadable ROOT.`,
    options: STORE_OPTIONS,
    positionals: { names: ['ROOT'], min: 1 },
    examples: installing
      ? [
          'trust install root-ca.cer --nss ~/.pki/nssdb',
          'trust install root-ca.cer --system',
          'trust install root-ca.cer --system --root /tmp/fakeroot --format json',
          'trust install root-ca.cer --java truststore.p12 --storepass-file storepass.txt',
        ]
      : ['trust uninstall root-ca.cer --nss ~/.pki/nssdb', 'trust uninstall root-ca.cer --system'],
    async run(ctx, args) {
      const format = choiceOption(args, 'format', ['text', 'json'], 'text', name);
      const installer = await installerOf(ctx, args, name);
      const cert = await readRoot(ctx, args.positionals[0]!);
      const change = await storeOp(() => (installing ? installer.install(cert) : installer.uninstall(cert)));
      const subject = cert.subject.toWindowsString();
      if (format === 'json') {
        writeJson(ctx.io.stdout, {
          action,
          store: installer.kind,
          target: installer.target,
          subject,
          thumbprint: change.thumbprint,
          changed: change.changed,
          names: change.names,
        });
        return EXIT.ok;
      }
      const where = `${STORE_LABEL[installer.kind]} ${installer.target}`;
      const what = `${subject || '(empty subject)'} (${change.thumbprint})`;
      const names = change.names.map((n) => `"${n}"`).join(', ');
      writeLines(ctx.io.stdout, [
        installing
          ? change.changed
            ? `Installed ${what} into ${where} as ${names}.`
            : `Already installed: ${what} is in ${where} as ${names}.`
          : change.changed
            ? `Removed ${what} (${names}) from ${where}.`
            : `Not installed: ${what} is not in ${where}; nothing removed.`,
        // Trusting a server's own certificate is legitimate, but rarely what "install a root" meant.
        ...(installing && !isCaCertificate(cert)
          ? [
              'Note: this is not a CA certificate (no basicConstraints cA): it is trusted as itself, and certificates it did not sign are not.',
            ]
          : []),
      ]);
      return EXIT.ok;
    },
  };
}

export const trustInstall: Command = changeCommand('install');
export const trustUninstall: Command = changeCommand('uninstall');

export const trustList: Command = {
  name: 'trust list',
  summary: 'List the certificates of an NSS database, the Debian local CA directory or a Java keystore.',
  usage: [
    'trust list (--nss DIR | --system [--root DIR] | --java KEYSTORE [--storepass P | --storepass-file F]) [--format text|json]',
  ],
  description: `Prints one line per certificate: its SHA-1 thumbprint, then its nickname, file name or alias, its subject and (NSS) its trust flags. For --system the listing is the local administrator's directory /usr/local/share/ca-certificates, where certlab installs, not the distribution's own CAs. A store that does not exist yet lists nothing. ${TOOLS_NOTE}`,
  options: STORE_OPTIONS,
  examples: [
    'trust list --nss ~/.pki/nssdb',
    'trust list --system --format json',
    'trust list --java truststore.p12',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', 'trust list');
    const installer = await installerOf(ctx, args, 'trust list');
    const entries: TrustedEntry[] = await storeOp(() => installer.list());
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        store: installer.kind,
        target: installer.target,
        certificates: entries.map((e) => ({
          name: e.name,
          thumbprint: e.thumbprint ?? null,
          subject: e.subject ?? null,
          ...(e.trust !== undefined ? { trust: e.trust } : {}),
        })),
      });
      return EXIT.ok;
    }
    if (entries.length === 0) {
      writeLines(ctx.io.stdout, [`No certificates in ${STORE_LABEL[installer.kind]} ${installer.target}.`]);
      return EXIT.ok;
    }
    writeLines(
      ctx.io.stdout,
      entries.map(
        (e) =>
          `${e.thumbprint ?? '(unreadable)'.padEnd(40)}  ${e.name}  ${e.subject ?? ''}${e.trust !== undefined ? `  [${e.trust}]` : ''}`,
      ),
    );
    return EXIT.ok;
  },
};

/** Whether basicConstraints says cA (an unreadable extension counts as not a CA). */
function isCaCertificate(cert: Certificate): boolean {
  try {
    return cert.isCA;
  } catch {
    return false;
  }
}
