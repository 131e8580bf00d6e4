// `certlab convert`: from any file certlab reads (certificates in PEM, DER or Base64, .p7b,
// .pfx, CRLs, requests, keys) to PEM, a single DER object, a .p7b (DER or PEM) or a .pfx.

import {
  type Certificate,
  type CertificationRequest,
  type Crl,
  createCertsOnlyPkcs7,
  createPkcs12,
  encodePkcs7Pem,
  type Pkcs12Profile,
  type PrivateKey,
  type PublicKey,
} from '@certlab/pki';
import { booleanOption, choiceOption, listOption, requireOption, stringOption } from '../args.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Command, CommandContext, OptionSpec } from '../command.js';
import { FORCE_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, STDIO, writeOutput } from '../files.js';
import { describeKey } from '../key-spec.js';
import { loadPrivateKey } from '../load-key.js';
import { summaryStream, writeLines } from '../output.js';
import { PASSWORD_FILE_OPTION, passwordOption, promptPassword } from '../password.js';
import { certificatesOf, crlsOf, displayPath, kindName, type PkiInput, readPkiInput } from '../pki-input.js';

const NAME = 'convert';

const TARGETS = ['pem', 'der', 'p7b', 'p7b-pem', 'pfx'] as const;
type Target = (typeof TARGETS)[number];

const IN_PASSWORD_OPTIONS = '--password-file F or --password P';
const KEY_PASSWORD_OPTIONS = '--key-password-file F or --key-password P';

/** Options that only make sense for some targets: giving them otherwise is a usage error. */
const ONLY_FOR: Record<string, readonly Target[]> = {
  key: ['pfx'],
  'key-password': ['pfx'],
  'key-password-file': ['pfx'],
  'pfx-password': ['pfx'],
  'pfx-password-file': ['pfx'],
  'pfx-profile': ['pfx'],
  'friendly-name': ['pfx'],
  'include-key': ['pem'],
  chain: ['pem', 'p7b', 'p7b-pem', 'pfx'],
};

const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'to',
    type: 'string',
    short: 't',
    value: 'pem|der|p7b|p7b-pem|pfx',
    help: 'Output format (required): PEM text, one DER object, a .p7b chain as DER or PEM, or a .pfx with a key.',
  },
  OUT_OPTION,
  FORCE_OPTION,
  {
    name: 'password',
    type: 'string',
    value: 'P',
    help: 'Password of IN when it is a .pfx or holds an encrypted key; with --to pfx, also the password of the new file unless --pfx-password is given (visible to other local users: prefer --password-file).',
  },
  PASSWORD_FILE_OPTION,
  {
    name: 'chain',
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'More certificates (issuing CA, root) to add, from PEM, DER or .p7b files; repeatable. Not with --to der.',
  },
  {
    name: 'key',
    type: 'string',
    short: 'k',
    value: 'FILE',
    help: 'With --to pfx: the private key, when IN does not hold it.',
  },
  {
    name: 'key-password',
    type: 'string',
    value: 'P',
    help: 'Password of the --key file (visible to other local users: prefer --key-password-file).',
  },
  {
    name: 'key-password-file',
    type: 'string',
    value: 'F',
    help: 'Read the --key password from the first line of file F.',
  },
  {
    name: 'pfx-password',
    type: 'string',
    value: 'P',
    help: 'With --to pfx: password of the new file (default: --password; at a terminal certlab asks; visible to other local users: prefer --pfx-password-file).',
  },
  {
    name: 'pfx-password-file',
    type: 'string',
    value: 'F',
    help: 'Read the new .pfx password from the first line of file F.',
  },
  {
    name: 'pfx-profile',
    type: 'string',
    value: 'modern|legacy',
    help: 'With --to pfx: modern (AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC; default) or legacy (3DES, SHA-1 MAC) for Windows Server 2016 and older.',
  },
  {
    name: 'friendly-name',
    type: 'string',
    value: 'NAME',
    help: 'With --to pfx: the friendly name Windows shows (default: that of a .pfx IN).',
  },
  {
    name: 'include-key',
    type: 'boolean',
    help: 'With --to pem: also write the private keys of IN, unencrypted PKCS#8 (the file gets mode 0600).',
  },
];

/** What a file holds, by kind, ready to write. */
interface Contents {
  readonly certificates: Certificate[];
  readonly crls: Crl[];
  readonly requests: CertificationRequest[];
  readonly publicKeys: PublicKey[];
  readonly privateKeys: PrivateKey[];
  /** True when IN has a private key (imported or not). */
  readonly hasPrivateKey: boolean;
  readonly friendlyName: string | undefined;
  /** The friendly name of each key of a .pfx IN (its key bag's, else its certificate's). */
  readonly keyNames: ReadonlyMap<PrivateKey, string>;
  /** The friendlyName of each certificate bag of a .pfx IN, by certificate (RFC 7292 §4.2). */
  readonly certificateNames: readonly { certificate: Certificate; friendlyName: string }[];
  /** Bags of a .pfx IN that no output holds: secret bags (a Java keystore's secret keys), other types. */
  readonly unreadBags: number;
  /** Why each key of a .pfx IN that certlab cannot import (RSA-PSS, DSA…) was left out. */
  readonly unsupportedKeys: readonly string[];
}

function contentsOf(input: PkiInput): Contents {
  const requests: CertificationRequest[] = [];
  const publicKeys: PublicKey[] = [];
  const privateKeys: PrivateKey[] = [];
  let hasPrivateKey = false;
  let friendlyName: string | undefined;
  const keyNames = new Map<PrivateKey, string>();
  const certificateNames: { certificate: Certificate; friendlyName: string }[] = [];
  let unreadBags = 0;
  const unsupportedKeys: string[] = [];
  for (const item of input.items) {
    if (item.kind === 'csr') requests.push(item.request);
    else if (item.kind === 'public-key') publicKeys.push(item.key);
    else if (item.kind === 'private-key') {
      hasPrivateKey = true;
      if (item.key) privateKeys.push(item.key);
    } else if (item.kind === 'pkcs12') {
      friendlyName ??= item.contents.friendlyName;
      // Every key of the .pfx (a Java keystore holds one per entry), the chosen one first.
      const { key, keys } = item.contents;
      for (const k of key ? [key, ...keys.map((e) => e.key).filter((x) => x !== key)] : []) {
        hasPrivateKey = true;
        privateKeys.push(k);
      }
      for (const e of keys) if (e.friendlyName !== undefined) keyNames.set(e.key, e.friendlyName);
      for (const b of item.contents.bags) {
        if (b.certificate && b.friendlyName !== undefined)
          certificateNames.push({ certificate: b.certificate, friendlyName: b.friendlyName });
        if (b.type === 'secret' || b.type === 'other') unreadBags++;
        if (b.unsupported !== undefined) unsupportedKeys.push(b.unsupported);
      }
    }
  }
  return {
    certificates: certificatesOf(input),
    crls: crlsOf(input),
    requests,
    publicKeys,
    privateKeys,
    hasPrivateKey,
    friendlyName,
    keyNames,
    certificateNames,
    unreadBags,
    unsupportedKeys,
  };
}

/** Drops certificates that appear twice (same DER), keeping the first. */
function unique(certs: readonly Certificate[]): Certificate[] {
  const out: Certificate[] = [];
  for (const c of certs) if (!out.some((o) => o.equals(c))) out.push(c);
  return out;
}

/** The leaf's issuers upwards by name, then the certificates that are not on that path, in order. */
function orderChain(leaf: Certificate, others: readonly Certificate[]): Certificate[] {
  const rest = [...others];
  const path: Certificate[] = [];
  let current = leaf;
  while (!current.isSelfIssued) {
    const i = rest.findIndex((c) => c.subject.equals(current.issuer));
    if (i < 0) break;
    current = rest.splice(i, 1)[0]!;
    path.push(current);
  }
  return [...path, ...rest];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 certificates and 1 CRL`: what a file holds, for messages. */
function inventory(c: Contents): string {
  const parts: string[] = [];
  if (c.certificates.length) parts.push(plural(c.certificates.length, 'certificate'));
  if (c.crls.length) parts.push(plural(c.crls.length, 'CRL'));
  if (c.requests.length) parts.push(plural(c.requests.length, 'request'));
  if (c.publicKeys.length) parts.push(plural(c.publicKeys.length, 'public key'));
  if (c.hasPrivateKey) parts.push('a private key');
  return parts.length === 0 ? 'nothing' : listText(parts);
}

/** `a`, `a and b`, `a, b and c`. */
function listText(parts: readonly string[]): string {
  return parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Asks twice for the password of a new file at a terminal; undefined when there is none. */
async function promptNewPassword(ctx: CommandContext, out: string): Promise<string | undefined> {
  const first = await promptPassword(ctx, `New password for ${displayPath(out)}: `);
  if (first === undefined) return undefined;
  // An empty answer is more likely a slip than a choice: an unprotected .pfx needs the explicit option.
  if (first === '')
    throw usageError(
      "the password is empty: to write a .pfx with an empty password, give --pfx-password '' (or an empty --pfx-password-file).",
      NAME,
    );
  const again = await promptPassword(ctx, 'Repeat the password: ');
  if (again !== first) throw usageError('the passwords do not match.', NAME);
  return first;
}

export const convert: Command = {
  name: NAME,
  summary: 'Convert between PEM, DER, .p7b and .pfx (certificates, chains, CRLs, keys).',
  usage: [
    'convert IN --to pem|der|p7b|p7b-pem [--chain FILE]... [--password P] [--include-key] --out FILE',
    'convert IN --to pfx [--key KEY [--key-password P]] [--chain FILE]... [--password P] [--pfx-password P]',
    '        [--pfx-profile modern|legacy] [--friendly-name NAME] --out FILE',
  ],
  description:
    'IN may be anything `certlab show` reads: certificates (PEM, DER, Base64), a .p7b (DER or PEM), a .pfx (give its password), a CRL, a request, a key, or a PEM bundle of several. --to pem writes every certificate, CRL, request and public key as PEM (LF line ends), and with --include-key every private key (a .pfx may hold several, e.g. a Java keystore). --to der writes the one object IN holds (several are an error: use pem or p7b). --to p7b and p7b-pem write a certs-only PKCS #7 with the certificates of IN and --chain, and the CRLs of IN. --to pfx writes a PKCS#12 with the private key (from IN, a .pfx or a PEM bundle, or --key), the certificate that matches it and the other certificates of IN and --chain as its chain; the other keys of IN stay in it, each with its certificate (with --key, only that key is written); files with a key get mode 0600. The new .pfx password is --pfx-password, else --password (so a .pfx re-encrypted with one password needs only --password), else asked at a terminal. --out - writes to stdout.',
  options: OPTIONS,
  positionals: { names: ['IN'], min: 1 },
  examples: [
    'convert certnew.p7b --to pem --out chain.pem',
    'convert chain.pem --to p7b --out chain.p7b',
    'convert localhost.cer --to der --out localhost.der',
    'convert localhost.cer --key localhost.key --chain root-ca.cer --to pfx --pfx-password-file pass.txt --out localhost.pfx',
    'convert old.pfx --password-file pass.txt --to pfx --pfx-profile legacy --out for-2012r2.pfx',
    'convert exch01.pfx --password-file pass.txt --to pem --include-key --out exch01.pem',
  ],
  async run(ctx, args) {
    if (stringOption(args, 'to') === undefined)
      throw usageError('--to is required: pem, der, p7b, p7b-pem or pfx.', NAME);
    const to = choiceOption(args, 'to', TARGETS, 'pem', NAME);
    for (const [option, targets] of Object.entries(ONLY_FOR)) {
      const v = args.values[option];
      const given = v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
      if (given && !targets.includes(to))
        throw usageError(`--${option} applies to --to ${targets.join(', ')}, not --to ${to}.`, NAME);
    }
    const inPath = args.positionals[0]!;
    const out = requireOption(args, 'out', NAME);
    const force = booleanOption(args, 'force');
    const profile = choiceOption(
      args,
      'pfx-profile',
      ['modern', 'legacy'] as Pkcs12Profile[],
      'modern',
      NAME,
    );
    const includeKey = booleanOption(args, 'include-key');
    const keyPath = stringOption(args, 'key');
    await ensureWritable(ctx.io, out, force);

    // The .pfx passwords may be empty when given explicitly (RFC 7292 B.1 allows it; Windows and
    // OpenSSL read and write such files); a --key file's password may not.
    const password = await passwordOption(ctx, args, NAME, 'password', { allowEmpty: true });
    const pfxPassword = await passwordOption(ctx, args, NAME, 'pfx-password', { allowEmpty: true });
    const keyPassword = await passwordOption(ctx, args, NAME, 'key-password');
    const input = await readPkiInput(ctx, inPath, {
      password: password ?? pfxPassword,
      passwordOptions: IN_PASSWORD_OPTIONS,
      importKeys: to === 'pfx' ? keyPath === undefined : includeKey,
    });
    const c = contentsOf(input);
    const chain: Certificate[] = [];
    for (const file of listOption(args, 'chain')) {
      const certs = certificatesOf(
        await readPkiInput(ctx, file, {
          only: ['certificate', 'pkcs7', 'pkcs12'],
          password,
          passwordOptions: IN_PASSWORD_OPTIONS,
        }),
      );
      if (certs.length === 0)
        throw new CliError(EXIT.usage, `--chain ${displayPath(file)} holds no certificate.`);
      chain.push(...certs);
    }
    const certificates = unique([...c.certificates, ...chain]);
    const name = displayPath(inPath);
    const summary = summaryStream(ctx, out);
    const notes: string[] = [];
    // Written nowhere, whatever --to: said, so that a re-encrypted keystore does not lose entries
    // without a word (a Java keystore's secret keys were dropped with exit 0 and no warning).
    if (c.unreadBags > 0)
      notes.push(
        `Warning: ${c.unreadBags === 1 ? 'a bag' : `${c.unreadBags} bags`} of ${name} (secret keys, as a Java keystore holds, or a bag type certlab does not read) ${c.unreadBags === 1 ? 'is' : 'are'} not written: keep the original file for ${c.unreadBags === 1 ? 'it' : 'them'}.`,
      );

    for (const why of c.unsupportedKeys)
      notes.push(`Warning: a private key of ${name} is not written: ${why}`);

    let data: string | Uint8Array;
    let secret = false;
    let what: string;
    switch (to) {
      case 'pem': {
        const parts = [
          ...certificates.map((x) => x.toPem()),
          ...c.crls.map((x) => x.toPem()),
          ...c.requests.map((x) => x.toPem()),
          ...c.publicKeys.map((x) => x.toPem()),
        ];
        const written = [
          certificates.length ? plural(certificates.length, 'certificate') : '',
          c.crls.length ? plural(c.crls.length, 'CRL') : '',
          c.requests.length ? plural(c.requests.length, 'request') : '',
          c.publicKeys.length ? plural(c.publicKeys.length, 'public key') : '',
        ].filter(Boolean);
        if (includeKey) {
          // Every key of IN: a .pfx or a PEM bundle may hold several.
          if (c.privateKeys.length === 0)
            throw new CliError(EXIT.usage, `${name} holds no private key for --include-key.`);
          for (const key of c.privateKeys) parts.push(await key.toPem());
          written.push(
            c.privateKeys.length === 1
              ? `the private key (${describeKey(c.privateKeys[0]!)}, unencrypted)`
              : `${c.privateKeys.length} private keys (${c.privateKeys.map((k) => describeKey(k)).join(', ')}; unencrypted)`,
          );
          secret = true;
        } else if (c.hasPrivateKey)
          notes.push(
            c.privateKeys.length > 1
              ? `The ${c.privateKeys.length} private keys are not written: add --include-key to write them.`
              : 'The private key is not written: add --include-key to write it.',
          );
        if (parts.length === 0)
          throw new CliError(
            EXIT.usage,
            // The hint only where there is a key to write (an empty .p7b has none).
            `${name} holds nothing --to pem writes: it is ${kindName(input.kind)}${c.hasPrivateKey ? '; add --include-key to write the key' : ' with no certificate, CRL, request or key in it'}.`,
          );
        data = parts.join('');
        what = `${listText(written)} as PEM`;
        break;
      }
      case 'der': {
        const objects: { der: Uint8Array; what: string }[] = [
          ...certificates.map((x) => ({ der: x.der, what: 'certificate' })),
          ...c.crls.map((x) => ({ der: x.der, what: 'CRL' })),
          ...c.requests.map((x) => ({ der: x.der, what: 'certificate request' })),
          ...c.publicKeys.map((x) => ({ der: x.spki, what: 'public key (SubjectPublicKeyInfo)' })),
        ];
        if (objects.length !== 1)
          throw new CliError(
            EXIT.usage,
            objects.length === 0
              ? `${name} holds nothing --to der writes (it holds ${inventory(c)}): DER is for one certificate, CRL, request or public key.`
              : `${name} holds ${inventory(c)}, and a DER file holds exactly one object: use --to pem, or --to p7b for a chain.`,
          );
        data = objects[0]!.der;
        what = `the ${objects[0]!.what} as DER`;
        if (c.hasPrivateKey)
          notes.push('The private key is not written: DER output holds one public object.');
        break;
      }
      case 'p7b':
      case 'p7b-pem': {
        if (certificates.length === 0 && c.crls.length === 0)
          throw new CliError(
            EXIT.usage,
            `${name} holds no certificate or CRL for a .p7b (it holds ${inventory(c)}).`,
          );
        const der = createCertsOnlyPkcs7(certificates, { crls: c.crls });
        data = to === 'p7b' ? der : encodePkcs7Pem(der);
        const counts = [plural(certificates.length, 'certificate')];
        if (c.crls.length) counts.push(plural(c.crls.length, 'CRL'));
        what = `a PKCS #7 with ${counts.join(' and ')} as ${to === 'p7b' ? 'DER' : 'PEM'}`;
        if (c.hasPrivateKey)
          notes.push('The private key is not written: a .p7b holds only certificates and CRLs.');
        break;
      }
      case 'pfx': {
        const matching = (k: PrivateKey) => certificates.find((x) => x.publicKey.equals(k.publicKey));
        // Without --key: the first key of IN that has a certificate (a .pfx's chosen key first).
        const key = keyPath
          ? await loadPrivateKey(ctx, keyPath, keyPassword, KEY_PASSWORD_OPTIONS)
          : (c.privateKeys.find((k) => matching(k) !== undefined) ?? c.privateKeys[0]);
        if (!key)
          throw new CliError(
            EXIT.usage,
            `${name} holds no private key (it holds ${inventory(c)}): give the key with --key FILE.`,
          );
        const leaf = matching(key);
        if (!leaf)
          throw new CliError(
            EXIT.usage,
            `no certificate of ${name}${chain.length ? ' or --chain' : ''} matches the private key (${describeKey(key)}).`,
          );
        // The other keys of a .pfx IN go along, each with its certificate (a Java keystore holds
        // several); a key without a certificate cannot be written (Windows keeps none either).
        const otherKeys = (keyPath ? [] : c.privateKeys.filter((k) => k !== key)).flatMap((k) => {
          const certificate = certificates.find((x) => x !== leaf && x.publicKey.equals(k.publicKey));
          const friendlyName = c.keyNames.get(k);
          return certificate
            ? [{ key: k, certificate, ...(friendlyName !== undefined ? { friendlyName } : {}) }]
            : [];
        });
        const pfxChain = orderChain(
          leaf,
          certificates.filter((x) => x !== leaf && !otherKeys.some((o) => o.certificate === x)),
        );
        const newPassword = pfxPassword ?? password ?? (await promptNewPassword(ctx, out));
        if (newPassword === undefined)
          throw new CliError(
            EXIT.usage,
            '--to pfx needs a password for the new file: give --pfx-password-file F or --pfx-password P (or --password).',
          );
        const orphans = keyPath ? 0 : c.privateKeys.length - 1 - otherKeys.length;
        if (orphans > 0)
          notes.push(
            `Warning: ${orphans === 1 ? 'a private key' : `${orphans} private keys`} of ${name} ${orphans === 1 ? 'has' : 'have'} no certificate and ${orphans === 1 ? 'is' : 'are'} not written (a .pfx keeps a key with its certificate). Write every key with --to pem --include-key.`,
          );
        // The name of the key written: its own from a .pfx IN (not another key's), else IN's.
        const friendlyName =
          stringOption(args, 'friendly-name') ??
          (!keyPath && c.keyNames.size > 0 ? c.keyNames.get(key) : c.friendlyName);
        // The chain certificates keep their friendly names from a .pfx IN (openssl -caname, Windows).
        const chainNamed = pfxChain.map((certificate) => {
          const named = c.certificateNames.find((n) => n.certificate.equals(certificate));
          return named ? { certificate, friendlyName: named.friendlyName } : certificate;
        });
        data = await createPkcs12({
          key,
          certificate: leaf,
          ...(otherKeys.length ? { otherKeys } : {}),
          chain: chainNamed,
          password: newPassword,
          profile,
          ...(friendlyName !== undefined && friendlyName !== '' ? { friendlyName } : {}),
        });
        secret = true;
        what = `a PKCS#12 (${profile} profile) with the private key (${describeKey(key)}), ${leaf.subject.toWindowsString() || 'the certificate'}${otherKeys.length ? `, ${plural(otherKeys.length, 'other key')} with ${otherKeys.length === 1 ? 'its certificate' : 'their certificates'} (${otherKeys.map((o) => o.certificate.subject.toWindowsString() || describeKey(o.key)).join('; ')})` : ''}${pfxChain.length ? ` and ${plural(pfxChain.length, 'chain certificate')}` : ''}`;
        if (c.crls.length || c.requests.length)
          notes.push('CRLs and requests are not written: a .pfx holds keys and certificates.');
        break;
      }
    }
    await writeOutput(ctx.io, out, data, { force, secret });
    writeLines(summary, [...notes, `Wrote ${what} to ${out === STDIO ? 'stdout' : out}`]);
    return EXIT.ok;
  },
};
