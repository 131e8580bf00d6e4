// `certlab crl show`: print a CRL the way `certutil -dump` does, or as JSON, or look up one
// serial number (exit 0 revoked, 1 not revoked).

import type { Crl, PublicKey } from '@certlab/pki';
import { choiceOption, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { crlEntryReport, crlReport } from '../format/crl-report.js';
import { isoSeconds } from '../format/dates.js';
import { crlReasonDisplayName } from '../format/display-names.js';
import type { Json } from '../format/json-value.js';
import { writeJson, writeLines } from '../output.js';
import { certificatesOf, crlsOf, displayPath, kindName, readPkiInput } from '../pki-input.js';

const NAME = 'crl show';

export const crlShow: Command = {
  name: NAME,
  summary: 'Show a CRL: issuer, updates, CRL number, revoked certificates; or look up a serial.',
  usage: ['crl show FILE [--format text|json] [--issuer FILE] [--serial HEX]'],
  description:
    'Reads a certificate revocation list as PEM ("X509 CRL"; every block is shown), DER, bare Base64, or the CRLs of a .p7b, and prints it like `certutil -dump`: version, signature algorithm, issuer in Windows order, this and next update in UTC, CRL number, whether it is a delta CRL, each revoked certificate (serial number, revocation date, reason, invalidity date), the CRL extensions decoded (authority key identifier, issuing distribution point, …), the signature check (with --issuer) and the SHA-1 and SHA-256 hashes. The JSON form is an array, one object per CRL. With --serial, prints only whether that serial number is revoked: exit 0 when it is, 1 when it is not in the CRL (or only as removeFromCRL). FILE may be - for stdin.',
  options: [
    FORMAT_OPTION,
    {
      name: 'issuer',
      type: 'string',
      value: 'FILE',
      help: 'CA certificate to check the CRL signature with.',
    },
    {
      name: 'serial',
      type: 'string',
      value: 'HEX',
      help: 'Look up this certificate serial number (hex; colons and spaces allowed): exit 0 revoked, 1 not.',
    },
  ],
  positionals: { names: ['FILE'], min: 1 },
  examples: [
    'crl show Contoso-Issuing-CA.crl',
    'crl show Contoso-Issuing-CA.crl --issuer issuing-ca.cer --format json',
    'crl show Contoso-Issuing-CA.crl --serial 1A00000005E2C3F4B1D0000000005',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const path = args.positionals[0]!;
    const crls = await readCrlFile(ctx, path);
    const issuerPath = stringOption(args, 'issuer');
    let issuerKey: PublicKey | undefined;
    if (issuerPath !== undefined) {
      const certs = certificatesOf(
        await readPkiInput(ctx, issuerPath, { only: ['certificate', 'pkcs7'], importKeys: false }),
      );
      if (certs.length === 0)
        throw new CliError(EXIT.usage, `--issuer ${displayPath(issuerPath)} holds no certificate.`);
      issuerKey = certs[0]!.publicKey;
    }
    const serial = stringOption(args, 'serial');
    if (serial !== undefined) return lookup(ctx, crls, serial, format);
    const reports = [];
    for (const crl of crls) reports.push(await crlReport(crl, issuerKey));
    if (format === 'json') writeJson(ctx.io.stdout, reports.map((r) => r.json) satisfies Json[]);
    else
      reports.forEach((r, i) => {
        if (reports.length > 1)
          writeLines(ctx.io.stdout, [`${i > 0 ? '\n' : ''}================ CRL ${i} ================`]);
        writeLines(ctx.io.stdout, r.text);
      });
    return EXIT.ok;
  },
};

/** The CRLs of a file; a file without any is exit 2, saying what it holds instead. */
async function readCrlFile(ctx: CommandContext, path: string): Promise<Crl[]> {
  const input = await readPkiInput(ctx, path, { only: ['crl', 'pkcs7'], importKeys: false });
  const crls = crlsOf(input);
  if (crls.length === 0)
    throw new CliError(
      EXIT.usage,
      input.kind === 'pkcs7'
        ? `${displayPath(path)} is a PKCS #7 (.p7b) without any CRL.`
        : `${displayPath(path)} holds no CRL: it is ${kindName(input.kind)}; use 'certlab show' for any file.`,
    );
  return crls;
}

function crlSummary(crl: Crl): Json {
  return {
    issuer: crl.issuer.toWindowsString(),
    crlNumber: crl.crlNumber?.toString() ?? null,
    isDelta: crl.isDelta,
    thisUpdate: isoSeconds(crl.thisUpdate),
    nextUpdate: crl.nextUpdate ? isoSeconds(crl.nextUpdate) : null,
  };
}

async function lookup(
  ctx: CommandContext,
  crls: Crl[],
  serial: string,
  format: 'text' | 'json',
): Promise<number> {
  const normal = serial.replace(/[\s:]/g, '').toUpperCase();
  for (const crl of crls) {
    const entry = crl.lookup(serial);
    if (!entry) continue;
    const report = crlEntryReport(entry);
    const reason = entry.reason;
    const revoked = reason !== 'removeFromCRL';
    if (format === 'json')
      writeJson(ctx.io.stdout, { serialNumber: normal, revoked, entry: report.json, crl: crlSummary(crl) });
    else
      writeLines(ctx.io.stdout, [
        revoked
          ? `Serial Number ${normal}: REVOKED on ${isoSeconds(entry.revocationDate)} (${crlReasonDisplayName(reason ?? 'unspecified')})`
          : `Serial Number ${normal}: listed as Remove From CRL: no longer revoked`,
        `CRL: ${crl.issuer.toWindowsString()}, CRL Number ${crl.crlNumber ?? '(none)'}, ThisUpdate ${isoSeconds(crl.thisUpdate)}`,
        ...report.text,
      ]);
    return revoked ? EXIT.ok : EXIT.failed;
  }
  const last = crls[crls.length - 1]!;
  if (format === 'json')
    writeJson(ctx.io.stdout, { serialNumber: normal, revoked: false, entry: null, crl: crlSummary(last) });
  else
    writeLines(ctx.io.stdout, [
      `Serial Number ${normal}: not in the CRL`,
      `CRL: ${last.issuer.toWindowsString()}, CRL Number ${last.crlNumber ?? '(none)'}, ThisUpdate ${isoSeconds(last.thisUpdate)}`,
    ]);
  return EXIT.failed;
}
