// Auto-detection of the PKI files users hand us: PEM with any label and several blocks, Base64
// without armour (certsrv downloads), and DER told apart by its structure (the label, when
// there is one, is only a hint: certsrv serves PKCS #7 under the CERTIFICATE label). Detection
// reads a few TLV headers and never needs a password; {@link readPkiFile} then parses.

import { type Certificate, parseCertificate } from './certificate.js';
import { type Crl, parseCrl } from './crl.js';
import { type CertificationRequest, parseCsr } from './csr.js';
import { PkiError } from './errors.js';
import { berToDer } from './internal/ber.js';
import { fromLatin1 } from './internal/bytes.js';
import { Cursor, leadingTlv, readOid, readWhole, T, type Tlv } from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import { rsaPublicKeyToSpki } from './internal/key-der.js';
import { importPrivateKey, type PrivateKey, PublicKey } from './keys.js';
import { oidName } from './oids.js';
import { decodeBase64, decodePem, encodeBase64, isPem } from './pem.js';
import { parsePkcs7 } from './pkcs7.js';
import { type Pkcs12Contents, readPkcs12 } from './pkcs12.js';

/**
 * The kinds of PKI object {@link detectFormat} recognises.
 *
 * @example
 * ```ts
 * const kind: PkiObjectKind = detectFormat(bytes).kind; // 'certificate', 'pkcs7', …
 * ```
 */
export type PkiObjectKind = 'certificate' | 'csr' | 'crl' | 'pkcs7' | 'pkcs12' | 'private-key' | 'public-key';

/**
 * How the file was encoded: PEM blocks, binary DER (or BER), or Base64 text without armour.
 *
 * @example
 * ```ts
 * if (detectFormat(bytes).encoding === 'base64') console.log('Base64 text without -----BEGIN lines');
 * ```
 */
export type PkiEncoding = 'pem' | 'der' | 'base64';

/**
 * The container of a key: PKCS #8 PrivateKeyInfo, EncryptedPrivateKeyInfo (RFC 5958), PKCS #1
 * RSAPrivateKey / RSAPublicKey (RFC 8017 §A.1), SEC 1 ECPrivateKey (RFC 5915), or
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
 *
 * @example
 * ```ts
 * const f: KeyFormat = 'encrypted-pkcs8';
 * ```
 */
export type KeyFormat = 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1' | 'sec1' | 'spki';

/**
 * One object found in a file.
 *
 * @example
 * ```ts
 * for (const o of detectFormat(pemText).objects) console.log(o.kind, o.label, o.der.length);
 * ```
 */
export interface DetectedObject {
  readonly kind: PkiObjectKind;
  /** The object's bytes (DER, or BER as found for PKCS #7 and PKCS #12). */
  readonly der: Uint8Array;
  /** The PEM label, for PEM input. */
  readonly label?: string;
  /** For keys: the container. */
  readonly keyFormat?: KeyFormat;
  /** For private keys: whether a password is needed (encrypted PKCS #8, or OpenSSL's legacy PEM encryption). */
  readonly encrypted?: boolean;
  /** RFC 1421 headers of a PEM block (legacy encrypted keys: Proc-Type, DEK-Info). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What {@link detectFormat} found: the kind of the first object, the encoding, every object in
 * file order, and the labels of PEM blocks it skipped (parameters, unknown labels).
 *
 * @example
 * ```ts
 * const d = detectFormat(await readFile('bundle.pem'));
 * d.kind;     // 'certificate'
 * d.objects;  // [{ kind: 'certificate', … }, { kind: 'private-key', keyFormat: 'pkcs8', … }]
 * ```
 */
export interface DetectedFile {
  readonly kind: PkiObjectKind;
  readonly encoding: PkiEncoding;
  readonly objects: readonly DetectedObject[];
  readonly skippedLabels: readonly string[];
}

const UNKNOWN = 'ERR_PKI_FORMAT_UNKNOWN' as const;

function unknownFormat(msg: string, cause?: unknown): never {
  throw new PkiError(UNKNOWN, msg, cause === undefined ? undefined : { cause });
}

// --- DER sniffing ------------------------------------------------------------------------------

type Sniff =
  | { readonly kind: PkiObjectKind; readonly keyFormat?: KeyFormat; readonly encrypted?: boolean }
  | { readonly kind: 'unknown'; readonly why: string; readonly cause?: unknown };

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const CMS_NAMES: Record<string, string> = {
  [OID_DATA]: 'data',
  '1.2.840.113549.1.7.3': 'envelopedData (encrypted to a recipient)',
  '1.2.840.113549.1.7.4': 'signedAndEnvelopedData',
  '1.2.840.113549.1.7.5': 'digestedData',
  '1.2.840.113549.1.7.6': 'encryptedData',
  '1.2.840.113549.1.9.16.1.2': 'authenticatedData',
  '1.2.840.113549.1.9.16.1.9': 'compressedData',
  '1.2.840.113549.1.9.16.1.23': 'authEnvelopedData',
};
const HASH_OIDS = new Set([
  '1.3.14.3.2.26',
  '2.16.840.1.101.3.4.2.1',
  '2.16.840.1.101.3.4.2.2',
  '2.16.840.1.101.3.4.2.3',
  '1.2.840.113549.2.5',
]);

const TAG_NAMES: Record<number, string> = {
  [T.BOOLEAN]: 'a BOOLEAN',
  [T.INTEGER]: 'an INTEGER',
  [T.BIT_STRING]: 'a BIT STRING',
  [T.OCTET_STRING]: 'an OCTET STRING',
  [T.NULL]: 'a NULL',
  [T.OID]: 'an OID',
  [T.ENUMERATED]: 'an ENUMERATED',
  [T.UTF8_STRING]: 'a UTF8String',
  [T.PRINTABLE_STRING]: 'a PrintableString',
  [T.IA5_STRING]: 'an IA5String',
  [T.UTC_TIME]: 'a UTCTime',
  [T.GENERALIZED_TIME]: 'a GeneralizedTime',
  [T.BMP_STRING]: 'a BMPString',
  [T.SEQUENCE]: 'a SEQUENCE',
  [T.SET]: 'a SET',
};

function tagName(id: number): string {
  const n = TAG_NAMES[id];
  if (n) return n;
  const cls = id & 0xc0;
  const num = id & 0x1f;
  if (cls === 0x80) return `a [${num}]`;
  if (cls === 0x40) return `an [APPLICATION ${num}]`;
  if (cls === 0xc0) return `a [PRIVATE ${num}]`;
  return `tag 0x${id.toString(16).padStart(2, '0')}`;
}

function kidsOf(t: Tlv, max: number): Tlv[] {
  const c = Cursor.of(t);
  const out: Tlv[] = [];
  while (!c.done() && out.length < max) out.push(c.next());
  return out;
}

function smallInt(t: Tlv | undefined): number {
  return t && t.id === T.INTEGER && t.end - t.valueStart === 1 ? t.bytes[t.valueStart]! : -1;
}

function firstOid(t: Tlv | undefined): string | undefined {
  if (!t || t.id !== T.SEQUENCE || t.end === t.valueStart) return undefined;
  const c = Cursor.of(t);
  const o = c.next();
  return o.id === T.OID ? readOid(o) : undefined;
}

function isTime(t: Tlv | undefined): boolean {
  return t?.id === T.UTC_TIME || t?.id === T.GENERALIZED_TIME;
}

function isPbeOid(o: string): boolean {
  // PKCS #5 PBES1/PBES2 (RFC 8018 §A) and PKCS #12 PBE (RFC 7292 §C).
  return o.startsWith('1.2.840.113549.1.5.') || o.startsWith('1.2.840.113549.1.12.1.');
}

function describeElement(t: Tlv): string {
  if (t.id === T.OID) {
    const o = readOid(t);
    const n = oidName(o);
    return n === o ? `an OID ${o}` : `an OID ${o} (${n})`;
  }
  if (t.id === T.SEQUENCE) {
    const o = firstOid(t);
    if (o) {
      const n = oidName(o);
      return n === o
        ? `a SEQUENCE starting with the OID ${o}`
        : `a SEQUENCE starting with the OID ${o} (${n})`;
    }
  }
  if (t.id === T.INTEGER && t.end - t.valueStart <= 4) {
    let v = 0;
    for (let i = t.valueStart; i < t.end; i++) v = v * 256 + t.bytes[i]!;
    return `an INTEGER ${v}`;
  }
  return tagName(t.id);
}

function describe(top: Tlv, kids: Tlv[]): string {
  if (kids.length === 0)
    return `This is DER but not a known PKI structure: it is ${tagName(top.id)} that is empty.`;
  const parts: string[] = [];
  for (const k of kids.slice(0, 4)) {
    try {
      parts.push(describeElement(k));
    } catch {
      parts.push(tagName(k.id));
    }
  }
  const more = kids.length > 4 ? ', …' : '';
  return `This is DER but not a known PKI structure: it begins with ${tagName(top.id)} containing ${parts.join(', ')}${more}.`;
}

function sniffTop(top: Tlv): Sniff {
  if (top.id !== T.SEQUENCE)
    return {
      kind: 'unknown',
      why: `This is DER but not a known PKI structure: it is ${tagName(top.id)}, and every PKI file is a SEQUENCE.`,
    };
  const kids = kidsOf(top, 10);
  const [k0, k1, k2] = kids;
  if (!k0) return { kind: 'unknown', why: describe(top, kids) };
  if (k0.id === T.OID) {
    // ContentInfo (RFC 5652 §3).
    const o = readOid(k0);
    if (o === OID_SIGNED_DATA && k1?.id === 0xa0) return { kind: 'pkcs7' };
    const cms = CMS_NAMES[o];
    if (cms)
      return {
        kind: 'unknown',
        why: `This is a PKCS #7 / CMS ${cms} message, not a certificate file: only signedData carries certificates.`,
      };
  }
  if (k0.id === T.INTEGER) {
    const v = smallInt(k0);
    const o1 = firstOid(k1);
    // PFX (RFC 7292 §4): version 3, authSafe ContentInfo (data or signedData).
    if (v === 3 && (o1 === OID_DATA || o1 === OID_SIGNED_DATA)) return { kind: 'pkcs12' };
    // OneAsymmetricKey (RFC 5958 §2): version 0 or 1, AlgorithmIdentifier, OCTET STRING.
    if ((v === 0 || v === 1) && o1 && k2?.id === T.OCTET_STRING)
      return { kind: 'private-key', keyFormat: 'pkcs8', encrypted: false };
    // RSAPrivateKey (RFC 8017 §A.1.2): version 0 and eight INTEGERs.
    if (v === 0 && kids.length >= 9 && kids.slice(0, 9).every((k) => k.id === T.INTEGER))
      return { kind: 'private-key', keyFormat: 'pkcs1', encrypted: false };
    // ECPrivateKey (RFC 5915 §3): version 1, OCTET STRING.
    if (v === 1 && k1?.id === T.OCTET_STRING)
      return { kind: 'private-key', keyFormat: 'sec1', encrypted: false };
    // RSAPublicKey (RFC 8017 §A.1.1): modulus (at least 512 bits) and exponent.
    if (kids.length === 2 && k1?.id === T.INTEGER && k0.end - k0.valueStart >= 64)
      return { kind: 'public-key', keyFormat: 'pkcs1' };
  }
  if (k0.id === T.ENUMERATED && (kids.length === 1 || k1?.id === 0xa0))
    return {
      kind: 'unknown',
      why: 'This looks like an OCSP response (RFC 6960 §4.2.1), not a certificate file.',
    };
  if (k0.id === T.SEQUENCE) {
    if (kids.length === 3 && k1?.id === T.SEQUENCE && k2?.id === T.BIT_STRING) {
      // A signed object: TBS, signature algorithm, signature.
      const tbs = kidsOf(k0, 7);
      const [t0, t1, t2, t3, t4, t5] = tbs;
      if (t0?.id === 0xa0 && t1?.id === T.INTEGER) return { kind: 'certificate' };
      if (t0?.id === T.INTEGER && t1?.id === T.SEQUENCE && t2?.id === T.SEQUENCE) {
        if (t3?.id === T.SEQUENCE && t4?.id === T.SEQUENCE && t5?.id === T.SEQUENCE)
          return { kind: 'certificate' };
        if (isTime(t3)) return { kind: 'crl' };
        if (smallInt(t0) === 0 && (t3?.id === 0xa0 || t3 === undefined)) return { kind: 'csr' };
      }
      if (smallInt(t0) === 1 && t1?.id === T.SEQUENCE && tbs[4]?.id === T.INTEGER)
        return {
          kind: 'unknown',
          why: 'This looks like an attribute certificate (RFC 5755), which certlab does not read.',
        };
      if (t0?.id === T.SEQUENCE && t1?.id === T.SEQUENCE && isTime(t2)) return { kind: 'crl' };
      if (t0?.id === T.SEQUENCE && t1?.id === T.IA5_STRING)
        return {
          kind: 'unknown',
          why: 'This looks like a Netscape SPKAC request (openssl spkac), not a PKCS #10 request; create a CSR with openssl req instead.',
        };
    }
    if (kids.length === 2 && k1?.id === T.BIT_STRING && firstOid(k0))
      return { kind: 'public-key', keyFormat: 'spki' };
    if (kids.length === 2 && k1?.id === T.OCTET_STRING) {
      const o = firstOid(k0);
      if (o && isPbeOid(o)) return { kind: 'private-key', keyFormat: 'encrypted-pkcs8', encrypted: true };
      if (o && HASH_OIDS.has(o))
        return {
          kind: 'unknown',
          why: `This looks like a DigestInfo (a ${oidName(o)} hash with its algorithm), not a PKI file.`,
        };
    }
  }
  return { kind: 'unknown', why: describe(top, kids) };
}

/** Sniffs DER (or BER, through the bounded normaliser) without parsing the object. */
function sniffDer(bytes: Uint8Array): Sniff {
  let top: Tlv;
  try {
    top = readWhole(bytes);
    return sniffTop(top);
  } catch (e) {
    if (!(e instanceof PkiError)) throw e;
    let der: Uint8Array;
    try {
      der = berToDer(bytes);
    } catch (be) {
      const err = be instanceof PkiError && be.code === 'ERR_PKI_DER_TOO_DEEP' ? be : e;
      return {
        kind: 'unknown',
        why: `This begins like DER (a SEQUENCE) but is malformed: ${err.message}`,
        cause: err,
      };
    }
    if (der === bytes)
      return {
        kind: 'unknown',
        why: `This begins like DER (a SEQUENCE) but is malformed: ${e.message}`,
        cause: e,
      };
    try {
      return sniffTop(readWhole(der));
    } catch (e2) {
      if (!(e2 instanceof PkiError)) throw e2;
      return {
        kind: 'unknown',
        why: `This begins like BER (a SEQUENCE) but is malformed: ${e2.message}`,
        cause: e2,
      };
    }
  }
}

// --- text and binary ---------------------------------------------------------------------------

const LABEL_KINDS: Record<string, { kind: PkiObjectKind; keyFormat?: KeyFormat; encrypted?: boolean }> = {
  CERTIFICATE: { kind: 'certificate' },
  'X509 CERTIFICATE': { kind: 'certificate' },
  'TRUSTED CERTIFICATE': { kind: 'certificate' },
  'CERTIFICATE REQUEST': { kind: 'csr' },
  'NEW CERTIFICATE REQUEST': { kind: 'csr' },
  'X509 CRL': { kind: 'crl' },
  PKCS7: { kind: 'pkcs7' },
  CMS: { kind: 'pkcs7' },
  'PKCS #7 SIGNED DATA': { kind: 'pkcs7' },
  PKCS12: { kind: 'pkcs12' },
  'PRIVATE KEY': { kind: 'private-key', keyFormat: 'pkcs8', encrypted: false },
  'ENCRYPTED PRIVATE KEY': { kind: 'private-key', keyFormat: 'encrypted-pkcs8', encrypted: true },
  'RSA PRIVATE KEY': { kind: 'private-key', keyFormat: 'pkcs1', encrypted: false },
  'EC PRIVATE KEY': { kind: 'private-key', keyFormat: 'sec1', encrypted: false },
  'PUBLIC KEY': { kind: 'public-key', keyFormat: 'spki' },
  'RSA PUBLIC KEY': { kind: 'public-key', keyFormat: 'pkcs1' },
};

/** Blocks that accompany keys and certificates and carry nothing to read. */
const IGNORED_LABELS = new Set([
  'EC PARAMETERS',
  'DH PARAMETERS',
  'DSA PARAMETERS',
  'X9.42 DH PARAMETERS',
  'PARAMETERS',
]);

const LABEL_HINTS: Record<string, string> = {
  'OPENSSH PRIVATE KEY':
    'This is an OpenSSH private key; convert a copy to PKCS #8 with: ssh-keygen -p -m PKCS8 -f COPY_OF_KEY',
  'DSA PRIVATE KEY':
    'This is a DSA private key; certlab supports RSA, ECDSA (P-256/384/521) and Ed25519 keys.',
  'PGP PUBLIC KEY BLOCK': 'This is an OpenPGP key, not an X.509/PKCS file.',
  'PGP PRIVATE KEY BLOCK': 'This is an OpenPGP key, not an X.509/PKCS file.',
  'PGP MESSAGE': 'This is an OpenPGP message, not an X.509/PKCS file.',
  'PGP SIGNATURE': 'This is an OpenPGP signature, not an X.509/PKCS file.',
};

function fromPem(text: string): DetectedFile {
  const blocks = decodePem(text);
  const objects: DetectedObject[] = [];
  const skipped: string[] = [];
  const reasons: { msg: string; cause?: unknown }[] = [];
  for (const b of blocks) {
    if (IGNORED_LABELS.has(b.label)) {
      skipped.push(b.label);
      continue;
    }
    // Own keys only: a block labelled "constructor" or "__proto__" is an unknown label.
    const byLabel = Object.hasOwn(LABEL_KINDS, b.label) ? LABEL_KINDS[b.label] : undefined;
    const legacyEncrypted = b.headers !== undefined && /ENCRYPTED/i.test(b.headers['Proc-Type'] ?? '');
    if (legacyEncrypted && byLabel?.kind === 'private-key') {
      objects.push({ ...byLabel, der: b.bytes, label: b.label, encrypted: true, headers: b.headers! });
      continue;
    }
    // OpenSSL's TRUSTED CERTIFICATE is the certificate followed by its trust settings (X509_AUX).
    const bytes = b.label === 'TRUSTED CERTIFICATE' ? leadingTlv(b.bytes) : b.bytes;
    const s = bytes.length ? sniffDer(bytes) : ({ kind: 'unknown', why: 'the block is empty' } as Sniff);
    if (s.kind !== 'unknown') {
      objects.push({ ...s, der: bytes, label: b.label });
    } else if (byLabel) {
      // The label names a known object whose content is malformed: parsing will say what is wrong.
      objects.push({ ...byLabel, der: bytes, label: b.label });
    } else {
      skipped.push(b.label);
      reasons.push({
        msg:
          (Object.hasOwn(LABEL_HINTS, b.label) ? LABEL_HINTS[b.label] : undefined) ??
          `The PEM block "${b.label}" is not a known PKI object. ${s.why}`,
        cause: s.cause,
      });
    }
  }
  if (objects.length === 0) {
    const r = reasons[0];
    unknownFormat(
      r?.msg ??
        `The PEM text has no certificate, request, CRL, PKCS #7, PKCS #12 or key block (found: ${blocks.map((x) => x.label).join(', ')}).`,
      r?.cause,
    );
  }
  return { kind: objects[0]!.kind, encoding: 'pem', objects, skippedLabels: skipped };
}

function fromDerBytes(
  bytes: Uint8Array,
  encoding: PkiEncoding,
): DetectedFile | Extract<Sniff, { kind: 'unknown' }> {
  const s = sniffDer(bytes);
  if (s.kind === 'unknown') return s;
  return { kind: s.kind, encoding, objects: [{ ...s, der: bytes }], skippedLabels: [] };
}

const SSH_KEY =
  /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/m;

function snippet(text: string): string {
  const s = text
    .trim()
    .slice(0, 40)
    .replace(/[^\x20-\x7e]/g, '?');
  return text.trim().length > 40 ? `${s}…` : s;
}

function fromText(raw: string): DetectedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const trimmed = text.trim();
  if (trimmed.length === 0) unknownFormat('The file is empty (it holds only whitespace).');
  if (isPem(text)) return fromPem(text);
  if (/^---- BEGIN SSH2 PUBLIC KEY ----/m.test(text))
    unknownFormat(
      'This looks like an SSH2 (RFC 4716) public key; convert it with ssh-keygen -i -f KEY.pub > key.ssh, then ssh-keygen -e -m PKCS8 -f key.ssh > key.pem',
    );
  if (SSH_KEY.test(text))
    unknownFormat(
      'This looks like an SSH public key; convert it with ssh-keygen -e -m PKCS8 -f KEY.pub > key.pem',
    );
  if (trimmed.startsWith('PuTTY-User-Key-File-'))
    unknownFormat(
      'This is a PuTTY private key (.ppk); convert it with puttygen KEY.ppk -O private-openssh-new -o key, then ssh-keygen -p -m PKCS8 -f key',
    );
  if (trimmed.startsWith('{'))
    unknownFormat(
      /"kty"\s*:/.test(trimmed)
        ? 'This is a JSON Web Key; import it with importPrivateKey() or importPublicKey().'
        : 'This is JSON, not a PKI file.',
    );
  const isHex = /^[0-9a-fA-F\s:]+$/.test(trimmed) && trimmed.replace(/[\s:]/g, '').length >= 32;
  // Words separated by single spaces on one line are prose, not Base64 (which has no spaces
  // inside a line, and whose lines are long).
  if (/^[A-Za-z]+( [A-Za-z]+)+[.!?]?$/.test(trimmed))
    unknownFormat('This is plain text, not a certificate, key, request, CRL or PKCS file.');
  if (/^[A-Za-z0-9+/=\s_-]+$/.test(trimmed) && trimmed.length >= 8) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = decodeBase64(trimmed);
    } catch (e) {
      if (!isHex)
        unknownFormat(
          'This looks like Base64 text, but it does not decode: check that the file is complete.',
          e,
        );
    }
    if (bytes) {
      const r = fromDerBytes(bytes, 'base64');
      if (r.kind !== 'unknown') return r as DetectedFile;
      if (!isHex)
        unknownFormat(`This is Base64 text, but what it decodes to is not a PKI file. ${r.why}`, r.cause);
    }
  }
  if (isHex)
    unknownFormat(
      'This looks like hex-encoded data; convert it to binary first (xxd -r -p FILE.hex FILE.der), or save it as PEM.',
    );
  unknownFormat(
    `This looks like text but has no PEM block ("-----BEGIN …-----") and is not Base64: it begins with "${snippet(text)}".`,
  );
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

function decodeUtf16(b: Uint8Array, le: boolean, start: number): string {
  let s = '';
  for (let i = start; i + 1 < b.length; i += 2)
    s += String.fromCharCode(le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
  return s;
}

function hexStart(b: Uint8Array): string {
  return Array.from(b.subarray(0, 4), (x) => `0x${x.toString(16).padStart(2, '0')}`).join(' ');
}

function fromBinary(b: Uint8Array): DetectedFile {
  if (b.length === 0) unknownFormat('The file is empty (0 bytes).');
  // Byte order marks: Notepad's UTF-8, PowerShell 5's UTF-16 (`>` and Out-File).
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return fromText(fromLatin1(b.subarray(3)));
  if (b[0] === 0xff && b[1] === 0xfe) return fromText(decodeUtf16(b, true, 2));
  if (b[0] === 0xfe && b[1] === 0xff) return fromText(decodeUtf16(b, false, 2));
  if (b.length >= 4 && b[1] === 0 && b[3] === 0 && b[0]! >= 0x20 && b[0]! < 0x7f)
    return fromText(decodeUtf16(b, true, 0));
  let derWhy: Extract<Sniff, { kind: 'unknown' }> | undefined;
  if (b[0] === 0x30) {
    const r = fromDerBytes(b, 'der');
    if (r.kind !== 'unknown') return r as DetectedFile;
    derWhy = r as Extract<Sniff, { kind: 'unknown' }>;
  }
  if (b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5 || b[2] === 7))
    unknownFormat('This looks like a ZIP archive; extract it and open the certificate or key files inside.');
  if (b[0] === 0x1f && b[1] === 0x8b)
    unknownFormat('This looks like a gzip file; decompress it first (gunzip).');
  if (b[0] === 0xfe && b[1] === 0xed && b[2] === 0xfe && b[3] === 0xed)
    unknownFormat(
      'This is a Java KeyStore (JKS); convert it with keytool -importkeystore -srckeystore KEYSTORE.jks -destkeystore out.p12 -deststoretype PKCS12.',
    );
  if (b[0] === 0xce && b[1] === 0xce && b[2] === 0xce && b[3] === 0xce)
    unknownFormat(
      'This is a Java JCEKS keystore; convert it to PKCS #12 with keytool -importkeystore -deststoretype PKCS12.',
    );
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46)
    unknownFormat('This is a PDF document, not a PKI file.');
  if (derWhy) unknownFormat(derWhy.why, derWhy.cause);
  if (looksLikeText(b)) return fromText(fromLatin1(b));
  unknownFormat(
    `This is binary data but not DER: it begins with ${hexStart(b)}, and DER certificates, keys and containers begin with 0x30 (a SEQUENCE).`,
  );
}

/**
 * Identifies a PKI file from its bytes or text, without a password and without parsing the
 * objects: PEM (any of the usual labels, several blocks), Base64 without armour, or DER/BER
 * recognised by structure. Throws ERR_PKI_FORMAT_UNKNOWN with a sentence saying what the input
 * looks like (empty, text without PEM, an SSH key, a ZIP archive, DER of another kind, …), or
 * ERR_PKI_PEM_INVALID for a broken PEM block.
 *
 * @example
 * ```ts
 * const d = detectFormat(await readFile('certnew.p7b'));
 * d.kind;      // 'pkcs7'
 * d.encoding;  // 'pem' (certsrv's "Base 64 encoded" download: a PKCS #7 under a CERTIFICATE label)
 * ```
 */
export function detectFormat(input: Uint8Array | string): DetectedFile {
  if (typeof input === 'string') return fromText(input);
  if (input instanceof Uint8Array) return fromBinary(input);
  throw misuse('detectFormat() needs the file as a Uint8Array or a string.');
}

// --- reading -----------------------------------------------------------------------------------

/**
 * Options of {@link readPkiFile}.
 *
 * @example
 * ```ts
 * const options: ReadPkiFileOptions = { password: process.env.KEY_PASS, maxIterations: 1_000_000 };
 * ```
 */
export interface ReadPkiFileOptions {
  /** Decrypts an encrypted private key, or opens a PKCS #12 (readPkcs12). Implies importKey. */
  password?: string;
  /** Imports a private key through importPrivateKey() (default false: detection only). */
  importKey?: boolean;
  /** Iteration cap for encrypted keys and PKCS #12 (see importPrivateKey and readPkcs12; each has its default). */
  maxIterations?: number;
}

interface PkiFileBase {
  readonly encoding: PkiEncoding;
  /** Objects of other kinds found in the same file (e.g. the key next to a certificate), not parsed. */
  readonly others: readonly DetectedObject[];
}

/**
 * What {@link readPkiFile} read: a union on `kind`. All objects of the first object's kind are
 * parsed; objects of other kinds in the same PEM file are listed in `others`.
 *
 * @example
 * ```ts
 * const f = await readPkiFile(bytes);
 * if (f.kind === 'certificate') console.log(f.certificates.map((c) => c.subject.toString()));
 * ```
 */
export type PkiFile =
  | (PkiFileBase & { readonly kind: 'certificate'; readonly certificates: Certificate[] })
  | (PkiFileBase & { readonly kind: 'csr'; readonly requests: CertificationRequest[] })
  | (PkiFileBase & { readonly kind: 'crl'; readonly crls: Crl[] })
  | (PkiFileBase & { readonly kind: 'pkcs7'; readonly certificates: Certificate[]; readonly crls: Crl[] })
  | (PkiFileBase & {
      readonly kind: 'pkcs12';
      readonly der: Uint8Array;
      /** Set when a password was given: what readPkcs12() found. */
      readonly contents?: Pkcs12Contents;
    })
  | (PkiFileBase & {
      readonly kind: 'private-key';
      readonly keyFormat: KeyFormat;
      readonly encrypted: boolean;
      readonly der: Uint8Array;
      /** Set when a password or `importKey: true` was given. */
      readonly privateKey?: PrivateKey;
    })
  | (PkiFileBase & {
      readonly kind: 'public-key';
      readonly keyFormat: KeyFormat;
      readonly publicKey: PublicKey;
    });

function numbered<R>(list: readonly DetectedObject[], what: string, fn: (der: Uint8Array) => R): R[] {
  return list.map((o, i) => {
    try {
      return fn(o.der);
    } catch (e) {
      if (e instanceof PkiError && list.length > 1)
        throw new PkiError(e.code, `${what} ${i + 1} of ${list.length}: ${e.message}`, { cause: e });
      throw e;
    }
  });
}

function legacyPem(o: DetectedObject): string {
  const h = Object.entries(o.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  const b64 = encodeBase64(o.der).replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${o.label}-----\n${h}\n${b64}\n-----END ${o.label}-----\n`;
}

/**
 * Detects (see {@link detectFormat}) and parses a PKI file. Private keys are imported only when
 * asked (`importKey: true` or a `password`); detection itself never needs a password. A
 * PKCS #12 is opened with readPkcs12() when a password is given, else only detected.
 *
 * @example
 * ```ts
 * const f = await readPkiFile(await readFile(path), { password: process.env.KEY_PASS });
 * switch (f.kind) {
 *   case 'certificate': case 'pkcs7': console.log(f.certificates.length, 'certificates'); break;
 *   case 'private-key': console.log(f.keyFormat, f.encrypted, f.privateKey?.type); break;
 * }
 * ```
 */
export async function readPkiFile(
  input: Uint8Array | string,
  options: ReadPkiFileOptions = {},
): Promise<PkiFile> {
  if (typeof options !== 'object' || options === null)
    throw misuse('readPkiFile() options must be an object.');
  if (options.password !== undefined && typeof options.password !== 'string')
    throw misuse('The password option must be a string.');
  const d = detectFormat(input);
  const mine = d.objects.filter((o) => o.kind === d.kind);
  const base = { encoding: d.encoding, others: d.objects.filter((o) => o.kind !== d.kind) };
  switch (d.kind) {
    case 'certificate':
      return { ...base, kind: 'certificate', certificates: numbered(mine, 'Certificate', parseCertificate) };
    case 'csr':
      return { ...base, kind: 'csr', requests: numbered(mine, 'Request', parseCsr) };
    case 'crl':
      return { ...base, kind: 'crl', crls: numbered(mine, 'CRL', parseCrl) };
    case 'pkcs7': {
      const p7s = numbered(mine, 'PKCS #7', parsePkcs7);
      return {
        ...base,
        kind: 'pkcs7',
        certificates: p7s.flatMap((p) => p.certificates),
        crls: p7s.flatMap((p) => p.crls),
      };
    }
    case 'pkcs12': {
      const der = mine[0]!.der;
      if (options.password === undefined) return { ...base, kind: 'pkcs12', der };
      const p12Options = options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations };
      return { ...base, kind: 'pkcs12', der, contents: await readPkcs12(der, options.password, p12Options) };
    }
    case 'private-key': {
      const o = mine[0]!;
      const out = {
        ...base,
        kind: 'private-key' as const,
        keyFormat: o.keyFormat ?? 'pkcs8',
        encrypted: o.encrypted === true,
        der: o.der,
      };
      if (options.password === undefined && options.importKey !== true) return out;
      const source = o.headers ? legacyPem(o) : o.der;
      const importOptions: { password?: string; maxIterations?: number } = {};
      if (options.password !== undefined) importOptions.password = options.password;
      if (options.maxIterations !== undefined) importOptions.maxIterations = options.maxIterations;
      return { ...out, privateKey: await importPrivateKey(source, importOptions) };
    }
    case 'public-key': {
      const o = mine[0]!;
      const spki =
        o.keyFormat === 'pkcs1'
          ? guard('ERR_PKI_KEY_INVALID', 'The RSA public key', () => rsaPublicKeyToSpki(o.der))
          : o.der;
      return {
        ...base,
        kind: 'public-key',
        keyFormat: o.keyFormat ?? 'spki',
        publicKey: PublicKey.fromSpki(spki),
      };
    }
  }
}
