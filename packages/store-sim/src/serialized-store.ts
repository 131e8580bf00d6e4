// The Microsoft serialized certificate store (`.sst`, CERT_STORE_SAVE_AS_STORE): what the
// Certificate Export Wizard writes as "Microsoft Serialized Certificate Store", Export-Certificate
// -Type SST, and what the Import Wizard and Import-Certificate read (windows-stores.md §7, §9.3).
// Layout per [MS-OSHARED] 2.3.9.1 and 2.3.2.5: a version DWORD (0) and the file type 'CERT'
// (0x54524543), then groups of property entries each followed by the element they describe, then
// a 12-byte end marker of zeros; every entry is `id, encodingType, length` (little-endian DWORDs)
// and `length` bytes. A certificate element has id 32 (CERT_CERT_PROP_ID); stores also serialize
// CRLs (33, CERT_CRL_PROP_ID) and CTLs (34, CERT_CTL_PROP_ID) the same way. The same element
// format is a registry store's `Blob` value (§4).

import { type Certificate, type Crl, parseCertificate, parseCrl } from '@certlab/pki';
import { StoreError } from './errors.js';
import type { CertificateProperties } from './properties.js';

const FILE_TYPE = 0x54524543; // 'CERT'
const CERT_ELEMENT = 32;
const CRL_ELEMENT = 33;
const CTL_ELEMENT = 34;
// Property ids (wincrypt.h CERT_*_PROP_ID) carried over; the others are skipped on read.
const FRIENDLY_NAME = 11;
const DESCRIPTION = 13;
const ARCHIVED = 19;
// X509_ASN_ENCODING, which [MS-OSHARED] 2.3.2.5.1 requires; Windows also writes
// X509_ASN_ENCODING | PKCS_7_ASN_ENCODING (0x10001), so reading ignores the field.
const ASN_ENCODING = 1;

/**
 * One certificate of a serialized store with the properties it carried.
 *
 * @example
 * ```ts
 * const { certificates } = decodeSerializedStore(bytes);
 * certificates[0]?.properties.friendlyName; // 'Contoso Root CA'
 * ```
 */
export interface SerializedCertificate {
  readonly certificate: Certificate;
  /** The friendly name (11), description (13) and archived flag (19) it carried, if any. */
  readonly properties: CertificateProperties;
}

/**
 * What a serialized store holds.
 *
 * @example
 * ```ts
 * const store = decodeSerializedStore(bytes);
 * console.log(store.certificates.length, store.crls.length, store.skippedCtls);
 * ```
 */
export interface SerializedStore {
  readonly certificates: SerializedCertificate[];
  readonly crls: Crl[];
  /** Certificate trust lists (34) in the file: not modelled, so not returned. */
  readonly skippedCtls: number;
}

/**
 * Whether the bytes start like a serialized store (version 0, then `CERT`): the check the
 * auto-detecting readers make before trying DER or PEM.
 *
 * @example
 * ```ts
 * if (isSerializedStore(bytes)) decodeSerializedStore(bytes);
 * ```
 */
export function isSerializedStore(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return v.getUint32(0, true) === 0 && v.getUint32(4, true) === FILE_TYPE;
}

function invalid(message: string, cause?: unknown): StoreError {
  return new StoreError(
    'ERR_STORE_IMPORT_INVALID',
    `The serialized certificate store (.sst) cannot be read: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

/** A UTF-16LE property string without its terminating NUL (wincrypt stores LPWSTR values). */
function utf16(value: Uint8Array): string {
  const text = new TextDecoder('utf-16le', { fatal: false }).decode(
    value.subarray(0, value.length - (value.length % 2)),
  );
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/**
 * Reads a serialized certificate store (`.sst`). Throws ERR_STORE_IMPORT_INVALID, naming the
 * offset, for anything but a complete store: a wrong header, an entry running past the end, a
 * property id above 0xFFFF, a certificate or CRL that does not parse, or no end marker.
 *
 * @example
 * ```ts
 * const { certificates } = decodeSerializedStore(await readFile('roots.sst'));
 * for (const c of certificates) console.log(c.certificate.subject.commonName, c.properties.friendlyName);
 * ```
 */
export function decodeSerializedStore(bytes: Uint8Array): SerializedStore {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeSerializedStore expects a Uint8Array.');
  if (!isSerializedStore(bytes))
    throw invalid('it does not start with the version 0 and the file type "CERT".');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const certificates: SerializedCertificate[] = [];
  const crls: Crl[] = [];
  let skippedCtls = 0;
  let pending: CertificateProperties = {};
  let offset = 8;
  for (;;) {
    if (offset + 12 > bytes.length)
      throw invalid(`the file ends at byte ${bytes.length} without its end marker (truncated?).`);
    const id = view.getUint32(offset, true);
    const length = view.getUint32(offset + 8, true);
    const start = offset + 12;
    if (id === 0) {
      // The end marker ([MS-OSHARED] 2.3.2.5.2): id 0 and eight zero bytes. Anything else there is
      // a damaged entry, not the end: stopping would import a silently truncated store.
      if (view.getUint32(offset + 4, true) !== 0 || length !== 0)
        throw invalid(`the entry at byte ${offset} has id 0 but is not the 12-byte zero end marker.`);
      break; // what follows the end marker is not read
    }
    if (length > bytes.length - start)
      throw invalid(
        `the entry at byte ${offset} (id ${id}) claims ${length} bytes; ${bytes.length - start} remain.`,
      );
    const value = bytes.subarray(start, start + length);
    offset = start + length;
    if (id === CERT_ELEMENT) {
      let certificate: Certificate;
      try {
        certificate = parseCertificate(value.slice());
      } catch (e) {
        throw invalid(`the certificate at byte ${start} is not a DER X.509 certificate.`, e);
      }
      certificates.push({ certificate, properties: pending });
      pending = {};
    } else if (id === CRL_ELEMENT) {
      try {
        crls.push(parseCrl(value.slice()));
      } catch (e) {
        throw invalid(`the CRL at byte ${start} is not a DER X.509 CRL.`, e);
      }
      pending = {};
    } else if (id === CTL_ELEMENT) {
      skippedCtls++;
      pending = {};
    } else if (id > 0xffff) {
      throw invalid(`the entry at byte ${start - 12} has the id ${id}, above a property id's 0xFFFF.`);
    } else if (id === FRIENDLY_NAME) {
      pending = { ...pending, friendlyName: utf16(value) };
    } else if (id === DESCRIPTION) {
      pending = { ...pending, description: utf16(value) };
    } else if (id === ARCHIVED) {
      pending = { ...pending, archived: true };
    }
  }
  return { certificates, crls, skippedCtls };
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out; // ends with the NUL of an LPWSTR
}

/**
 * Writes a serialized certificate store (`.sst`) of the certificates, in the order given, each
 * preceded by its friendly name, description and archived flag when it has them, then the CRLs.
 *
 * @example
 * ```ts
 * await writeFile('roots.sst', encodeSerializedStore([{ certificate: root, properties: { friendlyName: 'Root' } }]));
 * ```
 */
export function encodeSerializedStore(
  certificates: readonly { certificate: Certificate; properties?: CertificateProperties }[],
  crls: readonly Crl[] = [],
): Uint8Array {
  const parts: Uint8Array[] = [];
  const entry = (id: number, value: Uint8Array) => {
    const head = new Uint8Array(12);
    const v = new DataView(head.buffer);
    v.setUint32(0, id, true);
    v.setUint32(4, ASN_ENCODING, true);
    v.setUint32(8, value.length, true);
    parts.push(head, value);
  };
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(4, FILE_TYPE, true);
  parts.push(header);
  for (const { certificate, properties = {} } of certificates) {
    if (properties.friendlyName !== undefined) entry(FRIENDLY_NAME, utf16le(properties.friendlyName));
    if (properties.description !== undefined) entry(DESCRIPTION, utf16le(properties.description));
    if (properties.archived) entry(ARCHIVED, new Uint8Array(0));
    entry(CERT_ELEMENT, certificate.der);
  }
  for (const crl of crls) entry(CRL_ELEMENT, crl.der);
  parts.push(new Uint8Array(12)); // the end marker
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
