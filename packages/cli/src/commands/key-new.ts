// `certlab key new`: generate a key pair and save the private key as PKCS#8 PEM.

import { generateKeyPair, toHex } from '@certlab/pki';
import { booleanOption, requireOption, stringOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, ITERATIONS_OPTION, OUT_OPTION } from '../common-options.js';
import { ensureWritable, resolvePath, STDIO } from '../files.js';
import { publicKeySection } from '../format/public-key.js';
import { describeKey, KEY_SIZE_OPTIONS, keySpecFrom } from '../key-spec.js';
import { summaryStream, writeLines } from '../output.js';
import { iterationsOption, PASSWORD_OPTIONS, passwordOption } from '../password.js';
import { protectionText, savePrivateKey } from '../save-key.js';

const NAME = 'key new';

export const keyNew: Command = {
  name: NAME,
  summary: 'Generate a private key (EC, RSA or Ed25519) as PKCS#8 PEM.',
  usage: [
    'key new [--type ec|rsa|ed25519] [--curve C] [--bits N] [--password P | --password-file F] --out FILE',
  ],
  description:
    'Generates a key pair with WebCrypto and writes the private key as a PKCS#8 PEM file with mode 0600: "PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" (PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC) when a password is given. Prints the key type and size, its key id (the SHA-1 that a Subject Key Identifier carries) and the SHA-256 of its SubjectPublicKeyInfo.',
  options: [
    { name: 'type', type: 'string', short: 't', value: 'T', help: 'Key type: ec (default), rsa or ed25519.' },
    ...KEY_SIZE_OPTIONS,
    ...PASSWORD_OPTIONS,
    ITERATIONS_OPTION,
    OUT_OPTION,
    FORCE_OPTION,
  ],
  examples: [
    'key new --out server.key',
    'key new --type rsa --bits 3072 --password-file pass.txt --out ca.key',
    'key new --type ed25519 --out ed.key',
  ],
  async run(ctx, args) {
    const out = requireOption(args, 'out', NAME);
    const spec = keySpecFrom(stringOption(args, 'type') ?? 'ec', args, NAME);
    const password = await passwordOption(ctx, args, NAME);
    const iterations = iterationsOption(args, password, NAME);
    const force = booleanOption(args, 'force');
    await ensureWritable(ctx.io, out, force);
    const { privateKey, publicKey } = await generateKeyPair(spec);
    await savePrivateKey(ctx, out, privateKey, { password, iterations, force });
    const pub = await publicKeySection(publicKey.spki);
    const keyId = toHex(await publicKey.keyIdentifier());
    const spkiSha256 = (pub.json as { spkiSha256: string }).spkiSha256;
    writeLines(summaryStream(ctx, out), [
      `Generated ${describeKey(publicKey)} key, ${protectionText(password)}.`,
      `  Key Id Hash(rfc-sha1):    ${keyId}`,
      `  Key Id Hash(spki-sha256): ${spkiSha256}`,
      `Wrote ${out === STDIO ? 'the private key to stdout' : resolvePath(ctx.io, out)}`,
    ]);
    return EXIT.ok;
  },
};
