// Distinguished names (X.501 Name as profiled by RFC 5280 §4.1.2.4): DER, RFC 4514 strings,
// the Windows display form, and comparison per RFC 5280 §7.1 with RFC 4518 string preparation.

import { PkiError } from './errors.js';
import { equalBytes, fromHex, toHex } from './internal/bytes.js';
import {
  Cursor,
  oid as encOid,
  encodingOf,
  isPrintable,
  isStringTag,
  readOid,
  readString,
  readTlv,
  readWhole,
  seq,
  seqOf,
  setOf,
  str,
  T,
  type Tlv,
} from './internal/der.js';
import { guard } from './internal/guard.js';
import { OID } from './oids.js';

/**
 * One AttributeTypeAndValue.
 *
 * @example
 * ```ts
 * const cn: NameAttribute = { type: '2.5.4.3', value: 'ex01.contoso.com' };
 * Name.from([{ C: 'FR' }, cn]).toString(); // 'CN=ex01.contoso.com,C=FR'
 * ```
 */
export interface NameAttribute {
  /** Attribute type OID, e.g. `2.5.4.3` for commonName. */
  readonly type: string;
  /** The value as text. For a value that is not a character string, its DER as `#hex` (RFC 4514 §2.4). */
  readonly value: string;
  /** The ASN.1 string tag the value is (or will be) encoded with, e.g. 0x0c UTF8String. */
  readonly tag?: number;
  /** The complete DER of a value that is not a character string (kept byte for byte). */
  readonly raw?: Uint8Array;
}

/**
 * A relative distinguished name: one or more attributes (more than one is a multi-valued RDN).
 *
 * @example
 * ```ts
 * const rdn: Rdn = Name.parse('CN=ex01.contoso.com+serialNumber=42, O=Contoso').rdns[1];
 * rdn.map((a) => a.value); // ['42', 'ex01.contoso.com'] (a multi-valued RDN, in DER SET order)
 * ```
 */
export type Rdn = readonly NameAttribute[];

/**
 * What {@link Name.from} accepts for one RDN.
 *
 * @example
 * ```ts
 * const rdns: RdnInput[] = [{ C: 'FR' }, { type: '2.5.4.10', value: 'Contoso' }, [{ type: '2.5.4.3', value: 'ex01.contoso.com' }]];
 * Name.from(rdns).toString(); // 'CN=ex01.contoso.com,O=Contoso,C=FR'
 * ```
 */
export type RdnInput = Rdn | NameAttribute | Record<string, string>;

interface AttrInfo {
  oid: string;
  /** Name printed in RFC 4514 strings (LDAP descriptor, RFC 4519 / RFC 4514 §3). */
  ldap: string;
  /** Name Windows prints (CertNameToStr with CERT_X500_NAME_STR). */
  windows: string;
  /** Encoding used when building: RFC 5280 §4.1.2.4 wants UTF8String, with the listed exceptions. */
  tag: number;
}

const ATTRS: AttrInfo[] = [
  { oid: OID.commonName, ldap: 'CN', windows: 'CN', tag: T.UTF8_STRING },
  { oid: OID.surname, ldap: 'SN', windows: 'SN', tag: T.UTF8_STRING },
  // X.520 serialNumber and countryName are PrintableString by definition.
  { oid: OID.serialNumber, ldap: 'serialNumber', windows: 'SERIALNUMBER', tag: T.PRINTABLE_STRING },
  { oid: OID.countryName, ldap: 'C', windows: 'C', tag: T.PRINTABLE_STRING },
  { oid: OID.localityName, ldap: 'L', windows: 'L', tag: T.UTF8_STRING },
  { oid: OID.stateOrProvinceName, ldap: 'ST', windows: 'S', tag: T.UTF8_STRING },
  { oid: OID.streetAddress, ldap: 'STREET', windows: 'STREET', tag: T.UTF8_STRING },
  { oid: OID.organizationName, ldap: 'O', windows: 'O', tag: T.UTF8_STRING },
  { oid: OID.organizationalUnitName, ldap: 'OU', windows: 'OU', tag: T.UTF8_STRING },
  { oid: OID.title, ldap: 'title', windows: 'T', tag: T.UTF8_STRING },
  { oid: OID.description, ldap: 'description', windows: 'Description', tag: T.UTF8_STRING },
  { oid: OID.postalCode, ldap: 'postalCode', windows: 'PostalCode', tag: T.UTF8_STRING },
  { oid: OID.name, ldap: 'name', windows: 'Name', tag: T.UTF8_STRING },
  { oid: OID.givenName, ldap: 'givenName', windows: 'G', tag: T.UTF8_STRING },
  { oid: OID.initials, ldap: 'initials', windows: 'I', tag: T.UTF8_STRING },
  {
    oid: OID.generationQualifier,
    ldap: 'generationQualifier',
    windows: 'generationQualifier',
    tag: T.UTF8_STRING,
  },
  { oid: OID.dnQualifier, ldap: 'dnQualifier', windows: 'dnQualifier', tag: T.PRINTABLE_STRING },
  { oid: OID.pseudonym, ldap: 'pseudonym', windows: 'pseudonym', tag: T.UTF8_STRING },
  { oid: OID.organizationIdentifier, ldap: 'organizationIdentifier', windows: 'OrgId', tag: T.UTF8_STRING },
  // RFC 4519 §2.4 / RFC 5280 §4.1.2.4: domainComponent is IA5String.
  { oid: OID.domainComponent, ldap: 'DC', windows: 'DC', tag: T.IA5_STRING },
  { oid: OID.userId, ldap: 'UID', windows: 'UID', tag: T.UTF8_STRING },
  // PKCS #9 emailAddress is IA5String (RFC 5280 §4.1.2.6 keeps it for legacy).
  { oid: OID.emailAddress, ldap: 'emailAddress', windows: 'E', tag: T.IA5_STRING },
  { oid: OID.unstructuredName, ldap: 'unstructuredName', windows: 'unstructuredName', tag: T.IA5_STRING },
];

const BY_OID = new Map(ATTRS.map((a) => [a.oid, a]));
const BY_KEYWORD = new Map<string, AttrInfo>();
for (const a of ATTRS) {
  BY_KEYWORD.set(a.ldap.toUpperCase(), a);
  BY_KEYWORD.set(a.windows.toUpperCase(), a);
}
// Aliases seen in OpenSSL `-subj`, Windows certreq INF files and LDAP.
for (const [alias, o] of [
  ['COMMONNAME', OID.commonName],
  ['SURNAME', OID.surname],
  ['COUNTRYNAME', OID.countryName],
  ['LOCALITYNAME', OID.localityName],
  ['STATEORPROVINCENAME', OID.stateOrProvinceName],
  ['ORGANIZATIONNAME', OID.organizationName],
  ['ORGANIZATIONALUNITNAME', OID.organizationalUnitName],
  ['GN', OID.givenName],
  ['TITLE', OID.title],
  ['EMAIL', OID.emailAddress],
  ['EMAILADDRESS', OID.emailAddress],
  ['DOMAINCOMPONENT', OID.domainComponent],
  ['USERID', OID.userId],
  ['STREETADDRESS', OID.streetAddress],
] as const) {
  BY_KEYWORD.set(alias, BY_OID.get(o)!);
}

/**
 * The short keyword for an attribute type, as RFC 4514 strings print it (`CN`, `O`, `emailAddress`),
 * or the dotted OID when there is none.
 *
 * @example
 * ```ts
 * attributeKeyword('2.5.4.3'); // 'CN'
 * ```
 */
export function attributeKeyword(type: string): string {
  return BY_OID.get(type)?.ldap ?? type;
}

/**
 * Resolves a keyword (`CN`, `S`, `E`, `emailAddress`, `OID.1.2.3`, `1.2.3`) to its OID.
 *
 * @example
 * ```ts
 * attributeOid('S'); // '2.5.4.8' (Windows' name for stateOrProvinceName)
 * ```
 */
export function attributeOid(keyword: string): string {
  const k = keyword.trim();
  const hit = BY_KEYWORD.get(k.toUpperCase());
  if (hit) return hit.oid;
  const dotted = k.replace(/^oid\./i, '');
  if (/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) return dotted;
  throw new PkiError(
    'ERR_PKI_NAME_INVALID',
    `"${k}" is not a known attribute type. Use one of CN, O, OU, L, ST (or S), C, E, DC, SERIALNUMBER, or a dotted OID.`,
  );
}

function parseAttribute(t: Tlv): NameAttribute {
  const c = Cursor.of(t, T.SEQUENCE);
  const type = readOid(c.next(T.OID));
  const v = c.next();
  c.end('AttributeTypeAndValue');
  if (isStringTag(v.id)) return { type, value: readString(v), tag: v.id };
  const raw = encodingOf(v);
  return { type, value: `#${toHex(raw)}`, raw };
}

/**
 * An X.501 distinguished name. Immutable; `der` is the exact encoding (kept from parsing, or
 * built once).
 *
 * @example
 * ```ts
 * const subject = Name.parse('CN=exch01.contoso.com, OU=IT, O=Contoso, C=FR');
 * subject.toString();        // 'CN=exch01.contoso.com,OU=IT,O=Contoso,C=FR'
 * subject.toWindowsString(); // 'CN=exch01.contoso.com, OU=IT, O=Contoso, C=FR'
 * subject.get('CN');         // 'exch01.contoso.com'
 * ```
 */
export class Name {
  /** RDNs in DER order: the most general (e.g. C) first, as encoded. */
  readonly rdns: readonly Rdn[];
  /** The DER encoding of the Name (a SEQUENCE). */
  readonly der: Uint8Array;
  #canonical: string | undefined;

  private constructor(rdns: readonly Rdn[], der: Uint8Array) {
    this.rdns = rdns;
    this.der = der;
  }

  /**
   * Parses a DER Name. Throws ERR_PKI_NAME_INVALID (or a DER code) for malformed input.
   *
   * @example
   * ```ts
   * const issuer = Name.fromDer(issuerBytes);
   * ```
   */
  static fromDer(der: Uint8Array): Name {
    return guard('ERR_PKI_NAME_INVALID', 'The name', () => Name.fromTlv(readWhole(der, T.SEQUENCE)));
  }

  /** @internal Parses a Name TLV inside a larger structure, keeping a view of its bytes. */
  static fromTlv(t: Tlv): Name {
    const c = Cursor.of(t, T.SEQUENCE);
    const rdns: Rdn[] = [];
    while (!c.done()) {
      const set = c.next(T.SET);
      const sc = Cursor.of(set);
      const rdn: NameAttribute[] = [];
      while (!sc.done()) rdn.push(parseAttribute(sc.next()));
      // Exact-size copies: a grown array keeps spare slots, which adds up over 100k names.
      // RFC 5280 §4.1.2.4: RelativeDistinguishedName ::= SET SIZE (1..MAX).
      if (rdn.length === 0) throw new PkiError('ERR_PKI_NAME_INVALID', 'A name contains an empty RDN set.');
      rdns.push(rdn.length === 1 ? [rdn[0]!] : rdn.slice());
    }
    return new Name(rdns.slice(), encodingOf(t));
  }

  /**
   * Builds a Name from RDNs in DER order (most general first). Each RDN may be an array of
   * attributes, one attribute, or an object of keyword to value (`{ CN: 'x' }`; several keys make
   * a multi-valued RDN). Values use the encoding RFC 5280 §4.1.2.4 asks for unless `tag` is given.
   *
   * @example
   * ```ts
   * const n = Name.from([{ C: 'FR' }, { O: 'Contoso' }, { CN: 'Contoso Root CA' }]);
   * ```
   */
  static from(rdns: readonly RdnInput[]): Name {
    const norm: Rdn[] = rdns.map((r) => {
      if (Array.isArray(r)) return r as Rdn;
      if ('type' in r && 'value' in r && typeof r.type === 'string' && !('CN' in r))
        return [r as NameAttribute];
      return Object.entries(r as Record<string, string>).map(([k, v]) => ({
        type: attributeOid(k),
        value: v,
      }));
    });
    const enc = norm.map((rdn) => {
      if (rdn.length === 0) throw new PkiError('ERR_PKI_NAME_INVALID', 'A name cannot contain an empty RDN.');
      return setOf(rdn.map(encodeAttribute));
    });
    const der = seqOf(enc);
    // Re-read so that `rdns` carries the tags actually used.
    return Name.fromDer(der);
  }

  /**
   * Parses a textual DN: RFC 4514 (`CN=a,O=b`, `\,` escapes, `#hex` values), the Windows
   * display form (`CN=a, O="b, c", S=IDF, E=x@y`), and OpenSSL's slash form (`/C=FR/O=b/CN=a`,
   * which lists RDNs in DER order). A leading most-specific RDN is the RFC 4514 convention, so
   * the RDN order is reversed for DER, except for the slash form.
   *
   * @example
   * ```ts
   * Name.parse('CN=exch01.contoso.com,O=Contoso,C=FR').rdns[0]; // [{ type: '2.5.4.6', value: 'FR', ... }]
   * Name.parse('/C=FR/O=Contoso/CN=exch01.contoso.com');    // the same name
   * ```
   */
  static parse(text: string): Name {
    if (typeof text !== 'string') throw new TypeError('Name.parse expects a string');
    // Only leading space is insignificant here: a trailing "\ " is an escaped space (RFC 4514 §2.4).
    const trimmed = text.trimStart();
    if (trimmed.trim() === '') return Name.from([]);
    if (trimmed.startsWith('/')) return Name.from(parseDnText(trimmed.slice(1), '/'));
    return Name.from(parseDnText(trimmed, ',').reverse());
  }

  /** True for the empty name (no RDNs), allowed for subjects only with a critical SAN (RFC 5280 §4.1.2.6). */
  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /**
   * The first value of an attribute, by keyword or OID, searching from the most specific RDN
   * as Windows does.
   *
   * @example
   * ```ts
   * cert.subject.get('CN');
   * ```
   */
  get(typeOrKeyword: string): string | undefined {
    const t = attributeOid(typeOrKeyword);
    for (let i = this.rdns.length - 1; i >= 0; i--)
      for (const a of this.rdns[i]!) if (a.type === t) return a.value;
    return undefined;
  }

  /** Every value of an attribute, most specific first. @example `name.getAll('OU')` */
  getAll(typeOrKeyword: string): string[] {
    const t = attributeOid(typeOrKeyword);
    const out: string[] = [];
    for (let i = this.rdns.length - 1; i >= 0; i--)
      for (const a of this.rdns[i]!) if (a.type === t) out.push(a.value);
    return out;
  }

  /** The common name (most specific), if any. @example `cert.subject.commonName` */
  get commonName(): string | undefined {
    return this.get('CN');
  }

  /**
   * RFC 4514 string: most specific RDN first, `,` between RDNs, `+` inside multi-valued RDNs,
   * special characters escaped, values that are not strings as `#hex`.
   *
   * @example
   * ```ts
   * Name.from([{ C: 'FR' }, { O: 'A, B' }]).toString(); // 'O=A\\, B,C=FR'
   * ```
   */
  toString(): string {
    return [...this.rdns]
      .reverse()
      .map((rdn) =>
        rdn.map((a) => `${attributeKeyword(a.type)}=${a.raw ? a.value : escape4514(a.value)}`).join('+'),
      )
      .join(',');
  }

  /**
   * The form Windows shows in the certificate dialog and `certutil` (CertNameToStr with
   * CERT_X500_NAME_STR): most specific first, `, ` between RDNs, ` + ` inside multi-valued RDNs,
   * Windows keywords (`S`, `E`, `T`, `G`, `SERIALNUMBER`, `OID.x.y`), values with special
   * characters in double quotes.
   *
   * @example
   * ```ts
   * Name.parse('E=admin@contoso.com,CN=exch01,ST=IDF,C=FR').toWindowsString();
   * // 'E=admin@contoso.com, CN=exch01, S=IDF, C=FR'
   * ```
   */
  toWindowsString(): string {
    return [...this.rdns]
      .reverse()
      .map((rdn) =>
        rdn
          .map((a) => {
            const info = BY_OID.get(a.type);
            const key = info ? info.windows : `OID.${a.type}`;
            return `${key}=${a.raw ? a.value : quoteWindows(a.value)}`;
          })
          .join(' + '),
      )
      .join(', ');
  }

  /**
   * Compares two names as RFC 5280 §7.1 requires: same RDN count, each RDN the same set of
   * attributes, string values compared after RFC 4518 preparation (Unicode NFKC, case folding,
   * insignificant space handling) whatever their string type; other values byte for byte.
   *
   * @example
   * ```ts
   * Name.parse('CN=Contoso  Root CA,C=FR').equals(Name.parse('cn=contoso root ca, c=fr')); // true
   * ```
   */
  equals(other: Name): boolean {
    if (this === other || equalBytes(this.der, other.der)) return true;
    return this.canonical === other.canonical;
  }

  /** A string equal for exactly the names that {@link equals} finds equal; usable as a map key. @example `map.set(name.canonical, cert)` */
  get canonical(): string {
    if (this.#canonical === undefined) {
      this.#canonical = this.rdns
        .map((rdn) =>
          rdn
            .map((a) => `${a.type}=${a.raw ? a.value : JSON.stringify(prepareString(a.value))}`)
            .sort()
            .join('+'),
        )
        .join('/');
    }
    return this.#canonical;
  }
}

/**
 * RFC 4518 string preparation, reduced to what matters for name matching in practice:
 * NFKC normalisation, case folding, and insignificant space handling (§2.6.1: leading and
 * trailing space removed, inner runs collapsed to one).
 *
 * @example
 * ```ts
 * prepareString('  Contoso   Ltd  '); // 'contoso ltd'
 * prepareString('ＣＯＮＴＯＳＯ');     // 'contoso' (NFKC folds the full-width letters)
 * ```
 */
export function prepareString(s: string): string {
  return s.normalize('NFKC').toUpperCase().toLowerCase().replace(/\s+/g, ' ').trim();
}

function encodeAttribute(a: NameAttribute): Uint8Array {
  if (a.raw) {
    readWhole(a.raw);
    return seq(encOid(a.type), a.raw);
  }
  if (a.value.startsWith('#') && a.tag === undefined && /^#([0-9a-fA-F]{2})+$/.test(a.value)) {
    // RFC 4514 §2.4: #hex is the BER encoding of the value.
    const raw = fromHex(a.value.slice(1));
    guard('ERR_PKI_NAME_INVALID', 'The #hex attribute value', () => readWhole(raw));
    return seq(encOid(a.type), raw);
  }
  let tag = a.tag ?? BY_OID.get(a.type)?.tag ?? T.UTF8_STRING;
  if (a.type === OID.countryName && !/^[A-Za-z]{2}$/.test(a.value)) {
    throw new PkiError(
      'ERR_PKI_NAME_INVALID',
      `The country (C) must be a two-letter ISO 3166 code, not "${a.value}".`,
    );
  }
  if (tag === T.PRINTABLE_STRING && !isPrintable(a.value) && a.tag === undefined) tag = T.UTF8_STRING;
  if (a.value.length === 0)
    throw new PkiError(
      'ERR_PKI_NAME_INVALID',
      `The attribute ${attributeKeyword(a.type)} has an empty value.`,
    );
  return seq(encOid(a.type), str(tag, a.value));
}

function escape4514(v: string): string {
  let out = v.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  // Spaces are never escaped above, so a trailing space of the value is the output's last character.
  if (v.endsWith(' ') && v.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function quoteWindows(v: string): string {
  // Windows quotes a value holding a separator, quote, leading/trailing space or newline.
  if (/[,+=<>#;"\\\r\n]/.test(v) || /^\s|\s$/.test(v) || v === '') return `"${v.replace(/"/g, '""')}"`;
  return v;
}

/** Splits DN text into RDNs (in text order) of attributes. */
function parseDnText(text: string, sep: ',' | '/'): NameAttribute[][] {
  const rdns: NameAttribute[][] = [];
  let i = 0;
  const n = text.length;
  const err = (msg: string): never => {
    throw new PkiError('ERR_PKI_NAME_INVALID', `Cannot read the name "${text}": ${msg}`);
  };
  let rdn: NameAttribute[] = [];
  while (i <= n) {
    // type
    while (i < n && text[i] === ' ') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) err(`expected TYPE=value at position ${i}.`);
    const keyword = text.slice(i, eq).trim();
    if (!keyword) err(`an attribute type is missing at position ${i}.`);
    const type = attributeOid(keyword);
    i = eq + 1;
    while (i < n && text[i] === ' ') i++;
    let value = '';
    let raw: Uint8Array | undefined;
    if (text[i] === '"') {
      // Quoted value (Windows, RFC 1779); "" is an escaped quote.
      i++;
      for (;;) {
        if (i >= n) err('a quoted value is not closed.');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        // Inside quotes a backslash is an ordinary character, as in the Windows form that
        // toWindowsString writes (CertNameToStr quotes, and doubles only the quote).
        value += text[i++];
      }
      while (i < n && text[i] === ' ') i++;
    } else if (text[i] === '#' && sep === ',') {
      const m = /^#([0-9a-fA-F]{2})+/.exec(text.slice(i));
      if (!m) err('a #hex value is malformed.');
      raw = fromHex(m![0].slice(1));
      i += m![0].length;
      while (i < n && text[i] === ' ') i++;
    } else {
      const bytes: number[] = [];
      let trailingKeep = 0;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\') {
          const h = text.slice(i + 1, i + 3);
          if (/^[0-9a-fA-F]{2}$/.test(h)) {
            bytes.push(Number.parseInt(h, 16));
            i += 3;
          } else if (i + 1 < n) {
            i += 1 + pushUtf8(bytes, text.codePointAt(i + 1)!);
          } else err('the name ends with a lone backslash.');
          trailingKeep = bytes.length;
          continue;
        }
        if (c === sep || c === '+' || (sep === ',' && c === ';')) break;
        // Whole code points, so characters outside the BMP (surrogate pairs) stay intact.
        i += pushUtf8(bytes, text.codePointAt(i)!);
      }
      // Unescaped trailing spaces are not part of the value (RFC 4514 §3).
      let end = bytes.length;
      while (end > trailingKeep && bytes[end - 1] === 0x20) end--;
      try {
        value = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes.slice(0, end)));
      } catch {
        err('escaped bytes are not valid UTF-8.');
      }
    }
    rdn.push(raw ? { type, value: `#${toHex(raw)}`, raw } : { type, value });
    if (i >= n) {
      rdns.push(rdn);
      break;
    }
    const c = text[i]!;
    i++;
    if (c === '+') continue;
    if (c === sep || (sep === ',' && c === ';')) {
      rdns.push(rdn);
      rdn = [];
      if (i >= n) err('the name ends with a separator.');
      continue;
    }
    err(`unexpected "${c}" after a value.`);
  }
  return rdns;
}

/**
 * @internal Reads a Name at a position inside a larger DER structure.
 *
 * @example
 * ```ts
 * const name = Name.parse('CN=ex01.contoso.com, O=Contoso, C=FR');
 * readNameAt(name.der, 0, name.der.length).toString(); // 'CN=ex01.contoso.com,O=Contoso,C=FR'
 * ```
 */
export function readNameAt(bytes: Uint8Array, pos: number, limit: number): Name {
  return Name.fromTlv(readTlv(bytes, pos, limit));
}

/**
 * @internal Encodes an attribute value (used for challengePassword and similar).
 *
 * @example
 * ```ts
 * toHex(encodeDirectoryString('Contoso'));  // '1307436f6e746f736f' (PrintableString)
 * toHex(encodeDirectoryString('P@ssw0rd')); // '0c085040737377307264' (UTF8String: '@' is not printable)
 * ```
 */
export function encodeDirectoryString(value: string): Uint8Array {
  return isPrintable(value) ? str(T.PRINTABLE_STRING, value) : str(T.UTF8_STRING, value);
}

/** Appends the UTF-8 encoding of a code point; returns how many UTF-16 units it spans. */
function pushUtf8(out: number[], cp: number): number {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) {
    // A lone surrogate has no UTF-8 form; U+FFFD is what TextEncoder would write.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  } else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return cp > 0xffff ? 2 : 1;
}
