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

import {
  type HashName,
  hashDigest,
  hashNameOf,
  parseSignatureAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithmFor,
  verifySignature,
} from './algorithms.js';
import { type Certificate, parseCertificate } from './certificate.js';
import { type Crl, parseCrl } from './crl.js';
import { PkiError } from './errors.js';
import { berToDer } from './internal/ber.js';
import { equalBytes, fromLatin1, toHex } from './internal/bytes.js';
import {
  Cursor,
  children,
  contentOf,
  oid as encOid,
  encodingOf,
  readBitString,
  readOctetString,
  readOid,
  readSmallInt,
  readWhole,
  T,
  type Tlv,
} from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION } from './internal/key-der.js';
import { sha1 } from './internal/sha.js';
import type { PublicKey } from './keys.js';
import { Name } from './names.js';
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

// --- signers (RFC 5652 §5.3) ------------------------------------------------------------------

const OID_CONTENT_TYPE_ATTR = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST_ATTR = '1.2.840.113549.1.9.4';

/**
 * How a SignerInfo names its signer's certificate (RFC 5652 §5.3 SignerIdentifier): by issuer
 * and serial number (CMSVersion 1), or by subject key identifier (`[0]`, CMSVersion 3).
 *
 * @example
 * ```ts
 * const sid = p7.signers[0]!.sid;
 * if ('subjectKeyIdentifier' in sid) console.log(toHex(sid.subjectKeyIdentifier));
 * else console.log(sid.issuer.toString(), sid.serialNumber);
 * ```
 */
export type Pkcs7SignerIdentifier =
  | {
      /** The issuer of the signer's certificate. */
      readonly issuer: Name;
      /** The DER of that issuer Name, as written in the SignerInfo. */
      readonly issuerDer: Uint8Array;
      /** The serial number as uppercase hex of its content octets, like {@link Certificate.serialNumber}. */
      readonly serialNumber: string;
    }
  | { readonly subjectKeyIdentifier: Uint8Array };

/**
 * One parsed SignerInfo of a SignedData (RFC 5652 §5.3). Verify it with {@link Pkcs7.verifySigner}.
 *
 * @example
 * ```ts
 * const [signer] = parsePkcs7(der).signers;
 * signer?.digestAlgorithm;      // 'SHA-256'
 * signer?.signatureAlgorithmOid; // '1.2.840.113549.1.1.1' (rsaEncryption, as OpenSSL writes it)
 * ```
 */
export interface Pkcs7Signer {
  /** CMSVersion: 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier (RFC 5652 §5.3). */
  readonly version: number;
  readonly sid: Pkcs7SignerIdentifier;
  /** The digest algorithm OID. */
  readonly digestAlgorithmOid: string;
  /** The digest algorithm, or undefined when certlab does not support it (e.g. MD5, SHA-224). */
  readonly digestAlgorithm: HashName | undefined;
  /** The signature algorithm OID: a key algorithm (rsaEncryption) or a signature algorithm (ecdsa-with-SHA256). */
  readonly signatureAlgorithmOid: string;
  /** The signature AlgorithmIdentifier DER. */
  readonly signatureAlgorithmDer: Uint8Array;
  /** True when signedAttrs are present (then the signature covers them, RFC 5652 §5.4). */
  readonly hasSignedAttributes: boolean;
  /** The DER of signedAttrs re-tagged as SET OF (0x31): what the signature covers when present. */
  readonly signedAttributes: Uint8Array | undefined;
  /** The signature value (for ECDSA, the DER Ecdsa-Sig-Value). */
  readonly signature: Uint8Array;
}

function parseSignerInfo(t: Tlv): Pkcs7Signer {
  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
  //   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
  const c = Cursor.of(t, T.SEQUENCE);
  const version = readSmallInt(c.next(T.INTEGER));
  let sid: Pkcs7SignerIdentifier;
  if (c.peek() === 0x80) {
    sid = { subjectKeyIdentifier: contentOf(c.next()).slice() };
  } else {
    const ias = Cursor.of(c.next(T.SEQUENCE));
    const issuerTlv = ias.next(T.SEQUENCE);
    const serial = ias.next(T.INTEGER);
    ias.end('IssuerAndSerialNumber');
    if (serial.end === serial.valueStart) bad('A SignerInfo has an empty serial number.');
    sid = {
      issuer: Name.fromTlv(issuerTlv),
      issuerDer: encodingOf(issuerTlv).slice(),
      serialNumber: toHex(contentOf(serial), true),
    };
  }
  const digestAlgorithmOid = readOid(Cursor.of(c.next(T.SEQUENCE)).next(T.OID));
  const attrs = c.optional(0xa0);
  let signedAttributes: Uint8Array | undefined;
  if (attrs) {
    // RFC 5652 §5.4: the signature covers the DER of SignedAttributes with the EXPLICIT SET OF
    // tag (0x31), not the IMPLICIT [0] tag written in the SignerInfo.
    signedAttributes = encodingOf(attrs).slice();
    signedAttributes[0] = T.SET;
    for (const a of children(attrs)) {
      const ac = Cursor.of(a, T.SEQUENCE);
      readOid(ac.next(T.OID));
      Cursor.of(ac.next(T.SET));
      ac.end('Attribute');
    }
  }
  const sigAlg = c.next(T.SEQUENCE);
  const signatureAlgorithmOid = readOid(Cursor.of(sigAlg).next(T.OID));
  const signature = readOctetString(c.next(T.OCTET_STRING)).slice();
  c.optional(0xa1);
  c.end('SignerInfo');
  return Object.freeze({
    version,
    sid: Object.freeze(sid),
    digestAlgorithmOid,
    digestAlgorithm: hashNameOf(digestAlgorithmOid),
    signatureAlgorithmOid,
    signatureAlgorithmDer: encodingOf(sigAlg).slice(),
    hasSignedAttributes: attrs !== undefined,
    signedAttributes,
    signature,
  });
}

/** The value lists of each occurrence of the attribute `type` in a SignedAttributes SET (re-tagged). */
function attributeValues(signedAttributes: Uint8Array, type: string): Tlv[][] {
  const found: Tlv[][] = [];
  for (const a of children(readWhole(signedAttributes, T.SET))) {
    const ac = Cursor.of(a, T.SEQUENCE);
    if (readOid(ac.next(T.OID)) === type) found.push(children(ac.next(T.SET)));
  }
  return found;
}

/** The signature algorithm to verify with: CMS allows the key algorithm plus the digest (RFC 5754 §3, RFC 5753 §2.1.1). */
function cmsSignatureAlgorithm(signer: Pkcs7Signer, key: PublicKey): SignatureAlgorithm | undefined {
  const oidStr = signer.signatureAlgorithmOid;
  if (oidStr === OID_RSA_ENCRYPTION || oidStr === OID_EC_PUBLIC_KEY) {
    const hash = signer.digestAlgorithm;
    if (!hash) return undefined;
    if (key.type !== (oidStr === OID_RSA_ENCRYPTION ? 'rsa' : 'ec')) return undefined;
    return signatureAlgorithmFor(key, { hash });
  }
  return parseSignatureAlgorithm(signer.signatureAlgorithmDer);
}

/** RFC 5280 §4.2.1.2 method (1) key identifier of a certificate's key, computed synchronously. */
function certKeyIdentifier(cert: Certificate): Uint8Array {
  const spki = Cursor.of(readWhole(cert.subjectPublicKeyInfo, T.SEQUENCE));
  spki.next(T.SEQUENCE);
  return sha1.digest(readBitString(spki.next(T.BIT_STRING)).bytes);
}

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
  #signerList: readonly Pkcs7Signer[] | undefined;

  /** Parses without a coded error on malformed input: prefer {@link parsePkcs7}. */
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

  /**
   * The parsed SignerInfos (RFC 5652 §5.3), in file order; empty for certs-only. Throws
   * ERR_PKI_PKCS7_INVALID (or an ERR_PKI_DER_* code) when a SignerInfo is malformed.
   *
   * @example
   * ```ts
   * const [signer] = parsePkcs7(der).signers;
   * console.log(signer?.version, signer?.digestAlgorithm, signer?.hasSignedAttributes);
   * ```
   */
  get signers(): Pkcs7Signer[] {
    this.#signerList ??= Object.freeze(
      guard(P7_ERR, 'The SignerInfos', () =>
        this.#choices(this.#signers).map((t, i) => within(`SignerInfo ${i + 1}`, () => parseSignerInfo(t))),
      ),
    );
    return [...this.#signerList];
  }

  #signer(index: number, what: string): Pkcs7Signer {
    if (!Number.isInteger(index) || index < 0)
      throw misuse(`${what} needs a signer index (a non-negative integer), not ${String(index)}.`);
    const signer = this.signers[index];
    if (!signer)
      throw misuse(`${what}: there is no SignerInfo ${index} (this SignedData has ${this.signerCount}).`);
    return signer;
  }

  /**
   * The certificate among {@link certificates} that the SignerInfo at `index` names: by issuer
   * and serial number, or by subject key identifier (the certificate's subjectKeyIdentifier
   * extension or its key's RFC 5280 §4.2.1.2 method (1) identifier). Undefined when not there.
   * Throws a TypeError for an index with no SignerInfo.
   *
   * @example
   * ```ts
   * const p7 = parsePkcs7(der);
   * const cert = p7.signerCertificate(0);
   * if (cert) console.log(await p7.verifySigner(0, cert.publicKey));
   * ```
   */
  signerCertificate(index: number): Certificate | undefined {
    const { sid } = this.#signer(index, 'signerCertificate()');
    for (const cert of this.certificates) {
      try {
        if ('subjectKeyIdentifier' in sid) {
          const ski = cert.subjectKeyIdentifier;
          if (ski && equalBytes(ski, sid.subjectKeyIdentifier)) return cert;
          if (equalBytes(certKeyIdentifier(cert), sid.subjectKeyIdentifier)) return cert;
        } else if (
          cert.serialNumber === sid.serialNumber &&
          (equalBytes(cert.issuerDer, sid.issuerDer) || cert.issuer.equals(sid.issuer))
        )
          return cert;
      } catch {
        // A certificate with a malformed extension or key cannot be the signer's: skip it.
      }
    }
    return undefined;
  }

  /**
   * Verifies the SignerInfo at `index` with `key` (RFC 5652 §5.4, §5.6). With signedAttrs, the
   * content-type attribute must equal the eContentType and the message-digest attribute the
   * digest of the eContent octets (RFC 5652 §11.1, §11.2), and the signature covers the DER of
   * the attributes as a SET OF; without them, the signature covers the eContent octets. The
   * signatureAlgorithm may be a key algorithm (rsaEncryption, id-ecPublicKey: the digest
   * algorithm gives the hash, as OpenSSL writes) or a signature algorithm (sha256WithRSAEncryption,
   * RSASSA-PSS, ecdsa-with-SHA256, Ed25519). Resolves false, never rejects, for a wrong
   * signature, a digest mismatch, missing attributes, detached content or an unsupported
   * algorithm; throws a TypeError for an index with no SignerInfo.
   *
   * @example
   * ```ts
   * const p7 = parsePkcs7(der);
   * const ok = await p7.verifySigner(0, p7.signerCertificate(0)!.publicKey);
   * ```
   */
  async verifySigner(index: number, key: PublicKey): Promise<boolean> {
    const signer = this.#signer(index, 'verifySigner()');
    if (typeof key !== 'object' || key === null || typeof (key as PublicKey).type !== 'string')
      throw misuse("verifySigner() needs the signer's PublicKey.");
    try {
      const e = this.#eContent;
      if (!e) return false; // Detached content: nothing to verify against.
      // RFC 5652 §5.4 (RFC 2315 §9.3 for non-OCTET STRING content): the content octets only.
      const message = contentOf(e);
      const alg = cmsSignatureAlgorithm(signer, key);
      if (!alg) return false;
      if (!signer.signedAttributes) return await verifySignature(key, alg, message, signer.signature);
      if (!signer.digestAlgorithm) return false;
      const types = attributeValues(signer.signedAttributes, OID_CONTENT_TYPE_ATTR);
      const digests = attributeValues(signer.signedAttributes, OID_MESSAGE_DIGEST_ATTR);
      // RFC 5652 §11.1, §11.2: each attribute present exactly once, with exactly one value.
      if (types.length !== 1 || types[0]!.length !== 1) return false;
      if (digests.length !== 1 || digests[0]!.length !== 1) return false;
      if (readOid(types[0]![0]!) !== this.contentType) return false;
      const expected = readOctetString(digests[0]![0]!);
      const actual = await hashDigest(signer.digestAlgorithm, message);
      if (!equalBytes(expected, actual)) return false;
      return await verifySignature(key, alg, signer.signedAttributes, signer.signature);
    } catch {
      return false;
    }
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
