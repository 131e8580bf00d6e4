// Certificate requests wrapped in a CMS SignedData (RFC 5652 §5), the two forms AD CS's certsrv
// accepts besides a bare PKCS #10 (RFC 2986):
//
// - a "PKCS #7 renewal request": SignedData whose encapsulated content (id-data) is the DER of a
//   PKCS #10 request, signed with the key of the requester's current certificate, which travels
//   in SignedData.certificates;
// - a CMC Full PKI Request (RFC 5272 §3.2): SignedData whose content is a PKIData
//   (id-cct-PKIData), with the PKCS #10 request in a TaggedCertificationRequest, signed either by
//   the request's own key (SignerIdentifier subjectKeyIdentifier, RFC 5272 §3.2.1.3.1 and
//   §3.2.1.3.2) or by a certificate in SignedData.certificates.
//
// SignedData parsing and SignerInfo verification live in pkcs7.ts; this module reads the content
// and chooses the key.

import type { Certificate } from './certificate.js';
import { type CertificationRequest, parseCsr } from './csr.js';
import { PkiError } from './errors.js';
import { berToDer } from './internal/ber.js';
import { equalBytes } from './internal/bytes.js';
import { Cursor, encodingOf, readBigInt, readOid, readSmallInt, readWhole, T } from './internal/der.js';
import { guard, misuse } from './internal/guard.js';
import type { PublicKey } from './keys.js';
import { type Pkcs7, parsePkcs7 } from './pkcs7.js';

const P7_ERR = 'ERR_PKI_PKCS7_INVALID' as const;

function bad(msg: string): never {
  throw new PkiError(P7_ERR, msg);
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** The DER of that OID, tag and length included. */
const SIGNED_DATA_OID = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);
const OID_DATA = '1.2.840.113549.1.7.1';
/** id-cct-PKIData (RFC 5272 §3.2). */
const OID_PKI_DATA = '1.3.6.1.5.5.7.12.2';
/** id-cct-PKIResponse (RFC 5272 §3.2.2). */
const OID_PKI_RESPONSE = '1.3.6.1.5.5.7.12.3';

/**
 * The wrapper around the PKCS #10 request: `'pkcs7'` for a PKCS #7 renewal request (id-data
 * content), `'cmc'` for a CMC Full PKI Request (RFC 5272 §3.2, PKIData content).
 *
 * @example
 * ```ts
 * const format: SignedRequestFormat = parseSignedRequest(der).format; // 'pkcs7' or 'cmc'
 * ```
 */
export type SignedRequestFormat = 'pkcs7' | 'cmc';

/**
 * A PKCS #10 request wrapped in a CMS SignedData: a PKCS #7 renewal request or a CMC Full PKI
 * Request. Made by {@link parseSignedRequest}.
 *
 * @example
 * ```ts
 * const req = parseSignedRequest(der);
 * if (!(await req.verify())) throw new Error('The renewal request signature does not verify.');
 * console.log(req.format, req.request.subject.toString(), req.signerCertificate?.subject.toString());
 * ```
 */
export interface SignedRequest {
  readonly format: SignedRequestFormat;
  /** The whole ContentInfo (DER; BER input is normalised). */
  readonly der: Uint8Array;
  /** The PKCS #10 request inside. Its own signature is not checked here: see `CertificationRequest`. */
  readonly request: CertificationRequest;
  /** For CMC, the bodyPartID of the TaggedCertificationRequest (RFC 5272 §3.2.1.2.1); undefined for PKCS #7. */
  readonly bodyPartId: number | undefined;
  /** SignedData.certificates (X.509 only), in file order. */
  readonly certificates: readonly Certificate[];
  /** The first signer's certificate, if it is among {@link certificates}. */
  readonly signerCertificate: Certificate | undefined;
  /**
   * Verifies the first SignerInfo (RFC 5652 §5.6) with the key of {@link signerCertificate}, or,
   * for CMC signed with the request's own key (SignerIdentifier subjectKeyIdentifier equal to the
   * request key's identifier, RFC 5272 §3.2.1.3.1), with that key. Resolves false, never rejects,
   * when there is no signer, no key, or the signature or message digest does not match.
   */
  verify(): Promise<boolean>;
}

/** The SignedData's eContentType and whether it has eContent, by the strict DER reader. */
function peekContent(der: Uint8Array): { type: string; hasContent: boolean } {
  const ci = Cursor.of(readWhole(der, T.SEQUENCE));
  if (readOid(ci.next(T.OID)) !== OID_SIGNED_DATA) return { type: '', hasContent: false };
  const w = Cursor.of(ci.next(0xa0));
  ci.end();
  const sd = Cursor.of(w.next(T.SEQUENCE));
  w.end();
  readSmallInt(sd.next(T.INTEGER));
  sd.next(T.SET);
  const eci = Cursor.of(sd.next(T.SEQUENCE));
  const type = readOid(eci.next(T.OID));
  return { type, hasContent: eci.peek() === 0xa0 };
}

/**
 * A cheap shape check for {@link parseSignedRequest}: true when `der` is a ContentInfo holding a
 * SignedData (RFC 5652 §3, §5.1) whose encapsulated content is id-data or id-cct-PKIData and is
 * present, as in a PKCS #7 renewal or a CMC request. False for a bare PKCS #10, a certs-only
 * .p7b, anything else, or anything malformed (DER or BER); it never throws. It does not parse
 * the request: {@link parseSignedRequest} may still reject what passes.
 *
 * @example
 * ```ts
 * const req = isSignedRequest(der) ? parseSignedRequest(der).request : parseCsr(der);
 * ```
 */
export function isSignedRequest(der: Uint8Array): boolean {
  if (!(der instanceof Uint8Array) || der.length < 16 || der[0] !== T.SEQUENCE) return false;
  // A byte check first: a CA asks this of every request, and a bare PKCS #10 (a SEQUENCE that
  // starts with a SEQUENCE) is told apart without parsing or throwing.
  const lengthBytes = der[1]! > 0x80 ? der[1]! & 0x7f : 0;
  const at = 2 + lengthBytes;
  if (at + SIGNED_DATA_OID.length > der.length) return false;
  for (let i = 0; i < SIGNED_DATA_OID.length; i++) if (der[at + i] !== SIGNED_DATA_OID[i]) return false;
  const fits = (d: Uint8Array): boolean => {
    const { type, hasContent } = peekContent(d);
    return hasContent && (type === OID_DATA || type === OID_PKI_DATA);
  };
  try {
    return fits(der);
  } catch {
    // Not DER: BER (indefinite lengths) from a streaming encoder may still be a signed request.
  }
  try {
    return der[1] === 0x80 && fits(berToDer(der));
  } catch {
    return false;
  }
}

/** The first TaggedCertificationRequest of a PKIData (RFC 5272 §3.2.1). */
function readPkiData(content: Uint8Array): { csrDer: Uint8Array; bodyPartId: number } {
  // PKIData ::= SEQUENCE { controlSequence SEQUENCE OF TaggedAttribute, reqSequence SEQUENCE OF
  //   TaggedRequest, cmsSequence SEQUENCE OF TaggedContentInfo, otherMsgSequence SEQUENCE OF OtherMsg }
  const p = Cursor.of(readWhole(content, T.SEQUENCE));
  Cursor.of(p.next(T.SEQUENCE)); // controlSequence: no control is needed to issue.
  const reqs = Cursor.of(p.next(T.SEQUENCE));
  // RFC 5272 requires cmsSequence and otherMsgSequence; tolerate their absence as lenient readers do.
  const cms = p.optional(T.SEQUENCE);
  if (cms) Cursor.of(cms);
  const other = p.optional(T.SEQUENCE);
  if (other) Cursor.of(other);
  p.end('PKIData');
  const kinds = new Set<string>();
  while (!reqs.done()) {
    const r = reqs.next();
    // TaggedRequest ::= CHOICE { tcr [0] TaggedCertificationRequest, crm [1] CertReqMsg,
    //   orm [2] SEQUENCE { ... } }, IMPLICIT tags (RFC 5272 §3.2.1.2).
    if (r.id === 0xa0) {
      const t = Cursor.of(r);
      const id = readBigInt(t.next(T.INTEGER));
      // RFC 5272 §3.2.1: BodyPartID ::= INTEGER(0..4294967295).
      if (id < 0n || id > 4294967295n)
        bad(`The CMC bodyPartID ${id} is outside 0..4294967295 (RFC 5272 §3.2.1).`);
      const csr = t.next(T.SEQUENCE);
      t.end('TaggedCertificationRequest');
      return { csrDer: encodingOf(csr), bodyPartId: Number(id) };
    }
    if (r.id === 0xa1) kinds.add('CRMF');
    else if (r.id === 0xa2) kinds.add('other request formats');
    else
      bad(`The CMC reqSequence holds an element with tag 0x${r.id.toString(16)}, which is no TaggedRequest.`);
  }
  if (kinds.size === 0)
    bad(
      'The CMC request carries no certificate request (its reqSequence is empty); a Full PKI Request needs one.',
    );
  bad(
    `The CMC request carries no PKCS #10 request (only ${[...kinds].join(' and ')}), which is not supported: send the PKCS #10 request in a TaggedCertificationRequest.`,
  );
}

function isBareCsr(der: Uint8Array): boolean {
  try {
    parseCsr(der);
    return true;
  } catch {
    return false;
  }
}

function pkiData(content: Uint8Array): { csrDer: Uint8Array; bodyPartId: number } {
  try {
    return guard(P7_ERR, 'The CMC PKIData', () => readPkiData(content));
  } catch (e) {
    if (e instanceof PkiError && e.code.startsWith('ERR_PKI_DER_'))
      throw new PkiError(P7_ERR, `The CMC PKIData is malformed: ${e.message}`, { cause: e });
    throw e;
  }
}

function contentTypeMessage(type: string): string {
  if (type === OID_PKI_RESPONSE)
    return `This SignedData is a CMC response (id-cct-PKIResponse, ${type}), not a request.`;
  return `This SignedData encapsulates content of type ${type}, neither a PKCS #10 request (id-data, ${OID_DATA}) nor a CMC request (id-cct-PKIData, ${OID_PKI_DATA}).`;
}

function build(p7: Pkcs7): SignedRequest {
  let format: SignedRequestFormat;
  let csrDer: Uint8Array;
  let bodyPartId: number | undefined;
  const content = p7.content;
  if (p7.contentType === OID_DATA) {
    format = 'pkcs7';
    if (!content)
      bad(
        'The PKCS #7 carries no encapsulated content (a certs-only .p7b or a detached signature): a renewal request must contain the PKCS #10 request.',
      );
    csrDer = content;
  } else if (p7.contentType === OID_PKI_DATA) {
    format = 'cmc';
    if (!content)
      bad('The CMC request carries no PKIData content (detached signature), which is not supported.');
    ({ csrDer, bodyPartId } = pkiData(content));
  } else bad(contentTypeMessage(p7.contentType));
  const request = parseCsr(csrDer.slice());
  const certificates = Object.freeze(p7.certificates);
  // Parsed now so that a malformed SignerInfo fails here, not in verify().
  const signers = p7.signers;
  const signerCertificate = signers.length > 0 ? p7.signerCertificate(0) : undefined;
  return Object.freeze({
    format,
    der: p7.der,
    request,
    bodyPartId,
    certificates,
    signerCertificate,
    async verify(): Promise<boolean> {
      try {
        const signer = signers[0];
        if (!signer) return false;
        let key: PublicKey | undefined = signerCertificate?.publicKey;
        if (!key && format === 'cmc' && 'subjectKeyIdentifier' in signer.sid) {
          // RFC 5272 §3.2.1.3.1: signed with the key of the request, named by its key identifier.
          const kid = await request.publicKey.keyIdentifier();
          if (equalBytes(kid, signer.sid.subjectKeyIdentifier)) key = request.publicKey;
        }
        if (!key) return false;
        return await p7.verifySigner(0, key);
      } catch {
        return false;
      }
    },
  });
}

/**
 * Parses a PKCS #7 renewal request or a CMC Full PKI Request (RFC 5272 §3.2) and the PKCS #10
 * request inside; DER, BER or PEM bytes are accepted. Check the wrapper's signature with
 * `verify()`. Throws a PkiError: ERR_PKI_PKCS7_INVALID for a malformed or unsupported wrapper
 * (another content type, no content, a CMC request with only CRMF requests), the code of
 * {@link parseCsr} (ERR_PKI_CSR_INVALID, ERR_PKI_DER_*) for a malformed inner request, and
 * ERR_PKI_CERT_INVALID for a malformed certificate in the SignedData.
 *
 * @example
 * ```ts
 * const req = parseSignedRequest(await readFile('renewal.p7'));
 * if (req.format === 'pkcs7' && (await req.verify()))
 *   console.log(`Renewal of ${req.signerCertificate?.subject} for ${req.request.subject}`);
 * ```
 */
export function parseSignedRequest(der: Uint8Array): SignedRequest {
  if (!(der instanceof Uint8Array)) throw misuse('parseSignedRequest() needs the DER bytes (Uint8Array).');
  if (der.length === 0) bad('The input is empty: expected a PKCS #7 or CMC request (DER).');
  let p7: Pkcs7;
  try {
    p7 = parsePkcs7(der);
  } catch (e) {
    if (!(e instanceof PkiError) || !e.code.startsWith('ERR_PKI_DER_')) throw e;
    if (isBareCsr(der))
      bad('This is a bare PKCS #10 request, not a PKCS #7 or CMC request: read it with parseCsr().');
    throw new PkiError(P7_ERR, `This is not a PKCS #7 or CMC request: ${e.message}`, { cause: e });
  }
  return build(p7);
}
