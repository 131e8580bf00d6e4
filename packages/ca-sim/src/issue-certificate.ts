// Building an end-entity certificate from a policy decision, with the extensions in the order a
// real AD CS certificate shows them (certsrv reference §11.3): SKI, AKI (key id only), CDP, AIA,
// template name / template information, keyUsage, extKeyUsage, subjectAltName, application
// policies; plus basicConstraints for CA templates.

import {
  authorityKeyIdentifier,
  basicConstraints,
  type Certificate,
  createCertificate,
  type Extension,
  ekuOid,
  extKeyUsage,
  type GeneralName,
  keyUsage,
  msApplicationPolicies,
  msCertificateTemplate,
  msCertificateTemplateName,
  type Name,
  type PrivateKey,
  type PublicKey,
  subjectAltName,
  subjectKeyIdentifier,
} from '@certlab/pki';
import { type CertificateTemplate, templateRevision } from './template.js';

/**
 * What {@link issueCertificate} needs.
 *
 * @example
 * ```ts
 * const init: IssueInit = { template, subject, altNames, publicKey, serialNumber, issuer, signingKey, cdp, aia, now, maxValidityDays: 730, clockSkewMinutes: 10 };
 * ```
 */
export interface IssueInit {
  readonly template: CertificateTemplate;
  readonly subject: Name;
  readonly altNames: readonly GeneralName[];
  readonly publicKey: PublicKey;
  readonly serialNumber: string;
  readonly issuer: Certificate;
  readonly signingKey: PrivateKey;
  /** CDP and AIA of the issuing CA. */
  readonly cdp: Extension;
  readonly aia: Extension;
  readonly now: Date;
  /** The CA's ValidityPeriod cap in days (AD CS: 2 years Enterprise, 1 year standalone). */
  readonly maxValidityDays: number;
  /** Clock skew allowance subtracted from notBefore (ClockSkewMinutes, default 10). */
  readonly clockSkewMinutes: number;
  /** Extensions the policy adds after the template's (the SID, a sub CA's CA Version). */
  readonly extensions?: readonly Extension[];
  /** The end the request's attributes ask for (EDITF_ATTRIBUTEENDDATE): it may only shorten. */
  readonly requestedNotAfter?: Date;
}

const DAY = 86_400_000;

/**
 * Signs the certificate. notAfter = min(template validity, CA ValidityPeriod, CA certificate's
 * notAfter, the request's validity attributes under EDITF_ATTRIBUTEENDDATE) (reference §11.1,
 * KB 254632); notBefore = now − clock skew.
 *
 * @example
 * ```ts
 * const cert = await issueCertificate({ template: WEB_SERVER_TEMPLATE, subject, altNames, publicKey, serialNumber, issuer, signingKey, cdp, aia, now: new Date(), maxValidityDays: 730, clockSkewMinutes: 10 });
 * ```
 */
export async function issueCertificate(init: IssueInit): Promise<Certificate> {
  const t = init.template;
  const now = init.now.getTime();
  const notBefore = new Date(Math.max(now - init.clockSkewMinutes * 60_000, init.issuer.notBefore.getTime()));
  const notAfter = new Date(
    Math.min(
      now + t.validityDays * DAY,
      now + init.maxValidityDays * DAY,
      init.issuer.notAfter.getTime(),
      init.requestedNotAfter?.getTime() ?? Number.POSITIVE_INFINITY,
    ),
  );
  const issuerSki = init.issuer.subjectKeyIdentifier ?? (await init.issuer.publicKey.keyIdentifier());
  const exts: Extension[] = [
    subjectKeyIdentifier(await init.publicKey.keyIdentifier()),
    authorityKeyIdentifier({ keyIdentifier: issuerSki }),
    init.cdp,
    init.aia,
  ];
  if (t.schemaVersion === 1) exts.push(msCertificateTemplateName(t.name));
  else {
    const { major, minor } = templateRevision(t);
    exts.push(msCertificateTemplate({ templateId: t.oid!, majorVersion: major, minorVersion: minor }));
  }
  if (t.ca) exts.push(basicConstraints({ ca: true }, true));
  if (t.keyUsage.length) exts.push(keyUsage(t.keyUsage, t.keyUsageCritical));
  if (t.ekus.length) exts.push(extKeyUsage(t.ekus.map(ekuOid)));
  // RFC 5280 §4.2.1.6: with an empty subject the SAN is critical.
  if (init.altNames.length) exts.push(subjectAltName(init.altNames, init.subject.isEmpty));
  // [MS-WCCE] §2.2.2.7.7.3: v2 templates mirror the EKUs as application policies.
  if (t.schemaVersion === 2 && t.ekus.length) exts.push(msApplicationPolicies(t.ekus.map(ekuOid)));
  // Last, as in a real Machine certificate: …, SubjectAltName, 1.3.6.1.4.1.311.25.2 (reference §11.3).
  if (init.extensions) exts.push(...init.extensions);
  return createCertificate({
    subject: init.subject,
    publicKey: init.publicKey,
    signingKey: init.signingKey,
    issuer: init.issuer,
    serialNumber: init.serialNumber,
    notBefore,
    notAfter,
    extensions: exts,
    subjectKeyIdentifier: false,
    authorityKeyIdentifier: false,
  });
}
