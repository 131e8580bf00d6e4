// Re-encoding of extension values through the public API: for each extension certlab knows,
// `builder(decoder(value))`. A value that a conforming encoder (OpenSSL, AD CS) wrote must come
// back byte for byte; unknown extensions are carried untouched with their critical flag.

import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  type Certificate,
  type CertificationRequest,
  certificatePolicies,
  crlDistributionPoints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeInfoAccess,
  decodeInhibitAnyPolicy,
  decodeKeyUsage,
  decodeMsApplicationPolicies,
  decodeMsCaVersion,
  decodeMsCertificateTemplate,
  decodeMsCertificateTemplateName,
  decodeNameConstraints,
  decodePolicyConstraints,
  decodePolicyMappings,
  decodeSubjectKeyIdentifier,
  type Extension,
  encodeExtensions,
  extKeyUsage,
  freshestCrl,
  fromHex,
  inhibitAnyPolicy,
  issuerAltName,
  keyUsage,
  msApplicationPolicies,
  msCaVersion,
  msCertificateTemplate,
  msCertificateTemplateName,
  Name,
  nameConstraints,
  OID,
  PublicKey,
  policyConstraints,
  policyMappings,
  subjectAltName,
  subjectInfoAccess,
  subjectKeyIdentifier,
} from '@certlab/pki';
import { oid, seq, time, tlv } from './der.js';

/** OID -> extnValue re-encoded from its decoded form. */
export const REENCODE: Readonly<Record<string, (value: Uint8Array) => Uint8Array>> = {
  [OID.basicConstraints]: (v) => basicConstraints(decodeBasicConstraints(v)).value,
  [OID.keyUsage]: (v) => keyUsage(decodeKeyUsage(v)).value,
  [OID.extKeyUsage]: (v) => extKeyUsage(decodeExtKeyUsage(v)).value,
  [OID.subjectAltName]: (v) => subjectAltName(decodeGeneralNames(v)).value,
  [OID.issuerAltName]: (v) => issuerAltName(decodeGeneralNames(v)).value,
  [OID.subjectKeyIdentifier]: (v) => subjectKeyIdentifier(decodeSubjectKeyIdentifier(v)).value,
  [OID.authorityKeyIdentifier]: (v) => authorityKeyIdentifier(decodeAuthorityKeyIdentifier(v)).value,
  [OID.cRLDistributionPoints]: (v) => crlDistributionPoints(decodeCrlDistributionPoints(v)).value,
  [OID.freshestCRL]: (v) => freshestCrl(decodeCrlDistributionPoints(v)).value,
  [OID.authorityInfoAccess]: (v) => authorityInfoAccess(decodeInfoAccess(v)).value,
  [OID.subjectInfoAccess]: (v) => subjectInfoAccess(decodeInfoAccess(v)).value,
  [OID.certificatePolicies]: (v) => certificatePolicies(decodeCertificatePolicies(v)).value,
  [OID.policyMappings]: (v) => policyMappings(decodePolicyMappings(v)).value,
  [OID.policyConstraints]: (v) => policyConstraints(decodePolicyConstraints(v)).value,
  [OID.inhibitAnyPolicy]: (v) => inhibitAnyPolicy(decodeInhibitAnyPolicy(v)).value,
  [OID.nameConstraints]: (v) => nameConstraints(decodeNameConstraints(v)).value,
  [OID.msCertificateTemplateName]: (v) => msCertificateTemplateName(decodeMsCertificateTemplateName(v)).value,
  [OID.msCertificateTemplate]: (v) => msCertificateTemplate(decodeMsCertificateTemplate(v)).value,
  [OID.msCaVersion]: (v) => msCaVersion(decodeMsCaVersion(v)).value,
  [OID.msApplicationPolicies]: (v) => msApplicationPolicies(decodeMsApplicationPolicies(v)).value,
};

/** True when certlab has a typed decoder and builder for this extension OID. */
export function isKnownExtension(oid: string): boolean {
  return Object.hasOwn(REENCODE, oid);
}

/** The extension with its value re-encoded (known OIDs) or untouched (unknown), same OID and critical flag. */
export function reencodeExtension(e: Extension): Extension {
  const fn = REENCODE[e.oid];
  return { oid: e.oid, critical: e.critical, value: fn ? fn(e.value) : e.value };
}

/** `Name.from(name.rdns).der`: the name rebuilt from its parsed attributes. */
export function rebuildName(name: Name): Uint8Array {
  return Name.from(name.rdns).der;
}

/**
 * The TBSCertificate rebuilt from what the parser exposes: version, serial, signature algorithm,
 * names rebuilt with `Name.from`, validity from the parsed dates, the key through
 * `PublicKey.fromSpki`, unique identifiers, and each extension re-encoded (see {@link REENCODE}).
 */
export function rebuildTbs(cert: Certificate): Uint8Array {
  const parts: Uint8Array[] = [];
  if (cert.version !== 1) parts.push(tlv(0xa0, tlv(0x02, Uint8Array.of(cert.version - 1))));
  parts.push(tlv(0x02, fromHex(cert.serialNumber)));
  parts.push(cert.signatureAlgorithm.der);
  parts.push(rebuildName(cert.issuer));
  parts.push(seq(time(cert.notBefore), time(cert.notAfter)));
  parts.push(rebuildName(cert.subject));
  parts.push(PublicKey.fromSpki(cert.subjectPublicKeyInfo).spki);
  if (cert.issuerUniqueId) parts.push(tlv(0x81, cert.issuerUniqueId));
  if (cert.subjectUniqueId) parts.push(tlv(0x82, cert.subjectUniqueId));
  if (cert.extensions.length > 0)
    parts.push(tlv(0xa3, encodeExtensions(cert.extensions.map(reencodeExtension))));
  return seq(...parts);
}

/** The whole certificate rebuilt: {@link rebuildTbs}, the algorithm, the same signature. */
export function rebuildCertificate(cert: Certificate): Uint8Array {
  return seq(rebuildTbs(cert), cert.signatureAlgorithm.der, tlv(0x03, Uint8Array.of(0), cert.signature));
}

/**
 * The CertificationRequestInfo rebuilt: version 0, subject via `Name.from`, key via
 * `PublicKey.fromSpki`, attributes in parsed order with their parsed values, the extension
 * request's extensions re-encoded.
 */
export function rebuildCsrInfo(csr: CertificationRequest): Uint8Array {
  const attrs = csr.attributes.map((a) => {
    const values =
      a.oid === '1.2.840.113549.1.9.14'
        ? [encodeExtensions(csr.extensions.map(reencodeExtension))]
        : a.values;
    return seq(oid(a.oid), tlv(0x31, ...values));
  });
  return seq(
    tlv(0x02, Uint8Array.of(0)),
    rebuildName(csr.subject),
    PublicKey.fromSpki(csr.subjectPublicKeyInfo).spki,
    tlv(0xa0, ...attrs),
  );
}

/** The whole request rebuilt: {@link rebuildCsrInfo}, the algorithm, the same signature. */
export function rebuildCsr(csr: CertificationRequest): Uint8Array {
  return seq(rebuildCsrInfo(csr), csr.signatureAlgorithm.der, tlv(0x03, Uint8Array.of(0), csr.signature));
}
