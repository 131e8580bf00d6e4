// The order the lab picks store entries in: newest first, by the date that makes a certificate
// "newer" for the caller (NotAfter for the UM selection rule "latest NotAfter wins", §4.2;
// NotBefore for "the most recently issued" in the checks).

import type { CertificateEntry } from '@certlab/store-sim';

/**
 * A comparator for `Array.prototype.sort` putting the entry with the latest `date` first.
 *
 * @example
 * ```ts
 * const [newest] = my.list().sort(newestFirst('notAfter'));
 * ```
 */
export function newestFirst(
  date: 'notAfter' | 'notBefore',
): (a: CertificateEntry, b: CertificateEntry) => number {
  return (a, b) => b.certificate[date].getTime() - a.certificate[date].getTime();
}
