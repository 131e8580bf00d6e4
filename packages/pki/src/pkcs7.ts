// PKCS #7 / CMS SignedData as a certificate container (RFC 5652 §5, RFC 2315 §9): the
// "certs-only" degenerate form of .p7b files (no signers, no content) that `openssl crl2pkcs7`
// writes and AD CS serves as certnew.p7b, and the certificates and CRLs of any SignedData.
//
// Writing is a straight concatenation of the certificates' DER under precomputed headers.
// Certificates are written in the order given by default, as OpenSSL does: RFC 5652 §5.1 gives
// the set no meaning and requires DER only for signed attributes, and naive consumers (SCEP
// clients, some importers) expect the leaf first. `order: 'der'` sorts them as DER's SET OF
// requires (X.690 §11.6), as Windows, .NET and pyca/cryptography write them. Reading accepts
// any order, and BER (indefinite lengths, as streaming encoders write) through a bounded
// normaliser.

import { type Certificate, parseCertificate } from './certificate.js';
import { type Crl, parseCrl } from './crl.js';
import { PkiError } from './errors.js';
import { berToDer } from './internal/ber.js';
import { fromLatin1 } from './internal/bytes.js';
import {
  Cursor,
  contentOf,
  oid as encOid,
  encodingOf,
  readOid,
  readSmallInt,
  readWhole,
  T,
  type Tlv,
} from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { decodeBase64, decodePem, encodePem, isPem } from './pem.js';

const P7_ERR = 'ERR_PKI_PKCS7_INVALID' as const;

function bad(msg: string): never {
  throw new PkiError(P7_ERR, msg);
}

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

const CONTENT_TYPES: Record<string, string> = {
  [OID_DATA]: 'data',
  [OID_SIGNED_DATA]: 'signedData',
  '1.2.840.113549.1.7.3': 'envelopedData',
  '1.2.840.113549.1.7.4': 'signedAndEnvelopedData',
  '1.2.840.113549.1.7.5': 'digestedData',
  '1.2.840.113549.1.7.6': 'encryptedData',
  '1.2.840.113549.1.9.16.1.2': 'authenticatedData',
  '1.2.840.113549.1.9.16.1.9': 'compressedData',
  '1.2.840.113549.1.9.16.1.23': 'authEnvelopedData',
};

/** PEM labels that carry a ContentInfo: RFC 7468 §8 (PKCS7, CMS), OpenSSL's old one, and certsrv's. */
const PKCS7_LABELS = new Set(['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA']);

// --- writing ----------------------------------------------------------------------------------

function headerLength(len: number): number {
  return len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : len < 0x1000000 ? 5 : 6;
}

function writeHeader(out: Uint8Array, pos: number, id: number, len: number): number {
  out[pos++] = id;
  if (len < 0x80) out[pos++] = len;
  else {
    const n = headerLength(len) - 2;
    out[pos++] = 0x80 | n;
    for (let i = n - 1; i >= 0; i--) out[pos++] = Math.floor(len / 256 ** i) & 0xff;
  }
  return pos;
}

const CONTENT_TYPE_SIGNED = encOid(OID_SIGNED_DATA);
// version 1 (RFC 5652 §5.1: no attribute certificates, no signers), digestAlgorithms SET {},
// encapContentInfo { id-data } without eContent.
const SIGNED_PREFIX = Uint8Array.of(0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, ...encOid(OID_DATA));
const SIGNER_INFOS_EMPTY = Uint8Array.of(0x31, 0x00);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkedDer(x: Certificate | Crl | Uint8Array, what: string): Uint8Array {
  if (x instanceof Uint8Array) {
    // One SEQUENCE spanning the bytes: a cheap header check, not a parse.
    guard(P7_ERR, what, () => readWhole(x, T.SEQUENCE));
    return x;
  }
  if (x && typeof x === 'object' && (x as { der?: unknown }).der instanceof Uint8Array)
    return (x as { der: Uint8Array }).der;
  throw misuse(`${what} must be a Certificate, a Crl or DER bytes (Uint8Array).`);
}

/**
 * Options of {@link createCertsOnlyPkcs7}.
 *
 * @example
 * ```ts
 * const options: CertsOnlyPkcs7Options = { crls: [crl], order: 'der' };
 * ```
 */
export interface CertsOnlyPkcs7Options {
  /** CRLs to include (RFC 5652 §10.2.1 `crls [1]`), as parsed CRLs or DER. */
  crls?: readonly (Crl | Uint8Array)[];
  /**
   * 'given' (default): certificates and CRLs in the order passed, as `openssl crl2pkcs7` writes.
   * 'der': sorted as DER's SET OF requires (X.690 §11.6), as Windows and .NET write.
   */
  order?: 'given' | 'der';
}

/**
 * Builds a degenerate "certs-only" SignedData (RFC 5652 §5; .p7b): version 1, no digest
 * algorithms, id-data content type without content, the certificates (and CRLs), no signers.
 * With the default order the output is byte for byte what `openssl crl2pkcs7 -nocrl -certfile`
 * writes for the same certificates.
 *
 * @example
 * ```ts
 * const p7b = createCertsOnlyPkcs7([leaf, issuingCa, root]);
 * await writeFile('chain.p7b', p7b);
 * await writeFile('certnew.p7b', encodePkcs7Pem(p7b, { label: 'CERTIFICATE', eol: '\r\n' }));
 * ```
 */
export function createCertsOnlyPkcs7(
  certs: readonly (Certificate | Uint8Array)[],
  options: CertsOnlyPkcs7Options = {},
): Uint8Array {
  if (!Array.isArray(certs)) throw misuse('createCertsOnlyPkcs7() needs an array of certificates.');
  const order = options.order ?? 'given';
  if (order !== 'given' && order !== 'der') throw misuse("order must be 'given' or 'der'.");
  let certDers = certs.map((c, i) => checkedDer(c, `Certificate ${i + 1}`));
  let crlDers = (options.crls ?? []).map((c, i) => checkedDer(c, `CRL ${i + 1}`));
  if (order === 'der') {
    certDers = [...certDers].sort(compareBytes);
    crlDers = [...crlDers].sort(compareBytes);
  }
  let certsLen = 0;
  for (const c of certDers) certsLen += c.length;
  let crlsLen = 0;
  for (const c of crlDers) crlsLen += c.length;
  // OPTIONAL fields are omitted when empty, as OpenSSL does.
  const certsField = certDers.length ? headerLength(certsLen) + certsLen : 0;
  const crlsField = crlDers.length ? headerLength(crlsLen) + crlsLen : 0;
  const sdLen = SIGNED_PREFIX.length + certsField + crlsField + SIGNER_INFOS_EMPTY.length;
  const explicitLen = headerLength(sdLen) + sdLen;
  const ciLen = CONTENT_TYPE_SIGNED.length + headerLength(explicitLen) + explicitLen;
  const out = new Uint8Array(headerLength(ciLen) + ciLen);
  let p = writeHeader(out, 0, T.SEQUENCE, ciLen);
  out.set(CONTENT_TYPE_SIGNED, p);
  p += CONTENT_TYPE_SIGNED.length;
  p = writeHeader(out, p, 0xa0, explicitLen);
  p = writeHeader(out, p, T.SEQUENCE, sdLen);
  out.set(SIGNED_PREFIX, p);
  p += SIGNED_PREFIX.length;
  if (certDers.length) {
    p = writeHeader(out, p, 0xa0, certsLen);
    for (const c of certDers) {
      out.set(c, p);
      p += c.length;
    }
  }
  if (crlDers.length) {
    p = writeHeader(out, p, 0xa1, crlsLen);
    for (const c of crlDers) {
      out.set(c, p);
      p += c.length;
    }
  }
  out.set(SIGNER_INFOS_EMPTY, p);
  return out;
}

/**
 * PEM for a PKCS #7: label `PKCS7` (RFC 7468 §8) by default. certsrv serves certnew.p7b as
 * Base64 under the `CERTIFICATE` label with CRLF line ends: pass `{ label: 'CERTIFICATE',
 * eol: '\r\n' }` to produce the same.
 *
 * @example
 * ```ts
 * encodePkcs7Pem(p7b);                                        // -----BEGIN PKCS7-----
 * encodePkcs7Pem(p7b, { label: 'CERTIFICATE', eol: '\r\n' }); // as certsrv serves it
 * ```
 */
export function encodePkcs7Pem(
  der: Uint8Array,
  options: { label?: string; eol?: '\n' | '\r\n' } = {},
): string {
  if (!(der instanceof Uint8Array)) throw misuse('encodePkcs7Pem() needs the DER bytes.');
  return encodePem(options.label ?? 'PKCS7', der, options.eol ? { eol: options.eol } : {});
}

// --- reading ----------------------------------------------------------------------------------

/**
 * A parsed PKCS #7 / CMS SignedData. Construct with {@link parsePkcs7}.
 *
 * @example
 * ```ts
 * const p7 = parsePkcs7(await readFile('certnew.p7b'));
 * p7.isCertsOnly;                          // true
 * p7.certificates.map((c) => c.subject.toString());
 * ```
 */
export class Pkcs7 {
  /** The DER (after BER normalisation when the input was BER). */
  readonly der: Uint8Array;
  /** CMSVersion of the SignedData (1 for certs-only, RFC 5652 §5.1). */
  readonly version: number;
  /** The encapsulated content type (id-data, 1.2.840.113549.1.7.1, for certs-only). */
  readonly contentType: string;
  readonly #digestAlgorithms: Tlv;
  readonly #eContent: Tlv | undefined;
  readonly #certs: Tlv | undefined;
  readonly #crls: Tlv | undefined;
  readonly #signers: Tlv;
  #certificates: Certificate[] | undefined;
  #crlList: Crl[] | undefined;

  /** @internal use {@link parsePkcs7}. */
  constructor(der: Uint8Array) {
    this.der = der;
    const ci = Cursor.of(readWhole(der, T.SEQUENCE));
    const type = readOid(ci.next(T.OID));
    if (type !== OID_SIGNED_DATA) {
      const name = CONTENT_TYPES[type];
      bad(
        name
          ? `This PKCS #7 / CMS message is ${name} (${type}), not signedData: it carries no certificate list.`
          : `This ContentInfo has the content type ${type}, not signedData (${OID_SIGNED_DATA}).`,
      );
    }
    const wrapper = ci.next(0xa0);
    ci.end('ContentInfo');
    const w = Cursor.of(wrapper);
    const sd = Cursor.of(w.next(T.SEQUENCE));
    w.end('[0] EXPLICIT content');
    this.version = readSmallInt(sd.next(T.INTEGER));
    this.#digestAlgorithms = sd.next(T.SET);
    const eci = Cursor.of(sd.next(T.SEQUENCE));
    this.contentType = readOid(eci.next(T.OID));
    const ec = eci.optional(0xa0);
    eci.end('EncapsulatedContentInfo');
    if (ec) {
      const e = Cursor.of(ec);
      this.#eContent = e.next();
      e.end('eContent');
    }
    this.#certs = sd.optional(0xa0);
    this.#crls = sd.optional(0xa1);
    this.#signers = sd.next(T.SET);
    sd.end('SignedData');
    // Check the choices' headers now so that a bad set fails at parse time, not on first read.
    if (this.#certs) for (const t of this.#choices(this.#certs)) checkCertChoice(t);
    if (this.#crls) for (const t of this.#choices(this.#crls)) checkCrlChoice(t);
    Cursor.of(this.#digestAlgorithms);
  }

  #choices(set: Tlv): Tlv[] {
    const c = Cursor.of(set);
    const out: Tlv[] = [];
    while (!c.done()) out.push(c.next());
    return out;
  }

  /** The digest algorithm OIDs (empty for certs-only). */
  get digestAlgorithms(): string[] {
    return guard(P7_ERR, 'The digestAlgorithms', () =>
      this.#choices(this.#digestAlgorithms).map((t) => readOid(Cursor.of(t, T.SEQUENCE).next(T.OID))),
    );
  }

  /**
   * The encapsulated content: the octets of eContent's OCTET STRING (RFC 5652 §5.2), or the
   * whole inner encoding when PKCS #7 v1.5 content is not an OCTET STRING (RFC 2315 §7).
   * Undefined when absent (certs-only, detached signatures).
   */
  get content(): Uint8Array | undefined {
    const e = this.#eContent;
    if (!e) return undefined;
    return e.id === T.OCTET_STRING ? contentOf(e) : encodingOf(e);
  }

  /** The number of SignerInfos (0 for certs-only). */
  get signerCount(): number {
    return this.#choices(this.#signers).length;
  }

  /** True for the degenerate certs-only form: no signers and no content (RFC 5652 §5.2). */
  get isCertsOnly(): boolean {
    return this.signerCount === 0 && this.#eContent === undefined;
  }

  /** The X.509 certificates in file order. Other CertificateChoices (attribute certificates) are skipped. */
  get certificates(): Certificate[] {
    this.#certificates ??= this.#certs
      ? this.#choices(this.#certs)
          .filter((t) => t.id === T.SEQUENCE)
          .map((t, i) => within(`Certificate ${i + 1} of the PKCS #7`, () => parseCertificate(encodingOf(t))))
      : [];
    return [...this.#certificates];
  }

  /** The DER of each CertificateChoices entry that is not an X.509 certificate (e.g. attribute certificates). */
  get otherCertificates(): Uint8Array[] {
    return this.#certs
      ? this.#choices(this.#certs)
          .filter((t) => t.id !== T.SEQUENCE)
          .map((t) => encodingOf(t))
      : [];
  }

  /** The X.509 CRLs in file order. Other RevocationInfoChoices (RFC 5652 §10.2.1 `other`) are skipped. */
  get crls(): Crl[] {
    this.#crlList ??= this.#crls
      ? this.#choices(this.#crls)
          .filter((t) => t.id === T.SEQUENCE)
          .map((t, i) => within(`CRL ${i + 1} of the PKCS #7`, () => parseCrl(encodingOf(t))))
      : [];
    return [...this.#crlList];
  }

  /** PEM with the PKCS7 label. @example `p7.toPem({ eol: '\r\n' })` */
  toPem(options: { label?: string; eol?: '\n' | '\r\n' } = {}): string {
    return encodePkcs7Pem(this.der, options);
  }
}

function checkCertChoice(t: Tlv): void {
  // RFC 5652 §10.2.2 CertificateChoices: Certificate, or [0]..[3] IMPLICIT alternatives.
  if (t.id !== T.SEQUENCE && (t.id < 0xa0 || t.id > 0xa3))
    bad(
      `The certificates set holds an element with tag 0x${t.id.toString(16)}, which is no CertificateChoices.`,
    );
}

function checkCrlChoice(t: Tlv): void {
  // RFC 5652 §10.2.1 RevocationInfoChoice: CertificateList, or [1] IMPLICIT OtherRevocationInfoFormat.
  if (t.id !== T.SEQUENCE && t.id !== 0xa1)
    bad(`The crls set holds an element with tag 0x${t.id.toString(16)}, which is no RevocationInfoChoice.`);
}

function within<R>(what: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PkiError) throw new PkiError(e.code, `${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

function looksLikeContentInfo(b: Uint8Array): boolean {
  // SEQUENCE (any length form) whose first element is the OID 1.2.840.113549.1.7.x.
  if (b[0] !== 0x30 || b.length < 16) return false;
  const l = b[1]!;
  const p = l < 0x80 ? 2 : l === 0x80 ? 2 : 2 + (l & 0x7f);
  return (
    b[p] === 0x06 &&
    b[p + 1] === 0x09 &&
    b[p + 2] === 0x2a &&
    b[p + 3] === 0x86 &&
    b[p + 4] === 0x48 &&
    b[p + 5] === 0x86 &&
    b[p + 6] === 0xf7 &&
    b[p + 7] === 0x0d &&
    b[p + 8] === 0x01 &&
    b[p + 9] === 0x07
  );
}

/** DER or BER bytes of a PKCS #7 from DER/BER bytes, PEM text (PKCS7, CMS or certsrv's CERTIFICATE label) or Base64. */
function pkcs7Bytes(input: Uint8Array | string): Uint8Array {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (!(input instanceof Uint8Array)) throw misuse('Expected DER bytes (Uint8Array) or PEM text.');
  else if (input.length > 0 && input[0] !== 0x30) text = fromLatin1(input);
  if (text === undefined) return input as Uint8Array;
  if (isPem(text)) {
    const blocks = decodePem(text);
    const block =
      blocks.find((b) => PKCS7_LABELS.has(b.label)) ?? blocks.find((b) => looksLikeContentInfo(b.bytes));
    if (!block)
      bad(
        `The PEM text has no PKCS7 block (found: ${blocks.map((b) => b.label).join(', ')}); a .p7b is "-----BEGIN PKCS7-----".`,
      );
    return block.bytes;
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) bad('The input is empty.');
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(trimmed)) bad('The input is neither DER, PEM, nor Base64 text.');
  return decodeBase64(trimmed);
}

/** Parses with the strict reader; on a DER error, retries once on the BER-normalised bytes. */
function parseDerOrBer(bytes: Uint8Array): Pkcs7 {
  try {
    return guard(P7_ERR, 'The PKCS #7', () => new Pkcs7(bytes));
  } catch (e) {
    if (!(e instanceof PkiError) || !e.code.startsWith('ERR_PKI_DER_')) throw e;
    let der: Uint8Array;
    try {
      der = guard(P7_ERR, 'The PKCS #7', () => berToDer(bytes));
    } catch (be) {
      if (be instanceof PkiError && be.code === 'ERR_PKI_DER_TOO_DEEP') throw be;
      throw e;
    }
    if (der === bytes) throw e;
    return guard(P7_ERR, 'The PKCS #7', () => new Pkcs7(der));
  }
}

/**
 * Parses a PKCS #7 / CMS SignedData (certs-only or signed) from DER, BER (indefinite lengths,
 * as streaming encoders write), PEM (`PKCS7`, `CMS`, or certsrv's `CERTIFICATE` label) or
 * Base64. Malformed input throws a PkiError (ERR_PKI_PKCS7_INVALID or an ERR_PKI_DER_* code).
 *
 * @example
 * ```ts
 * const p7 = parsePkcs7(await readFile('certnew.p7b'));
 * const [first] = p7.certificates;
 * ```
 */
export function parsePkcs7(input: Uint8Array | string): Pkcs7 {
  return parseDerOrBer(pkcs7Bytes(input));
}

/**
 * The X.509 certificates of any SignedData, in file order (which carries no meaning: sort a
 * chain by issuer, not by position).
 *
 * @example
 * ```ts
 * const certs = readPkcs7Certificates(await readFile('chain.p7b'));
 * ```
 */
export function readPkcs7Certificates(input: Uint8Array | string): Certificate[] {
  return parsePkcs7(input).certificates;
}

/**
 * The X.509 CRLs of any SignedData, in file order.
 *
 * @example
 * ```ts
 * const crls = readPkcs7Crls(await readFile('bundle.p7b'));
 * ```
 */
export function readPkcs7Crls(input: Uint8Array | string): Crl[] {
  return parsePkcs7(input).crls;
}
