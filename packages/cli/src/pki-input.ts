// Reading any PKI file the user hands us, for `show` and `convert`: the library detects what
// the file holds (PEM with any labels, Base64, DER), then each object is parsed here so that a
// PEM bundle (certificate + key + CRL…) is read whole, in file order. PKCS#12 files and
// encrypted keys need a password: from the options, else asked at a terminal, else exit 2.

import {
  type Certificate,
  type CertificationRequest,
  type Crl,
  type DetectedFile,
  type DetectedObject,
  detectFormat,
  encodeBase64,
  importPublicKey,
  type KeyFormat,
  type Pkcs7,
  type Pkcs12Contents,
  type PkiEncoding,
  PkiError,
  type PkiObjectKind,
  type PrivateKey,
  type PublicKey,
  parseCertificate,
  parseCrl,
  parseCsr,
  parsePkcs7,
  readCertificates,
  readPkcs7Certificates,
  readPkcs12,
} from '@certlab/pki';
import type { SerializedStore } from '@certlab/store-sim';
import { CliError, EXIT } from './cli-error.js';
import type { CommandContext } from './command.js';
import { readInput, STDIO } from './files.js';
import { privateKeyFromBytes } from './load-key.js';
import { promptPassword } from './password.js';

/** One object of a file, parsed. */
export type PkiItem =
  | { readonly kind: 'certificate'; readonly certificate: Certificate }
  | { readonly kind: 'csr'; readonly request: CertificationRequest }
  | { readonly kind: 'crl'; readonly crl: Crl }
  | { readonly kind: 'pkcs7'; readonly pkcs7: Pkcs7 }
  | { readonly kind: 'pkcs12'; readonly contents: Pkcs12Contents }
  | {
      readonly kind: 'private-key';
      readonly keyFormat: KeyFormat;
      readonly encrypted: boolean;
      readonly label: string | undefined;
      /** Absent when the caller asked not to import keys. */
      readonly key: PrivateKey | undefined;
    }
  | {
      readonly kind: 'public-key';
      readonly keyFormat: KeyFormat;
      readonly label: string | undefined;
      readonly key: PublicKey;
    };

/** A whole file, parsed. */
export interface PkiInput {
  readonly path: string;
  /** The kind of the first object. */
  readonly kind: PkiObjectKind;
  readonly encoding: PkiEncoding;
  readonly items: readonly PkiItem[];
  /** PEM blocks that carry nothing to read (EC PARAMETERS…). */
  readonly skippedLabels: readonly string[];
}

/** How {@link readPkiInput} treats passwords and keys. */
export interface PkiInputOptions {
  /** Opens a PKCS#12 file and decrypts encrypted keys. */
  readonly password?: string | undefined;
  /** Options that give the password, named in the message when it is missing. */
  readonly passwordOptions?: string;
  /** Import private keys (default true); when false, keys are detected only and never need a password. */
  readonly importKeys?: boolean;
  /** Parse only objects of these kinds; the others are left out of `items` (no password is asked for them). */
  readonly only?: readonly PkiObjectKind[];
}

const DEFAULT_PASSWORD_OPTIONS = '--password-file F or --password P';

/**
 * The certificates of a file given where certificates are expected: PEM (several blocks), DER,
 * bare Base64, or a `.p7b` in any of the forms it comes in, including certsrv's (and `certlab
 * ca cert --chain`'s) Base64 PKCS #7 under a CERTIFICATE label, which only its content tells
 * apart. Errors are the library's (explainInput words them for the user).
 *
 * @example
 * ```ts
 * const chain = readCertificateList(await readFile('certnew.p7b')); // leaf, issuing CA, root
 * ```
 */
export function readCertificateList(bytes: Uint8Array): Certificate[] {
  let d: DetectedFile | undefined;
  try {
    d = detectFormat(bytes);
  } catch {
    // readCertificates below says what is wrong, in the words the commands already use.
  }
  // What was detected is parsed from there, not decoded a second time.
  if (d?.objects.every((o) => o.kind === 'pkcs7' || o.kind === 'certificate'))
    return d.objects.flatMap((o) =>
      o.kind === 'pkcs7' ? readPkcs7Certificates(o.der) : [parseCertificate(o.der)],
    );
  return readCertificates(bytes);
}

/** The file's name in messages: `stdin` for `-`. */
export function displayPath(path: string): string {
  return path === STDIO ? 'stdin' : path;
}

/**
 * Detects the kind of a file, with the file's name in front of the library's message when it
 * cannot be identified (`garbage.bin: This is binary data but not DER: …`).
 *
 * @example
 * ```ts
 * const d = detectFile(bytes, 'certnew.p7b'); // d.kind === 'pkcs7'
 * ```
 */
export function detectFile(bytes: Uint8Array, path: string): DetectedFile {
  try {
    return detectFormat(bytes);
  } catch (e) {
    if (e instanceof PkiError) throw new PkiError(e.code, `${displayPath(path)}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Runs `fn`, naming the file (and the object, when the file holds several of its kind) in a library error. */
function numbered<R>(path: string, what: string, index: number, count: number, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    // The file's name first, as for a file that cannot be identified (detectFile).
    if (e instanceof PkiError)
      throw new PkiError(
        e.code,
        `${displayPath(path)}: ${count > 1 ? `${what} ${index + 1} of ${count}: ` : ''}${e.message}`,
        { cause: e },
      );
    throw e;
  }
}

/** The PEM text of a key with RFC 1421 headers (OpenSSL's legacy encryption), for importPrivateKey to explain. */
function legacyPem(o: DetectedObject): Uint8Array {
  const headers = Object.entries(o.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  const b64 = encodeBase64(o.der).replace(/.{64}/g, '$&\n');
  return new TextEncoder().encode(
    `-----BEGIN ${o.label}-----\n${headers}\n${b64}\n-----END ${o.label}-----\n`,
  );
}

/**
 * The password of a PKCS#12 file: the one given, else typed at the terminal (an empty answer is
 * the empty password, which Windows and OpenSSL allow), else exit 2 naming the options.
 *
 * @example
 * ```ts
 * const password = await pfxPassword(ctx, 'exch01.pfx', given, '--password-file F or --password P');
 * ```
 */
export async function pfxPassword(
  ctx: CommandContext,
  path: string,
  given: string | undefined,
  passwordOptions = DEFAULT_PASSWORD_OPTIONS,
): Promise<string> {
  if (given !== undefined) return given;
  const typed = await promptPassword(ctx, `Password for ${displayPath(path)}: `);
  if (typed === undefined)
    throw new CliError(
      EXIT.usage,
      `${displayPath(path)} is a PKCS#12 (.pfx) file, which needs its password: give it with ${passwordOptions}.`,
    );
  return typed;
}

/**
 * Reads a file and parses every object in it, in file order.
 *
 * @example
 * ```ts
 * const input = await readPkiInput(ctx, 'exch01.pfx', { password });
 * for (const item of input.items) if (item.kind === 'pkcs12') console.log(item.contents.friendlyName);
 * ```
 */
export async function readPkiInput(
  ctx: CommandContext,
  path: string,
  options: PkiInputOptions = {},
): Promise<PkiInput> {
  const bytes = await readInput(ctx.io, path);
  return parsePkiInput(ctx, bytes, path, options);
}

/**
 * Parses file bytes already read from `path` (see {@link readPkiInput}).
 *
 * @example
 * ```ts
 * const input = await parsePkiInput(ctx, bytes, 'bundle.pem', { importKeys: false });
 * ```
 */
export async function parsePkiInput(
  ctx: CommandContext,
  bytes: Uint8Array,
  path: string,
  options: PkiInputOptions = {},
): Promise<PkiInput> {
  // A Microsoft serialized store (.sst) is read by the store package: its certificates and CRLs.
  // It starts with a version DWORD of 0 ([MS-OSHARED] 2.3.9.1), a NUL byte that DER and ASCII
  // text do not start with: only such a file loads the package, which other inputs do not need.
  const ss = bytes[0] === 0 ? await import('@certlab/store-sim') : undefined;
  if (ss?.isSerializedStore(bytes)) {
    let sst: SerializedStore;
    try {
      sst = ss.decodeSerializedStore(bytes);
    } catch (e) {
      if (ss.isStoreError(e))
        throw new CliError(EXIT.usage, `${displayPath(path)}: ${e.message} [${e.code}]`);
      throw e;
    }
    if (sst.certificates.length === 0 && sst.crls.length === 0)
      throw new CliError(
        EXIT.usage,
        `${displayPath(path)}: the serialized certificate store (.sst) holds no certificate and no CRL.`,
      );
    const items: PkiItem[] = [
      ...sst.certificates.map((c) => ({ kind: 'certificate' as const, certificate: c.certificate })),
      ...sst.crls.map((crl) => ({ kind: 'crl' as const, crl })),
    ].filter((i) => !options.only || options.only.includes(i.kind));
    return { path, kind: items[0]?.kind ?? 'certificate', encoding: 'der', items, skippedLabels: [] };
  }
  const d = detectFile(bytes, path);
  const passwordOptions = options.passwordOptions ?? DEFAULT_PASSWORD_OPTIONS;
  const count = (kind: PkiObjectKind) => d.objects.filter((o) => o.kind === kind).length;
  const seen = new Map<PkiObjectKind, number>();
  const items: PkiItem[] = [];
  for (const o of d.objects) {
    if (options.only && !options.only.includes(o.kind)) continue;
    const i = seen.get(o.kind) ?? 0;
    seen.set(o.kind, i + 1);
    const n = count(o.kind);
    switch (o.kind) {
      case 'certificate':
        items.push({
          kind: 'certificate',
          certificate: numbered(path, 'Certificate', i, n, () => parseCertificate(o.der)),
        });
        break;
      case 'csr':
        items.push({ kind: 'csr', request: numbered(path, 'Request', i, n, () => parseCsr(o.der)) });
        break;
      case 'crl':
        items.push({ kind: 'crl', crl: numbered(path, 'CRL', i, n, () => parseCrl(o.der)) });
        break;
      case 'pkcs7':
        items.push({ kind: 'pkcs7', pkcs7: numbered(path, 'PKCS #7', i, n, () => parsePkcs7(o.der)) });
        break;
      case 'pkcs12': {
        // A .pfx written without a password (or with an empty one: -keypbe NONE -nomac, Windows
        // "no password") opens without asking, as store import and Windows' wizard open it. The
        // try is cheap: at most 10,000 iterations, else the password is asked for as before.
        const open =
          options.password === undefined
            ? await readPkcs12(o.der, '', { maxIterations: 10_000, skipUnsupportedKeys: true }).catch(
                () => undefined,
              )
            : undefined;
        // A key certlab cannot import (RSA-PSS, DSA…) does not hide the rest of the file: its bag
        // says why, and the certificates are there to show or convert.
        const contents =
          open ??
          (await readPkcs12(o.der, await pfxPassword(ctx, path, options.password, passwordOptions), {
            skipUnsupportedKeys: true,
          }));
        items.push({ kind: 'pkcs12', contents });
        break;
      }
      case 'private-key': {
        const source = o.headers ? legacyPem(o) : o.der;
        const key =
          options.importKeys === false
            ? undefined
            : await privateKeyFromBytes(ctx, source, displayPath(path), options.password, passwordOptions);
        items.push({
          kind: 'private-key',
          keyFormat: o.keyFormat ?? 'pkcs8',
          encrypted: o.encrypted === true,
          label: o.label,
          key,
        });
        break;
      }
      case 'public-key':
        items.push({
          kind: 'public-key',
          keyFormat: o.keyFormat ?? 'spki',
          label: o.label,
          key: await importPublicKey(o.der),
        });
        break;
    }
  }
  return { path, kind: d.kind, encoding: d.encoding, items, skippedLabels: d.skippedLabels };
}

const KIND_NAMES: Record<PkiObjectKind, string> = {
  certificate: 'a certificate',
  csr: 'a certificate request',
  crl: 'a CRL',
  pkcs7: 'a PKCS #7 (.p7b)',
  pkcs12: 'a PKCS#12 (.pfx) file',
  'private-key': 'a private key',
  'public-key': 'a public key',
};

/** `a certificate`, `a PKCS#12 (.pfx) file`…, for messages. @example `kindName('crl')` // 'a CRL' */
export function kindName(kind: PkiObjectKind): string {
  return KIND_NAMES[kind];
}

/**
 * The error to report when a command that reads one kind of file (`cert show`, `csr show`, a
 * `--key`…) could not parse `bytes`: when the file is another kind of PKI file, that is what the
 * user needs to hear (a `.pfx` given to `cert show` otherwise reads "Expected DER tag 0x30 but
 * found 0x02"); when it is no PKI file at all, what it looks like (empty, binary but not DER…);
 * otherwise the library's error, with the file's name in front. Errors that are not the library's
 * are returned as they are.
 *
 * @example
 * ```ts
 * try { parseCsr(requestDer(bytes)); } catch (e) { throw explainInput(e, bytes, path, ['csr']); }
 * // PkiError: "web01.pfx is a PKCS#12 (.pfx) file, not a certificate request: 'certlab show web01.pfx' shows what it holds."
 * ```
 */
export function explainInput(
  e: unknown,
  bytes: Uint8Array,
  path: string,
  expected: readonly [PkiObjectKind, ...PkiObjectKind[]],
): unknown {
  if (!(e instanceof PkiError)) return e;
  const name = displayPath(path);
  let kind: PkiObjectKind;
  try {
    kind = detectFormat(bytes).kind;
  } catch (d) {
    if (d instanceof PkiError) return new PkiError(d.code, `${name}: ${d.message}`, { cause: e });
    return e;
  }
  if (!expected.includes(kind))
    return new PkiError(
      e.code,
      `${name} is ${kindName(kind)}, not ${kindName(expected[0])}: 'certlab show ${name}' shows what it holds.`,
      { cause: e },
    );
  return e.message.startsWith(`${name}`) ? e : new PkiError(e.code, `${name}: ${e.message}`, { cause: e });
}

/**
 * Every certificate of a parsed file, in order: certificates, those of a PKCS #7, and the
 * leaf then the chain of a PKCS#12.
 *
 * @example
 * ```ts
 * const certs = certificatesOf(await readPkiInput(ctx, 'chain.p7b', { importKeys: false }));
 * ```
 */
export function certificatesOf(input: PkiInput): Certificate[] {
  return input.items.flatMap((item) => {
    switch (item.kind) {
      case 'certificate':
        return [item.certificate];
      case 'pkcs7':
        return item.pkcs7.certificates;
      case 'pkcs12':
        return [...(item.contents.certificate ? [item.contents.certificate] : []), ...item.contents.chain];
      default:
        return [];
    }
  });
}

/**
 * Every CRL of a parsed file, in order: CRLs and those of a PKCS #7.
 *
 * @example
 * ```ts
 * const crls = crlsOf(await readPkiInput(ctx, 'Contoso.crl'));
 * ```
 */
export function crlsOf(input: PkiInput): Crl[] {
  return input.items.flatMap((item) =>
    item.kind === 'crl' ? [item.crl] : item.kind === 'pkcs7' ? item.pkcs7.crls : [],
  );
}
