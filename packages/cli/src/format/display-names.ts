// The names Windows shows (certutil -dump and the certificate dialog) for OIDs. Kept in the
// CLI because they are presentation: the library's `oidName` gives OpenSSL-style names.

import { type CrlReason, type KeyUsageFlag, OID, oidName } from '@certlab/pki';

const EXTENSIONS: Record<string, string> = {
  [OID.subjectKeyIdentifier]: 'Subject Key Identifier',
  [OID.keyUsage]: 'Key Usage',
  [OID.subjectAltName]: 'Subject Alternative Name',
  [OID.issuerAltName]: 'Issuer Alternative Name',
  [OID.basicConstraints]: 'Basic Constraints',
  [OID.cRLNumber]: 'CRL Number',
  [OID.cRLReason]: 'CRL Reason Code',
  [OID.invalidityDate]: 'Invalidity Date',
  [OID.deltaCRLIndicator]: 'Delta CRL Indicator',
  [OID.issuingDistributionPoint]: 'Issuing Distribution Point',
  [OID.certificateIssuer]: 'Certificate Issuer',
  [OID.nameConstraints]: 'Name Constraints',
  [OID.cRLDistributionPoints]: 'CRL Distribution Points',
  [OID.certificatePolicies]: 'Certificate Policies',
  [OID.policyMappings]: 'Policy Mappings',
  [OID.authorityKeyIdentifier]: 'Authority Key Identifier',
  [OID.policyConstraints]: 'Policy Constraints',
  [OID.extKeyUsage]: 'Enhanced Key Usage',
  [OID.freshestCRL]: 'Freshest CRL',
  [OID.inhibitAnyPolicy]: 'Inhibit Any Policy',
  [OID.authorityInfoAccess]: 'Authority Information Access',
  [OID.subjectInfoAccess]: 'Subject Information Access',
  [OID.msCertificateTemplateName]: 'Certificate Template Name',
  [OID.msCertificateTemplate]: 'Certificate Template Information',
  [OID.msCaVersion]: 'CA Version',
  [OID.msPreviousCaCertHash]: 'Previous CA Certificate Hash',
  [OID.msApplicationPolicies]: 'Application Policies',
  [OID.msApplicationPolicyMappings]: 'Application Policy Mappings',
  [OID.msApplicationPolicyConstraints]: 'Application Policy Constraints',
  [OID.msNtdsCaSecurityExt]: 'NTDS CA Security',
  [OID.smimeCapabilities]: 'SMIME Capabilities',
  '1.3.6.1.4.1.311.21.4': 'Next CRL Publish',
  '1.3.6.1.4.1.311.21.14': 'Published CRL Locations',
  '1.3.6.1.4.1.11129.2.4.2': 'SCT List',
  '1.3.6.1.5.5.7.1.24': 'TLS Feature',
  '2.16.840.1.113730.1.1': 'Netscape Cert Type',
  '2.16.840.1.113730.1.13': 'Netscape Comment',
};

const EKUS: Record<string, string> = {
  [OID.serverAuth]: 'Server Authentication',
  [OID.clientAuth]: 'Client Authentication',
  [OID.codeSigning]: 'Code Signing',
  [OID.emailProtection]: 'Secure Email',
  [OID.ipsecEndSystem]: 'IP security end system',
  [OID.ipsecTunnel]: 'IP security tunnel termination',
  [OID.ipsecUser]: 'IP security user',
  [OID.timeStamping]: 'Time Stamping',
  [OID.OCSPSigning]: 'OCSP Signing',
  [OID.ipsecIKE]: 'IP security IKE intermediate',
  [OID.msSmartcardLogin]: 'Smart Card Logon',
  [OID.msEFS]: 'Encrypting File System',
  [OID.msDocumentSigning]: 'Document Signing',
  [OID.kpKdc]: 'KDC Authentication',
  [OID.anyExtendedKeyUsage]: 'Any Purpose',
  '1.3.6.1.4.1.311.20.2.1': 'Certificate Request Agent',
  '1.3.6.1.4.1.311.21.5': 'Private Key Archival',
  '1.3.6.1.4.1.311.21.6': 'Key Recovery Agent',
  '1.3.6.1.4.1.311.10.3.4.1': 'File Recovery',
  '1.3.6.1.4.1.311.10.3.1': 'Microsoft Trust List Signing',
  '1.3.6.1.4.1.311.21.19': 'Directory Service Email Replication',
};

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5RSA',
  '1.2.840.113549.1.1.5': 'sha1RSA',
  '1.2.840.113549.1.1.11': 'sha256RSA',
  '1.2.840.113549.1.1.12': 'sha384RSA',
  '1.2.840.113549.1.1.13': 'sha512RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.1': 'sha1ECDSA',
  '1.2.840.10045.4.3.2': 'sha256ECDSA',
  '1.2.840.10045.4.3.3': 'sha384ECDSA',
  '1.2.840.10045.4.3.4': 'sha512ECDSA',
  '1.3.101.112': 'Ed25519',
  // Shown, not checked: certlab reads neither DSA nor Ed448 keys.
  '1.2.840.10040.4.3': 'sha1DSA',
  '2.16.840.1.101.3.4.3.2': 'sha256DSA',
  '1.3.101.113': 'Ed448',
};

const KEY_ALGORITHMS: Record<string, string> = {
  [OID.rsaEncryption]: 'RSA',
  [OID.ecPublicKey]: 'ECC',
  [OID.ed25519]: 'Ed25519',
};

const KEY_USAGES: Record<KeyUsageFlag, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non-Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Signing',
  // Windows shows the one cRLSign bit under both of its historical names.
  cRLSign: 'Off-line CRL Signing, CRL Signing',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

const CRL_REASON_NAMES: Record<CrlReason, string> = {
  unspecified: 'Unspecified',
  keyCompromise: 'Key Compromise',
  cACompromise: 'CA Compromise',
  affiliationChanged: 'Affiliation Changed',
  superseded: 'Superseded',
  cessationOfOperation: 'Cessation of Operation',
  certificateHold: 'Certificate Hold',
  removeFromCRL: 'Remove From CRL',
  privilegeWithdrawn: 'Privilege Withdrawn',
  aACompromise: 'AA Compromise',
};

const ACCESS_METHODS: Record<string, string> = {
  [OID.caIssuers]: 'Certification Authority Issuer',
  [OID.ocsp]: 'On-line Certificate Status Protocol',
  '1.3.6.1.5.5.7.48.5': 'CA Repository',
  '1.3.6.1.5.5.7.48.3': 'Time Stamping',
};

const ATTRIBUTES: Record<string, string> = {
  [OID.challengePassword]: 'Challenge Password',
  [OID.extensionRequest]: 'Certificate Extensions',
  '1.3.6.1.4.1.311.2.1.14': 'Certificate Extensions',
  [OID.msEnrollmentNameValuePair]: 'Enrollment Name Value Pair',
  [OID.msOsVersion]: 'OS Version',
  [OID.msRequestClientInfo]: 'Client Information',
  [OID.msEnrollmentCspProvider]: 'Enrollment CSP',
  [OID.unstructuredName]: 'Unstructured Name',
};

/** Windows' name for an extension, or the library's name, or the OID. @example `extensionDisplayName('2.5.29.37')` // 'Enhanced Key Usage' */
export function extensionDisplayName(oid: string): string {
  return EXTENSIONS[oid] ?? oidName(oid);
}

/** Windows' name for an extended key usage, or undefined. @example `ekuDisplayName('1.3.6.1.5.5.7.3.1')` // 'Server Authentication' */
export function ekuDisplayName(oid: string): string | undefined {
  return EKUS[oid];
}

/** `Server Authentication (1.3.6.1.5.5.7.3.1)` as Windows lists a purpose; the bare OID when unknown. @example `ekuWithOid(OID.clientAuth)` */
export function ekuWithOid(oid: string): string {
  const name = EKUS[oid];
  return name ? `${name} (${oid})` : oid;
}

/** Windows' name for a signature algorithm (`sha256RSA`), or OpenSSL's, or the OID. @example `signatureAlgorithmDisplayName('1.2.840.10045.4.3.2')` // 'sha256ECDSA' */
export function signatureAlgorithmDisplayName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oidName(oid);
}

/** Windows' name for a public key algorithm (`RSA`, `ECC`, `Ed25519`). @example `keyAlgorithmDisplayName(OID.ecPublicKey)` // 'ECC' */
export function keyAlgorithmDisplayName(oid: string): string {
  return KEY_ALGORITHMS[oid] ?? oidName(oid);
}

/** Windows' name for a key usage bit. @example `keyUsageDisplayName('keyCertSign')` // 'Certificate Signing' */
export function keyUsageDisplayName(flag: KeyUsageFlag): string {
  return KEY_USAGES[flag];
}

/** Windows' name for an access method. @example `accessMethodDisplayName(OID.ocsp)` */
export function accessMethodDisplayName(oid: string): string {
  const name = ACCESS_METHODS[oid];
  return name ? `${name} (${oid})` : oid;
}

/** Windows' name for a request attribute. @example `attributeDisplayName(OID.challengePassword)` // 'Challenge Password' */
export function attributeDisplayName(oid: string): string {
  return ATTRIBUTES[oid] ?? oidName(oid);
}

/** Windows' name for a revocation reason. @example `crlReasonDisplayName('keyCompromise')` // 'Key Compromise' */
export function crlReasonDisplayName(reason: CrlReason): string {
  return CRL_REASON_NAMES[reason];
}
