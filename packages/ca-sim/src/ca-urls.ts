// CDP and AIA locations under the CA's own HTTP endpoint, named with the tokens AD CS uses
// (certsrv reference §11.4, §6.5): `http://<ServerDNSName>/CertEnroll/<CaName><CRLNameSuffix>
// <DeltaCRLAllowed>.crl` and `…/CertEnroll/<ServerDNSName>_<CaName><CertificateName>.crt`.

import { CaError } from './errors.js';

/**
 * The CA's sanitized name as AD CS writes it in file names: the disallowed characters of
 * [MS-WCCE] §3.1.1.4.1.1.2 become `!` and the four hex digits of the 16-bit character: the
 * punctuation Windows file names and LDAP cannot hold, every character below 0x20, and every one
 * from 0x7F up (so `é` is `!00e9`; a character outside the BMP is its two UTF-16 halves).
 *
 * @example
 * ```ts
 * sanitizedCaName('Contoso Issuing CA'); // 'Contoso Issuing CA'
 * sanitizedCaName('A/B');                // 'A!002fB'
 * sanitizedCaName('Société CA');         // 'Soci!00e9t!00e9 CA'
 * ```
 */
export function sanitizedCaName(name: string): string {
  return name.replace(
    /[!"#%&'()*+,/:;<=>?[\\\]^`{|}\u0000-\u001f\u007f-\uffff]/g,
    (c) => `!${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `(n)` for n > 0, empty for 0: the `<CRLNameSuffix>` and `<CertificateName>` tokens. */
function suffix(n: number): string {
  return n > 0 ? `(${n})` : '';
}

/**
 * The CRL file name: `<CaName><CRLNameSuffix>.crl`, `+` before `.crl` for a delta CRL.
 *
 * @example
 * ```ts
 * crlFileName('Contoso Issuing CA', 0, false); // 'Contoso Issuing CA.crl'
 * crlFileName('Contoso Issuing CA', 1, true);  // 'Contoso Issuing CA(1)+.crl'
 * ```
 */
export function crlFileName(caName: string, keyIndex: number, delta: boolean): string {
  return `${sanitizedCaName(caName)}${suffix(keyIndex)}${delta ? '+' : ''}.crl`;
}

/**
 * The CA certificate file name: `<ServerDNSName>_<CaName><CertificateName>.crt`.
 *
 * @example
 * ```ts
 * caCertificateFileName('pki.contoso.com', 'Contoso Issuing CA', 0); // 'pki.contoso.com_Contoso Issuing CA.crt'
 * ```
 */
export function caCertificateFileName(serverDnsName: string, caName: string, certIndex: number): string {
  return `${serverDnsName}_${sanitizedCaName(caName)}${suffix(certIndex)}.crt`;
}

/** Percent-encodes a file name for a URL path, keeping `+ ( ) !` as AD CS writes them. */
function encodeFile(name: string): string {
  return encodeURIComponent(name).replace(/%2B/g, '+').replace(/%21/g, '!');
}

/**
 * A URL under `<baseUrl>/CertEnroll/`.
 *
 * @example
 * ```ts
 * certEnrollUrl('http://pki.contoso.com', 'Contoso Issuing CA.crl'); // 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl'
 * ```
 */
export function certEnrollUrl(baseUrl: string, fileName: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/CertEnroll/${encodeFile(fileName)}`;
}

/**
 * Where AD CS publishes a CA's CRLs and certificate in Active Directory, for the `ldap:///` CDP and
 * AIA URLs of its certificates (reference §11.4).
 *
 * @example
 * ```ts
 * const ldap: LdapPublication = { configurationContainer: 'CN=Configuration,DC=contoso,DC=com', serverShortName: 'PKI' };
 * ```
 */
export interface LdapPublication {
  /** `<ConfigurationContainer>`: the forest's configuration naming context. */
  readonly configurationContainer: string;
  /** `<ServerShortName>`: the CA server's NetBIOS name, under which its CDP container sits. */
  readonly serverShortName: string;
}

/**
 * `<CATruncatedName>`: the sanitized CA name, which AD CS truncates (with a hash) beyond 32
 * characters for directory object names; certlab takes names that need no truncation.
 */
function caTruncatedName(caName: string): string {
  const n = sanitizedCaName(caName);
  if (n.length > 32)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      `LDAP publication needs a CA name of at most 32 characters once sanitized ("${n.slice(0, 40)}…" has ${n.length}): AD CS shortens longer ones with a hash certlab does not reproduce.`,
    );
  return n;
}

/** An LDAP URL as AD CS writes it: the DN's spaces and non-ASCII characters percent-encoded. */
function ldapUrl(dn: string, query: string): string {
  return `ldap:///${encodeURI(dn)}${query}`;
}

/**
 * The `ldap:///` CDP URL of a CA key's base or delta CRL (`<CDPObjectClass>` expanded, reference
 * §11.4).
 *
 * @example
 * ```ts
 * ldapCdpUrl({ configurationContainer: 'CN=Configuration,DC=contoso,DC=com', serverShortName: 'PKI' }, 'Contoso Issuing CA', 0, false);
 * // 'ldap:///CN=Contoso%20Issuing%20CA,CN=PKI,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint'
 * ```
 */
export function ldapCdpUrl(ldap: LdapPublication, caName: string, keyIndex: number, delta: boolean): string {
  return ldapUrl(
    `CN=${caTruncatedName(caName)}${suffix(keyIndex)},CN=${ldap.serverShortName},CN=CDP,CN=Public Key Services,CN=Services,${ldap.configurationContainer}`,
    `?${delta ? 'deltaRevocationList' : 'certificateRevocationList'}?base?objectClass=cRLDistributionPoint`,
  );
}

/**
 * The `ldap:///` AIA URL of a CA (`<CAObjectClass>` expanded, reference §11.4).
 *
 * @example
 * ```ts
 * ldapAiaUrl({ configurationContainer: 'CN=Configuration,DC=contoso,DC=com', serverShortName: 'PKI' }, 'Contoso Issuing CA');
 * // 'ldap:///CN=Contoso%20Issuing%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority'
 * ```
 */
export function ldapAiaUrl(ldap: LdapPublication, caName: string): string {
  return ldapUrl(
    `CN=${caTruncatedName(caName)},CN=AIA,CN=Public Key Services,CN=Services,${ldap.configurationContainer}`,
    '?cACertificate?base?objectClass=certificationAuthority',
  );
}
