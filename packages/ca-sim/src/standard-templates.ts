// The default templates of an Enterprise CA that the labs use (certsrv reference §12), plus the
// manual-approval copy of WebServer. Values follow the templates Windows Server creates
// ([MS-CRTD] §2 attributes); "unverified" points in the reference are marked there.

import { type CertificateTemplate, parseTemplate } from './template.js';

/**
 * The simulated forest's msPKI-Cert-Template-OID arc ([MS-CRTD] §2.20): 1.3.6.1.4.1.311.21.8 and
 * six numbers that AD draws at random once per forest; a template's OID adds two more.
 *
 * @example
 * ```ts
 * `${TEMPLATE_OID_FOREST_ARC}.${a}.${b}`; // a duplicated template's OID
 * ```
 */
export const TEMPLATE_OID_FOREST_ARC = '1.3.6.1.4.1.311.21.8.7638725.13898300.1985460.3383425.7519116.119';

/**
 * `WebServer` (Web Server): v1, subject supplied in the request, Server Authentication,
 * digitalSignature + keyEncipherment critical, 2 years, RSA ≥ 2048 or EC ≥ 256.
 *
 * @example
 * ```ts
 * WEB_SERVER_TEMPLATE.ekus; // ['serverAuth']
 * ```
 */
export const WEB_SERVER_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'WebServer',
  displayName: 'Web Server',
  schemaVersion: 1,
  subject: 'request',
  keyTypes: ['rsa', 'ec'],
  minKeySize: { rsa: 2048, ec: 256 },
  ekus: ['serverAuth'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 730,
});

/**
 * `WebServer_Manual`: a copy of WebServer with CA certificate manager approval
 * (CT_FLAG_PEND_ALL_REQUESTS, [MS-CRTD] §2.26): requests are taken under submission.
 *
 * @example
 * ```ts
 * WEB_SERVER_MANUAL_TEMPLATE.managerApproval; // true
 * ```
 */
export const WEB_SERVER_MANUAL_TEMPLATE: CertificateTemplate = parseTemplate({
  ...WEB_SERVER_TEMPLATE,
  name: 'WebServer_Manual',
  displayName: 'Web Server (manager approval)',
  schemaVersion: 2,
  oid: `${TEMPLATE_OID_FOREST_ARC}.16408497.1716465`,
  majorVersion: 100,
  minorVersion: 2,
  managerApproval: true,
});

/**
 * `Machine` (Computer): v1, subject built from the directory (CN = dNSHostName, SAN DNS),
 * Client + Server Authentication, 1 year.
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'Machine', requester: { dnsHostName: 'exch01.contoso.com' } });
 * ```
 */
export const MACHINE_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'Machine',
  displayName: 'Computer',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dns', altNames: ['dns'] },
  keyTypes: ['rsa', 'ec'],
  minKeySize: { rsa: 2048, ec: 256 },
  ekus: ['clientAuth', 'serverAuth'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
});

/**
 * `User`: v1, subject = the directory DN, SAN UPN + e-mail, EFS + Secure Email + Client
 * Authentication, 1 year (reference §12, partly unverified).
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'User', requester: { dn: 'CN=Alice,CN=Users,DC=contoso,DC=com', upn: 'alice@contoso.com', email: 'alice@contoso.com' } });
 * ```
 */
export const USER_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'User',
  displayName: 'User',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dn', altNames: ['upn', 'email'] },
  keyTypes: ['rsa', 'ec'],
  minKeySize: { rsa: 2048, ec: 256 },
  ekus: ['msEFS', 'emailProtection', 'clientAuth'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
  // Reference §11.3: User certificates carry the S/MIME capabilities the request lists.
  includeSymmetricAlgorithms: true,
});

/**
 * `SubCA` (Subordinate Certification Authority): v1, subject from the request, no EKU,
 * digitalSignature + keyCertSign + cRLSign, basicConstraints cA, 5 years (capped by the CA).
 *
 * @example
 * ```ts
 * SUB_CA_TEMPLATE.ca; // true
 * ```
 */
export const SUB_CA_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'SubCA',
  displayName: 'Subordinate Certification Authority',
  schemaVersion: 1,
  subject: 'request',
  keyTypes: ['rsa', 'ec'],
  minKeySize: { rsa: 2048, ec: 256 },
  ekus: [],
  keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
  ca: true,
  validityDays: 1825,
  honorRequestSans: false,
});

/**
 * `Administrator`: v1, subject = the directory DN, SAN UPN + e-mail, Microsoft Trust List
 * Signing + EFS + Secure Email + Client Authentication, 1 year.
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'Administrator', requester: { dn: 'CN=Administrator,CN=Users,DC=contoso,DC=com', upn: 'administrator@contoso.com', email: 'administrator@contoso.com' } });
 * ```
 */
export const ADMINISTRATOR_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'Administrator',
  displayName: 'Administrator',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dn', altNames: ['upn', 'email'] },
  ekus: ['1.3.6.1.4.1.311.10.3.1', 'msEFS', 'emailProtection', 'clientAuth'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
  includeSymmetricAlgorithms: true,
});

/**
 * `EFS` (Basic EFS): v1, subject = the directory DN, SAN UPN, Encrypting File System,
 * keyEncipherment, 1 year.
 *
 * @example
 * ```ts
 * EFS_TEMPLATE.ekus; // ['msEFS']
 * ```
 */
export const EFS_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'EFS',
  displayName: 'Basic EFS',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dn', altNames: ['upn'] },
  ekus: ['msEFS'],
  keyUsage: ['keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
});

/**
 * `EFSRecovery` (EFS Recovery Agent): v1, subject = the directory DN, SAN UPN, File Recovery,
 * keyEncipherment, 2 years.
 *
 * @example
 * ```ts
 * EFS_RECOVERY_TEMPLATE.ekus; // ['1.3.6.1.4.1.311.10.3.4.1']
 * ```
 */
export const EFS_RECOVERY_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'EFSRecovery',
  displayName: 'EFS Recovery Agent',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dn', altNames: ['upn'] },
  ekus: ['1.3.6.1.4.1.311.10.3.4.1'],
  keyUsage: ['keyEncipherment'],
  validityDays: 730,
  honorRequestSans: false,
});

/**
 * `DomainController` (Domain Controller): v1, CN = dNSHostName, SAN DS Object Guid + DNS name,
 * Client + Server Authentication, 1 year, S/MIME capabilities kept (reference §12).
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'DomainController', requester: { dnsHostName: 'dc01.contoso.com', objectGuid: '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}' } });
 * ```
 */
export const DOMAIN_CONTROLLER_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'DomainController',
  displayName: 'Domain Controller',
  schemaVersion: 1,
  subject: 'identity',
  identity: { subjectName: 'dns', altNames: ['guid', 'dns'] },
  ekus: ['clientAuth', 'serverAuth'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
  includeSymmetricAlgorithms: true,
});

/**
 * `DomainControllerAuthentication` (Domain Controller Authentication): v2, empty subject, SAN DNS
 * name, Client + Server Authentication + Smart Card Logon, 1 year.
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'DomainControllerAuthentication', requester: { dnsHostName: 'dc01.contoso.com' } });
 * ```
 */
export const DOMAIN_CONTROLLER_AUTHENTICATION_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'DomainControllerAuthentication',
  displayName: 'Domain Controller Authentication',
  schemaVersion: 2,
  // The built-in v2 templates' OIDs are the forest's arc and a fixed suffix (unverified suffixes).
  oid: `${TEMPLATE_OID_FOREST_ARC}.1.28`,
  majorVersion: 110,
  minorVersion: 0,
  subject: 'identity',
  identity: { subjectName: 'none', altNames: ['dns'] },
  ekus: ['clientAuth', 'serverAuth', 'smartcardLogon'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
});

/**
 * `KerberosAuthentication` (Kerberos Authentication): v2, empty subject, SAN DNS name, the
 * domain's DNS name and its NetBIOS name, Client + Server Authentication + Smart Card Logon + KDC
 * Authentication (RFC 4556 id-pkinit-KPKdc), 1 year.
 *
 * @example
 * ```ts
 * await ca.submit(csr, { template: 'KerberosAuthentication', requester: { dnsHostName: 'dc01.contoso.com', domainDnsName: 'contoso.com' } });
 * ```
 */
export const KERBEROS_AUTHENTICATION_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'KerberosAuthentication',
  displayName: 'Kerberos Authentication',
  schemaVersion: 2,
  oid: `${TEMPLATE_OID_FOREST_ARC}.1.33`,
  majorVersion: 110,
  minorVersion: 0,
  subject: 'identity',
  identity: { subjectName: 'none', altNames: ['dns', 'domainDns'] },
  ekus: ['clientAuth', 'serverAuth', 'smartcardLogon', '1.3.6.1.5.2.3.5'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
});

/**
 * `DirectoryEmailReplication` (Directory Email Replication): v2, empty subject, SAN DS Object
 * Guid + DNS name, Directory Service Email Replication, 1 year.
 *
 * @example
 * ```ts
 * DIRECTORY_EMAIL_REPLICATION_TEMPLATE.ekus; // ['1.3.6.1.4.1.311.21.19']
 * ```
 */
export const DIRECTORY_EMAIL_REPLICATION_TEMPLATE: CertificateTemplate = parseTemplate({
  name: 'DirectoryEmailReplication',
  displayName: 'Directory Email Replication',
  schemaVersion: 2,
  oid: `${TEMPLATE_OID_FOREST_ARC}.1.29`,
  majorVersion: 115,
  minorVersion: 0,
  subject: 'identity',
  identity: { subjectName: 'none', altNames: ['guid', 'dns'] },
  ekus: ['1.3.6.1.4.1.311.21.19'],
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  validityDays: 365,
  honorRequestSans: false,
});

/**
 * The templates a new simulated CA publishes.
 *
 * @example
 * ```ts
 * STANDARD_TEMPLATES.map((t) => t.name); // ['WebServer', 'WebServer_Manual', 'Machine', 'User', 'SubCA']
 * ```
 */
export const STANDARD_TEMPLATES: readonly CertificateTemplate[] = Object.freeze([
  WEB_SERVER_TEMPLATE,
  WEB_SERVER_MANUAL_TEMPLATE,
  MACHINE_TEMPLATE,
  USER_TEMPLATE,
  SUB_CA_TEMPLATE,
]);

/**
 * Every template certlab knows: the published set, then the other default templates of an
 * Enterprise CA (reference §12: Administrator, EFS, EFSRecovery, DomainController,
 * DomainControllerAuthentication, KerberosAuthentication, DirectoryEmailReplication). A new
 * simulated CA publishes {@link STANDARD_TEMPLATES} only, so that certsrv's pages list what a
 * lab's user can enroll for; pass others in `templates` (or `certlab ca templates --add NAME`).
 *
 * @example
 * ```ts
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', templates: BUILT_IN_TEMPLATES });
 * ```
 */
export const BUILT_IN_TEMPLATES: readonly CertificateTemplate[] = Object.freeze([
  ...STANDARD_TEMPLATES,
  ADMINISTRATOR_TEMPLATE,
  EFS_TEMPLATE,
  EFS_RECOVERY_TEMPLATE,
  DOMAIN_CONTROLLER_TEMPLATE,
  DOMAIN_CONTROLLER_AUTHENTICATION_TEMPLATE,
  KERBEROS_AUTHENTICATION_TEMPLATE,
  DIRECTORY_EMAIL_REPLICATION_TEMPLATE,
]);
