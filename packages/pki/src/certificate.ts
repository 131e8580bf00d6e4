// X.509 v3 certificates (RFC 5280 §4.1): a lazy parser over the DER, and a builder that signs.
// Parsing touches only the top-level TLV headers; names, extensions and the key are decoded
// on first access and cached. That keeps 100k parsed certificates small (the DER plus a few
// offsets) and makes "read subject and SAN" cost only what it reads.

import {
  type HashName,
  hashDigest,
  parseSignatureAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithmFor,
  signData,
  verifySignature,
} from './algorithms.js';
import { PkiError } from './errors.js';
import {
  type AuthorityKeyIdentifier,
  authorityKeyIdentifier as akiExtension,
  type BasicConstraints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeKeyUsage,
  decodeSubjectKeyIdentifier,
  type Extension,
  encodeExtensions,
  type KeyUsageFlag,
  readExplicitExtensions,
  subjectKeyIdentifier as skiExtension,
} from './extensions.js';
import type { GeneralName } from './general-names.js';
import { equalBytes, toHex } from './internal/bytes.js';
import {
  bigIntFromTwosComplement,
  bitString,
  Cursor,
  contentOf,
  encodingOf,
  explicit,
  int,
  leadingTlv,
  readBitString,
  readOid,
  readSmallInt,
  readWhole,
  seq,
  T,
  type Tlv,
  tlv,
} from './internal/der.js';
import { guard } from './internal/guard.js';
import { sha1, sha256 } from './internal/sha.js';
import { readTime, writeTime } from './internal/time.js';
import { PrivateKey, PublicKey } from './keys.js';
import { Name } from './names.js';
import { OID } from './oids.js';
import { decodePem, encodePem, readDerOrPem } from './pem.js';
import { randomSerialNumber, serialToBytes } from './serial.js';

const CERT_ERR = 'ERR_PKI_CERT_INVALID' as const;

// Field indexes into Certificate's offset table.
const F_TBS = 0;
const F_SIG_ALG = 1;
const F_SIG_VALUE = 2;
const F_SERIAL = 3;
const F_INNER_SIG_ALG = 4;
const F_ISSUER = 5;
const F_SUBJECT = 6;
const F_SPKI = 7;
const F_ISSUER_UID = 8;
const F_SUBJECT_UID = 9;
const F_EXTENSIONS = 10;
const F_COUNT = 11;

function bad(msg: string): never {
  throw new PkiError(CERT_ERR, msg);
}

interface CertificateCache {
  issuer?: Name;
  subject?: Name;
  publicKey?: PublicKey;
  extensions?: Extension[];
  sigAlg?: SignatureAlgorithm;
  /** The SHA-1 thumbprint (what stores key on): a field, not a Map, for 100k-certificate stores. */
  sha1?: string;
  /** Other thumbprints by hash name. */
  thumbs?: Map<string, string>;
  /** Signature checks by issuer SPKI (hex). */
  verified?: Map<string, Promise<boolean>>;
}

/**
 * A parsed X.509 certificate. Construct with {@link parseCertificate} or {@link createCertificate}.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(der);
 * cert.subject.toWindowsString();     // 'CN=exch01.contoso.com, O=Contoso, C=FR'
 * cert.subjectAltNames;               // [{ type: 'dns', value: 'exch01.contoso.com' }]
 * await cert.thumbprint();            // 'A1B2…' (SHA-1, uppercase, as Windows shows it)
 * ```
 */
export class Certificate {
  /** The complete DER encoding. */
  readonly der: Uint8Array;
  /**
   * Offsets of the fields, three numbers (start, value start, end) per field in the order of
   * the F_* constants; -1 for an absent optional field. One small array instead of a record
   * per field keeps 100k parsed certificates within a few hundred bytes each beyond their DER.
   */
  readonly #p: number[];
  readonly #notBefore: number;
  readonly #notAfter: number;
  readonly version: 1 | 2 | 3;
  #cache: CertificateCache | undefined;

  /** Parses without a coded error on malformed input: prefer {@link parseCertificate}. */
  constructor(der: Uint8Array) {
    this.der = der;
    const p = new Array<number>(F_COUNT * 3).fill(-1);
    const keep = (f: number, t: Tlv | undefined) => {
      if (!t) return t;
      p[f * 3] = t.start;
      p[f * 3 + 1] = t.valueStart;
      p[f * 3 + 2] = t.end;
      return t;
    };
    const top = readWhole(der, T.SEQUENCE);
    const c = Cursor.of(top);
    const tbs = keep(F_TBS, c.next(T.SEQUENCE))!;
    keep(F_SIG_ALG, c.next(T.SEQUENCE));
    const sigValue = keep(F_SIG_VALUE, c.next(T.BIT_STRING))!;
    c.end('Certificate');
    const t = Cursor.of(tbs);
    let version = 1;
    const v = t.optional(0xa0);
    if (v) {
      const vc = Cursor.of(v);
      version = readSmallInt(vc.next(T.INTEGER)) + 1;
      vc.end('version');
      // X.690 DER: a DEFAULT value (v1) must be omitted.
      if (version === 1) bad('The certificate encodes the default version v1 explicitly, which DER forbids.');
      if (version > 3) bad(`The certificate version v${version} is unknown (RFC 5280 knows v1 to v3).`);
    }
    this.version = version as 1 | 2 | 3;
    const serial = keep(F_SERIAL, t.next(T.INTEGER))!;
    if (serial.end === serial.valueStart) bad('The serial number is empty.');
    keep(F_INNER_SIG_ALG, t.next(T.SEQUENCE));
    keep(F_ISSUER, t.next(T.SEQUENCE));
    const validity = t.next(T.SEQUENCE);
    keep(F_SUBJECT, t.next(T.SEQUENCE));
    keep(F_SPKI, t.next(T.SEQUENCE));
    const issuerUid = keep(F_ISSUER_UID, t.optional(0x81));
    const subjectUid = keep(F_SUBJECT_UID, t.optional(0x82));
    const extensions = keep(F_EXTENSIONS, t.optional(0xa3));
    t.end('TBSCertificate');
    if ((issuerUid || subjectUid) && version < 2)
      bad('Unique identifiers need a v2 or v3 certificate (RFC 5280 §4.1.2.8).');
    if (extensions && version !== 3) bad('Extensions need a v3 certificate (RFC 5280 §4.1.2.9).');
    // Validity is cheap to decode and almost always read: check it now.
    const vc = Cursor.of(validity);
    this.#notBefore = readTime(vc.next()).getTime();
    this.#notAfter = readTime(vc.next()).getTime();
    vc.end('Validity');
    readBitString(sigValue);
    this.#p = p;
  }

  /** The TLV of field `f`, or undefined when that optional field is absent. */
  #tlv(f: number): Tlv | undefined {
    const p = this.#p;
    const start = p[f * 3]!;
    if (start < 0) return undefined;
    return {
      bytes: this.der,
      id: this.der[start]!,
      num: this.der[start]! & 0x1f,
      start,
      valueStart: p[f * 3 + 1]!,
      end: p[f * 3 + 2]!,
    };
  }

  #field(f: number): Tlv {
    return this.#tlv(f)!;
  }

  /** Decoded values, created on first use so an unread certificate costs nothing more. */
  get #c(): CertificateCache {
    this.#cache ??= {};
    return this.#cache;
  }

  /** The serial number as uppercase hex of its content octets, as Windows shows it. */
  get serialNumber(): string {
    return toHex(contentOf(this.#field(F_SERIAL)), true);
  }

  /** The serial number as a bigint (negative if the certificate encodes one, against RFC 5280). */
  get serialNumberBigInt(): bigint {
    return bigIntFromTwosComplement(contentOf(this.#field(F_SERIAL)));
  }

  get issuer(): Name {
    this.#c.issuer ??= guard(CERT_ERR, 'The issuer name', () => Name.fromTlv(this.#field(F_ISSUER)));
    return this.#c.issuer;
  }

  /** The DER of the issuer Name, a view into {@link der}: no decoding (e.g. a map key for issuer search). */
  get issuerDer(): Uint8Array {
    return encodingOf(this.#field(F_ISSUER));
  }

  /** The DER of the subject Name, a view into {@link der}: no decoding, nothing cached. */
  get subjectDer(): Uint8Array {
    return encodingOf(this.#field(F_SUBJECT));
  }

  get subject(): Name {
    this.#c.subject ??= guard(CERT_ERR, 'The subject name', () => Name.fromTlv(this.#field(F_SUBJECT)));
    return this.#c.subject;
  }

  get notBefore(): Date {
    return new Date(this.#notBefore);
  }

  get notAfter(): Date {
    return new Date(this.#notAfter);
  }

  /** The DER of the to-be-signed part (what the signature covers). */
  get tbs(): Uint8Array {
    return encodingOf(this.#field(F_TBS));
  }

  /** The signature value (for ECDSA, the DER Ecdsa-Sig-Value). */
  get signature(): Uint8Array {
    return readBitString(this.#field(F_SIG_VALUE)).bytes;
  }

  /** The outer signature algorithm. Throws ERR_PKI_ALGORITHM_UNSUPPORTED for unknown algorithms. */
  get signatureAlgorithm(): SignatureAlgorithm {
    this.#c.sigAlg ??= parseSignatureAlgorithm(encodingOf(this.#field(F_SIG_ALG)));
    return this.#c.sigAlg;
  }

  /** The signature algorithm OID, without requiring certlab to support it. */
  get signatureAlgorithmOid(): string {
    return guard(CERT_ERR, 'The signature algorithm', () => {
      const c = Cursor.of(this.#field(F_SIG_ALG));
      return readOid(c.next(T.OID));
    });
  }

  /** The DER SubjectPublicKeyInfo. */
  get subjectPublicKeyInfo(): Uint8Array {
    return encodingOf(this.#field(F_SPKI));
  }

  /** The subject's public key. Throws ERR_PKI_KEY_UNSUPPORTED for key types certlab does not handle. */
  get publicKey(): PublicKey {
    this.#c.publicKey ??= PublicKey.fromSpki(encodingOf(this.#field(F_SPKI)));
    return this.#c.publicKey;
  }

  get issuerUniqueId(): Uint8Array | undefined {
    const t = this.#tlv(F_ISSUER_UID);
    return t ? contentOf(t) : undefined;
  }

  get subjectUniqueId(): Uint8Array | undefined {
    const t = this.#tlv(F_SUBJECT_UID);
    return t ? contentOf(t) : undefined;
  }

  /** Every extension in certificate order, with its raw value and critical flag. */
  get extensions(): readonly Extension[] {
    const t = this.#tlv(F_EXTENSIONS);
    this.#c.extensions ??= t ? readExplicitExtensions(t, 'extensions field') : [];
    return this.#c.extensions;
  }

  /** The extension with this OID, if present. @example `cert.getExtension(OID.subjectAltName)` */
  getExtension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  get basicConstraints(): BasicConstraints | undefined {
    const e = this.getExtension(OID.basicConstraints);
    return e ? decodeBasicConstraints(e.value) : undefined;
  }

  get keyUsage(): KeyUsageFlag[] | undefined {
    const e = this.getExtension(OID.keyUsage);
    return e ? decodeKeyUsage(e.value) : undefined;
  }

  /** extKeyUsage OIDs, or undefined when the extension is absent (any purpose). */
  get extKeyUsage(): string[] | undefined {
    const e = this.getExtension(OID.extKeyUsage);
    return e ? decodeExtKeyUsage(e.value) : undefined;
  }

  /** subjectAltName entries; empty when absent. */
  get subjectAltNames(): GeneralName[] {
    const e = this.getExtension(OID.subjectAltName);
    return e ? decodeGeneralNames(e.value) : [];
  }

  get subjectKeyIdentifier(): Uint8Array | undefined {
    const e = this.getExtension(OID.subjectKeyIdentifier);
    return e ? decodeSubjectKeyIdentifier(e.value) : undefined;
  }

  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    const e = this.getExtension(OID.authorityKeyIdentifier);
    return e ? decodeAuthorityKeyIdentifier(e.value) : undefined;
  }

  /** True when issuer and subject are the same name (RFC 5280 §6.1: self-issued). */
  get isSelfIssued(): boolean {
    return this.issuer.equals(this.subject);
  }

  /** True when basicConstraints says CA. */
  get isCA(): boolean {
    return this.basicConstraints?.ca === true;
  }

  /**
   * The thumbprint Windows shows: the hash of the whole DER, uppercase hex. SHA-1 by default
   * because Windows identifies certificates by their SHA-1 thumbprint; pass 'SHA-256' for the
   * stronger one.
   *
   * @example
   * ```ts
   * await cert.thumbprint();          // 40 hex digits
   * await cert.thumbprint('SHA-256'); // 64 hex digits
   * ```
   */
  async thumbprint(hash: HashName = 'SHA-1'): Promise<string> {
    // SHA-1 and SHA-256 of a ~1 KB certificate cost microseconds in JS; a WebCrypto digest is a
    // thread-pool round trip, which dominated loading a 100k-certificate store.
    if (hash === 'SHA-1') {
      this.#c.sha1 ??= toHex(sha1.digest(this.der), true);
      return this.#c.sha1;
    }
    this.#c.thumbs ??= new Map();
    let t = this.#c.thumbs.get(hash);
    if (!t) {
      t = toHex(hash === 'SHA-256' ? sha256.digest(this.der) : await hashDigest(hash, this.der), true);
      this.#c.thumbs.set(hash, t);
    }
    return t;
  }

  /**
   * Checks the signature with the issuer's public key (pass nothing for a self-signed
   * certificate). Also checks that the inner and outer algorithm identifiers agree (RFC 5280
   * §4.1.1.2). Returns false for a wrong signature; throws for an unsupported algorithm.
   *
   * @example
   * ```ts
   * await leaf.verifySignature(ca.publicKey); // true
   * ```
   */
  async verifySignature(issuerKey: PublicKey = this.publicKey): Promise<boolean> {
    if (!(issuerKey instanceof PublicKey))
      throw new TypeError("verifySignature needs the issuer's PublicKey (issuerCertificate.publicKey).");
    // The answer depends only on this DER and the key, both immutable: remember it per key, so
    // chain engines that check candidate issuers and then validate the path pay once.
    this.#c.verified ??= new Map();
    const verified = this.#c.verified;
    const id = toHex(issuerKey.spki);
    let result = verified.get(id);
    if (!result) {
      result = this.#verifyUncached(issuerKey);
      verified.set(id, result);
      // A thrown error (unsupported algorithm, crypto failure) is not remembered.
      result.catch(() => verified.delete(id));
    }
    return result;
  }

  async #verifyUncached(issuerKey: PublicKey): Promise<boolean> {
    if (!this.signatureAlgorithmsAgree) return false;
    return verifySignature(issuerKey, this.signatureAlgorithm, this.tbs, this.signature);
  }

  /** True when the TBS signature algorithm equals the outer one, as RFC 5280 §4.1.1.2 requires. */
  get signatureAlgorithmsAgree(): boolean {
    return equalBytes(encodingOf(this.#field(F_SIG_ALG)), encodingOf(this.#field(F_INNER_SIG_ALG)));
  }

  /** PEM text with the CERTIFICATE label. @example `await writeFile('ca.cer', cert.toPem())` */
  toPem(options: { eol?: '\n' | '\r\n' } = {}): string {
    return encodePem('CERTIFICATE', this.der, options);
  }

  /** True when both certificates have the same DER. @example `a.equals(b)` */
  equals(other: Certificate): boolean {
    const a = this.der;
    const b = other.der;
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
}

/**
 * Parses a DER certificate. Structure, version, serial and validity are checked now; names,
 * extensions and the key when first read. Malformed input throws a PkiError (ERR_PKI_CERT_INVALID
 * or an ERR_PKI_DER_* code), never another exception.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(new Uint8Array(await readFile('exch01.cer')));
 * ```
 */
export function parseCertificate(der: Uint8Array): Certificate {
  if (!(der instanceof Uint8Array)) throw new TypeError('parseCertificate expects a Uint8Array of DER');
  return guard(CERT_ERR, 'The certificate', () => new Certificate(der));
}

/**
 * Parses every certificate in a PEM text, or a single DER / Base64 certificate.
 *
 * @example
 * ```ts
 * const [leaf, ...chain] = readCertificates(await readFile('chain.pem', 'utf8'));
 * ```
 */
export function readCertificates(input: Uint8Array | string): Certificate[] {
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw new TypeError('readCertificates expects PEM text (a string) or bytes (a Uint8Array).');
  const text =
    typeof input === 'string'
      ? input
      : input[0] === 0x30
        ? undefined
        : new TextDecoder('latin1').decode(input);
  if (text?.includes('-----BEGIN')) {
    const all = decodePem(text);
    const blocks = all.filter((b) => CERT_LABELS.has(b.label));
    if (blocks.length === 0) {
      const found = [...new Set(all.map((b) => b.label))].join(', ');
      throw new PkiError(
        'ERR_PKI_PEM_INVALID',
        `The PEM text contains no "CERTIFICATE" PEM block (it has: ${found}).`,
      );
    }
    return blocks.map((b) =>
      parseCertificate(b.label === 'TRUSTED CERTIFICATE' ? leadingTlv(b.bytes) : b.bytes),
    );
  }
  return [parseCertificate(readDerOrPem(input, 'CERTIFICATE'))];
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/**
 * What {@link createCertificate} needs.
 *
 * @example
 * ```ts
 * const init: CertificateInit = { subject: 'CN=ex01.contoso.com, O=Contoso, C=FR', publicKey, signingKey: caKey, issuer: caCert, days: 397 };
 * const cert = await createCertificate(init);
 * ```
 */
export interface CertificateInit {
  /** The subject name (a Name or text such as `CN=exch01.contoso.com, O=Contoso, C=FR`). */
  subject: Name | string;
  /** The subject's public key. */
  publicKey: PublicKey;
  /** The key that signs: the issuer's private key, or the subject's own for a self-signed certificate. */
  signingKey: PrivateKey;
  /** The issuer certificate; omit for self-signed. Sets the issuer name and the AKI from its SKI. */
  issuer?: Certificate;
  /** Overrides the issuer name (rarely needed: use `issuer`). */
  issuerName?: Name | string;
  /** Hex, bigint or bytes; default a random 16-octet positive serial. */
  serialNumber?: string | bigint | Uint8Array;
  /** Default: now, truncated to the second. */
  notBefore?: Date;
  /** Default: notBefore plus `days`. */
  notAfter?: Date;
  /** Validity in days when notAfter is not given (default 365). */
  days?: number;
  /** Extensions in order. SKI and AKI are added unless present or disabled. */
  extensions?: readonly Extension[];
  /** Add subjectKeyIdentifier (RFC 5280 §4.2.1.2, method 1). Default true. */
  subjectKeyIdentifier?: boolean;
  /** Add authorityKeyIdentifier (keyIdentifier only, as AD CS does). Default true, except that a self-signed certificate gets one only when asked. */
  authorityKeyIdentifier?: boolean;
  /** Hash (default SHA-256 or the curve's) and RSA-PSS choice. */
  signature?: { hash?: HashName; pss?: boolean };
}

function toName(n: Name | string): Name {
  return typeof n === 'string' ? Name.parse(n) : n;
}

/**
 * Builds and signs an X.509 v3 certificate.
 *
 * @example
 * ```ts
 * const root = await generateKeyPair({ type: 'ec', curve: 'P-256' });
 * const ca = await createCertificate({
 *   subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
 *   publicKey: root.publicKey,
 *   signingKey: root.privateKey,
 *   days: 3650,
 *   extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
 * });
 * ```
 */
export async function createCertificate(init: CertificateInit): Promise<Certificate> {
  if (!init || typeof init !== 'object' || !(init.signingKey instanceof PrivateKey))
    throw new TypeError(
      "createCertificate needs signingKey: the issuer's private key, or the subject's own for a self-signed certificate.",
    );
  // A certificate signed with another key than its issuer certificate's would never verify
  // against that issuer (RFC 5280 §6.1.3 (a)(1)): say so now rather than issue it.
  if (init.issuer && !init.signingKey.publicKey.equals(init.issuer.publicKey))
    throw new PkiError(
      CERT_ERR,
      `signingKey is not the key of the issuer certificate "${init.issuer.subject.toWindowsString()}": the certificate would not verify against its issuer.`,
    );
  if (!(init.publicKey instanceof PublicKey))
    throw new TypeError(
      "createCertificate needs publicKey: the subject's PublicKey (keyPair.publicKey, csr.publicKey or importPublicKey(spki)).",
    );
  const subject = toName(init.subject);
  const issuerName = init.issuerName ? toName(init.issuerName) : init.issuer ? init.issuer.subject : subject;
  const alg = signatureAlgorithmFor(init.signingKey, init.signature);
  const serial = serialToBytes(init.serialNumber ?? randomSerialNumber());
  const notBefore = new Date(Math.floor((init.notBefore ?? new Date()).getTime() / 1000) * 1000);
  const notAfter = init.notAfter ?? new Date(notBefore.getTime() + (init.days ?? 365) * 86_400_000);
  if (notAfter.getTime() < notBefore.getTime())
    throw new PkiError(CERT_ERR, 'notAfter is before notBefore: the certificate would never be valid.');
  const exts: Extension[] = [...(init.extensions ?? [])];
  const has = (oid: string) => exts.some((e) => e.oid === oid);
  if (init.subjectKeyIdentifier !== false && !has(OID.subjectKeyIdentifier)) {
    exts.push(skiExtension(await init.publicKey.keyIdentifier()));
  }
  const selfSigned = !init.issuer;
  if ((init.authorityKeyIdentifier ?? !selfSigned) && !has(OID.authorityKeyIdentifier)) {
    const keyId = init.issuer
      ? (init.issuer.subjectKeyIdentifier ?? (await init.issuer.publicKey.keyIdentifier()))
      : await init.publicKey.keyIdentifier();
    exts.push(akiExtension({ keyIdentifier: keyId }));
  }
  const tbsParts = [
    explicit(0, int(2)),
    tlv(T.INTEGER, serial[0]! & 0x80 ? Uint8Array.of(0, ...serial) : serial),
    alg.der,
    issuerName.der,
    seq(writeTime(notBefore), writeTime(notAfter)),
    subject.der,
    init.publicKey.spki,
  ];
  if (exts.length) tbsParts.push(explicit(3, encodeExtensions(exts)));
  const tbs = seq(...tbsParts);
  const sig = await signData(init.signingKey, alg, tbs);
  return new Certificate(seq(tbs, alg.der, bitString(sig)));
}
