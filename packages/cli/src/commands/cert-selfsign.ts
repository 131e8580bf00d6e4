// `certlab cert selfsign`: a self-signed certificate, either a root CA or an end-entity
// certificate for testing.

import {
  basicConstraints,
  createCertificate,
  type Extension,
  extKeyUsage,
  type KeyUsageFlag,
  keyUsage,
  Name,
  serialToBytes,
  subjectAltName,
} from '@certlab/pki';
import { booleanOption, requireOption, stringOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { DER_OPTION, FORCE_OPTION, OUT_OPTION, SUBJECT_OPTION } from '../common-options.js';
import { ensureWritable, resolvePath, STDIO, writeOutput } from '../files.js';
import { isoSeconds } from '../format/dates.js';
import { HASH_OPTION, hashFrom } from '../hash-option.js';
import { describeKey } from '../key-spec.js';
import { loadPrivateKey } from '../load-key.js';
import { summaryStream, writeLines } from '../output.js';
import { PASSWORD_OPTIONS, passwordOption } from '../password.js';
import { SAN_OPTIONS, subjectAltNamesFrom } from '../subject-alt-names.js';
import { EKU_OPTION, ekusFrom, KEY_USAGE_OPTION, keyUsagesFrom } from '../usages.js';

const NAME = 'cert selfsign';

/** Longest validity accepted: 100 years is beyond any sensible root and keeps dates in range. */
const MAX_DAYS = 36_525;

export const certSelfsign: Command = {
  name: NAME,
  summary: 'Create a self-signed certificate (a root CA with --ca).',
  usage: [
    'cert selfsign --key FILE [--password P] --subject DN [--ca] [--days N] [--dns N]… [--ip A]… [--eku …] [--serial HEX] [--hash H] [--der] --out FILE',
  ],
  description:
    "Signs a certificate for the key's own public key. With --ca: basicConstraints CA (critical) and keyUsage keyCertSign, cRLSign, digitalSignature (critical), valid 10 years by default. Without: basicConstraints CA:false, keyUsage digitalSignature (plus keyEncipherment for RSA keys), the SANs and EKUs given, valid 365 days by default. A Subject Key Identifier is always added. --key-usage replaces the default key usages.",
  options: [
    {
      name: 'key',
      type: 'string',
      short: 'k',
      value: 'FILE',
      help: 'Private key of the certificate (required).',
    },
    ...PASSWORD_OPTIONS,
    SUBJECT_OPTION,
    { name: 'ca', type: 'boolean', help: 'Make a CA certificate (a root).' },
    {
      name: 'path-length',
      type: 'string',
      value: 'N',
      help: 'With --ca: maximum number of CAs below this one.',
    },
    {
      name: 'days',
      type: 'string',
      value: 'N',
      help: 'Validity in days (default 3650 with --ca, else 365).',
    },
    ...SAN_OPTIONS,
    EKU_OPTION,
    KEY_USAGE_OPTION,
    {
      name: 'serial',
      type: 'string',
      value: 'HEX',
      help: 'Serial number in hex (default: 16 random bytes).',
    },
    HASH_OPTION,
    DER_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
  ],
  examples: [
    'cert selfsign --key ca.key --subject "CN=Contoso Root CA, O=Contoso, C=FR" --ca --days 3650 --out ca.cer',
    'cert selfsign --key web.key --subject "CN=localhost" --dns localhost --ip 127.0.0.1 --eku serverAuth --out web.cer',
  ],
  async run(ctx, args) {
    const out = requireOption(args, 'out', NAME);
    const keyPath = requireOption(args, 'key', NAME);
    const subject = Name.parse(requireOption(args, 'subject', NAME));
    const ca = booleanOption(args, 'ca');
    const days = positiveInteger(args, 'days', ca ? 3650 : 365, MAX_DAYS);
    const pathLengthText = stringOption(args, 'path-length');
    if (pathLengthText !== undefined && !ca) throw usageError('--path-length needs --ca.', NAME);
    const pathLength =
      pathLengthText === undefined ? undefined : positiveInteger(args, 'path-length', 0, 100, true);
    const sans = subjectAltNamesFrom(args, NAME);
    const ekus = ekusFrom(args, NAME);
    const usages = keyUsagesFrom(args, NAME);
    const serialText = stringOption(args, 'serial');
    if (serialText !== undefined) serialToBytes(serialText);
    if (subject.isEmpty && sans.length === 0)
      throw usageError('an empty --subject needs at least one SAN (RFC 5280 §4.1.2.6).', NAME);
    const password = await passwordOption(ctx, args, NAME);
    const force = booleanOption(args, 'force');
    const der = booleanOption(args, 'der');
    await ensureWritable(ctx.io, out, force);
    const key = await loadPrivateKey(ctx, keyPath, password);
    const hash = hashFrom(args, key.type, NAME);

    const defaultUsages: KeyUsageFlag[] = ca
      ? ['digitalSignature', 'keyCertSign', 'cRLSign']
      : key.type === 'rsa'
        ? ['digitalSignature', 'keyEncipherment']
        : ['digitalSignature'];
    const extensions: Extension[] = [
      basicConstraints(pathLength === undefined ? { ca } : { ca, pathLength }, ca),
      keyUsage(usages.length > 0 ? usages : defaultUsages),
    ];
    if (sans.length > 0) extensions.push(subjectAltName(sans, subject.isEmpty));
    if (ekus.length > 0) extensions.push(extKeyUsage(ekus));
    const cert = await createCertificate({
      subject,
      publicKey: key.publicKey,
      signingKey: key,
      days,
      extensions,
      ...(serialText !== undefined ? { serialNumber: serialText } : {}),
      ...(hash !== undefined ? { signature: { hash } } : {}),
    });
    await writeOutput(ctx.io, out, der ? cert.der : cert.toPem(), { force });
    writeLines(summaryStream(ctx, out), [
      `Wrote self-signed ${ca ? 'CA ' : ''}certificate ${out === STDIO ? 'to stdout' : resolvePath(ctx.io, out)} (${der ? 'DER' : 'PEM'})`,
      `  Subject:    ${subject.isEmpty ? '(empty)' : subject.toWindowsString()}`,
      `  Key:        ${describeKey(key)}`,
      `  Serial:     ${cert.serialNumber}`,
      `  Valid:      ${isoSeconds(cert.notBefore)} to ${isoSeconds(cert.notAfter)}`,
      `  Cert Hash(sha1):   ${await cert.thumbprint('SHA-1')}`,
      `  Cert Hash(sha256): ${await cert.thumbprint('SHA-256')}`,
    ]);
    return EXIT.ok;
  },
};

function positiveInteger(
  args: Parameters<Command['run']>[1],
  name: string,
  fallback: number,
  max: number,
  allowZero = false,
): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max || (n === 0 && !allowZero)) {
    throw usageError(
      `--${name} must be an integer from ${allowZero ? 0 : 1} to ${max}, not '${text}'.`,
      NAME,
    );
  }
  return n;
}
