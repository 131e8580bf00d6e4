// The list of extensions in certutil's layout, shared by certificates and requests:
//     2.5.29.19: Flags = 1(Critical), Length = 5
//     Basic Constraints
//         Subject Type=CA

import type { Extension } from '@certlab/pki';
import { extensionDisplayName } from './display-names.js';
import { extensionText } from './extension-text.js';

/**
 * Text lines for a titled extension list; `textOf` renders one value (default
 * {@link extensionText}; CRLs pass one that also knows the CRL extensions).
 *
 * @example
 * ```ts
 * extensionSection('Certificate Extensions', cert.extensions);
 * ```
 */
export function extensionSection(
  title: string,
  extensions: readonly Extension[],
  textOf: (ext: Extension) => string[] = extensionText,
): string[] {
  const out = [`${title}: ${extensions.length}`];
  for (const e of extensions) {
    out.push(`    ${e.oid}: Flags = ${e.critical ? '1(Critical)' : '0'}, Length = ${e.value.length}`);
    out.push(`    ${extensionDisplayName(e.oid)}`);
    for (const line of textOf(e)) out.push(`        ${line}`);
    out.push('');
  }
  return out;
}
