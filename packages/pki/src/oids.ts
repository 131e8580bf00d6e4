// Object identifiers certlab knows by name. Names follow OpenSSL's short/long names where they
// exist, so `certlab cert show` reads like `openssl x509 -text`; Windows display names are in
// the extension and name modules.

/**
 * Well-known OIDs by a stable identifier.
 *
 * @example
 * ```ts
 * import { OID } from '@certlab/pki';
 * ext.oid === OID.subjectAltName; // '2.5.29.17'
 * ```
 */
export const OID = {
  // Attribute types (RFC 5280 §4.1.2.4, RFC 4519, PKCS #9)
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  description: '2.5.4.13',
  postalCode: '2.5.4.17',
  name: '2.5.4.41',
  givenName: '2.5.4.42',
  initials: '2.5.4.43',
  generationQualifier: '2.5.4.44',
  dnQualifier: '2.5.4.46',
  pseudonym: '2.5.4.65',
  organizationIdentifier: '2.5.4.97',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',
  emailAddress: '1.2.840.113549.1.9.1',
  unstructuredName: '1.2.840.113549.1.9.2',
  challengePassword: '1.2.840.113549.1.9.7',
  extensionRequest: '1.2.840.113549.1.9.14',
  /** S/MIME capabilities (RFC 8551 §2.5.2), also a certificate extension (RFC 4262). */
  smimeCapabilities: '1.2.840.113549.1.9.15',
  // Extensions (RFC 5280 §4.2)
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  anyPolicy: '2.5.29.32.0',
  cpsQualifier: '1.3.6.1.5.5.7.2.1',
  userNoticeQualifier: '1.3.6.1.5.5.7.2.2',
  // Access methods (RFC 5280 §4.2.2.1)
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  // Extended key usages (RFC 5280 §4.2.1.12 and Microsoft)
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ipsecEndSystem: '1.3.6.1.5.5.7.3.5',
  ipsecTunnel: '1.3.6.1.5.5.7.3.6',
  ipsecUser: '1.3.6.1.5.5.7.3.7',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  ipsecIKE: '1.3.6.1.5.5.7.3.17',
  msSmartcardLogin: '1.3.6.1.4.1.311.20.2.2',
  msEFS: '1.3.6.1.4.1.311.10.3.4',
  msDocumentSigning: '1.3.6.1.4.1.311.10.3.12',
  kpKdc: '1.3.6.1.5.2.3.5',
  // Microsoft AD CS (MS-WCCE §2.2.2.7, [MS-CRTD])
  msCertificateTemplateName: '1.3.6.1.4.1.311.20.2',
  msCertificateTemplate: '1.3.6.1.4.1.311.21.7',
  msCaVersion: '1.3.6.1.4.1.311.21.1',
  msPreviousCaCertHash: '1.3.6.1.4.1.311.21.2',
  msNextCrlPublish: '1.3.6.1.4.1.311.21.4',
  msApplicationPolicies: '1.3.6.1.4.1.311.21.10',
  msApplicationPolicyMappings: '1.3.6.1.4.1.311.21.11',
  msApplicationPolicyConstraints: '1.3.6.1.4.1.311.21.12',
  msUpn: '1.3.6.1.4.1.311.20.2.3',
  msNtdsCaSecurityExt: '1.3.6.1.4.1.311.25.2',
  msEnrollmentNameValuePair: '1.3.6.1.4.1.311.13.2.1',
  msOsVersion: '1.3.6.1.4.1.311.13.2.3',
  msRequestClientInfo: '1.3.6.1.4.1.311.21.20',
  msEnrollmentCspProvider: '1.3.6.1.4.1.311.13.2.2',
  // Keys and signatures
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  x25519: '1.3.101.110',
} as const;

const NAMES: Record<string, string> = {};
for (const [k, v] of Object.entries(OID)) NAMES[v] = k;
Object.assign(NAMES, {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
});

/**
 * A readable name for an OID, or the dotted form when it is unknown.
 *
 * @example
 * ```ts
 * oidName('2.5.29.17'); // 'subjectAltName'
 * oidName('1.2.3.4');   // '1.2.3.4'
 * ```
 */
export function oidName(oid: string): string {
  // Own keys only: "constructor" or "__proto__" would otherwise find Object.prototype members.
  return Object.hasOwn(NAMES, oid) ? NAMES[oid]! : oid;
}
