// X.509 v2 certificate revocation lists (RFC 5280 §5): a lazy parser over the DER and a builder
// that signs. Parsing checks the envelope and reads the dates; the entries are walked only when
// iterated or looked up, so a CRL of 100k entries costs its DER plus a few offsets until then.
// The first lookup builds one Map from serial to entry offset.

import {
  type HashName,
  parseSignatureAlgorithm,
  type SignatureAlgorithm,
  signatureAlgorithmFor,
  signData,
  verifySignature,
} from './algorithms.js';
import { Certificate } from './certificate.js';
import { PkiError } from './errors.js';
import {
  type AuthorityKeyIdentifier,
  authorityKeyIdentifier as akiExtension,
  type DistributionPoint,
  decodeAuthorityKeyIdentifier,
  decodeCrlDistributionPoints,
  decodeDistributionPointName,
  decodeReasonFlags,
  type Extension,
  encodeDistributionPointName,
  encodeExtensions,
  encodeReasonFlags,
  freshestCrl as freshestCrlExtension,
  type ReasonFlag,
  readExplicitExtensions,
  readExtensions,
} from './extensions.js';
import { encodeGeneralNames, type GeneralName, readGeneralNames } from './general-names.js';
import { concat, latin1, toHex } from './internal/bytes.js';
import {
  bitString,
  Cursor,
  contentOf,
  encodingOf,
  explicit,
  int,
  readBigInt,
  readBitString,
  readBoolean,
  readOid,
  readSmallInt,
  readWhole,
  seq,
  T,
  type Tlv,
  tlv,
} from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { readTime, writeTime } from './internal/time.js';
import { type PrivateKey, PublicKey } from './keys.js';
import { Name, type Rdn } from './names.js';
import { OID } from './oids.js';
import { encodePem } from './pem.js';
import { serialToBytes } from './serial.js';

const CRL_ERR = 'ERR_PKI_CRL_INVALID' as const;

function bad(msg: string): never {
  throw new PkiError(CRL_ERR, msg);
}

// --- CRL reasons (RFC 5280 §5.3.1) ------------------------------------------------------------

/**
 * The CRLReason values of RFC 5280 §5.3.1 (value 7 is unused).
 *
 * @example
 * ```ts
 * CRL_REASONS[1]; // 'keyCompromise'
 * ```
 */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

/**
 * A revocation reason (RFC 5280 §5.3.1).
 *
 * @example
 * ```ts
 * const r: CrlReason = 'keyCompromise';
 * ```
 */
export type CrlReason = NonNullable<(typeof CRL_REASONS)[number]>;

function reasonCode(r: CrlReason): number {
  const i = (CRL_REASONS as readonly (string | undefined)[]).indexOf(r);
  if (i < 0 || typeof r !== 'string')
    throw misuse(`"${String(r)}" is not a CRL reason; use one of ${CRL_REASONS.filter(Boolean).join(', ')}.`);
  return i;
}

// --- CRL and CRL entry extensions (RFC 5280 §5.2, §5.3) ---------------------------------------

function decodeWith<R>(name: string, value: Uint8Array, fn: (t: Tlv) => R): R {
  return guard('ERR_PKI_EXTENSION_INVALID', `The ${name} extension`, () => fn(readWhole(value)));
}

function crlNumberValue(n: bigint | number, what: string): bigint {
  if (typeof n !== 'bigint' && !(typeof n === 'number' && Number.isSafeInteger(n)))
    throw misuse(`${what} must be a bigint or a safe integer.`);
  const v = BigInt(n);
  // RFC 5280 §5.2.3: a non-negative INTEGER of at most 20 octets.
  if (v < 0n || v >= 1n << 159n)
    throw new PkiError(
      CRL_ERR,
      `${what} must be between 0 and 2^159 - 1 (at most 20 octets, RFC 5280 §5.2.3); got ${v}.`,
    );
  return v;
}

/**
 * Builds cRLNumber (RFC 5280 §5.2.3, non-critical): the CRL's position in its sequence.
 *
 * @example
 * ```ts
 * crlNumber(42n);
 * ```
 */
export function crlNumber(n: bigint | number): Extension {
  return { oid: OID.cRLNumber, critical: false, value: int(crlNumberValue(n, 'The CRL number')) };
}

/** Decodes cRLNumber (or deltaCRLIndicator's BaseCRLNumber). @example `decodeCrlNumber(ext.value)` // 42n */
export function decodeCrlNumber(value: Uint8Array): bigint {
  return decodeWith('cRLNumber', value, (t) => {
    const v = readBigInt(t);
    if (v < 0n)
      throw new PkiError('ERR_PKI_EXTENSION_INVALID', 'A CRL number is negative (RFC 5280 §5.2.3).');
    return v;
  });
}

/**
 * Builds deltaCRLIndicator (RFC 5280 §5.2.4, always critical): marks a delta CRL and names the
 * number of the complete CRL it updates.
 *
 * @example
 * ```ts
 * deltaCrlIndicator(41n);
 * ```
 */
export function deltaCrlIndicator(baseCrlNumber: bigint | number): Extension {
  return {
    oid: OID.deltaCRLIndicator,
    critical: true,
    value: int(crlNumberValue(baseCrlNumber, 'The base CRL number')),
  };
}

/**
 * The issuingDistributionPoint extension's fields (RFC 5280 §5.2.5). At most one of the
 * `onlyContains*` flags may be true; the booleans default to false.
 *
 * @example
 * ```ts
 * const idp: IssuingDistributionPoint = {
 *   fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso.crl' }],
 *   onlyContainsUserCerts: true,
 * };
 * ```
 */
export interface IssuingDistributionPoint {
  readonly fullName?: GeneralName[];
  readonly nameRelativeToCRLIssuer?: Rdn;
  readonly onlyContainsUserCerts?: boolean;
  readonly onlyContainsCACerts?: boolean;
  readonly onlySomeReasons?: ReasonFlag[];
  readonly indirectCRL?: boolean;
  readonly onlyContainsAttributeCerts?: boolean;
}

/**
 * Builds issuingDistributionPoint (RFC 5280 §5.2.5, always critical). Throws a TypeError for an
 * empty value (which §5.2.5 forbids) or more than one `onlyContains*` flag.
 *
 * @example
 * ```ts
 * issuingDistributionPoint({ fullName: [{ type: 'uri', value: 'http://pki.contoso.com/ca.crl' }], onlyContainsUserCerts: true });
 * ```
 */
export function issuingDistributionPoint(v: IssuingDistributionPoint): Extension {
  if (typeof v !== 'object' || v === null) throw misuse('issuingDistributionPoint() needs an object.');
  const only = [v.onlyContainsUserCerts, v.onlyContainsCACerts, v.onlyContainsAttributeCerts].filter(Boolean);
  if (only.length > 1)
    throw misuse(
      'At most one of onlyContainsUserCerts, onlyContainsCACerts and onlyContainsAttributeCerts may be true (RFC 5280 §5.2.5).',
    );
  if (v.fullName && v.nameRelativeToCRLIssuer)
    throw misuse('Give fullName or nameRelativeToCRLIssuer, not both (DistributionPointName is a CHOICE).');
  const parts: Uint8Array[] = [];
  const dpn = encodeDistributionPointName(v.fullName, v.nameRelativeToCRLIssuer);
  if (dpn) parts.push(dpn);
  // [1], [2], [4], [5] IMPLICIT BOOLEAN DEFAULT FALSE: DER writes only TRUE (X.690 §11.5).
  if (v.onlyContainsUserCerts) parts.push(Uint8Array.of(0x81, 1, 0xff));
  if (v.onlyContainsCACerts) parts.push(Uint8Array.of(0x82, 1, 0xff));
  if (v.onlySomeReasons) parts.push(encodeReasonFlags(v.onlySomeReasons, 0x83));
  if (v.indirectCRL) parts.push(Uint8Array.of(0x84, 1, 0xff));
  if (v.onlyContainsAttributeCerts) parts.push(Uint8Array.of(0x85, 1, 0xff));
  if (parts.length === 0)
    throw misuse('An issuingDistributionPoint must not be empty (RFC 5280 §5.2.5): give a name or a flag.');
  return { oid: OID.issuingDistributionPoint, critical: true, value: seq(...parts) };
}

/** Decodes issuingDistributionPoint. @example `decodeIssuingDistributionPoint(ext.value).onlyContainsUserCerts` */
export function decodeIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
  return decodeWith('issuingDistributionPoint', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: {
      fullName?: GeneralName[];
      nameRelativeToCRLIssuer?: Rdn;
      onlyContainsUserCerts?: boolean;
      onlyContainsCACerts?: boolean;
      onlySomeReasons?: ReasonFlag[];
      indirectCRL?: boolean;
      onlyContainsAttributeCerts?: boolean;
    } = {};
    const flag = (id: number) => {
      const f = c.optional(id);
      return f ? readBoolean({ ...f, id: T.BOOLEAN }) : false;
    };
    if (c.peek() === 0xa0) Object.assign(out, decodeDistributionPointName(c.next()));
    if (flag(0x81)) out.onlyContainsUserCerts = true;
    if (flag(0x82)) out.onlyContainsCACerts = true;
    if (c.peek() === 0x83) out.onlySomeReasons = decodeReasonFlags(c.next());
    if (flag(0x84)) out.indirectCRL = true;
    if (flag(0x85)) out.onlyContainsAttributeCerts = true;
    c.end('issuingDistributionPoint');
    return out;
  });
}

/**
 * Builds the reasonCode CRL entry extension (RFC 5280 §5.3.1, non-critical). RFC 5280 asks
 * for the extension to be absent rather than `unspecified`; {@link createCrl} omits it then.
 *
 * @example
 * ```ts
 * crlReason('keyCompromise');
 * ```
 */
export function crlReason(reason: CrlReason): Extension {
  return { oid: OID.cRLReason, critical: false, value: int(reasonCode(reason), T.ENUMERATED) };
}

/** Decodes reasonCode. @example `decodeCrlReason(ext.value)` // 'keyCompromise' */
export function decodeCrlReason(value: Uint8Array): CrlReason {
  return decodeWith('reasonCode', value, (t) => {
    const n = readSmallInt(t, T.ENUMERATED);
    const r = CRL_REASONS[n];
    if (r === undefined)
      throw new PkiError(
        'ERR_PKI_EXTENSION_INVALID',
        `The CRL reason code ${n} is not defined by RFC 5280 §5.3.1 (0-6 and 8-10 are).`,
      );
    return r;
  });
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), whatever the year. */
function generalizedTime(d: Date): Uint8Array {
  if (!(d instanceof Date) || !Number.isFinite(d.getTime())) throw misuse('A valid Date is required.');
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999)
    throw new PkiError('ERR_PKI_TIME_INVALID', `The year ${y} cannot be encoded as a GeneralizedTime.`);
  return tlv(
    T.GENERALIZED_TIME,
    latin1(
      `${pad(y, 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}Z`,
    ),
  );
}

/**
 * Builds the invalidityDate CRL entry extension (RFC 5280 §5.3.2, non-critical): when the key
 * is known or suspected to have been compromised. Always a GeneralizedTime.
 *
 * @example
 * ```ts
 * invalidityDate(new Date('2026-03-01T00:00:00Z'));
 * ```
 */
export function invalidityDate(date: Date): Extension {
  return { oid: OID.invalidityDate, critical: false, value: generalizedTime(date) };
}

/** Decodes invalidityDate. @example `decodeInvalidityDate(ext.value).toISOString()` */
export function decodeInvalidityDate(value: Uint8Array): Date {
  return decodeWith('invalidityDate', value, (t) => {
    if (t.id !== T.GENERALIZED_TIME)
      throw new PkiError(
        'ERR_PKI_EXTENSION_INVALID',
        'invalidityDate must be a GeneralizedTime (RFC 5280 §5.3.2).',
      );
    return readTime(t);
  });
}

/**
 * Builds the certificateIssuer CRL entry extension (RFC 5280 §5.3.3, always critical) of
 * indirect CRLs: the issuer of this entry's certificate and of the entries that follow.
 *
 * @example
 * ```ts
 * certificateIssuer([{ type: 'dirName', value: Name.parse('CN=Other CA, O=Contoso') }]);
 * ```
 */
export function certificateIssuer(names: readonly GeneralName[]): Extension {
  if (!Array.isArray(names) || names.length === 0) throw misuse('certificateIssuer needs at least one name.');
  return { oid: OID.certificateIssuer, critical: true, value: encodeGeneralNames(names) };
}

// --- serial keys -------------------------------------------------------------------------------

/** The lookup key of INTEGER content octets: uppercase hex without sign octets; negatives marked. */
function keyOfContent(b: Uint8Array, start: number, end: number): string {
  if (end <= start) return '';
  if (b[start]! & 0x80) return `-${toHex(b.subarray(start, end), true)}`;
  let i = start;
  while (i < end - 1 && b[i] === 0) i++;
  return toHex(b.subarray(i, end), true);
}

function keyOfSerial(serial: string | bigint | Uint8Array | Certificate): string {
  if (serial instanceof Certificate) {
    const enc = int(serial.serialNumberBigInt);
    const t = readWhole(enc);
    return keyOfContent(enc, t.valueStart, t.end);
  }
  if (typeof serial === 'bigint') {
    const enc = int(serial);
    const t = readWhole(enc);
    return keyOfContent(enc, t.valueStart, t.end);
  }
  if (serial instanceof Uint8Array) {
    // A magnitude, as serialToBytes reads it.
    let i = 0;
    while (i < serial.length - 1 && serial[i] === 0) i++;
    return serial.length === 0 ? '00' : toHex(serial.subarray(i), true);
  }
  if (typeof serial === 'string') {
    let h = serial.replace(/[\s:]/g, '');
    if (!/^[0-9a-fA-F]+$/.test(h))
      throw new PkiError(
        'ERR_PKI_SERIAL_INVALID',
        `"${serial.slice(0, 60)}" is not a hexadecimal serial number.`,
      );
    if (h.length % 2) h = `0${h}`;
    h = h.toUpperCase();
    let i = 0;
    while (i < h.length - 2 && h[i] === '0' && h[i + 1] === '0') i += 2;
    return h.slice(i);
  }
  throw misuse('lookup() needs a serial number: hex string, bigint, bytes or a Certificate.');
}

// --- entries -----------------------------------------------------------------------------------

/**
 * One revoked certificate of a CRL. Its extensions are decoded when first read.
 *
 * @example
 * ```ts
 * for (const e of crl.entries) console.log(e.serialNumber, e.revocationDate, e.reason ?? 'unspecified');
 * ```
 */
export class CrlEntry {
  /** The DER of this entry (a view into the CRL). */
  readonly der: Uint8Array;
  /**
   * In an indirect CRL (RFC 5280 §5.3.3), the issuer of this entry's certificate: the value of
   * the latest certificateIssuer extension up to this entry; undefined means the CRL issuer.
   * Always undefined in a direct CRL.
   */
  readonly certificateIssuer: readonly GeneralName[] | undefined;
  readonly #serial: Tlv;
  readonly #date: Date;
  readonly #exts: Tlv | undefined;
  #extensions: Extension[] | undefined;

  /** @internal entries come from {@link Crl.entries} and {@link Crl.lookup}. */
  constructor(t: Tlv, certificateIssuer: readonly GeneralName[] | undefined) {
    const c = Cursor.of(t, T.SEQUENCE);
    this.#serial = c.next(T.INTEGER);
    if (this.#serial.end === this.#serial.valueStart) bad('A CRL entry has an empty serial number.');
    this.#date = readTime(c.next());
    this.#exts = c.optional(T.SEQUENCE);
    c.end('CRL entry');
    this.der = encodingOf(t);
    this.certificateIssuer = certificateIssuer;
  }

  /** The revoked certificate's serial as uppercase hex of its content octets, as Windows shows it. */
  get serialNumber(): string {
    return toHex(contentOf(this.#serial), true);
  }

  /** The serial as a bigint. */
  get serialNumberBigInt(): bigint {
    const v = contentOf(this.#serial);
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    if (v[0]! & 0x80) n -= 1n << BigInt(v.length * 8);
    return n;
  }

  get revocationDate(): Date {
    return new Date(this.#date.getTime());
  }

  /** The entry extensions in order (empty when there are none). */
  get extensions(): readonly Extension[] {
    this.#extensions ??= this.#exts
      ? guard('ERR_PKI_EXTENSION_INVALID', 'The CRL entry extensions', () => readExtensions(this.#exts!))
      : [];
    return this.#extensions;
  }

  /** The extension with this OID, if present. @example `entry.getExtension(OID.cRLReason)` */
  getExtension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  /** The reasonCode; undefined when absent (which RFC 5280 §5.3.1 uses for "unspecified"). */
  get reason(): CrlReason | undefined {
    const e = this.getExtension(OID.cRLReason);
    return e ? decodeCrlReason(e.value) : undefined;
  }

  /** The invalidityDate, if present. */
  get invalidityDate(): Date | undefined {
    const e = this.getExtension(OID.invalidityDate);
    return e ? decodeInvalidityDate(e.value) : undefined;
  }
}

// --- the CRL -----------------------------------------------------------------------------------

interface IssuerSegment {
  readonly from: number;
  readonly names: readonly GeneralName[];
}

/**
 * A parsed X.509 CRL. Construct with {@link parseCrl} or {@link createCrl}.
 *
 * @example
 * ```ts
 * const crl = parseCrl(der);
 * crl.issuer.toString();                 // 'CN=Contoso Issuing CA,O=Contoso,C=FR'
 * crl.crlNumber;                         // 42n
 * crl.lookup('1A2B3C')?.reason;          // 'keyCompromise'
 * await crl.verifySignature(caCert);     // true
 * ```
 */
export class Crl {
  /** The complete DER encoding. */
  readonly der: Uint8Array;
  readonly version: 1 | 2;
  readonly #tbs: Tlv;
  readonly #sigAlg: Tlv;
  readonly #sigValue: Tlv;
  readonly #innerSigAlg: Tlv;
  readonly #issuerTlv: Tlv;
  readonly #thisUpdate: Date;
  readonly #nextUpdate: Date | undefined;
  readonly #revoked: Tlv | undefined;
  readonly #extensionsTlv: Tlv | undefined;
  #cache: {
    issuer?: Name;
    extensions?: Extension[];
    sigAlg?: SignatureAlgorithm;
    idp?: IssuingDistributionPoint | null;
    count?: number;
    index?: Map<string, number | number[]>;
    segments?: IssuerSegment[];
  } = {};

  /** Parses without a coded error on malformed input: prefer {@link parseCrl}. */
  constructor(der: Uint8Array) {
    this.der = der;
    const c = Cursor.of(readWhole(der, T.SEQUENCE));
    this.#tbs = c.next(T.SEQUENCE);
    this.#sigAlg = c.next(T.SEQUENCE);
    this.#sigValue = c.next(T.BIT_STRING);
    c.end('CertificateList');
    readBitString(this.#sigValue);
    const t = Cursor.of(this.#tbs);
    const v = t.optional(T.INTEGER);
    if (v) {
      // RFC 5280 §5.1.2.1: when present, version MUST be v2 (1).
      const n = readSmallInt(v);
      if (n !== 1)
        bad(`The CRL version ${n + 1} is unknown; RFC 5280 §5.1.2.1 allows only v2 (1) when present.`);
    }
    this.version = v ? 2 : 1;
    this.#innerSigAlg = t.next(T.SEQUENCE);
    this.#issuerTlv = t.next(T.SEQUENCE);
    this.#thisUpdate = readTime(t.next());
    const p = t.peek();
    this.#nextUpdate = p === T.UTC_TIME || p === T.GENERALIZED_TIME ? readTime(t.next()) : undefined;
    this.#revoked = t.optional(T.SEQUENCE);
    this.#extensionsTlv = t.optional(0xa0);
    t.end('TBSCertList');
    if (this.#extensionsTlv && this.version !== 2) bad('CRL extensions need a v2 CRL (RFC 5280 §5.1.2.1).');
  }

  get issuer(): Name {
    this.#cache.issuer ??= guard(CRL_ERR, 'The CRL issuer name', () => Name.fromTlv(this.#issuerTlv));
    return this.#cache.issuer;
  }

  get thisUpdate(): Date {
    return new Date(this.#thisUpdate.getTime());
  }

  /** nextUpdate; RFC 5280 §5.1.2.5 requires it, but old CRLs may omit it. */
  get nextUpdate(): Date | undefined {
    return this.#nextUpdate ? new Date(this.#nextUpdate.getTime()) : undefined;
  }

  /** The DER of TBSCertList (what the signature covers). */
  get tbs(): Uint8Array {
    return encodingOf(this.#tbs);
  }

  /** The signature value (for ECDSA, the DER Ecdsa-Sig-Value). */
  get signature(): Uint8Array {
    return readBitString(this.#sigValue).bytes;
  }

  /** The outer signature algorithm. Throws ERR_PKI_ALGORITHM_UNSUPPORTED for unknown algorithms. */
  get signatureAlgorithm(): SignatureAlgorithm {
    this.#cache.sigAlg ??= parseSignatureAlgorithm(encodingOf(this.#sigAlg));
    return this.#cache.sigAlg;
  }

  /** The signature algorithm OID, without requiring certlab to support it. */
  get signatureAlgorithmOid(): string {
    return guard(CRL_ERR, 'The signature algorithm', () => readOid(Cursor.of(this.#sigAlg).next(T.OID)));
  }

  /** The CRL extensions in order. */
  get extensions(): readonly Extension[] {
    this.#cache.extensions ??= this.#extensionsTlv
      ? readExplicitExtensions(this.#extensionsTlv, 'CRL extensions field')
      : [];
    return this.#cache.extensions;
  }

  /** The extension with this OID, if present. @example `crl.getExtension(OID.freshestCRL)` */
  getExtension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  /** cRLNumber (RFC 5280 §5.2.3). */
  get crlNumber(): bigint | undefined {
    const e = this.getExtension(OID.cRLNumber);
    return e ? decodeCrlNumber(e.value) : undefined;
  }

  /** The base CRL number of a delta CRL (deltaCRLIndicator, RFC 5280 §5.2.4). */
  get deltaCrlIndicator(): bigint | undefined {
    const e = this.getExtension(OID.deltaCRLIndicator);
    return e ? decodeCrlNumber(e.value) : undefined;
  }

  /** True for a delta CRL. */
  get isDelta(): boolean {
    return this.getExtension(OID.deltaCRLIndicator) !== undefined;
  }

  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    const e = this.getExtension(OID.authorityKeyIdentifier);
    return e ? decodeAuthorityKeyIdentifier(e.value) : undefined;
  }

  get issuingDistributionPoint(): IssuingDistributionPoint | undefined {
    if (this.#cache.idp === undefined) {
      const e = this.getExtension(OID.issuingDistributionPoint);
      this.#cache.idp = e ? decodeIssuingDistributionPoint(e.value) : null;
    }
    return this.#cache.idp ?? undefined;
  }

  /** Where the delta CRLs are (freshestCRL, RFC 5280 §5.2.6). */
  get freshestCrl(): DistributionPoint[] | undefined {
    const e = this.getExtension(OID.freshestCRL);
    return e ? decodeCrlDistributionPoints(e.value) : undefined;
  }

  /** True when the issuingDistributionPoint says indirectCRL (RFC 5280 §5.2.5). */
  get isIndirect(): boolean {
    return this.issuingDistributionPoint?.indirectCRL === true;
  }

  /** The number of entries (counts TLV headers once; no entry is decoded). */
  get entryCount(): number {
    if (this.#cache.count === undefined) {
      let n = 0;
      if (this.#revoked)
        guard(CRL_ERR, 'The revoked certificates list', () => {
          const c = Cursor.of(this.#revoked!);
          while (!c.done()) {
            c.next(T.SEQUENCE);
            n++;
          }
        });
      this.#cache.count = n;
    }
    return this.#cache.count;
  }

  /**
   * The revoked certificates, decoded one at a time as they are iterated: iterate as often as
   * needed; keep only the entries you need and memory stays at the size of the DER.
   *
   * @example
   * ```ts
   * for (const e of crl.entries) if (e.reason === 'keyCompromise') console.log(e.serialNumber);
   * const all = [...crl.entries];
   * ```
   */
  get entries(): Iterable<CrlEntry> {
    return { [Symbol.iterator]: () => this.#iterate() };
  }

  *#iterate(): Generator<CrlEntry, void, undefined> {
    if (!this.#revoked) return;
    const indirect = guard(CRL_ERR, 'The CRL', () => this.isIndirect);
    const c = guard(CRL_ERR, 'The revoked certificates list', () => Cursor.of(this.#revoked!, T.SEQUENCE));
    let issuer: readonly GeneralName[] | undefined;
    while (!c.done()) {
      const e = guard(CRL_ERR, 'A CRL entry', () => {
        const t = c.next(T.SEQUENCE);
        if (indirect) issuer = this.#entryIssuer(t) ?? issuer;
        return new CrlEntry(t, issuer);
      });
      yield e;
    }
  }

  /** The certificateIssuer of one entry TLV, if it has the extension. */
  #entryIssuer(t: Tlv): readonly GeneralName[] | undefined {
    const c = Cursor.of(t, T.SEQUENCE);
    c.next(T.INTEGER);
    c.next();
    const exts = c.optional(T.SEQUENCE);
    if (!exts) return undefined;
    const ext = readExtensions(exts).find((x) => x.oid === OID.certificateIssuer);
    return ext ? Object.freeze(readGeneralNames(readWhole(ext.value, T.SEQUENCE))) : undefined;
  }

  #buildIndex(): Map<string, number | number[]> {
    const index = new Map<string, number | number[]>();
    const segments: IssuerSegment[] = [];
    if (this.#revoked) {
      const indirect = this.isIndirect;
      guard(CRL_ERR, 'The revoked certificates list', () => {
        const c = Cursor.of(this.#revoked!, T.SEQUENCE);
        while (!c.done()) {
          const t = c.next(T.SEQUENCE);
          const s = Cursor.of(t).next(T.INTEGER);
          const key = keyOfContent(s.bytes, s.valueStart, s.end);
          const prev = index.get(key);
          if (prev === undefined) index.set(key, t.start);
          else if (typeof prev === 'number') index.set(key, [prev, t.start]);
          else prev.push(t.start);
          if (indirect) {
            const names = this.#entryIssuer(t);
            if (names) segments.push({ from: t.start, names });
          }
        }
      });
    }
    this.#cache.segments = segments;
    this.#cache.index = index;
    return index;
  }

  #entryAt(offset: number): CrlEntry {
    const segments = this.#cache.segments ?? [];
    let lo = 0;
    let hi = segments.length - 1;
    let issuer: readonly GeneralName[] | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segments[mid]!;
      if (s.from <= offset) {
        issuer = s.names;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return guard(CRL_ERR, 'A CRL entry', () => {
      const t = Cursor.of(this.#revoked!);
      t.pos = offset;
      return new CrlEntry(t.next(T.SEQUENCE), issuer);
    });
  }

  /**
   * The entry revoking this serial, or undefined. The first call indexes all serials (one Map);
   * later calls are a Map lookup. `serial` is hex (any case, colons allowed, leading zeros
   * ignored), a bigint, a magnitude in bytes, or a Certificate. With a Certificate and an
   * indirect CRL, the entry must also be for the certificate's issuer (RFC 5280 §5.3.3).
   *
   * @example
   * ```ts
   * const entry = crl.lookup(cert);            // or crl.lookup('1A:2B:3C'), crl.lookup(0x1a2b3cn)
   * if (entry) console.log(`revoked on ${entry.revocationDate.toISOString()}: ${entry.reason ?? 'unspecified'}`);
   * ```
   */
  lookup(serial: string | bigint | Uint8Array | Certificate): CrlEntry | undefined {
    const key = keyOfSerial(serial);
    const index = this.#cache.index ?? this.#buildIndex();
    const hit = index.get(key);
    if (hit === undefined) return undefined;
    const offsets = typeof hit === 'number' ? [hit] : hit;
    if (!(serial instanceof Certificate) || !this.isIndirect) return this.#entryAt(offsets[0]!);
    for (const o of offsets) {
      const e = this.#entryAt(o);
      const names = e.certificateIssuer;
      const issuerMatches = names
        ? names.some((g) => g.type === 'dirName' && g.value.equals(serial.issuer))
        : this.issuer.equals(serial.issuer);
      if (issuerMatches) return e;
    }
    return undefined;
  }

  /**
   * Checks the signature with the issuer's key (or certificate), and that the inner and outer
   * algorithm identifiers agree (RFC 5280 §5.1.1.2). False for a wrong signature; throws for an
   * unsupported algorithm.
   *
   * @example
   * ```ts
   * await crl.verifySignature(caCert); // true
   * ```
   */
  async verifySignature(issuer: PublicKey | Certificate): Promise<boolean> {
    if (!(issuer instanceof Certificate) && !(issuer instanceof PublicKey))
      throw misuse("verifySignature needs the CA's Certificate or its PublicKey.");
    const key = issuer instanceof Certificate ? issuer.publicKey : issuer;
    const outer = encodingOf(this.#sigAlg);
    const inner = encodingOf(this.#innerSigAlg);
    if (outer.length !== inner.length || outer.some((b, i) => b !== inner[i])) return false;
    return verifySignature(key, this.signatureAlgorithm, this.tbs, this.signature);
  }

  /** PEM text with the X509 CRL label (RFC 7468 §6). @example `await writeFile('ca.crl', crl.toPem())` */
  toPem(options: { eol?: '\n' | '\r\n' } = {}): string {
    return encodePem('X509 CRL', this.der, options);
  }
}

/**
 * Parses a DER CRL. The envelope, version and dates are checked now; extensions when read and
 * entries when iterated or looked up. Malformed input throws a PkiError (ERR_PKI_CRL_INVALID
 * or an ERR_PKI_DER_* code), never another exception.
 *
 * @example
 * ```ts
 * const crl = parseCrl(new Uint8Array(await readFile('Contoso.crl')));
 * ```
 */
export function parseCrl(der: Uint8Array): Crl {
  if (!(der instanceof Uint8Array)) throw misuse('parseCrl() expects a Uint8Array of DER.');
  return guard(CRL_ERR, 'The CRL', () => new Crl(der));
}

// --- building ----------------------------------------------------------------------------------

/**
 * One revoked certificate for {@link createCrl}.
 *
 * @example
 * ```ts
 * const entry: CrlEntryInit = { serialNumber: leaf.serialNumber, revocationDate: new Date(), reason: 'superseded' };
 * ```
 */
export interface CrlEntryInit {
  /** Hex, bigint or magnitude bytes (positive, at most 20 octets: RFC 5280 §4.1.2.2). */
  serialNumber: string | bigint | Uint8Array;
  revocationDate: Date;
  /** Omitted (no reasonCode extension) when undefined or 'unspecified' (RFC 5280 §5.3.1). */
  reason?: CrlReason;
  /** invalidityDate (RFC 5280 §5.3.2). */
  invalidityDate?: Date;
  /** certificateIssuer (RFC 5280 §5.3.3): only in indirect CRLs; applies to the entries that follow too. */
  certificateIssuer?: readonly GeneralName[];
  /** More entry extensions, after the ones above. */
  extensions?: readonly Extension[];
}

/**
 * What {@link createCrl} needs.
 *
 * @example
 * ```ts
 * const init: CrlInit = { issuer: caCert, signingKey: caKey, crlNumber: 8n, deltaCrlIndicator: 7n, entries: [] };
 * ```
 */
export interface CrlInit {
  /** The CA certificate: gives the issuer name and the AKI (from its SKI). */
  issuer: Certificate;
  /** The CA's private key. */
  signingKey: PrivateKey;
  /** Default: now, truncated to the second. */
  thisUpdate?: Date;
  /** Default: thisUpdate plus `days`. RFC 5280 §5.1.2.5 requires it, so it is always written. */
  nextUpdate?: Date;
  /** Validity in days when nextUpdate is not given (default 7, the AD CS base CRL period). */
  days?: number;
  /** cRLNumber (RFC 5280 §5.2.3): increases with every CRL the CA issues. */
  crlNumber: bigint | number;
  entries?: readonly CrlEntryInit[];
  /** Makes a delta CRL over the complete CRL with this number (RFC 5280 §5.2.4). */
  deltaCrlIndicator?: bigint | number;
  issuingDistributionPoint?: IssuingDistributionPoint;
  /** freshestCRL (RFC 5280 §5.2.6): where the delta CRLs are. */
  freshestCrl?: readonly DistributionPoint[];
  /**
   * More CRL extensions. Built-in ones (AKI, cRLNumber, deltaCRLIndicator, IDP, freshestCRL) are
   * written first in that order, each unless `extensions` already has one with its OID, in which
   * case yours is written where you put it.
   */
  extensions?: readonly Extension[];
  /** Add authorityKeyIdentifier (RFC 5280 §5.2.1 MUST). Default true. */
  authorityKeyIdentifier?: boolean;
  /** Hash (default SHA-256 or the curve's) and RSA-PSS choice. */
  signature?: { hash?: HashName; pss?: boolean };
}

function checkDate(d: unknown, what: string): Date {
  if (!(d instanceof Date) || !Number.isFinite(d.getTime())) throw misuse(`${what} must be a valid Date.`);
  return d;
}

function encodeEntry(e: CrlEntryInit, delta: boolean, indirect: boolean): Uint8Array {
  if (typeof e !== 'object' || e === null) throw misuse('Each CRL entry must be an object.');
  const serial = serialToBytes(e.serialNumber);
  const exts: Extension[] = [];
  if (e.reason !== undefined && e.reason !== 'unspecified') {
    // RFC 5280 §5.3.1: removeFromCRL is only for delta CRLs.
    if (e.reason === 'removeFromCRL' && !delta)
      bad(
        'The reason removeFromCRL is only allowed in a delta CRL (RFC 5280 §5.3.1): set deltaCrlIndicator.',
      );
    exts.push(crlReason(e.reason));
  }
  if (e.invalidityDate !== undefined)
    exts.push(invalidityDate(checkDate(e.invalidityDate, 'invalidityDate')));
  if (e.certificateIssuer !== undefined) {
    if (!indirect)
      bad(
        'certificateIssuer is only allowed in an indirect CRL (RFC 5280 §5.3.3): set issuingDistributionPoint.indirectCRL.',
      );
    exts.push(certificateIssuer(e.certificateIssuer));
  }
  if (e.extensions) exts.push(...e.extensions);
  const parts = [
    tlv(T.INTEGER, serial[0]! & 0x80 ? Uint8Array.of(0, ...serial) : serial),
    writeTime(checkDate(e.revocationDate, 'revocationDate')),
  ];
  if (exts.length) parts.push(encodeExtensions(exts));
  return seq(...parts);
}

/**
 * Builds and signs an X.509 v2 CRL (RFC 5280 §5). Adds authorityKeyIdentifier from the issuer's
 * SKI and cRLNumber; entries get reasonCode (omitted for unspecified), invalidityDate and
 * certificateIssuer when given. deltaCRLIndicator and issuingDistributionPoint are critical.
 *
 * @example
 * ```ts
 * const crl = await createCrl({
 *   issuer: caCert,
 *   signingKey: caKey,
 *   crlNumber: 7n,
 *   thisUpdate: new Date('2026-03-01T00:00:00Z'),
 *   nextUpdate: new Date('2026-03-08T00:00:00Z'),
 *   entries: [{ serialNumber: '1A2B3C', revocationDate: new Date('2026-02-27T10:00:00Z'), reason: 'keyCompromise' }],
 * });
 * await writeFile('Contoso.crl', crl.der);
 * ```
 */
export async function createCrl(init: CrlInit): Promise<Crl> {
  if (typeof init !== 'object' || init === null) throw misuse('createCrl() needs an options object.');
  if (!(init.issuer instanceof Certificate)) throw misuse('createCrl() needs the issuer Certificate.');
  const alg = signatureAlgorithmFor(init.signingKey, init.signature);
  const number = crlNumberValue(init.crlNumber, 'The CRL number');
  const thisUpdate = new Date(
    Math.floor(checkDate(init.thisUpdate ?? new Date(), 'thisUpdate').getTime() / 1000) * 1000,
  );
  const days = init.days ?? 7;
  if (!(typeof days === 'number' && days > 0 && Number.isFinite(days)))
    throw misuse('days must be positive.');
  const nextUpdate = checkDate(
    init.nextUpdate ?? new Date(thisUpdate.getTime() + days * 86_400_000),
    'nextUpdate',
  );
  if (nextUpdate.getTime() < thisUpdate.getTime())
    bad('nextUpdate is before thisUpdate (RFC 5280 §5.1.2.5): relying parties would reject the CRL.');
  const user = [...(init.extensions ?? [])];
  const has = (oid: string) => user.some((e) => e.oid === oid);
  const built: Extension[] = [];
  if (init.authorityKeyIdentifier !== false && !has(OID.authorityKeyIdentifier)) {
    const keyId = init.issuer.subjectKeyIdentifier ?? (await init.issuer.publicKey.keyIdentifier());
    built.push(akiExtension({ keyIdentifier: keyId }));
  }
  const userNumber = user.find((e) => e.oid === OID.cRLNumber);
  if (!userNumber) built.push(crlNumber(number));
  else if (decodeCrlNumber(userNumber.value) !== number)
    throw misuse('The cRLNumber extension in `extensions` disagrees with `crlNumber`.');
  const delta = init.deltaCrlIndicator !== undefined || has(OID.deltaCRLIndicator);
  if (init.deltaCrlIndicator !== undefined) {
    const base = crlNumberValue(init.deltaCrlIndicator, 'The base CRL number');
    // RFC 5280 §5.2.4: a delta CRL's number is greater than the number of the CRL it updates.
    if (base >= number)
      bad(
        `A delta CRL's number (${number}) must be greater than its base CRL number (${base}) (RFC 5280 §5.2.4).`,
      );
    if (!has(OID.deltaCRLIndicator)) built.push(deltaCrlIndicator(base));
  }
  let indirect = false;
  if (init.issuingDistributionPoint) {
    indirect = init.issuingDistributionPoint.indirectCRL === true;
    if (!has(OID.issuingDistributionPoint))
      built.push(issuingDistributionPoint(init.issuingDistributionPoint));
  } else {
    const idp = user.find((e) => e.oid === OID.issuingDistributionPoint);
    if (idp) indirect = decodeIssuingDistributionPoint(idp.value).indirectCRL === true;
  }
  if (init.freshestCrl && !has(OID.freshestCRL)) built.push(freshestCrlExtension(init.freshestCrl));
  const exts = [...built, ...user];
  const entries = init.entries ?? [];
  if (!Array.isArray(entries)) throw misuse('entries must be an array.');
  const tbsParts = [int(1), alg.der, init.issuer.subject.der, writeTime(thisUpdate), writeTime(nextUpdate)];
  // RFC 5280 §5.1.2.6: with no revoked certificates the list is absent, not empty.
  if (entries.length) {
    const encoded = entries.map((e) => encodeEntry(e, delta, indirect));
    tbsParts.push(tlv(T.SEQUENCE, concat(encoded)));
  }
  tbsParts.push(explicit(0, encodeExtensions(exts)));
  const tbs = tlv(T.SEQUENCE, concat(tbsParts));
  const sig = await signData(init.signingKey, alg, tbs);
  return new Crl(seq(tbs, alg.der, bitString(sig)));
}
