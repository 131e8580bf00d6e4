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
  KEY_PASSPHRASE_OPTION,
  withCa,
  writeCertEnroll,
} from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';

const NAME = 'ca renew';

export const caRenew: Command = {
  name: NAME,
  summary: 'Renew the issuing (or root) CA certificate with a new key or the same one (certutil -renewCert).',
  usage: ['ca renew [--dir DIR] [--root] [--reuse-keys] [--format text|json]'],
  description: `Renews the issuing CA certificate (a standalone CA's own certificate), as certutil -renewCert does: the root signs a new certificate for the same name with the next certificate index. By default the CA gets a new key pair, which takes the new certificate's index as its key index and publishes its own base and delta CRLs (<CA name>(n).crl); --reuse-keys keeps the current key (certutil -renewCert ReuseKeys), and its CRLs go on. The CA Version extension holds both indexes (shown V<certificate index>.<key index>) and the new certificate has the Previous CA Certificate Hash of the one it renews. Old certificates and keys are kept: certificates issued before stay valid and their CRLs are still published (ca crl publishes one for every key whose certificate has not expired). Certificates issued from now on are signed with the new certificate. The new CA certificate (<server>_<CA name>(n).crt) and CRLs are written to DIR/${CERT_ENROLL_DIR}; give clients the new certificate with 'certlab ca cert' (or let them fetch it from the AIA URL). --root renews the root CA of a two-tier hierarchy instead, as certutil -renewCert does on the root: a new self-signed certificate for the same name (a new key publishes its base CRL <root name>(n).crl); the issuing CA certificate keeps chaining to the root certificate that signed it until you renew the issuing CA too (ca renew), which the current root key then signs. Install the new root in the clients' trusted roots before that (ca cert --root). No cross certificates are made.`,
  options: [
    DIR_OPTION,
    {
      name: 'root',
      type: 'boolean',
      help: 'Renew the root CA (two-tier hierarchies) instead of the issuing CA.',
    },
    {
      name: 'reuse-keys',
      type: 'boolean',
      help: 'Keep the current key pair (certutil -renewCert ReuseKeys).',
    },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: ['ca renew --dir ./pki', 'ca renew --dir ./pki --reuse-keys', 'ca renew --dir ./pki --root'],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const reuseKeys = booleanOption(args, 'reuse-keys');
    const root = booleanOption(args, 'root');
    return withCa(
      ctx,
      args,
      NAME,
      async (ca, dir) => {
        if (root && ca.standalone)
          throw usageError(
            'this CA is standalone: it has no root CA to renew (renew it without --root).',
            NAME,
          );
        const authority = root ? ('root' as const) : ('issuing' as const);
        const previous = root ? ca.rootCertificate : ca.certificate;
        const info = await ca.renew({ newKey: !reuseKeys, authority });
        // renew() published the new key's first CRLs; look them up to write them out.
        const crls: PublishedCrl[] = [];
        if (!reuseKeys) {
          const base = await ca.latestCrl({ keyIndex: info.keyIndex, authority });
          const delta = root ? undefined : await ca.latestCrl({ keyIndex: info.keyIndex, delta: true });
          for (const c of [base, delta]) if (c) crls.push(c);
        }
        await writeCertEnroll(ctx, dir, [...caCertificateFiles(ca), ...crls.map(crlFile)]);
        const base = crls.find((c) => !c.delta);
        const delta = crls.find((c) => c.delta);
        const caVersion = `V${info.certIndex}.${info.keyIndex}`;
        const shown = await caCertSummary(ca, root ? ca.rootName! : ca.name, info, base, delta);
        const summary = {
          ...shown,
          authority,
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
        const role = root ? 'root CA' : ca.standalone ? 'standalone CA' : 'issuing CA';
        const lines = [
          `Renewed the ${role} certificate ${reuseKeys ? 'with the same key' : 'with a new key'}: ${summary.subject}`,
          `  CA Version:        ${caVersion} (certificate index ${info.certIndex}, key index ${info.keyIndex})`,
          ...caCertLines(shown),
          `  Renews:            ${summary.previousThumbprint}`,
          ...caCrlLines(shown),
        ];
        const shownDir = await displayCaDir(ctx, dir);
        if (root)
          lines.push(
            '',
            reuseKeys
              ? 'The issuing CA certificate chains to either root certificate (same key).'
              : 'The issuing CA certificate still chains to the previous root certificate; renew the issuing CA (certlab ca renew) for one that the new root key signs.',
            `Install the new root certificate in the clients' trusted roots: certlab ca cert --dir ${shownDir} --root --out FILE`,
          );
        else
          lines.push(
            '',
            reuseKeys
              ? 'Certificates issued from now on are signed by the new certificate with the same key: they chain to either.'
              : 'Certificates issued from now on are signed by the new key and name its CRL; those issued before stay valid, and ca crl goes on publishing their CRL.',
            `Give clients the new CA certificate: certlab ca cert --dir ${shownDir} --out FILE`,
          );
        writeLines(ctx.io.stdout, lines);
        return EXIT.ok;
      },
      { signs: true },
    );
  },
};
