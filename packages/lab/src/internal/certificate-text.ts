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
