// `certlab csr new`: build and sign a PKCS #10 request, from an existing key or a new one.

import { rm } from 'node:fs/promises';
import {
  createCsr,
  type Extension,
  extKeyUsage,
  generateKeyPair,
  keyUsage,
  Name,
  type PrivateKey,
  subjectAltName,
} from '@certlab/pki';
import { booleanOption, requireOption, stringOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import {
  DER_OPTION,
  FORCE_OPTION,
  ITERATIONS_OPTION,
  OUT_OPTION,
  SUBJECT_OPTION,
} from '../common-options.js';
import { ensureWritable, resolvePath, STDIO, writeOutput } from '../files.js';
import { signatureAlgorithmDisplayName } from '../format/display-names.js';
import { generalNameText } from '../format/general-name-text.js';
import { HASH_OPTION, hashFrom } from '../hash-option.js';
import { describeKey, KEY_SIZE_OPTIONS, keySpecFrom } from '../key-spec.js';
import { loadPrivateKey } from '../load-key.js';
import { summaryStream, writeLines } from '../output.js';
import { iterationsOption, PASSWORD_OPTIONS, passwordOption } from '../password.js';
import { protectionText, savePrivateKey } from '../save-key.js';
import { SAN_OPTIONS, subjectAltNamesFrom } from '../subject-alt-names.js';
import { EKU_OPTION, ekusFrom, KEY_USAGE_OPTION, keyUsagesFrom } from '../usages.js';

const NAME = 'csr new';

export const csrNew: Command = {
  name: NAME,
  summary: 'Create a PKCS #10 certificate request (CSR).',
  usage: [
    'csr new --key FILE [--password P] --subject DN [options] --out FILE',
    'csr new --new-key ec|rsa|ed25519 [--curve C] [--bits N] --key-out FILE --subject DN [options] --out FILE',
  ],
  description:
    'Signs a request for the subject with an existing key (--key) or a new one (--new-key, saved to --key-out with mode 0600, encrypted when a password is given). SANs go in a subjectAltName extension request, --eku in extKeyUsage, --key-usage in keyUsage; --template adds the AD CS certificate template as certreq does (the CertificateTemplate name-value pair and the template name extension). The request is PEM "CERTIFICATE REQUEST" unless --der.',
  options: [
    { name: 'key', type: 'string', short: 'k', value: 'FILE', help: 'Existing private key to sign with.' },
    {
      name: 'new-key',
      type: 'string',
      value: 'T',
      help: 'Generate a new key of type ec, rsa or ed25519 instead.',
    },
    ...KEY_SIZE_OPTIONS,
    {
      name: 'key-out',
      type: 'string',
      value: 'FILE',
      help: 'Where to write the new key (required with --new-key).',
    },
    ...PASSWORD_OPTIONS,
    ITERATIONS_OPTION,
    SUBJECT_OPTION,
    ...SAN_OPTIONS,
    EKU_OPTION,
    KEY_USAGE_OPTION,
    {
      name: 'template',
      type: 'string',
      value: 'NAME',
      help: 'AD CS certificate template name, e.g. WebServer.',
    },
    {
      name: 'challenge-password',
      type: 'string',
      value: 'P',
      help: 'PKCS #9 challengePassword attribute (visible to other local users: prefer --challenge-password-file).',
    },
    {
      name: 'challenge-password-file',
      type: 'string',
      value: 'F',
      help: 'Read the challengePassword from the first line of file F.',
    },
    HASH_OPTION,
    DER_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
  ],
  examples: [
    'csr new --new-key ec --key-out web01.key --subject "CN=web01.contoso.com, O=Contoso, C=FR" --dns web01.contoso.com --eku serverAuth --out web01.csr',
    'csr new --key web01.key --subject "CN=web01.contoso.com" --dns web01.contoso.com --ip 10.0.0.5 --template WebServer --out web01.req',
    'csr new --new-key rsa --bits 3072 --key-out alice.key --password-file pass.txt --subject "CN=Alice" --upn alice@contoso.com --eku clientAuth --out alice.csr',
  ],
  async run(ctx, args) {
    const out = requireOption(args, 'out', NAME);
    // --subject "" asks for an empty subject: allowed with SANs, which are then critical (RFC 5280
    // §4.2.1.6), as for a request whose names are all in the SAN.
    const subjectText = stringOption(args, 'subject');
    if (subjectText === undefined)
      throw usageError('--subject is required (--subject "" for an empty subject with SANs).', NAME);
    const keyPath = stringOption(args, 'key');
    const newKeyType = stringOption(args, 'new-key');
    const keyOut = stringOption(args, 'key-out');
    if (keyPath !== undefined && newKeyType !== undefined)
      throw usageError('give --key or --new-key, not both.', NAME);
    if (keyPath === undefined && newKeyType === undefined)
      throw usageError('--key FILE or --new-key TYPE is required.', NAME);
    if (newKeyType !== undefined && keyOut === undefined)
      throw usageError('--new-key needs --key-out FILE to save the new key.', NAME);
    if (keyPath !== undefined && keyOut !== undefined)
      throw usageError('--key-out only applies with --new-key.', NAME);
    if (keyOut !== undefined && keyOut === STDIO && out === STDIO)
      throw usageError('--key-out and --out cannot both be stdout.', NAME);
    // With --force the request would replace the key just written: the new key would be lost.
    if (keyOut !== undefined && keyOut !== STDIO && resolvePath(ctx.io, keyOut) === resolvePath(ctx.io, out))
      throw usageError(
        '--key-out and --out name the same file: give the key and the request files of their own.',
        NAME,
      );
    const spec = newKeyType === undefined ? undefined : keySpecFrom(newKeyType, args, NAME);
    if (
      spec === undefined &&
      (stringOption(args, 'curve') !== undefined || stringOption(args, 'bits') !== undefined)
    ) {
      throw usageError('--curve and --bits only apply with --new-key.', NAME);
    }
    // Validate everything that can be validated before any key is generated or file written.
    const subject = Name.parse(subjectText);
    const sans = subjectAltNamesFrom(args, NAME);
    if (subject.isEmpty && sans.length === 0)
      throw usageError(
        'an empty --subject needs at least one SAN (--dns, --ip, --email, --upn, --uri).',
        NAME,
      );
    const ekus = ekusFrom(args, NAME);
    const usages = keyUsagesFrom(args, NAME);
    const template = stringOption(args, 'template');
    if (template !== undefined && template.trim() === '')
      throw usageError('--template needs a template name.', NAME);
    // Read as a password (first line of the file, masked in error output); empty is let through
    // here only to be refused with its own sentence: challengePassword is a DirectoryString of at
    // least one character (RFC 2985 §5.4.1).
    const challenge = await passwordOption(ctx, args, NAME, 'challenge-password', { allowEmpty: true });
    if (challenge === '')
      throw usageError(
        'the challenge password is empty: give a non-empty --challenge-password or --challenge-password-file.',
        NAME,
      );
    const password = await passwordOption(ctx, args, NAME);
    if (spec === undefined && stringOption(args, 'iterations') !== undefined)
      throw usageError('--iterations only applies with --new-key.', NAME);
    const iterations = iterationsOption(args, password, NAME);
    const force = booleanOption(args, 'force');
    const der = booleanOption(args, 'der');
    const hash = hashFrom(args, spec?.type ?? 'unknown', NAME);
    await ensureWritable(ctx.io, out, force);
    if (keyOut !== undefined) await ensureWritable(ctx.io, keyOut, force);

    let privateKey: PrivateKey;
    if (spec) privateKey = (await generateKeyPair(spec)).privateKey;
    else privateKey = await loadPrivateKey(ctx, keyPath!, password);
    // The key type of a loaded key is known only now.
    if (hash !== undefined && privateKey.type === 'ed25519') hashFrom(args, 'ed25519', NAME);

    const extensions: Extension[] = [];
    if (sans.length > 0) extensions.push(subjectAltName(sans, subject.isEmpty));
    if (usages.length > 0) extensions.push(keyUsage(usages));
    if (ekus.length > 0) extensions.push(extKeyUsage(ekus));
    const csr = await createCsr({
      subject,
      privateKey,
      extensions,
      ...(template !== undefined ? { template: template.trim() } : {}),
      ...(challenge !== undefined ? { challengePassword: challenge } : {}),
      ...(hash !== undefined ? { signature: { hash } } : {}),
    });
    // The request first: when the key cannot be written after all, the request (nothing secret,
    // and useless without its key) is removed again, so that no half result is left behind.
    await writeOutput(ctx.io, out, der ? csr.der : csr.toPem(), { force });
    if (keyOut !== undefined) {
      try {
        await savePrivateKey(ctx, keyOut, privateKey, { password, iterations, force });
      } catch (e) {
        if (out !== STDIO) await rm(resolvePath(ctx.io, out), { force: true });
        throw e;
      }
    }

    const lines = [
      `Wrote certificate request ${out === STDIO ? 'to stdout' : resolvePath(ctx.io, out)} (${der ? 'DER' : 'PEM'})`,
      `  Subject:   ${subject.isEmpty ? '(empty)' : subject.toWindowsString()}`,
      `  Key:       ${describeKey(privateKey)}${keyOut !== undefined ? `, new, ${protectionText(password)}, written to ${keyOut === STDIO ? 'stdout' : resolvePath(ctx.io, keyOut)}` : ` from ${keyPath}`}`,
      `  Signature: ${signatureAlgorithmDisplayName(csr.signatureAlgorithmOid)}`,
    ];
    if (sans.length > 0) lines.push(`  SANs:      ${sans.map(generalNameText).join(', ')}`);
    if (template !== undefined) lines.push(`  Template:  ${template.trim()}`);
    writeLines(summaryStream(ctx, out, keyOut), lines);
    return EXIT.ok;
  },
};
