// The default templates of an Enterprise CA that the labs use (certsrv reference §12), plus the
// manual-approval copy of WebServer. Values follow the templates Windows Server creates
// ([MS-CRTD] §2 attributes); "unverified" points in the reference are marked there.

import { type CertificateTemplate, parseTemplate } from './template.js';

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
  oid: '1.3.6.1.4.1.311.21.8.7638725.13898300.1985460.3383425.7519116.119.16408497.1716465',
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
