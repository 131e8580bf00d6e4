// `certlab cert show`: print every certificate of a file the way `certutil -dump` does, or as
// JSON.

import { type Certificate, PkiError } from '@certlab/pki';
import { booleanOption, choiceOption, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readInput } from '../files.js';
import { certificateReport } from '../format/certificate-report.js';
import type { Json } from '../format/json-value.js';
import { writeJson, writeLines } from '../output.js';
import { explainInput, readCertificateList } from '../pki-input.js';

const NAME = 'cert show';

export const certShow: Command = {
  name: NAME,
  summary: 'Show certificates: names, validity, key, extensions, thumbprints.',
  usage: ['cert show FILE [--format text|json] [--issuer FILE] [--verify]'],
  description:
    'Reads a PEM file with one or more CERTIFICATE blocks (each is shown), a DER certificate, bare Base64, or the certificates of a .p7b (DER or PEM), and prints each certificate like `certutil -dump`: version, serial number, signature algorithm, issuer and subject in Windows order, validity in UTC, public key, every extension decoded, signature check, and the SHA-1 and SHA-256 thumbprints. The signature of a self-issued certificate is checked with its own key; give --issuer to check others. The JSON form is always an array, one object per certificate. FILE may be - for stdin.',
  options: [
    FORMAT_OPTION,
    {
      name: 'issuer',
      type: 'string',
      value: 'FILE',
      help: 'Issuer certificate to check the signatures with.',
    },
    { name: 'verify', type: 'boolean', help: 'Exit with status 1 unless every signature verifies.' },
  ],
  positionals: { names: ['FILE'], min: 1 },
  examples: [
    'cert show localhost.cer',
    'cert show chain.pem --format json',
    'cert show localhost.cer --issuer root-ca.cer --verify',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const path = args.positionals[0]!;
    const certs = await readCertificateFile(ctx, path);
    const issuerPath = stringOption(args, 'issuer');
    const issuer: Certificate | undefined =
      issuerPath === undefined ? undefined : (await readCertificateFile(ctx, issuerPath))[0]!;
    const reports = [];
    for (const [i, cert] of certs.entries()) {
      try {
        // A self-issued certificate the --issuer certificate did not issue (the root at the end
        // of a chain file) is checked with its own key, as without --issuer.
        const byIssuer = issuer && !(cert.isSelfIssued && !cert.issuer.equals(issuer.subject));
        reports.push(
          await certificateReport(
            cert,
            byIssuer ? issuer.publicKey : undefined,
            byIssuer ? { issuerSubject: issuer.subject } : {},
          ),
        );
      } catch (e) {
        // Fields are decoded when first read, so a damaged one fails here: say which file and
        // which certificate of it.
        if (e instanceof PkiError)
          throw new PkiError(e.code, `${where(path, i, certs.length)}: ${e.message}`, { cause: e });
        throw e;
      }
    }
    if (format === 'json') {
      writeJson(ctx.io.stdout, reports.map((r) => r.json) satisfies Json[]);
    } else {
      reports.forEach((r, i) => {
        if (reports.length > 1)
          writeLines(ctx.io.stdout, [
            `${i > 0 ? '\n' : ''}================ Certificate ${i} ================`,
          ]);
        writeLines(ctx.io.stdout, r.text);
      });
    }
    if (booleanOption(args, 'verify')) {
      const bad = reports.findIndex((r) => r.signature.valid !== true);
      if (bad >= 0) {
        ctx.io.stderr.write(`certlab: certificate ${bad}: signature ${reports[bad]!.signature.detail}.\n`);
        return EXIT.failed;
      }
    }
    return EXIT.ok;
  },
};

/** `FILE` or `FILE, certificate N` when the file holds several. */
function where(path: string, index: number, count: number): string {
  return count > 1 ? `${path}, certificate ${index}` : path;
}

/**
 * Reads the certificates of a user file (a .p7b's list too); a PEM error names the file (e.g. a
 * CSR given by mistake).
 */
async function readCertificateFile(ctx: CommandContext, path: string): Promise<Certificate[]> {
  const bytes = await readInput(ctx.io, path);
  let certs: Certificate[];
  try {
    certs = readCertificateList(bytes);
  } catch (e) {
    if (e instanceof PkiError && e.code === 'ERR_PKI_PEM_INVALID' && e.message.startsWith('The PEM text ')) {
      throw new PkiError(e.code, `${path} ${e.message.slice('The PEM text '.length)}`, { cause: e });
    }
    throw explainInput(e, bytes, path, ['certificate', 'pkcs7']);
  }
  if (certs.length === 0) throw new CliError(EXIT.usage, `${path} holds no certificate.`);
  return certs;
}
