// SHA-1 thumbprints: the identity of a certificate in a Windows store.

import type { Certificate } from '@certlab/pki';
import { StoreError } from './errors.js';

/**
 * Reads a thumbprint as any Windows tool prints it (upper or lower case, spaces, colons, the
 * invisible U+200E of old MMC builds) and returns 40 upper-case hex digits. Everything that is
 * not a hex digit is dropped. Throws ERR_STORE_THUMBPRINT_INVALID unless 40 digits remain.
 *
 * @example
 * ```ts
 * normalizeThumbprint('\u200e8b 89 42 fb de b6 45 52 7b bd ad 27 24 b7 86 64 a6 d8 5d 7e');
 * // '8B8942FBDEB645527BBDAD2724B78664A6D85D7E'
 * ```
 */
export function normalizeThumbprint(text: string): string {
  const hex = typeof text === 'string' ? text.replace(/[^0-9a-fA-F]/g, '').toUpperCase() : '';
  if (hex.length !== 40)
    throw new StoreError(
      'ERR_STORE_THUMBPRINT_INVALID',
      `A SHA-1 thumbprint has 40 hex digits; "${String(text).slice(0, 80)}" has ${hex.length}.`,
    );
  return hex;
}

/**
 * The SHA-1 thumbprint of a certificate (upper-case hex), as PowerShell shows it.
 *
 * @example
 * ```ts
 * await thumbprintOf(cert); // 'E1E81C23B3AD33F9B4D1717B20AB65DBB91AC630'
 * ```
 */
export function thumbprintOf(cert: Certificate): Promise<string> {
  return cert.thumbprint('SHA-1');
}

/**
 * The thumbprint as the root-install Security Warning prints it: five groups of eight.
 *
 * @example
 * ```ts
 * formatThumbprintGroups('8B8942FBDEB645527BBDAD2724B78664A6D85D7E'); // '8B8942FB DEB64552 7BBDAD27 24B78664 A6D85D7E'
 * ```
 */
export function formatThumbprintGroups(thumbprint: string): string {
  return normalizeThumbprint(thumbprint).replace(/(.{8})(?=.)/g, '$1 ');
}
