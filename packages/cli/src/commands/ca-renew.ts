// `certlab ca renew`: renew the issuing (or standalone) CA certificate, as `certutil -renewCert
// [ReuseKeys]` and the console's "Renew CA Certificate" do, and publish what a renewed AD CS
// publishes in CertEnroll: the new certificate under its (n) suffix and, for a new key, that
// key's first CRLs ("Certification Authority Renewal" in the Windows docs gives the indexes).

import { caCertificateFiles, crlFile, type PublishedCrl } from '@certlab/ca-sim';
import { booleanOption, choiceOption } from '../args.js';
import { caCertLines, caCertSummary, caCrlLines } from '../ca-summary.js';
import {
  CERT_ENROLL_DIR,
  DB_OPTION,
  DIR_OPTION,
  displayCaDir,
  withCa,
  writeCertEnroll,
} from '../ca-support.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';

const NAME = 'ca renew';

export const caRenew: Command = {
  name: NAME,
  summary: 'Renew the issuing CA certificate with a new key or the same one (certutil -renewCert).',
  usage: ['ca renew [--dir DIR] [--reuse-keys] [--format text|json]'],
  description: `Renews the issuing CA certificate (a standalone CA's own certificate), as certutil -renewCert does: the root signs a new certificate for the same name with the next certificate index. By default the CA gets a new key pair, which takes the new certificate's index as its key index and publishes its own base and delta CRLs (<CA name>(n).crl); --reuse-keys keeps the current key (certutil -renewCert ReuseKeys), and its CRLs go on. The CA Version extension holds both indexes (shown V<certificate index>.<key index>) and the new certificate has the Previous CA Certificate Hash of the one it renews. Old certificates and keys are kept: certificates issued before stay valid and their CRLs are still published (ca crl publishes one for every key whose certificate has not expired). Certificates issued from now on are signed with the new certificate. The new CA certificate (<server>_<CA name>(n).crt) and CRLs are written to DIR/${CERT_ENROLL_DIR}; give clients the new certificate with 'certlab ca cert' (or let them fetch it from the AIA URL). The root CA is not renewed.`,
  options: [
    DIR_OPTION,
    {
      name: 'reuse-keys',
      type: 'boolean',
      help: 'Keep the current key pair (certutil -renewCert ReuseKeys).',
    },
    DB_OPTION,
    FORMAT_OPTION,
  ],
  examples: ['ca renew --dir ./pki', 'ca renew --dir ./pki --reuse-keys'],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const reuseKeys = booleanOption(args, 'reuse-keys');
    return withCa(ctx, args, NAME, async (ca, dir) => {
      const previous = ca.certificate;
      const info = await ca.renew({ newKey: !reuseKeys });
      // renew() published the new key's first base and delta; look them up to write them out.
      const crls: PublishedCrl[] = [];
      if (!reuseKeys) {
        const base = await ca.latestCrl({ keyIndex: info.keyIndex });
        const delta = await ca.latestCrl({ keyIndex: info.keyIndex, delta: true });
        for (const c of [base, delta]) if (c) crls.push(c);
      }
      await writeCertEnroll(ctx, dir, [...caCertificateFiles(ca), ...crls.map(crlFile)]);
      const base = crls.find((c) => !c.delta);
      const delta = crls.find((c) => c.delta);
      const caVersion = `V${info.certIndex}.${info.keyIndex}`;
      const shown = await caCertSummary(ca, ca.name, info, base, delta);
      const summary = {
        ...shown,
        newKey: !reuseKeys,
        certIndex: info.certIndex,
        keyIndex: info.keyIndex,
        caVersion,
        previousThumbprint: await previous.thumbprint(),
      };
      if (format === 'json') {
        writeJson(ctx.io.stdout, summary);
        return EXIT.ok;
      }
      const role = ca.standalone ? 'standalone CA' : 'issuing CA';
      const lines = [
        `Renewed the ${role} certificate ${reuseKeys ? 'with the same key' : 'with a new key'}: ${summary.subject}`,
        `  CA Version:        ${caVersion} (certificate index ${info.certIndex}, key index ${info.keyIndex})`,
        ...caCertLines(shown),
        `  Renews:            ${summary.previousThumbprint}`,
        ...caCrlLines(shown),
      ];
      lines.push(
        '',
        reuseKeys
          ? 'Certificates issued from now on are signed by the new certificate with the same key: they chain to either.'
          : 'Certificates issued from now on are signed by the new key and name its CRL; those issued before stay valid, and ca crl goes on publishing their CRL.',
        `Give clients the new CA certificate: certlab ca cert --dir ${displayCaDir(ctx, dir)} --out FILE`,
      );
      writeLines(ctx.io.stdout, lines);
      return EXIT.ok;
    });
  },
};
