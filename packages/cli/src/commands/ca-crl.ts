// `certlab ca crl`: publish a base or delta CRL now (certutil -CRL) into DIR/CertEnroll, as AD CS
// publishes to CertEnroll, and with --out write a copy too.

import { crlFile, type PublishedCrl } from '@certlab/ca-sim';
import { booleanOption, choiceOption, stringOption } from '../args.js';
import {
  CERT_ENROLL_DIR,
  DB_OPTION,
  DIR_OPTION,
  ENC_OPTION,
  encOption,
  KEY_PASSPHRASE_OPTION,
  withCa,
  writeCertEnroll,
} from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, FORMAT_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, resolvePath, STDIO, writeOutput } from '../files.js';
import { isoSeconds } from '../format/dates.js';
import { summaryStream, writeJson, writeLines } from '../output.js';

const NAME = 'ca crl';

export const caCrl: Command = {
  name: NAME,
  summary: 'Publish a base or delta CRL now (certutil -CRL) to CertEnroll, and optionally write it.',
  usage: ['ca crl [--dir DIR] [--delta | --root] [--out FILE [--enc b64|bin]] [--format text|json]'],
  description: `Publishes a CRL of the issuing CA: a base CRL of every revoked, unexpired certificate, or with --delta a delta CRL of the changes since the newest base (certificates released from hold appear as removeFromCRL). Each CRL gets the next CRL number. A base CRL comes with a new delta CRL over it when delta CRLs are enabled, as certutil -CRL publishes both (the previous delta would name the previous base). After a renewal with a new key (ca renew), the CRLs of every older key whose CA certificate has not expired are published too, as AD CS does: certificates that key signed name its CRL; --out is the current key's. --root publishes the root CA's base CRLs instead (one per root key still valid, after ca renew --root with a new key). The CRL is written in DER to DIR/${CERT_ENROLL_DIR} under AD CS's file name (<CA name>.crl, <CA name>+.crl for a delta), where the CDP URLs find it, and, with --out, to FILE as well (b64: PEM "X509 CRL" with CRLF line ends; bin: DER).`,
  options: [
    DIR_OPTION,
    { name: 'delta', type: 'boolean', help: 'Publish a delta CRL.' },
    { name: 'root', type: 'boolean', help: "Publish the root CA's CRL (base only)." },
    { ...OUT_OPTION, help: 'Also write the CRL to FILE (- for stdout).' },
    ENC_OPTION,
    FORCE_OPTION,
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca crl --dir ./pki',
    'ca crl --dir ./pki --delta --out delta.crl',
    'ca crl --dir ./pki --out "Contoso Issuing CA.crl" --enc bin',
    'ca crl --dir ./pki --root --out root.crl',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const out = stringOption(args, 'out');
    const enc = encOption(args, NAME);
    const delta = booleanOption(args, 'delta');
    const root = booleanOption(args, 'root');
    const force = booleanOption(args, 'force');
    if (out === undefined && args.values.enc !== undefined)
      throw usageError('--enc is the encoding of the --out copy: give --out FILE too.', NAME);
    if (delta && root)
      throw usageError('the root CA publishes base CRLs only: --delta and --root exclude each other.', NAME);
    if (out === STDIO && format === 'json')
      throw usageError('--format json and --out - cannot both use stdout.', NAME);
    if (out !== undefined) await ensureWritable(ctx.io, out, force);
    return withCa(
      ctx,
      args,
      NAME,
      async (ca, dir) => {
        // certutil -CRL publishes an issuing CA's base with its delta (publishBaseAndDelta), and
        // does so for every CA key whose certificate has not expired: after a renewal with a new
        // key, the certificates the older key signed still name its CRL (crlKeyIndexes).
        const publishFor = async (keyIndex?: number) => {
          const key = keyIndex === undefined ? {} : { keyIndex };
          return delta || root
            ? {
                base: await ca.publishCrl({ delta, ...key, ...(root ? { authority: 'root' as const } : {}) }),
              }
            : await ca.publishBaseAndDelta(key);
        };
        const { base: p, delta: d } = await publishFor();
        const older = ca.crlKeyIndexes(root ? 'root' : 'issuing').slice(1);
        const others: { keyIndex: number; base: PublishedCrl; delta?: PublishedCrl }[] = [];
        for (const keyIndex of older) others.push({ keyIndex, ...(await publishFor(keyIndex)) });
        if (out !== undefined)
          await writeOutput(ctx.io, out, enc === 'bin' ? p.crl.der : p.crl.toPem({ eol: '\r\n' }), { force });
        const published = [
          p,
          ...(d ? [d] : []),
          ...others.flatMap((o) => [o.base, ...(o.delta ? [o.delta] : [])]),
        ];
        await writeCertEnroll(ctx, dir, published.map(crlFile));
        const written = out === undefined ? null : out === STDIO ? 'stdout' : resolvePath(ctx.io, out);
        const entries = p.crl.entryCount;
        if (format === 'json')
          writeJson(ctx.io.stdout, {
            issuer: p.crl.issuer.toWindowsString(),
            delta: p.delta,
            crlNumber: p.crlNumber,
            baseCrlNumber: p.baseCrlNumber ?? null,
            thisUpdate: isoSeconds(p.thisUpdate),
            nextUpdate: isoSeconds(p.nextUpdate),
            entries,
            fileName: p.fileName,
            url: p.url,
            out: written,
            deltaPublished: d ? { crlNumber: d.crlNumber, fileName: d.fileName, url: d.url } : null,
            olderKeys: others.map((o) => ({
              keyIndex: o.keyIndex,
              delta: o.base.delta,
              crlNumber: o.base.crlNumber,
              fileName: o.base.fileName,
              url: o.base.url,
              entries: o.base.crl.entryCount,
              deltaPublished: o.delta
                ? { crlNumber: o.delta.crlNumber, fileName: o.delta.fileName, url: o.delta.url }
                : null,
            })),
          });
        else
          writeLines(summaryStream(ctx, out), [
            `Published ${p.delta ? 'delta' : 'base'} CRL ${p.crlNumber} of ${p.crl.issuer.toWindowsString()}${p.baseCrlNumber !== undefined ? ` (base CRL ${p.baseCrlNumber})` : ''}`,
            `  ThisUpdate:  ${isoSeconds(p.thisUpdate)}`,
            `  NextUpdate:  ${isoSeconds(p.nextUpdate)}`,
            `  Entries:     ${entries}`,
            `  CertEnroll:  ${CERT_ENROLL_DIR}/${p.fileName} (${p.url})`,
            ...(d
              ? [
                  `Published delta CRL ${d.crlNumber} (base CRL ${p.crlNumber}): ${CERT_ENROLL_DIR}/${d.fileName} (${d.url})`,
                ]
              : []),
            ...others.map(
              (o) =>
                `Published ${o.base.delta ? 'delta' : 'base'} CRL ${o.base.crlNumber} of the older CA key ${o.keyIndex} (${o.base.crl.entryCount} ${o.base.crl.entryCount === 1 ? 'entry' : 'entries'}): ${CERT_ENROLL_DIR}/${o.base.fileName}${o.delta ? `, delta CRL ${o.delta.crlNumber}: ${CERT_ENROLL_DIR}/${o.delta.fileName}` : ''}`,
            ),
            ...(written === null ? [] : [`Wrote ${written} (${enc === 'bin' ? 'DER' : 'PEM, CRLF'})`]),
          ]);
        return EXIT.ok;
      },
      { signs: true },
    );
  },
};
