// Everything path validation reads from a certificate, decoded once and cached per certificate
// object (certificates are immutable). A decoding failure is kept as a message, never thrown.

import type { Certificate } from '../certificate.js';
import {
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeInfoAccess,
  decodeInhibitAnyPolicy,
  decodeKeyUsage,
  decodeNameConstraints,
  decodePolicyConstraints,
  decodePolicyMappings,
  decodeSubjectKeyIdentifier,
  type Extension,
  type KeyUsageFlag,
  type NameConstraints,
  type PolicyConstraints,
  type PolicyMapping,
} from '../extensions.js';
import type { GeneralName } from '../general-names.js';
import { toHex } from '../internal/bytes.js';
import type { PublicKey } from '../keys.js';
import type { Name } from '../names.js';
import { OID } from '../oids.js';

/** Extensions the validator processes; any other critical one fails the path (RFC 5280 §6.1.4 o). */
export const HANDLED_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
]);

/** The decoded view of one certificate. */
export interface CertInfo {
  readonly cert: Certificate;
  /** Set when something could not be decoded; the other fields are then unreliable. */
  readonly malformed?: string;
  readonly subject: Name;
  readonly issuer: Name;
  readonly selfIssued: boolean;
  readonly extensions: readonly Extension[];
  readonly ext: ReadonlyMap<string, Extension>;
  readonly bc?: BasicConstraints;
  readonly ku?: ReadonlySet<KeyUsageFlag>;
  readonly eku?: readonly string[];
  readonly san?: readonly GeneralName[];
  readonly ski?: Uint8Array;
  readonly aki?: AuthorityKeyIdentifier;
  readonly nc?: NameConstraints;
  readonly policies?: readonly string[];
  readonly mappings?: readonly PolicyMapping[];
  readonly policyConstraints?: PolicyConstraints;
  readonly inhibitAnyPolicy?: number;
  /** True when the inner and outer signature AlgorithmIdentifiers are byte-identical. */
  readonly algorithmsAgree: boolean;
  /** Subject/issuer/SPKI key for cycle detection. */
  readonly logicalKey: string;
}

const CACHE = new WeakMap<Certificate, CertInfo>();

function decode(cert: Certificate): CertInfo {
  const partial: Record<string, unknown> = { cert, algorithmsAgree: false, logicalKey: '' };
  try {
    const subject = cert.subject;
    const issuer = cert.issuer;
    partial.subject = subject;
    partial.issuer = issuer;
    partial.selfIssued = subject.equals(issuer);
    const extensions = cert.extensions;
    const ext = new Map(extensions.map((e) => [e.oid, e]));
    partial.extensions = extensions;
    partial.ext = ext;
    const get = <T>(oid: string, fn: (v: Uint8Array) => T): T | undefined => {
      const e = ext.get(oid);
      return e ? fn(e.value) : undefined;
    };
    partial.bc = get(OID.basicConstraints, decodeBasicConstraints);
    const ku = get(OID.keyUsage, decodeKeyUsage);
    partial.ku = ku ? new Set(ku) : undefined;
    partial.eku = get(OID.extKeyUsage, decodeExtKeyUsage);
    partial.san = get(OID.subjectAltName, decodeGeneralNames);
    partial.ski = get(OID.subjectKeyIdentifier, decodeSubjectKeyIdentifier);
    partial.aki = get(OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier);
    partial.nc = get(OID.nameConstraints, decodeNameConstraints);
    const pol = get(OID.certificatePolicies, decodeCertificatePolicies);
    if (pol) partial.policies = pol.map((p) => p.policyId);
    partial.mappings = get(OID.policyMappings, decodePolicyMappings);
    partial.policyConstraints = get(OID.policyConstraints, decodePolicyConstraints);
    partial.inhibitAnyPolicy = get(OID.inhibitAnyPolicy, decodeInhibitAnyPolicy);
    get(OID.authorityInfoAccess, decodeInfoAccess);
    partial.algorithmsAgree = cert.signatureAlgorithmsAgree;
    partial.logicalKey = `${subject.canonical}\u0000${toHex(cert.subjectPublicKeyInfo)}`;
  } catch (e) {
    partial.malformed = e instanceof Error ? e.message : String(e);
    partial.subject ??= undefined;
  }
  return partial as unknown as CertInfo;
}

/** The decoded view of a certificate (cached). */
export function certInfo(cert: Certificate): CertInfo {
  let i = CACHE.get(cert);
  if (!i) {
    i = decode(cert);
    CACHE.set(cert, i);
  }
  return i;
}

/** The public key, or a message when it cannot be read. */
export function publicKeyOf(cert: Certificate): PublicKey | string {
  try {
    return cert.publicKey;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
