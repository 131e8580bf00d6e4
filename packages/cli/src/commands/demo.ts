// `certlab demo`: a small PKI to play with in one command — a root CA and a localhost server
// certificate it signed. Running it again keeps the root (so a root already trusted somewhere
// stays valid) and issues a fresh localhost certificate.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  extKeyUsage,
  generateKeyPair,
  importPrivateKey,
  keyUsage,
  type PrivateKey,
  readCertificates,
  subjectAltName,
} from '@certlab/pki';
import { stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { fileExists, readInput, resolvePath, writeOutput } from '../files.js';
import { isoSeconds } from '../format/dates.js';
import { writeLines } from '../output.js';
import { savePrivateKey } from '../save-key.js';

const NAME = 'demo';

export const ROOT_SUBJECT = 'CN=certlab Root CA, O=certlab, C=FR';

export const demo: Command = {
  name: NAME,
  summary: 'Create a demo root CA and a localhost server certificate.',
  usage: ['demo [--dir DIR]'],
  description:
    'Creates in DIR (default ./.certlab-demo, beside the CA that npm start and serve keep in ./.certlab) a root CA "CN=certlab Root CA, O=certlab, C=FR" (EC P-256, 10 years) and a server certificate for localhost signed by it (SAN DNS localhost, IP 127.0.0.1 and ::1; EKU serverAuth and clientAuth). Writes root-ca.cer, root-ca.key, localhost.cer and localhost.key (PEM; keys unencrypted with mode 0600: this is a demo). An existing root in DIR is reused; the localhost certificate and key are issued afresh each time.',
  options: [
    {
      name: 'dir',
      type: 'string',
      short: 'd',
      value: 'DIR',
      help: 'Directory to work in (default ./.certlab-demo).',
    },
  ],
  examples: ['demo', 'demo --dir /tmp/pki'],
  async run(ctx, args) {
    const dir = stringOption(args, 'dir') ?? '.certlab-demo';
    const abs = resolvePath(ctx.io, dir);
    try {
      await mkdir(abs, { recursive: true });
    } catch (e) {
      throw new CliError(EXIT.failed, `cannot create ${dir}: ${e instanceof Error ? e.message : String(e)}.`);
    }
    // Paths are printed as the user wrote --dir, so the suggested commands work as typed.
    const p = (f: string) => join(dir, f);
    const shown = p;

    const root = await loadOrCreateRoot(ctx, p('root-ca.cer'), p('root-ca.key'));
    const leafKey = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const leaf = await createCertificate({
      subject: 'CN=localhost',
      publicKey: leafKey.publicKey,
      signingKey: root.key,
      issuer: root.cert,
      days: 365,
      extensions: [
        basicConstraints({ ca: false }, false),
        keyUsage(['digitalSignature']),
        extKeyUsage(['serverAuth', 'clientAuth']),
        subjectAltName([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
          { type: 'ip', value: '::1' },
        ]),
      ],
    });
    await savePrivateKey(ctx, p('localhost.key'), leafKey.privateKey, { force: true });
    await writeOutput(ctx.io, p('localhost.cer'), leaf.toPem(), { force: true });

    writeLines(ctx.io.stdout, [
      `${root.created ? 'Created' : 'Reused'} root CA   ${shown('root-ca.cer')}  (key ${shown('root-ca.key')})`,
      `    Subject:         ${root.cert.subject.toWindowsString()}`,
      `    Valid until:     ${isoSeconds(root.cert.notAfter)}`,
      `    Cert Hash(sha1): ${await root.cert.thumbprint()}`,
      `Issued localhost    ${shown('localhost.cer')}  (key ${shown('localhost.key')})`,
      '    SANs:            DNS Name=localhost, IP Address=127.0.0.1, IP Address=::1',
      '    EKU:             Server Authentication, Client Authentication',
      `    Valid until:     ${isoSeconds(leaf.notAfter)}`,
      `    Cert Hash(sha1): ${await leaf.thumbprint()}`,
      '',
      'Next, try:',
      `  certlab cert show ${shown('localhost.cer')}`,
      `  certlab cert show ${shown('localhost.cer')} --issuer ${shown('root-ca.cer')} --verify`,
      `  openssl verify -CAfile ${shown('root-ca.cer')} ${shown('localhost.cer')}`,
      `  certlab csr new --new-key ec --key-out ${shown('web.key')} --subject "CN=web.example" --dns web.example --eku serverAuth --out ${shown('web.csr')}`,
      `  certlab csr show ${shown('web.csr')}`,
    ]);
    return EXIT.ok;
  },
};

/**
 * The root in `certPath`/`keyPath` when both exist and belong together; a new one when neither
 * exists. One without the other is an error rather than silently replaced: a root CA may
 * already be trusted somewhere.
 */
async function loadOrCreateRoot(
  ctx: CommandContext,
  certPath: string,
  keyPath: string,
): Promise<{ cert: Certificate; key: PrivateKey; created: boolean }> {
  const haveCert = await fileExists(ctx.io, certPath);
  const haveKey = await fileExists(ctx.io, keyPath);
  if (haveCert && haveKey) {
    const cert = readCertificates(await readInput(ctx.io, certPath))[0];
    const key = await importPrivateKey(await readInput(ctx.io, keyPath));
    if (!cert?.publicKey.equals(key.publicKey)) {
      throw new CliError(
        EXIT.failed,
        `${keyPath} is not the key of ${certPath}.`,
        'Remove both files to create a new root CA.',
      );
    }
    return { cert, key, created: false };
  }
  if (haveCert || haveKey) {
    throw new CliError(
      EXIT.failed,
      `${haveCert ? certPath : keyPath} exists without ${haveCert ? keyPath : certPath}.`,
      'Remove it to create a new root CA.',
    );
  }
  const pair = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  // Certificate times have whole seconds.
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 10);
  const cert = await createCertificate({
    subject: ROOT_SUBJECT,
    publicKey: pair.publicKey,
    signingKey: pair.privateKey,
    notBefore,
    notAfter,
    extensions: [basicConstraints({ ca: true }), keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign'])],
  });
  await savePrivateKey(ctx, keyPath, pair.privateKey, { force: false });
  await writeOutput(ctx.io, certPath, cert.toPem(), { force: false });
  return { cert, key: pair.privateKey, created: true };
}
