// `certlab show`: whatever the file is (certificates, a request, a CRL, a .p7b, a .pfx, a key),
// print what is in it with the reports of `cert show`, `csr show`, `crl show` and `key show`.

import {
  type Certificate,
  type Crl,
  isSignedRequest,
  type Pkcs7,
  type PublicKey,
  parseSignedRequest,
  type SignedRequest,
} from '@certlab/pki';
import { choiceOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { certificateReport } from '../format/certificate-report.js';
import { keyMatchesLeaf, pkcs7Header, pkcs12Header } from '../format/container-report.js';
import { crlReport } from '../format/crl-report.js';
import { csrReport } from '../format/csr-report.js';
import type { Json } from '../format/json-value.js';
import { keyContainerName, keyReport } from '../format/key-report.js';
import { writeJson, writeLines } from '../output.js';
import { PASSWORD_FILE_OPTION, passwordOption } from '../password.js';
import { certificatesOf, type PkiItem, readPkiInput } from '../pki-input.js';

const NAME = 'show';

/** show checks signatures with the issuers in the same file; the named command takes --issuer. */
const NOT_IN_FILE = (noun: 'cert' | 'crl') =>
  `its issuer is not in this file (certlab ${noun} show FILE --issuer ISSUER checks it)`;

/** The request inside a PKCS #7 renewal or CMC request; undefined for any other PKCS #7. */
function signedRequestOf(p7: Pkcs7): SignedRequest | undefined {
  if (!isSignedRequest(p7.der)) return undefined;
  try {
    return parseSignedRequest(p7.der);
  } catch {
    return undefined; // shown as the SignedData it is
  }
}

/**
 * The key of the issuer of a certificate or CRL when the issuer is among `pool` (a chain file,
 * a .p7b, a .pfx), preferring the one whose SKI is the AKI; undefined when it is not there.
 */
function issuerKeyIn(
  subject: { issuer: Certificate['issuer'] },
  aki: Uint8Array | undefined,
  pool: readonly Certificate[],
): PublicKey | undefined {
  const candidates = pool.filter((c) => c.subject.equals(subject.issuer));
  const byKeyId = aki
    ? candidates.find((c) => {
        let ski: Uint8Array | undefined;
        try {
          ski = c.subjectKeyIdentifier;
        } catch {
          return false;
        }
        return ski !== undefined && ski.length === aki.length && ski.every((b, i) => b === aki[i]);
      })
    : undefined;
  return (byKeyId ?? candidates[0])?.publicKey;
}

/** The issuer key for a certificate's report: undefined when self-issued (checked with its own key). */
function certIssuerKey(cert: Certificate, pool: readonly Certificate[]): PublicKey | undefined {
  if (cert.isSelfIssued) return undefined;
  let aki: Uint8Array | undefined;
  try {
    aki = cert.authorityKeyIdentifier?.keyIdentifier;
  } catch {
    aki = undefined;
  }
  return issuerKeyIn(
    cert,
    aki,
    pool.filter((c) => c !== cert),
  );
}

/** Collects text sections separated by certutil's `================ Title ================` lines. */
class TextOut {
  readonly lines: string[] = [];
  section(title: string | undefined, body: readonly string[]): void {
    if (title !== undefined) {
      if (this.lines.length) this.lines.push('');
      this.lines.push(`================ ${title} ================`);
    } else if (this.lines.length) this.lines.push('');
    this.lines.push(...body);
  }
}

export const show: Command = {
  name: NAME,
  summary: 'Show any PKI file: certificates, request, CRL, .p7b, .pfx, private or public key.',
  usage: ['show FILE [--password P | --password-file F] [--format text|json]'],
  description:
    "Identifies the file by its content, whatever its name: PEM with any label and any number of blocks, Base64 without armour (as certsrv serves it), or DER. Certificates are shown as by `cert show` (a signature is checked with the issuer when the issuer is in the same file), requests as by `csr show`, CRLs as by `crl show`, keys as by `key show`. A .p7b prints its form and counts, then each certificate and CRL. A .pfx needs its password (at a terminal certlab asks for it; --password '' for an empty one): it prints the friendly name, the integrity MAC, every bag with its encryption and iteration count, the number of private keys and each with its certificate, whether the key matches the leaf certificate, then the key and each certificate (the leaf first). A file that is none of these is exit 2 with what it looks like. FILE may be - for stdin.",
  options: [
    {
      name: 'password',
      type: 'string',
      value: 'P',
      help: 'Password of a .pfx file or of an encrypted key (visible to other local users: prefer --password-file).',
    },
    PASSWORD_FILE_OPTION,
    FORMAT_OPTION,
  ],
  positionals: { names: ['FILE'], min: 1 },
  examples: [
    'show certnew.p7b',
    'show exch01.pfx --password-file pass.txt',
    'show Contoso-Issuing-CA.crl --format json',
    'show bundle.pem',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const path = args.positionals[0]!;
    // A .pfx may have an empty password (RFC 7292 B.1; Windows and OpenSSL write them).
    const password = await passwordOption(ctx, args, NAME, 'password', { allowEmpty: true });
    const input = await readPkiInput(ctx, path, { password });
    const pool = certificatesOf(input);
    const out = new TextOut();
    const objects: Json[] = [];
    const single = input.items.length === 1 && !['pkcs7', 'pkcs12'].includes(input.items[0]!.kind);
    const counters = { certificate: 0, csr: 0, crl: 0 };
    const title = (kind: keyof typeof counters, label: string) =>
      single ? undefined : `${label} ${counters[kind]++}`;

    const showCertificate = async (cert: Certificate) => {
      const r = await certificateReport(cert, certIssuerKey(cert, pool), {
        unknownIssuer: NOT_IN_FILE('cert'),
      });
      out.section(title('certificate', 'Certificate'), r.text);
      return r.json;
    };
    const showCrl = async (crl: Crl) => {
      const r = await crlReport(crl, issuerKeyIn(crl, safeAki(crl), pool), {
        unknownIssuer: NOT_IN_FILE('crl'),
      });
      out.section(title('crl', 'CRL'), r.text);
      return r.json;
    };

    for (const item of input.items) objects.push(await showItem(item));

    async function showItem(item: PkiItem): Promise<Json> {
      switch (item.kind) {
        case 'certificate':
          return { kind: item.kind, certificate: await showCertificate(item.certificate) };
        case 'csr': {
          const r = await csrReport(item.request);
          out.section(title('csr', 'Request'), r.text);
          return { kind: item.kind, request: r.json };
        }
        case 'crl':
          return { kind: item.kind, crl: await showCrl(item.crl) };
        case 'pkcs7': {
          const signed = signedRequestOf(item.pkcs7);
          const h = pkcs7Header(item.pkcs7, { signerChecked: signed !== undefined });
          out.section(undefined, h.text);
          let signedRequest: Json = null;
          if (signed) {
            // A renewal or CMC request (certsrv §5.1): the CMS signature and the request inside.
            const valid = await signed.verify();
            const signer = signed.signerCertificate;
            out.section('Signed Request', [
              `Format: ${signed.format === 'pkcs7' ? 'PKCS #7 renewal request' : 'CMC Full PKI Request (RFC 5272)'}`,
              `Signer: ${signer ? `${signer.subject.toString()} (serial ${signer.serialNumber})` : signed.format === 'cmc' ? "the request's own key" : 'no certificate in the message'}`,
              `CMS Signature: ${valid ? 'valid' : 'does NOT verify'}`,
            ]);
            const r = await csrReport(signed.request);
            out.section(title('csr', 'Request'), r.text);
            signedRequest = {
              format: signed.format,
              signer: signer ? signer.subject.toString() : null,
              signerSerialNumber: signer ? signer.serialNumber : null,
              signatureValid: valid,
              request: r.json,
            };
          }
          const certificates: Json[] = [];
          for (const c of item.pkcs7.certificates) certificates.push(await showCertificate(c));
          const crls: Json[] = [];
          for (const c of item.pkcs7.crls) crls.push(await showCrl(c));
          return { kind: item.kind, pkcs7: { ...h.json, signedRequest, certificates, crls } };
        }
        case 'pkcs12': {
          const c = item.contents;
          const h = pkcs12Header(c);
          out.section(undefined, h.text);
          let key: Json = null;
          if (c.key) {
            const shrouded = c.bags.some((b) => b.type === 'shrouded-key');
            const r = await keyReport(c.key.publicKey, {
              kind: 'private',
              container: shrouded
                ? 'PKCS#12 shrouded key bag (encrypted PKCS#8)'
                : 'PKCS#12 key bag (PKCS#8)',
              encrypted: shrouded,
            });
            out.section('Private Key', r.text);
            key = { ...(r.json as { [k: string]: Json }), matchesCertificate: keyMatchesLeaf(c) };
          }
          const certificate = c.certificate ? await showCertificate(c.certificate) : null;
          const chain: Json[] = [];
          for (const x of c.chain) chain.push(await showCertificate(x));
          return { kind: item.kind, pkcs12: { ...h.json, key, certificate, chain } };
        }
        case 'private-key': {
          // Keys are always imported by `show` (an encrypted one needs its password).
          const r = await keyReport(item.key!.publicKey, {
            kind: 'private',
            container: keyContainerName('private', item.keyFormat),
            label: item.label,
            encrypted: item.encrypted,
          });
          out.section(single ? undefined : 'Private Key', r.text);
          return { kind: item.kind, key: r.json };
        }
        case 'public-key': {
          const r = await keyReport(item.key, {
            kind: 'public',
            container: keyContainerName('public', item.keyFormat),
            label: item.label,
            encrypted: false,
          });
          out.section(single ? undefined : 'Public Key', r.text);
          return { kind: item.kind, key: r.json };
        }
      }
    }

    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        kind: input.kind,
        encoding: input.encoding,
        objects,
        skippedPemBlocks: [...input.skippedLabels],
      });
    } else {
      if (input.skippedLabels.length)
        out.section(undefined, [`Skipped PEM blocks: ${input.skippedLabels.join(', ')}`]);
      writeLines(ctx.io.stdout, out.lines);
    }
    return EXIT.ok;
  },
};

function safeAki(crl: Crl): Uint8Array | undefined {
  try {
    return crl.authorityKeyIdentifier?.keyIdentifier;
  } catch {
    return undefined;
  }
}
