// Test material shared by the pki and ca-sim tests: a CMC Full PKI Request encoder (RFC 5272
// §3.2) built from the DER helpers of @certlab/pki's sources. certlab reads CMC requests (as
// AD CS's certsrv does) but has no reason to write them, so the encoder lives with the tests.

import {
  type Certificate,
  type CertificationRequest,
  hashDigest,
  type PrivateKey,
  signatureAlgorithmFor,
  signData,
} from '@certlab/pki';
import {
  explicit,
  implicitPrim,
  int,
  octets,
  oid,
  seq,
  seqOf,
  setOf,
  tlv,
} from '../../packages/pki/src/internal/der.js';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_DATA = '1.2.840.113549.1.7.1';
export const OID_PKI_DATA = '1.3.6.1.5.5.7.12.2';
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const SHA256_ALG = seq(oid('2.16.840.1.101.3.4.2.1'));

/** How {@link buildCmc} deviates from a plain, valid request. */
export interface CmcOptions {
  /** The TaggedRequest entries; default one tcr [0] with bodyPartID 1. */
  requests?: Uint8Array[];
  /** SignerIdentifier; default subjectKeyIdentifier [0] of the request key. */
  sid?: Uint8Array;
  signingKey?: PrivateKey;
  /** Omit signedAttrs: the signature covers the PKIData. */
  noAttrs?: boolean;
  /** Override the signed attributes. */
  attrs?: Uint8Array[];
  certificates?: Certificate[];
  contentType?: string;
}

/** A TaggedRequest tcr [0]. */
export function tcr(bodyPartId: number, csrDer: Uint8Array): Uint8Array {
  // [0] IMPLICIT TaggedCertificationRequest ::= SEQUENCE { bodyPartID, certificationRequest }.
  return tlv(0xa0, int(bodyPartId), csrDer);
}

/**
 * A CMC Full PKI Request (RFC 5272 §3.2) around `csr`: PKIData with empty control, CMS and
 * other-message sequences, signed by default with the request's own key, the SignerIdentifier being
 * its key identifier (RFC 5272 §3.2.1.3.1), with contentType and messageDigest signed attributes.
 */
export async function buildCmc(
  csr: CertificationRequest,
  key: PrivateKey,
  o: CmcOptions = {},
): Promise<Uint8Array> {
  const pkiData = seq(seq(), seqOf(o.requests ?? [tcr(1, csr.der)]), seq(), seq());
  const signingKey = o.signingKey ?? key;
  const alg = signatureAlgorithmFor(signingKey, { hash: 'SHA-256' });
  const sid = o.sid ?? implicitPrim(0, await key.publicKey.keyIdentifier());
  const contentType = o.contentType ?? OID_PKI_DATA;
  const attrs = o.attrs ?? [
    seq(oid(OID_CONTENT_TYPE), setOf([oid(contentType)])),
    seq(oid(OID_MESSAGE_DIGEST), setOf([octets(await hashDigest('SHA-256', pkiData))])),
  ];
  let signerInfo: Uint8Array;
  const version = int(sid[0] === 0x80 ? 3 : 1);
  if (o.noAttrs) {
    const sig = await signData(signingKey, alg, pkiData);
    signerInfo = seq(version, sid, SHA256_ALG, alg.der, octets(sig));
  } else {
    const set = setOf(attrs);
    const sig = await signData(signingKey, alg, set);
    const a0 = set.slice();
    a0[0] = 0xa0;
    signerInfo = seq(version, sid, SHA256_ALG, a0, alg.der, octets(sig));
  }
  const certs = o.certificates?.length ? [tlv(0xa0, ...o.certificates.map((c) => c.der))] : [];
  const sd = seq(
    int(3),
    setOf([SHA256_ALG]),
    seq(oid(contentType), explicit(0, octets(pkiData))),
    ...certs,
    setOf([signerInfo]),
  );
  return seq(oid(OID_SIGNED_DATA), explicit(0, sd));
}
