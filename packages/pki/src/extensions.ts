// Certificate extensions (RFC 5280 §4.2) and the Microsoft ones AD CS writes. Every extension
// is kept as its raw extnValue so unknown ones round-trip untouched with their critical flag;
// typed views are decoded on demand by `decodeExtension` and the `decode*` functions.

import { PkiError } from './errors.js';
import {
  encodeGeneralName,
  encodeGeneralNames,
  type GeneralName,
  readGeneralName,
  readGeneralNames,
} from './general-names.js';
import { fromHex, toHex } from './internal/bytes.js';
import {
  bitString,
  bool,
  Cursor,
  contentOf,
  oid as encOid,
  encodingOf,
  explicit,
  implicitCons,
  implicitPrim,
  int,
  octets,
  readBigInt,
  readBitString,
  readBoolean,
  readOctetString,
  readOid,
  readSmallInt,
  readString,
  readWhole,
  seq,
  str,
  T,
  type Tlv,
  tlv,
  uintBytes,
} from './internal/der.js';
import { guard } from './internal/guard.js';
import { readTime, writeTime } from './internal/time.js';
import { Name, type Rdn } from './names.js';
import { OID } from './oids.js';

/**
 * One extension as encoded: `value` is the content of extnValue (the DER of the extension's own type).
 *
 * @example
 * ```ts
 * const ext: Extension = basicConstraints({ ca: true, pathLength: 0 });
 * [ext.oid, ext.critical, toHex(ext.value)]; // ['2.5.29.19', true, '30060101ff020100']
 * ```
 */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

function bad(msg: string, cause?: unknown): never {
  throw new PkiError('ERR_PKI_EXTENSION_INVALID', msg, cause ? { cause } : undefined);
}

/**
 * @internal Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` (RFC 5280 §4.1).
 *
 * @example
 * ```ts
 * readExtensions(readWhole(encodeExtensions([basicConstraints({ ca: true })])));
 * // [{ oid: '2.5.29.19', critical: true, value: Uint8Array [0x30, 0x03, 0x01, 0x01, 0xff] }]
 * ```
 */
export function readExtensions(t: Tlv): Extension[] {
  const c = Cursor.of(t, T.SEQUENCE);
  const out: Extension[] = [];
  const seen = new Set<string>();
  while (!c.done()) {
    const e = Cursor.of(c.next(T.SEQUENCE));
    const id = readOid(e.next(T.OID));
    // DER omits critical when FALSE (X.690 §11.5); a present FALSE is tolerated on input as
    // OpenSSL does, but we never write it.
    const crit = e.peek() === T.BOOLEAN ? readBoolean(e.next()) : false;
    const value = readOctetString(e.next(T.OCTET_STRING));
    e.end('Extension');
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
    if (seen.has(id))
      throw new PkiError(
        'ERR_PKI_EXTENSION_DUPLICATE',
        `The extension ${id} appears twice; RFC 5280 §4.2 allows one instance.`,
      );
    seen.add(id);
    out.push({ oid: id, critical: crit, value });
  }
  if (out.length === 0)
    bad('The extensions list is present but empty (RFC 5280 §4.1 requires at least one).');
  return out;
}

/**
 * @internal Reads an `[n] EXPLICIT Extensions` wrapper (certificates' [3], CRLs' [0]),
 * turning any decoding failure into ERR_PKI_EXTENSION_INVALID.
 *
 * @example
 * ```ts
 * const wrapper = readWhole(explicit(3, encodeExtensions([keyUsage(['keyCertSign'])])));
 * readExplicitExtensions(wrapper, 'certificate extensions field')[0].oid; // '2.5.29.15'
 * ```
 *
 * `field` is a noun phrase without article: the messages say "The <field> …".
 */
export function readExplicitExtensions(wrapper: Tlv, field: string): Extension[] {
  return guard('ERR_PKI_EXTENSION_INVALID', `The ${field}`, () => {
    const c = Cursor.of(wrapper);
    const list = readExtensions(c.next(T.SEQUENCE));
    c.end(field);
    return list;
  });
}

/**
 * @internal Encodes the Extensions SEQUENCE.
 *
 * @example
 * ```ts
 * toHex(encodeExtensions([basicConstraints({ ca: true, pathLength: 0 })])); // '301430120603551d130101ff040830060101ff020100'
 * ```
 */
export function encodeExtensions(exts: readonly Extension[]): Uint8Array {
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid))
      throw new PkiError('ERR_PKI_EXTENSION_DUPLICATE', `The extension ${e.oid} is given twice.`);
    seen.add(e.oid);
  }
  return seq(
    ...exts.map((e) =>
      e.critical ? seq(encOid(e.oid), bool(true), octets(e.value)) : seq(encOid(e.oid), octets(e.value)),
    ),
  );
}

function decodeWith<T>(name: string, value: Uint8Array, fn: (t: Tlv) => T): T {
  return guard('ERR_PKI_EXTENSION_INVALID', `The ${name} extension`, () => fn(readWhole(value)));
}

// --- basicConstraints (RFC 5280 §4.2.1.9) ----------------------------------------------------

/**
 * basicConstraints: whether the subject is a CA, and the maximum number of CAs below it.
 *
 * @example
 * ```ts
 * const bc: BasicConstraints = { ca: true, pathLength: 0 };
 * decodeBasicConstraints(basicConstraints(bc).value); // { ca: true, pathLength: 0 }
 * ```
 */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number;
}

/**
 * Builds basicConstraints; critical by default, as RFC 5280 §4.2.1.9 requires in CA certificates.
 *
 * @example
 * ```ts
 * basicConstraints({ ca: true, pathLength: 0 });
 * ```
 */
export function basicConstraints(v: BasicConstraints, critical = true): Extension {
  if (v.pathLength !== undefined && (!v.ca || !Number.isInteger(v.pathLength) || v.pathLength < 0)) {
    throw new TypeError('pathLength needs ca: true and a non-negative integer');
  }
  const parts: Uint8Array[] = [];
  if (v.ca) parts.push(bool(true));
  if (v.pathLength !== undefined) parts.push(int(v.pathLength));
  return { oid: OID.basicConstraints, critical, value: seq(...parts) };
}

/** Decodes basicConstraints. @example `decodeBasicConstraints(ext.value).ca` */
export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  return decodeWith('basicConstraints', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const ca = c.peek() === T.BOOLEAN ? readBoolean(c.next()) : false;
    const pathLength = c.peek() === T.INTEGER ? readSmallInt(c.next()) : undefined;
    c.end('basicConstraints');
    return pathLength === undefined ? { ca } : { ca, pathLength };
  });
}

// --- keyUsage (RFC 5280 §4.2.1.3) ------------------------------------------------------------

/**
 * The keyUsage bits in their RFC 5280 order (bit 0 first).
 *
 * @example
 * ```ts
 * KEY_USAGE_FLAGS.indexOf('keyCertSign'); // 5, its bit number
 * ```
 */
export const KEY_USAGE_FLAGS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
/**
 * One keyUsage bit, by its name in {@link KEY_USAGE_FLAGS}.
 *
 * @example
 * ```ts
 * const usages: KeyUsageFlag[] = ['digitalSignature', 'keyEncipherment'];
 * keyUsage(usages);
 * ```
 */
export type KeyUsageFlag = (typeof KEY_USAGE_FLAGS)[number];

/**
 * Builds keyUsage (critical by default, as RFC 5280 §4.2.1.3 recommends). The BIT STRING is
 * DER: trailing zero bits removed (X.690 §11.2.2).
 *
 * @example
 * ```ts
 * keyUsage(['digitalSignature', 'keyEncipherment']);
 * ```
 */
export function keyUsage(flags: readonly KeyUsageFlag[], critical = true): Extension {
  let bits = 0;
  for (const f of flags) {
    const i = KEY_USAGE_FLAGS.indexOf(f);
    if (i < 0) throw new TypeError(`unknown key usage ${f}: use ${KEY_USAGE_FLAGS.join(', ')}.`);
    bits |= 1 << i;
  }
  if (bits === 0) throw new TypeError('keyUsage needs at least one flag (RFC 5280 §4.2.1.3)');
  let highest = 0;
  for (let i = 0; i < 9; i++) if (bits & (1 << i)) highest = i;
  const nbytes = highest >= 8 ? 2 : 1;
  const bytes = new Uint8Array(nbytes);
  for (let i = 0; i <= highest; i++) if (bits & (1 << i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  const unused = nbytes * 8 - (highest + 1);
  return { oid: OID.keyUsage, critical, value: bitString(bytes, unused) };
}

/** Decodes keyUsage to its flags. @example `decodeKeyUsage(ext.value).includes('keyCertSign')` */
export function decodeKeyUsage(value: Uint8Array): KeyUsageFlag[] {
  return decodeWith('keyUsage', value, (t) => {
    const { bytes } = readBitString(t);
    const out: KeyUsageFlag[] = [];
    for (let i = 0; i < KEY_USAGE_FLAGS.length; i++)
      if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) out.push(KEY_USAGE_FLAGS[i]!);
    return out;
  });
}

// --- extKeyUsage (RFC 5280 §4.2.1.12) --------------------------------------------------------

const EKU_NAMES: Record<string, string> = {
  serverAuth: OID.serverAuth,
  clientAuth: OID.clientAuth,
  codeSigning: OID.codeSigning,
  emailProtection: OID.emailProtection,
  timeStamping: OID.timeStamping,
  OCSPSigning: OID.OCSPSigning,
  ocspSigning: OID.OCSPSigning,
  ipsecIKE: OID.ipsecIKE,
  anyExtendedKeyUsage: OID.anyExtendedKeyUsage,
  any: OID.anyExtendedKeyUsage,
  smartcardLogon: OID.msSmartcardLogin,
  msEFS: OID.msEFS,
  documentSigning: OID.msDocumentSigning,
};

/**
 * Resolves an EKU name (`serverAuth`, `clientAuth`, `codeSigning`, …) or dotted OID to the OID.
 *
 * @example
 * ```ts
 * ekuOid('serverAuth'); // '1.3.6.1.5.5.7.3.1'
 * ```
 */
export function ekuOid(nameOrOid: string): string {
  // Own keys only: "constructor" or "__proto__" would otherwise find Object.prototype members.
  if (Object.hasOwn(EKU_NAMES, nameOrOid)) return EKU_NAMES[nameOrOid]!;
  if (/^[0-2](\.(0|[1-9][0-9]*))+$/.test(nameOrOid)) return nameOrOid;
  throw new PkiError(
    'ERR_PKI_EXTENSION_INVALID',
    `"${nameOrOid}" is not a known extended key usage; use serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning or a dotted OID.`,
  );
}

/** Builds extKeyUsage from names or OIDs. @example `extKeyUsage(['serverAuth', 'clientAuth'])` */
export function extKeyUsage(usages: readonly string[], critical = false): Extension {
  if (usages.length === 0) throw new TypeError('extKeyUsage needs at least one purpose');
  return { oid: OID.extKeyUsage, critical, value: seq(...usages.map((u) => encOid(ekuOid(u)))) };
}

/** Decodes extKeyUsage (also Microsoft application policies' OIDs) to OIDs. @example `decodeExtKeyUsage(ext.value)` */
export function decodeExtKeyUsage(value: Uint8Array): string[] {
  return decodeWith('extKeyUsage', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: string[] = [];
    while (!c.done()) out.push(readOid(c.next(T.OID)));
    if (out.length === 0) bad('extKeyUsage is empty.');
    return out;
  });
}

// --- subjectAltName / issuerAltName (RFC 5280 §4.2.1.6/7) --------------------------------------

/**
 * Builds subjectAltName. RFC 5280 §4.2.1.6: critical when the subject is empty.
 *
 * An iPAddress must be an address and a name must fit its ASN.1 type (IA5String for dNSName,
 * rfc822Name and URI); a dNSName's host-name syntax is not checked, because a CA copies what
 * requests carry (an IP address written as a dNSName, for clients that never read iPAddress
 * names, is one such). Check what a user typed with {@link isValidHostname} first.
 *
 * @example
 * ```ts
 * subjectAltName([{ type: 'dns', value: 'exch01.contoso.com' }, { type: 'ip', value: '10.0.0.5' }]);
 * ```
 */
export function subjectAltName(names: readonly GeneralName[], critical = false): Extension {
  return { oid: OID.subjectAltName, critical, value: encodeGeneralNames(names) };
}

/** Builds issuerAltName. @example `issuerAltName([{ type: 'uri', value: 'http://pki.contoso.com' }])` */
export function issuerAltName(names: readonly GeneralName[], critical = false): Extension {
  return { oid: OID.issuerAltName, critical, value: encodeGeneralNames(names) };
}

/** Decodes a GeneralNames extension value (SAN, IAN, certificateIssuer). @example `decodeGeneralNames(ext.value)` */
export function decodeGeneralNames(value: Uint8Array): GeneralName[] {
  return decodeWith('GeneralNames', value, readGeneralNames);
}

// --- key identifiers (RFC 5280 §4.2.1.1/2) ----------------------------------------------------

/** Builds subjectKeyIdentifier. @example `subjectKeyIdentifier(await key.publicKey.keyIdentifier())` */
export function subjectKeyIdentifier(keyId: Uint8Array): Extension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: octets(keyId) };
}

/** Decodes subjectKeyIdentifier. @example `toHex(decodeSubjectKeyIdentifier(ext.value))` */
export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  return decodeWith('subjectKeyIdentifier', value, (t) => readOctetString(t));
}

/**
 * authorityKeyIdentifier fields. `serialNumber` is the issuer certificate's serial as uppercase hex.
 *
 * @example
 * ```ts
 * const aki: AuthorityKeyIdentifier = decodeAuthorityKeyIdentifier(authorityKeyIdentifier({ authorityCertSerialNumber: '1a2b' }).value);
 * aki; // { authorityCertSerialNumber: '1A2B' }
 * ```
 */
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: Uint8Array;
  readonly authorityCertIssuer?: GeneralName[];
  readonly authorityCertSerialNumber?: string;
}

/**
 * Builds authorityKeyIdentifier (never critical, RFC 5280 §4.2.1.1).
 *
 * @example
 * ```ts
 * authorityKeyIdentifier({ keyIdentifier: caSki });
 * ```
 */
export function authorityKeyIdentifier(v: AuthorityKeyIdentifier): Extension {
  const parts: Uint8Array[] = [];
  if (v.keyIdentifier) parts.push(implicitPrim(0, v.keyIdentifier));
  if (v.authorityCertIssuer)
    parts.push(implicitCons(1, ...v.authorityCertIssuer.map((g) => encodeGeneralName(g))));
  if (v.authorityCertSerialNumber !== undefined)
    parts.push(retag(uintBytes(hexBytes(v.authorityCertSerialNumber)), 0x82));
  return { oid: OID.authorityKeyIdentifier, critical: false, value: seq(...parts) };
}

/** A serial number's hex, an odd number of digits read with a leading zero (`1A2` is 0x01A2). */
function hexBytes(h: string): Uint8Array {
  const clean = h.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(clean)) throw new TypeError(`not a hex serial: ${h.slice(0, 40)}`);
  return fromHex(clean.length % 2 ? `0${clean}` : clean);
}

function retag(enc: Uint8Array, id: number): Uint8Array {
  const c = enc.slice();
  c[0] = id;
  return c;
}

/** Decodes authorityKeyIdentifier. @example `decodeAuthorityKeyIdentifier(ext.value).keyIdentifier` */
export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  return decodeWith('authorityKeyIdentifier', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: {
      keyIdentifier?: Uint8Array;
      authorityCertIssuer?: GeneralName[];
      authorityCertSerialNumber?: string;
    } = {};
    if (c.peek() === 0x80) out.keyIdentifier = contentOf(c.next());
    if (c.peek() === 0xa1) {
      const names = c.next();
      out.authorityCertIssuer = readGeneralNames({ ...names, id: T.SEQUENCE });
    }
    if (c.peek() === 0x82) {
      const s = c.next();
      readBigInt({ ...s, id: T.INTEGER });
      out.authorityCertSerialNumber = toHex(contentOf(s), true);
    }
    c.end('authorityKeyIdentifier');
    return out;
  });
}

// --- CRL distribution points (RFC 5280 §4.2.1.13) -------------------------------------------

/**
 * The ReasonFlags bits of a distribution point in their RFC 5280 §4.2.1.13 order (bit 0 first).
 *
 * @example
 * ```ts
 * REASON_FLAGS.indexOf('superseded'); // 4, its bit number
 * ```
 */
export const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
/**
 * One ReasonFlags bit, by its name in {@link REASON_FLAGS}.
 *
 * @example
 * ```ts
 * const reasons: ReasonFlag[] = ['keyCompromise', 'cACompromise'];
 * ```
 */
export type ReasonFlag = (typeof REASON_FLAGS)[number];

/**
 * One DistributionPoint: where to fetch a CRL, for which reasons, from which CRL issuer.
 *
 * @example
 * ```ts
 * const dp: DistributionPoint = { fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso.crl' }] };
 * crlDistributionPoints([dp]);
 * ```
 */
export interface DistributionPoint {
  readonly fullName?: GeneralName[];
  readonly nameRelativeToCRLIssuer?: Rdn;
  readonly reasons?: ReasonFlag[];
  readonly cRLIssuer?: GeneralName[];
}

/**
 * @internal encodes ReasonFlags as a DER named BIT STRING.
 *
 * @example
 * ```ts
 * toHex(encodeReasonFlags(['keyCompromise', 'cACompromise'])); // '03020560'
 * toHex(encodeReasonFlags(['keyCompromise'], 0x81));            // '81020640', the [1] IMPLICIT of a DistributionPoint
 * ```
 */
export function encodeReasonFlags(flags: readonly ReasonFlag[], id = T.BIT_STRING as number): Uint8Array {
  let highest = -1;
  const bytes = new Uint8Array(2);
  for (const f of flags) {
    const i = REASON_FLAGS.indexOf(f);
    if (i < 0) throw new TypeError(`unknown reason ${f}`);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
    highest = Math.max(highest, i);
  }
  if (highest < 0) return tlv(id, Uint8Array.of(0));
  const n = highest >= 8 ? 2 : 1;
  return tlv(id, Uint8Array.of(n * 8 - (highest + 1)), bytes.subarray(0, n));
}

/**
 * @internal decodes ReasonFlags.
 *
 * @example
 * ```ts
 * decodeReasonFlags(readWhole(fromHex('03 02 05 60'))); // ['keyCompromise', 'cACompromise']
 * ```
 */
export function decodeReasonFlags(t: Tlv): ReasonFlag[] {
  const { bytes } = readBitString({ ...t, id: T.BIT_STRING });
  const out: ReasonFlag[] = [];
  for (let i = 0; i < REASON_FLAGS.length; i++)
    if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) out.push(REASON_FLAGS[i]!);
  return out;
}

/**
 * @internal DistributionPointName, shared with issuingDistributionPoint.
 *
 * @example
 * ```ts
 * toHex(encodeDistributionPointName(undefined, [{ type: '2.5.4.3', value: 'Contoso CA' }])!); // 'a015a113301106035504030c0a436f6e746f736f204341'
 * encodeDistributionPointName(); // undefined
 * ```
 */
export function encodeDistributionPointName(
  fullName?: readonly GeneralName[],
  rel?: Rdn,
): Uint8Array | undefined {
  if (fullName) return explicit(0, implicitCons(0, ...fullName.map((g) => encodeGeneralName(g))));
  if (rel) {
    const n = Name.from([rel]);
    // The RDN SET is the single child of the Name SEQUENCE; retag it [1] IMPLICIT.
    const inner = readWhole(n.der);
    return explicit(0, retag(encodingOf(Cursor.of(inner).next()), 0xa1));
  }
  return undefined;
}

/**
 * Decodes a DistributionPointName: its [0] fullName or [1] nameRelativeToCRLIssuer.
 *
 * @internal
 *
 * @example
 * ```ts
 * const dpn = encodeDistributionPointName([{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso.crl' }])!;
 * decodeDistributionPointName(readWhole(dpn)); // { fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso.crl' }] }
 * ```
 */
export function decodeDistributionPointName(t: Tlv): {
  fullName?: GeneralName[];
  nameRelativeToCRLIssuer?: Rdn;
} {
  const c = Cursor.of(t);
  const inner = c.next();
  c.end('DistributionPointName');
  if (inner.id === 0xa0) return { fullName: readGeneralNames({ ...inner, id: T.SEQUENCE }) };
  if (inner.id === 0xa1) {
    const set = tlv(T.SET, contentOf(inner));
    const n = Name.fromDer(seq(set));
    return { nameRelativeToCRLIssuer: n.rdns[0]! };
  }
  bad('A DistributionPointName has an unknown form.');
}

/**
 * Builds cRLDistributionPoints (AD CS puts an LDAP and an HTTP URL here).
 *
 * @example
 * ```ts
 * crlDistributionPoints([{ fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso.crl' }] }]);
 * ```
 */
export function crlDistributionPoints(points: readonly DistributionPoint[], critical = false): Extension {
  return { oid: OID.cRLDistributionPoints, critical, value: encodeDistributionPoints(points) };
}

function encodeDistributionPoints(points: readonly DistributionPoint[]): Uint8Array {
  if (points.length === 0) throw new TypeError('at least one distribution point');
  return seq(
    ...points.map((p) => {
      const parts: Uint8Array[] = [];
      const dpn = encodeDistributionPointName(p.fullName, p.nameRelativeToCRLIssuer);
      if (dpn) parts.push(dpn);
      if (p.reasons) parts.push(encodeReasonFlags(p.reasons, 0x81));
      if (p.cRLIssuer) parts.push(implicitCons(2, ...p.cRLIssuer.map((g) => encodeGeneralName(g))));
      return seq(...parts);
    }),
  );
}

/** Decodes cRLDistributionPoints (and freshestCRL). @example `decodeCrlDistributionPoints(ext.value)[0].fullName` */
export function decodeCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
  return decodeWith('cRLDistributionPoints', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: DistributionPoint[] = [];
    while (!c.done()) {
      const p = Cursor.of(c.next(T.SEQUENCE));
      const dp: {
        fullName?: GeneralName[];
        nameRelativeToCRLIssuer?: Rdn;
        reasons?: ReasonFlag[];
        cRLIssuer?: GeneralName[];
      } = {};
      if (p.peek() === 0xa0) Object.assign(dp, decodeDistributionPointName(p.next()));
      if (p.peek() === 0x81) dp.reasons = decodeReasonFlags(p.next());
      if (p.peek() === 0xa2) dp.cRLIssuer = readGeneralNames({ ...p.next(), id: T.SEQUENCE });
      p.end('DistributionPoint');
      // RFC 5280 §4.2.1.13: a point MUST NOT consist of only reasons.
      if (!dp.fullName && !dp.nameRelativeToCRLIssuer && !dp.cRLIssuer)
        bad('A distribution point has neither a name nor a CRL issuer.');
      out.push(dp);
    }
    if (out.length === 0) bad('cRLDistributionPoints is empty.');
    return out;
  });
}

/** Builds freshestCRL (delta CRL distribution points, RFC 5280 §4.2.1.15). @example `freshestCrl([{ fullName: [{ type: 'uri', value: 'http://x/delta.crl' }] }])` */
export function freshestCrl(points: readonly DistributionPoint[]): Extension {
  return { oid: OID.freshestCRL, critical: false, value: encodeDistributionPoints(points) };
}

// --- authority / subject information access (RFC 5280 §4.2.2.1/2) ----------------------------

/**
 * An AccessDescription: `method` is an OID (`OID.caIssuers`, `OID.ocsp`) or `caIssuers`/`ocsp`.
 *
 * @example
 * ```ts
 * const ocsp: AccessDescription = { method: 'ocsp', location: { type: 'uri', value: 'http://ocsp.contoso.com' } };
 * decodeInfoAccess(authorityInfoAccess([ocsp]).value)[0].method; // '1.3.6.1.5.5.7.48.1'
 * ```
 */
export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

function accessMethodOid(m: string): string {
  if (m === 'caIssuers') return OID.caIssuers;
  if (m === 'ocsp') return OID.ocsp;
  return m;
}

/**
 * Builds authorityInfoAccess.
 *
 * @example
 * ```ts
 * authorityInfoAccess([{ method: 'caIssuers', location: { type: 'uri', value: 'http://pki.contoso.com/CertEnroll/ca.crt' } }]);
 * ```
 */
export function authorityInfoAccess(items: readonly AccessDescription[]): Extension {
  return { oid: OID.authorityInfoAccess, critical: false, value: encodeAccess(items) };
}

/** Builds subjectInfoAccess. @example `subjectInfoAccess([{ method: '1.3.6.1.5.5.7.48.5', location: { type: 'uri', value: 'http://x/' } }])` */
export function subjectInfoAccess(items: readonly AccessDescription[]): Extension {
  return { oid: OID.subjectInfoAccess, critical: false, value: encodeAccess(items) };
}

function encodeAccess(items: readonly AccessDescription[]): Uint8Array {
  if (items.length === 0) throw new TypeError('at least one access description');
  return seq(...items.map((a) => seq(encOid(accessMethodOid(a.method)), encodeGeneralName(a.location))));
}

/** Decodes authorityInfoAccess / subjectInfoAccess. @example `decodeInfoAccess(ext.value)` */
export function decodeInfoAccess(value: Uint8Array): AccessDescription[] {
  return decodeWith('information access', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: AccessDescription[] = [];
    while (!c.done()) {
      const a = Cursor.of(c.next(T.SEQUENCE));
      const method = readOid(a.next(T.OID));
      const location = readGeneralName(a.next());
      a.end('AccessDescription');
      out.push({ method, location });
    }
    if (out.length === 0) bad('The information access extension is empty.');
    return out;
  });
}

// --- certificate policies (RFC 5280 §4.2.1.4) and MS application policies -------------------

/**
 * A policy qualifier (RFC 5280 §4.2.1.4): a CPS URI, a user notice, or any other qualifier kept as DER.
 *
 * @example
 * ```ts
 * const cps: PolicyQualifier = { type: 'cps', uri: 'http://pki.contoso.com/cps' };
 * ```
 */
export type PolicyQualifier =
  | { readonly type: 'cps'; readonly uri: string }
  | {
      readonly type: 'userNotice';
      /** `organizationTag`: the DisplayText string type when it is not UTF8String (kept for exact round trips). */
      readonly noticeRef?: { organization: string; noticeNumbers: number[]; organizationTag?: number };
      readonly explicitText?: string;
      /** The DisplayText string type of explicitText when it is not UTF8String (OpenSSL writes VisibleString). */
      readonly explicitTextTag?: number;
    }
  | { readonly type: 'other'; readonly oid: string; readonly der: Uint8Array };

/**
 * One certificatePolicies entry: a policy OID and its optional qualifiers (RFC 5280 §4.2.1.4).
 *
 * @example
 * ```ts
 * const policy: PolicyInformation = { policyId: '1.3.6.1.4.1.311.21.8.1', qualifiers: [{ type: 'userNotice', explicitText: 'Contoso internal use only' }] };
 * certificatePolicies([policy]);
 * ```
 */
export interface PolicyInformation {
  readonly policyId: string;
  readonly qualifiers?: PolicyQualifier[];
}

function encodePolicies(policies: readonly PolicyInformation[]): Uint8Array {
  if (policies.length === 0) throw new TypeError('at least one policy');
  return seq(
    ...policies.map((p) => {
      if (!p.qualifiers || p.qualifiers.length === 0) return seq(encOid(p.policyId));
      return seq(
        encOid(p.policyId),
        seq(
          ...p.qualifiers.map((q) => {
            if (q.type === 'cps') return seq(encOid(OID.cpsQualifier), str(T.IA5_STRING, q.uri));
            if (q.type === 'userNotice') {
              const parts: Uint8Array[] = [];
              if (q.noticeRef)
                parts.push(
                  seq(
                    str(q.noticeRef.organizationTag ?? T.UTF8_STRING, q.noticeRef.organization),
                    seq(...q.noticeRef.noticeNumbers.map((n) => int(n))),
                  ),
                );
              // RFC 5280 §4.2.1.4: explicitText SHOULD be UTF8String, at most 200 characters.
              if (q.explicitText !== undefined)
                parts.push(str(q.explicitTextTag ?? T.UTF8_STRING, q.explicitText));
              return seq(encOid(OID.userNoticeQualifier), seq(...parts));
            }
            readWhole(q.der);
            return seq(encOid(q.oid), q.der);
          }),
        ),
      );
    }),
  );
}

// RFC 5280 §4.2.1.4: DisplayText ::= CHOICE { ia5String, visibleString, bmpString, utf8String }.
const DISPLAY_TEXT = new Set<number>([T.IA5_STRING, T.VISIBLE_STRING, T.BMP_STRING, T.UTF8_STRING]);

function decodePolicies(name: string, value: Uint8Array): PolicyInformation[] {
  return decodeWith(name, value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: PolicyInformation[] = [];
    const seen = new Set<string>();
    while (!c.done()) {
      const p = Cursor.of(c.next(T.SEQUENCE));
      const policyId = readOid(p.next(T.OID));
      // RFC 5280 §4.2.1.4: a policy OID MUST NOT appear more than once.
      if (seen.has(policyId)) bad(`The policy ${policyId} appears twice.`);
      seen.add(policyId);
      if (p.done()) {
        out.push({ policyId });
        continue;
      }
      const qs = Cursor.of(p.next(T.SEQUENCE));
      p.end('PolicyInformation');
      const qualifiers: PolicyQualifier[] = [];
      while (!qs.done()) {
        const q = Cursor.of(qs.next(T.SEQUENCE));
        const qid = readOid(q.next(T.OID));
        const qv = q.next();
        q.end('PolicyQualifierInfo');
        if (qid === OID.cpsQualifier && qv.id === T.IA5_STRING)
          qualifiers.push({ type: 'cps', uri: readString(qv) });
        else if (qid === OID.userNoticeQualifier && qv.id === T.SEQUENCE) {
          const u = Cursor.of(qv);
          const notice: {
            noticeRef?: { organization: string; noticeNumbers: number[]; organizationTag?: number };
            explicitText?: string;
            explicitTextTag?: number;
          } = {};
          if (u.peek() === T.SEQUENCE) {
            const r = Cursor.of(u.next());
            const org = r.next();
            if (!DISPLAY_TEXT.has(org.id)) bad('A NoticeReference organization is not a DisplayText string.');
            const organization = readString(org);
            const nums = Cursor.of(r.next(T.SEQUENCE));
            const noticeNumbers: number[] = [];
            while (!nums.done()) noticeNumbers.push(readSmallInt(nums.next()));
            r.end('NoticeReference');
            notice.noticeRef =
              org.id === T.UTF8_STRING
                ? { organization, noticeNumbers }
                : { organization, noticeNumbers, organizationTag: org.id };
          }
          if (!u.done()) {
            const et = u.next();
            if (!DISPLAY_TEXT.has(et.id)) bad('A UserNotice explicitText is not a DisplayText string.');
            notice.explicitText = readString(et);
            if (et.id !== T.UTF8_STRING) notice.explicitTextTag = et.id;
          }
          u.end('UserNotice');
          qualifiers.push({ type: 'userNotice', ...notice });
        } else qualifiers.push({ type: 'other', oid: qid, der: encodingOf(qv) });
      }
      out.push({ policyId, qualifiers });
    }
    if (out.length === 0) bad(`${name} is empty.`);
    return out;
  });
}

/**
 * Builds certificatePolicies.
 *
 * @example
 * ```ts
 * certificatePolicies([{ policyId: '2.23.140.1.2.1' }, { policyId: '1.3.6.1.4.1.311.21.8.1', qualifiers: [{ type: 'cps', uri: 'http://pki.contoso.com/cps' }] }]);
 * ```
 */
export function certificatePolicies(policies: readonly PolicyInformation[], critical = false): Extension {
  return { oid: OID.certificatePolicies, critical, value: encodePolicies(policies) };
}

/** Decodes certificatePolicies. @example `decodeCertificatePolicies(ext.value).map((p) => p.policyId)` */
export function decodeCertificatePolicies(value: Uint8Array): PolicyInformation[] {
  return decodePolicies('certificatePolicies', value);
}

/**
 * Builds Microsoft application policies (1.3.6.1.4.1.311.21.10), which AD CS writes next to
 * extKeyUsage with the same purposes, encoded as CertificatePolicies ([MS-WCCE] §2.2.2.7.7.3).
 *
 * @example
 * ```ts
 * msApplicationPolicies(['serverAuth']);
 * ```
 */
export function msApplicationPolicies(usages: readonly string[], critical = false): Extension {
  return {
    oid: OID.msApplicationPolicies,
    critical,
    value: encodePolicies(usages.map((u) => ({ policyId: ekuOid(u) }))),
  };
}

/** Decodes Microsoft application policies to their OIDs. @example `decodeMsApplicationPolicies(ext.value)` */
export function decodeMsApplicationPolicies(value: Uint8Array): string[] {
  return decodePolicies('application policies', value).map((p) => p.policyId);
}

// --- policy mappings / constraints / inhibitAnyPolicy (RFC 5280 §4.2.1.5, .11, .14) ----------

/**
 * One policyMappings pair: an issuer-domain policy the issuer considers equivalent to a
 * subject-domain policy (RFC 5280 §4.2.1.5).
 *
 * @example
 * ```ts
 * const mapping: PolicyMapping = { issuerDomainPolicy: '1.3.6.1.4.1.311.21.8.1', subjectDomainPolicy: '2.23.140.1.2.1' };
 * policyMappings([mapping]);
 * ```
 */
export interface PolicyMapping {
  readonly issuerDomainPolicy: string;
  readonly subjectDomainPolicy: string;
}

/** Builds policyMappings (critical by default, RFC 5280 §4.2.1.5 SHOULD). @example `policyMappings([{ issuerDomainPolicy: '1.2.3', subjectDomainPolicy: '1.2.4' }])` */
export function policyMappings(maps: readonly PolicyMapping[], critical = true): Extension {
  if (maps.length === 0) throw new TypeError('at least one mapping');
  return {
    oid: OID.policyMappings,
    critical,
    value: seq(...maps.map((m) => seq(encOid(m.issuerDomainPolicy), encOid(m.subjectDomainPolicy)))),
  };
}

/** Decodes policyMappings. @example `decodePolicyMappings(ext.value)` */
export function decodePolicyMappings(value: Uint8Array): PolicyMapping[] {
  return decodeWith('policyMappings', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: PolicyMapping[] = [];
    while (!c.done()) {
      const m = Cursor.of(c.next(T.SEQUENCE));
      const issuerDomainPolicy = readOid(m.next(T.OID));
      const subjectDomainPolicy = readOid(m.next(T.OID));
      m.end('PolicyMapping');
      out.push({ issuerDomainPolicy, subjectDomainPolicy });
    }
    if (out.length === 0) bad('policyMappings is empty.');
    return out;
  });
}

/**
 * policyConstraints fields (RFC 5280 §4.2.1.11): how many certificates may follow before an
 * explicit policy is required or policy mapping is inhibited.
 *
 * @example
 * ```ts
 * const pc: PolicyConstraints = { requireExplicitPolicy: 0 };
 * decodePolicyConstraints(policyConstraints(pc).value); // { requireExplicitPolicy: 0 }
 * ```
 */
export interface PolicyConstraints {
  readonly requireExplicitPolicy?: number;
  readonly inhibitPolicyMapping?: number;
}

/** Builds policyConstraints (MUST be critical, RFC 5280 §4.2.1.11). @example `policyConstraints({ requireExplicitPolicy: 0 })` */
export function policyConstraints(v: PolicyConstraints, critical = true): Extension {
  const parts: Uint8Array[] = [];
  if (v.requireExplicitPolicy !== undefined) parts.push(retag(int(v.requireExplicitPolicy), 0x80));
  if (v.inhibitPolicyMapping !== undefined) parts.push(retag(int(v.inhibitPolicyMapping), 0x81));
  if (parts.length === 0)
    throw new TypeError('policyConstraints needs at least one field (RFC 5280 §4.2.1.11)');
  return { oid: OID.policyConstraints, critical, value: seq(...parts) };
}

/** Decodes policyConstraints. @example `decodePolicyConstraints(ext.value).requireExplicitPolicy` */
export function decodePolicyConstraints(value: Uint8Array): PolicyConstraints {
  return decodeWith('policyConstraints', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
    if (c.peek() === 0x80) out.requireExplicitPolicy = readSmallInt(c.next(), 0x80);
    if (c.peek() === 0x81) out.inhibitPolicyMapping = readSmallInt(c.next(), 0x81);
    c.end('policyConstraints');
    if (out.requireExplicitPolicy === undefined && out.inhibitPolicyMapping === undefined)
      bad('policyConstraints is empty (RFC 5280 §4.2.1.11).');
    return out;
  });
}

/** Builds inhibitAnyPolicy (MUST be critical, RFC 5280 §4.2.1.14). @example `inhibitAnyPolicy(0)` */
export function inhibitAnyPolicy(skipCerts: number, critical = true): Extension {
  return { oid: OID.inhibitAnyPolicy, critical, value: int(skipCerts) };
}

/** Decodes inhibitAnyPolicy. @example `decodeInhibitAnyPolicy(ext.value)` */
export function decodeInhibitAnyPolicy(value: Uint8Array): number {
  return decodeWith('inhibitAnyPolicy', value, (t) => readSmallInt(t));
}

// --- name constraints (RFC 5280 §4.2.1.10) ----------------------------------------------------

/**
 * One name constraints subtree (RFC 5280 §4.2.1.10): a base name, with `minimum` and `maximum` as encoded.
 *
 * @example
 * ```ts
 * const subtree: GeneralSubtree = { base: { type: 'dns', value: 'contoso.com' } };
 * ```
 */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum?: number;
  readonly maximum?: number;
}

/**
 * nameConstraints fields (RFC 5280 §4.2.1.10): the permitted and excluded subtrees.
 *
 * @example
 * ```ts
 * const nc: NameConstraints = { permitted: [{ base: { type: 'dns', value: 'contoso.com' } }], excluded: [{ base: { type: 'ip', value: '10.0.0.0/8' } }] };
 * nameConstraints(nc);
 * ```
 */
export interface NameConstraints {
  readonly permitted?: GeneralSubtree[];
  readonly excluded?: GeneralSubtree[];
}

/**
 * Builds nameConstraints (critical by default, RFC 5280 §4.2.1.10 MUST). IP bases are ranges
 * in CIDR form.
 *
 * @example
 * ```ts
 * nameConstraints({ permitted: [{ base: { type: 'dns', value: 'contoso.com' } }, { base: { type: 'ip', value: '10.0.0.0/8' } }] });
 * ```
 */
export function nameConstraints(v: NameConstraints, critical = true): Extension {
  const subtrees = (list: readonly GeneralSubtree[]) =>
    list.map((s) => {
      const parts = [encodeGeneralName(s.base, true)];
      if (s.minimum) parts.push(retag(int(s.minimum), 0x80));
      if (s.maximum !== undefined) parts.push(retag(int(s.maximum), 0x81));
      return seq(...parts);
    });
  const parts: Uint8Array[] = [];
  if (v.permitted?.length) parts.push(implicitCons(0, ...subtrees(v.permitted)));
  if (v.excluded?.length) parts.push(implicitCons(1, ...subtrees(v.excluded)));
  if (parts.length === 0)
    throw new TypeError('nameConstraints needs permitted or excluded subtrees (RFC 5280 §4.2.1.10)');
  return { oid: OID.nameConstraints, critical, value: seq(...parts) };
}

/** Decodes nameConstraints. @example `decodeNameConstraints(ext.value).permitted` */
export function decodeNameConstraints(value: Uint8Array): NameConstraints {
  return decodeWith('nameConstraints', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const readSubtrees = (st: Tlv): GeneralSubtree[] => {
      const sc = Cursor.of(st);
      const out: GeneralSubtree[] = [];
      while (!sc.done()) {
        const s = Cursor.of(sc.next(T.SEQUENCE));
        const base = readGeneralName(s.next(), true);
        const sub: { base: GeneralName; minimum?: number; maximum?: number } = { base };
        if (s.peek() === 0x80) sub.minimum = readSmallInt(s.next(), 0x80);
        if (s.peek() === 0x81) sub.maximum = readSmallInt(s.next(), 0x81);
        s.end('GeneralSubtree');
        out.push(sub);
      }
      if (out.length === 0) bad('A name constraints subtree list is empty.');
      return out;
    };
    const out: { permitted?: GeneralSubtree[]; excluded?: GeneralSubtree[] } = {};
    if (c.peek() === 0xa0) out.permitted = readSubtrees(c.next());
    if (c.peek() === 0xa1) out.excluded = readSubtrees(c.next());
    c.end('nameConstraints');
    // RFC 5280 §4.2.1.10: conforming CAs MUST NOT issue an empty NameConstraints.
    if (!out.permitted && !out.excluded) bad('nameConstraints has neither permitted nor excluded subtrees.');
    return out;
  });
}

// --- Microsoft AD CS extensions ---------------------------------------------------------------

/**
 * Builds the certificate template name extension (1.3.6.1.4.1.311.20.2), a BMPString as AD CS
 * writes for v1 templates such as `WebServer` ([MS-WCCE] §2.2.2.7.7.1).
 *
 * @example
 * ```ts
 * msCertificateTemplateName('WebServer');
 * ```
 */
export function msCertificateTemplateName(name: string): Extension {
  return { oid: OID.msCertificateTemplateName, critical: false, value: str(T.BMP_STRING, name) };
}

/** Decodes the template name extension (BMPString, or UTF8String as some tools write). @example `decodeMsCertificateTemplateName(ext.value)` */
export function decodeMsCertificateTemplateName(value: Uint8Array): string {
  return decodeWith('certificate template name', value, (t) => readString(t));
}

/**
 * The certificate template information fields: the template OID and its major and minor
 * versions ([MS-WCCE] §2.2.2.7.7.2).
 *
 * @example
 * ```ts
 * const info: MsTemplateInfo = { templateId: '1.3.6.1.4.1.311.21.8.1.2', majorVersion: 100, minorVersion: 4 };
 * decodeMsCertificateTemplate(msCertificateTemplate(info).value).majorVersion; // 100
 * ```
 */
export interface MsTemplateInfo {
  readonly templateId: string;
  readonly majorVersion: number;
  readonly minorVersion?: number;
}

/**
 * Builds the certificate template information extension (1.3.6.1.4.1.311.21.7) of v2+
 * templates: template OID and versions ([MS-WCCE] §2.2.2.7.7.2).
 *
 * @example
 * ```ts
 * msCertificateTemplate({ templateId: '1.3.6.1.4.1.311.21.8.1.2', majorVersion: 100, minorVersion: 4 });
 * ```
 */
export function msCertificateTemplate(v: MsTemplateInfo): Extension {
  const parts = [encOid(v.templateId), int(v.majorVersion)];
  if (v.minorVersion !== undefined) parts.push(int(v.minorVersion));
  return { oid: OID.msCertificateTemplate, critical: false, value: seq(...parts) };
}

/** Decodes template information. @example `decodeMsCertificateTemplate(ext.value).templateId` */
export function decodeMsCertificateTemplate(value: Uint8Array): MsTemplateInfo {
  return decodeWith('certificate template information', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const templateId = readOid(c.next(T.OID));
    const majorVersion = readSmallInt(c.next(T.INTEGER));
    const minorVersion = c.done() ? undefined : readSmallInt(c.next(T.INTEGER));
    c.end('template information');
    return minorVersion === undefined
      ? { templateId, majorVersion }
      : { templateId, majorVersion, minorVersion };
  });
}

/**
 * Builds the CA version extension (1.3.6.1.4.1.311.21.1): certificate index in the low 16 bits,
 * key index in the high 16 bits; `V0.0` for a new CA, `V1.1` after a renewal with a new key.
 *
 * @example
 * ```ts
 * msCaVersion({ certIndex: 0, keyIndex: 0 }); // shown as V0.0
 * ```
 */
export function msCaVersion(v: { certIndex: number; keyIndex: number }): Extension {
  // Each index is a 16-bit half of one DWORD (MS-WCCE 2.2.2.7.7.1): a larger certificate index
  // would spill into the key index, and the key index stays below 32,768 so that the value reads
  // back as the small positive INTEGER it is (thousands of renewals beyond any real CA).
  for (const [name, n, max] of [
    ['certIndex', v.certIndex, 0xffff],
    ['keyIndex', v.keyIndex, 0x7fff],
  ] as const)
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new TypeError(`msCaVersion: ${name} must be a whole number from 0 to ${max}, not ${n}.`);
  return { oid: OID.msCaVersion, critical: false, value: int(v.keyIndex * 0x10000 + v.certIndex) };
}

/** Decodes the CA version. @example `decodeMsCaVersion(ext.value)` // { certIndex: 0, keyIndex: 0 } */
export function decodeMsCaVersion(value: Uint8Array): { certIndex: number; keyIndex: number } {
  return decodeWith('CA version', value, (t) => {
    const n = readSmallInt(t);
    return { certIndex: n & 0xffff, keyIndex: n >>> 16 };
  });
}

/**
 * Builds the Next CRL Publish extension (1.3.6.1.4.1.311.21.4, non-critical) that AD CS writes
 * in its CRLs: when the CA will publish the next one. Windows clients that hold a CRL past this
 * time fetch a newer one from the CDP even though nextUpdate has not come (Microsoft PKI blog,
 * "How EffectiveDate (thisupdate), NextUpdate and NextCRLPublish are calculated"). The value is
 * a Time as in RFC 5280 §4.1.2.5: UTCTime through 2049, then GeneralizedTime.
 *
 * @example
 * ```ts
 * msNextCrlPublish(new Date('2026-12-09T17:00:00Z')); // shown by certutil as "Next CRL Publish"
 * ```
 */
export function msNextCrlPublish(date: Date): Extension {
  if (!(date instanceof Date) || !Number.isFinite(date.getTime()))
    throw new TypeError('msNextCrlPublish needs a valid Date.');
  return { oid: OID.msNextCrlPublish, critical: false, value: writeTime(date) };
}

/** Decodes Next CRL Publish. @example `decodeMsNextCrlPublish(ext.value)` // 2026-12-09T17:00:00.000Z */
export function decodeMsNextCrlPublish(value: Uint8Array): Date {
  return decodeWith('Next CRL Publish', value, (t) => {
    try {
      return readTime(t);
    } catch (e) {
      // Keep decodeExtension's one code for a malformed extension value.
      throw new PkiError(
        'ERR_PKI_EXTENSION_INVALID',
        `The Next CRL Publish extension is not a time: ${(e as Error).message}`,
        { cause: e },
      );
    }
  });
}

/**
 * One S/MIME capability: an algorithm OID and its parameters (DER), RFC 8551 §2.5.2.
 *
 * @example
 * ```ts
 * const aes256: SmimeCapability = { oid: '2.16.840.1.101.3.4.1.42' }; // AES-256-CBC, no parameters
 * smimeCapabilities([aes256, { oid: '1.2.840.113549.3.7' }]); // then DES-EDE3-CBC
 * ```
 */
export interface SmimeCapability {
  readonly oid: string;
  /** The DER of the parameters, e.g. an INTEGER key length for RC2; absent when there are none. */
  readonly parameters?: Uint8Array;
}

/**
 * Builds the S/MIME capabilities extension (1.2.840.113549.1.9.15, RFC 4262): the algorithms the
 * subject's mail client supports, strongest first.
 *
 * @example
 * ```ts
 * smimeCapabilities([{ oid: '2.16.840.1.101.3.4.1.42' }, { oid: '2.16.840.1.101.3.4.1.2' }]); // AES-256-CBC, AES-128-CBC
 * ```
 */
export function smimeCapabilities(caps: readonly SmimeCapability[]): Extension {
  return {
    oid: OID.smimeCapabilities,
    critical: false,
    value: seq(
      ...caps.map((c) => {
        if (c.parameters) readWhole(c.parameters); // one DER element, or a PkiError
        return seq(encOid(c.oid), ...(c.parameters ? [c.parameters] : []));
      }),
    ),
  };
}

/**
 * Decodes an S/MIME capabilities extension (RFC 4262).
 *
 * @example
 * ```ts
 * decodeSmimeCapabilities(ext.value).map((c) => c.oid); // ['2.16.840.1.101.3.4.1.42', …]
 * ```
 */
export function decodeSmimeCapabilities(value: Uint8Array): SmimeCapability[] {
  return decodeWith('S/MIME capabilities', value, (t) => {
    const c = Cursor.of(t, T.SEQUENCE);
    const out: SmimeCapability[] = [];
    while (!c.done()) {
      const cap = Cursor.of(c.next(T.SEQUENCE));
      const oid = readOid(cap.next(T.OID));
      const params = cap.done() ? undefined : encodingOf(cap.next());
      cap.end('SMIMECapability');
      out.push(params ? { oid, parameters: params } : { oid });
    }
    return out;
  });
}

/** The otherName type of the SID in the NTDS CA Security extension (szOID_NTDS_OBJECTSID). */
const NTDS_OBJECTSID = '1.3.6.1.4.1.311.25.2.1';
/** A SID's string form (MS-DTYP §2.4.2.1): S-1, the authority, then sub-authorities. */
const SID = /^S-1-\d{1,15}(-\d{1,10}){1,15}$/;

/**
 * Builds the NTDS CA Security extension (1.3.6.1.4.1.311.25.2, MS-WCCE §2.2.2.7.7.4): the
 * requester's security identifier, which domain controllers use for strong certificate mapping
 * (the May 2022 updates, KB5014754). Encoded as AD CS writes it: `SEQUENCE { [0] { OID
 * 1.3.6.1.4.1.311.25.2.1, [0] OCTET STRING "S-1-5-21-…" } }`, a GeneralNames with one otherName
 * holding the SID's string form in ASCII.
 *
 * @example
 * ```ts
 * msNtdsCaSecurity('S-1-5-21-3623811015-3361044348-30300820-1013');
 * ```
 */
export function msNtdsCaSecurity(sid: string): Extension {
  if (typeof sid !== 'string' || !SID.test(sid))
    throw new TypeError(`A SID reads S-1-5-21-…, not ${JSON.stringify(String(sid).slice(0, 80))}.`);
  return {
    oid: OID.msNtdsCaSecurityExt,
    critical: false,
    value: encodeGeneralNames([
      { type: 'otherName', oid: NTDS_OBJECTSID, value: octets(new TextEncoder().encode(sid)) },
    ]),
  };
}

/**
 * Decodes the SID of an NTDS CA Security extension.
 *
 * @example
 * ```ts
 * decodeMsNtdsCaSecurity(ext.value); // 'S-1-5-21-3623811015-3361044348-30300820-1013'
 * ```
 */
export function decodeMsNtdsCaSecurity(value: Uint8Array): string {
  return decodeWith('NTDS CA Security', value, (t) => {
    for (const g of readGeneralNames(t))
      if (g.type === 'otherName' && g.oid === NTDS_OBJECTSID) {
        const sid = new TextDecoder().decode(readOctetString(readWhole(g.value)));
        if (!SID.test(sid)) bad(`The NTDS CA Security SID "${sid.slice(0, 80)}" is not a SID.`);
        return sid;
      }
    return bad('The NTDS CA Security extension holds no SID (otherName 1.3.6.1.4.1.311.25.2.1).');
  });
}

// --- generic decoding --------------------------------------------------------------------------

/**
 * An extension decoded to its typed value; `unknown` keeps only the raw extension.
 *
 * @example
 * ```ts
 * const d: DecodedExtension = decodeExtension(keyUsage(['keyCertSign', 'cRLSign']));
 * if (d.name === 'keyUsage') console.log(d.value); // ['keyCertSign', 'cRLSign']
 * ```
 */
export type DecodedExtension =
  | { name: 'basicConstraints'; value: BasicConstraints }
  | { name: 'keyUsage'; value: KeyUsageFlag[] }
  | { name: 'extKeyUsage'; value: string[] }
  | { name: 'subjectAltName' | 'issuerAltName'; value: GeneralName[] }
  | { name: 'subjectKeyIdentifier'; value: Uint8Array }
  | { name: 'authorityKeyIdentifier'; value: AuthorityKeyIdentifier }
  | { name: 'cRLDistributionPoints' | 'freshestCRL'; value: DistributionPoint[] }
  | { name: 'authorityInfoAccess' | 'subjectInfoAccess'; value: AccessDescription[] }
  | { name: 'certificatePolicies'; value: PolicyInformation[] }
  | { name: 'policyMappings'; value: PolicyMapping[] }
  | { name: 'policyConstraints'; value: PolicyConstraints }
  | { name: 'inhibitAnyPolicy'; value: number }
  | { name: 'nameConstraints'; value: NameConstraints }
  | { name: 'msCertificateTemplateName'; value: string }
  | { name: 'msCertificateTemplate'; value: MsTemplateInfo }
  | { name: 'msCaVersion'; value: { certIndex: number; keyIndex: number } }
  | { name: 'msNextCrlPublish'; value: Date }
  | { name: 'msNtdsCaSecurity'; value: string }
  | { name: 'msApplicationPolicies'; value: string[] }
  | { name: 'unknown'; value: Uint8Array };

/**
 * Decodes any known extension to a typed value; unknown OIDs give `{ name: 'unknown' }`.
 * Throws ERR_PKI_EXTENSION_INVALID when a known extension's value is malformed.
 *
 * @example
 * ```ts
 * for (const e of cert.extensions) {
 *   const d = decodeExtension(e);
 *   if (d.name === 'subjectAltName') console.log(d.value);
 * }
 * ```
 */
export function decodeExtension(e: Extension): DecodedExtension {
  const v = e.value;
  switch (e.oid) {
    case OID.basicConstraints:
      return { name: 'basicConstraints', value: decodeBasicConstraints(v) };
    case OID.keyUsage:
      return { name: 'keyUsage', value: decodeKeyUsage(v) };
    case OID.extKeyUsage:
      return { name: 'extKeyUsage', value: decodeExtKeyUsage(v) };
    case OID.subjectAltName:
      return { name: 'subjectAltName', value: decodeGeneralNames(v) };
    case OID.issuerAltName:
      return { name: 'issuerAltName', value: decodeGeneralNames(v) };
    case OID.subjectKeyIdentifier:
      return { name: 'subjectKeyIdentifier', value: decodeSubjectKeyIdentifier(v) };
    case OID.authorityKeyIdentifier:
      return { name: 'authorityKeyIdentifier', value: decodeAuthorityKeyIdentifier(v) };
    case OID.cRLDistributionPoints:
      return { name: 'cRLDistributionPoints', value: decodeCrlDistributionPoints(v) };
    case OID.freshestCRL:
      return { name: 'freshestCRL', value: decodeCrlDistributionPoints(v) };
    case OID.authorityInfoAccess:
      return { name: 'authorityInfoAccess', value: decodeInfoAccess(v) };
    case OID.subjectInfoAccess:
      return { name: 'subjectInfoAccess', value: decodeInfoAccess(v) };
    case OID.certificatePolicies:
      return { name: 'certificatePolicies', value: decodeCertificatePolicies(v) };
    case OID.policyMappings:
      return { name: 'policyMappings', value: decodePolicyMappings(v) };
    case OID.policyConstraints:
      return { name: 'policyConstraints', value: decodePolicyConstraints(v) };
    case OID.inhibitAnyPolicy:
      return { name: 'inhibitAnyPolicy', value: decodeInhibitAnyPolicy(v) };
    case OID.nameConstraints:
      return { name: 'nameConstraints', value: decodeNameConstraints(v) };
    case OID.msCertificateTemplateName:
      return { name: 'msCertificateTemplateName', value: decodeMsCertificateTemplateName(v) };
    case OID.msCertificateTemplate:
      return { name: 'msCertificateTemplate', value: decodeMsCertificateTemplate(v) };
    case OID.msCaVersion:
      return { name: 'msCaVersion', value: decodeMsCaVersion(v) };
    case OID.msNextCrlPublish:
      return { name: 'msNextCrlPublish', value: decodeMsNextCrlPublish(v) };
    case OID.msNtdsCaSecurityExt:
      return { name: 'msNtdsCaSecurity', value: decodeMsNtdsCaSecurity(v) };
    case OID.msApplicationPolicies:
      return { name: 'msApplicationPolicies', value: decodeMsApplicationPolicies(v) };
    default:
      return { name: 'unknown', value: v };
  }
}
