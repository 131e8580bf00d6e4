// Search criteria over store entries: thumbprint, subject, issuer, EKU, template, expiry.

import {
  type Certificate,
  decodeMsCertificateTemplate,
  decodeMsCertificateTemplateName,
  ekuOid,
  OID,
} from '@certlab/pki';
import type { CertificateEntry } from './entry.js';

/**
 * What to look for; every given criterion must match. Text criteria are case-insensitive
 * substrings of the Windows rendering of the name (`CN=ex01.contoso.com, O=Contoso`) or equal to
 * its common name.
 *
 * @example
 * ```ts
 * machine.find({ location: 'LocalMachine', store: 'My', eku: 'serverAuth', hasPrivateKey: true, expiringInDays: 30 });
 * ```
 */
export interface FindQuery {
  /** Any rendering (see normalizeThumbprint). */
  thumbprint?: string;
  subject?: string;
  issuer?: string;
  /** Serial number, hex (any case, separators ignored). */
  serialNumber?: string;
  /** An EKU name (`serverAuth`) or OID that the certificate's extKeyUsage must contain. */
  eku?: string;
  /** A v1 template name (`WebServer`) or a v2+ template OID. */
  template?: string;
  /** Expires within this many days of `now` (and is not yet expired). */
  expiringInDays?: number;
  /** true: expired or not yet valid at `now`; false: time-valid at `now`. */
  expired?: boolean;
  hasPrivateKey?: boolean;
  /** Include archived certificates (hidden by default, as Windows hides them). */
  includeArchived?: boolean;
  /** The time for the expiry criteria (default: now). */
  now?: Date;
}

/**
 * The template of a certificate: the v1 template name extension, or the v2+ template OID.
 *
 * @example
 * ```ts
 * templateOf(cert); // 'WebServer' or '1.3.6.1.4.1.311.21.8.…'
 * ```
 */
export function templateOf(cert: Certificate): string | undefined {
  try {
    const v1 = cert.getExtension(OID.msCertificateTemplateName);
    if (v1) return decodeMsCertificateTemplateName(v1.value);
    const v2 = cert.getExtension(OID.msCertificateTemplate);
    if (v2) return decodeMsCertificateTemplate(v2.value).templateId;
  } catch {
    // A malformed template extension names no template.
  }
  return undefined;
}

function nameMatches(
  name: () => { toWindowsString(): string; commonName: string | undefined },
  q: string,
): boolean {
  try {
    const n = name();
    const needle = q.toLowerCase();
    return n.toWindowsString().toLowerCase().includes(needle) || n.commonName?.toLowerCase() === needle;
  } catch {
    return false;
  }
}

function ekuList(cert: Certificate): string[] | undefined {
  try {
    return cert.extKeyUsage;
  } catch {
    return undefined;
  }
}

/**
 * Whether an entry matches a query (the thumbprint criterion must already be normalised).
 *
 * @example
 * ```ts
 * entries.filter((e) => matchesQuery(e, { subject: 'contoso' }));
 * ```
 */
export function matchesQuery(e: CertificateEntry, q: FindQuery): boolean {
  const c = e.certificate;
  if (q.thumbprint !== undefined && e.thumbprint !== q.thumbprint) return false;
  if (!q.includeArchived && e.properties.archived) return false;
  if (q.subject !== undefined && !nameMatches(() => c.subject, q.subject)) return false;
  if (q.issuer !== undefined && !nameMatches(() => c.issuer, q.issuer)) return false;
  if (
    q.serialNumber !== undefined &&
    c.serialNumber.toUpperCase() !== q.serialNumber.replace(/[^0-9a-fA-F]/g, '').toUpperCase()
  )
    return false;
  if (q.eku !== undefined) {
    let oid: string;
    try {
      oid = ekuOid(q.eku);
    } catch {
      oid = q.eku;
    }
    if (!ekuList(c)?.includes(oid)) return false;
  }
  if (q.template !== undefined && templateOf(c)?.toLowerCase() !== q.template.toLowerCase()) return false;
  if (q.hasPrivateKey !== undefined && e.hasPrivateKey !== q.hasPrivateKey) return false;
  const now = (q.now ?? new Date()).getTime();
  const valid = c.notBefore.getTime() <= now && now <= c.notAfter.getTime();
  if (q.expired !== undefined && q.expired === valid) return false;
  if (
    q.expiringInDays !== undefined &&
    !(valid && c.notAfter.getTime() <= now + q.expiringInDays * 86_400_000)
  )
    return false;
  return true;
}
