// `certlab verify`: build a path from a certificate to trusted roots and validate it (RFC 5280
// §6), saying why when the answer is no. Exit 0 valid, 1 not valid, 2 bad usage or input.

import type { Certificate, PathPurpose, PathValidationResult } from '@certlab/pki';
// Values are read from the namespace at run time (not as named imports) so that the CLI still
// loads while the library's index lacks an export; the types are checked at build time.
import * as pki from '@certlab/pki';
import { booleanOption, choiceOption, listOption, stringOption } from '../args.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readCrlFile } from '../crl-files.js';
import { readInput } from '../files.js';
import { isoSeconds } from '../format/dates.js';
import { writeJson, writeLines } from '../output.js';
import { explainInput, readCertificateList } from '../pki-input.js';

const NAME = 'verify';

export const verify: Command = {
  name: NAME,
  summary: 'Verify a certificate: build a path to a trusted root and validate it (RFC 5280).',
  usage: [
    'verify LEAF --trust FILE... [--untrusted FILE...] [--crl FILE...] [--at ISO-TIME]',
    '       [--purpose serverAuth|clientAuth|any] [--host NAME] [--policy OID...] [--explicit-policy]',
    '       [--inhibit-policy-mapping] [--inhibit-any-policy] [--require-revocation] [--format text|json]',
  ],
  description:
    'Builds every candidate path from LEAF (the first certificate of the file) through the --untrusted certificates to a --trust certificate, and validates it as RFC 5280 §6.1 describes: signatures, validity at --at (default now), basicConstraints and path length, keyUsage, name constraints (those of the trusted root too), certificate policies, unknown critical extensions, the extended key usage for --purpose, the host name (--host: a DNS name or an IP address, matched against the subject alternative names only, never the CN) and, with --crl, revocation. Files may be PEM (several certificates), DER or .p7b. When no path is valid, each reason is printed with its code and the certificate it applies to (0 = LEAF). Exit status: 0 valid, 1 not valid, 2 bad usage or unreadable input.',
  options: [
    {
      name: 'trust',
      type: 'string',
      multiple: true,
      value: 'FILE',
      help: 'Trusted root (trust anchor) certificates. Required.',
    },
    {
      name: 'untrusted',
      type: 'string',
      multiple: true,
      value: 'FILE',
      help: 'Intermediate certificates that may be used.',
    },
    {
      name: 'crl',
      type: 'string',
      multiple: true,
      value: 'FILE',
      help: 'CRLs to check revocation against (PEM or DER).',
    },
    {
      name: 'at',
      type: 'string',
      value: 'ISO-TIME',
      help: 'Validation time, e.g. 2026-06-01T00:00:00Z (default now).',
    },
    {
      name: 'purpose',
      type: 'string',
      value: 'serverAuth|clientAuth|any',
      help: 'Required extended key usage (default any).',
    },
    {
      name: 'host',
      type: 'string',
      value: 'NAME',
      help: 'DNS name or IP address the certificate must be valid for.',
    },
    {
      name: 'policy',
      type: 'string',
      multiple: true,
      value: 'OID',
      help: 'Acceptable certificate policies (user-initial-policy-set).',
    },
    { name: 'explicit-policy', type: 'boolean', help: 'Require a valid policy (initial-explicit-policy).' },
    {
      name: 'inhibit-policy-mapping',
      type: 'boolean',
      help: 'Forbid policy mapping (initial-policy-mapping-inhibit).',
    },
    {
      name: 'inhibit-any-policy',
      type: 'boolean',
      help: 'Do not accept anyPolicy (initial-any-policy-inhibit).',
    },
    {
      name: 'require-revocation',
      type: 'boolean',
      help: 'Fail unless the CRLs decide the status of every certificate below the root.',
    },
    FORMAT_OPTION,
  ],
  positionals: { names: ['LEAF'], min: 1 },
  examples: [
    'verify exch01.cer --trust root-ca.cer --untrusted issuing-ca.cer --purpose serverAuth --host exch01.contoso.com',
    'verify client.pem --trust root.pem --untrusted chain.p7b --crl issuing.crl --require-revocation',
    'verify leaf.cer --trust root.cer --at 2026-06-01T00:00:00Z --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const purpose = choiceOption(
      args,
      'purpose',
      ['serverAuth', 'clientAuth', 'any'] as PathPurpose[],
      'any',
      NAME,
    );
    const trustFiles = listOption(args, 'trust');
    if (trustFiles.length === 0)
      throw usageError('--trust is required: give the trusted root certificate(s).', NAME);
    const atText = stringOption(args, 'at');
    let time = new Date();
    if (atText !== undefined) {
      time = new Date(atText);
      if (Number.isNaN(time.getTime()))
        throw usageError(
          `--at must be an ISO 8601 time such as 2026-06-01T00:00:00Z, not '${atText}'.`,
          NAME,
        );
    }
    const policies = listOption(args, 'policy', true);
    for (const p of policies)
      if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(p))
        throw usageError(`--policy must be a dotted OID, not '${p}'.`, NAME);
    const host = stringOption(args, 'host');
    // A typo in --host is the caller's mistake (exit 2), not a certificate that fails to match it.
    if (host !== undefined && !isIpLiteral(host) && !pki.isValidHostname(host))
      throw usageError(`--host must be a DNS name or an IP address, not '${host}'.`, NAME);
    const leafPath = args.positionals[0]!;
    const leafCerts = await readCerts(ctx, leafPath);
    const trust = (await Promise.all(trustFiles.map((f) => readCerts(ctx, f)))).flat();
    const untrusted = (await Promise.all(listOption(args, 'untrusted').map((f) => readCerts(ctx, f)))).flat();
    // Extra certificates in the leaf's file are candidate intermediates, as in a server's chain file.
    untrusted.push(...leafCerts.slice(1));
    const crls = (await Promise.all(listOption(args, 'crl').map((f) => readCrlFile(ctx, f)))).flat();
    const result = await pki.verifyCertificate(leafCerts[0]!, {
      trustAnchors: trust,
      intermediates: untrusted,
      crls,
      requireRevocation: booleanOption(args, 'require-revocation'),
      time,
      purpose,
      ...(host !== undefined ? { host } : {}),
      ...(policies.length ? { policies } : {}),
      explicitPolicy: booleanOption(args, 'explicit-policy'),
      inhibitPolicyMapping: booleanOption(args, 'inhibit-policy-mapping'),
      inhibitAnyPolicy: booleanOption(args, 'inhibit-any-policy'),
    });
    if (format === 'json') writeJson(ctx.io.stdout, toJson(result, time));
    else writeLines(ctx.io.stdout, toText(result, leafPath));
    return result.valid ? EXIT.ok : EXIT.failed;
  },
};

function toText(r: PathValidationResult, leafPath: string): string[] {
  const lines = [`${leafPath}: ${r.valid ? 'OK' : 'NOT VALID'}`];
  lines.push(r.valid ? 'Path:' : 'Best path tried:');
  r.path.forEach((c, i) => {
    lines.push(
      `  ${i}: ${c.subject.toWindowsString() || '(empty subject)'}${i === r.path.length - 1 && r.valid ? '  [trust anchor]' : ''}`,
    );
  });
  for (const x of r.reasons)
    lines.push(`${x.code}${x.index >= 0 ? ` (certificate ${x.index})` : ''}: ${x.message}`);
  return lines;
}

function toJson(r: PathValidationResult, time: Date) {
  return {
    valid: r.valid,
    time: isoSeconds(time),
    path: r.path.map((c: Certificate) => ({
      subject: c.subject.toWindowsString(),
      issuer: c.issuer.toWindowsString(),
      serialNumber: c.serialNumber,
      notBefore: isoSeconds(c.notBefore),
      notAfter: isoSeconds(c.notAfter),
    })),
    reasons: r.reasons.map((x) => ({ code: x.code, index: x.index, message: x.message })),
  };
}

/** An IPv4 or IPv6 address, possibly in brackets as in a URL (`[2001:db8::1]`). */
function isIpLiteral(text: string): boolean {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  try {
    pki.parseGeneralName(`ip:${bare}`);
    return !bare.includes('/');
  } catch {
    return false;
  }
}

async function readCerts(ctx: CommandContext, path: string): Promise<Certificate[]> {
  const bytes = await readInput(ctx.io, path);
  try {
    const certs = readCertificateList(bytes);
    if (certs.length === 0) throw new Error('it holds no certificate');
    return certs;
  } catch (e) {
    // A library error goes to report-error as it is: its message names the file, and its code
    // is printed in brackets as every other command prints it (docs/cli.md).
    const why = explainInput(e, bytes, path, ['certificate', 'pkcs7']);
    if (pki.isPkiError(why)) throw why;
    throw new CliError(
      EXIT.usage,
      `cannot read certificates from ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
