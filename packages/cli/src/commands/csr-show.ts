// `certlab csr show`: print a PKCS #10 request the way `certutil -dump` does, or as JSON.

import { type CertificationRequest, decodePem, isPem, PkiError, parseCsr, readDerOrPem } from '@certlab/pki';
import { booleanOption, choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readInput } from '../files.js';
import { csrReport } from '../format/csr-report.js';
import { writeJson, writeLines } from '../output.js';
import { explainInput } from '../pki-input.js';

const NAME = 'csr show';

/** The labels requests are found under: RFC 7468's, and the one Windows certreq writes. */
const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

/**
 * The DER of the request in a file: the first request block of a PEM text, else DER or bare
 * Base64.
 *
 * @example
 * ```ts
 * const der = requestDer(await readInput(io, 'web01.req'));
 * ```
 */
export function requestDer(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x30) {
    const text = new TextDecoder('latin1').decode(bytes);
    if (isPem(text)) {
      const blocks = decodePem(text);
      const block = blocks.find((b) => CSR_LABELS.includes(b.label));
      if (!block) {
        throw new PkiError(
          'ERR_PKI_PEM_INVALID',
          `The PEM text has no "CERTIFICATE REQUEST" block (found: ${blocks.map((b) => b.label).join(', ')}).`,
        );
      }
      return block.bytes;
    }
  }
  return readDerOrPem(bytes);
}

export const csrShow: Command = {
  name: NAME,
  summary: 'Show a certificate request: subject, key, extensions, attributes, signature.',
  usage: ['csr show FILE [--format text|json] [--verify]'],
  description:
    'Reads a request as PEM ("CERTIFICATE REQUEST", or "NEW CERTIFICATE REQUEST" as Windows certreq writes), DER, or bare Base64, and shows its subject, public key, requested extensions decoded, attributes (the challenge password only as present), certificate template, signature algorithm and whether the signature verifies. FILE may be - for stdin.',
  options: [
    FORMAT_OPTION,
    { name: 'verify', type: 'boolean', help: 'Exit with status 1 unless the signature verifies.' },
  ],
  positionals: { names: ['FILE'], min: 1 },
  examples: ['csr show web01.csr', 'csr show web01.req --format json', 'csr show web01.csr --verify'],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const path = args.positionals[0]!;
    const bytes = await readInput(ctx.io, path);
    let csr: CertificationRequest;
    try {
      csr = parseCsr(requestDer(bytes));
    } catch (e) {
      throw explainInput(e, bytes, path, ['csr']);
    }
    const report = await csrReport(csr);
    if (format === 'json') writeJson(ctx.io.stdout, report.json);
    else writeLines(ctx.io.stdout, report.text);
    if (booleanOption(args, 'verify') && report.signature.valid !== true) {
      ctx.io.stderr.write(`certlab: the request signature ${report.signature.detail}.\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
