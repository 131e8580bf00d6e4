// `certlab ca cert`: the CA certificate (certcarc.asp's "Download CA certificate"), the root's,
// or the chain as a .p7b ("Download CA certificate chain").

import { encodeCertsrvCertificates } from '@certlab/ca-sim';
import { booleanOption, choiceOption, requireOption } from '../args.js';
import {
  DB_OPTION,
  DIR_OPTION,
  ENC_OPTION,
  encOption,
  encodingText,
  KEY_PASSPHRASE_OPTION,
  withCa,
} from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, FORMAT_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, resolvePath, STDIO, writeOutput } from '../files.js';
import { isoSeconds } from '../format/dates.js';
import { summaryStream, writeJson, writeLines } from '../output.js';

const NAME = 'ca cert';

export const caCert: Command = {
  name: NAME,
  summary: 'Write the issuing CA certificate, the root certificate, or the chain (.p7b).',
  usage: ['ca cert [--dir DIR] [--root | --chain] [--enc b64|bin] --out FILE [--format text|json]'],
  description:
    "Writes the current issuing CA certificate (or the standalone CA's), or with --root the root CA certificate (the trust anchor to give to clients), as certsrv's certcarc.asp offers them: b64 is PEM with CRLF line ends, bin is DER. --chain writes a certs-only PKCS #7 (.p7b) with the issuing CA then the root (Base64 under the CERTIFICATE label with CRLF, or DER).",
  options: [
    DIR_OPTION,
    { name: 'root', type: 'boolean', help: 'The root CA certificate instead of the issuing CA.' },
    { name: 'chain', type: 'boolean', help: 'A .p7b with the issuing CA and the root.' },
    ENC_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca cert --dir ./pki --root --out root.cer',
    'ca cert --dir ./pki --enc bin --out issuing.crt',
    'ca cert --dir ./pki --chain --out chain.p7b',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const out = requireOption(args, 'out', NAME);
    const enc = encOption(args, NAME);
    const root = booleanOption(args, 'root');
    const chain = booleanOption(args, 'chain');
    const force = booleanOption(args, 'force');
    if (root && chain) throw usageError('--root and --chain exclude each other.', NAME);
    if (out === STDIO && format === 'json')
      throw usageError('--format json and --out - cannot both use stdout.', NAME);
    await ensureWritable(ctx.io, out, force);
    return withCa(ctx, args, NAME, async (ca) => {
      const certs = chain ? ca.chain : [root ? ca.rootCertificate : ca.certificate];
      await writeOutput(ctx.io, out, encodeCertsrvCertificates(certs, enc, chain), { force });
      const written = out === STDIO ? 'stdout' : resolvePath(ctx.io, out);
      const described = [];
      for (const c of certs)
        described.push({
          subject: c.subject.toWindowsString(),
          thumbprint: await c.thumbprint(),
          serialNumber: c.serialNumber,
          notBefore: isoSeconds(c.notBefore),
          notAfter: isoSeconds(c.notAfter),
        });
      if (format === 'json') writeJson(ctx.io.stdout, { certificates: described, out: written });
      else
        writeLines(summaryStream(ctx, out), [
          `Wrote ${chain ? 'the CA chain' : root ? 'the root CA certificate' : 'the CA certificate'} to ${written} (${encodingText(enc, chain)})`,
          ...described.flatMap((d) => [
            `  ${d.subject}`,
            `    Cert Hash(sha1): ${d.thumbprint}`,
            `    Validity:        ${d.notBefore} to ${d.notAfter}`,
          ]),
        ]);
      return EXIT.ok;
    });
  },
};
