// What the lab reads off a certificate for its messages and selections, without letting a
// malformed one throw: a trainee's store may hold anything, and one bad certificate must not
// stop a check or a UM start (Windows shows such a certificate, it does not crash on it).

import type { Certificate } from '@certlab/pki';

/**
 * The subject as Windows prints it (`CN=ex01.contoso.com, O=Contoso`), `?` when it cannot be
 * decoded.
 *
 * @example
 * ```ts
 * subjectText(cert); // 'CN=ex01.contoso.com'
 * ```
 */
export function subjectText(c: Certificate): string {
  try {
    return c.subject.toWindowsString();
  } catch {
    return '?';
  }
}

/**
 * The issuer as Windows prints it, `?` when it cannot be decoded.
 *
 * @example
 * ```ts
 * issuerText(cert); // 'CN=Contoso Issuing CA'
 * ```
 */
export function issuerText(c: Certificate): string {
  try {
    return c.issuer.toWindowsString();
  } catch {
    return '?';
  }
}

/**
 * True when issuer and subject are the same name (what the lab calls self-signed: a root or
 * Exchange's own certificate); false when the names cannot be decoded.
 *
 * @example
 * ```ts
 * isSelfSigned(root); // true
 * ```
 */
export function isSelfSigned(c: Certificate): boolean {
  try {
    return c.isSelfIssued;
  } catch {
    return false;
  }
}

/**
 * A name as the Certificates console's "Issued To" / "Issued By" columns show it: the common
 * name, else the whole name as Windows prints it (`?` when it cannot be decoded).
 *
 * @example
 * ```ts
 * consoleName(cert, 'issuer'); // 'Contoso Root CA'
 * ```
 */
export function consoleName(c: Certificate, which: 'subject' | 'issuer'): string {
  try {
    const cn = c[which].commonName;
    if (cn !== undefined) return cn;
  } catch {
    // Falls back to the whole name, which says '?' when that cannot be decoded either.
  }
  return which === 'subject' ? subjectText(c) : issuerText(c);
}

/**
 * The canonical form of the subject or issuer name (for matching one certificate's issuer to
 * another's subject), undefined when it cannot be decoded.
 *
 * @example
 * ```ts
 * canonicalName(intermediate, 'issuer') === canonicalName(root, 'subject'); // true
 * ```
 */
export function canonicalName(c: Certificate, which: 'subject' | 'issuer'): string | undefined {
  try {
    return c[which].canonical;
  } catch {
    return undefined;
  }
}
