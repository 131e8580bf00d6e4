// `certlab ca retrieve`: the certificate of a request (certreq -retrieve, certnew.cer?ReqID=N),
// or the certificate with the CA chain as a .p7b (certnew.p7b).

import { caChainOf, encodeCertsrvCertificates } from '@certlab/ca-sim';
import { booleanOption, choiceOption, requireOption } from '../args.js';
import {
  DB_OPTION,
  DIR_OPTION,
  dispositionLines,
  ENC_OPTION,
  encOption,
  encodingText,
  KEY_PASSPHRASE_OPTION,
  requestJson,
  requireRequestId,
  withCa,
} from '../ca-support.js';
import { EXIT, failure, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, FORMAT_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, resolvePath, STDIO, writeOutput } from '../files.js';
import { summaryStream, writeJson, writeLines } from '../output.js';

const NAME = 'ca retrieve';

export const caRetrieve: Command = {
  name: NAME,
  summary: 'Retrieve the certificate of a request (certreq -retrieve), alone or with its chain.',
  usage: ['ca retrieve [--dir DIR] --id N [--enc b64|bin] [--chain] --out FILE [--format text|json]'],
  description:
    'Writes the certificate issued for request N, as certsrv serves it: b64 is PEM with CRLF line ends (certnew.cer?Enc=b64), bin is DER; with --chain, a certs-only PKCS #7 (.p7b) holding the certificate, the issuing CA and the root (certnew.p7b; Base64 under the CERTIFICATE label, or DER). A revoked certificate is still retrieved. A pending or denied request has no certificate: its disposition is printed and the exit status is 1.',
  options: [
    DIR_OPTION,
    {
      name: 'id',
      type: 'string',
      short: 'i',
      value: 'N',
      help: 'The request id (from ca submit or ca list).',
    },
    ENC_OPTION,
    { name: 'chain', type: 'boolean', help: 'Write a .p7b with the certificate and the CA chain.' },
    OUT_OPTION,
    FORCE_OPTION,
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca retrieve --dir ./pki --id 3 --out web01.cer',
    'ca retrieve --dir ./pki --id 3 --enc bin --out web01.der',
    'ca retrieve --dir ./pki --id 3 --chain --out web01.p7b',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const id = requireRequestId(args, NAME);
    const out = requireOption(args, 'out', NAME);
    const enc = encOption(args, NAME);
    const chain = booleanOption(args, 'chain');
    const force = booleanOption(args, 'force');
    if (out === STDIO && format === 'json')
      throw usageError('--format json and --out - cannot both use stdout.', NAME);
    await ensureWritable(ctx.io, out, force);
    return withCa(ctx, args, NAME, async (ca) => {
      const r = await ca.retrieve(id);
      const stream = summaryStream(ctx, out);
      if (!r.certificate) {
        if (format === 'json') writeJson(ctx.io.stdout, await requestJson(r));
        else writeLines(stream, dispositionLines(r));
        throw failure(`request ${id} has no certificate: it is ${r.disposition}.`);
      }
      const certs = chain ? [r.certificate, ...caChainOf(ca, r.certificate)] : [r.certificate];
      await writeOutput(ctx.io, out, encodeCertsrvCertificates(certs, enc, chain), { force });
      const written = out === STDIO ? 'stdout' : resolvePath(ctx.io, out);
      if (format === 'json')
        writeJson(ctx.io.stdout, { ...((await requestJson(r)) as object), out: written });
      else
        writeLines(stream, [
          ...dispositionLines(r),
          `Wrote ${chain ? `the certificate and ${ca.chain.length} CA certificate(s)` : 'the certificate'} of request ${id} to ${written} (${encodingText(enc, chain)})`,
          `  Subject:       ${r.certificate.subject.toWindowsString()}`,
          `  Serial Number: ${r.certificate.serialNumber}`,
        ]);
      return EXIT.ok;
    });
  },
};
