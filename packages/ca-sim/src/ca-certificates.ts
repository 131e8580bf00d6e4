// CA certificates as AD CS writes them (certsrv reference §11.3): a self-signed root with
// basicConstraints, keyUsage 0x86, SKI and CA Version; a subordinate (issuing) CA certificate
// from the root with the SubCA template name, CA Version, AKI, and CDP/AIA pointing at the
// root's files under /CertEnroll/; renewals with the Previous CA Certificate Hash.

import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  type Certificate,
  createCertificate,
  crlDistributionPoints,
  type Extension,
  hashDigest,
  keyUsage,
  msCaVersion,
  msCertificateTemplateName,
  type Name,
  type PrivateKey,
  type PublicKey,
  randomSerialNumber,
  subjectKeyIdentifier,
} from '@certlab/pki';
import {
  caCertificateFileName,
  certEnrollUrl,
  crlFileName,
  type LdapPublication,
  ldapAiaUrl,
  ldapCdpUrl,
} from './ca-urls.js';

/**
 * Where a CA publishes its CRLs and certificate: the `<baseUrl>/CertEnroll/` HTTP location, and
 * with `ldap` the Active Directory one too. The CDP and AIA extensions list the LDAP URL first,
 * as a default AD CS installation does; `http: false` leaves the HTTP one out (a recent default
 * install writes only LDAP URLs, reference §11.4). The lab needs the HTTP ones.
 *
 * @example
 * ```ts
 * const points: PublicationPoints = { baseUrl: 'http://pki.contoso.com', serverDnsName: 'pki.contoso.com' };
 * ```
 */
export interface PublicationPoints {
  readonly baseUrl: string;
  readonly serverDnsName: string;
  readonly ldap?: LdapPublication | undefined;
  /** Default true. False needs `ldap`. */
  readonly http?: boolean | undefined;
}

/**
 * The CDP URLs of a CA key's base or delta CRL, in the order the extensions list them.
 *
 * @example
 * ```ts
 * crlUrls(points, 'Contoso Issuing CA', 0, true); // ['http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl']
 * ```
 */
export function crlUrls(
  points: PublicationPoints,
  caName: string,
  keyIndex: number,
  delta: boolean,
): string[] {
  return [
    ...(points.ldap ? [ldapCdpUrl(points.ldap, caName, keyIndex, delta)] : []),
    ...(points.http !== false ? [certEnrollUrl(points.baseUrl, crlFileName(caName, keyIndex, delta))] : []),
  ];
}

/** szOID_CERTSRV_PREVIOUS_CERT_HASH (1.3.6.1.4.1.311.21.2): SHA-1 of the previous CA certificate. */
const PREVIOUS_CA_CERT_HASH = '1.3.6.1.4.1.311.21.2';

function octetString(bytes: Uint8Array): Uint8Array {
  // DER OCTET STRING; SHA-1 hashes are 20 octets, so the short length form suffices.
  return Uint8Array.of(0x04, bytes.length, ...bytes);
}

/**
 * The CDP and AIA extensions of certificates a CA signs: its base CRL for key index `keyIndex`
 * and its certificate `certIndex` (certsrv reference §11.4, HTTP locations only).
 *
 * @example
 * ```ts
 * issuerLocations({ baseUrl: 'http://pki.contoso.com', serverDnsName: 'pki.contoso.com' }, 'Contoso Issuing CA', 0, 0);
 * ```
 */
export function issuerLocations(
  points: PublicationPoints,
  caName: string,
  certIndex: number,
  keyIndex: number,
): { cdp: Extension; aia: Extension; crlUrl: string; caCertUrl: string } {
  const crlUrl = certEnrollUrl(points.baseUrl, crlFileName(caName, keyIndex, false));
  const caCertUrl = certEnrollUrl(
    points.baseUrl,
    caCertificateFileName(points.serverDnsName, caName, certIndex),
  );
  const aiaUrls = [
    ...(points.ldap ? [ldapAiaUrl(points.ldap, caName)] : []),
    ...(points.http !== false ? [caCertUrl] : []),
  ];
  return {
    crlUrl,
    caCertUrl,
    // One distribution point with every name (AD CS lists its URLs as fullName entries of one point).
    cdp: crlDistributionPoints([
      {
        fullName: crlUrls(points, caName, keyIndex, false).map((value) => ({ type: 'uri' as const, value })),
      },
    ]),
    aia: authorityInfoAccess(
      aiaUrls.map((value) => ({ method: 'caIssuers' as const, location: { type: 'uri' as const, value } })),
    ),
  };
}

/**
 * What {@link createCaCertificate} needs.
 *
 * @example
 * ```ts
 * const init: CaCertificateInit = { subject, publicKey, signingKey, certIndex: 0, keyIndex: 0, points, notBefore, notAfter };
 * ```
 */
export interface CaCertificateInit {
  readonly subject: Name;
  readonly publicKey: PublicKey;
  /** The signing key: the root's (or, self-signed, the CA's own). */
  readonly signingKey: PrivateKey;
  /** Omit for a self-signed (root or standalone) certificate. */
  readonly issuer?: {
    readonly certificate: Certificate;
    readonly name: string;
    readonly certIndex: number;
    readonly keyIndex: number;
  };
  readonly certIndex: number;
  readonly keyIndex: number;
  /** For a renewal: the CA certificate it follows. */
  readonly previous?: Certificate;
  readonly points: PublicationPoints;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Builds a CA certificate. Self-signed: keyUsage (digitalSignature, keyCertSign, cRLSign),
 * basicConstraints cA critical, SKI, CA Version. Subordinate: the SubCA template name first,
 * then the same plus AKI (key id only), CDP and AIA of the parent.
 *
 * @example
 * ```ts
 * const root = await createCaCertificate({ subject, publicKey, signingKey, certIndex: 0, keyIndex: 0, points, notBefore, notAfter });
 * ```
 */
export async function createCaCertificate(init: CaCertificateInit): Promise<Certificate> {
  const ski = await init.publicKey.keyIdentifier();
  const exts: Extension[] = [];
  if (init.issuer) exts.push(msCertificateTemplateName('SubCA'));
  exts.push(
    keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign'], false),
    basicConstraints({ ca: true }, true),
    subjectKeyIdentifier(ski),
    // [MS-WCCE] §2.2.2.7.3: CA Version = (key index << 16) | certificate index.
    msCaVersion({ certIndex: init.certIndex, keyIndex: init.keyIndex }),
  );
  if (init.previous)
    exts.push({
      oid: PREVIOUS_CA_CERT_HASH,
      critical: false,
      value: octetString(await hashDigest('SHA-1', init.previous.der)),
    });
  if (init.issuer) {
    const parentSki =
      init.issuer.certificate.subjectKeyIdentifier ??
      (await init.issuer.certificate.publicKey.keyIdentifier());
    const loc = issuerLocations(init.points, init.issuer.name, init.issuer.certIndex, init.issuer.keyIndex);
    exts.push(authorityKeyIdentifier({ keyIdentifier: parentSki }), loc.cdp, loc.aia);
  }
  return createCertificate({
    subject: init.subject,
    publicKey: init.publicKey,
    signingKey: init.signingKey,
    ...(init.issuer ? { issuer: init.issuer.certificate } : {}),
    serialNumber: randomSerialNumber(16),
    notBefore: init.notBefore,
    notAfter: init.notAfter,
    extensions: exts,
    authorityKeyIdentifier: false,
    subjectKeyIdentifier: false,
  });
}
