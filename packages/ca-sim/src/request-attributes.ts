// Request attributes (the certsrv `CertAttrib` field, certreq -attrib): `name:value` lines parsed
// as [MS-WCCE] §3.2.1.4.2.1.2 describes, and the `san:` attribute's `type=value&…` syntax.

import { type GeneralName, Name } from '@certlab/pki';
import { CaError } from './errors.js';
import { untilNul } from './text-checks.js';

/**
 * Request attributes by lower-case name (attribute names are case-insensitive). Later lines win.
 *
 * @example
 * ```ts
 * parseRequestAttributes('CertificateTemplate:WebServer\r\nSAN:dns=a.contoso.com');
 * // { certificatetemplate: 'WebServer', san: 'dns=a.contoso.com' }
 * ```
 */
export type RequestAttributes = Readonly<Record<string, string>>;

/**
 * Parses attributes given as `CertAttrib` text, as lines, or as a record. Per [MS-WCCE]
 * §3.2.1.4.2.1.2: lines split on LF with CR stripped, lines without `:` ignored, blanks and `-`
 * removed from the name, the value trimmed; names compared case-insensitively. The text ends at
 * its first U+0000, as the NUL-terminated attribute string AD CS receives does (lines are read
 * joined by LF, a record as its `name:value` lines): a NUL in a name drops that pair and
 * everything after it, a NUL in a value cuts the value there and drops what follows.
 *
 * @example
 * ```ts
 * parseRequestAttributes(['CertificateTemplate:WebServer', 'san:dns=a&dns=b']).san; // 'dns=a&dns=b'
 * parseRequestAttributes('CertificateTemplate:Web\u0000Server\nsan:dns=a'); // { certificatetemplate: 'Web' }
 * ```
 */
export function parseRequestAttributes(
  input: string | readonly string[] | Readonly<Record<string, string>> | undefined,
): RequestAttributes {
  const out: Record<string, string> = Object.create(null);
  if (input === undefined) return out;
  const add = (name: string, value: string) => {
    const n = name.replace(/[\s-]/g, '').toLowerCase();
    if (n) out[n] = value.trim();
  };
  if (typeof input === 'string' || Array.isArray(input)) {
    const text = typeof input === 'string' ? input : (input as readonly string[]).join('\n');
    for (const raw of untilNul(text).split('\n')) {
      const line = raw.replace(/\r/g, '');
      const i = line.indexOf(':');
      if (i < 0) continue;
      add(line.slice(0, i), line.slice(i + 1));
    }
  } else {
    for (const [k, v] of Object.entries(input)) {
      if (typeof v !== 'string') continue;
      // The `k:v` line of the text this record stands for, cut at a NUL like the text.
      if (k.includes('\u0000')) break;
      const value = untilNul(v);
      add(k, value);
      if (value !== v) break;
    }
  }
  return out;
}

/**
 * Writes attributes back as `CertAttrib` text (CRLF line ends), for storage and display.
 *
 * @example
 * ```ts
 * formatRequestAttributes({ certificatetemplate: 'WebServer' }); // 'certificatetemplate:WebServer\r\n'
 * ```
 */
export function formatRequestAttributes(attrs: RequestAttributes): string {
  return Object.entries(attrs)
    .map(([k, v]) => `${k}:${v}\r\n`)
    .join('');
}

/**
 * Thrown by {@link parseSanAttribute} for an entry it cannot read: a {@link CaError} with the code
 * `ERR_CA_ATTRIBUTE_INVALID` (the policy module turns it into the 0x80070057 denial).
 *
 * @example
 * ```ts
 * try { parseSanAttribute('foo=bar'); } catch (e) { if (e instanceof SanAttributeError) console.error(e.message); }
 * ```
 */
export class SanAttributeError extends CaError {
  constructor(message: string) {
    super('ERR_CA_ATTRIBUTE_INVALID', message);
    this.name = 'SanAttributeError';
  }
}

/** OID of the otherName that carries an AD object GUID (szOID_NTDS_REPLICATION). */
const GUID_OTHER_NAME = '1.3.6.1.4.1.311.25.1';

function guidBytes(text: string): Uint8Array {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new SanAttributeError(`"${text}" is not a GUID.`);
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  // GUIDs are stored in Microsoft's mixed-endian byte order: the first three fields little-endian.
  const swap = (a: number, n: number) => b.subarray(a, a + n).reverse();
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  return b;
}

/**
 * The DS Object Guid otherName (1.3.6.1.4.1.311.25.1: an OCTET STRING of the GUID's 16 bytes in
 * Microsoft's byte order) of a GUID in text form (`{…}`, with or without dashes). Throws
 * SanAttributeError for text that is not a GUID.
 *
 * @example
 * ```ts
 * objectGuidAltName('{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}'); // { type: 'otherName', oid: '1.3.6.1.4.1.311.25.1', value: … }
 * ```
 */
export function objectGuidAltName(text: string): GeneralName {
  const g = guidBytes(text);
  return { type: 'otherName', oid: GUID_OTHER_NAME, value: Uint8Array.of(0x04, g.length, ...g) };
}

/**
 * Parses the value of a `san` request attribute: `type=value` entries joined by `&`, with the
 * types AD CS accepts (`dns`, `email`, `upn`, `ipaddress`, `url`, `guid`, `dn`; certsrv
 * reference §8). Values may be %-encoded. Throws SanAttributeError for an unknown type.
 *
 * @example
 * ```ts
 * parseSanAttribute('dns=a.contoso.com&upn=alice@contoso.com');
 * // [{ type: 'dns', value: 'a.contoso.com' }, { type: 'upn', value: 'alice@contoso.com' }]
 * ```
 */
export function parseSanAttribute(value: string): GeneralName[] {
  const out: GeneralName[] = [];
  for (const part of value.split('&')) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    if (eq < 0) throw new SanAttributeError(`The SAN entry "${entry}" has no "=".`);
    const type = entry.slice(0, eq).trim().toLowerCase();
    let v = entry.slice(eq + 1).trim();
    try {
      v = decodeURIComponent(v);
    } catch {
      // Invalid escapes stay literal, as certsrv's lenient decoding does (reference §5.2).
    }
    if (!v) throw new SanAttributeError(`The SAN entry "${entry}" has an empty value.`);
    switch (type) {
      case 'dns':
        out.push({ type: 'dns', value: v });
        break;
      case 'email':
        out.push({ type: 'email', value: v });
        break;
      case 'upn':
        out.push({ type: 'upn', value: v });
        break;
      case 'ipaddress':
      case 'ip':
        out.push({ type: 'ip', value: v });
        break;
      case 'url':
      case 'uri':
        out.push({ type: 'uri', value: v });
        break;
      case 'guid':
        out.push(objectGuidAltName(v));
        break;
      case 'dn': {
        let name: Name;
        try {
          name = Name.parse(v);
        } catch {
          throw new SanAttributeError(`"${v}" is not a distinguished name.`);
        }
        out.push({ type: 'dirName', value: name });
        break;
      }
      default:
        throw new SanAttributeError(
          `"${type}" is not a SAN attribute type (use dns, email, upn, ipaddress, url, guid, dn).`,
        );
    }
  }
  return out;
}
