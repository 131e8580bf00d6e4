// PKCS #10 certification requests (RFC 2986), with the attributes enrollment uses: the
// extension request (PKCS #9, RFC 2985 §5.4.2), challengePassword (§5.4.1), and the
// Microsoft certificate template (the template-name extension and the enrollment name-value
// pair `CertificateTemplate:<name>` that certreq writes, [MS-WCCE] §2.2.2.7.10 / §2.2.2.7.7.1).

import {
  type HashName,
  parseSignatureAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithmFor,
  signData,
  verifySignature,
} from './algorithms.js';
import { PkiError } from './errors.js';
import {
  decodeGeneralNames,
  decodeMsCertificateTemplateName,
  type Extension,
  encodeExtensions,
  msCertificateTemplateName,
  readExtensions,
} from './extensions.js';
import type { GeneralName } from './general-names.js';
import {
  bitString,
  Cursor,
  oid as encOid,
  encodingOf,
  int,
  readBitString,
  readOid,
  readSmallInt,
  readString,
  readWhole,
  seq,
  setOf,
  str,
  T,
  type Tlv,
} from './internal/der.js';
import { guard } from './internal/guard.js';
import { PrivateKey, PublicKey } from './keys.js';
import { encodeDirectoryString, Name } from './names.js';
import { OID } from './oids.js';
import { encodePem } from './pem.js';

const CSR_ERR = 'ERR_PKI_CSR_INVALID' as const;

/**
 * A request attribute: its type and the DER of each value in its SET.
 *
 * @example
 * ```ts
 * csr.attributes.map((a: CsrAttribute) => a.oid); // ['1.2.840.113549.1.9.7', '1.2.840.113549.1.9.14', '1.3.6.1.4.1.311.13.2.1']
 * ```
 */
export interface CsrAttribute {
  readonly oid: string;
  readonly values: readonly Uint8Array[];
}

/**
 * A parsed PKCS #10 request.
 *
 * @example
 * ```ts
 * const csr = parseCsr(der);
 * csr.subject.toString();       // 'CN=exch01.contoso.com,O=Contoso,C=FR'
 * csr.subjectAltNames;          // [{ type: 'dns', value: 'exch01.contoso.com' }]
 * await csr.verify();           // true when the self-signature holds
 * ```
 */
export class CertificationRequest {
  readonly der: Uint8Array;
  readonly subject: Name;
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly attributes: readonly CsrAttribute[];
  readonly #info: Tlv;
  readonly #sigAlg: Tlv;
  readonly #sig: Uint8Array;
  #publicKey?: PublicKey;
  #extensions?: Extension[];

  /** Parses without a coded error on malformed input: prefer {@link parseCsr}. */
  constructor(der: Uint8Array) {
    this.der = der;
    const c = Cursor.of(readWhole(der, T.SEQUENCE));
    this.#info = c.next(T.SEQUENCE);
    this.#sigAlg = c.next(T.SEQUENCE);
    this.#sig = readBitString(c.next(T.BIT_STRING)).bytes;
    c.end('CertificationRequest');
    const i = Cursor.of(this.#info);
    const version = readSmallInt(i.next(T.INTEGER));
    if (version !== 0)
      throw new PkiError(
        CSR_ERR,
        `The request has version ${version + 1}; PKCS #10 defines only version 1 (0).`,
      );
    this.subject = Name.fromTlv(i.next(T.SEQUENCE));
    this.subjectPublicKeyInfo = encodingOf(i.next(T.SEQUENCE));
    const attrs: CsrAttribute[] = [];
    // RFC 2986 §4.1: attributes [0] IMPLICIT SET OF Attribute (present, possibly empty).
    const a = i.optional(0xa0);
    if (a) {
      const ac = Cursor.of(a);
      while (!ac.done()) {
        const at = Cursor.of(ac.next(T.SEQUENCE));
        const oid = readOid(at.next(T.OID));
        const vs = Cursor.of(at.next(T.SET));
        at.end('Attribute');
        const values: Uint8Array[] = [];
        while (!vs.done()) values.push(encodingOf(vs.next()));
        attrs.push({ oid, values });
      }
    }
    i.end('CertificationRequestInfo');
    this.attributes = attrs;
  }

  /** The requester's public key (throws ERR_PKI_KEY_UNSUPPORTED for unknown key types). */
  get publicKey(): PublicKey {
    this.#publicKey ??= PublicKey.fromSpki(this.subjectPublicKeyInfo);
    return this.#publicKey;
  }

  /** The signature algorithm (throws ERR_PKI_ALGORITHM_UNSUPPORTED for unknown ones). */
  get signatureAlgorithm(): SignatureAlgorithm {
    return parseSignatureAlgorithm(encodingOf(this.#sigAlg));
  }

  /** The signature algorithm OID, without requiring certlab to support it. */
  get signatureAlgorithmOid(): string {
    return guard(CSR_ERR, 'The signature algorithm', () => readOid(Cursor.of(this.#sigAlg).next(T.OID)));
  }

  /** The DER of CertificationRequestInfo (what the signature covers). */
  get info(): Uint8Array {
    return encodingOf(this.#info);
  }

  get signature(): Uint8Array {
    return this.#sig;
  }

  /** The first value of an attribute, as DER. @example `csr.attribute(OID.challengePassword)` */
  attribute(oid: string): Uint8Array | undefined {
    return this.attributes.find((a) => a.oid === oid)?.values[0];
  }

  /** Extensions from the extensionRequest attribute (PKCS #9), in order. */
  get extensions(): readonly Extension[] {
    if (!this.#extensions) {
      const v = this.attribute(OID.extensionRequest) ?? this.attribute(MS_CERT_EXTENSIONS);
      this.#extensions = v
        ? guard('ERR_PKI_EXTENSION_INVALID', 'The extension request', () => readExtensions(readWhole(v)))
        : [];
    }
    return this.#extensions;
  }

  /** The requested extension with this OID. @example `csr.getExtension(OID.subjectAltName)` */
  getExtension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  /** Requested subjectAltName entries; empty when none. */
  get subjectAltNames(): GeneralName[] {
    const e = this.getExtension(OID.subjectAltName);
    return e ? decodeGeneralNames(e.value) : [];
  }

  /** challengePassword, if present. */
  get challengePassword(): string | undefined {
    const v = this.attribute(OID.challengePassword);
    return v ? guard(CSR_ERR, 'The challengePassword', () => readString(readWhole(v))) : undefined;
  }

  /** Microsoft enrollment name-value pairs (1.3.6.1.4.1.311.13.2.1), e.g. `{ CertificateTemplate: 'WebServer' }`. */
  get nameValuePairs(): Record<string, string> {
    // No prototype: a pair named "__proto__" must be a key, not a prototype assignment.
    const out: Record<string, string> = Object.create(null);
    for (const a of this.attributes) {
      if (a.oid !== OID.msEnrollmentNameValuePair) continue;
      for (const v of a.values) {
        guard(CSR_ERR, 'An enrollment name-value pair', () => {
          const c = Cursor.of(readWhole(v, T.SEQUENCE));
          const name = readString(c.next());
          const value = readString(c.next());
          c.end('EnrollmentNameValuePair');
          out[name] = value;
        });
      }
    }
    return out;
  }

  /**
   * The certificate template the request asks for: the name-value pair `CertificateTemplate`,
   * else the template-name extension.
   */
  get template(): string | undefined {
    const nv = this.nameValuePairs.CertificateTemplate;
    if (nv) return nv;
    const e = this.getExtension(OID.msCertificateTemplateName);
    return e ? decodeMsCertificateTemplateName(e.value) : undefined;
  }

  /**
   * Verifies the self-signature (proof of possession, RFC 2986 §3). False when it does not hold.
   *
   * @example
   * ```ts
   * if (!(await csr.verify())) throw new Error('tampered request');
   * ```
   */
  async verify(): Promise<boolean> {
    return verifySignature(this.publicKey, this.signatureAlgorithm, this.info, this.#sig);
  }

  /**
   * PEM with the `CERTIFICATE REQUEST` label (RFC 7468 §7).
   *
   * @example
   * ```ts
   * await writeFile('exch01.csr', csr.toPem());
   * ```
   */
  toPem(options: { eol?: '\n' | '\r\n' } = {}): string {
    return encodePem('CERTIFICATE REQUEST', this.der, options);
  }
}

/** szOID_CERT_EXTENSIONS: Microsoft's older name for the extension request attribute. */
const MS_CERT_EXTENSIONS = '1.3.6.1.4.1.311.2.1.14';

/**
 * Parses a DER PKCS #10 request. Throws ERR_PKI_CSR_INVALID (or an ERR_PKI_DER_* code).
 *
 * @example
 * ```ts
 * const csr = parseCsr(readDerOrPem(text, 'CERTIFICATE REQUEST'));
 * ```
 */
export function parseCsr(der: Uint8Array): CertificationRequest {
  if (!(der instanceof Uint8Array)) throw new TypeError('parseCsr expects a Uint8Array of DER');
  return guard(CSR_ERR, 'The certificate request', () => new CertificationRequest(der));
}

/**
 * What {@link createCsr} needs.
 *
 * @example
 * ```ts
 * const init: CsrInit = { subject: 'CN=ex01.contoso.com, O=Contoso, C=FR', privateKey, template: 'WebServer' };
 * const csr = await createCsr(init);
 * ```
 */
export interface CsrInit {
  /** Subject DN as a Name or text (`CN=exch01.contoso.com, O=Contoso, C=FR`). */
  subject: Name | string;
  /** The key whose public half is requested and which signs the request. */
  privateKey: PrivateKey;
  /** Requested extensions, in order (e.g. subjectAltName, extKeyUsage, keyUsage). */
  extensions?: readonly Extension[];
  /** PKCS #9 challengePassword. */
  challengePassword?: string;
  /**
   * The AD CS certificate template (`WebServer`): written as the `CertificateTemplate`
   * enrollment name-value pair and as the template-name extension, as certreq does.
   */
  template?: string;
  /** Further attributes, as DER values. */
  attributes?: readonly CsrAttribute[];
  signature?: { hash?: HashName; pss?: boolean };
}

function bmp(s: string): Uint8Array {
  return str(T.BMP_STRING, s);
}

/**
 * Builds and signs a PKCS #10 request.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateKeyPair({ type: 'rsa', bits: 2048 });
 * const csr = await createCsr({
 *   subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
 *   privateKey,
 *   extensions: [subjectAltName([{ type: 'dns', value: 'exch01.contoso.com' }]), extKeyUsage(['serverAuth'])],
 *   template: 'WebServer',
 * });
 * ```
 */
export async function createCsr(init: CsrInit): Promise<CertificationRequest> {
  if (!init || typeof init !== 'object' || !(init.privateKey instanceof PrivateKey))
    throw new TypeError(
      "createCsr needs privateKey: the requester's PrivateKey (keyPair.privateKey), which signs the request.",
    );
  const subject = typeof init.subject === 'string' ? Name.parse(init.subject) : init.subject;
  const alg = signatureAlgorithmFor(init.privateKey, init.signature);
  const exts = [...(init.extensions ?? [])];
  if (init.template && !exts.some((e) => e.oid === OID.msCertificateTemplateName))
    exts.push(msCertificateTemplateName(init.template));
  const attrs: Uint8Array[] = [];
  if (init.challengePassword !== undefined)
    attrs.push(seq(encOid(OID.challengePassword), setOf([encodeDirectoryString(init.challengePassword)])));
  if (exts.length) attrs.push(seq(encOid(OID.extensionRequest), setOf([encodeExtensions(exts)])));
  if (init.template) {
    attrs.push(
      seq(
        encOid(OID.msEnrollmentNameValuePair),
        setOf([seq(bmp('CertificateTemplate'), bmp(init.template))]),
      ),
    );
  }
  for (const a of init.attributes ?? []) {
    for (const v of a.values) readWhole(v);
    attrs.push(seq(encOid(a.oid), setOf(a.values)));
  }
  const info = seq(int(0), subject.der, init.privateKey.publicKey.spki, setOfTagged(attrs));
  const sig = await signData(init.privateKey, alg, info);
  return new CertificationRequest(seq(info, alg.der, bitString(sig)));
}

/** [0] IMPLICIT SET OF: sorted as DER requires (X.690 §11.6). */
function setOfTagged(items: Uint8Array[]): Uint8Array {
  const set = setOf(items);
  const out = set.slice();
  out[0] = 0xa0;
  return out;
}
