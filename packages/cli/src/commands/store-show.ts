// `certlab store show`: one certificate of a simulated machine: where it is, its properties,
// the certificate itself (as `certlab cert show` prints it) and the private-key line.

import * as pki from '@certlab/pki';
import * as ss from '@certlab/store-sim';
import { choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { certificateReport } from '../format/certificate-report.js';
import { writeJson, writeLines } from '../output.js';
import {
  findEntry,
  LANG_OPTION,
  LOCATION_OPTION,
  langOption,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeLabel,
} from './store-common.js';

const NAME = 'store show';

/**
 * certutil's key self-test (windows-stores.md §5): for an RSA key, "Encryption test" (RSA-OAEP:
 * encrypted with the certificate's public key, decrypted with the machine's key, as certutil tests
 * a key-exchange key); otherwise, or for an RSA key OAEP refuses (RSA-PSS), "Signature test" (a
 * signature made with the machine's key verified with the certificate's public key).
 */
async function selfTest(
  machine: ss.Machine,
  entry: ss.CertificateEntry,
): Promise<{ kind: 'Encryption' | 'Signature'; ok: boolean }> {
  const key = await machine.privateKey(entry);
  if (!key) return { kind: 'Signature', ok: false };
  const data = crypto.getRandomValues(new Uint8Array(32));
  if (key.type === 'rsa') {
    const oaep = { name: 'RSA-OAEP', hash: 'SHA-256' };
    try {
      const pub = await crypto.subtle.importKey(
        'spki',
        new Uint8Array(entry.certificate.publicKey.spki),
        oaep,
        false,
        ['encrypt'],
      );
      const priv = await crypto.subtle.importKey('pkcs8', new Uint8Array(await key.toPkcs8()), oaep, false, [
        'decrypt',
      ]);
      const back = new Uint8Array(
        await crypto.subtle.decrypt(oaep, priv, await crypto.subtle.encrypt(oaep, pub, data)),
      );
      return { kind: 'Encryption', ok: back.length === data.length && back.every((b, i) => b === data[i]) };
    } catch {
      // An RSA-PSS key (OAEP refuses it) or a pair that does not match: the signature test decides.
    }
  }
  try {
    const alg = pki.signatureAlgorithmFor(key);
    const ok = await pki.verifySignature(
      entry.certificate.publicKey,
      alg,
      data,
      await pki.signData(key, alg, data),
    );
    return { kind: 'Signature', ok };
  } catch {
    return { kind: 'Signature', ok: false };
  }
}

export const storeShow: Command = {
  name: NAME,
  summary: 'Show a certificate of a store: where it is, its properties, its fields, its private key.',
  usage: [
    'store show THUMBPRINT --machine DIR [--location LocalMachine|CurrentUser] [--store NAME]',
    '       [--lang en|fr] [--format text|json]',
  ],
  description:
    'THUMBPRINT is the SHA-1 thumbprint, spaces and colons allowed. Prints every store holding it, the friendly name and other properties, the certificate as `certlab cert show` does (its signature checked with the issuer the machine\'s chain engine finds), then the key part as certutil -store prints it: "Key Container = …", "Private key is NOT exportable" and a signature self-test with the key, or "No key provider information" and "Cannot find the certificate and private key for decryption." when the machine has no key for it; and "You have a private key that corresponds to this certificate." when its key is on the machine. Give --location and --store when the certificate is in several stores.',
  options: [MACHINE_OPTION, LOCATION_OPTION, STORE_OPTION, LANG_OPTION, FORMAT_OPTION],
  positionals: { names: ['THUMBPRINT'], min: 1 },
  examples: [
    'store show 63c6ce5fc512933179d3c0a5e94ecba98092f93d --machine ex01',
    'store show "63 c6 ce 5f …" --machine ex01 --location LocalMachine --store My --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const lang = langOption(args, NAME);
    const machine = await openMachine(ctx, args, NAME, false);
    const entry = await findEntry(machine, args, NAME);
    const copies = machine.locate(entry.thumbprint);
    // The signature is checked with the issuer the machine's chain engine finds (certutil -store
    // has the store at hand; cert show needs --issuer).
    const chain = await ss.buildChain(machine, entry, { context: entry.location });
    const issuer = entry.certificate.isSelfIssued ? undefined : chain.elements[1]?.certificate;
    const report = await certificateReport(
      entry.certificate,
      issuer?.publicKey,
      issuer
        ? { issuerSubject: issuer.subject }
        : { unknownIssuer: "the issuer is not in the machine's stores" },
    );
    const keyLine = entry.hasPrivateKey ? ss.DIALOG_TEXTS.privateKey[lang] : undefined;
    const keyTest = entry.hasPrivateKey ? await selfTest(machine, entry) : undefined;
    const p = entry.properties;
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        thumbprint: entry.thumbprint,
        stores: copies.map((e) => ({
          location: e.location,
          store: e.store,
          storeDisplayName: ss.storeDisplayName(e.store, lang),
        })),
        properties: p,
        hasPrivateKey: entry.hasPrivateKey,
        privateKeyLine: keyLine ?? null,
        privateKeyTest:
          keyTest === undefined ? null : { kind: keyTest.kind.toLowerCase(), passed: keyTest.ok },
        certificate: report.json,
      });
      return EXIT.ok;
    }
    const lines = [
      `Thumbprint: ${entry.thumbprint}`,
      'Stores:',
      ...copies.map((e) => `  ${storeLabel(e.location, e.store, lang)}`),
      `Friendly Name: ${p.friendlyName ?? (lang === 'fr' ? '<Aucun>' : '<None>')}`,
    ];
    if (p.description !== undefined) lines.push(`Description: ${p.description}`);
    if (p.archived) lines.push('Archived: yes');
    if (p.enhancedKeyUsage) lines.push(`Enhanced key usage property: ${p.enhancedKeyUsage.join(', ')}`);
    lines.push('', ...report.text);
    // The key part as certutil -store prints it (windows-stores.md §5): the KEY_PROV_INFO link,
    // whether the key may be exported, and a self-test with the key on the machine.
    if (p.keyContainer !== undefined) {
      lines.push(`  Key Container = ${p.keyContainer}`);
      if (p.keyProvider !== undefined) lines.push(`  Provider = ${p.keyProvider}`);
    }
    if (keyTest !== undefined) {
      if (p.keyExportable !== true) lines.push('Private key is NOT exportable');
      lines.push(
        keyTest.ok
          ? `${keyTest.kind} test passed`
          : `ERROR: ${keyTest.kind} test FAILED: the key does not match the certificate`,
      );
    } else {
      if (p.keyContainer === undefined) lines.push('No key provider information');
      lines.push('Cannot find the certificate and private key for decryption.');
    }
    if (keyLine) lines.push('', keyLine);
    writeLines(ctx.io.stdout, lines);
    return EXIT.ok;
  },
};
