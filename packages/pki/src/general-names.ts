// GeneralName (RFC 5280 §4.2.1.6) as a small tagged union, with the Microsoft UPN otherName.

import { PkiError } from './errors.js';
import { fromUtf8, toHex, utf8 } from './internal/bytes.js';
import {
  Cursor,
  contentOf,
  decodeOidContent,
  oid as encOid,
  encodingOf,
  explicit,
  implicitCons,
  implicitPrim,
  oidContent,
  readOid,
  readString,
  readTlv,
  readWhole,
  seq,
  str,
  T,
  type Tlv,
  tlv,
} from './internal/der.js';
import { formatIp, maskToPrefix, parseIp, prefixToMask } from './internal/ip.js';
import { Name } from './names.js';
import { OID } from './oids.js';

/**
 * One GeneralName. `ip` values are text (`10.0.0.1`, `2001:db8::1`); inside name constraints an
 * `ip` is a range in CIDR form (`10.0.0.0/8`).
 *
 * @example
 * ```ts
 * const names: GeneralName[] = [{ type: 'dns', value: 'ex01.contoso.com' }, { type: 'ip', value: '10.0.0.5' }, { type: 'upn', value: 'jdoe@contoso.com' }];
 * subjectAltName(names);
 * ```
 */
export type GeneralName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'ip'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'upn'; readonly value: string }
  | { readonly type: 'dirName'; readonly value: Name }
  | { readonly type: 'registeredId'; readonly value: string }
  /** Any other otherName: `value` is the DER of the [0] EXPLICIT content. */
  | { readonly type: 'otherName'; readonly oid: string; readonly value: Uint8Array }
  /** x400Address [3] and ediPartyName [5], kept as their DER. */
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly der: Uint8Array };

function bad(msg: string): never {
  throw new PkiError('ERR_PKI_EXTENSION_INVALID', msg);
}

function ia5(t: Tlv): string {
  return readString({ ...t, id: T.IA5_STRING });
}

/**
 * @internal Decodes one GeneralName TLV; `constraint` reads iPAddress as address+mask.
 *
 * @example
 * ```ts
 * readGeneralName(readWhole(encodeGeneralName({ type: 'dns', value: 'ex01.contoso.com' }))); // { type: 'dns', value: 'ex01.contoso.com' }
 * readGeneralName(readWhole(encodeGeneralName({ type: 'ip', value: '10.0.0.0/8' }, true)), true); // { type: 'ip', value: '10.0.0.0/8' }
 * ```
 */
export function readGeneralName(t: Tlv, constraint = false): GeneralName {
  switch (t.id) {
    case 0xa0: {
      const c = Cursor.of(t);
      const id = readOid(c.next(T.OID));
      const inner = c.next(0xa0);
      c.end('otherName');
      if (id === OID.msUpn) {
        const v = Cursor.of(inner);
        const s = v.next();
        v.end('UPN');
        if (s.id !== T.UTF8_STRING) bad('A UPN otherName must hold a UTF8String.');
        return { type: 'upn', value: fromUtf8(contentOf(s)) };
      }
      return { type: 'otherName', oid: id, value: contentOf(inner) };
    }
    case 0x81:
      return { type: 'email', value: ia5(t) };
    case 0x82:
      return { type: 'dns', value: ia5(t) };
    case 0x86:
      return { type: 'uri', value: ia5(t) };
    case 0x87: {
      const b = contentOf(t);
      if (constraint) {
        if (b.length !== 8 && b.length !== 32)
          bad('An iPAddress name constraint must be 8 or 32 octets (address and mask).');
        const half = b.length / 2;
        const prefix = maskToPrefix(b.subarray(half));
        return {
          type: 'ip',
          value:
            prefix < 0
              ? `${formatIp(b.subarray(0, half))}/${formatIp(b.subarray(half))}`
              : `${formatIp(b.subarray(0, half))}/${prefix}`,
        };
      }
      if (b.length !== 4 && b.length !== 16) bad('An iPAddress must be 4 (IPv4) or 16 (IPv6) octets.');
      return { type: 'ip', value: formatIp(b) };
    }
    case 0xa4: {
      const c = Cursor.of(t);
      const n = Name.fromTlv(c.next(T.SEQUENCE));
      c.end('directoryName');
      return { type: 'dirName', value: n };
    }
    case 0x88:
      return { type: 'registeredId', value: decodeOidContent(t.bytes, t.valueStart, t.end) };
    case 0xa3:
      return { type: 'x400Address', der: encodingOf(t) };
    case 0xa5:
      return { type: 'ediPartyName', der: encodingOf(t) };
    default:
      bad(`Unknown GeneralName tag 0x${t.id.toString(16)}.`);
  }
}

/**
 * @internal Decodes a GeneralNames SEQUENCE (SIZE 1..MAX).
 *
 * @example
 * ```ts
 * readGeneralNames(readWhole(subjectAltName([{ type: 'dns', value: 'ex01.contoso.com' }]).value)); // [{ type: 'dns', value: 'ex01.contoso.com' }]
 * ```
 */
export function readGeneralNames(t: Tlv): GeneralName[] {
  const c = Cursor.of(t, T.SEQUENCE);
  const out: GeneralName[] = [];
  while (!c.done()) out.push(readGeneralName(c.next()));
  if (out.length === 0) bad('A GeneralNames sequence is empty (RFC 5280 requires at least one name).');
  return out;
}

/**
 * Encodes one GeneralName to DER.
 *
 * @example
 * ```ts
 * encodeGeneralName({ type: 'dns', value: 'exch01.contoso.com' });
 * ```
 */
export function encodeGeneralName(g: GeneralName, constraint = false): Uint8Array {
  switch (g.type) {
    case 'email':
      return implicitPrim(1, body(str(T.IA5_STRING, g.value)));
    case 'dns':
      return implicitPrim(2, body(str(T.IA5_STRING, g.value)));
    case 'uri':
      return implicitPrim(6, body(str(T.IA5_STRING, g.value)));
    case 'ip': {
      if (constraint) {
        const [addr, mask] = g.value.split('/');
        const a = parseIp(addr ?? '');
        if (!a || mask === undefined)
          bad(`"${g.value}" is not an IP range such as 10.0.0.0/8 or 2001:db8::/32.`);
        const m = /^\d+$/.test(mask) ? Number(mask) : -1;
        let maskBytes: Uint8Array | undefined;
        if (m >= 0 && m <= a.length * 8) maskBytes = prefixToMask(m, a.length);
        else maskBytes = parseIp(mask);
        if (!maskBytes || maskBytes.length !== a.length) bad(`"${g.value}" has an invalid mask.`);
        return implicitPrim(7, Uint8Array.from([...a, ...maskBytes]));
      }
      const a = parseIp(g.value);
      if (!a) bad(`"${g.value}" is not an IPv4 or IPv6 address.`);
      return implicitPrim(7, a);
    }
    case 'upn':
      return implicitCons(0, encOid(OID.msUpn), explicit(0, tlv(T.UTF8_STRING, utf8(g.value))));
    case 'otherName':
      readWhole(g.value);
      return implicitCons(0, encOid(g.oid), explicit(0, g.value));
    case 'dirName':
      return explicit(4, g.value.der);
    case 'registeredId':
      return implicitPrim(8, oidContent(g.value));
    case 'x400Address':
    case 'ediPartyName':
      readWhole(g.der);
      return g.der;
    default:
      throw new TypeError(`unknown GeneralName type ${(g as { type: string }).type}`);
  }
}

function body(enc: Uint8Array): Uint8Array {
  const t = readTlv(enc, 0);
  return contentOf(t);
}

/** Encodes GeneralNames (a SEQUENCE of at least one). @example `encodeGeneralNames([{ type: 'dns', value: 'a.example' }])` */
export function encodeGeneralNames(names: readonly GeneralName[]): Uint8Array {
  if (names.length === 0) bad('A GeneralNames list cannot be empty.');
  return seq(...names.map((n) => encodeGeneralName(n)));
}

/**
 * Formats a GeneralName the way OpenSSL's `-text` does (`DNS:a.example`, `IP Address:10.0.0.1`).
 *
 * @example
 * ```ts
 * formatGeneralName({ type: 'dns', value: 'a.example' }); // 'DNS:a.example'
 * ```
 */
export function formatGeneralName(g: GeneralName): string {
  switch (g.type) {
    case 'dns':
      return `DNS:${g.value}`;
    case 'ip':
      return `IP Address:${g.value}`;
    case 'email':
      return `email:${g.value}`;
    case 'uri':
      return `URI:${g.value}`;
    case 'upn':
      return `othername:UPN:${g.value}`;
    case 'dirName':
      return `DirName:${g.value.toString()}`;
    case 'registeredId':
      return `Registered ID:${g.value}`;
    case 'otherName':
      return `othername:${g.oid}:#${toHex(g.value)}`;
    default:
      return `${g.type}:#${toHex(g.der)}`;
  }
}

/**
 * Parses `dns:a.example`, `ip:10.0.0.1`, `email:x@y`, `uri:http://…`, `upn:user@corp`,
 * `dirname:CN=x,O=y` (case-insensitive prefixes, also OpenSSL's `DNS:`/`IP:`).
 *
 * @example
 * ```ts
 * parseGeneralName('DNS:exch01.contoso.com'); // { type: 'dns', value: 'exch01.contoso.com' }
 * ```
 */
export function parseGeneralName(text: string): GeneralName {
  const i = text.indexOf(':');
  if (i < 0)
    throw new PkiError(
      'ERR_PKI_EXTENSION_INVALID',
      `"${text}" needs a type prefix such as dns:, ip:, email:, uri:, upn: or dirname:.`,
    );
  const kind = text.slice(0, i).trim().toLowerCase();
  const value = text.slice(i + 1).trim();
  switch (kind) {
    case 'dns':
      return { type: 'dns', value };
    case 'ip':
    case 'ip address':
      if (!parseIp(value) && !value.includes('/'))
        throw new PkiError('ERR_PKI_EXTENSION_INVALID', `"${value}" is not an IP address.`);
      return { type: 'ip', value };
    case 'email':
    case 'rfc822':
      return { type: 'email', value };
    case 'uri':
    case 'url':
      return { type: 'uri', value };
    case 'upn':
      return { type: 'upn', value };
    case 'dirname':
      return { type: 'dirName', value: Name.parse(value) };
    case 'rid':
    case 'registeredid':
      return { type: 'registeredId', value };
    default:
      throw new PkiError(
        'ERR_PKI_EXTENSION_INVALID',
        `"${kind}" is not a GeneralName type (use dns, ip, email, uri, upn or dirname).`,
      );
  }
}
