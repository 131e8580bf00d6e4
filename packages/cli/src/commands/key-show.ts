// `certlab key show`: describe a private or public key file.

import { decodePem, importPublicKey, isPem, type PublicKey } from '@certlab/pki';
import { choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readInput } from '../files.js';
import { keyReport } from '../format/key-report.js';
import { privateKeyFromBytes } from '../load-key.js';
import { writeJson, writeLines } from '../output.js';
import { PASSWORD_OPTIONS, passwordOption } from '../password.js';
import { explainInput } from '../pki-input.js';

const NAME = 'key show';

const CONTAINERS: Record<string, string> = {
  'PRIVATE KEY': 'PKCS#8',
  'ENCRYPTED PRIVATE KEY': 'encrypted PKCS#8',
  'RSA PRIVATE KEY': 'PKCS#1 (OpenSSL traditional)',
  'EC PRIVATE KEY': 'SEC 1 (OpenSSL traditional)',
  'PUBLIC KEY': 'SubjectPublicKeyInfo',
  'RSA PUBLIC KEY': 'PKCS#1 RSAPublicKey',
};

/** The PEM label of the key block, when the file is PEM. */
function pemLabel(bytes: Uint8Array): string | undefined {
  const text = new TextDecoder('latin1').decode(bytes);
  if (!isPem(text)) return undefined;
  // Own keys only: `in` also finds inherited names, so a block labelled "constructor" would match.
  return decodePem(text).find((b) => Object.hasOwn(CONTAINERS, b.label))?.label;
}

export const keyShow: Command = {
  name: NAME,
  summary: 'Describe a private or public key file.',
  usage: ['key show FILE [--password P | --password-file F] [--format text|json]'],
  description:
    'Reads a private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC 1, JWK; PEM or DER) or a public key (PUBLIC KEY PEM or DER) and prints its type, size, key id and SHA-256 fingerprints, and the public key as PEM. An encrypted key needs its password; at a terminal certlab asks for it.',
  options: [...PASSWORD_OPTIONS, FORMAT_OPTION],
  positionals: { names: ['FILE'], min: 1 },
  examples: ['key show server.key', 'key show ca.key --password-file pass.txt --format json'],
  async run(ctx, args) {
    const path = args.positionals[0]!;
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const password = await passwordOption(ctx, args, NAME);
    const bytes = await readInput(ctx.io, path);
    const label = pemLabel(bytes);
    let publicKey: PublicKey;
    let kind: 'private' | 'public';
    if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
      publicKey = await importPublicKey(bytes).catch((e: unknown) => {
        throw explainInput(e, bytes, path, ['public-key']);
      });
      kind = 'public';
    } else if (label !== undefined) {
      publicKey = (await privateKeyFromBytes(ctx, bytes, path, password)).publicKey;
      kind = 'private';
    } else {
      // DER or JSON: a private key is the common case; fall back to a public key.
      try {
        publicKey = (await privateKeyFromBytes(ctx, bytes, path, password)).publicKey;
        kind = 'private';
      } catch (e) {
        try {
          publicKey = await importPublicKey(bytes);
          kind = 'public';
        } catch {
          throw e;
        }
      }
    }
    const container = label ? CONTAINERS[label]! : 'DER or JWK';
    const report = await keyReport(publicKey, {
      kind,
      container,
      label,
      encrypted: label === 'ENCRYPTED PRIVATE KEY',
    });
    if (format === 'json') writeJson(ctx.io.stdout, report.json);
    else writeLines(ctx.io.stdout, report.text);
    return EXIT.ok;
  },
};
